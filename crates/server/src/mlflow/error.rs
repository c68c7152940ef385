//! MLflow's error shape: `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": …}` with
//! the HTTP status MLflow's server gives that code, so its client raises its own
//! `MlflowException` exactly as it would against MLflow.

use crate::domain::{Refusal, RefusalKind};
use crate::error::ApiError;
use crate::storage::StoreError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A refused or failed MLflow request.
#[derive(Debug)]
pub struct MlflowError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl MlflowError {
    /// 400 `INVALID_PARAMETER_VALUE`: a value MLflow's server would refuse too.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE", message)
    }

    /// 404 `RESOURCE_DOES_NOT_EXIST`.
    pub fn missing(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST", message)
    }

    /// 400 `RESOURCE_ALREADY_EXISTS`, as MLflow answers a taken name.
    pub fn exists(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "RESOURCE_ALREADY_EXISTS", message)
    }

    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        MlflowError {
            status,
            code,
            message: message.into(),
        }
    }
}

impl From<ApiError> for MlflowError {
    fn from(error: ApiError) -> Self {
        let message = error.to_string();
        let (status, code) = match &error {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "MALFORMED_REQUEST"),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "UNAUTHENTICATED"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "PERMISSION_DENIED"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST"),
            ApiError::MethodNotAllowed(_) => (StatusCode::NOT_FOUND, "ENDPOINT_NOT_FOUND"),
            ApiError::PayloadTooLarge(_) => {
                (StatusCode::PAYLOAD_TOO_LARGE, "INVALID_PARAMETER_VALUE")
            }
            ApiError::UnsupportedMediaType(_) | ApiError::Validation { .. } => {
                (StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE")
            }
            ApiError::Conflict { field, .. } if field == "name" || field == "run_id" => {
                (StatusCode::BAD_REQUEST, "RESOURCE_ALREADY_EXISTS")
            }
            ApiError::Conflict { .. } => (StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE"),
            ApiError::Internal(_) => {
                tracing::error!(error = ?error, "MLflow request failed");
                return Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "INTERNAL_ERROR",
                    "the server failed to handle this request; the details are in its log",
                );
            }
        };
        let message = match error {
            ApiError::Validation { field, message } | ApiError::Conflict { field, message } => {
                format!("{field}: {message}")
            }
            _ => message,
        };
        Self::new(status, code, message)
    }
}

impl From<StoreError> for MlflowError {
    fn from(error: StoreError) -> Self {
        ApiError::from(error).into()
    }
}

/// Refusals keep their field in the message; an over-limit value is MLflow's 400.
impl From<Refusal> for MlflowError {
    fn from(refusal: Refusal) -> Self {
        match refusal.kind {
            RefusalKind::TooLarge => {
                MlflowError::invalid(format!("{}: {}", refusal.field, refusal.message))
            }
            _ => ApiError::from(refusal).into(),
        }
    }
}

impl IntoResponse for MlflowError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            axum::Json(json!({"error_code": self.code, "message": self.message})),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

/// What an MLflow handler answers.
pub type MlflowResult<T> = Result<T, MlflowError>;
