//! The frame around every page.

mod config_problem;
mod header;
mod theme_toggle;

pub use config_problem::ConfigProblem;
pub use header::Header;
pub use theme_toggle::{apply_stored_theme, ThemeChoice, ThemeToggle};
