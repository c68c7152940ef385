//! Projects and the experiment table of a project.

use super::{query_string, ApiClient};
use crate::error::AppError;
use trackboard_api::{Experiment, ExperimentValues, LineGroups, Page, Project};

impl ApiClient {
    /// `GET /projects`: every project, by name (page after page).
    pub async fn list_projects(&self) -> Result<Page<Project>, AppError> {
        self.list_all("/projects", &[]).await
    }

    /// Where a script creates a project (`POST /projects`), as a command-line URL.
    pub fn projects_url(&self) -> String {
        format!("{}/projects", self.api_root())
    }

    /// Where a script creates an experiment of a project, as a command-line URL.
    pub fn experiments_url(&self, project_id: i64) -> String {
        format!("{}/projects/{project_id}/experiments", self.api_root())
    }

    /// `GET /projects/{id}`.
    pub async fn get_project(&self, id: i64) -> Result<Project, AppError> {
        self.get_json(&format!("/projects/{id}")).await
    }

    /// `GET /projects/{id}/experiments`: every experiment, ordered, searched by name
    /// and filtered by the search grammar (`filter`, empty for none), read page after
    /// page (the server answers at most `MAX_LIMIT` per request).
    pub async fn list_experiments(
        &self,
        project_id: i64,
        order_by: &str,
        name: &str,
        filter: &str,
    ) -> Result<Page<Experiment>, AppError> {
        self.list_all(
            &format!("/projects/{project_id}/experiments"),
            &[
                ("order_by", order_by),
                ("name", name.trim()),
                ("filter", filter.trim()),
            ],
        )
        .await
    }

    /// `GET /projects/{id}/results.csv`: a row per experiment, every VALUE log and
    /// parameter a column (the server streams it; numbers exact).
    pub async fn results_csv(&self, project_id: i64) -> Result<Vec<u8>, AppError> {
        let (bytes, _) = self
            .get_bytes(&format!("/projects/{project_id}/results.csv"))
            .await?;
        Ok(bytes)
    }

    /// `GET /projects/{id}/values`: the VALUE logs of every experiment of a project.
    pub async fn project_values(&self, project_id: i64) -> Result<Vec<ExperimentValues>, AppError> {
        self.get_json(&format!("/projects/{project_id}/values"))
            .await
    }

    /// `GET /projects/{id}/line-groups`: the LINE log `log` (empty: the project's first)
    /// of the runs `filter` keeps, grouped by `group_by`, as bands `width` columns wide.
    pub async fn line_groups(
        &self,
        project_id: i64,
        group_by: &str,
        log: &str,
        filter: &str,
        width: u32,
    ) -> Result<LineGroups, AppError> {
        let width = width.to_string();
        let query = query_string(&[
            ("group_by", group_by),
            ("log", log),
            ("filter", filter.trim()),
            ("width", &width),
        ]);
        self.get_json(&format!("/projects/{project_id}/line-groups?{query}"))
            .await
    }
}
