//! The asset browser's virtual grid: which tiles are on screen for a scroll position,
//! so thousands of assets cost only the few dozen tiles in view.

use std::ops::Range;

/// A tile's footprint in CSS pixels, caption included.
pub const TILE_WIDTH: f64 = 232.0;
pub const TILE_HEIGHT: f64 = 212.0;
/// Rows drawn beyond the visible ones, above and below, so a scroll shows no gap.
pub const OVERSCAN_ROWS: usize = 2;

/// Tiles per row in a grid `width` wide (at least one).
pub fn columns(width: f64) -> usize {
    ((width / TILE_WIDTH).floor() as usize).max(1)
}

/// The height of the whole grid of `total` tiles.
pub fn grid_height(total: usize, columns: usize) -> f64 {
    total.div_ceil(columns.max(1)) as f64 * TILE_HEIGHT
}

/// The indices of the tiles to render when the grid is scrolled `scroll_top` into a
/// viewport `viewport` high.
pub fn visible_tiles(total: usize, columns: usize, scroll_top: f64, viewport: f64) -> Range<usize> {
    let columns = columns.max(1);
    let first_row =
        ((scroll_top.max(0.0) / TILE_HEIGHT).floor() as usize).saturating_sub(OVERSCAN_ROWS);
    let last_row =
        ((scroll_top.max(0.0) + viewport.max(0.0)) / TILE_HEIGHT).ceil() as usize + OVERSCAN_ROWS;
    let start = (first_row * columns).min(total);
    let end = (last_row * columns).min(total);
    start..end
}

/// Where tile `index` sits: `(left, top)` in CSS pixels.
pub fn tile_position(index: usize, columns: usize) -> (f64, f64) {
    let columns = columns.max(1);
    (
        (index % columns) as f64 * TILE_WIDTH,
        (index / columns) as f64 * TILE_HEIGHT,
    )
}

/// The pages of `page_size` items that hold `tiles`.
pub fn pages_of(tiles: &Range<usize>, page_size: usize) -> Range<usize> {
    if tiles.is_empty() {
        return 0..0;
    }
    tiles.start / page_size..(tiles.end - 1) / page_size + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_rows_in_view_and_their_neighbours_are_rendered() {
        let columns = columns(1000.0);
        assert_eq!(columns, 4);
        let first = visible_tiles(10_000, columns, 0.0, 800.0);
        assert_eq!(first, 0..(4 + OVERSCAN_ROWS) * 4);
        let deep = visible_tiles(10_000, columns, TILE_HEIGHT * 1000.0, 800.0);
        assert_eq!(deep.start, (1000 - OVERSCAN_ROWS) * 4);
        assert!(deep.len() <= (4 + 2 * OVERSCAN_ROWS + 1) * 4);
        assert_eq!(visible_tiles(3, columns, 0.0, 800.0), 0..3);
        assert_eq!(visible_tiles(0, columns, 500.0, 800.0), 0..0);
        assert_eq!(grid_height(10_000, 4), 2_500.0 * TILE_HEIGHT);
        assert_eq!(tile_position(5, 4), (TILE_WIDTH, TILE_HEIGHT));
        assert_eq!(columns_of_narrow(), 1);
    }

    fn columns_of_narrow() -> usize {
        columns(100.0)
    }

    #[test]
    fn pages_cover_the_tiles() {
        assert_eq!(pages_of(&(0..24), 100), 0..1);
        assert_eq!(pages_of(&(95..130), 100), 0..2);
        assert_eq!(pages_of(&(200..200), 100), 0..0);
    }
}
