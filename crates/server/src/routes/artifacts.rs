//! Artifacts (seed 000 `store`, `list_artifacts`, `get_artifact`, `download`,
//! `delete_all_artifacts`): streamed in and out of the object store.

use super::experiments;
use super::logs::Deleted;
use super::respond::attachment;
use super::upload::ArtifactForm;
use super::upload::{boolean_field, read_upload, UploadForm};
use super::Refused;
use crate::domain::{checked_name, registered_object_key};
use crate::error::ApiError;
use crate::extract::{Json, Multipart, Path, Query};
use crate::listing::ListParams;
use crate::objects::StoredObject;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use trackboard_api::{Artifact, Page, RegisteredArtifact};

/// `POST /api/v1/experiments/{id}/artifacts`, multipart: `file` (required), `name`
/// (default: the file's name) and `replace` (default `true`, as seed 000's `store`
/// replaces: the old bytes stay until the new ones are whole; `false`: 409 when the name
/// is taken). 201.
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
        text_fields: &["name", "replace"],
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
    let checked = name.and_then(|name| {
        let replace = boolean_field(&upload.fields, "replace")?.unwrap_or(true);
        Ok((name, replace))
    });
    let (name, replace) = match checked {
        Ok(checked) => checked,
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
    let record = NewArtifact {
        experiment_id,
        name: &name,
        filename: &filename,
        content_type: &content_type,
        object: &upload.object,
    };
    match record_artifact(&state, record, replace).await {
        Ok(artifact) => Ok((StatusCode::CREATED, axum::Json(artifact))),
        Err(error) => {
            upload.discard(&state.objects).await;
            Err(error)
        }
    }
}

/// An artifact's row to write: its object is stored already.
struct NewArtifact<'a> {
    experiment_id: i64,
    name: &'a str,
    filename: &'a str,
    content_type: &'a str,
    object: &'a StoredObject,
}

/// Records an artifact, replacing one of its name when `replace`. The replaced object is
/// deleted after the commit, unless something still names it (a model version exported
/// with it, another artifact registered on it, or this very artifact again).
async fn record_artifact(
    state: &AppState,
    new: NewArtifact<'_>,
    replace: bool,
) -> Result<Artifact, ApiError> {
    let storage = &state.storage;
    let (id, name, filename, kind, object) = (
        new.experiment_id,
        new.name,
        new.filename,
        new.content_type,
        new.object,
    );
    if !replace {
        return Ok(storage
            .create_artifact(id, name, filename, kind, object)
            .await?);
    }
    let (artifact, replaced) = storage
        .put_artifact(id, name, filename, kind, object)
        .await?;
    let replaced: Vec<String> = replaced
        .into_iter()
        .filter(|key| key != &object.key)
        .collect();
    let orphans = storage.unshared_keys(replaced).await?;
    state.objects.delete_all_logged(&orphans).await;
    Ok(artifact)
}

/// `POST /api/v1/experiments/{id}/artifacts/registered` (seed 000 `create_artifact`):
/// records an object the script put in the artifact store itself as the artifact
/// `name`, replacing one of that name. The server reads the object once for its size
/// and SHA-256. 201; 422 when the key is malformed, in a folder the server writes, or
/// holds no object.
#[utoipa::path(
    post,
    path = "/v1/experiments/{experiment_id}/artifacts/registered",
    tag = "artifacts",
    params(("experiment_id" = i64, Path)),
    request_body = RegisteredArtifact,
    responses((status = 201, body = Artifact), Refused)
)]
pub async fn register(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
    Json(body): Json<RegisteredArtifact>,
) -> Result<(StatusCode, axum::Json<Artifact>), ApiError> {
    let name = checked_name("name", &body.name, 200)?;
    let key = registered_object_key(&body.object_name)?;
    if body.filename.chars().count() > 255 || body.filename.chars().any(char::is_control) {
        return Err(ApiError::validation(
            "filename",
            "filename must be at most 255 characters, none of them control characters",
        ));
    }
    let filename = match body.filename.trim() {
        "" => key.rsplit('/').next().unwrap_or(&key).to_owned(),
        given => given.to_owned(),
    };
    experiments::existing(&state.storage, experiment_id).await?;
    let (size, sha256) = state
        .objects
        .digest(&key)
        .await
        .map_err(|error| ApiError::Internal(error.into()))?
        .ok_or_else(|| {
            ApiError::validation(
                "object_name",
                format!("the artifact store holds no object at {key:?}; upload it first"),
            )
        })?;
    let object = StoredObject {
        key,
        size,
        sha256,
        head: Vec::new(),
    };
    let record = NewArtifact {
        experiment_id,
        name: &name,
        filename: &filename,
        content_type: "application/octet-stream",
        object: &object,
    };
    let artifact = record_artifact(&state, record, true).await?;
    Ok((StatusCode::CREATED, axum::Json(artifact)))
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
    let orphans = state.storage.unshared_keys(vec![key]).await?;
    state.objects.delete_all_logged(&orphans).await;
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
    let deleted = keys.len() as u64;
    let orphans = state.storage.unshared_keys(keys).await?;
    state.objects.delete_all_logged(&orphans).await;
    Ok(axum::Json(Deleted { deleted }))
}
