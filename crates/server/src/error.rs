//! The server's one error type. Every handler returns `Result<_, ApiError>`, and every
//! failure, including malformed JSON and unknown routes, leaves as an [`ErrorEnvelope`].

use crate::domain::{Refusal, RefusalKind};
use crate::storage::StoreError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use trackboard_api::{ErrorCode, ErrorEnvelope};

/// A failed request. Each variant documents the status it is answered with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body or query is not what the route takes (malformed JSON, wrong types).
    #[error("{0}")]
    BadRequest(String),
    /// 401: no token, or an unknown or revoked one.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: the token's scope does not allow this request, or an image link is
    /// expired or forged.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such resource or route.
    #[error("{0}")]
    NotFound(String),
    /// 405: the route exists, but not with this method.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// 413: the body is larger than the route accepts.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 415: a JSON route got a body without `Content-Type: application/json`.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 409: conflicts with stored data.
    #[error("{message}")]
    Conflict { field: String, message: String },
    /// 422: a field's value is not acceptable.
    #[error("{message}")]
    Validation { field: String, message: String },
    /// 500: logged in full, answered without internals.
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// A 422 naming `field`.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A 409 naming `field`.
    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Conflict {
            field: field.into(),
            message: message.into(),
        }
    }

    fn envelope(&self) -> ErrorEnvelope {
        match self {
            ApiError::BadRequest(message) => ErrorEnvelope::new(ErrorCode::BadRequest, message),
            ApiError::Unauthorized(message) => ErrorEnvelope::new(ErrorCode::Unauthorized, message),
            ApiError::Forbidden(message) => ErrorEnvelope::new(ErrorCode::Forbidden, message),
            ApiError::NotFound(message) => ErrorEnvelope::new(ErrorCode::NotFound, message),
            ApiError::MethodNotAllowed(message) => {
                ErrorEnvelope::new(ErrorCode::MethodNotAllowed, message)
            }
            ApiError::UnsupportedMediaType(message) => {
                ErrorEnvelope::new(ErrorCode::UnsupportedMediaType, message)
            }
            ApiError::PayloadTooLarge(message) => {
                ErrorEnvelope::new(ErrorCode::PayloadTooLarge, message)
            }
            ApiError::Conflict { field, message } => {
                ErrorEnvelope::for_field(ErrorCode::Conflict, field, message)
            }
            ApiError::Validation { field, message } => {
                ErrorEnvelope::for_field(ErrorCode::ValidationFailed, field, message)
            }
            ApiError::Internal(_) => ErrorEnvelope::new(
                ErrorCode::Internal,
                "the server failed to handle this request; the details are in its log",
            ),
        }
    }
}

/// The one bridge from the domain: each kind of refusal has its status here.
impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        let Refusal {
            kind,
            field,
            message,
        } = refusal;
        match kind {
            RefusalKind::Invalid => ApiError::Validation { field, message },
            RefusalKind::Conflict => ApiError::Conflict { field, message },
            RefusalKind::TooLarge => ApiError::PayloadTooLarge(message),
        }
    }
}

/// The one bridge from storage: refusals as above, a missing row a 404, and a
/// database failure a 500 whose details go to the log only.
impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Refused(refusal) => refusal.into(),
            StoreError::NotFound(message) => ApiError::NotFound(message),
            StoreError::Database(error) => ApiError::Internal(error.into()),
            error @ StoreError::Corrupt(_) => ApiError::Internal(error.into()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(error) = &self {
            tracing::error!(error = ?error, "request failed");
        }
        let envelope = self.envelope();
        let status = StatusCode::from_u16(envelope.error.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(envelope)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
