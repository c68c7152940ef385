//! Artifacts (seed 000 `store`, `list_artifacts`, `get_artifact`, `download`,
//! `delete_all_artifacts`): streamed in and out of the object store.

use super::experiments;
use super::logs::Deleted;
use super::points::safe_filename;
use super::upload::read_upload;
use super::upload::ArtifactForm;
use crate::domain::checked_name;
use crate::error::ApiError;
use crate::extract::{ListQuery, Path, Query};
use crate::storage::is_unique_violation;
use crate::AppState;
use axum::body::Body;
use axum::extract::multipart::Multipart;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use trackboard_api::ErrorEnvelope;
use trackboard_api::{Artifact, Page};

/// The largest artifact accepted by default: 5 GiB.
pub const DEFAULT_ARTIFACT_LIMIT: u64 = 5 * 1024 * 1024 * 1024;

/// `POST /api/v1/experiments/{id}/artifacts`, multipart: `file` (required) and `name`
/// (default: the file's name). 201; 409 when the name is taken (nothing is replaced).
#[utoipa::path(
    post,
    path = "/v1/experiments/{experiment_id}/artifacts",
    tag = "artifacts",
    params(("experiment_id" = i64, Path)),
    request_body(content = ArtifactForm, content_type = "multipart/form-data"),
    responses((status = 201, body = Artifact), (status = "4XX", description = "Refused; the error envelope says why and names the field", body = ErrorEnvelope)),
    security(("bearer" = []))
)]
pub async fn upload(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
    multipart: Multipart,
) -> Result<(StatusCode, axum::Json<Artifact>), ApiError> {
    experiments::existing(&state.storage, experiment_id).await?;
    let upload = read_upload(
        multipart,
        &state.objects,
        "artifacts",
        state.limits.artifact_bytes,
    )
    .await?;
    let filename: String = upload
        .filename
        .chars()
        .filter(|c| !c.is_control())
        .take(255)
        .collect();
    let name = match upload.fields.get("name").filter(|n| !n.trim().is_empty()) {
        Some(name) => checked_name("name", name, 200),
        None if !filename.trim().is_empty() => checked_name("name", &filename, 200),
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
            if is_unique_violation(&error) {
                Err(ApiError::conflict(
                    "name",
                    format!(
                        "this experiment already has an artifact named {name:?}; delete it first"
                    ),
                ))
            } else if crate::storage::is_foreign_key_violation(&error) {
                Err(ApiError::NotFound(format!(
                    "no experiment with id {experiment_id}"
                )))
            } else {
                Err(error.into())
            }
        }
    }
}

/// Query of `GET /experiments/{id}/artifacts`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    limit: Option<i64>,
    offset: Option<i64>,
    /// `name` (default), `created`, `size`; `-` for descending.
    order_by: Option<String>,
    /// Only the artifact with exactly this name.
    name: Option<String>,
}

/// `GET /api/v1/experiments/{id}/artifacts?limit&offset&order_by&name`.
#[utoipa::path(
    get,
    path = "/v1/experiments/{experiment_id}/artifacts",
    tag = "artifacts",
    params(("experiment_id" = i64, Path), ListParams),
    responses((status = 200, body = Page<Artifact>), (status = "4XX", description = "Refused; the error envelope says why and names the field", body = ErrorEnvelope)),
    security(("bearer" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<Page<Artifact>>, ApiError> {
    let (page, order) = ListQuery {
        limit: params.limit,
        offset: params.offset,
        order_by: params.order_by,
    }
    .checked(
        &[
            ("name", "name"),
            ("created", "created_at"),
            ("size", "size"),
        ],
        "name",
        "id",
    )?;
    experiments::existing(&state.storage, experiment_id).await?;
    let (items, total) = state
        .storage
        .list_artifacts(experiment_id, page, &order, params.name.as_deref())
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
    responses((status = 200, body = Artifact), (status = "4XX", description = "Refused; the error envelope says why and names the field", body = ErrorEnvelope)),
    security(("bearer" = []))
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
    responses((status = 200, content_type = "application/octet-stream", description = "The bytes, streamed, as an attachment"), (status = "4XX", description = "Refused; the error envelope says why and names the field", body = ErrorEnvelope)),
    security(("bearer" = []))
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

/// A download answer: generic type, attachment disposition with an ASCII-safe name
/// (and the UTF-8 name encoded), never sniffed by the browser.
pub fn attachment(filename: &str, size: u64, body: Body) -> Response {
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_LENGTH, size.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}\"; filename*=UTF-8''{encoded}",
                    safe_filename(filename)
                ),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// `DELETE /api/v1/artifacts/{id}`: 204; the stored bytes go too.
#[utoipa::path(
    delete,
    path = "/v1/artifacts/{artifact_id}",
    tag = "artifacts",
    params(("artifact_id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = "4XX", description = "Refused; the error envelope says why and names the field", body = ErrorEnvelope)),
    security(("bearer" = []))
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
    responses((status = 200, body = Deleted), (status = "4XX", description = "Refused; the error envelope says why and names the field", body = ErrorEnvelope)),
    security(("bearer" = []))
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
