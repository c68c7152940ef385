//! MLflow runs, which are Trackboard experiments: create, get, update, delete, search,
//! and everything logged to a run (metrics, params, tags, inputs).

use super::error::{MlflowError, MlflowResult};
use super::experiments::{checked_pairs, project_for_write, project_of, Tag};
use super::extract::{double, opt_int64, MlJson, MlQuery};
use super::present::{self, RunView};
use super::{page_after, page_token};
use crate::domain::mlflow::{
    checked_key, checked_metric, checked_value, parse_run_id, status_from_mlflow, MetricPoint,
    MAX_BATCH_METRICS, MAX_BATCH_PARAMS, MAX_BATCH_TAGS, MAX_PARAM_VALUE_CHARS,
    MAX_TAG_VALUE_CHARS, TAGS_LOG,
};
use crate::domain::mlflow_search::{order_by, parse_order, Field, Filter, Kind, Scalar};
use crate::domain::{checked_name, ExperimentChanges, PARAMETERS_LOG};
use crate::state::AppState;
use crate::storage::{RunRecord, RunWrites, Storage};
use crate::timestamp;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use trackboard_api::{Experiment, EXPERIMENT_NAME_MAX_CHARS};

/// Tags that are fields of the experiment, not stored tags.
const RUN_NAME_TAG: &str = "mlflow.runName";
const NOTE_TAG: &str = "mlflow.note.content";

/// The experiment a run id names, or MLflow's 404.
pub async fn run_experiment(storage: &Storage, run_id: &str) -> MlflowResult<Experiment> {
    let missing = || MlflowError::missing(format!("Run '{run_id}' not found"));
    let id = parse_run_id(run_id).ok_or_else(missing)?;
    storage.get_experiment(id).await?.ok_or_else(missing)
}

/// Everything MLflow shows of a run.
pub async fn view(storage: &Storage, experiment: Experiment) -> MlflowResult<RunView> {
    let project = storage
        .get_project(experiment.project_id)
        .await?
        .ok_or_else(|| MlflowError::missing("the run's experiment is gone"))?;
    Ok(RunView {
        record: storage.run_record(experiment.id).await?,
        metrics: storage.latest_metrics(experiment.id).await?,
        params: storage.table_entries(experiment.id, PARAMETERS_LOG).await?,
        tags: storage.table_entries(experiment.id, TAGS_LOG).await?,
        project,
        experiment,
    })
}

/// The run id of a request: `run_id`, or the older `run_uuid`.
#[derive(Deserialize)]
pub struct RunRef {
    run_id: Option<String>,
    run_uuid: Option<String>,
}

impl RunRef {
    fn id(&self) -> MlflowResult<&str> {
        self.run_id
            .as_deref()
            .or(self.run_uuid.as_deref())
            .filter(|id| !id.is_empty())
            .ok_or_else(|| MlflowError::invalid("Missing value for required parameter 'run_id'"))
    }
}

#[derive(Deserialize)]
pub struct CreateRun {
    experiment_id: Option<String>,
    user_id: Option<String>,
    run_name: Option<String>,
    #[serde(default, deserialize_with = "opt_int64")]
    start_time: Option<i64>,
    #[serde(default)]
    tags: Vec<Tag>,
}

/// `POST runs/create` → `{run}`. A run name the project already holds gets a number
/// (`name (2)`): MLflow allows repeated run names, Trackboard's are unique.
pub async fn create(
    State(state): State<AppState>,
    MlJson(body): MlJson<CreateRun>,
) -> MlflowResult<Json<Value>> {
    let project =
        project_for_write(&state.storage, body.experiment_id.as_deref().unwrap_or("0")).await?;
    let mut writes = RunWrites::default();
    let mut name = body.run_name.filter(|name| !name.is_empty());
    let mut note = None;
    for (key, value) in checked_pairs("tags", body.tags, MAX_TAG_VALUE_CHARS)? {
        match key.as_str() {
            RUN_NAME_TAG => {
                name.get_or_insert(value);
            }
            NOTE_TAG => note = Some(value),
            _ => writes.tags.push((key, value)),
        }
    }
    let start_time = body.start_time.unwrap_or_else(timestamp::now_millis);
    let name = match name {
        Some(name) => checked_name("run_name", &name, EXPERIMENT_NAME_MAX_CHARS)?,
        None => format!(
            "run {}",
            timestamp::now().replace('T', " ").trim_end_matches('Z')
        ),
    };
    let record = RunRecord {
        user_id: body.user_id.unwrap_or_default(),
        start_time,
        end_time: None,
    };
    let id = state
        .storage
        .create_run(project.id, &name, &record, &writes)
        .await?;
    if let Some(note) = note {
        let changes = ExperimentChanges {
            description: Some(note),
            ..Default::default()
        };
        state.storage.update_experiment(id, &changes).await?;
    }
    let experiment = run_experiment(&state.storage, &crate::domain::mlflow::run_id(id)).await?;
    Ok(Json(
        json!({"run": view(&state.storage, experiment).await?.run()}),
    ))
}

/// `GET runs/get?run_id` → `{run}`.
pub async fn get(
    State(state): State<AppState>,
    MlQuery(query): MlQuery<RunRef>,
) -> MlflowResult<Json<Value>> {
    let experiment = run_experiment(&state.storage, query.id()?).await?;
    Ok(Json(
        json!({"run": view(&state.storage, experiment).await?.run()}),
    ))
}

#[derive(Deserialize)]
pub struct UpdateRun {
    #[serde(flatten)]
    run: RunRef,
    status: Option<String>,
    #[serde(default, deserialize_with = "opt_int64")]
    end_time: Option<i64>,
    run_name: Option<String>,
}

/// `POST runs/update {run_id, status, end_time, run_name}` → `{run_info}`.
pub async fn update(
    State(state): State<AppState>,
    MlJson(body): MlJson<UpdateRun>,
) -> MlflowResult<Json<Value>> {
    let experiment = run_experiment(&state.storage, body.run.id()?).await?;
    let status = body
        .status
        .as_deref()
        .map(|text| {
            status_from_mlflow(text).ok_or_else(|| {
                MlflowError::invalid(format!(
                    "status {text:?} is not one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED"
                ))
            })
        })
        .transpose()?;
    let name = body
        .run_name
        .filter(|name| !name.is_empty() && *name != experiment.name)
        .map(|name| checked_name("run_name", &name, EXPERIMENT_NAME_MAX_CHARS))
        .transpose()?;
    let changes = ExperimentChanges {
        name,
        status,
        ..Default::default()
    };
    state
        .storage
        .update_experiment(experiment.id, &changes)
        .await?;
    if body.end_time.is_some() {
        let start = view(&state.storage, experiment.clone()).await?.start_time();
        state
            .storage
            .set_run_end(experiment.id, start, body.end_time)
            .await?;
    }
    let experiment = run_experiment(&state.storage, body.run.id()?).await?;
    Ok(Json(
        json!({"run_info": view(&state.storage, experiment).await?.info()}),
    ))
}

/// `POST runs/delete {run_id}`: deletes the experiment and its files (no soft delete).
pub async fn delete(
    State(state): State<AppState>,
    MlJson(body): MlJson<RunRef>,
) -> MlflowResult<Json<Value>> {
    let experiment = run_experiment(&state.storage, body.id()?).await?;
    let keys = state.storage.experiment_object_keys(experiment.id).await?;
    let keys = state.storage.unshared_keys(keys).await?;
    if state.storage.delete_experiment(experiment.id).await? {
        state.objects.delete_all_logged(&keys).await;
    }
    Ok(Json(json!({})))
}

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
        None => 1 << 62,
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
            .metric_history(experiment.id, &query.metric_key, 0, 1 << 62)
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

#[derive(Deserialize)]
pub struct SearchRuns {
    #[serde(default)]
    experiment_ids: Vec<String>,
    filter: Option<String>,
    #[serde(default, deserialize_with = "opt_int64")]
    max_results: Option<i64>,
    #[serde(default)]
    order_by: Vec<String>,
    page_token: Option<String>,
}

/// MLflow's cap on one page of runs.
const MAX_RUNS_PAGE: i64 = 50_000;

/// `POST runs/search {experiment_ids, filter, order_by, max_results, page_token}`.
pub async fn search(
    State(state): State<AppState>,
    MlJson(body): MlJson<SearchRuns>,
) -> MlflowResult<Json<Value>> {
    let filter = Filter::parse("filter", body.filter.as_deref().unwrap_or(""))?;
    let mut order = parse_order("order_by", &body.order_by)?;
    order.extend(parse_order("order_by", &["start_time DESC".to_owned()])?);
    let limit = body.max_results.unwrap_or(1000);
    if !(1..=MAX_RUNS_PAGE).contains(&limit) {
        return Err(MlflowError::invalid(format!(
            "max_results must be between 1 and {MAX_RUNS_PAGE}, not {limit}"
        )));
    }
    let offset = page_token(body.page_token.as_deref())?;
    let mut found = Vec::new();
    for experiment_id in &body.experiment_ids {
        // MLflow's default experiment holds no runs until one is logged to it.
        if experiment_id == "0" && project_of(&state.storage, "0").await.is_err() {
            continue;
        }
        let project = project_of(&state.storage, experiment_id).await?;
        for experiment in state.storage.all_experiments(project.id).await? {
            let run = view(&state.storage, experiment).await?;
            if filter.matches(|field| run_value(&run, field)) {
                found.push(run);
            }
        }
    }
    found.sort_by(|a, b| {
        order_by(&order, |f| run_value(a, f), |f| run_value(b, f))
            .then(a.experiment.id.cmp(&b.experiment.id))
    });
    let (page, next) = page_after(found, offset, limit as usize);
    let mut answer = json!({"runs": page.iter().map(RunView::run).collect::<Vec<_>>()});
    if let Some(next) = next {
        answer["next_page_token"] = json!(next);
    }
    Ok(Json(answer))
}

fn run_value(run: &RunView, field: &Field) -> Option<Scalar> {
    match field.kind {
        Kind::Metric => run
            .metrics
            .iter()
            .find(|m| m.key == field.key)
            .map(|m| Scalar::Number(m.value)),
        Kind::Param => run.params.get(&field.key).cloned().map(Scalar::Text),
        Kind::Tag => run.all_tags().get(&field.key).cloned().map(Scalar::Text),
        Kind::Attribute => {
            let info = run.info();
            let key = match field.key.as_str() {
                "run_name" | "name" => "run_name",
                "id" | "run_id" => "run_id",
                other => other,
            };
            match info.get(key)? {
                Value::String(text) => Some(Scalar::Text(text.clone())),
                Value::Number(number) => number.as_f64().map(Scalar::Number),
                _ => None,
            }
        }
    }
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
