//! Logs: rows of `logs`, with LINE series and IMAGE entries assembled into [`Log`]s.

use super::{idempotency, Backend, NullableDouble, Storage, StoreError, StoreResult};
use crate::domain::PARAMETERS_LOG;
use crate::domain::{appended_steps, plan_write, LineBatch, LogData, Once, Refusal, WritePlan};
use crate::listing::{Ordered, PageRequest, Sortable, SqlOrder};
use crate::timestamp;
use sqlx::{AnyConnection, FromRow};
use trackboard_api::{
    ChartScope, ImageGallery, LineSeriesSummary, LineSummary, Log, LogContent, LogType, LoggedImage,
};

const COLUMNS: &str = "id, experiment_id, name, type, data, scope, created_at, updated_at";
/// Rows per multi-row INSERT of points: 3 parameters each, under SQLite's 32,766 and
/// Postgres's 65,535.
const POINTS_PER_INSERT: usize = 10_000;

#[derive(FromRow)]
struct LogRow {
    id: i64,
    experiment_id: i64,
    name: String,
    #[sqlx(rename = "type")]
    log_type: String,
    data: Option<String>,
    scope: Option<String>,
    created_at: String,
    updated_at: String,
}

/// A series' stored figures.
#[derive(Clone, Debug, FromRow)]
pub struct SeriesRow {
    pub id: i64,
    pub name: String,
    pub points: i64,
    pub first_step: Option<i64>,
    pub last_step: Option<i64>,
    pub last_value: Option<f64>,
    /// 1 when the series' points are also in `line_blocks` (every series made since
    /// that table exists), 0 for an older series until its first reduced read.
    pub blocked: i64,
}

#[derive(FromRow)]
struct ImageRow {
    id: i64,
    caption: String,
    step: Option<i64>,
    content_type: String,
    size: i64,
    created_at: String,
}

/// What a log list asks for.
#[derive(Clone, Debug)]
pub struct LogListQuery {
    pub page: PageRequest,
    pub order: SqlOrder,
    pub log_type: Option<LogType>,
}

fn decode_error(message: String) -> sqlx::Error {
    sqlx::Error::Decode(message.into())
}

/// The JSON kept in `logs.data` for data types; `None` for LINE.
pub(super) fn data_json(data: &LogData) -> StoreResult<Option<String>> {
    let json = match data {
        LogData::Value(value) => serde_json::to_string(value),
        LogData::Bar(bar) => serde_json::to_string(bar),
        LogData::Table(table) => serde_json::to_string(table),
        LogData::Heatmap(heatmap) => serde_json::to_string(heatmap),
        LogData::Labelmap(labels) => serde_json::to_string(labels),
        LogData::Evaluation(metrics) => serde_json::to_string(metrics),
        LogData::Line(_) => return Ok(None),
    };
    Ok(Some(json?))
}

/// What `GET /experiments/{id}/logs?order_by=` accepts.
impl Ordered for Log {
    const ORDER: Sortable = Sortable {
        columns: &[
            ("name", "name"),
            ("created", "created_at"),
            ("updated", "updated_at"),
            ("type", "type"),
        ],
        default: "name",
        tie: "id",
    };
}

impl Storage {
    /// The log of an experiment with this name, assembled.
    pub async fn get_log(&self, experiment_id: i64, name: &str) -> StoreResult<Option<Log>> {
        let mut connection = self.pool.acquire().await?;
        let row: Option<LogRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM logs WHERE experiment_id = $1 AND name = $2"
        ))
        .bind(experiment_id)
        .bind(name)
        .fetch_optional(&mut *connection)
        .await?;
        match row {
            Some(row) => Ok(Some(assemble(&mut connection, row).await?)),
            None => Ok(None),
        }
    }

    /// Drops the points of every series of the LINE log `name` at and after
    /// `from_step` (training resumed from a checkpoint), in one transaction. Answers the
    /// log and how many points were dropped; `None` when there is no such log.
    pub async fn rewind_line(
        &self,
        experiment_id: i64,
        name: &str,
        from_step: i64,
    ) -> StoreResult<Option<(Log, u64)>> {
        let mut tx = self.begin_write().await?;
        let found: Option<(i64, String)> =
            sqlx::query_as("SELECT id, type FROM logs WHERE experiment_id = $1 AND name = $2")
                .bind(experiment_id)
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((log_id, log_type)) = found else {
            return Ok(None);
        };
        if log_type != LogType::Line.as_str() {
            return Err(Refusal::invalid(
                "name",
                format!("the log {name:?} is a {log_type} log; only LINE logs have steps"),
            )
            .into());
        }
        let mut dropped = 0;
        for series in series_of(&mut tx, log_id).await? {
            dropped += sqlx::query("DELETE FROM line_points WHERE series_id = $1 AND step >= $2")
                .bind(series.id)
                .bind(from_step)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            super::blocks::truncate(&mut tx, series.id, from_step).await?;
            sqlx::query("DELETE FROM line_times WHERE series_id = $1 AND step >= $2")
                .bind(series.id)
                .bind(from_step)
                .execute(&mut *tx)
                .await?;
            let (points, first, last): (i64, Option<i64>, Option<i64>) = sqlx::query_as(
                "SELECT COUNT(*), MIN(step), MAX(step) FROM line_points WHERE series_id = $1",
            )
            .bind(series.id)
            .fetch_one(&mut *tx)
            .await?;
            let last_value: Option<f64> = match last {
                Some(step) => {
                    sqlx::query_scalar::<_, Option<f64>>(
                        "SELECT value FROM line_points WHERE series_id = $1 AND step = $2",
                    )
                    .bind(series.id)
                    .bind(step)
                    .fetch_one(&mut *tx)
                    .await?
                }
                None => None,
            };
            sqlx::query(
                "UPDATE line_series SET points = $1, first_step = $2, last_step = $3, last_value = $4 WHERE id = $5",
            )
            .bind(points)
            .bind(first)
            .bind(last)
            .bind(NullableDouble(last_value))
            .bind(series.id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE logs SET updated_at = $1 WHERE id = $2")
            .bind(timestamp::now())
            .bind(log_id)
            .execute(&mut *tx)
            .await?;
        let log = load_log(&mut tx, log_id).await?;
        tx.commit().await?;
        Ok(Some((log, dropped)))
    }

    /// A page of an experiment's logs and the total matching the type filter.
    pub async fn list_logs(
        &self,
        experiment_id: i64,
        query: &LogListQuery,
    ) -> StoreResult<(Vec<Log>, u64)> {
        let mut connection = self.pool.acquire().await?;
        let type_filter = query.log_type.map(LogType::as_str);
        let filter = "experiment_id = $1 AND ($2 IS NULL OR type = $2)";
        let rows: Vec<LogRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM logs WHERE {filter} ORDER BY {} LIMIT $3 OFFSET $4",
            query.order.as_sql()
        ))
        .bind(experiment_id)
        .bind(type_filter)
        .bind(i64::from(query.page.limit))
        .bind(query.page.offset as i64)
        .fetch_all(&mut *connection)
        .await?;
        let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM logs WHERE {filter}"))
            .bind(experiment_id)
            .bind(type_filter)
            .fetch_one(&mut *connection)
            .await?;
        let mut logs = Vec::with_capacity(rows.len());
        for row in rows {
            logs.push(assemble(&mut connection, row).await?);
        }
        Ok((logs, total as u64))
    }

    /// Every log of an experiment in the logs list's default order (by name), read a
    /// page at a time: what a compare view and a snapshot show of each experiment.
    pub async fn every_log(&self, experiment_id: i64) -> StoreResult<Vec<Log>> {
        let mut query = LogListQuery {
            page: PageRequest::LARGEST_FIRST,
            order: SqlOrder::default_of::<Log>(),
            log_type: None,
        };
        let mut logs = Vec::new();
        loop {
            let (page, total) = self.list_logs(experiment_id, &query).await?;
            let last = page.is_empty();
            logs.extend(page);
            if last || logs.len() as u64 >= total {
                return Ok(logs);
            }
            query.page.offset = logs.len() as u64;
        }
    }

    /// Writes `data` under `name` as [`plan_write`] decides, all in one transaction.
    /// Answers the log, whether it was created, and the object keys of images that
    /// a replacement dropped (to delete from the object store after the commit). With
    /// `once`, a write already applied under its key is answered as it was then and not
    /// applied again.
    pub async fn write_log(
        &self,
        experiment_id: i64,
        name: &str,
        data: &LogData,
        replace: Option<bool>,
        once: Option<&Once>,
    ) -> StoreResult<(Log, bool, Vec<String>)> {
        let mut tx = self.begin_write().await?;
        if let Some(once) = once {
            if let Some((created, answer)) = idempotency::remembered(&mut tx, once).await? {
                return Ok((serde_json::from_str(&answer)?, created, Vec::new()));
            }
        }
        let json = data_json(data)?;
        let written =
            upsert_log_row(&mut tx, experiment_id, name, data.log_type(), json, replace).await?;
        if let LogData::Line(batch) = data {
            append_points(&mut tx, self.backend(), written.log_id, batch).await?;
        }
        let log = load_log(&mut tx, written.log_id).await?;
        if let Some(once) = once {
            let answer = serde_json::to_string(&log)?;
            idempotency::remember(&mut tx, once, written.created, &answer).await?;
        }
        tx.commit().await?;
        Ok((log, written.created, written.dropped_objects))
    }

    /// Deletes one log; `None` when there was none, else the object keys to delete.
    /// Sets a LINE log's scope (`None` clears it); the log as it is now, or `None` when
    /// there is no log of that name. A log of another type is a 422 on `scope`.
    pub async fn set_log_scope(
        &self,
        experiment_id: i64,
        name: &str,
        scope: Option<ChartScope>,
    ) -> StoreResult<Option<Log>> {
        let mut tx = self.begin_write().await?;
        let found: Option<String> =
            sqlx::query_scalar("SELECT type FROM logs WHERE experiment_id = $1 AND name = $2")
                .bind(experiment_id)
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(log_type) = found else {
            return Ok(None);
        };
        if log_type != LogType::Line.as_str() {
            return Err(StoreError::Refused(Refusal::invalid(
                "scope",
                format!("only LINE logs have a scope; {name:?} is a {log_type} log"),
            )));
        }
        sqlx::query("UPDATE logs SET scope = $1 WHERE experiment_id = $2 AND name = $3")
            .bind(scope.map(ChartScope::as_str))
            .bind(experiment_id)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.get_log(experiment_id, name).await
    }

    pub async fn delete_log(
        &self,
        experiment_id: i64,
        name: &str,
    ) -> StoreResult<Option<Vec<String>>> {
        let mut tx = self.begin_write().await?;
        let keys: Vec<String> = sqlx::query_scalar(
            "SELECT i.object_key FROM log_images i JOIN logs l ON l.id = i.log_id \
             WHERE l.experiment_id = $1 AND l.name = $2",
        )
        .bind(experiment_id)
        .bind(name)
        .fetch_all(&mut *tx)
        .await?;
        let result = sqlx::query("DELETE FROM logs WHERE experiment_id = $1 AND name = $2")
            .bind(experiment_id)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok((result.rows_affected() > 0).then_some(keys))
    }

    /// Deletes every log of an experiment; answers how many and the object keys to delete.
    pub async fn delete_all_logs(&self, experiment_id: i64) -> StoreResult<(u64, Vec<String>)> {
        let mut tx = self.begin_write().await?;
        let keys: Vec<String> = sqlx::query_scalar(
            "SELECT i.object_key FROM log_images i JOIN logs l ON l.id = i.log_id WHERE l.experiment_id = $1",
        )
        .bind(experiment_id)
        .fetch_all(&mut *tx)
        .await?;
        let result = sqlx::query("DELETE FROM logs WHERE experiment_id = $1")
            .bind(experiment_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok((result.rows_affected(), keys))
    }

    /// Every experiment of a project with VALUE logs, LINE values or parameters, by
    /// experiment. The database writes the objects, each value's JSON copied as stored
    /// (never parsed): a row a log cost ~3.5 µs through the driver, 400 ms for a
    /// 10,000-run sweep, and parsing each value another 50 ms.
    pub async fn project_values(&self, project_id: i64) -> StoreResult<Vec<ValuesRow>> {
        let (name, line_name, pairs, last) = match self.backend {
            // `%!.17g` writes every double so that it reads back bit for bit (the
            // default text of a REAL keeps 15 digits).
            Backend::Sqlite => (
                "json_quote(v.name)",
                "json_quote(l.name)",
                "group_concat",
                "printf('%!.17g', s.last_value)",
            ),
            // Postgres writes a double's shortest exact text.
            Backend::Postgres => (
                "CAST(to_json(v.name) AS TEXT)",
                "CAST(to_json(l.name) AS TEXT)",
                "string_agg",
                "CAST(s.last_value AS TEXT)",
            ),
        };
        let rows: Vec<ValuesRow> = sqlx::query_as(&format!(
            "SELECT e.id AS experiment_id, \
             (SELECT '{{' || {pairs}({name} || ':' || v.data, ',') || '}}' FROM logs v \
              WHERE v.experiment_id = e.id AND v.type = 'VALUE' AND v.data IS NOT NULL) AS values_json, \
             (SELECT '{{' || {pairs}({line_name} || ':' || {last}, ',') || '}}' FROM logs l \
              {LAST_VALUE_LINES} AND l.experiment_id = e.id) AS lines_json, \
             (SELECT p.data FROM logs p WHERE p.experiment_id = e.id AND p.name = $2 \
              AND p.type = 'TABLE') AS parameters_json \
             FROM experiments e WHERE e.project_id = $1 ORDER BY e.id"
        ))
        .bind(project_id)
        .bind(PARAMETERS_LOG)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter(|row| {
                row.values_json.is_some()
                    || row.lines_json.is_some()
                    || row.parameters_json.is_some()
            })
            .collect())
    }

    /// The series of a LINE log, by name.
    pub async fn line_series(&self, log_id: i64) -> StoreResult<Vec<SeriesRow>> {
        series_of(&mut *self.pool.acquire().await?, log_id).await
    }
}

/// The LINE logs whose last value is a result: one series, named as the log (an MLflow
/// metric logged step by step). `l` the logs, `s` their series; more conditions follow
/// with `AND`. The project table's values and the results CSV both read these.
pub(super) const LAST_VALUE_LINES: &str =
    "JOIN line_series s ON s.log_id = l.id AND s.name = l.name \
     WHERE l.type = 'LINE' AND s.last_value IS NOT NULL";

/// An experiment's values as [`Storage::project_values`] reads them, each a JSON object
/// the database wrote: its VALUE logs by name, the last value of its LINE logs that have
/// one series named as the log (an MLflow metric, say: what the run search's `metrics.`
/// compares), and its `parameters` table.
#[derive(Debug, sqlx::FromRow)]
pub struct ValuesRow {
    pub experiment_id: i64,
    pub values_json: Option<String>,
    pub lines_json: Option<String>,
    pub parameters_json: Option<String>,
}

/// What [`upsert_log_row`] did.
pub(super) struct WrittenRow {
    pub log_id: i64,
    pub created: bool,
    /// Object keys of images a replacement dropped.
    pub dropped_objects: Vec<String>,
}

/// Inside a write transaction: finds the log `name`, applies [`plan_write`], and inserts
/// or updates its row (clearing points and images on a full replace). The caller then
/// adds the type's own rows (points, an image).
pub(super) async fn upsert_log_row(
    connection: &mut AnyConnection,
    experiment_id: i64,
    name: &str,
    log_type: LogType,
    json: Option<String>,
    replace: Option<bool>,
) -> StoreResult<WrittenRow> {
    let existing: Option<(i64, String)> =
        sqlx::query_as("SELECT id, type FROM logs WHERE experiment_id = $1 AND name = $2")
            .bind(experiment_id)
            .bind(name)
            .fetch_optional(&mut *connection)
            .await?;
    let existing_type = existing
        .as_ref()
        .map(|(_, text)| {
            LogType::parse(text).ok_or_else(|| decode_error(format!("unknown log type {text:?}")))
        })
        .transpose()?;
    let plan = plan_write(name, existing_type, log_type, replace)?;
    let now = timestamp::now();
    let mut dropped_objects = Vec::new();
    let log_id = match (plan, existing) {
        (WritePlan::Insert, _) | (_, None) => {
            sqlx::query_scalar(
                "INSERT INTO logs (experiment_id, name, type, data, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
            )
            .bind(experiment_id)
            .bind(name)
            .bind(log_type.as_str())
            .bind(&json)
            .bind(&now)
            .fetch_one(&mut *connection)
            .await?
        }
        (plan, Some((id, _))) => {
            if plan == WritePlan::ReplaceAll {
                dropped_objects = clear_log_contents(connection, id).await?;
            }
            sqlx::query("UPDATE logs SET type = $1, data = $2, updated_at = $3 WHERE id = $4")
                .bind(log_type.as_str())
                .bind(&json)
                .bind(&now)
                .bind(id)
                .execute(&mut *connection)
                .await?;
            id
        }
    };
    Ok(WrittenRow {
        log_id,
        created: plan == WritePlan::Insert,
        dropped_objects,
    })
}

/// The log with this id, assembled.
pub(super) async fn load_log(connection: &mut AnyConnection, log_id: i64) -> StoreResult<Log> {
    let row: LogRow = sqlx::query_as(&format!("SELECT {COLUMNS} FROM logs WHERE id = $1"))
        .bind(log_id)
        .fetch_one(&mut *connection)
        .await?;
    assemble(connection, row).await
}

/// Drops a log's series (with their points) and images; answers the images' object keys.
async fn clear_log_contents(
    connection: &mut AnyConnection,
    log_id: i64,
) -> StoreResult<Vec<String>> {
    let keys = sqlx::query_scalar("SELECT object_key FROM log_images WHERE log_id = $1")
        .bind(log_id)
        .fetch_all(&mut *connection)
        .await?;
    sqlx::query("DELETE FROM log_images WHERE log_id = $1")
        .bind(log_id)
        .execute(&mut *connection)
        .await?;
    sqlx::query("DELETE FROM line_series WHERE log_id = $1")
        .bind(log_id)
        .execute(&mut *connection)
        .await?;
    Ok(keys)
}

/// Appends a batch to a LINE log's series (creating them), refusing steps that are
/// not after a series' last stored step.
pub(super) async fn append_points(
    connection: &mut AnyConnection,
    backend: Backend,
    log_id: i64,
    batch: &LineBatch,
) -> StoreResult<()> {
    for series in &batch.series {
        let stored: Option<SeriesRow> = sqlx::query_as(
            "SELECT id, name, points, first_step, last_step, last_value, blocked FROM line_series WHERE log_id = $1 AND name = $2",
        )
        .bind(log_id)
        .bind(&series.name)
        .fetch_optional(&mut *connection)
        .await?;
        let last_step = stored.as_ref().and_then(|row| row.last_step);
        let steps = appended_steps(series, last_step)?;
        let series_id: i64 = match &stored {
            Some(row) => row.id,
            None => sqlx::query_scalar(
                "INSERT INTO line_series (log_id, name, blocked) VALUES ($1, $2, 1) RETURNING id",
            )
            .bind(log_id)
            .bind(&series.name)
            .fetch_one(&mut *connection)
            .await?,
        };
        for (step_chunk, value_chunk) in steps
            .chunks(POINTS_PER_INSERT)
            .zip(series.values.chunks(POINTS_PER_INSERT))
        {
            let sql = format!(
                "INSERT INTO line_points (series_id, step, value) VALUES {}",
                backend.values_list(step_chunk.len(), 3)
            );
            let mut insert = sqlx::query(&sql);
            for (step, value) in step_chunk.iter().zip(value_chunk) {
                insert = insert
                    .bind(series_id)
                    .bind(*step)
                    .bind(NullableDouble(*value));
            }
            insert.execute(&mut *connection).await?;
        }
        if stored.as_ref().is_none_or(|row| row.blocked != 0) {
            super::blocks::append(&mut *connection, series_id, &steps, &series.values).await?;
        }
        let arrival = crate::timestamp::now_millis() as f64 / 1000.0;
        for rows in batch.time_rows(&steps, arrival).chunks(POINTS_PER_INSERT) {
            let sql = format!(
                "INSERT INTO line_times (series_id, step, time) VALUES {}",
                backend.values_list(rows.len(), 3)
            );
            let mut insert = sqlx::query(&sql);
            for &(step, time) in rows {
                insert = insert.bind(series_id).bind(step).bind(time);
            }
            insert.execute(&mut *connection).await?;
        }
        if let (Some(&first), Some(&last)) = (steps.first(), steps.last()) {
            sqlx::query(
                "UPDATE line_series SET points = points + $1, first_step = COALESCE(first_step, $2), \
                 last_step = $3, last_value = $4 WHERE id = $5",
            )
            .bind(steps.len() as i64)
            .bind(first)
            .bind(last)
            .bind(NullableDouble(series.values.last().copied().flatten()))
            .bind(series_id)
            .execute(&mut *connection)
            .await?;
        }
    }
    Ok(())
}

async fn series_of(connection: &mut AnyConnection, log_id: i64) -> StoreResult<Vec<SeriesRow>> {
    sqlx::query_as(
        "SELECT id, name, points, first_step, last_step, last_value, blocked FROM line_series WHERE log_id = $1 ORDER BY id",
    )
    .bind(log_id)
    .fetch_all(&mut *connection)
    .await
            .map_err(StoreError::from)
}

/// Builds the API's [`Log`] from its row, reading series or images as its type needs.
async fn assemble(connection: &mut AnyConnection, row: LogRow) -> StoreResult<Log> {
    let log_type = LogType::parse(&row.log_type).ok_or_else(|| {
        decode_error(format!(
            "unknown log type {:?} in log {}",
            row.log_type, row.id
        ))
    })?;
    let data = row.data.as_deref().unwrap_or("null");
    let parse_error = |error: serde_json::Error| {
        decode_error(format!("log {} holds unreadable data: {error}", row.id))
    };
    let content = match log_type {
        LogType::Line => LogContent::Line(LineSummary {
            series: series_of(connection, row.id)
                .await?
                .into_iter()
                .map(|series| LineSeriesSummary {
                    name: series.name,
                    points: series.points as u64,
                    first_step: series.first_step,
                    last_step: series.last_step,
                    last_value: series.last_value,
                })
                .collect(),
        }),
        LogType::Image => {
            let images: Vec<ImageRow> = sqlx::query_as(
                "SELECT id, caption, step, content_type, size, created_at FROM log_images WHERE log_id = $1 ORDER BY id",
            )
            .bind(row.id)
            .fetch_all(&mut *connection)
            .await?;
            LogContent::Image(ImageGallery {
                images: images
                    .into_iter()
                    .map(|image| LoggedImage {
                        id: image.id,
                        caption: image.caption,
                        step: image.step,
                        content_type: image.content_type,
                        size: image.size as u64,
                        created_at: image.created_at,
                    })
                    .collect(),
            })
        }
        LogType::Value => LogContent::Value(serde_json::from_str(data).map_err(parse_error)?),
        LogType::Bar => LogContent::Bar(serde_json::from_str(data).map_err(parse_error)?),
        LogType::Table => LogContent::Table(serde_json::from_str(data).map_err(parse_error)?),
        LogType::Heatmap => LogContent::Heatmap(serde_json::from_str(data).map_err(parse_error)?),
        LogType::Labelmap => LogContent::Labelmap(serde_json::from_str(data).map_err(parse_error)?),
        LogType::Evaluation => {
            LogContent::Evaluation(serde_json::from_str(data).map_err(parse_error)?)
        }
    };
    // An unknown scope (written by a newer server) reads as none rather than failing.
    let scope = row.scope.as_deref().and_then(ChartScope::parse);
    Ok(Log {
        id: row.id,
        experiment_id: row.experiment_id,
        name: row.name,
        content,
        scope,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}
