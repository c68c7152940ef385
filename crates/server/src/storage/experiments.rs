use super::{Constraints, Storage, StoreError, StoreResult};
use crate::domain::Refusal;
use crate::domain::{ExperimentChanges, ExperimentDraft};
use crate::listing::{Ordered, PageRequest, Sortable, SqlOrder};
use crate::timestamp;
use sqlx::FromRow;
use trackboard_api::{Experiment, ExperimentStatus, JobStatus};

const COLUMNS: &str = "id, project_id, name, description, status, base_experiment_id, \
     base_model_version_id, job_status, created_at, updated_at";

#[derive(FromRow)]
struct ExperimentRow {
    id: i64,
    project_id: i64,
    name: String,
    description: String,
    status: String,
    base_experiment_id: Option<i64>,
    base_model_version_id: Option<i64>,
    job_status: String,
    created_at: String,
    updated_at: String,
}

impl TryFrom<ExperimentRow> for Experiment {
    type Error = StoreError;

    fn try_from(row: ExperimentRow) -> StoreResult<Self> {
        let status = ExperimentStatus::parse(&row.status).ok_or_else(|| {
            sqlx::Error::Decode(
                format!(
                    "unknown experiment status {:?} in row {}",
                    row.status, row.id
                )
                .into(),
            )
        })?;
        Ok(Experiment {
            id: row.id,
            project_id: row.project_id,
            name: row.name,
            description: row.description,
            status,
            base_experiment_id: row.base_experiment_id,
            base_model_version_id: row.base_model_version_id,
            job_status: JobStatus::parse(&row.job_status).ok_or_else(|| {
                sqlx::Error::Decode(
                    format!("unknown job status {:?} in row {}", row.job_status, row.id).into(),
                )
            })?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// What an experiment list asks for: a page, an order and an optional name search.
#[derive(Clone, Debug)]
pub struct ExperimentListQuery {
    pub page: PageRequest,
    pub order: SqlOrder,
    /// Case-insensitive substring of the name.
    pub name_contains: Option<String>,
}

/// `text` as a LIKE pattern matching it anywhere, with `%`, `_` and `\` taken literally.
fn contains_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{}%", escaped.to_lowercase())
}

/// What `GET /projects/{id}/experiments?order_by=` accepts.
impl Ordered for Experiment {
    const ORDER: Sortable = Sortable {
        columns: &[
            ("name", "name"),
            ("created", "created_at"),
            ("updated", "updated_at"),
            ("status", "status"),
        ],
        default: "-created",
        tie: "id",
    };
}

fn name_taken(name: &str) -> String {
    format!("this project already has an experiment named {name:?}")
}

/// A base experiment or model version deleted between the check and the write.
fn base_vanished() -> StoreError {
    Refusal::invalid(
        "base_experiment_id",
        "the base experiment or base model version no longer exists",
    )
    .into()
}

impl Storage {
    /// One page of a project's experiments and the total matching the search.
    pub async fn list_experiments(
        &self,
        project_id: i64,
        query: &ExperimentListQuery,
    ) -> StoreResult<(Vec<Experiment>, u64)> {
        let pattern = contains_pattern(query.name_contains.as_deref().unwrap_or(""));
        // Without a search, no LIKE: it lowered every name of the project twice a page.
        // `$2` stays (always true) so the placeholders after it keep their numbers.
        let filter = if pattern == "%%" {
            "project_id = $1 AND $2 = '%%'"
        } else {
            "project_id = $1 AND LOWER(name) LIKE $2 ESCAPE '\\'"
        };
        let rows: Vec<ExperimentRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM experiments WHERE {filter} ORDER BY {} LIMIT $3 OFFSET $4",
            query.order.as_sql()
        ))
        .bind(project_id)
        .bind(&pattern)
        .bind(i64::from(query.page.limit))
        .bind(query.page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        let total: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM experiments WHERE {filter}"))
                .bind(project_id)
                .bind(&pattern)
                .fetch_one(&self.pool)
                .await?;
        let items = rows
            .into_iter()
            .map(Experiment::try_from)
            .collect::<StoreResult<_>>()?;
        Ok((items, total as u64))
    }

    /// Every experiment of a project, oldest first (MLflow's run search filters them).
    pub async fn all_experiments(&self, project_id: i64) -> StoreResult<Vec<Experiment>> {
        let rows: Vec<ExperimentRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM experiments WHERE project_id = $1 ORDER BY id"
        ))
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Experiment::try_from).collect()
    }

    /// The experiments of `ids`, in that order (a search's page); ids gone meanwhile
    /// are left out.
    pub async fn experiments_in_order(&self, ids: &[i64]) -> StoreResult<Vec<Experiment>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM experiments WHERE id IN ({})",
            super::id_list(ids)
        );
        let mut rows: std::collections::HashMap<i64, ExperimentRow> =
            sqlx::query_as::<_, ExperimentRow>(&sql)
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .map(|row| (row.id, row))
                .collect();
        ids.iter()
            .filter_map(|id| rows.remove(id))
            .map(Experiment::try_from)
            .collect()
    }

    /// The experiment with this id, if any.
    pub async fn get_experiment(&self, id: i64) -> StoreResult<Option<Experiment>> {
        let row: Option<ExperimentRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM experiments WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(Experiment::try_from).transpose()
    }

    /// Creates an experiment in a project. A taken name is a conflict on `name`; a base
    /// that vanished meanwhile is refused on `base_experiment_id`.
    pub async fn create_experiment(
        &self,
        project_id: i64,
        draft: &ExperimentDraft,
    ) -> StoreResult<Experiment> {
        let row: ExperimentRow = sqlx::query_as(&format!(
            "INSERT INTO experiments (project_id, name, description, status, base_experiment_id, base_model_version_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $7, $6, $6) RETURNING {COLUMNS}"
        ))
        .bind(project_id)
        .bind(&draft.name)
        .bind(&draft.description)
        .bind(draft.status.as_str())
        .bind(draft.base_experiment_id)
        .bind(timestamp::now())
        .bind(draft.base_model_version_id)
        .fetch_one(&self.pool)
        .await
        .unique_means("name", || name_taken(&draft.name))
        .reference_means(base_vanished)?;
        row.try_into()
    }

    /// Applies `changes`; `None` when there is no such experiment.
    pub async fn update_experiment(
        &self,
        id: i64,
        changes: &ExperimentChanges,
    ) -> StoreResult<Option<Experiment>> {
        let row: Option<ExperimentRow> = sqlx::query_as(&format!(
            "UPDATE experiments SET name = COALESCE($1, name), description = COALESCE($2, description), \
             status = COALESCE($3, status), \
             base_experiment_id = CASE WHEN $4 THEN $5 ELSE base_experiment_id END, \
             base_model_version_id = CASE WHEN $8 THEN $9 ELSE base_model_version_id END, \
             updated_at = $6 WHERE id = $7 RETURNING {COLUMNS}"
        ))
        .bind(&changes.name)
        .bind(&changes.description)
        .bind(changes.status.map(ExperimentStatus::as_str))
        .bind(changes.base_experiment_id.is_some())
        .bind(changes.base_experiment_id.flatten())
        .bind(timestamp::now())
        .bind(id)
        .bind(changes.base_model_version_id.is_some())
        .bind(changes.base_model_version_id.flatten())
        .fetch_optional(&self.pool)
        .await
        .unique_means("name", || name_taken(changes.name.as_deref().unwrap_or_default()))
        .reference_means(base_vanished)?;
        row.map(Experiment::try_from).transpose()
    }

    /// Deletes an experiment (experiments based on it are unlinked); whether it existed.
    pub async fn delete_experiment(&self, id: i64) -> StoreResult<bool> {
        let result = sqlx::query("DELETE FROM experiments WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_patterns_take_wildcards_literally() {
        assert_eq!(contains_pattern("Lr_0.1%"), "%lr\\_0.1\\%%");
        assert_eq!(contains_pattern(""), "%%");
        assert_eq!(contains_pattern("a\\b"), "%a\\\\b%");
    }
}
