//! Each metric value as MLflow logged it: the chart's LINE series keeps one value per
//! step, and `mlflow_metric_history` keeps every value in order with its timestamp, so
//! repeats and out-of-order steps come back as they were sent.

use crate::domain::mlflow::MetricPoint;
use crate::domain::{LineBatch, SeriesBatch};
use crate::storage::logs::{append_points, upsert_log_row};
use crate::storage::{NullableDouble, Storage, StoreResult};
use sqlx::AnyConnection;
use trackboard_api::LogType;

/// Metric history rows per INSERT (five parameters each).
const HISTORY_ROWS_PER_INSERT: usize = 1000;

impl Storage {
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
        let mut rows: Vec<(i64, i64, Option<f64>)> = sqlx::query_as(
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
                value: value.unwrap_or(f64::NAN),
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
        let rows: Vec<(String, i64, i64, Option<f64>)> = sqlx::query_as(
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
                value: value.unwrap_or(f64::NAN),
                timestamp,
                step,
            })
            .collect())
    }
}

/// Appends one metric's values: each value at a step after the series' last goes
/// into the chart's LINE series; every value, in order, into MLflow's history.
pub(super) async fn append_metric(
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
    let (mut steps, mut values, mut times) = (Vec::new(), Vec::new(), Vec::new());
    for point in points {
        if last.is_none_or(|last| point.step > last) {
            steps.push(point.step);
            // A value that is not a number is a gap in the chart (the history keeps it).
            values.push(Some(point.value).filter(|value| value.is_finite()));
            times.push(point.timestamp as f64 / 1000.0);
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
            // MLflow's timestamps are milliseconds since the Unix epoch.
            wall_times: Some(times),
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
                // NULL is NaN (SQLite would store a NaN as NULL anyway).
                .bind(NullableDouble(
                    Some(point.value).filter(|value| !value.is_nan()),
                ));
        }
        insert.execute(&mut *connection).await?;
    }
    Ok(())
}
