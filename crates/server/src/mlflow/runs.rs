//! MLflow runs, which are Trackboard experiments: create, get, update and delete.
//! What is logged to a run is in `run_writes.rs`, its metric history in
//! `metric_history.rs`, the search in `run_search.rs`, the JSON shapes in `present.rs`.

use super::error::{MlflowError, MlflowResult};
use super::experiments::{checked_pairs, project_for_write, Tag};
use super::extract::{opt_int64, MlJson, MlQuery};
use super::present::RunView;
use crate::domain::mlflow::{
    checked_kept_run_id, parse_run_id, status_from_mlflow, MAX_TAG_VALUE_CHARS, NOTE_TAG,
    RUN_NAME_TAG, TAGS_LOG,
};
use crate::domain::{checked_name, ExperimentChanges, PARAMETERS_LOG};
use crate::state::AppState;
use crate::storage::{RunRecord, RunWrites, Storage};
use crate::timestamp;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use trackboard_api::{Experiment, EXPERIMENT_NAME_MAX_CHARS};

/// The experiment a run id names, or MLflow's 404.
pub async fn run_experiment(storage: &Storage, run_id: &str) -> MlflowResult<Experiment> {
    let missing = || MlflowError::missing(format!("Run '{run_id}' not found"));
    let kept = storage.experiment_of_run_uuid(run_id).await?;
    let id = kept.or_else(|| parse_run_id(run_id)).ok_or_else(missing)?;
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
    pub(super) fn id(&self) -> MlflowResult<&str> {
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
    /// Trackboard's extension, for `trackboard import mlflow`: the run id the run had in
    /// the store it comes from, kept so links and scripts naming it still resolve.
    run_id: Option<String>,
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
    if let Some(kept) = &body.run_id {
        checked_kept_run_id("run_id", kept)?;
    }
    let record = RunRecord {
        user_id: body.user_id.unwrap_or_default(),
        start_time,
        end_time: None,
        run_uuid: body.run_id,
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
    let experiment = state
        .storage
        .get_experiment(id)
        .await?
        .ok_or_else(|| MlflowError::missing("the new run is gone"))?;
    Ok(Json(
        json!({"run": view(&state.storage, experiment).await?.into_run()}),
    ))
}

/// `GET runs/get?run_id` → `{run}`.
pub async fn get(
    State(state): State<AppState>,
    MlQuery(query): MlQuery<RunRef>,
) -> MlflowResult<Json<Value>> {
    let experiment = run_experiment(&state.storage, query.id()?).await?;
    Ok(Json(
        json!({"run": view(&state.storage, experiment).await?.into_run()}),
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
    if state.storage.delete_experiment(experiment.id).await? {
        let keys = state.storage.unshared_keys(keys).await?;
        state.objects.delete_all_logged(&keys).await;
    }
    Ok(Json(json!({})))
}
