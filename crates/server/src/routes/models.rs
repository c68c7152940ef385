//! The model registry and exporting experiments into it (seed 000 `export_as_model`,
//! `export_in_existing_model`).

use super::experiments;
use super::Refused;
use crate::domain::checked_name;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::listing::ListParams;
use crate::state::AppState;
use crate::storage::ExportTarget;
use axum::extract::State;
use axum::http::StatusCode;
use trackboard_api::{ExportExperiment, Model, ModelVersion, NewModel, Page};

/// A checked new model; `prefix` names the fields (`model.name` inside an export).
fn checked_model(model: NewModel, prefix: &str) -> Result<NewModel, ApiError> {
    let field = |name: &str| format!("{prefix}{name}");
    if model.framework.chars().count() > 100 {
        return Err(ApiError::validation(
            field("framework"),
            "framework must be at most 100 characters",
        ));
    }
    if model.tags.len() > 50 {
        return Err(ApiError::validation(
            field("tags"),
            "a model may have at most 50 tags",
        ));
    }
    let tags = model
        .tags
        .iter()
        .enumerate()
        .map(|(index, tag)| checked_name(&field(&format!("tags[{index}]")), tag, 100))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(NewModel {
        name: checked_name(&field("name"), &model.name, 200)?,
        framework: model.framework.trim().to_owned(),
        tags,
        ..model
    })
}

/// `GET /api/v1/models`.
#[utoipa::path(
    get,
    path = "/v1/models",
    tag = "models",
    params(ListParams<Model>),
    responses((status = 200, body = Page<Model>), Refused)
)]
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<ListParams<Model>>,
) -> Result<axum::Json<Page<Model>>, ApiError> {
    let (page, order) = query.checked()?;
    let (items, total) = state.storage.list_models(page, &order).await?;
    Ok(axum::Json(page.answer(items, total)))
}

/// `POST /api/v1/models`: 201; 409 when the name is taken.
#[utoipa::path(
    post,
    path = "/v1/models",
    tag = "models",
    request_body = NewModel,
    responses((status = 201, body = Model), Refused)
)]
pub async fn create(
    State(state): State<AppState>,
    Json(body): Json<NewModel>,
) -> Result<(StatusCode, axum::Json<Model>), ApiError> {
    let model = checked_model(body, "")?;
    let created = state.storage.create_model(&model).await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

fn model_not_found(id: i64) -> ApiError {
    ApiError::NotFound(format!("no model with id {id}"))
}

/// `GET /api/v1/models/{id}`.
#[utoipa::path(
    get,
    path = "/v1/models/{model_id}",
    tag = "models",
    params(("model_id" = i64, Path)),
    responses((status = 200, body = Model), Refused)
)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<Model>, ApiError> {
    state
        .storage
        .get_model(id)
        .await?
        .map(axum::Json)
        .ok_or_else(|| model_not_found(id))
}

/// `GET /api/v1/models/{id}/versions`: newest first.
#[utoipa::path(
    get,
    path = "/v1/models/{model_id}/versions",
    tag = "models",
    params(("model_id" = i64, Path), ListParams<ModelVersion>),
    responses((status = 200, body = Page<ModelVersion>), Refused)
)]
pub async fn list_versions(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<ListParams<ModelVersion>>,
) -> Result<axum::Json<Page<ModelVersion>>, ApiError> {
    let (page, order) = query.checked()?;
    state
        .storage
        .get_model(id)
        .await?
        .ok_or_else(|| model_not_found(id))?;
    let (items, total) = state.storage.list_model_versions(id, page, &order).await?;
    Ok(axum::Json(page.answer(items, total)))
}

/// `GET /api/v1/model-versions/{id}`.
#[utoipa::path(
    get,
    path = "/v1/model-versions/{version_id}",
    tag = "models",
    params(("version_id" = i64, Path)),
    responses((status = 200, body = ModelVersion), Refused)
)]
pub async fn get_version(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<ModelVersion>, ApiError> {
    state
        .storage
        .get_model_version(id)
        .await?
        .map(axum::Json)
        .ok_or_else(|| ApiError::NotFound(format!("no model version with id {id}")))
}

/// `POST /api/v1/experiments/{id}/export`: 201 with the new model version.
#[utoipa::path(
    post,
    path = "/v1/experiments/{experiment_id}/export",
    tag = "models",
    params(("experiment_id" = i64, Path)),
    request_body = ExportExperiment,
    responses((status = 201, body = ModelVersion), Refused)
)]
pub async fn export(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
    Json(body): Json<ExportExperiment>,
) -> Result<(StatusCode, axum::Json<ModelVersion>), ApiError> {
    let target = match (body.model, body.model_id) {
        (Some(model), None) => ExportTarget::New(checked_model(model, "model.")?),
        (None, Some(id)) => ExportTarget::Existing(id),
        _ => {
            return Err(ApiError::validation(
                "model",
                "send either \"model\" (a new model: name, type, framework, description) or \"model_id\" (an existing model), not both",
            ))
        }
    };
    experiments::existing(&state.storage, experiment_id).await?;
    let version = state
        .storage
        .export_experiment(experiment_id, &target)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(version)))
}
