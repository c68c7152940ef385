//! Serving the built dashboard: files from its directory, and `index.html` for every
//! other path so that the single-page app's own routes (`/projects/3`) load on reload.

use crate::dashboard_policy::content_security_policy;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get_service, MethodRouter};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;
use tokio::sync::Mutex;
use tower_http::services::{ServeDir, ServeFile};

/// The service for every non-API path, each answer with the security headers of
/// [`content_security_policy`] for the built files as they are now.
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
    let policy = Arc::new(PolicyCache::new(dir));
    get_service(ServeDir::new(dir).fallback(ServeFile::new(index))).layer(
        axum::middleware::map_response(move |mut response: Response| {
            let policy = policy.clone();
            async move {
                let policy = policy.current().await;
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

/// The policy of the files in the dashboard directory as they are now: a rebuild (`trunk
/// build` while the server runs) changes the boot script's hash, so the policy is made
/// again whenever `index.html` or `config.json` changed, judged by their modification
/// times (one `stat` each per answer; the files are read only after a change).
struct PolicyCache {
    index: PathBuf,
    config: PathBuf,
    made: Mutex<Option<(Stamps, HeaderValue)>>,
}

/// Modification times of `index.html` and `config.json` (`None`: missing).
type Stamps = (Option<SystemTime>, Option<SystemTime>);

impl PolicyCache {
    fn new(dir: &Path) -> PolicyCache {
        PolicyCache {
            index: dir.join("index.html"),
            config: dir.join("config.json"),
            made: Mutex::new(None),
        }
    }

    async fn current(&self) -> HeaderValue {
        let modified = |path: PathBuf| async move {
            tokio::fs::metadata(path)
                .await
                .and_then(|m| m.modified())
                .ok()
        };
        let stamps = (
            modified(self.index.clone()).await,
            modified(self.config.clone()).await,
        );
        if let Some((made_for, policy)) = self.made.lock().await.as_ref() {
            if *made_for == stamps {
                return policy.clone();
            }
        }
        let index = tokio::fs::read_to_string(&self.index)
            .await
            .unwrap_or_default();
        let config = tokio::fs::read_to_string(&self.config).await.ok();
        let policy = HeaderValue::from_str(&content_security_policy(&index, config.as_deref()))
            .unwrap_or_else(|_| {
                HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'")
            });
        *self.made.lock().await = Some((stamps, policy.clone()));
        policy
    }
}
