//! MLflow experiments, which are Trackboard projects: create, get, get-by-name,
//! search, update (rename), delete, and experiment tags.

use super::error::{MlflowError, MlflowResult};
use super::extract::{MlJson, MlQuery};
use super::present::{self, experiment_id_of};
use super::search::{page_answer, Search, SearchRequest, Searched};
use crate::domain::mlflow::{
    checked_key, checked_value, parse_experiment_id, DEFAULT_EXPERIMENT_NAME, NOTE_TAG,
};
use crate::domain::mlflow_search::{Field, Kind, SearchValue};
use crate::domain::{ProjectChanges, ProjectDraft};
use crate::state::AppState;
use crate::storage::Storage;
use crate::timestamp;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use trackboard_api::{Project, PROJECT_NAME_MAX_CHARS};

/// The project an MLflow experiment id names; `"0"` is the project "Default" once a
/// write has created it (reads never create: a read token writes nothing).
pub async fn project_of(storage: &Storage, experiment_id: &str) -> MlflowResult<Project> {
    let missing = || MlflowError::missing(format!("no experiment with id {experiment_id:?}"));
    if experiment_id == "0" {
        return storage
            .project_named(DEFAULT_EXPERIMENT_NAME)
            .await?
            .ok_or_else(missing);
    }
    let id = parse_experiment_id(experiment_id).ok_or_else(missing)?;
    storage.get_project(id).await?.ok_or_else(missing)
}

/// As [`project_of`], for a write: MLflow's default experiment `"0"` (where runs go
/// without `set_experiment`) is created the first time a client logs to it.
pub async fn project_for_write(storage: &Storage, experiment_id: &str) -> MlflowResult<Project> {
    if experiment_id == "0" {
        return default_project(storage).await;
    }
    project_of(storage, experiment_id).await
}

async fn default_project(storage: &Storage) -> MlflowResult<Project> {
    if let Some(project) = storage.project_named(DEFAULT_EXPERIMENT_NAME).await? {
        return Ok(project);
    }
    let draft = ProjectDraft {
        name: DEFAULT_EXPERIMENT_NAME.to_owned(),
        description: String::new(),
    };
    match storage.create_project(&draft).await {
        Ok(project) => Ok(project),
        // Another request created it meanwhile.
        Err(_) => storage
            .project_named(DEFAULT_EXPERIMENT_NAME)
            .await?
            .ok_or_else(|| MlflowError::missing("the Default experiment")),
    }
}

async fn answer(storage: &Storage, project: &Project) -> MlflowResult<Value> {
    let tags = storage.experiment_tags(project.id).await?;
    Ok(present::experiment(project, &tags))
}

/// A key and value pair (MLflow's tags and params).
#[derive(Deserialize)]
pub struct Tag {
    pub key: String,
    #[serde(default)]
    pub value: String,
}

/// Key and value pairs checked as MLflow checks them; refusals name `field[i].key` or
/// `field[i].value`.
pub fn checked_pairs(
    field: &str,
    pairs: Vec<Tag>,
    max_chars: usize,
) -> MlflowResult<Vec<(String, String)>> {
    pairs
        .into_iter()
        .enumerate()
        .map(|(index, Tag { key, value })| {
            checked_key(&format!("{field}[{index}].key"), &key)?;
            checked_value(&format!("{field}[{index}].value"), &value, max_chars)?;
            Ok((key, value))
        })
        .collect()
}

#[derive(Deserialize)]
pub struct CreateExperiment {
    name: Option<String>,
    #[serde(default)]
    tags: Vec<Tag>,
}

/// `POST experiments/create {name, tags}` → `{experiment_id}`.
pub async fn create(
    State(state): State<AppState>,
    MlJson(body): MlJson<CreateExperiment>,
) -> MlflowResult<Json<Value>> {
    let name = body.name.unwrap_or_default();
    if name.is_empty() {
        return Err(MlflowError::invalid("experiment name must not be empty"));
    }
    let draft = ProjectDraft {
        name: crate::domain::checked_name("name", &name, PROJECT_NAME_MAX_CHARS)?,
        description: String::new(),
    };
    for tag in &body.tags {
        checked_key("tags.key", &tag.key)?;
    }
    let project = state
        .storage
        .create_project(&draft)
        .await
        .map_err(|error| {
            let error = MlflowError::from(error);
            if error.code == "RESOURCE_ALREADY_EXISTS" {
                MlflowError::exists(format!("Experiment '{name}' already exists."))
            } else {
                error
            }
        })?;
    for tag in &body.tags {
        set_tag(&state.storage, &project, &tag.key, Some(&tag.value)).await?;
    }
    Ok(Json(json!({"experiment_id": experiment_id_of(&project)})))
}

/// A tag write; `mlflow.note.content` is the project's description.
async fn set_tag(
    storage: &Storage,
    project: &Project,
    key: &str,
    value: Option<&str>,
) -> MlflowResult<()> {
    if key == NOTE_TAG {
        let changes = ProjectChanges {
            description: Some(value.unwrap_or_default().to_owned()),
            ..Default::default()
        };
        storage.update_project(project.id, &changes).await?;
        return Ok(());
    }
    Ok(storage.set_experiment_tag(project.id, key, value).await?)
}

#[derive(Deserialize)]
pub struct ById {
    experiment_id: String,
}

/// `GET experiments/get?experiment_id` → `{experiment}`.
pub async fn get(
    State(state): State<AppState>,
    MlQuery(query): MlQuery<ById>,
) -> MlflowResult<Json<Value>> {
    let project = project_of(&state.storage, &query.experiment_id).await?;
    Ok(Json(
        json!({"experiment": answer(&state.storage, &project).await?}),
    ))
}

#[derive(Deserialize)]
pub struct ByName {
    experiment_name: String,
}

/// `GET experiments/get-by-name?experiment_name` → `{experiment}`.
pub async fn get_by_name(
    State(state): State<AppState>,
    MlQuery(query): MlQuery<ByName>,
) -> MlflowResult<Json<Value>> {
    let project = state
        .storage
        .project_named(&query.experiment_name)
        .await?
        .ok_or_else(|| {
            MlflowError::missing(format!(
                "Could not find experiment with name '{}'",
                query.experiment_name
            ))
        })?;
    Ok(Json(
        json!({"experiment": answer(&state.storage, &project).await?}),
    ))
}

/// How experiments are searched: newest first after the asked order; MLflow's cap.
const EXPERIMENTS: Searched = Searched {
    default_order: "creation_time DESC",
    max_page: 50_000,
};

/// `POST experiments/search` → `{experiments, next_page_token}`.
pub async fn search(
    State(state): State<AppState>,
    MlJson(body): MlJson<SearchRequest>,
) -> MlflowResult<Json<Value>> {
    let search = Search::checked(&body, &EXPERIMENTS)?;
    let mut projects = Vec::new();
    for project in state.storage.all_projects().await? {
        let tags: BTreeMap<String, String> = state
            .storage
            .experiment_tags(project.id)
            .await?
            .into_iter()
            .collect();
        projects.push((project, tags));
    }
    let (page, next) = search.page(
        projects,
        |(project, tags), field| experiment_value(project, tags, field),
        |(project, _)| project.id,
    );
    let mut experiments = Vec::with_capacity(page.len());
    for (project, _) in &page {
        experiments.push(answer(&state.storage, project).await?);
    }
    Ok(Json(page_answer("experiments", experiments, next)))
}

fn experiment_value(
    project: &Project,
    tags: &BTreeMap<String, String>,
    field: &Field,
) -> Option<SearchValue> {
    match field.kind {
        Kind::Tag => tags.get(&field.key).cloned().map(SearchValue::Text),
        Kind::Attribute => match field.key.as_str() {
            "name" => Some(SearchValue::Text(project.name.clone())),
            "experiment_id" => Some(SearchValue::Text(experiment_id_of(project))),
            "creation_time" => {
                timestamp::millis(&project.created_at).map(|ms| SearchValue::Number(ms as f64))
            }
            "last_update_time" => {
                timestamp::millis(&project.updated_at).map(|ms| SearchValue::Number(ms as f64))
            }
            _ => None,
        },
        _ => None,
    }
}

#[derive(Deserialize)]
pub struct Update {
    experiment_id: String,
    new_name: Option<String>,
}

/// `POST experiments/update {experiment_id, new_name}`.
pub async fn update(
    State(state): State<AppState>,
    MlJson(body): MlJson<Update>,
) -> MlflowResult<Json<Value>> {
    let project = project_of(&state.storage, &body.experiment_id).await?;
    if let Some(name) = body.new_name {
        let changes = ProjectChanges {
            name: Some(crate::domain::checked_name(
                "new_name",
                &name,
                PROJECT_NAME_MAX_CHARS,
            )?),
            ..Default::default()
        };
        state.storage.update_project(project.id, &changes).await?;
    }
    Ok(Json(json!({})))
}

/// `POST experiments/delete {experiment_id}`: deletes the project with everything in
/// it (Trackboard has no soft delete; restore answers that it is gone).
pub async fn delete(
    State(state): State<AppState>,
    MlJson(body): MlJson<ById>,
) -> MlflowResult<Json<Value>> {
    let project = project_of(&state.storage, &body.experiment_id).await?;
    let keys = state.storage.project_object_keys(project.id).await?;
    if state.storage.delete_project(project.id).await? {
        let keys = state.storage.unshared_keys(keys).await?;
        state.objects.delete_all_logged(&keys).await;
    }
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
pub struct TagWrite {
    experiment_id: String,
    key: String,
    value: Option<String>,
}

/// `POST experiments/set-experiment-tag {experiment_id, key, value}`.
pub async fn set_experiment_tag(
    State(state): State<AppState>,
    MlJson(body): MlJson<TagWrite>,
) -> MlflowResult<Json<Value>> {
    checked_key("key", &body.key)?;
    let project = project_of(&state.storage, &body.experiment_id).await?;
    let value = body.value.unwrap_or_default();
    set_tag(&state.storage, &project, &body.key, Some(&value)).await?;
    Ok(Json(json!({})))
}

/// `POST experiments/delete-experiment-tag {experiment_id, key}`.
pub async fn delete_experiment_tag(
    State(state): State<AppState>,
    MlJson(body): MlJson<TagWrite>,
) -> MlflowResult<Json<Value>> {
    let project = project_of(&state.storage, &body.experiment_id).await?;
    set_tag(&state.storage, &project, &body.key, None).await?;
    Ok(Json(json!({})))
}
