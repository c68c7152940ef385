//! A run's MLflow record (user, start and end times) beside its experiment row, and
//! everything one log call writes to a run: params and tags as TABLE logs, metrics
//! through `metric_history.rs`, all in one transaction.

use super::metric_history::append_metric;
use crate::domain::mlflow::{MetricPoint, TAGS_LOG};
use crate::domain::{LogData, Refusal, PARAMETERS_LOG};
use crate::storage::logs::{data_json, upsert_log_row};
use crate::storage::{Constraints, Storage, StoreError, StoreResult};
use crate::timestamp;
use sqlx::{AnyConnection, FromRow};
use std::collections::BTreeMap;
use trackboard_api::{ExperimentStatus, LogType, Scalar};

/// A run's MLflow facts beside its experiment row.
#[derive(Clone, Debug, FromRow)]
pub struct RunRecord {
    pub user_id: String,
    /// Milliseconds since the Unix epoch.
    pub start_time: i64,
    pub end_time: Option<i64>,
    /// The run id an imported run kept from its MLflow store; `None`: derived from the
    /// experiment id.
    pub run_uuid: Option<String>,
}

/// Everything one log-batch (or log-metric, log-parameter, set-tag) writes, at once.
#[derive(Clone, Debug, Default)]
pub struct RunWrites {
    pub metrics: Vec<MetricPoint>,
    pub params: Vec<(String, String)>,
    pub tags: Vec<(String, String)>,
    pub deleted_tags: Vec<String>,
}

/// A TABLE log's value as MLflow's string (params and tags are strings there).
pub(super) fn scalar_text(value: &Scalar) -> String {
    match value {
        Scalar::Text(text) => text.clone(),
        Scalar::Number(number) => number.to_string(),
        Scalar::Bool(flag) => flag.to_string(),
    }
}
impl Storage {
    /// Creates a run's experiment (named `wanted`, or `wanted (2)`… when runs hold
    /// that name) and its MLflow record, with its first tags. Answers the experiment id.
    pub async fn create_run(
        &self,
        project_id: i64,
        wanted: &str,
        record: &RunRecord,
        writes: &RunWrites,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let taken: Vec<String> =
            sqlx::query_scalar("SELECT name FROM experiments WHERE project_id = $1")
                .bind(project_id)
                .fetch_all(&mut *tx)
                .await?;
        let name = crate::domain::mlflow::free_run_name(wanted, &taken);
        let now = timestamp::now();
        let experiment_id: i64 = sqlx::query_scalar(
            "INSERT INTO experiments (project_id, name, description, status, created_at, updated_at) \
             VALUES ($1, $2, '', $3, $4, $4) RETURNING id",
        )
        .bind(project_id)
        .bind(&name)
        .bind(ExperimentStatus::Running.as_str())
        .bind(&now)
        .fetch_one(&mut *tx)
        .await
        .reference_means(|| StoreError::NotFound(format!("no experiment with id {project_id}")))?;
        sqlx::query(
            "INSERT INTO mlflow_runs (experiment_id, user_id, start_time, end_time, run_uuid) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(experiment_id)
        .bind(&record.user_id)
        .bind(record.start_time)
        .bind(record.end_time)
        .bind(&record.run_uuid)
        .execute(&mut *tx)
        .await
        .unique_means("run_id", || {
            format!(
                "a run with id {:?} exists already",
                record.run_uuid.as_deref().unwrap_or_default()
            )
        })?;
        apply_writes(&mut tx, self, experiment_id, writes).await?;
        tx.commit().await?;
        Ok(experiment_id)
    }

    /// A run's MLflow record; `None` for an experiment made outside MLflow's API.
    pub async fn run_record(&self, experiment_id: i64) -> StoreResult<Option<RunRecord>> {
        Ok(sqlx::query_as(
            "SELECT user_id, start_time, end_time, run_uuid FROM mlflow_runs WHERE experiment_id = $1",
        )
        .bind(experiment_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The experiment of an imported run's kept run id, if one holds it.
    pub async fn experiment_of_run_uuid(&self, run_uuid: &str) -> StoreResult<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT experiment_id FROM mlflow_runs WHERE run_uuid = $1")
                .bind(run_uuid)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Sets a run's end time (creating its record for an experiment made natively,
    /// which started at `start_time`).
    pub async fn set_run_end(
        &self,
        experiment_id: i64,
        start_time: i64,
        end_time: Option<i64>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO mlflow_runs (experiment_id, start_time, end_time) VALUES ($1, $2, $3) \
             ON CONFLICT (experiment_id) DO UPDATE SET end_time = excluded.end_time",
        )
        .bind(experiment_id)
        .bind(start_time)
        .bind(end_time)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Applies metrics, params and tags in one transaction: all or nothing. A param
    /// already logged with another value is refused (MLflow's params are immutable).
    pub async fn write_run(&self, experiment_id: i64, writes: &RunWrites) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        apply_writes(&mut tx, self, experiment_id, writes).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A TABLE log's entries as strings (a run's params or tags); empty when absent.
    pub async fn table_entries(
        &self,
        experiment_id: i64,
        name: &str,
    ) -> StoreResult<BTreeMap<String, String>> {
        table_of(&mut *self.pool.acquire().await?, experiment_id, name).await
    }
}

async fn table_of(
    connection: &mut AnyConnection,
    experiment_id: i64,
    name: &str,
) -> StoreResult<BTreeMap<String, String>> {
    let data: Option<Option<String>> = sqlx::query_scalar(
        "SELECT data FROM logs WHERE experiment_id = $1 AND name = $2 AND type = 'TABLE'",
    )
    .bind(experiment_id)
    .bind(name)
    .fetch_optional(&mut *connection)
    .await?;
    let Some(Some(json)) = data else {
        return Ok(BTreeMap::new());
    };
    let table: BTreeMap<String, Scalar> = serde_json::from_str(&json)?;
    Ok(table
        .iter()
        .map(|(key, value)| (key.clone(), scalar_text(value)))
        .collect())
}

/// Writes a TABLE log's entries (as strings, exactly as MLflow sent them).
async fn write_table(
    connection: &mut AnyConnection,
    experiment_id: i64,
    name: &str,
    entries: &BTreeMap<String, String>,
) -> StoreResult<()> {
    let table = entries
        .iter()
        .map(|(key, value)| (key.clone(), Scalar::Text(value.clone())))
        .collect();
    let json = data_json(&LogData::Table(table))?;
    upsert_log_row(connection, experiment_id, name, LogType::Table, json, None).await?;
    Ok(())
}

async fn apply_writes(
    connection: &mut AnyConnection,
    storage: &Storage,
    experiment_id: i64,
    writes: &RunWrites,
) -> StoreResult<()> {
    if !writes.params.is_empty() {
        let mut params = table_of(connection, experiment_id, PARAMETERS_LOG).await?;
        for (index, (key, value)) in writes.params.iter().enumerate() {
            match params.get(key) {
                Some(stored) if stored != value => {
                    return Err(Refusal::invalid(
                        format!("params[{index}]"),
                        format!(
                            "param {key:?} was already logged with the value {stored:?}, not {value:?}; params cannot change"
                        ),
                    )
                    .into())
                }
                _ => {
                    params.insert(key.clone(), value.clone());
                }
            }
        }
        write_table(connection, experiment_id, PARAMETERS_LOG, &params).await?;
    }
    if !writes.tags.is_empty() || !writes.deleted_tags.is_empty() {
        let mut tags = table_of(connection, experiment_id, TAGS_LOG).await?;
        for key in &writes.deleted_tags {
            tags.remove(key);
        }
        for (key, value) in &writes.tags {
            tags.insert(key.clone(), value.clone());
        }
        write_table(connection, experiment_id, TAGS_LOG, &tags).await?;
    }
    let mut by_key: BTreeMap<&str, Vec<&MetricPoint>> = BTreeMap::new();
    for point in &writes.metrics {
        by_key.entry(point.key.as_str()).or_default().push(point);
    }
    for (key, points) in by_key {
        append_metric(connection, storage, experiment_id, key, &points).await?;
    }
    Ok(())
}
