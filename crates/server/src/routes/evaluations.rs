//! An experiment's evaluations (seed 000 `add_evaluation`, `list_evaluations`) and the
//! metrics computed from them (`compute_evaluations_metrics`), kept as the experiment's
//! EVALUATION log `evaluation/{inference_type}`.

use super::experiments;
use super::Refused;
use crate::domain::{checked_shapes, ShapeRole};
use crate::error::ApiError;
use crate::evaluation::metrics::metric_steps;
use crate::evaluation::outcomes::{page_of_outcomes, OutcomeFilter};
use crate::extract::{Json, Path, Query};
use crate::listing::{ListParams, Ordered, Sortable};
use crate::metrics_job::{self, MetricsWork};
use crate::state::AppState;
use crate::storage::{EvaluationFilter, Storage};
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use trackboard_api::{
    AssetOutcome, ComputeMetrics, DatasetVersion, EvaluatedAsset, Evaluation, InferenceType,
    MetricsJob, NewEvaluation, Page,
};

/// `POST /api/v1/experiments/{id}/evaluations`: the experiment's predictions on one
/// asset of a dataset version attached to it. 201 when new; 200 when it replaced (or,
/// with `add_type: keep`, added to) the experiment's earlier evaluation of the asset.
#[utoipa::path(
    post,
    path = "/v1/experiments/{experiment_id}/evaluations",
    tag = "evaluations",
    params(("experiment_id" = i64, Path)),
    request_body = NewEvaluation,
    responses((status = 201, body = Evaluation), (status = 200, body = Evaluation, description = "Replaced or added to"), Refused)
)]
pub async fn add(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
    Json(body): Json<NewEvaluation>,
) -> Result<(StatusCode, axum::Json<Evaluation>), ApiError> {
    experiments::existing(&state.storage, experiment_id).await?;
    let asset = state
        .storage
        .get_asset(body.asset_id)
        .await?
        .ok_or_else(|| {
            ApiError::validation("asset_id", format!("no asset with id {}", body.asset_id))
        })?;
    let Some(version) =
        attached_version(&state.storage, experiment_id, asset.dataset_version_id).await?
    else {
        return Err(ApiError::validation(
            "asset_id",
            format!(
                "asset {} belongs to dataset version {}, which is not attached to experiment {experiment_id}; attach it first (POST /experiments/{experiment_id}/datasets)",
                asset.id, asset.dataset_version_id
            ),
        ));
    };
    let shapes = checked_shapes(
        body.shapes,
        &version.labels,
        (asset.width, asset.height),
        ShapeRole::Prediction,
        "",
    )?;
    let (evaluation, created) = state
        .storage
        .add_evaluation(experiment_id, asset.id, shapes, body.add_type)
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(evaluation)))
}

/// The dataset version `version_id`, if it is attached to the experiment.
pub(super) async fn attached_version(
    storage: &Storage,
    experiment_id: i64,
    version_id: i64,
) -> Result<Option<DatasetVersion>, ApiError> {
    let attached = storage.attached_datasets(experiment_id).await?;
    Ok(attached
        .into_iter()
        .map(|a| a.version)
        .find(|v| v.id == version_id))
}

/// The filter of `GET /experiments/{id}/evaluations`, beside paging.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvaluationQuery {
    /// Only the evaluation of this asset.
    #[param(minimum = 1)]
    asset_id: Option<i64>,
    /// Only evaluations with a prediction of this label (within the score range).
    label: Option<String>,
    /// Only evaluations with a prediction scored at least this.
    #[param(minimum = 0.0, maximum = 1.0)]
    min_score: Option<f64>,
    /// Only evaluations with a prediction scored at most this.
    #[param(minimum = 0.0, maximum = 1.0)]
    max_score: Option<f64>,
}

/// `GET /api/v1/experiments/{id}/evaluations`.
#[utoipa::path(
    get,
    path = "/v1/experiments/{experiment_id}/evaluations",
    tag = "evaluations",
    params(("experiment_id" = i64, Path), ListParams<Evaluation>, EvaluationQuery),
    responses((status = 200, body = Page<Evaluation>), Refused)
)]
pub async fn list(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
    Query(list): Query<ListParams<Evaluation>>,
    Query(query): Query<EvaluationQuery>,
) -> Result<axum::Json<Page<Evaluation>>, ApiError> {
    let (page, order) = list.checked()?;
    checked_filters(
        query.asset_id,
        &[
            ("min_score", query.min_score),
            ("max_score", query.max_score),
        ],
    )?;
    if let (Some(min), Some(max)) = (query.min_score, query.max_score) {
        if min > max {
            return Err(ApiError::validation(
                "min_score",
                format!("min_score {min} is above max_score {max}"),
            ));
        }
    }
    experiments::existing(&state.storage, experiment_id).await?;
    let filter = EvaluationFilter {
        asset_id: query.asset_id,
        label: query.label,
        min_score: query.min_score,
        max_score: query.max_score,
    };
    let (items, total) = state
        .storage
        .list_evaluations(experiment_id, &filter, page, &order)
        .await?;
    Ok(axum::Json(page.answer(items, total)))
}

/// `GET /api/v1/evaluations/{id}`.
#[utoipa::path(
    get,
    path = "/v1/evaluations/{evaluation_id}",
    tag = "evaluations",
    params(("evaluation_id" = i64, Path)),
    responses((status = 200, body = Evaluation), Refused)
)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<Evaluation>, ApiError> {
    let evaluation = state
        .storage
        .get_evaluation(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no evaluation with id {id}")))?;
    Ok(axum::Json(evaluation))
}

/// `DELETE /api/v1/evaluations/{id}`.
#[utoipa::path(
    delete,
    path = "/v1/evaluations/{evaluation_id}",
    tag = "evaluations",
    params(("evaluation_id" = i64, Path)),
    responses((status = 204, description = "Deleted"), Refused)
)]
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    if state.storage.delete_evaluation(id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(format!("no evaluation with id {id}")))
    }
}

/// `POST /api/v1/experiments/{id}/evaluation-metrics`: starts computing the metrics of
/// every evaluation of the experiment for one inference type (COCO for rectangles and
/// polygons, equal to pycocotools; counts for classifications) and answers 202 with the
/// job; `GET /metric-jobs/{id}` follows it. Done, the metrics are the EVALUATION log
/// `evaluation/{inference_type}`.
#[utoipa::path(
    post,
    path = "/v1/experiments/{experiment_id}/evaluation-metrics",
    tag = "evaluations",
    params(("experiment_id" = i64, Path)),
    request_body = ComputeMetrics,
    responses((status = 202, body = MetricsJob), Refused)
)]
pub async fn compute(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
    Json(body): Json<ComputeMetrics>,
) -> Result<(StatusCode, axum::Json<MetricsJob>), ApiError> {
    experiments::existing(&state.storage, experiment_id).await?;
    let Some((labels, evaluated)) = metrics_job::inputs(&state.storage, experiment_id).await?
    else {
        return Err(ApiError::validation(
            "experiment_id",
            format!("experiment {experiment_id} has no evaluations; add some first (POST /experiments/{experiment_id}/evaluations)"),
        ));
    };
    let inference_type = body.inference_type;
    let steps = metric_steps(inference_type, &labels) as u64;
    let lease = metrics_job::lease();
    let job = state
        .storage
        .create_metric_job(
            experiment_id,
            inference_type,
            steps,
            metrics_job::lease_from_now(lease),
        )
        .await?;
    let work = MetricsWork {
        job_id: job.id,
        experiment_id,
        inference_type,
        labels,
        evaluated,
    };
    tokio::spawn(metrics_job::run(state.storage.clone(), work, lease));
    Ok((StatusCode::ACCEPTED, axum::Json(job)))
}

/// `GET /api/v1/metric-jobs/{id}`: a metrics computation's status and progress.
#[utoipa::path(
    get,
    path = "/v1/metric-jobs/{job_id}",
    tag = "evaluations",
    params(("job_id" = i64, Path)),
    responses((status = 200, body = MetricsJob), Refused)
)]
pub async fn metric_job(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<MetricsJob>, ApiError> {
    let job = state
        .storage
        .get_metric_job(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no metrics job with id {id}")))?;
    Ok(axum::Json(job))
}

/// The browser's list is in asset order only (it is computed, not read from SQL).
impl Ordered for EvaluatedAsset {
    const ORDER: Sortable = Sortable {
        columns: &[("asset", "asset")],
        default: "asset",
        tie: "asset",
    };
}

/// What `GET /experiments/{id}/evaluated-assets` narrows to, beside paging.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvaluatedAssetQuery {
    /// Only this asset (one asset across experiments).
    #[param(minimum = 1)]
    asset_id: Option<i64>,
    /// Which shapes are matched: rectangles (default), polygons or classifications.
    inference_type: Option<InferenceType>,
    /// Predictions scored below this count as absent (the score threshold).
    #[param(minimum = 0.0, maximum = 1.0)]
    min_score: Option<f64>,
    /// Assets with a ground-truth shape or a kept prediction of this label.
    label: Option<String>,
    /// `false_positives`: a kept prediction matched nothing; `misses`: a ground-truth
    /// shape was not found.
    #[param(pattern = "^(false_positives|misses)$")]
    outcome: Option<String>,
    /// Assets with a kept prediction whose best IoU is below this.
    #[param(minimum = 0.0, maximum = 1.0)]
    iou_below: Option<f64>,
    /// Classification: the ground-truth label (empty: none).
    truth: Option<String>,
    /// Classification: the predicted label (empty: none).
    predicted: Option<String>,
}

/// `GET /api/v1/experiments/{id}/evaluated-assets`: each evaluated asset with its
/// ground truth, the predictions on it and how each shape fared at IoU .50, in asset
/// order, narrowed by label, outcome and IoU (the asset browser).
#[utoipa::path(
    get,
    path = "/v1/experiments/{experiment_id}/evaluated-assets",
    tag = "evaluations",
    params(("experiment_id" = i64, Path), ListParams<EvaluatedAsset>, EvaluatedAssetQuery),
    responses((status = 200, body = Page<EvaluatedAsset>), Refused)
)]
pub async fn evaluated_assets(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
    Query(list): Query<ListParams<EvaluatedAsset>>,
    Query(query): Query<EvaluatedAssetQuery>,
) -> Result<axum::Json<Page<EvaluatedAsset>>, ApiError> {
    let (page, _) = list.checked()?;
    checked_filters(
        query.asset_id,
        &[
            ("min_score", query.min_score),
            ("iou_below", query.iou_below),
        ],
    )?;
    let outcome = match query.outcome.as_deref() {
        None => None,
        Some(text) => Some(AssetOutcome::parse(text).ok_or_else(|| {
            let words: Vec<&str> = AssetOutcome::ALL.iter().map(|o| o.as_str()).collect();
            ApiError::validation(
                "outcome",
                format!("outcome is {}, got {text:?}", words.join(" or ")),
            )
        })?),
    };
    let optional_label = |text: Option<String>| text.map(|t| Some(t).filter(|t| !t.is_empty()));
    let filter = OutcomeFilter {
        asset_id: query.asset_id,
        label: query.label,
        false_positives: outcome == Some(AssetOutcome::FalsePositives),
        misses: outcome == Some(AssetOutcome::Misses),
        iou_below: query.iou_below,
        truth: optional_label(query.truth),
        predicted: optional_label(query.predicted),
    };
    let kind = query
        .inference_type
        .unwrap_or(InferenceType::ObjectDetection);
    let min_score = query.min_score.unwrap_or(0.0);
    experiments::existing(&state.storage, experiment_id).await?;
    let evaluated = state.storage.evaluated_assets(experiment_id).await?;
    let (items, total) = tokio::task::spawn_blocking(move || {
        page_of_outcomes(evaluated, kind, min_score, &filter, page)
    })
    .await
    .map_err(|error| ApiError::Internal(error.into()))?;
    Ok(axum::Json(page.answer(items, total)))
}

/// The filters both lists share: an asset id of at least 1, and scores or IoUs in [0, 1].
fn checked_filters(asset_id: Option<i64>, units: &[(&str, Option<f64>)]) -> Result<(), ApiError> {
    if let Some(id) = asset_id.filter(|id| *id < 1) {
        return Err(ApiError::validation(
            "asset_id",
            format!("an asset id is at least 1, got {id}"),
        ));
    }
    for (field, value) in units {
        if let Some(value) = value.filter(|v| !(0.0..=1.0).contains(v)) {
            return Err(ApiError::validation(
                *field,
                format!("{field} is in [0, 1], got {value}"),
            ));
        }
    }
    Ok(())
}
