//! The one error envelope every failing API call answers with.

use serde::{Deserialize, Serialize};

/// Body of every 4xx and 5xx answer: `{"error": {"code", "message", "details"}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorEnvelope {
    /// What went wrong.
    pub error: ErrorBody,
}

/// What went wrong, for programs (`code`, `details`) and for people (`message`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// Stable machine-readable kind of error.
    pub code: ErrorCode,
    /// A sentence for a person; names the offending field where there is one.
    pub message: String,
    /// Structured extras, e.g. `{"field": "limit"}` for a validation error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<ErrorDetails>,
}

/// Structured extras of an error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetails {
    /// The request field at fault, as a path: `name`, `limit`, `values[3]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Machine-readable error kinds; each maps to one HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not JSON, or not the JSON this route takes.
    BadRequest,
    /// 401: no valid token.
    Unauthorized,
    /// 403: the token's scope does not allow this, or an image link is expired or forged.
    Forbidden,
    /// 404: no such resource or route.
    NotFound,
    /// 405: the route exists, but not with this method.
    MethodNotAllowed,
    /// 409: the request conflicts with stored data (a duplicate name, say).
    Conflict,
    /// 413: the body is larger than this route accepts.
    PayloadTooLarge,
    /// 415: a JSON body was sent without `Content-Type: application/json`.
    UnsupportedMediaType,
    /// 422: well-formed, but a field's value is not acceptable.
    ValidationFailed,
    /// 500: the server failed; details are in its log, never in the answer.
    Internal,
    /// A code this client does not know yet (sent by a newer server).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The HTTP status this code is answered with.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::ValidationFailed => 422,
            ErrorCode::Internal | ErrorCode::Unknown => 500,
        }
    }
}

impl ErrorEnvelope {
    /// An envelope without details.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorEnvelope {
            error: ErrorBody {
                code,
                message: message.into(),
                details: None,
            },
        }
    }

    /// An envelope naming the field at fault.
    pub fn for_field(
        code: ErrorCode,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ErrorEnvelope {
            error: ErrorBody {
                code,
                message: message.into(),
                details: Some(ErrorDetails {
                    field: Some(field.into()),
                }),
            },
        }
    }

    /// The field at fault, if the server named one.
    pub fn field(&self) -> Option<&str> {
        self.error.details.as_ref()?.field.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_round_trips_with_field() {
        let envelope = ErrorEnvelope::for_field(
            ErrorCode::ValidationFailed,
            "name",
            "name must not be empty",
        );
        let json = serde_json::to_value(&envelope).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "validation_failed", "message": "name must not be empty", "details": {"field": "name"}}})
        );
        let back: ErrorEnvelope = serde_json::from_value(json).expect("deserialises");
        assert_eq!(back.field(), Some("name"));
    }

    #[test]
    fn envelope_without_details_omits_them() {
        let json =
            serde_json::to_string(&ErrorEnvelope::new(ErrorCode::NotFound, "no such project"))
                .expect("serialises");
        assert_eq!(
            json,
            r#"{"error":{"code":"not_found","message":"no such project"}}"#
        );
    }

    #[test]
    fn unknown_codes_from_newer_servers_still_decode() {
        let envelope: ErrorEnvelope =
            serde_json::from_str(r#"{"error":{"code":"rate_limited","message":"slow down"}}"#)
                .expect("decodes");
        assert_eq!(envelope.error.code, ErrorCode::Unknown);
        assert_eq!(envelope.error.message, "slow down");
    }

    #[test]
    fn every_code_maps_to_its_status() {
        assert_eq!(ErrorCode::ValidationFailed.http_status(), 422);
        assert_eq!(ErrorCode::Conflict.http_status(), 409);
        assert_eq!(ErrorCode::BadRequest.http_status(), 400);
        assert_eq!(ErrorCode::NotFound.http_status(), 404);
    }
}
