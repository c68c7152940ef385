//! The frame around every page.

mod config_problem;
mod header;

pub use config_problem::ConfigProblem;
pub use header::Header;
