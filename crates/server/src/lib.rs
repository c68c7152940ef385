//! The Trackboard tracking server: the REST API under `/api/v1`, backed by SQLite, and
//! the built dashboard served from a directory, so one process is a working system.

pub mod auth;
pub mod compression;
pub mod config;
pub mod dashboard;
pub mod dashboard_policy;
pub mod demo;
pub mod domain;
pub mod error;
pub mod evaluation;
pub mod export;
pub mod extract;
pub mod json_body;
pub mod links;
pub mod listing;
pub mod metrics_job;
pub mod mlflow;
pub mod objects;
pub mod points;
pub mod routes;
pub mod snapshot;
pub mod state;
pub mod storage;
pub mod timestamp;
pub mod token_cli;

use axum::Router;
use std::path::PathBuf;

pub use config::{Cli, Command, ServeConfig, SnapshotCommand, StoreFlags};
pub use state::{AppState, Limits};
pub use storage::Storage;

/// The whole HTTP application: the API under `/api`, and the dashboard for every
/// other path when `dashboard_dir` is given. Tests call this directly with `oneshot`.
pub fn app(state: AppState, dashboard_dir: Option<PathBuf>) -> Router {
    let cors = cors_layer(&state.cors_origins);
    let api = routes::api_router(state.clone());
    let mlflow = mlflow::router(state);
    let (api, mlflow) = match cors {
        Some(cors) => (api.layer(cors.clone()), mlflow.layer(cors)),
        None => (api, mlflow),
    };
    // MLflow's client calls `/api/2.0/...`; its UI and some tools `/ajax-api/2.0/...`.
    let router = Router::new()
        .nest("/api/2.0", mlflow.clone())
        .nest("/ajax-api/2.0", mlflow)
        .nest("/api", api.layer(compression::layer()));
    match dashboard_dir {
        Some(dir) => router.fallback_service(dashboard::service(&dir)),
        None => router,
    }
}

/// CORS for the configured origins only: a dashboard served from another origin (a CDN)
/// may call the API with its bearer token; every other origin gets no CORS headers.
fn cors_layer(origins: &[axum::http::HeaderValue]) -> Option<tower_http::cors::CorsLayer> {
    use axum::http::{header, Method};
    if origins.is_empty() {
        return None;
    }
    Some(
        tower_http::cors::CorsLayer::new()
            .allow_origin(origins.to_vec())
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::DELETE,
            ])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
            .expose_headers([header::CONTENT_DISPOSITION])
            .max_age(std::time::Duration::from_secs(3600)),
    )
}
