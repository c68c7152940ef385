//! Serving the built dashboard: files from its directory, and `index.html` for every
//! other path so that the single-page app's own routes (`/projects/3`) load on reload.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get_service, MethodRouter};
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// The service for every non-API path.
pub fn service(dir: &Path) -> MethodRouter {
    let index = dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(
            dir = %dir.display(),
            "no built dashboard here; build it with `make run` or `trunk build --release`"
        );
        let message = format!(
            "The dashboard is not built: {} has no index.html. Run `make run`, or `trunk build --release`.\n",
            dir.display()
        );
        return axum::routing::any(move || {
            let message = message.clone();
            async move { (StatusCode::NOT_FOUND, message).into_response() }
        });
    }
    get_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
}
