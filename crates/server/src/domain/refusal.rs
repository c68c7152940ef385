//! Why the domain (or storage, checking a domain rule under its lock) refuses a request:
//! a field path and a message, with no notion of HTTP. The route layer maps each kind
//! to its status through `From<Refusal> for ApiError`, the only place that knows.

/// What kind of refusal: it decides the status the route layer answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefusalKind {
    /// The value is not acceptable (answered 422).
    Invalid,
    /// The value conflicts with what is stored (answered 409).
    Conflict,
    /// The value is larger than one request may carry (answered 413).
    TooLarge,
}

/// A refused value: which field (`data.values[3]`) and why, in words a user can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Refusal {
    pub kind: RefusalKind,
    pub field: String,
    pub message: String,
}

impl Refusal {
    /// `field`'s value is not acceptable.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Refusal {
        Refusal::new(RefusalKind::Invalid, field, message)
    }

    /// `field`'s value conflicts with stored data.
    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Refusal {
        Refusal::new(RefusalKind::Conflict, field, message)
    }

    /// `field` carries more than one request may.
    pub fn too_large(field: impl Into<String>, message: impl Into<String>) -> Refusal {
        Refusal::new(RefusalKind::TooLarge, field, message)
    }

    fn new(kind: RefusalKind, field: impl Into<String>, message: impl Into<String>) -> Refusal {
        Refusal {
            kind,
            field: field.into(),
            message: message.into(),
        }
    }
}
