//! The compare view: LINE logs of several experiments overlaid on one step grid, BAR logs
//! grouped by category, values and every TABLE and LABELMAP side by side (with only the
//! differences on demand), every confusion matrix with its difference against a
//! baseline, and the logs some experiments lack.

mod compare_charts;
mod compare_matrices;
mod compare_media;
mod compare_page;
mod compare_state;
mod compare_tables;
mod compared_logs;
mod differences;
mod image_steps;
mod matrix_grid;
mod missing_experiments;
mod partial_logs;

pub use compare_page::ComparePage;
pub use compare_state::CompareState;
pub use differences::{compared_rows, visible_rows, ComparedRow};
pub use image_steps::{image_at, image_steps, ImageSteps};
