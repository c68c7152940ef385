//! Remembered writes (`domain::Once`): looked up and stored inside the write's own
//! transaction, so a write and its memory commit together or not at all.

use super::StoreResult;
use crate::domain::{Once, Refusal, IDEMPOTENCY_HEADER};
use crate::timestamp;
use sqlx::AnyConnection;

/// How long a key is remembered.
const REMEMBERED: time::Duration = time::Duration::hours(24);

/// The answer remembered for `once` (whether it created, and its JSON), if any. A key
/// remembered for another request is refused.
pub(super) async fn remembered(
    connection: &mut AnyConnection,
    once: &Once,
) -> StoreResult<Option<(bool, String)>> {
    let row: Option<(String, i64, String)> =
        sqlx::query_as("SELECT fingerprint, created, answer FROM idempotent_writes WHERE key = $1")
            .bind(once.key.as_str())
            .fetch_optional(&mut *connection)
            .await?;
    match row {
        None => Ok(None),
        Some((fingerprint, created, answer)) if fingerprint == once.fingerprint => {
            Ok(Some((created != 0, answer)))
        }
        Some(_) => Err(Refusal::invalid(
            IDEMPOTENCY_HEADER,
            format!(
                "this {IDEMPOTENCY_HEADER} was used for another request; use a new key for each write"
            ),
        )
        .into()),
    }
}

/// Remembers `once`'s answer, and forgets keys older than a day.
pub(super) async fn remember(
    connection: &mut AnyConnection,
    once: &Once,
    created: bool,
    answer: &str,
) -> StoreResult<()> {
    let now = time::OffsetDateTime::now_utc();
    sqlx::query("DELETE FROM idempotent_writes WHERE created_at < $1")
        .bind(timestamp::format(now - REMEMBERED))
        .execute(&mut *connection)
        .await?;
    sqlx::query(
        "INSERT INTO idempotent_writes (key, fingerprint, created, answer, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(once.key.as_str())
    .bind(&once.fingerprint)
    .bind(i64::from(created))
    .bind(answer)
    .bind(timestamp::format(now))
    .execute(&mut *connection)
    .await?;
    Ok(())
}
