//! MLflow's multipart artifact uploads (`mlflow-artifacts/mpu/…`, used for large files
//! when `MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD` is set): `create` hands out one URL per
//! part on this server, with the caller's own `Authorization` header to send along; each
//! part is streamed into an object of its own; `complete` streams the parts, in order,
//! into one artifact; `abort` drops them.

use super::artifacts::{locate, record_artifact, upload_refused};
use super::error::{MlflowError, MlflowResult};
use super::extract::MlJson;
use crate::domain::checked_name;
use crate::state::AppState;
use crate::storage::Upload;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::{json, Value};

/// S3's bound on the parts of one upload, which MLflow's client also respects.
const MAX_PARTS: i64 = 10_000;

#[derive(Deserialize)]
pub struct Create {
    /// The local file's path on the client; its last segment names the artifact.
    path: String,
    num_parts: i64,
}

/// The origin the client reached this server at, for the part URLs it must call.
fn origin(headers: &HeaderMap) -> MlflowResult<String> {
    let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let host = text("x-forwarded-host")
        .or_else(|| text(header::HOST.as_str()))
        .filter(|host| !host.is_empty() && !host.contains(['/', ' ', '@']))
        .ok_or_else(|| MlflowError::invalid("the request names no Host"))?;
    let scheme = match text("x-forwarded-proto") {
        Some("https") => "https",
        _ => "http",
    };
    Ok(format!("{scheme}://{host}"))
}

/// `POST /api/2.0/mlflow-artifacts/mpu/create/<folder> {path, num_parts}` →
/// `{upload_id, credentials: [{part_number, url, headers}]}`.
pub async fn create(
    State(state): State<AppState>,
    Path(folder): Path<String>,
    headers: HeaderMap,
    MlJson(body): MlJson<Create>,
) -> MlflowResult<Json<Value>> {
    if !(1..=MAX_PARTS).contains(&body.num_parts) {
        return Err(MlflowError::invalid(format!(
            "num_parts must be between 1 and {MAX_PARTS}, not {}",
            body.num_parts
        )));
    }
    let located = locate(&state, &folder).await?;
    let file = body.path.rsplit(['/', '\\']).next().unwrap_or_default();
    if file.is_empty() || file == ".." || file == "." {
        return Err(MlflowError::invalid(format!(
            "path {:?} names no file",
            body.path
        )));
    }
    let name = if located.name.is_empty() {
        file.to_owned()
    } else {
        format!("{}/{file}", located.name)
    };
    let name = checked_name("path", &name, 200)?;
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(|error| {
        crate::error::ApiError::Internal(anyhow::anyhow!("no randomness: {error}"))
    })?;
    let id = hex::encode(random);
    let upload = Upload {
        experiment_id: located.experiment_id,
        name,
        parts: body.num_parts,
    };
    state.storage.create_upload(&id, &upload).await?;
    let origin = origin(&headers)?;
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let credentials: Vec<Value> = (1..=body.num_parts)
        .map(|part| {
            json!({
                "part_number": part,
                "url": format!("{origin}/api/2.0/mlflow-artifacts/mpu/part/{id}/{part}"),
                "headers": {"Authorization": authorization},
            })
        })
        .collect();
    Ok(Json(json!({"upload_id": id, "credentials": credentials})))
}

async fn existing(state: &AppState, id: &str) -> MlflowResult<Upload> {
    state
        .storage
        .upload(id)
        .await?
        .ok_or_else(|| MlflowError::missing(format!("no multipart upload {id:?} in progress")))
}

/// `PUT /api/2.0/mlflow-artifacts/mpu/part/<upload id>/<part number>`: the part's bytes,
/// streamed; answered with its ETag (the part's sha256). A part sent again replaces it.
pub async fn part(
    State(state): State<AppState>,
    Path((id, part_number)): Path<(String, i64)>,
    body: Body,
) -> MlflowResult<Response> {
    let upload = existing(&state, &id).await?;
    if !(1..=upload.parts).contains(&part_number) {
        return Err(MlflowError::invalid(format!(
            "part_number must be between 1 and {}, not {part_number}",
            upload.parts
        )));
    }
    let object = state
        .objects
        .put_stream(
            "uploads",
            body.into_data_stream(),
            state.limits.artifact_bytes,
        )
        .await
        .map_err(upload_refused)?;
    match state
        .storage
        .put_upload_part(&id, part_number, &object.key, object.size)
        .await
    {
        Ok(replaced) => {
            state
                .objects
                .delete_all_logged(&replaced.into_iter().collect::<Vec<_>>())
                .await;
            let etag = HeaderValue::from_str(&format!("\"{}\"", object.sha256))
                .map_err(|error| crate::error::ApiError::Internal(error.into()))?;
            Ok(([(header::ETAG, etag)], Json(json!({}))).into_response())
        }
        Err(error) => {
            state.objects.delete_all_logged(&[object.key]).await;
            Err(error.into())
        }
    }
}

#[derive(Deserialize)]
pub struct Finish {
    upload_id: String,
}

/// `POST /api/2.0/mlflow-artifacts/mpu/complete/<folder> {path, upload_id, parts}`:
/// every announced part must have arrived; they become one artifact, in order.
pub async fn complete(
    State(state): State<AppState>,
    MlJson(body): MlJson<Finish>,
) -> MlflowResult<Json<Value>> {
    let upload = existing(&state, &body.upload_id).await?;
    let parts = state.storage.upload_parts(&body.upload_id).await?;
    let numbers: Vec<i64> = parts.iter().map(|(number, _)| *number).collect();
    if numbers != (1..=upload.parts).collect::<Vec<_>>() {
        return Err(MlflowError::invalid(format!(
            "the upload has parts {numbers:?} of 1 to {}; send the missing ones first",
            upload.parts
        )));
    }
    let mut streams = Vec::with_capacity(parts.len());
    for (_, key) in &parts {
        streams.push(
            state.objects.get_stream(key).await.map_err(|error| {
                MlflowError::from(crate::error::ApiError::Internal(error.into()))
            })?,
        );
    }
    let whole = futures_util::stream::iter(streams).flatten();
    let object = state
        .objects
        .put_stream("artifacts", whole, state.limits.artifact_bytes)
        .await
        .map_err(upload_refused)?;
    record_artifact(
        &state,
        upload.experiment_id,
        &upload.name,
        "application/octet-stream",
        object,
    )
    .await?;
    let keys = state.storage.delete_upload(&body.upload_id).await?;
    state.objects.delete_all_logged(&keys).await;
    Ok(Json(json!({})))
}

/// `POST /api/2.0/mlflow-artifacts/mpu/abort/<folder> {path, upload_id}`: the parts
/// received are dropped.
pub async fn abort(
    State(state): State<AppState>,
    MlJson(body): MlJson<Finish>,
) -> MlflowResult<Json<Value>> {
    existing(&state, &body.upload_id).await?;
    let keys = state.storage.delete_upload(&body.upload_id).await?;
    state.objects.delete_all_logged(&keys).await;
    Ok(Json(json!({})))
}
