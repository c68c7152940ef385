//! Projects and the experiment table of a project.

use super::{query_string, ApiClient, ApiError};
use trackboard_api::{Experiment, ExperimentValues, Page, Project, MAX_LIMIT};

impl ApiClient {
    /// `GET /projects`: the first page of projects.
    pub async fn list_projects(&self) -> Result<Page<Project>, ApiError> {
        self.get_json("/projects").await
    }

    /// `GET /projects/{id}`.
    pub async fn get_project(&self, id: i64) -> Result<Project, ApiError> {
        self.get_json(&format!("/projects/{id}")).await
    }

    /// `GET /projects/{id}/experiments`: every experiment, ordered and searched, read
    /// page after page (the server answers at most `MAX_LIMIT` per request).
    pub async fn list_experiments(
        &self,
        project_id: i64,
        order_by: &str,
        name: &str,
    ) -> Result<Page<Experiment>, ApiError> {
        let limit = MAX_LIMIT.to_string();
        let mut items = Vec::new();
        loop {
            let offset = items.len().to_string();
            let query = query_string(&[
                ("limit", &limit),
                ("offset", &offset),
                ("order_by", order_by),
                ("name", name.trim()),
            ]);
            let page: Page<Experiment> = self
                .get_json(&format!("/projects/{project_id}/experiments?{query}"))
                .await?;
            let (read, total) = (page.items.len(), page.total);
            items.extend(page.items);
            if read == 0 || items.len() as u64 >= total {
                return Ok(Page {
                    limit: u32::try_from(items.len()).unwrap_or(u32::MAX),
                    items,
                    total,
                    offset: 0,
                });
            }
        }
    }

    /// `GET /projects/{id}/values`: the VALUE logs of every experiment of a project.
    pub async fn project_values(&self, project_id: i64) -> Result<Vec<ExperimentValues>, ApiError> {
        self.get_json(&format!("/projects/{project_id}/values"))
            .await
    }
}
