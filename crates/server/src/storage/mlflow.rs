//! What MLflow's tracking API stores (docs/MLFLOW.md): runs are experiments, metrics
//! LINE logs, params and tags TABLE logs; the `mlflow_*` tables keep only what those
//! cannot hold (start and end times, each metric value's timestamp and repeats, the
//! experiment tags, logged models).

use super::logs::{append_points, data_json, upsert_log_row};
use super::{Constraints, Storage, StoreError, StoreResult};
use crate::domain::mlflow::{MetricPoint, TAGS_LOG};
use crate::domain::{LineBatch, LogData, Refusal, SeriesBatch, PARAMETERS_LOG};
use crate::timestamp;
use sqlx::{AnyConnection, FromRow};
use std::collections::BTreeMap;
use trackboard_api::{ExperimentStatus, LogType, Scalar};

/// Metric history rows per INSERT (five parameters each).
const HISTORY_ROWS_PER_INSERT: usize = 1000;

/// A run's MLflow facts beside its experiment row.
#[derive(Clone, Debug, FromRow)]
pub struct RunRecord {
    pub user_id: String,
    /// Milliseconds since the Unix epoch.
    pub start_time: i64,
    pub end_time: Option<i64>,
}

/// Everything one log-batch (or log-metric, log-parameter, set-tag) writes, at once.
#[derive(Clone, Debug, Default)]
pub struct RunWrites {
    pub metrics: Vec<MetricPoint>,
    pub params: Vec<(String, String)>,
    pub tags: Vec<(String, String)>,
    pub deleted_tags: Vec<String>,
}

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

/// A TABLE log's value as MLflow's string (params and tags are strings there).
fn scalar_text(value: &Scalar) -> String {
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
            "INSERT INTO mlflow_runs (experiment_id, user_id, start_time, end_time) VALUES ($1, $2, $3, $4)",
        )
        .bind(experiment_id)
        .bind(&record.user_id)
        .bind(record.start_time)
        .bind(record.end_time)
        .execute(&mut *tx)
        .await?;
        apply_writes(&mut tx, self, experiment_id, writes).await?;
        tx.commit().await?;
        Ok(experiment_id)
    }

    /// A run's MLflow record; `None` for an experiment made outside MLflow's API.
    pub async fn run_record(&self, experiment_id: i64) -> StoreResult<Option<RunRecord>> {
        Ok(sqlx::query_as(
            "SELECT user_id, start_time, end_time FROM mlflow_runs WHERE experiment_id = $1",
        )
        .bind(experiment_id)
        .fetch_optional(&self.pool)
        .await?)
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

    /// One page of a metric's history in the order logged, and whether more follow.
    /// A LINE logged natively (no MLflow history) answers its points, timestamped 0.
    pub async fn metric_history(
        &self,
        experiment_id: i64,
        key: &str,
        offset: u64,
        limit: u64,
    ) -> StoreResult<(Vec<MetricPoint>, bool)> {
        let Some(series_id) = self.metric_series(experiment_id, key).await? else {
            return Ok((Vec::new(), false));
        };
        let mut rows: Vec<(i64, i64, f64)> = sqlx::query_as(
            "SELECT step, timestamp, value FROM mlflow_metric_history WHERE series_id = $1 \
             ORDER BY seq LIMIT $2 OFFSET $3",
        )
        .bind(series_id)
        .bind((limit + 1) as i64)
        .bind(offset as i64)
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() && offset == 0 {
            let has_history: Option<i64> = sqlx::query_scalar(
                "SELECT seq FROM mlflow_metric_history WHERE series_id = $1 LIMIT 1",
            )
            .bind(series_id)
            .fetch_optional(&self.pool)
            .await?;
            if has_history.is_none() {
                rows = sqlx::query_as(
                    "SELECT step, CAST(0 AS BIGINT), value FROM line_points WHERE series_id = $1 AND value IS NOT NULL \
                     ORDER BY step LIMIT $2 OFFSET $3",
                )
                .bind(series_id)
                .bind((limit + 1) as i64)
                .bind(offset as i64)
                .fetch_all(&self.pool)
                .await?;
            }
        }
        let more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let points = rows
            .into_iter()
            .map(|(step, timestamp, value)| MetricPoint {
                key: key.to_owned(),
                value,
                timestamp,
                step,
            })
            .collect();
        Ok((points, more))
    }

    /// The series a metric key is stored in: the LINE log `key`'s series `key`.
    async fn metric_series(&self, experiment_id: i64, key: &str) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT s.id FROM line_series s JOIN logs l ON l.id = s.log_id \
             WHERE l.experiment_id = $1 AND l.name = $2 AND l.type = 'LINE' AND s.name = $2",
        )
        .bind(experiment_id)
        .bind(key)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Each metric's latest value as MLflow defines it: the highest step, then the
    /// latest timestamp, then the last logged.
    pub async fn latest_metrics(&self, experiment_id: i64) -> StoreResult<Vec<MetricPoint>> {
        let rows: Vec<(String, i64, i64, f64)> = sqlx::query_as(
            "SELECT l.name, h.step, h.timestamp, h.value FROM logs l \
             JOIN line_series s ON s.log_id = l.id AND s.name = l.name \
             JOIN mlflow_metric_history h ON h.series_id = s.id \
             WHERE l.experiment_id = $1 AND l.type = 'LINE' \
             AND h.seq = (SELECT h2.seq FROM mlflow_metric_history h2 WHERE h2.series_id = s.id \
                          ORDER BY h2.step DESC, h2.timestamp DESC, h2.seq DESC LIMIT 1) \
             ORDER BY l.name",
        )
        .bind(experiment_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(key, step, timestamp, value)| MetricPoint {
                key,
                value,
                timestamp,
                step,
            })
            .collect())
    }

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

/// Appends one metric's values: each value at a step after the series' last goes
/// into the chart's LINE series; every value, in order, into MLflow's history.
async fn append_metric(
    connection: &mut AnyConnection,
    storage: &Storage,
    experiment_id: i64,
    key: &str,
    points: &[&MetricPoint],
) -> StoreResult<()> {
    let written = upsert_log_row(connection, experiment_id, key, LogType::Line, None, None).await?;
    let stored: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, last_step FROM line_series WHERE log_id = $1 AND name = $2")
            .bind(written.log_id)
            .bind(key)
            .fetch_optional(&mut *connection)
            .await?;
    let mut last = stored.and_then(|(_, last)| last);
    let (mut steps, mut values) = (Vec::new(), Vec::new());
    for point in points {
        if last.is_none_or(|last| point.step > last) {
            steps.push(point.step);
            values.push(Some(point.value));
            last = Some(point.step);
        }
    }
    if !steps.is_empty() {
        let batch = LineBatch {
            series: vec![SeriesBatch {
                name: key.to_owned(),
                steps_field: "metrics".to_owned(),
                steps: Some(steps),
                values,
            }],
        };
        append_points(connection, storage.backend(), written.log_id, &batch).await?;
    }
    let series_id: i64 = match stored {
        Some((id, _)) => id,
        None => {
            sqlx::query_scalar("SELECT id FROM line_series WHERE log_id = $1 AND name = $2")
                .bind(written.log_id)
                .bind(key)
                .fetch_one(&mut *connection)
                .await?
        }
    };
    let next: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(seq) + 1, 0) FROM mlflow_metric_history WHERE series_id = $1",
    )
    .bind(series_id)
    .fetch_one(&mut *connection)
    .await?;
    for (chunk_index, chunk) in points.chunks(HISTORY_ROWS_PER_INSERT).enumerate() {
        let sql = format!(
            "INSERT INTO mlflow_metric_history (series_id, seq, step, timestamp, value) VALUES {}",
            storage.backend().values_list(chunk.len(), 5)
        );
        let mut insert = sqlx::query(&sql);
        for (index, point) in chunk.iter().enumerate() {
            let seq = next + (chunk_index * HISTORY_ROWS_PER_INSERT + index) as i64;
            insert = insert
                .bind(series_id)
                .bind(seq)
                .bind(point.step)
                .bind(point.timestamp)
                .bind(point.value);
        }
        insert.execute(&mut *connection).await?;
    }
    Ok(())
}
