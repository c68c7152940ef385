//! Metrics recorded against an experiment's checkpoints (seed 003 `update_metrics(…,
//! weights_hash)`), and the checkpoints table they make.

use super::experiments;
use super::Refused;
use crate::domain::CheckedCheckpoint;
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::state::AppState;
use axum::extract::State;
use trackboard_api::{Checkpoint, CheckpointMetrics};

/// `POST /api/v1/experiments/{id}/checkpoint-metrics`: records metrics against one
/// checkpoint (a metric of that checkpoint recorded before is replaced); answers the
/// checkpoint with everything recorded against it.
#[utoipa::path(
    post,
    path = "/v1/experiments/{experiment_id}/checkpoint-metrics",
    tag = "logs",
    params(("experiment_id" = i64, Path)),
    request_body = CheckpointMetrics,
    responses((status = 200, body = Checkpoint), Refused)
)]
pub async fn record(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
    Json(body): Json<CheckpointMetrics>,
) -> Result<axum::Json<Checkpoint>, ApiError> {
    let checked = CheckedCheckpoint::try_from(body)?;
    experiments::existing(&state.storage, experiment_id).await?;
    let checkpoint = state
        .storage
        .record_checkpoint_metrics(experiment_id, &checked)
        .await?;
    Ok(axum::Json(checkpoint))
}

/// `GET /api/v1/experiments/{id}/checkpoints`: every checkpoint with its metrics, in the
/// order first recorded, each naming the artifact whose SHA-256 is its hash.
#[utoipa::path(
    get,
    path = "/v1/experiments/{experiment_id}/checkpoints",
    tag = "logs",
    params(("experiment_id" = i64, Path)),
    responses((status = 200, body = Vec<Checkpoint>), Refused)
)]
pub async fn list(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
) -> Result<axum::Json<Vec<Checkpoint>>, ApiError> {
    experiments::existing(&state.storage, experiment_id).await?;
    Ok(axum::Json(state.storage.checkpoints(experiment_id).await?))
}
