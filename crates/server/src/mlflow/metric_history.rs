//! A run's metric history as MLflow's client reads it: every value in the order logged,
//! repeats and timestamps included, or several runs' values thinned over a step range.

use super::error::{MlflowError, MlflowResult};
use super::extract::{opt_int64, MlQuery};
use super::present;
use super::runs::{run_experiment, RunRef};
use super::search::page_token;
use crate::domain::mlflow::{MetricPoint, WHOLE_HISTORY};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
pub struct History {
    #[serde(flatten)]
    run: RunRef,
    metric_key: String,
    page_token: Option<String>,
    #[serde(default, deserialize_with = "opt_int64")]
    max_results: Option<i64>,
}

/// `GET metrics/get-history?run_id&metric_key[&max_results&page_token]` → every value
/// in the order logged (all at once without `max_results`, as MLflow's client expects).
pub async fn get_history(
    State(state): State<AppState>,
    MlQuery(query): MlQuery<History>,
) -> MlflowResult<Json<Value>> {
    let experiment = run_experiment(&state.storage, query.run.id()?).await?;
    let offset = page_token(query.page_token.as_deref())?;
    let limit = match query.max_results {
        // Everything: MLflow's client asks for the whole history in one answer.
        None => WHOLE_HISTORY,
        Some(limit) if limit >= 1 => limit as u64,
        Some(limit) => {
            return Err(MlflowError::invalid(format!(
                "max_results must be positive, not {limit}"
            )))
        }
    };
    let (points, more) = state
        .storage
        .metric_history(experiment.id, &query.metric_key, offset as u64, limit)
        .await?;
    let mut answer = json!({"metrics": points.iter().map(present::metric).collect::<Vec<_>>()});
    if more {
        answer["next_page_token"] = json!((offset as u64 + points.len() as u64).to_string());
    }
    Ok(Json(answer))
}

/// MLflow's bounds on a bulk-interval request.
const MAX_BULK_RUNS: usize = 100;
const MAX_BULK_POINTS: i64 = 1000;
const DEFAULT_BULK_POINTS: i64 = 320;

/// A bulk-interval request: `run_ids` repeats, which a derived query cannot take.
struct BulkInterval {
    run_ids: Vec<String>,
    metric_key: String,
    start_step: Option<i64>,
    end_step: Option<i64>,
    max_results: Option<i64>,
}

impl BulkInterval {
    fn parse(pairs: Vec<(String, String)>) -> MlflowResult<BulkInterval> {
        let number = |name: &str, text: &str| {
            text.parse::<i64>().map_err(|_| {
                MlflowError::invalid(format!("{name} must be an integer, not {text:?}"))
            })
        };
        let mut request = BulkInterval {
            run_ids: Vec::new(),
            metric_key: String::new(),
            start_step: None,
            end_step: None,
            max_results: None,
        };
        for (name, value) in pairs {
            match name.as_str() {
                "run_ids" => request.run_ids.push(value),
                "metric_key" => request.metric_key = value,
                "start_step" => request.start_step = Some(number(&name, &value)?),
                "end_step" => request.end_step = Some(number(&name, &value)?),
                "max_results" => request.max_results = Some(number(&name, &value)?),
                _ => {}
            }
        }
        if request.metric_key.is_empty() {
            return Err(MlflowError::invalid("metric_key is required"));
        }
        Ok(request)
    }
}

/// `GET metrics/get-history-bulk-interval?run_ids&metric_key[&start_step&end_step&max_results]`:
/// each run's values between the steps, thinned to at most `max_results` evenly spaced
/// ones (the first and last always kept), each with its `run_id`.
pub async fn get_history_bulk_interval(
    State(state): State<AppState>,
    MlQuery(pairs): MlQuery<Vec<(String, String)>>,
) -> MlflowResult<Json<Value>> {
    let query = BulkInterval::parse(pairs)?;
    if query.run_ids.is_empty() || query.run_ids.len() > MAX_BULK_RUNS {
        return Err(MlflowError::invalid(format!(
            "run_ids must name 1 to {MAX_BULK_RUNS} runs"
        )));
    }
    let wanted = query.max_results.unwrap_or(DEFAULT_BULK_POINTS);
    if !(1..=MAX_BULK_POINTS).contains(&wanted) {
        return Err(MlflowError::invalid(format!(
            "max_results must be between 1 and {MAX_BULK_POINTS}, not {wanted}"
        )));
    }
    let (from, to) = (
        query.start_step.unwrap_or(i64::MIN),
        query.end_step.unwrap_or(i64::MAX),
    );
    if from > to {
        return Err(MlflowError::invalid(
            "start_step must not be after end_step",
        ));
    }
    let mut metrics = Vec::new();
    for run in &query.run_ids {
        let experiment = run_experiment(&state.storage, run).await?;
        let (points, _) = state
            .storage
            .metric_history(experiment.id, &query.metric_key, 0, WHOLE_HISTORY)
            .await?;
        let mut inside: Vec<MetricPoint> = points
            .into_iter()
            .filter(|point| (from..=to).contains(&point.step))
            .collect();
        inside.sort_by_key(|point| point.step);
        for point in evenly_spaced(&inside, wanted as usize) {
            let mut answer = present::metric(point);
            answer["run_id"] = json!(run);
            metrics.push(answer);
        }
    }
    Ok(Json(json!({"metrics": metrics})))
}

/// At most `count` of `points`, evenly spaced, the first and last included.
fn evenly_spaced<T>(points: &[T], count: usize) -> Vec<&T> {
    if points.len() <= count {
        return points.iter().collect();
    }
    if count == 1 {
        return points.last().into_iter().collect();
    }
    let last = points.len() - 1;
    let mut chosen: Vec<usize> = (0..count).map(|i| i * last / (count - 1)).collect();
    chosen.dedup();
    chosen.into_iter().map(|index| &points[index]).collect()
}

#[cfg(test)]
mod tests {
    use super::evenly_spaced;

    #[test]
    fn thinning_keeps_the_ends_and_spaces_the_rest() {
        let points: Vec<i32> = (0..10).collect();
        assert_eq!(evenly_spaced(&points, 4), [&0, &3, &6, &9]);
        assert_eq!(evenly_spaced(&points, 20).len(), 10);
        assert_eq!(evenly_spaced(&points, 1), [&9]);
        assert!(evenly_spaced::<i32>(&[], 3).is_empty());
    }
}
