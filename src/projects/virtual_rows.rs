//! Which rows of a long table to render: those in the scrolled viewport plus a margin,
//! so a table of 10,000 experiments keeps a few dozen rows in the DOM.

use std::ops::Range;

/// CSS pixels of one experiments-table row (fixed in `style/main.css`).
pub const ROW_HEIGHT: f64 = 41.0;
/// Rows rendered beyond each edge of the viewport, so fast scrolling shows no blank.
pub const OVERSCAN: usize = 10;

/// The rows of a `count`-row table to render when it is scrolled `scroll_top` pixels
/// down a viewport `viewport` pixels tall.
pub fn visible_rows(count: usize, scroll_top: f64, viewport: f64, row_height: f64) -> Range<usize> {
    let first = (scroll_top.max(0.0) / row_height).floor() as usize;
    let shown = (viewport.max(0.0) / row_height).ceil() as usize + 1;
    let start = first.saturating_sub(OVERSCAN).min(count);
    let end = (first + shown + OVERSCAN).min(count);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_of_a_long_table_renders_a_screenful_and_the_margin() {
        assert_eq!(visible_rows(10_000, 0.0, 410.0, 41.0), 0..21);
    }

    #[test]
    fn scrolling_moves_the_window_with_a_margin_on_both_sides() {
        let rows = visible_rows(10_000, 41.0 * 5_000.0 + 20.0, 410.0, 41.0);
        assert_eq!(rows, 4_990..5_021);
        assert!(rows.len() < 40);
    }

    #[test]
    fn the_window_never_passes_the_ends() {
        assert_eq!(visible_rows(5, 0.0, 4_000.0, 41.0), 0..5);
        assert_eq!(visible_rows(100, 1e9, 410.0, 41.0), 100..100);
        assert_eq!(visible_rows(0, 0.0, 410.0, 41.0), 0..0);
        assert_eq!(visible_rows(100, -50.0, 410.0, 41.0), 0..21);
    }
}
