//! An MLflow experiment's tags (a project's; its note is the project's description).

use crate::storage::{Constraints, Storage, StoreError, StoreResult};

impl Storage {
    /// An MLflow experiment's tags.
    pub async fn experiment_tags(&self, project_id: i64) -> StoreResult<Vec<(String, String)>> {
        Ok(sqlx::query_as(
            "SELECT key, value FROM mlflow_experiment_tags WHERE project_id = $1 ORDER BY key",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Sets (`Some`) or deletes (`None`) an MLflow experiment's tag.
    pub async fn set_experiment_tag(
        &self,
        project_id: i64,
        key: &str,
        value: Option<&str>,
    ) -> StoreResult<()> {
        let query = match value {
            Some(value) => sqlx::query(
                "INSERT INTO mlflow_experiment_tags (project_id, key, value) VALUES ($1, $2, $3) \
                 ON CONFLICT (project_id, key) DO UPDATE SET value = excluded.value",
            )
            .bind(project_id)
            .bind(key)
            .bind(value),
            None => {
                sqlx::query("DELETE FROM mlflow_experiment_tags WHERE project_id = $1 AND key = $2")
                    .bind(project_id)
                    .bind(key)
            }
        };
        query
            .execute(&self.pool)
            .await
            .reference_means(|| StoreError::NotFound(format!("no experiment {project_id}")))?;
        Ok(())
    }
}
