//! What goes wrong, as the dashboard shows it: a server's refusal (its envelope
//! decoded), an unreachable server, an address that names nothing, a snapshot that
//! lacks what was asked. The app's one error type, below the API client, so links and
//! widgets show errors without depending on the client.

use trackboard_api::{ErrorCode, ErrorEnvelope};

/// Why something the user asked for failed, as the dashboard shows it.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AppError {
    /// The server could not be reached at all.
    #[error("cannot reach the tracking server: {0}")]
    Network(String),
    /// The server answered with its error envelope.
    #[error("{message}")]
    Server {
        status: u16,
        code: ErrorCode,
        message: String,
        field: Option<String>,
    },
    /// The page's own address does not name a resource (e.g. `/experiments/abc`).
    #[error("{0}")]
    BadAddress(String),
    /// A published snapshot does not hold what was asked, or its files are unreadable.
    #[error("{0}")]
    Snapshot(String),
    /// The server answered something this dashboard cannot read.
    #[error("unexpected answer from the server (HTTP {status}): {detail}")]
    Unreadable { status: u16, detail: String },
}

impl AppError {
    /// The request field the server named, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Server { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// Whether the server refused the token (missing, unknown or revoked): the user
    /// must sign in again.
    pub fn needs_sign_in(&self) -> bool {
        matches!(self, AppError::Server { status: 401, .. })
    }
}

/// Turns a failed answer's status and body into an [`AppError`], using the envelope when
/// the body is one.
pub fn decode_error(status: u16, body: &str) -> AppError {
    match serde_json::from_str::<ErrorEnvelope>(body) {
        Ok(envelope) => AppError::Server {
            status,
            code: envelope.error.code,
            field: envelope.field().map(str::to_owned),
            message: envelope.error.message,
        },
        Err(_) => AppError::Unreadable {
            status,
            detail: body.chars().take(200).collect(),
        },
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_envelope_becomes_a_server_error_with_its_field() {
        let body = r#"{"error":{"code":"validation_failed","message":"name must not be empty","details":{"field":"name"}}}"#;
        assert_eq!(
            decode_error(422, body),
            AppError::Server {
                status: 422,
                code: ErrorCode::ValidationFailed,
                message: "name must not be empty".into(),
                field: Some("name".into()),
            }
        );
        assert_eq!(
            decode_error(422, body).to_string(),
            "name must not be empty"
        );
    }

    #[test]
    fn a_body_that_is_not_an_envelope_is_unreadable_and_shortened() {
        let body = "<html>".repeat(100);
        match decode_error(502, &body) {
            AppError::Unreadable { status, detail } => {
                assert_eq!(status, 502);
                assert_eq!(detail.chars().count(), 200);
            }
            other => panic!("expected Unreadable, got {other:?}"),
        }
    }
}
