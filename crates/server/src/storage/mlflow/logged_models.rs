//! MLflow 3's logged models of a run: id, name, type, status, params and tags.

use crate::storage::{Constraints, Storage, StoreError, StoreResult};
use sqlx::FromRow;
use std::collections::BTreeMap;

/// An MLflow 3 logged model.
#[derive(Clone, Debug)]
pub struct LoggedModel {
    pub id: String,
    pub experiment_id: i64,
    pub project_id: i64,
    pub name: String,
    pub model_type: String,
    pub status: String,
    pub params: BTreeMap<String, String>,
    pub tags: BTreeMap<String, String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(FromRow)]
struct LoggedModelRow {
    id: String,
    experiment_id: i64,
    project_id: i64,
    name: String,
    model_type: String,
    status: String,
    params: String,
    tags: String,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<LoggedModelRow> for LoggedModel {
    type Error = StoreError;

    fn try_from(row: LoggedModelRow) -> StoreResult<Self> {
        Ok(LoggedModel {
            params: serde_json::from_str(&row.params)?,
            tags: serde_json::from_str(&row.tags)?,
            id: row.id,
            experiment_id: row.experiment_id,
            project_id: row.project_id,
            name: row.name,
            model_type: row.model_type,
            status: row.status,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

const MODEL_COLUMNS: &str = "m.id, m.experiment_id, e.project_id, m.name, m.model_type, m.status, \
     m.params, m.tags, m.created_at, m.updated_at";

impl Storage {
    /// Records a new logged model of a run.
    pub async fn create_logged_model(&self, model: &LoggedModel) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO mlflow_logged_models (id, experiment_id, name, model_type, status, params, tags, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(&model.id)
        .bind(model.experiment_id)
        .bind(&model.name)
        .bind(&model.model_type)
        .bind(&model.status)
        .bind(serde_json::to_string(&model.params)?)
        .bind(serde_json::to_string(&model.tags)?)
        .bind(model.created_at)
        .execute(&self.pool)
        .await
        .reference_means(|| StoreError::NotFound(format!("no run for the model {}", model.id)))?;
        Ok(())
    }

    /// A logged model, if any.
    pub async fn logged_model(&self, id: &str) -> StoreResult<Option<LoggedModel>> {
        let row: Option<LoggedModelRow> = sqlx::query_as(&format!(
            "SELECT {MODEL_COLUMNS} FROM mlflow_logged_models m JOIN experiments e ON e.id = m.experiment_id WHERE m.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(LoggedModel::try_from).transpose()
    }

    /// The logged models of the runs of these projects, newest first.
    pub async fn logged_models_of(&self, project_ids: &[i64]) -> StoreResult<Vec<LoggedModel>> {
        let mut models = Vec::new();
        for project_id in project_ids {
            let rows: Vec<LoggedModelRow> = sqlx::query_as(&format!(
                "SELECT {MODEL_COLUMNS} FROM mlflow_logged_models m JOIN experiments e ON e.id = m.experiment_id \
                 WHERE e.project_id = $1"
            ))
            .bind(project_id)
            .fetch_all(&self.pool)
            .await?;
            for row in rows {
                models.push(LoggedModel::try_from(row)?);
            }
        }
        models.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        Ok(models)
    }

    /// Rewrites a logged model's status, params and tags (read and changed by the
    /// caller); whether it existed.
    pub async fn update_logged_model(&self, model: &LoggedModel) -> StoreResult<bool> {
        let result = sqlx::query(
            "UPDATE mlflow_logged_models SET status = $1, params = $2, tags = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(&model.status)
        .bind(serde_json::to_string(&model.params)?)
        .bind(serde_json::to_string(&model.tags)?)
        .bind(model.updated_at)
        .bind(&model.id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() > 0)
    }

    /// Deletes a logged model's record; whether it existed.
    pub async fn delete_logged_model(&self, id: &str) -> StoreResult<bool> {
        let result = sqlx::query("DELETE FROM mlflow_logged_models WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() > 0)
    }
}
