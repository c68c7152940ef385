//! The projects feature: the list of projects and a project's experiments.

mod cells;
mod experiment_table;
mod grouped_lines;
mod grouped_model;
mod parallel_coords;
mod parallel_model;
mod project_list;
mod project_page;
mod projects_page;
mod results_export;
mod sweep_columns;
mod sweep_scatter;
mod table_sort;
mod virtual_rows;

pub use cells::Cells;
pub use experiment_table::{with_status, ExperimentTable};
pub use grouped_lines::GroupedLines;
pub use grouped_model::group_fields;
pub use parallel_coords::ParallelCoordinates;
pub use project_list::ProjectList;
pub use project_page::ProjectPage;
pub use projects_page::ProjectsPage;
pub use results_export::ResultsExport;
pub use sweep_scatter::SweepScatter;
pub use table_sort::{sort_experiments, SortColumn, SortContext, TableSort};
pub use virtual_rows::{visible_rows, OVERSCAN, ROW_HEIGHT};

/// A project's VALUE logs and parameters, run by run: loaded once, shared by the table
/// and the sweep views without copying (a sweep of 10,000 runs holds 300,000 values).
pub type SweepValues = std::sync::Arc<Vec<trackboard_api::ExperimentValues>>;
