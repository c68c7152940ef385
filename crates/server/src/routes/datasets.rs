//! The dataset registry and attaching versions to experiments (seed 000
//! `attach_dataset`, `detach_dataset`, `list_attached_dataset_versions`).

use super::experiments;
use super::Refused;
use crate::domain::checked_name;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::listing::ListParams;
use crate::state::AppState;
use crate::storage::VersionDraft;
use axum::extract::State;
use axum::http::StatusCode;
use trackboard_api::{
    AttachDataset, AttachedDataset, Dataset, DatasetVersion, NewDataset, NewDatasetVersion, Page,
};

const MAX_LABELS: usize = 10_000;

fn dataset_not_found(id: i64) -> ApiError {
    ApiError::NotFound(format!("no dataset with id {id}"))
}

/// `GET /api/v1/datasets`.
#[utoipa::path(
    get,
    path = "/v1/datasets",
    tag = "datasets",
    params(ListParams<Dataset>),
    responses((status = 200, body = Page<Dataset>), Refused)
)]
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<ListParams<Dataset>>,
) -> Result<axum::Json<Page<Dataset>>, ApiError> {
    let (page, order) = query.checked()?;
    let (items, total) = state.storage.list_datasets(page, &order).await?;
    Ok(axum::Json(page.answer(items, total)))
}

/// `POST /api/v1/datasets`: 201; 409 when the name is taken.
#[utoipa::path(
    post,
    path = "/v1/datasets",
    tag = "datasets",
    request_body = NewDataset,
    responses((status = 201, body = Dataset), Refused)
)]
pub async fn create(
    State(state): State<AppState>,
    Json(body): Json<NewDataset>,
) -> Result<(StatusCode, axum::Json<Dataset>), ApiError> {
    let name = checked_name("name", &body.name, 200)?;
    let dataset = state
        .storage
        .create_dataset(&name, &body.description)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(dataset)))
}

/// `GET /api/v1/datasets/{id}`.
#[utoipa::path(
    get,
    path = "/v1/datasets/{dataset_id}",
    tag = "datasets",
    params(("dataset_id" = i64, Path)),
    responses((status = 200, body = Dataset), Refused)
)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<Dataset>, ApiError> {
    state
        .storage
        .get_dataset(id)
        .await?
        .map(axum::Json)
        .ok_or_else(|| dataset_not_found(id))
}

/// `GET /api/v1/datasets/{id}/versions`: newest first.
#[utoipa::path(
    get,
    path = "/v1/datasets/{dataset_id}/versions",
    tag = "datasets",
    params(("dataset_id" = i64, Path), ListParams<DatasetVersion>),
    responses((status = 200, body = Page<DatasetVersion>), Refused)
)]
pub async fn list_versions(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<ListParams<DatasetVersion>>,
) -> Result<axum::Json<Page<DatasetVersion>>, ApiError> {
    let (page, order) = query.checked()?;
    state
        .storage
        .get_dataset(id)
        .await?
        .ok_or_else(|| dataset_not_found(id))?;
    let (items, total) = state
        .storage
        .list_dataset_versions(id, page, &order)
        .await?;
    Ok(axum::Json(page.answer(items, total)))
}

/// `POST /api/v1/datasets/{id}/versions`: 201; 409 when the version name is taken.
#[utoipa::path(
    post,
    path = "/v1/datasets/{dataset_id}/versions",
    tag = "datasets",
    params(("dataset_id" = i64, Path)),
    request_body = NewDatasetVersion,
    responses((status = 201, body = DatasetVersion), Refused)
)]
pub async fn create_version(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<NewDatasetVersion>,
) -> Result<(StatusCode, axum::Json<DatasetVersion>), ApiError> {
    let version = checked_name("version", &body.version, 200)?;
    if body.labels.len() > MAX_LABELS {
        return Err(ApiError::validation(
            "labels",
            format!("a version may name at most {MAX_LABELS} labels"),
        ));
    }
    let labels = body
        .labels
        .iter()
        .enumerate()
        .map(|(index, label)| checked_name(&format!("labels[{index}]"), label, 200))
        .collect::<Result<Vec<_>, _>>()?;
    state
        .storage
        .get_dataset(id)
        .await?
        .ok_or_else(|| dataset_not_found(id))?;
    let draft = VersionDraft {
        version,
        description: body.description,
        asset_count: body.asset_count,
        labels,
    };
    let created = state.storage.create_dataset_version(id, &draft).await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

/// `GET /api/v1/dataset-versions/{id}`.
#[utoipa::path(
    get,
    path = "/v1/dataset-versions/{version_id}",
    tag = "datasets",
    params(("version_id" = i64, Path)),
    responses((status = 200, body = DatasetVersion), Refused)
)]
pub async fn get_version(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<DatasetVersion>, ApiError> {
    state
        .storage
        .get_dataset_version(id)
        .await?
        .map(axum::Json)
        .ok_or_else(|| ApiError::NotFound(format!("no dataset version with id {id}")))
}

/// `GET /api/v1/experiments/{id}/datasets`: what is attached, by alias.
#[utoipa::path(
    get,
    path = "/v1/experiments/{experiment_id}/datasets",
    tag = "datasets",
    params(("experiment_id" = i64, Path)),
    responses((status = 200, body = Vec<AttachedDataset>), Refused)
)]
pub async fn attached(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<Vec<AttachedDataset>>, ApiError> {
    experiments::existing(&state.storage, id).await?;
    Ok(axum::Json(state.storage.attached_datasets(id).await?))
}

/// `POST /api/v1/experiments/{id}/datasets`: 201; 404 for a missing version; 409 when
/// the alias is taken.
#[utoipa::path(
    post,
    path = "/v1/experiments/{experiment_id}/datasets",
    tag = "datasets",
    params(("experiment_id" = i64, Path)),
    request_body = AttachDataset,
    responses((status = 201, body = Vec<AttachedDataset>), Refused)
)]
pub async fn attach(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<AttachDataset>,
) -> Result<(StatusCode, axum::Json<Vec<AttachedDataset>>), ApiError> {
    let alias = checked_name("alias", &body.alias, 100)?;
    experiments::existing(&state.storage, id).await?;
    if state
        .storage
        .get_dataset_version(body.dataset_version_id)
        .await?
        .is_none()
    {
        return Err(ApiError::NotFound(format!(
            "no dataset version with id {}",
            body.dataset_version_id
        )));
    }
    state
        .storage
        .attach_dataset(id, &alias, body.dataset_version_id)
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(state.storage.attached_datasets(id).await?),
    ))
}

/// `DELETE /api/v1/experiments/{id}/datasets/{alias}`: 204.
#[utoipa::path(
    delete,
    path = "/v1/experiments/{experiment_id}/datasets/{alias}",
    tag = "datasets",
    params(("experiment_id" = i64, Path), ("alias" = String, Path)),
    responses((status = 204, description = "Detached"), Refused)
)]
pub async fn detach(
    State(state): State<AppState>,
    Path((id, alias)): Path<(i64, String)>,
) -> Result<StatusCode, ApiError> {
    experiments::existing(&state.storage, id).await?;
    if state.storage.detach_dataset(id, &alias).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(format!(
            "nothing is attached to experiment {id} as {alias:?}"
        )))
    }
}
