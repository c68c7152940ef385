//! `POST /api/v1/experiments/{id}/coco-predictions`: a COCO results file as the
//! experiment's evaluations (`domain::coco_results` reads it), all or nothing.

use super::evaluations::attached_version;
use super::experiments;
use super::Refused;
use crate::domain::coco_results::checked_predictions;
use crate::error::ApiError;
use crate::extract::{Path, TypedJson};
use crate::state::AppState;
use axum::extract::State;
use trackboard_api::{CocoPredictions, CocoPredictionsImported};

/// Reads a results file (`image_id`, `category_id`, `score`, `bbox` and/or polygon
/// `segmentation`) onto a dataset version attached to the experiment: each asset it
/// names gets these predictions as its evaluation, replacing the experiment's earlier
/// one. A refusal names the item (`results[17].image_id`) and stores nothing.
#[utoipa::path(
    post,
    path = "/v1/experiments/{experiment_id}/coco-predictions",
    tag = "evaluations",
    params(("experiment_id" = i64, Path)),
    request_body = CocoPredictions,
    responses((status = 200, body = CocoPredictionsImported), Refused)
)]
pub async fn import(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
    TypedJson(body): TypedJson<CocoPredictions>,
) -> Result<axum::Json<CocoPredictionsImported>, ApiError> {
    experiments::existing(&state.storage, experiment_id).await?;
    let Some(version) =
        attached_version(&state.storage, experiment_id, body.dataset_version_id).await?
    else {
        return Err(ApiError::validation(
            "dataset_version_id",
            format!(
                "dataset version {} is not attached to experiment {experiment_id}; attach it first (POST /experiments/{experiment_id}/datasets)",
                body.dataset_version_id
            ),
        ));
    };
    let assets = state.storage.version_assets_sized(version.id).await?;
    let (checked, shapes) = checked_predictions(&body, &assets, &version.labels)?;
    let evaluations = state
        .storage
        .replace_evaluations(experiment_id, checked)
        .await?;
    Ok(axum::Json(CocoPredictionsImported {
        evaluations,
        shapes,
    }))
}
