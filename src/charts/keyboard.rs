//! Keyboard use of a line chart: the arrow keys move the read-out cursor, `+` zooms in
//! around it, `-`, `0` or Escape resets the zoom. Pure, so tested natively.

/// What a key does to a focused line chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ChartKey {
    /// Move the cursor by this fraction of the chart's width.
    Move(f64),
    ZoomIn,
    Reset,
}

/// The action of `key` (a `KeyboardEvent.key`), if any; Shift makes moves ten times larger.
pub fn chart_key(key: &str, shift: bool) -> Option<ChartKey> {
    let step = if shift { 0.1 } else { 0.01 };
    match key {
        "ArrowLeft" => Some(ChartKey::Move(-step)),
        "ArrowRight" => Some(ChartKey::Move(step)),
        "+" | "=" => Some(ChartKey::ZoomIn),
        "-" | "_" | "0" | "Escape" => Some(ChartKey::Reset),
        _ => None,
    }
}

/// Half of `range` centred on `centre` (kept inside `range`); `None` when the range is
/// already too narrow to halve.
pub fn zoom_in(range: (i64, i64), centre: f64) -> Option<(i64, i64)> {
    let (from, to) = range;
    let span = to - from;
    if span < 4 {
        return None;
    }
    let half = span / 2;
    let start = (centre - half as f64 / 2.0).round() as i64;
    let start = start.clamp(from, to - half);
    Some((start, start + half))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_moves_zooms_and_resets() {
        assert_eq!(chart_key("ArrowRight", false), Some(ChartKey::Move(0.01)));
        assert_eq!(chart_key("ArrowLeft", true), Some(ChartKey::Move(-0.1)));
        assert_eq!(chart_key("+", false), Some(ChartKey::ZoomIn));
        assert_eq!(chart_key("Escape", false), Some(ChartKey::Reset));
        assert_eq!(chart_key("a", false), None);
    }

    #[test]
    fn zooming_halves_the_range_around_the_cursor_and_stays_inside() {
        assert_eq!(zoom_in((0, 1000), 500.0), Some((250, 750)));
        assert_eq!(
            zoom_in((0, 1000), 10.0),
            Some((0, 500)),
            "clamped at the start"
        );
        assert_eq!(
            zoom_in((0, 1000), 990.0),
            Some((500, 1000)),
            "clamped at the end"
        );
        assert_eq!(zoom_in((100, 102), 101.0), None);
    }
}
