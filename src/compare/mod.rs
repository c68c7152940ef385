//! The compare view: one LINE log of several experiments overlaid on one step grid,
//! their values and parameters side by side, and their confusion matrices.

mod compare_page;
mod compare_state;
mod differences;

pub use compare_page::ComparePage;
pub use compare_state::CompareState;
pub use differences::{compared_rows, visible_rows, ComparedRow};
