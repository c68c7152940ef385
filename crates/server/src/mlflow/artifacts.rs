//! MLflow's artifact proxy (`mlflow-artifacts:` URIs): files are Trackboard artifacts
//! of the run, named by their relative path, so folders stay browsable. A logged
//! model's files belong to the run that logged it, under `models/<model id>/`.

use super::error::{MlflowError, MlflowResult};
use super::extract::MlQuery;
use super::runs::run_experiment;
use crate::domain::checked_name;
use crate::objects::UploadError;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Where an artifact path points: an experiment and the artifact name within it.
pub(super) struct Located {
    pub experiment_id: i64,
    /// The artifact name (or folder prefix, without a trailing `/`); empty at the root.
    pub name: String,
}

/// Resolves `<experiment>/<run id>/artifacts[/<path>]` or
/// `<experiment>/models/<model id>/artifacts[/<path>]`.
pub(super) async fn locate(state: &AppState, path: &str) -> MlflowResult<Located> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let bad = || MlflowError::invalid(format!("{path:?} is not an artifact path of this server"));
    if parts.len() < 3 || parts.iter().any(|part| *part == ".." || *part == ".") {
        return Err(bad());
    }
    let (experiment_id, prefix, rest) = match parts.as_slice() {
        [_, "models", model_id, "artifacts", rest @ ..] => {
            let model = state
                .storage
                .logged_model(model_id)
                .await?
                .ok_or_else(|| MlflowError::missing(format!("no logged model {model_id:?}")))?;
            (model.experiment_id, format!("models/{model_id}"), rest)
        }
        [_, run_id, "artifacts", rest @ ..] => {
            let experiment = run_experiment(&state.storage, run_id).await?;
            (experiment.id, String::new(), rest)
        }
        _ => return Err(bad()),
    };
    if rest.iter().any(|part| part.is_empty()) {
        return Err(bad());
    }
    let mut name = prefix;
    for part in rest {
        if !name.is_empty() {
            name.push('/');
        }
        name.push_str(part);
    }
    Ok(Located {
        experiment_id,
        name,
    })
}

/// `PUT /api/2.0/mlflow-artifacts/artifacts/<path>`: the body, streamed into the
/// object store; a file already at the path is replaced.
pub async fn upload(
    State(state): State<AppState>,
    Path(path): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> MlflowResult<Json<Value>> {
    let located = locate(&state, &path).await?;
    let name = checked_name("path", &located.name, 200)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .filter(|value| value.len() <= 200)
        .unwrap_or("application/octet-stream")
        .to_owned();
    let object = state
        .objects
        .put_stream(
            "artifacts",
            body.into_data_stream(),
            state.limits.artifact_bytes,
        )
        .await
        .map_err(upload_refused)?;
    record_artifact(&state, located.experiment_id, &name, &content_type, object).await?;
    Ok(Json(json!({})))
}

/// Why a streamed body was not stored, in MLflow's shape.
pub(super) fn upload_refused(error: UploadError) -> MlflowError {
    match error {
        UploadError::TooLarge { limit } => MlflowError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "INVALID_PARAMETER_VALUE",
            message: format!("the file is larger than this server's limit of {limit} bytes"),
        },
        UploadError::Body(message) => MlflowError::invalid(message),
        UploadError::Store(error) => crate::error::ApiError::Internal(error.into()).into(),
    }
}

/// Records a stored object as the artifact `name` (replacing one of that name, whose
/// object is then deleted); on failure the new object is deleted instead.
pub(super) async fn record_artifact(
    state: &AppState,
    experiment_id: i64,
    name: &str,
    content_type: &str,
    object: crate::objects::StoredObject,
) -> MlflowResult<()> {
    let filename = name.rsplit('/').next().unwrap_or(name);
    let stored = state
        .storage
        .put_artifact(experiment_id, name, filename, content_type, &object)
        .await;
    match stored {
        Ok((_, replaced)) => {
            let replaced = state
                .storage
                .unshared_keys(replaced.into_iter().collect())
                .await?;
            state.objects.delete_all_logged(&replaced).await;
            Ok(())
        }
        Err(error) => {
            state.objects.delete_all_logged(&[object.key]).await;
            Err(error.into())
        }
    }
}

/// `GET /api/2.0/mlflow-artifacts/artifacts/<path>`: the file's bytes.
pub async fn download(
    State(state): State<AppState>,
    Path(path): Path<String>,
) -> MlflowResult<Response> {
    let located = locate(&state, &path).await?;
    let (artifact, key) = state
        .storage
        .all_artifacts(located.experiment_id)
        .await?
        .into_iter()
        .find(|(artifact, _)| artifact.name == located.name)
        .ok_or_else(|| MlflowError::missing(format!("no artifact at {path:?}")))?;
    let stream = state
        .objects
        .get_stream(&key)
        .await
        .map_err(|error| MlflowError::from(crate::error::ApiError::Internal(error.into())))?;
    Response::builder()
        .header(header::CONTENT_TYPE, artifact.content_type)
        .header(header::CONTENT_LENGTH, artifact.size)
        .body(Body::from_stream(stream))
        .map_err(|error| crate::error::ApiError::Internal(error.into()).into())
}

#[derive(Deserialize)]
pub struct Listing {
    path: Option<String>,
}

/// `GET /api/2.0/mlflow-artifacts/artifacts?path=<path>` → `{files: [{path, is_dir,
/// file_size}]}`, the folder's direct children by name relative to it.
pub async fn list(
    State(state): State<AppState>,
    MlQuery(query): MlQuery<Listing>,
) -> MlflowResult<Json<Value>> {
    let path = query.path.unwrap_or_default();
    let located = locate(&state, &path).await?;
    let prefix = if located.name.is_empty() {
        String::new()
    } else {
        format!("{}/", located.name)
    };
    let mut children: BTreeMap<String, Option<u64>> = BTreeMap::new();
    for (artifact, _) in state.storage.all_artifacts(located.experiment_id).await? {
        // A run's own listing leaves out its logged models' files.
        if prefix.is_empty() && artifact.name.starts_with("models/m-") {
            continue;
        }
        if let Some(rest) = artifact.name.strip_prefix(&prefix) {
            match rest.split_once('/') {
                Some((folder, _)) => children.insert(folder.to_owned(), None),
                None => children.insert(rest.to_owned(), Some(artifact.size)),
            };
        }
    }
    let files: Vec<Value> = children
        .into_iter()
        .map(|(name, size)| match size {
            Some(size) => json!({"path": name, "is_dir": false, "file_size": size}),
            None => json!({"path": name, "is_dir": true}),
        })
        .collect();
    Ok(Json(json!({"files": files})))
}

/// `DELETE /api/2.0/mlflow-artifacts/artifacts/<path>`: the file, or every file of
/// the folder.
pub async fn delete(
    State(state): State<AppState>,
    Path(path): Path<String>,
) -> MlflowResult<Json<Value>> {
    let located = locate(&state, &path).await?;
    let folder = format!("{}/", located.name);
    let mut keys = Vec::new();
    for (artifact, _) in state.storage.all_artifacts(located.experiment_id).await? {
        if located.name.is_empty()
            || artifact.name == located.name
            || artifact.name.starts_with(&folder)
        {
            if let Some(key) = state.storage.delete_artifact(artifact.id).await? {
                keys.push(key);
            }
        }
    }
    let keys = state.storage.unshared_keys(keys).await?;
    state.objects.delete_all_logged(&keys).await;
    Ok(Json(json!({})))
}
