//! The read window of a chart: which steps it shows and how many pixel columns wide.

/// Steps `from..=to` drawn across `width` pixel columns: what an M4 reduction reduces
/// to, and what a snapshot's tile level is chosen for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Window {
    pub from: i64,
    pub to: i64,
    pub width: u32,
}

impl Window {
    pub const fn new(from: i64, to: i64, width: u32) -> Window {
        Window { from, to, width }
    }

    /// How many steps the window holds (beyond `i64` for the widest, hence `i128`);
    /// zero or less when `to` is before `from`.
    pub fn span(&self) -> i128 {
        i128::from(self.to) - i128::from(self.from) + 1
    }
}
