//! Serving the built dashboard: files from its directory, and `index.html` for every
//! other path so that the single-page app's own routes (`/projects/3`) load on reload.

use crate::dashboard_policy::content_security_policy;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get_service, MethodRouter};
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// The service for every non-API path, each answer with the security headers of
/// [`content_security_policy`] (computed once, from the built files, at start).
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
    let policy = content_security_policy(
        &std::fs::read_to_string(&index).unwrap_or_default(),
        std::fs::read_to_string(dir.join("config.json"))
            .ok()
            .as_deref(),
    );
    let policy = HeaderValue::from_str(&policy)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"));
    get_service(ServeDir::new(dir).fallback(ServeFile::new(index))).layer(
        axum::middleware::map_response(move |mut response: Response| {
            let policy = policy.clone();
            async move {
                let headers = response.headers_mut();
                headers.insert(header::CONTENT_SECURITY_POLICY, policy);
                headers.insert(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                );
                headers.insert(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("no-referrer"),
                );
                headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
                response
            }
        }),
    )
}
