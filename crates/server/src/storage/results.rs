//! A project's results table (seed 004's "results as a DataFrame"): per experiment, its
//! VALUE logs, the last values of its one-series LINE logs (as the project table shows
//! them) and its parameters, read a page of experiments at a time.

use super::logs::LAST_VALUE_LINES;
use super::{Storage, StoreResult};
use futures_util::TryStreamExt;
use std::collections::{BTreeMap, BTreeSet};
use trackboard_api::Scalar;

/// One experiment's row.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultRow {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub created_at: String,
    pub values: BTreeMap<String, Scalar>,
    pub parameters: BTreeMap<String, Scalar>,
}

/// Whose results: a project's experiments, or only those that used a dataset version
/// (seed 004 `load_experiment_results_for_dataset`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResultsOf {
    pub project_id: i64,
    pub dataset_version_id: Option<i64>,
}

/// The experiments of [`ResultsOf`] (`e` the experiments; `$1` the project, `$2` the
/// dataset version or NULL).
const RESULT_EXPERIMENTS: &str = "e.project_id = $1 AND ($2 IS NULL OR EXISTS (\
     SELECT 1 FROM experiment_datasets d WHERE d.experiment_id = e.id AND d.dataset_version_id = $2))";

/// The scalars of `logs.data` rows (VALUE: one scalar; TABLE: a map).
fn scalars<T: serde::de::DeserializeOwned>(json: &str) -> StoreResult<T> {
    Ok(serde_json::from_str(json)?)
}

impl Storage {
    /// The columns of the results: every VALUE log name (and LINE log with a last
    /// value) and every parameter name of any of the experiments, in order.
    pub async fn result_columns(&self, of: ResultsOf) -> StoreResult<(Vec<String>, Vec<String>)> {
        let values: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT l.name FROM logs l JOIN experiments e ON e.id = l.experiment_id \
             WHERE {RESULT_EXPERIMENTS} AND l.type = 'VALUE' \
             UNION SELECT l.name FROM logs l JOIN experiments e ON e.id = l.experiment_id \
             {LAST_VALUE_LINES} AND {RESULT_EXPERIMENTS} ORDER BY 1"
        ))
        .bind(of.project_id)
        .bind(of.dataset_version_id)
        .fetch_all(&self.pool)
        .await?;
        // One parameters table at a time: only the names are kept.
        let sql = format!(
            "SELECT l.data FROM logs l JOIN experiments e ON e.id = l.experiment_id \
             WHERE {RESULT_EXPERIMENTS} AND l.type = 'TABLE' AND l.name = 'parameters' AND l.data IS NOT NULL"
        );
        let mut tables = sqlx::query_scalar::<_, String>(&sql)
            .bind(of.project_id)
            .bind(of.dataset_version_id)
            .fetch(&self.pool);
        let mut parameters = BTreeSet::new();
        while let Some(json) = tables.try_next().await? {
            let table: BTreeMap<String, Scalar> = scalars(&json)?;
            parameters.extend(table.into_keys());
        }
        Ok((values, parameters.into_iter().collect()))
    }

    /// Up to `limit` rows of the experiments with ids above `after_id`, by id.
    pub async fn result_rows(
        &self,
        of: ResultsOf,
        after_id: i64,
        limit: u32,
    ) -> StoreResult<Vec<ResultRow>> {
        let experiments: Vec<(i64, String, String, String)> = sqlx::query_as(&format!(
            "SELECT e.id, e.name, e.status, e.created_at FROM experiments e \
             WHERE {RESULT_EXPERIMENTS} AND e.id > $3 ORDER BY e.id LIMIT $4"
        ))
        .bind(of.project_id)
        .bind(of.dataset_version_id)
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let (Some(first), Some(last)) = (experiments.first(), experiments.last()) else {
            return Ok(Vec::new());
        };
        let logs: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT l.experiment_id, l.name, l.type, l.data FROM logs l JOIN experiments e ON e.id = l.experiment_id \
             WHERE e.project_id = $1 AND l.experiment_id BETWEEN $2 AND $3 AND l.data IS NOT NULL \
             AND (l.type = 'VALUE' OR (l.type = 'TABLE' AND l.name = 'parameters'))",
        )
        .bind(of.project_id)
        .bind(first.0)
        .bind(last.0)
        .fetch_all(&self.pool)
        .await?;
        // Read as doubles, bit for bit; a non-finite one (Postgres keeps NaN) is no
        // JSON number and stays an empty cell.
        let lines: Vec<(i64, String, f64)> = sqlx::query_as(&format!(
            "SELECT l.experiment_id, l.name, s.last_value FROM logs l \
             JOIN experiments e ON e.id = l.experiment_id {LAST_VALUE_LINES} \
             AND e.project_id = $1 AND l.experiment_id BETWEEN $2 AND $3"
        ))
        .bind(of.project_id)
        .bind(first.0)
        .bind(last.0)
        .fetch_all(&self.pool)
        .await?;
        let mut rows: Vec<ResultRow> = experiments
            .into_iter()
            .map(|(id, name, status, created_at)| ResultRow {
                id,
                name,
                status,
                created_at,
                values: BTreeMap::new(),
                parameters: BTreeMap::new(),
            })
            .collect();
        for (experiment_id, name, log_type, json) in logs {
            // Rows are in id order.
            let Ok(index) = rows.binary_search_by_key(&experiment_id, |row| row.id) else {
                continue;
            };
            let row = &mut rows[index];
            if log_type == "VALUE" {
                row.values.insert(name, scalars(&json)?);
            } else {
                row.parameters = scalars(&json)?;
            }
        }
        for (experiment_id, name, last_value) in lines {
            let (Ok(index), Some(number)) = (
                rows.binary_search_by_key(&experiment_id, |row| row.id),
                serde_json::Number::from_f64(last_value),
            ) else {
                continue;
            };
            rows[index].values.insert(name, Scalar::Number(number));
        }
        Ok(rows)
    }
}
