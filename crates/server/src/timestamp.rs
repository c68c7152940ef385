//! Timestamps as the API writes them: RFC 3339, UTC, millisecond precision.
//! A fixed width means the stored text sorts in time order.

use time::format_description::FormatItem;
use time::macros::format_description;
use time::OffsetDateTime;

const FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

/// The current time as stored and sent.
pub fn now() -> String {
    format(OffsetDateTime::now_utc())
}

/// `instant` (converted to UTC) as stored and sent.
pub fn format(instant: OffsetDateTime) -> String {
    instant
        .to_offset(time::UtcOffset::UTC)
        .format(FORMAT)
        .unwrap_or_else(|_| unreachable!("a fixed format of a valid date always formats"))
}

/// A stored timestamp as milliseconds since the Unix epoch (MLflow's unit); `None`
/// for text that is not one.
pub fn millis(text: &str) -> Option<i64> {
    let parsed = time::PrimitiveDateTime::parse(text, FORMAT).ok()?;
    Some((parsed.assume_utc().unix_timestamp_nanos() / 1_000_000) as i64)
}

/// The current time in whole seconds since the Unix epoch.
pub fn now_seconds() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// The current time in milliseconds since the Unix epoch.
pub fn now_millis() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn stored_text_reads_back_as_milliseconds() {
        assert_eq!(millis("1970-01-01T00:00:01.250Z"), Some(1250));
        assert_eq!(
            millis(&format(datetime!(2026-01-02 03:04:05.678 UTC))),
            Some(1_767_323_045_678)
        );
        assert_eq!(millis("yesterday"), None);
    }

    #[test]
    fn formats_utc_with_milliseconds() {
        assert_eq!(
            format(datetime!(2026-01-02 03:04:05.678_9 UTC)),
            "2026-01-02T03:04:05.678Z"
        );
    }

    #[test]
    fn converts_other_offsets_to_utc() {
        assert_eq!(
            format(datetime!(2026-01-02 01:00:00 +02:00)),
            "2026-01-01T23:00:00.000Z"
        );
    }
}
