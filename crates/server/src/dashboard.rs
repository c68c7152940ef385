//! Serving the built dashboard: files from its directory, and `index.html` for every
//! other path so that the single-page app's own routes (`/projects/3`) load on reload.

use crate::dashboard_policy::content_security_policy;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::IntoResponse;
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
    // The build writes `.br` and `.gz` copies (scripts/precompress.mjs): sent as they
    // are to browsers that accept them, never compressed per request.
    let index = ServeFile::new(index)
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    get_service(files).layer(axum::middleware::from_fn(
        move |request: Request, next: Next| {
            let policy = policy.clone();
            async move {
                let path = request.uri().path().to_owned();
                let mut response = next.run(request).await;
                let policy = policy.current().await;
                let status = response.status();
                // A missing hashed file is answered with index.html (the app's fallback):
                // that must never be kept as the file.
                let html = response
                    .headers()
                    .get(header::CONTENT_TYPE)
                    .is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
                let headers = response.headers_mut();
                // An error is not worth keeping.
                if status.is_success() || status == StatusCode::NOT_MODIFIED {
                    let caching = if html {
                        "no-cache"
                    } else {
                        cache_control(&path)
                    };
                    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(caching));
                }
                headers.insert(header::CONTENT_SECURITY_POLICY, policy);
                // Caches keep one copy per encoding.
                headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
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
        },
    ))
}

/// How long a browser or CDN may keep a dashboard file: trunk names the wasm, script and
/// style by their content's hash, so those never change and are kept a year (and V8
/// keeps their compiled code); `index.html`, `config.json` and the rest are checked
/// every time, so a new release or a new API address is seen at once.
fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or_default();
    if is_content_hashed(name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// Whether a file name carries trunk's content hash: `name-<12+ hex digits>` followed
/// by `.` or `_` (`trackboard-7127b7deb7822a7_bg.wasm`, `main-a2d8acd6580116c8.css`).
fn is_content_hashed(name: &str) -> bool {
    let Some((_, tail)) = name.rsplit_once('-') else {
        return false;
    };
    let hex = tail.bytes().take_while(u8::is_ascii_hexdigit).count();
    hex >= 12 && matches!(tail.as_bytes().get(hex), Some(b'.' | b'_'))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_hashed_files_are_kept_long() {
        for hashed in [
            "/trackboard-7127b7deb7822a7_bg.wasm",
            "/trackboard-7127b7deb7822a7.js",
            "/main-a2d8acd6580116c8.css",
            "/sub/dir/app-0123456789ab.js",
        ] {
            assert_eq!(
                cache_control(hashed),
                "public, max-age=31536000, immutable",
                "{hashed}"
            );
        }
        for fresh in [
            "/",
            "/index.html",
            "/config.json",
            "/favicon.svg",
            "/projects/3",
            "/experiments/run-2026-11-23.js",
            "/main-a2d8acd6580116c8",
            "/x-0123456789a.js",
        ] {
            assert_eq!(cache_control(fresh), "no-cache", "{fresh}");
        }
    }
}
