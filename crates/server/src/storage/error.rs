//! Storage's own error type, and the one place where database errors are classified:
//! a violated UNIQUE constraint becomes a conflict naming the field, a violated FOREIGN
//! KEY what the missing row means to the caller, anything else a database failure.

use crate::domain::Refusal;

/// What a storage call can fail with. The HTTP layer maps it once
/// (`From<StoreError> for ApiError`); nothing here knows about statuses.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A rule refused the write, checked under the write lock (the type of an existing
    /// log, the next step of a series), or a unique value is taken.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The row to act on, or a row it refers to, does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The database failed, or answered rows that do not decode.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Stored data that no longer parses (a bug or a hand edit, never a user's input).
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
}

/// The result of every public storage call.
pub type StoreResult<T> = Result<T, StoreError>;

/// Classifies a failed statement by the constraint it violated.
pub(crate) trait Constraints<T> {
    /// A violated UNIQUE constraint means `field`'s value is taken (`message` says so).
    fn unique_means(self, field: &str, message: impl FnOnce() -> String) -> StoreResult<T>;
    /// A violated FOREIGN KEY means a referenced row is gone: `meaning` says what to answer.
    fn reference_means(self, meaning: impl FnOnce() -> StoreError) -> StoreResult<T>;
}

impl<T, E: Into<StoreError>> Constraints<T> for Result<T, E> {
    fn unique_means(self, field: &str, message: impl FnOnce() -> String) -> StoreResult<T> {
        self.map_err(Into::into).map_err(|error| {
            if violates(&error, |database| database.is_unique_violation()) {
                Refusal::conflict(field, message()).into()
            } else {
                error
            }
        })
    }

    fn reference_means(self, meaning: impl FnOnce() -> StoreError) -> StoreResult<T> {
        self.map_err(Into::into).map_err(|error| {
            if violates(&error, |database| database.is_foreign_key_violation()) {
                meaning()
            } else {
                error
            }
        })
    }
}

fn violates(error: &StoreError, test: impl Fn(&dyn sqlx::error::DatabaseError) -> bool) -> bool {
    match error {
        StoreError::Database(error) => error.as_database_error().is_some_and(test),
        _ => false,
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> Self {
        StoreError::Corrupt(error.to_string())
    }
}
