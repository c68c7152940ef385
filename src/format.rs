//! Number and date formatting shared by every view.

/// `2026-11-22T10:03:04.123Z` → `2026-11-22 10:03 UTC`; anything else is shown as given.
pub fn timestamp(rfc3339: &str) -> String {
    let bytes = rfc3339.as_bytes();
    let shaped = rfc3339.is_ascii()
        && bytes.len() >= 17
        && bytes[10] == b'T'
        && bytes[13] == b':'
        && rfc3339.ends_with('Z');
    if shaped {
        format!("{} {} UTC", &rfc3339[..10], &rfc3339[11..16])
    } else {
        rfc3339.to_owned()
    }
}

/// `1` → `1 project`, `3` → `3 projects`.
pub fn count(n: u64, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_show_date_and_minutes_in_utc() {
        assert_eq!(
            timestamp("2026-11-22T10:03:04.123Z"),
            "2026-11-22 10:03 UTC"
        );
    }

    #[test]
    fn unexpected_timestamps_are_shown_unchanged() {
        assert_eq!(timestamp("yesterday"), "yesterday");
        assert_eq!(
            timestamp("2026-11-22T10:03:04+02:00"),
            "2026-11-22T10:03:04+02:00"
        );
        assert_eq!(timestamp(""), "");
        assert_eq!(
            timestamp("2026-11-22T10:\u{20ac}4.123Z"),
            "2026-11-22T10:\u{20ac}4.123Z"
        );
    }

    #[test]
    fn counts_pick_singular_or_plural() {
        assert_eq!(count(1, "project", "projects"), "1 project");
        assert_eq!(count(0, "project", "projects"), "0 projects");
        assert_eq!(count(12, "project", "projects"), "12 projects");
    }
}
