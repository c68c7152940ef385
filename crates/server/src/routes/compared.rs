//! What a compare view needs before its charts, in one request: each experiment with
//! every log it has. (Twenty requests, six at a time over HTTP/1.1, before this; and
//! one request is what the page's early boot script can start before the app runs.)

use super::points::parse_ids;
use super::Refused;
use crate::error::ApiError;
use crate::extract::Query;
use crate::state::AppState;
use axum::extract::State;
use serde::Deserialize;
use trackboard_api::{ComparedExperiments, ExperimentWithLogs};

/// `?experiment_ids=1,2,3` of the compared experiments.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComparedParams {
    /// 1 to 500 experiment ids, comma-separated (`3,1,2`); repeats count once.
    #[param(required = true, pattern = "^-?[0-9]{1,18}(,-?[0-9]{1,18}){0,499}$")]
    experiment_ids: Option<String>,
}

/// `GET /api/v1/compared-experiments`: each experiment and all its logs (by name), in
/// the order asked.
#[utoipa::path(
    get,
    path = "/v1/compared-experiments",
    tag = "experiments",
    params(ComparedParams),
    responses((status = 200, body = ComparedExperiments), Refused)
)]
pub async fn compared_experiments(
    State(state): State<AppState>,
    Query(params): Query<ComparedParams>,
) -> Result<axum::Json<ComparedExperiments>, ApiError> {
    let ids = parse_ids(params.experiment_ids.as_deref().unwrap_or(""))?;
    let mut experiments = Vec::with_capacity(ids.len());
    for id in ids {
        let experiment = state.storage.get_experiment(id).await?.ok_or_else(|| {
            ApiError::validation("experiment_ids", format!("no experiment with id {id}"))
        })?;
        let logs = state.storage.every_log(id).await?;
        experiments.push(ExperimentWithLogs { experiment, logs });
    }
    Ok(axum::Json(ComparedExperiments { experiments }))
}
