//! The API's routes, one file per resource.

mod artifacts;
mod datasets;
mod experiments;
mod health;
mod images;
mod job;
mod logs;
mod models;
mod points;
mod projects;
mod tokens;
mod upload;

pub use artifacts::DEFAULT_ARTIFACT_LIMIT;
pub use images::DEFAULT_IMAGE_LIMIT;

use crate::error::ApiError;
use crate::{auth, AppState};
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};
use axum::{middleware, Router};

/// Every API route, to be nested under `/api`. All but health need a bearer token
/// ([`auth::require_token`]). Unknown paths and methods are answered in the error
/// envelope, so a client never has to parse plain text.
pub fn api_router(state: AppState) -> Router {
    Router::new()
        .route("/v1/health", get(health::health))
        .merge(protected_routes(state.clone()))
        .fallback(unknown_route)
        .method_not_allowed_fallback(wrong_method)
        .with_state(state)
}

/// The largest log request body: room for a batch of 100,000 points, while a request
/// of ten million points is refused (413) before it is parsed.
pub const LOG_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Room for a multipart body's boundaries and text fields beyond the file's own limit.
const UPLOAD_SLACK: usize = 64 * 1024;

fn protected_routes(state: AppState) -> Router<AppState> {
    let limits = state.limits;
    Router::new()
        .route("/v1/tokens", get(tokens::list).post(tokens::create))
        .route("/v1/tokens/{token_id}", delete(tokens::revoke))
        .route("/v1/projects", get(projects::list).post(projects::create))
        .route(
            "/v1/projects/{project_id}",
            get(projects::get)
                .patch(projects::update)
                .delete(projects::delete),
        )
        .route(
            "/v1/projects/{project_id}/experiments",
            get(experiments::list).post(experiments::create),
        )
        .route(
            "/v1/experiments/{experiment_id}",
            get(experiments::get)
                .patch(experiments::update)
                .delete(experiments::delete),
        )
        .route(
            "/v1/experiments/{experiment_id}/logs",
            get(logs::list)
                .post(logs::write)
                .delete(logs::delete_all)
                .layer(DefaultBodyLimit::max(LOG_BODY_LIMIT)),
        )
        .route(
            "/v1/experiments/{experiment_id}/logs/{name}",
            get(logs::get).delete(logs::delete),
        )
        .route(
            "/v1/experiments/{experiment_id}/logs/{name}/points",
            get(points::points),
        )
        .route(
            "/v1/experiments/{experiment_id}/logs/{name}/points.csv",
            get(points::csv),
        )
        .route("/v1/line-comparison", get(points::comparison))
        .route(
            "/v1/experiments/{experiment_id}/logs/{name}/images",
            post(images::upload).layer(DefaultBodyLimit::max(
                limits.image_bytes as usize + UPLOAD_SLACK,
            )),
        )
        .route("/v1/images/{image_id}", get(images::get))
        .route(
            "/v1/experiments/{experiment_id}/artifacts",
            get(artifacts::list)
                .post(artifacts::upload)
                .delete(artifacts::delete_all)
                .layer(DefaultBodyLimit::max(
                    usize::try_from(limits.artifact_bytes)
                        .unwrap_or(usize::MAX)
                        .saturating_add(UPLOAD_SLACK),
                )),
        )
        .route(
            "/v1/artifacts/{artifact_id}",
            get(artifacts::get).delete(artifacts::delete),
        )
        .route(
            "/v1/artifacts/{artifact_id}/download",
            get(artifacts::download),
        )
        .route(
            "/v1/experiments/{experiment_id}/parameters",
            post(logs::log_parameters),
        )
        .route("/v1/datasets", get(datasets::list).post(datasets::create))
        .route("/v1/datasets/{dataset_id}", get(datasets::get))
        .route(
            "/v1/datasets/{dataset_id}/versions",
            get(datasets::list_versions).post(datasets::create_version),
        )
        .route(
            "/v1/dataset-versions/{version_id}",
            get(datasets::get_version),
        )
        .route(
            "/v1/experiments/{experiment_id}/datasets",
            get(datasets::attached).post(datasets::attach),
        )
        .route(
            "/v1/experiments/{experiment_id}/datasets/{alias}",
            delete(datasets::detach),
        )
        .route("/v1/models", get(models::list).post(models::create))
        .route("/v1/models/{model_id}", get(models::get))
        .route("/v1/models/{model_id}/versions", get(models::list_versions))
        .route("/v1/model-versions/{version_id}", get(models::get_version))
        .route(
            "/v1/experiments/{experiment_id}/export",
            post(models::export),
        )
        .route(
            "/v1/experiments/{experiment_id}/job/logs",
            get(job::read).post(job::append),
        )
        .route(
            "/v1/experiments/{experiment_id}/job/status",
            put(job::set_status),
        )
        .route_layer(middleware::from_fn_with_state(state, auth::require_token))
}

async fn unknown_route(uri: axum::http::Uri) -> ApiError {
    ApiError::NotFound(format!("no API route at {}", uri.path()))
}

async fn wrong_method(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::MethodNotAllowed(format!("{method} is not allowed on {}", uri.path()))
}
