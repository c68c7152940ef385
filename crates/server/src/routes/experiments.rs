use super::projects;
use super::Refused;
use crate::domain::{ExperimentChanges, ExperimentDraft, LogData, PARAMETERS_LOG};
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::state::AppState;
use crate::storage::Storage;
use axum::extract::State;
use axum::http::StatusCode;
use std::collections::BTreeMap;
use trackboard_api::{Experiment, ExperimentPatch, LogContent, ModelVersion, NewExperiment};

/// The LABELMAP log a base model version's label map is copied into.
const LABELMAP_LOG: &str = "labelmap";

/// `POST /api/v1/projects/{id}/experiments`: 201; 409 when the name is taken in the project.
#[utoipa::path(
    post,
    path = "/v1/projects/{project_id}/experiments",
    tag = "experiments",
    params(("project_id" = i64, Path)),
    request_body = NewExperiment,
    responses((status = 201, body = Experiment), Refused)
)]
pub async fn create(
    State(state): State<AppState>,
    Path(project_id): Path<i64>,
    Json(body): Json<NewExperiment>,
) -> Result<(StatusCode, axum::Json<Experiment>), ApiError> {
    let draft = ExperimentDraft::try_from(body)?;
    if state.storage.get_project(project_id).await?.is_none() {
        return Err(projects::not_found(project_id));
    }
    if let Some(base_id) = draft.base_experiment_id {
        check_base(&state.storage, project_id, None, base_id).await?;
    }
    let base_version = match draft.base_model_version_id {
        Some(version_id) => Some(check_model_version(&state.storage, version_id).await?),
        None => None,
    };
    let experiment = state.storage.create_experiment(project_id, &draft).await?;
    if let (Some(version), true) = (base_version, draft.copy_base_parameters) {
        copy_base_parameters(&state, experiment.id, &version).await?;
    }
    Ok((StatusCode::CREATED, axum::Json(experiment)))
}

/// `GET /api/v1/experiments/{id}`.
#[utoipa::path(
    get,
    path = "/v1/experiments/{experiment_id}",
    tag = "experiments",
    params(("experiment_id" = i64, Path)),
    responses((status = 200, body = Experiment), Refused)
)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<Experiment>, ApiError> {
    state
        .storage
        .get_experiment(id)
        .await?
        .map(axum::Json)
        .ok_or_else(|| not_found(id))
}

/// `PATCH /api/v1/experiments/{id}`: name, description, status, base experiment.
#[utoipa::path(
    patch,
    path = "/v1/experiments/{experiment_id}",
    tag = "experiments",
    params(("experiment_id" = i64, Path)),
    request_body = ExperimentPatch,
    responses((status = 200, body = Experiment), Refused)
)]
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<ExperimentPatch>,
) -> Result<axum::Json<Experiment>, ApiError> {
    let changes = ExperimentChanges::try_from(body)?;
    let current = state
        .storage
        .get_experiment(id)
        .await?
        .ok_or_else(|| not_found(id))?;
    if let Some(Some(base_id)) = changes.base_experiment_id {
        check_base(&state.storage, current.project_id, Some(id), base_id).await?;
    }
    let base_version = match changes.base_model_version_id {
        Some(Some(version_id)) => Some(check_model_version(&state.storage, version_id).await?),
        _ => None,
    };
    let updated = state
        .storage
        .update_experiment(id, &changes)
        .await?
        .ok_or_else(|| not_found(id))?;
    if let (Some(version), true) = (base_version, changes.copy_base_parameters) {
        copy_base_parameters(&state, id, &version).await?;
    }
    Ok(axum::Json(updated))
}

/// `DELETE /api/v1/experiments/{id}`: 204 with its logs, points, artifacts, attachments
/// and stored files; experiments based on it are unlinked.
#[utoipa::path(
    delete,
    path = "/v1/experiments/{experiment_id}",
    tag = "experiments",
    params(("experiment_id" = i64, Path)),
    responses((status = 204, description = "Deleted with its logs, points, artifacts, attachments and files"), Refused)
)]
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    // Keys first: once the rows are gone nothing names the objects any more.
    let keys = state.storage.experiment_object_keys(id).await?;
    if state.storage.delete_experiment(id).await? {
        // Then those no remaining row names (a model version, another experiment's
        // registered artifact).
        let keys = state.storage.unshared_keys(keys).await?;
        state.objects.delete_all_logged(&keys).await;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found(id))
    }
}

fn not_found(id: i64) -> ApiError {
    ApiError::NotFound(format!("no experiment with id {id}"))
}

/// The experiment with this id, or the 404 that says so.
pub async fn existing(storage: &Storage, id: i64) -> Result<Experiment, ApiError> {
    storage
        .get_experiment(id)
        .await?
        .ok_or_else(|| not_found(id))
}

/// A base must exist, belong to the same project, and not lead back to the experiment
/// itself (no experiment is, through its bases, based on itself).
async fn check_base(
    storage: &Storage,
    project_id: i64,
    experiment_id: Option<i64>,
    base_id: i64,
) -> Result<(), ApiError> {
    let field = "base_experiment_id";
    let base = storage
        .get_experiment(base_id)
        .await?
        .ok_or_else(|| ApiError::validation(field, format!("no experiment with id {base_id}")))?;
    if base.project_id != project_id {
        return Err(ApiError::validation(
            field,
            "the base experiment must belong to the same project",
        ));
    }
    // `visited` bounds the walk even if concurrent updates ever stored a loop.
    let mut visited = std::collections::HashSet::new();
    let mut ancestor = Some(base);
    while let Some(current) = ancestor {
        if Some(current.id) == experiment_id || !visited.insert(current.id) {
            return Err(ApiError::validation(
                field,
                "an experiment cannot be based on itself, directly or through its bases",
            ));
        }
        ancestor = match current.base_experiment_id {
            Some(next) => storage.get_experiment(next).await?,
            None => None,
        };
    }
    Ok(())
}

async fn check_model_version(storage: &Storage, version_id: i64) -> Result<ModelVersion, ApiError> {
    storage.get_model_version(version_id).await?.ok_or_else(|| {
        ApiError::validation(
            "base_model_version_id",
            format!("no model version with id {version_id}"),
        )
    })
}

/// Seed 000's `do_attach_base_parameters`: the version's parameters become the
/// experiment's, under those it logged itself (its own value of a name wins), and its
/// label map becomes the LABELMAP log `labelmap` when the experiment has none. A
/// `parameters` log of another type than TABLE is left alone.
async fn copy_base_parameters(
    state: &AppState,
    experiment_id: i64,
    version: &ModelVersion,
) -> Result<(), ApiError> {
    let storage = &state.storage;
    let own = storage.get_log(experiment_id, PARAMETERS_LOG).await?;
    let own = match own.map(|log| log.content) {
        None => Some(BTreeMap::new()),
        Some(LogContent::Table(own)) => Some(own),
        Some(_) => None,
    };
    if let Some(own) = own.filter(|_| !version.parameters.is_empty()) {
        let mut merged = version.parameters.clone();
        merged.extend(own);
        let data = LogData::Table(merged);
        storage
            .write_log(experiment_id, PARAMETERS_LOG, &data, Some(true), None)
            .await?;
    }
    let has_labelmap = storage
        .get_log(experiment_id, LABELMAP_LOG)
        .await?
        .is_some();
    if !has_labelmap && !version.labelmap.is_empty() {
        let data = LogData::Labelmap(version.labelmap.clone());
        storage
            .write_log(experiment_id, LABELMAP_LOG, &data, Some(false), None)
            .await?;
    }
    Ok(())
}
