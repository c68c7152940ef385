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

/// `1` → `1 project`, `3` → `3 projects`, `10000` → `10,000 projects`.
/// A calendar date as `YYYY-MM-DD` (month 1 to 12), as a name suggestion reads it.
pub fn iso_date(year: u32, month: u32, day: u32) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

pub fn count(n: u64, singular: &str, plural: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { singular } else { plural })
}

/// A whole number with its thousands grouped: `1234567` → `1,234,567`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A size in bytes for people: `512 B`, `1.5 KB`, `2.3 MB`, `4.1 GB` (powers of 1,000).
pub fn bytes(size: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if size < 1_000 {
        return format!("{size} B");
    }
    let mut scaled = size as f64 / 1_000.0;
    let mut unit = 0;
    while scaled >= 1_000.0 && unit + 1 < UNITS.len() {
        scaled /= 1_000.0;
        unit += 1;
    }
    format!("{} {}", trim_zeros(&format!("{scaled:.1}")), UNITS[unit])
}

/// An axis step: integers, with `k` and `M` past ten thousand (`12.5k`, `1.2M`).
pub fn step(step: f64) -> String {
    let magnitude = step.abs();
    if magnitude >= 1e6 {
        format!("{}M", trim_zeros(&format!("{:.1}", step / 1e6)))
    } else if magnitude >= 1e4 {
        format!("{}k", trim_zeros(&format!("{:.1}", step / 1e3)))
    } else {
        format!("{}", step.round() as i64)
    }
}

/// An x-axis tick of a step axis: steps are whole numbers, so a tick between two steps
/// (plotters puts ticks at 0.5 on a range of 0–2) is left blank rather than rounded into a
/// duplicate label.
pub fn step_tick(step: f64) -> String {
    if (step - step.round()).abs() > 1e-9 {
        String::new()
    } else {
        self::step(step)
    }
}

/// A tick of a wall-time axis: the UTC time of day of `seconds` since the Unix epoch,
/// `HH:MM:SS` (`HH:MM` on the minute).
pub fn clock_tick(seconds: f64) -> String {
    if !seconds.is_finite() {
        return String::new();
    }
    let of_day = seconds.rem_euclid(86_400.0).floor() as u64;
    let (hours, minutes, secs) = (of_day / 3600, of_day / 60 % 60, of_day % 60);
    if secs == 0 {
        format!("{hours:02}:{minutes:02}")
    } else {
        format!("{hours:02}:{minutes:02}:{secs:02}")
    }
}

/// A tick of a relative-time axis: `45s`, `3m 20s`, `1h 05m` (negative with a sign).
pub fn duration_tick(seconds: f64) -> String {
    if !seconds.is_finite() {
        return String::new();
    }
    let sign = if seconds < 0.0 { "-" } else { "" };
    let whole = seconds.abs().round() as u64;
    let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60);
    match (hours, minutes) {
        (0, 0) => format!("{sign}{secs}s"),
        (0, _) => format!("{sign}{minutes}m {secs:02}s"),
        _ => format!("{sign}{hours}h {minutes:02}m"),
    }
}

/// A value with four significant digits and no trailing zeros; scientific notation for
/// the very small and the very large (`0.0001234` → `1.234e-4`).
pub fn value(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let magnitude = value.abs();
    if magnitude == 0.0 {
        return "0".to_owned();
    }
    if !(1e-3..1e6).contains(&magnitude) {
        let text = format!("{value:.3e}");
        return match text.split_once('e') {
            Some((mantissa, exponent)) => format!("{}e{exponent}", trim_zeros(mantissa)),
            None => text,
        };
    }
    let decimals = (3 - magnitude.log10().floor() as i32).clamp(0, 6) as usize;
    trim_zeros(&format!("{value:.decimals$}"))
}

/// `1.500` → `1.5`, `2.000` → `2`; integers stay as they are.
fn trim_zeros(text: &str) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn time_ticks_read_as_a_utc_clock_or_a_duration() {
        assert_eq!(clock_tick(1_700_000_000.0), "22:13:20");
        assert_eq!(clock_tick(1_699_999_980.0), "22:13");
        assert_eq!(duration_tick(45.4), "45s");
        assert_eq!(duration_tick(200.0), "3m 20s");
        assert_eq!(duration_tick(3_900.0), "1h 05m");
        assert_eq!(duration_tick(-30.0), "-30s");
        assert_eq!(clock_tick(f64::NAN), "");
    }
    use super::*;

    #[test]
    fn dates_are_zero_padded_iso() {
        assert_eq!(iso_date(2026, 12, 3), "2026-12-03");
        assert_eq!(iso_date(987, 1, 31), "0987-01-31");
    }

    #[test]
    fn sizes_use_decimal_units() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1_500), "1.5 KB");
        assert_eq!(bytes(2_000_000), "2 MB");
        assert_eq!(bytes(5 * 1024 * 1024 * 1024), "5.4 GB");
    }

    #[test]
    fn steps_are_integers_then_compact() {
        assert_eq!(step(0.0), "0");
        assert_eq!(step(4999.6), "5000");
        assert_eq!(step(12_500.0), "12.5k");
        assert_eq!(step(20_000.0), "20k");
        assert_eq!(step(1_250_000.0), "1.2M");
        assert_eq!(step(-30_000.0), "-30k");
    }

    #[test]
    fn values_keep_four_significant_digits() {
        assert_eq!(value(0.95), "0.95");
        assert_eq!(value(1.23456), "1.235");
        assert_eq!(value(1234.5678), "1235");
        assert_eq!(value(0.001234), "0.001234");
        assert_eq!(value(0.0001234), "1.234e-4");
        assert_eq!(value(12_345_678.0), "1.235e7");
        assert_eq!(value(0.0), "0");
        assert_eq!(value(-2.5), "-2.5");
        assert_eq!(value(f64::NAN), "–");
    }

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
        assert_eq!(count(10_000, "project", "projects"), "10,000 projects");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(100_000), "100,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn step_ticks_between_steps_stay_blank() {
        assert_eq!(step_tick(2.0), "2");
        assert_eq!(step_tick(0.5), "");
        assert_eq!(step_tick(15_000.0), "15k");
    }
}
