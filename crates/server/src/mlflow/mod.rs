//! MLflow's tracking REST API, so scripts instrumented with MLflow log to Trackboard
//! unchanged (docs/MLFLOW.md). Served under `/api/2.0` and `/ajax-api/2.0` in MLflow's
//! JSON shapes and error codes, onto Trackboard's own records: an MLflow experiment is
//! a project, a run an experiment, a metric a LINE log. Same tokens, same scopes.

mod artifacts;
mod error;
mod experiments;
mod extract;
mod metric_history;
mod models;
mod present;
mod run_search;
mod run_writes;
mod runs;
mod search;
mod uploads;

use crate::auth;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{delete, get, patch, post, put};
use axum::Router;
use error::MlflowError;
use trackboard_api::TokenScope;

/// The router to nest at `/api/2.0` and `/ajax-api/2.0`.
pub fn router(state: AppState) -> Router {
    let guard = |needed| {
        middleware::from_fn_with_state(
            Guard {
                state: state.clone(),
                needed,
            },
            require_scope,
        )
    };
    let read = Router::new()
        .route("/mlflow/experiments/get", get(experiments::get))
        .route(
            "/mlflow/experiments/get-by-name",
            get(experiments::get_by_name),
        )
        .route("/mlflow/experiments/search", post(experiments::search))
        .route("/mlflow/runs/get", get(runs::get))
        .route("/mlflow/runs/search", post(run_search::search))
        .route(
            "/mlflow/metrics/get-history",
            get(metric_history::get_history),
        )
        .route(
            "/mlflow/metrics/get-history-bulk-interval",
            get(metric_history::get_history_bulk_interval),
        )
        .route("/mlflow/logged-models/search", post(models::search))
        .route("/mlflow-artifacts/artifacts", get(artifacts::list))
        .route_layer(guard(TokenScope::Read));
    let write = Router::new()
        .route("/mlflow/experiments/create", post(experiments::create))
        .route("/mlflow/experiments/update", post(experiments::update))
        .route("/mlflow/experiments/delete", post(experiments::delete))
        .route(
            "/mlflow/experiments/set-experiment-tag",
            post(experiments::set_experiment_tag),
        )
        .route(
            "/mlflow/experiments/delete-experiment-tag",
            post(experiments::delete_experiment_tag),
        )
        .route("/mlflow/runs/create", post(runs::create))
        .route("/mlflow/runs/update", post(runs::update))
        .route("/mlflow/runs/delete", post(runs::delete))
        .route("/mlflow/runs/log-metric", post(run_writes::log_metric))
        .route("/mlflow/runs/log-parameter", post(run_writes::log_param))
        .route("/mlflow/runs/log-batch", post(run_writes::log_batch))
        .route("/mlflow/runs/set-tag", post(run_writes::set_tag))
        .route("/mlflow/runs/delete-tag", post(run_writes::delete_tag))
        .route("/mlflow/runs/log-inputs", post(run_writes::log_inputs))
        .route("/mlflow/runs/outputs", post(run_writes::log_outputs))
        .route("/mlflow/runs/log-model", post(run_writes::log_model))
        .route("/mlflow/logged-models", post(models::create))
        .route(
            "/mlflow/logged-models/{model_id}/tags",
            patch(models::set_tags),
        )
        .route(
            "/mlflow/logged-models/{model_id}/tags/{key}",
            delete(models::delete_tag),
        )
        .route(
            "/mlflow/logged-models/{model_id}/params",
            post(models::log_params),
        )
        .route(
            "/mlflow-artifacts/mpu/create/{*path}",
            post(uploads::create),
        )
        .route(
            "/mlflow-artifacts/mpu/part/{upload_id}/{part_number}",
            put(uploads::part),
        )
        .route(
            "/mlflow-artifacts/mpu/complete/{*path}",
            post(uploads::complete),
        )
        .route("/mlflow-artifacts/mpu/abort/{*path}", post(uploads::abort))
        .route_layer(guard(TokenScope::Write));
    // Paths whose methods need different scopes: each method carries its own guard.
    let mixed = Router::new()
        .route(
            "/mlflow/logged-models/{model_id}",
            get(models::get).route_layer(guard(TokenScope::Read)).merge(
                patch(models::finalize)
                    .delete(models::delete)
                    .route_layer(guard(TokenScope::Write)),
            ),
        )
        .route(
            "/mlflow-artifacts/artifacts/{*path}",
            get(artifacts::download)
                .route_layer(guard(TokenScope::Read))
                .merge(
                    put(artifacts::upload)
                        .delete(artifacts::delete)
                        .route_layer(guard(TokenScope::Write)),
                ),
        );
    read.merge(write)
        .merge(mixed)
        .fallback(unknown_endpoint)
        .method_not_allowed_fallback(unknown_endpoint)
        .with_state(state)
}

/// What a route group requires.
#[derive(Clone)]
struct Guard {
    state: AppState,
    needed: TokenScope,
}

/// The native API's token check, answered in MLflow's error shape.
async fn require_scope(
    State(guard): State<Guard>,
    request: Request,
    next: Next,
) -> Result<Response, MlflowError> {
    let token = auth::authenticate(&guard.state.storage, request.headers()).await?;
    if token.scope < guard.needed {
        return Err(crate::error::ApiError::Forbidden(format!(
            "this token has the {} scope; {} {} needs {}",
            token.scope.as_str(),
            request.method(),
            request.uri().path(),
            guard.needed.as_str()
        ))
        .into());
    }
    Ok(next.run(request).await)
}

/// A path of MLflow's API that Trackboard does not serve (traces, prompts, the model
/// registry's MLflow routes…): MLflow's "endpoint not found" shape, never a crash. As on
/// the native API, a caller without a live token gets the 401 first, so paths cannot be
/// probed anonymously.
async fn unknown_endpoint(State(state): State<AppState>, request: Request) -> MlflowError {
    if let Err(refused) = auth::authenticate(&state.storage, request.headers()).await {
        return refused.into();
    }
    MlflowError {
        status: axum::http::StatusCode::NOT_FOUND,
        code: "ENDPOINT_NOT_FOUND",
        message: format!(
            "Trackboard does not serve {} {} of MLflow's API (docs/MLFLOW.md lists what it serves)",
            request.method(),
            request.uri().path()
        ),
    }
}
