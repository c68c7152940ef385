//! The Trackboard tracking server: the REST API under `/api/v1`, backed by SQLite, and
//! the built dashboard served from a directory, so one process is a working system.

pub mod auth;
pub mod config;
pub mod dashboard;
pub mod demo;
pub mod domain;
pub mod error;
pub mod extract;
pub mod objects;
pub mod routes;
pub mod storage;
pub mod timestamp;
pub mod token_cli;

use axum::Router;
use std::path::PathBuf;

pub use config::{Cli, Command, ServeConfig};
pub use storage::Storage;

/// What every request handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// All rows.
    pub storage: Storage,
    /// All stored files (artifacts, images).
    pub objects: objects::Objects,
    /// Upload size limits.
    pub limits: Limits,
}

/// Upload size limits, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub artifact_bytes: u64,
    pub image_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            artifact_bytes: routes::DEFAULT_ARTIFACT_LIMIT,
            image_bytes: routes::DEFAULT_IMAGE_LIMIT,
        }
    }
}

/// The whole HTTP application: the API under `/api`, and the dashboard for every
/// other path when `dashboard_dir` is given. Tests call this directly with `oneshot`.
pub fn app(state: AppState, dashboard_dir: Option<PathBuf>) -> Router {
    let router = Router::new().nest("/api", routes::api_router(state));
    match dashboard_dir {
        Some(dir) => router.fallback_service(dashboard::service(&dir)),
        None => router,
    }
}
