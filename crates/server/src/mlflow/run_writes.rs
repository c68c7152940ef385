//! What a run logs through MLflow's API: metrics, params, tags (one, or a batch within
//! MLflow's limits), inputs and MLflow 2's logged-model records. The tags
//! `mlflow.runName` and `mlflow.note.content` are the experiment's own name and
//! description, not stored tags.

use super::error::{MlflowError, MlflowResult};
use super::experiments::{checked_pairs, Tag};
use super::extract::{double, opt_int64, MlJson};
use super::runs::{run_experiment, RunRef};
use crate::domain::mlflow::{
    checked_key, checked_metric, checked_value, MetricPoint, MAX_BATCH_METRICS, MAX_BATCH_PARAMS,
    MAX_BATCH_TAGS, MAX_PARAM_VALUE_CHARS, MAX_TAG_VALUE_CHARS, NOTE_TAG, RUN_NAME_TAG, TAGS_LOG,
};
use crate::domain::{checked_name, ExperimentChanges};
use crate::state::AppState;
use crate::storage::{RunWrites, Storage};
use crate::timestamp;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use trackboard_api::{Experiment, EXPERIMENT_NAME_MAX_CHARS};

#[derive(Deserialize)]
pub struct MetricIn {
    key: String,
    #[serde(deserialize_with = "double")]
    value: f64,
    #[serde(default, deserialize_with = "opt_int64")]
    timestamp: Option<i64>,
    #[serde(default, deserialize_with = "opt_int64")]
    step: Option<i64>,
}

impl MetricIn {
    fn checked(self, field: &str) -> MlflowResult<MetricPoint> {
        let point = MetricPoint {
            key: self.key,
            value: self.value,
            timestamp: self.timestamp.unwrap_or_else(timestamp::now_millis),
            step: self.step.unwrap_or(0),
        };
        checked_metric(field, &point)?;
        Ok(point)
    }
}

#[derive(Deserialize)]
pub struct LogMetric {
    #[serde(flatten)]
    run: RunRef,
    #[serde(flatten)]
    metric: MetricIn,
}

/// `POST runs/log-metric {run_id, key, value, timestamp, step}`.
pub async fn log_metric(
    State(state): State<AppState>,
    MlJson(body): MlJson<LogMetric>,
) -> MlflowResult<Json<Value>> {
    let experiment = run_experiment(&state.storage, body.run.id()?).await?;
    let writes = RunWrites {
        metrics: vec![body.metric.checked("metric")?],
        ..Default::default()
    };
    write(&state.storage, &experiment, writes).await
}

/// The body of log-parameter and set-tag: a run and one key with its value.
#[derive(Deserialize)]
pub struct RunPair {
    #[serde(flatten)]
    run: RunRef,
    key: String,
    #[serde(default)]
    value: String,
}

impl RunPair {
    /// The run, and the pair checked against `max_chars` for its value.
    async fn checked(
        self,
        storage: &Storage,
        max_chars: usize,
    ) -> MlflowResult<(Experiment, (String, String))> {
        let experiment = run_experiment(storage, self.run.id()?).await?;
        checked_key("key", &self.key)?;
        checked_value("value", &self.value, max_chars)?;
        Ok((experiment, (self.key, self.value)))
    }
}

/// `POST runs/log-parameter {run_id, key, value}`.
pub async fn log_param(
    State(state): State<AppState>,
    MlJson(body): MlJson<RunPair>,
) -> MlflowResult<Json<Value>> {
    let (experiment, param) = body.checked(&state.storage, MAX_PARAM_VALUE_CHARS).await?;
    let writes = RunWrites {
        params: vec![param],
        ..Default::default()
    };
    write(&state.storage, &experiment, writes).await
}

#[derive(Deserialize)]
pub struct LogBatch {
    #[serde(flatten)]
    run: RunRef,
    #[serde(default)]
    metrics: Vec<MetricIn>,
    #[serde(default)]
    params: Vec<Tag>,
    #[serde(default)]
    tags: Vec<Tag>,
}

/// `POST runs/log-batch {run_id, metrics, params, tags}`: all or nothing, within
/// MLflow's limits (1,000 metrics, 100 params, 100 tags).
pub async fn log_batch(
    State(state): State<AppState>,
    MlJson(body): MlJson<LogBatch>,
) -> MlflowResult<Json<Value>> {
    let experiment = run_experiment(&state.storage, body.run.id()?).await?;
    for (what, count, limit) in [
        ("metrics", body.metrics.len(), MAX_BATCH_METRICS),
        ("params", body.params.len(), MAX_BATCH_PARAMS),
        ("tags", body.tags.len(), MAX_BATCH_TAGS),
    ] {
        if count > limit {
            return Err(MlflowError::invalid(format!(
                "A batch logging request can contain at most {limit} {what}. Got {count} {what}."
            )));
        }
    }
    let mut writes = RunWrites::default();
    for (index, metric) in body.metrics.into_iter().enumerate() {
        writes
            .metrics
            .push(metric.checked(&format!("metrics[{index}]"))?);
    }
    let params = checked_pairs("params", body.params, MAX_PARAM_VALUE_CHARS)?;
    for (index, (key, value)) in params.into_iter().enumerate() {
        if let Some((_, earlier)) = writes.params.iter().find(|(earlier, _)| *earlier == key) {
            if *earlier != value {
                return Err(MlflowError::invalid(format!(
                    "params[{index}]: param {key:?} appears twice in the batch with different values"
                )));
            }
        }
        writes.params.push((key, value));
    }
    writes.tags = checked_pairs("tags", body.tags, MAX_TAG_VALUE_CHARS)?;
    write(&state.storage, &experiment, writes).await
}

/// `POST runs/set-tag {run_id, key, value}`.
pub async fn set_tag(
    State(state): State<AppState>,
    MlJson(body): MlJson<RunPair>,
) -> MlflowResult<Json<Value>> {
    let (experiment, tag) = body.checked(&state.storage, MAX_TAG_VALUE_CHARS).await?;
    let writes = RunWrites {
        tags: vec![tag],
        ..Default::default()
    };
    write(&state.storage, &experiment, writes).await
}

#[derive(Deserialize)]
pub struct DeleteTag {
    #[serde(flatten)]
    run: RunRef,
    key: String,
}

/// `POST runs/delete-tag {run_id, key}`: 404 when the run has no such tag, as MLflow.
pub async fn delete_tag(
    State(state): State<AppState>,
    MlJson(body): MlJson<DeleteTag>,
) -> MlflowResult<Json<Value>> {
    let experiment = run_experiment(&state.storage, body.run.id()?).await?;
    let tags = state.storage.table_entries(experiment.id, TAGS_LOG).await?;
    if !tags.contains_key(&body.key) {
        return Err(MlflowError::missing(format!(
            "No tag with name: {} in run with id {}",
            body.key,
            body.run.id()?
        )));
    }
    let writes = RunWrites {
        deleted_tags: vec![body.key],
        ..Default::default()
    };
    write(&state.storage, &experiment, writes).await
}

/// Writes to a run, taking the run name and note tags as the experiment's own fields.
async fn write(
    storage: &Storage,
    experiment: &Experiment,
    mut writes: RunWrites,
) -> MlflowResult<Json<Value>> {
    let mut changes = ExperimentChanges::default();
    writes.tags.retain(|(key, value)| match key.as_str() {
        RUN_NAME_TAG => {
            if *value != experiment.name {
                changes.name = Some(value.clone());
            }
            false
        }
        NOTE_TAG => {
            changes.description = Some(value.clone());
            false
        }
        _ => true,
    });
    if let Some(name) = &changes.name {
        checked_name("tags.value", name, EXPERIMENT_NAME_MAX_CHARS)?;
    }
    storage.write_run(experiment.id, &writes).await?;
    if changes != ExperimentChanges::default() {
        storage.update_experiment(experiment.id, &changes).await?;
    }
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
pub struct LogInputs {
    #[serde(flatten)]
    run: RunRef,
    #[serde(default)]
    datasets: Vec<Value>,
}

/// `POST runs/log-inputs {run_id, datasets}`: each dataset is kept as the tag
/// `mlflow.input.<name>` holding its JSON (Trackboard's dataset versions are attached
/// through its own API).
pub async fn log_inputs(
    State(state): State<AppState>,
    MlJson(body): MlJson<LogInputs>,
) -> MlflowResult<Json<Value>> {
    let experiment = run_experiment(&state.storage, body.run.id()?).await?;
    let mut writes = RunWrites::default();
    for (index, input) in body.datasets.iter().enumerate() {
        let name = input
            .pointer("/dataset/name")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                MlflowError::invalid(format!("datasets[{index}].dataset.name is required"))
            })?;
        let key = format!("mlflow.input.{name}");
        checked_key(&format!("datasets[{index}].dataset.name"), &key)?;
        let value = input.to_string();
        checked_value(&format!("datasets[{index}]"), &value, MAX_TAG_VALUE_CHARS)?;
        writes.tags.push((key, value));
    }
    write(&state.storage, &experiment, writes).await
}

/// `POST runs/outputs {run_id, models}`: the run's logged models are already linked
/// to it (they are stored with it); accepted so the client's call succeeds.
pub async fn log_outputs(
    State(state): State<AppState>,
    MlJson(body): MlJson<RunRef>,
) -> MlflowResult<Json<Value>> {
    run_experiment(&state.storage, body.id()?).await?;
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
pub struct LogModel {
    #[serde(flatten)]
    run: RunRef,
    model_json: Option<String>,
}

/// `POST runs/log-model {run_id, model_json}`: MLflow 2's record of a logged model,
/// kept as its server keeps it, in the tag `mlflow.log-model.history`.
pub async fn log_model(
    State(state): State<AppState>,
    MlJson(body): MlJson<LogModel>,
) -> MlflowResult<Json<Value>> {
    let experiment = run_experiment(&state.storage, body.run.id()?).await?;
    let model: Value = serde_json::from_str(body.model_json.as_deref().unwrap_or("{}"))
        .map_err(|error| MlflowError::invalid(format!("model_json is not JSON: {error}")))?;
    let key = "mlflow.log-model.history";
    let tags = state.storage.table_entries(experiment.id, TAGS_LOG).await?;
    let mut history: Vec<Value> = tags
        .get(key)
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default();
    history.push(model);
    let writes = RunWrites {
        tags: vec![(key.to_owned(), Value::from(history).to_string())],
        ..Default::default()
    };
    write(&state.storage, &experiment, writes).await
}
