//! The projects feature: the list of projects and a project's experiments.

mod experiment_table;
mod project_list;
mod project_page;
mod projects_page;

pub use experiment_table::{with_status, ExperimentTable};
pub use project_list::ProjectList;
pub use project_page::ProjectPage;
pub use projects_page::ProjectsPage;
