//! MLflow 3's logged models, far enough for `mlflow.<flavor>.log_model`: create, get,
//! finalize, search, tags, params, delete. A model belongs to the run that logged it
//! (its files are that run's artifacts under `models/<id>/`), so exporting the run to
//! Trackboard's model registry carries the model with it.

use super::error::{MlflowError, MlflowResult};
use super::experiments::{checked_pairs, project_for_write, project_of, Tag};
use super::extract::{opt_int64, MlJson};
use super::present;
use super::runs::run_experiment;
use super::search::{page_after, page_answer, page_token};
use crate::domain::mlflow::{checked_key, MAX_PARAM_VALUE_CHARS, MAX_TAG_VALUE_CHARS};
use crate::state::AppState;
use crate::storage::{LoggedModel, RunRecord, RunWrites, Storage};
use crate::timestamp;
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

const STATUSES: [&str; 3] = [
    "LOGGED_MODEL_PENDING",
    "LOGGED_MODEL_READY",
    "LOGGED_MODEL_UPLOAD_FAILED",
];

async fn answer(storage: &Storage, model: &LoggedModel) -> MlflowResult<Value> {
    let project = storage
        .get_project(model.project_id)
        .await?
        .ok_or_else(|| MlflowError::missing("the model's experiment is gone"))?;
    Ok(present::logged_model(model, &project))
}

async fn existing(storage: &Storage, id: &str) -> MlflowResult<LoggedModel> {
    storage
        .logged_model(id)
        .await?
        .ok_or_else(|| MlflowError::missing(format!("Logged model with ID '{id}' not found.")))
}

#[derive(Deserialize)]
pub struct Create {
    experiment_id: Option<String>,
    name: Option<String>,
    model_type: Option<String>,
    source_run_id: Option<String>,
    #[serde(default)]
    params: Vec<Tag>,
    #[serde(default)]
    tags: Vec<Tag>,
}

/// `POST logged-models` → `{model}` (pending until finalized). A model logged outside
/// a run gets a run of its own, named after the model.
pub async fn create(
    State(state): State<AppState>,
    MlJson(body): MlJson<Create>,
) -> MlflowResult<Json<Value>> {
    let project =
        project_for_write(&state.storage, body.experiment_id.as_deref().unwrap_or("0")).await?;
    let name = body
        .name
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "model".to_owned());
    checked_key("name", &name)?;
    let experiment_id = match body.source_run_id.as_deref().filter(|id| !id.is_empty()) {
        Some(run) => {
            let experiment = run_experiment(&state.storage, run).await?;
            if experiment.project_id != project.id {
                return Err(MlflowError::invalid(format!(
                    "run {run} is not in experiment {}",
                    present::experiment_id_of(&project)
                )));
            }
            experiment.id
        }
        None => {
            let record = RunRecord {
                user_id: String::new(),
                start_time: timestamp::now_millis(),
                end_time: None,
                run_uuid: None,
            };
            state
                .storage
                .create_run(project.id, &name, &record, &RunWrites::default())
                .await?
        }
    };
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(|error| {
        crate::error::ApiError::Internal(anyhow::anyhow!("no randomness: {error}"))
    })?;
    let now = timestamp::now_millis();
    let model = LoggedModel {
        id: format!("m-{}", hex::encode(random)),
        experiment_id,
        project_id: project.id,
        name,
        model_type: body.model_type.unwrap_or_default(),
        status: STATUSES[0].to_owned(),
        params: checked_pairs("params", body.params, MAX_PARAM_VALUE_CHARS)?
            .into_iter()
            .collect(),
        tags: checked_pairs("tags", body.tags, MAX_TAG_VALUE_CHARS)?
            .into_iter()
            .collect(),
        created_at: now,
        updated_at: now,
    };
    state.storage.create_logged_model(&model).await?;
    Ok(Json(
        json!({"model": answer(&state.storage, &model).await?}),
    ))
}

/// `GET logged-models/{model_id}` → `{model}`.
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> MlflowResult<Json<Value>> {
    let model = existing(&state.storage, &id).await?;
    Ok(Json(
        json!({"model": answer(&state.storage, &model).await?}),
    ))
}

#[derive(Deserialize)]
pub struct Finalize {
    status: Option<Value>,
}

/// `PATCH logged-models/{model_id} {status}` → `{model}`.
pub async fn finalize(
    State(state): State<AppState>,
    Path(id): Path<String>,
    MlJson(body): MlJson<Finalize>,
) -> MlflowResult<Json<Value>> {
    let mut model = existing(&state.storage, &id).await?;
    let status = match body.status {
        Some(Value::String(text)) if STATUSES.contains(&text.as_str()) => text,
        // The enum's numbers: 1 pending, 2 ready, 3 upload failed.
        Some(Value::Number(number)) if (1..=3).contains(&number.as_i64().unwrap_or(0)) => {
            STATUSES[number.as_i64().unwrap_or(1) as usize - 1].to_owned()
        }
        other => {
            return Err(MlflowError::invalid(format!(
                "status {other:?} is not one of {}",
                STATUSES.join(", ")
            )))
        }
    };
    model.status = status;
    model.updated_at = timestamp::now_millis();
    state.storage.update_logged_model(&model).await?;
    Ok(Json(
        json!({"model": answer(&state.storage, &model).await?}),
    ))
}

/// `DELETE logged-models/{model_id}`: the record (its files stay with the run).
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> MlflowResult<Json<Value>> {
    existing(&state.storage, &id).await?;
    state.storage.delete_logged_model(&id).await?;
    Ok(Json(json!({})))
}

/// Stores a changed model, stamped now.
async fn save(storage: &Storage, mut model: LoggedModel) -> MlflowResult<Json<Value>> {
    model.updated_at = timestamp::now_millis();
    storage.update_logged_model(&model).await?;
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
pub struct Pairs {
    #[serde(default)]
    tags: Vec<Tag>,
    #[serde(default)]
    params: Vec<Tag>,
}

/// `PATCH logged-models/{model_id}/tags {tags}`.
pub async fn set_tags(
    State(state): State<AppState>,
    Path(id): Path<String>,
    MlJson(body): MlJson<Pairs>,
) -> MlflowResult<Json<Value>> {
    let mut model = existing(&state.storage, &id).await?;
    model
        .tags
        .extend(checked_pairs("tags", body.tags, MAX_TAG_VALUE_CHARS)?);
    save(&state.storage, model).await
}

/// `DELETE logged-models/{model_id}/tags/{key}`.
pub async fn delete_tag(
    State(state): State<AppState>,
    Path((id, key)): Path<(String, String)>,
) -> MlflowResult<Json<Value>> {
    let mut model = existing(&state.storage, &id).await?;
    if model.tags.remove(&key).is_none() {
        return Err(MlflowError::missing(format!(
            "No tag with key {key:?} on model {id}"
        )));
    }
    save(&state.storage, model).await
}

/// `POST logged-models/{model_id}/params {params}`.
pub async fn log_params(
    State(state): State<AppState>,
    Path(id): Path<String>,
    MlJson(body): MlJson<Pairs>,
) -> MlflowResult<Json<Value>> {
    let mut model = existing(&state.storage, &id).await?;
    model
        .params
        .extend(checked_pairs("params", body.params, MAX_PARAM_VALUE_CHARS)?);
    save(&state.storage, model).await
}

#[derive(Deserialize)]
pub struct Search {
    #[serde(default)]
    experiment_ids: Vec<String>,
    #[serde(default, deserialize_with = "opt_int64")]
    max_results: Option<i64>,
    page_token: Option<String>,
}

/// `POST logged-models/search {experiment_ids, max_results, page_token}` → `{models,
/// next_page_token}`, newest first. (Filters on models are not supported.)
pub async fn search(
    State(state): State<AppState>,
    MlJson(body): MlJson<Search>,
) -> MlflowResult<Json<Value>> {
    let mut projects = Vec::new();
    for id in &body.experiment_ids {
        if id == "0" && project_of(&state.storage, "0").await.is_err() {
            continue;
        }
        projects.push(project_of(&state.storage, id).await?.id);
    }
    let limit = body.max_results.unwrap_or(100).clamp(1, 50_000) as usize;
    let offset = page_token(body.page_token.as_deref())?;
    let models = state.storage.logged_models_of(&projects).await?;
    let (page, next) = page_after(models, offset, limit);
    let mut models = Vec::with_capacity(page.len());
    for model in &page {
        models.push(answer(&state.storage, model).await?);
    }
    let answer = page_answer("models", models, next);
    Ok(Json(answer))
}
