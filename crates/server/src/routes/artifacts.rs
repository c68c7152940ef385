//! Artifacts (seed 000 `store`, `list_artifacts`, `get_artifact`, `download`,
//! `delete_all_artifacts`): streamed in and out of the object store.

use super::experiments;
use super::logs::Deleted;
use super::respond::attachment;
use super::upload::ArtifactForm;
use super::upload::{read_upload, UploadForm};
use super::Refused;
use crate::domain::checked_name;
use crate::error::ApiError;
use crate::extract::{Multipart, Path, Query};
use crate::listing::ListParams;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use trackboard_api::{Artifact, Page};

/// `POST /api/v1/experiments/{id}/artifacts`, multipart: `file` (required) and `name`
/// (default: the file's name). 201; 409 when the name is taken (nothing is replaced).
#[utoipa::path(
    post,
    path = "/v1/experiments/{experiment_id}/artifacts",
    tag = "artifacts",
    params(("experiment_id" = i64, Path)),
    request_body(content = ArtifactForm, content_type = "multipart/form-data"),
    responses((status = 201, body = Artifact), Refused)
)]
pub async fn upload(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
    Multipart(multipart): Multipart,
) -> Result<(StatusCode, axum::Json<Artifact>), ApiError> {
    experiments::existing(&state.storage, experiment_id).await?;
    let form = UploadForm {
        kind: "artifacts",
        limit: state.limits.artifact_bytes,
        text_fields: &["name"],
        text_bytes: super::upload::MAX_TEXT_FIELD,
    };
    let upload = read_upload(multipart, &state.objects, form).await?;
    let filename: String = upload
        .filename
        .chars()
        .filter(|c| !c.is_control())
        .take(255)
        .collect();
    // An empty name means the file's name; any other is checked like every name.
    let name = match upload.fields.get("name").filter(|n| !n.is_empty()) {
        Some(name) => checked_name("name", name, 200).map_err(ApiError::from),
        None if !filename.trim().is_empty() => {
            checked_name("name", &filename, 200).map_err(ApiError::from)
        }
        None => Err(ApiError::validation(
            "name",
            "give the artifact a name, or upload a file with a filename",
        )),
    };
    let name = match name {
        Ok(name) => name,
        Err(error) => {
            upload.discard(&state.objects).await;
            return Err(error);
        }
    };
    let content_type = upload
        .declared_type
        .clone()
        .filter(|t| t.len() <= 200 && t.is_ascii() && !t.contains(['\r', '\n']))
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    match state
        .storage
        .create_artifact(
            experiment_id,
            &name,
            &filename,
            &content_type,
            &upload.object,
        )
        .await
    {
        Ok(artifact) => Ok((StatusCode::CREATED, axum::Json(artifact))),
        Err(error) => {
            upload.discard(&state.objects).await;
            Err(error.into())
        }
    }
}

/// The filter of `GET /experiments/{id}/artifacts`, beside [`ListParams`].
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArtifactFilter {
    /// Only the artifact with exactly this name.
    name: Option<String>,
}

/// `GET /api/v1/experiments/{id}/artifacts?limit&offset&order_by&name`.
///
/// `order_by`: `name` (default), `created` or `size`.
#[utoipa::path(
    get,
    path = "/v1/experiments/{experiment_id}/artifacts",
    tag = "artifacts",
    params(("experiment_id" = i64, Path), ListParams<Artifact>, ArtifactFilter),
    responses((status = 200, body = Page<Artifact>), Refused)
)]
pub async fn list(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
    Query(list): Query<ListParams<Artifact>>,
    Query(filter): Query<ArtifactFilter>,
) -> Result<axum::Json<Page<Artifact>>, ApiError> {
    let (page, order) = list.checked()?;
    experiments::existing(&state.storage, experiment_id).await?;
    let (items, total) = state
        .storage
        .list_artifacts(experiment_id, page, &order, filter.name.as_deref())
        .await?;
    Ok(axum::Json(page.answer(items, total)))
}

fn not_found(id: i64) -> ApiError {
    ApiError::NotFound(format!("no artifact with id {id}"))
}

/// `GET /api/v1/artifacts/{id}`: the record.
#[utoipa::path(
    get,
    path = "/v1/artifacts/{artifact_id}",
    tag = "artifacts",
    params(("artifact_id" = i64, Path)),
    responses((status = 200, body = Artifact), Refused)
)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<Artifact>, ApiError> {
    let (artifact, _) = state
        .storage
        .get_artifact(id)
        .await?
        .ok_or_else(|| not_found(id))?;
    Ok(axum::Json(artifact))
}

/// `GET /api/v1/artifacts/{id}/download`: the bytes, streamed, always as an attachment.
#[utoipa::path(
    get,
    path = "/v1/artifacts/{artifact_id}/download",
    tag = "artifacts",
    params(("artifact_id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", description = "The bytes, streamed, as an attachment"), Refused)
)]
pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let (artifact, key) = state
        .storage
        .get_artifact(id)
        .await?
        .ok_or_else(|| not_found(id))?;
    let stream = state
        .objects
        .get_stream(&key)
        .await
        .map_err(|error| ApiError::Internal(error.into()))?;
    Ok(attachment(
        &artifact.filename,
        artifact.size,
        Body::from_stream(stream),
    ))
}

/// `DELETE /api/v1/artifacts/{id}`: 204; the stored bytes go too.
#[utoipa::path(
    delete,
    path = "/v1/artifacts/{artifact_id}",
    tag = "artifacts",
    params(("artifact_id" = i64, Path)),
    responses((status = 204, description = "Deleted"), Refused)
)]
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let key = state
        .storage
        .delete_artifact(id)
        .await?
        .ok_or_else(|| not_found(id))?;
    state.objects.delete_all_logged(&[key]).await;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/v1/experiments/{id}/artifacts`: every artifact of the experiment.
#[utoipa::path(
    delete,
    path = "/v1/experiments/{experiment_id}/artifacts",
    tag = "artifacts",
    params(("experiment_id" = i64, Path)),
    responses((status = 200, body = Deleted), Refused)
)]
pub async fn delete_all(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
) -> Result<axum::Json<Deleted>, ApiError> {
    experiments::existing(&state.storage, experiment_id).await?;
    let keys = state.storage.delete_all_artifacts(experiment_id).await?;
    state.objects.delete_all_logged(&keys).await;
    Ok(axum::Json(Deleted {
        deleted: keys.len() as u64,
    }))
}
