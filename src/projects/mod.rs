//! The projects feature: the list of projects.

mod project_list;
mod projects_page;

pub use project_list::ProjectList;
pub use projects_page::ProjectsPage;
