//! The one typed client of the tracking server's API: one method per endpoint, each
//! answering `Result<T, AppError>`. Components never build URLs or call fetch themselves.
//! This file holds the transport (token, sending, decoding); the endpoints live in one
//! file per resource.

mod datasets;
mod early;
mod encode;
mod evaluations;
mod experiments;
mod models;
mod projects;
mod snapshot_source;
mod views;

pub use early::take_config as take_early_config;
pub use encode::{encode_component, query_string};
pub use snapshot_source::{Banner, SnapshotSource};

use crate::error::{decode_error, AppError};
use crate::session::{self, Session};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use trackboard_api::{Health, Page, Project, API_PREFIX, MAX_LIMIT};
use trackboard_series::{FrameError, POINTS_MEDIA_TYPE};

/// Handle to the API, cheap to clone; provided to components through context. It owns
/// every URL of the API, sends the session's token, and ends the session when the
/// server refuses it (any call: a page's data, a form, a chart's points).
#[derive(Clone, Debug)]
pub struct ApiClient {
    source: Source,
    session: Session,
}

/// Where a client's answers come from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// The tracking server at `base` (no trailing slash; empty: this page's origin).
    Server { base: Arc<str> },
    /// A published snapshot's files: read-only, nothing live, never a request to a
    /// server (what it does not hold is an error).
    Snapshot(SnapshotSource),
}

impl PartialEq for ApiClient {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for ApiClient {}

impl ApiClient {
    /// A client for the server at `base` (no trailing slash; empty means same origin),
    /// sending the token of `session`.
    pub fn new(base: &str, session: Session) -> ApiClient {
        ApiClient {
            source: Source::Server { base: base.into() },
            session,
        }
    }

    /// A client answering from a loaded snapshot; what a snapshot does not hold is an
    /// error, never a request.
    pub fn snapshot(session: Session, snapshot: SnapshotSource) -> ApiClient {
        ApiClient {
            source: Source::Snapshot(snapshot),
            session,
        }
    }

    /// Whether this is a snapshot: read-only, nothing live.
    pub fn is_snapshot(&self) -> bool {
        matches!(self.source, Source::Snapshot(_))
    }

    /// The snapshot this client reads, if it reads one.
    fn snapshot_source(&self) -> Option<&SnapshotSource> {
        match &self.source {
            Source::Snapshot(snapshot) => Some(snapshot),
            Source::Server { .. } => None,
        }
    }

    /// The server's base URL (empty: this page's origin; a snapshot has none).
    fn base(&self) -> &str {
        match &self.source {
            Source::Server { base } => base,
            Source::Snapshot(_) => "",
        }
    }

    /// The full URL of an API path such as `/projects`.
    fn url(&self, path: &str) -> String {
        format!("{}{API_PREFIX}{path}", self.base())
    }

    /// The API's absolute root (`https://tracking.example.com/api/v1`), for commands a
    /// user copies into a terminal: the configured server, or this page's origin when
    /// the dashboard is served by the server itself.
    pub fn api_root(&self) -> String {
        let origin = web_sys::window()
            .and_then(|window| window.location().origin().ok())
            .unwrap_or_default();
        absolute_api_root(self.base(), &origin)
    }

    /// `GET /health`.
    pub async fn health(&self) -> Result<Health, AppError> {
        self.get_json("/health").await
    }

    /// Whether the server accepts `token` (it reads one project with it). A refusal is
    /// the answer here, not the end of a session.
    pub async fn check_token(&self, token: &str) -> Result<(), AppError> {
        let request = with_token(Request::get(&self.url("/projects?limit=1")), Some(token));
        let response = succeeded(self.reached(request.send().await)?).await?;
        decode::<Page<Project>>(response).await.map(|_| ())
    }

    /// Every item of a list, read page after page (the server answers at most
    /// `MAX_LIMIT` per request), as one page. `query` holds the list's filters and order.
    async fn list_all<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Page<T>, AppError> {
        let page_at = |offset: usize| {
            let (limit, offset) = (MAX_LIMIT.to_string(), offset.to_string());
            let mut pairs = vec![("limit", limit.as_str()), ("offset", offset.as_str())];
            pairs.extend_from_slice(query);
            let url = format!("{path}?{}", query_string(&pairs));
            async move { self.get_json::<Page<T>>(&url).await }
        };
        let first = page_at(0).await?;
        let total = first.total;
        let mut items = first.items;
        // The first page tells how many follow: those are asked for together (a sweep
        // of 10,000 runs is ten pages, ten round trips one after another).
        let step = MAX_LIMIT as usize;
        let rest = (step..usize::try_from(total).unwrap_or(usize::MAX).min(MAX_ITEMS))
            .step_by(step)
            .filter(|_| items.len() == step);
        let pages = futures_util::future::join_all(rest.map(page_at)).await;
        let mut last_read = items.len();
        for page in pages {
            let page = page?;
            last_read = page.items.len();
            items.extend(page.items);
        }
        // Runs logged meanwhile: read on until a page comes back short.
        while !read_everything(last_read, items.len(), total) && last_read == step {
            let page = page_at(items.len()).await?;
            last_read = page.items.len();
            items.extend(page.items);
        }
        Ok(Page {
            limit: u32::try_from(items.len()).unwrap_or(u32::MAX),
            items,
            total,
            offset: 0,
        })
    }

    /// The bytes at an API path (an artifact download, an image) and their type.
    async fn get_bytes(&self, path: &str) -> Result<(Vec<u8>, String), AppError> {
        let response = self.send(Request::get(&self.url(path))).await?;
        bytes_of(response).await
    }

    /// An image as a `Blob`, asked at low priority: a compare view of 100 runs asks for
    /// 100 images, which took the browser's six connections ahead of the charts' points
    /// (asked ~500 ms later than they were ready to be). The bytes stay in the browser:
    /// copied into the WebAssembly and back out they cost the page ~1 ms an image.
    async fn get_image_blob(&self, path: &str) -> Result<web_sys::Blob, AppError> {
        use wasm_bindgen::JsCast;
        let request = signed(Request::get(&self.url(path)))?;
        let response = self.dispatch(low_priority(request)).await?;
        let failed = |error: wasm_bindgen::JsValue| {
            AppError::Network(format!("the image could not be read: {error:?}"))
        };
        let blob = web_sys::Response::from(response).blob().map_err(failed)?;
        wasm_bindgen_futures::JsFuture::from(blob)
            .await
            .map_err(failed)?
            .dyn_into::<web_sys::Blob>()
            .map_err(failed)
    }

    /// A points answer as the binary frame (`decode` is one of trackboard-api's frame
    /// decoders): copied, not parsed, so a wide comparison costs milliseconds, not the
    /// hundreds JSON would.
    async fn get_frame<T>(
        &self,
        path: &str,
        decode: fn(&[u8]) -> Result<T, FrameError>,
    ) -> Result<T, AppError> {
        let request = Request::get(&self.url(path)).header("Accept", POINTS_MEDIA_TYPE);
        let response = self.send(request).await?;
        let status = response.status();
        let bytes = response
            .binary()
            .await
            .map_err(|error| AppError::Network(error.to_string()))?;
        decode(&bytes).map_err(|error| AppError::Unreadable {
            status,
            detail: error.to_string(),
        })
    }

    /// `DELETE` of an API path.
    async fn delete(&self, path: &str) -> Result<(), AppError> {
        self.send(Request::delete(&self.url(path)))
            .await
            .map(|_| ())
    }

    /// `GET` of an API path, decoded; answered by the boot script's early request for
    /// the same path and token when there is one.
    async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, AppError> {
        let url = self.url(path);
        let token = session::stored_token();
        if let Some(sent) = early::take_api(path, &url, token.as_deref()).await {
            return decode(self.answered(sent).await?).await;
        }
        decode(self.send(Request::get(&url)).await?).await
    }

    /// Sends `body` as JSON with the session's token and decodes the answer.
    async fn send_json<B: serde::Serialize, T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
        body: &B,
    ) -> Result<T, AppError> {
        let request = with_token(request, session::stored_token().as_deref())
            .json(body)
            .map_err(|error| AppError::Network(error.to_string()))?;
        decode(self.dispatch(request).await?).await
    }

    /// POSTs a multipart form (files picked in the page) with the session's token and
    /// decodes the answer.
    async fn send_form<T: DeserializeOwned>(
        &self,
        path: &str,
        form: &web_sys::FormData,
    ) -> Result<T, AppError> {
        let request = with_token(
            Request::post(&self.url(path)),
            session::stored_token().as_deref(),
        )
        .body(form.clone())
        .map_err(|error| AppError::Network(error.to_string()))?;
        decode(self.dispatch(request).await?).await
    }

    /// Sends a request with the session's token, answering the response only when it
    /// succeeded.
    async fn send(&self, request: RequestBuilder) -> Result<Response, AppError> {
        self.dispatch(signed(request)?).await
    }

    /// Sends a request of the session. A 401 means the session is over, whichever call
    /// met it: the session signs out, and the app returns to sign-in, saying why.
    async fn dispatch(&self, request: Request) -> Result<Response, AppError> {
        if self.is_snapshot() {
            // A snapshot has no server: whatever it does not hold is said, not asked.
            return Err(AppError::Snapshot(
                "this needs the tracking server; a snapshot is read-only".into(),
            ));
        }
        self.answered(request.send().await).await
    }

    /// What a sent request answered, as [`ApiClient::dispatch`] reads it.
    async fn answered(&self, sent: early::Sent) -> Result<Response, AppError> {
        let answered = match self.reached(sent) {
            Ok(response) => succeeded(response).await,
            Err(error) => Err(error),
        };
        if answered.as_ref().is_err_and(AppError::needs_sign_in) {
            self.session.expire();
        }
        answered
    }

    /// The response, or why the server could not be reached. A browser cannot tell a
    /// server that is down from one that refuses this page's origin (CORS), so a
    /// dashboard hosted apart from its API names both causes.
    fn reached(&self, sent: early::Sent) -> Result<Response, AppError> {
        sent.map_err(|error| {
            let origin = web_sys::window().and_then(|window| window.location().origin().ok());
            AppError::Network(unreachable_detail(
                &error.to_string(),
                self.base(),
                origin.as_deref(),
            ))
        })
    }
}

/// The most items a listing reads: a bound on the pages asked for at once.
const MAX_ITEMS: usize = 1_000_000;

/// Whether a list is read whole: the last page came back empty, or the items read
/// reach the total the server counted.
fn read_everything(last_page: usize, read: usize, total: u64) -> bool {
    last_page == 0 || read as u64 >= total
}

/// The API root for `base` (empty: the page's own `origin`).
fn absolute_api_root(base: &str, origin: &str) -> String {
    let server = if base.is_empty() { origin } else { base };
    format!("{server}{API_PREFIX}")
}

/// What a failed fetch says: the browser's error, and for an API on another origin than
/// the page, that the server may not allow this origin.
fn unreachable_detail(error: &str, base: &str, page_origin: Option<&str>) -> String {
    match page_origin {
        Some(origin) if !base.is_empty() && !same_origin(base, origin) => format!(
            "{error} (is {base} running, and does it allow this dashboard's origin? \
             Start it with --cors-origin {origin})"
        ),
        _ => error.to_owned(),
    }
}

fn same_origin(base: &str, origin: &str) -> bool {
    base.strip_prefix(origin)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// `request` built with the session's token.
fn signed(request: RequestBuilder) -> Result<Request, AppError> {
    with_token(request, session::stored_token().as_deref())
        .build()
        .map_err(|error| AppError::Network(error.to_string()))
}

/// A response's bytes and their type.
async fn bytes_of(response: Response) -> Result<(Vec<u8>, String), AppError> {
    let content_type = response
        .headers()
        .get("content-type")
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    let bytes = response
        .binary()
        .await
        .map_err(|error| AppError::Network(error.to_string()))?;
    Ok((bytes, content_type))
}

/// `bytes` as a `Blob` of `content_type`.
pub fn blob_of(bytes: &[u8], content_type: &str) -> Option<web_sys::Blob> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()
}

/// `request` with the fetch priority hint `low` (browsers without it ignore it; if the
/// copy fails, the request goes as it was).
fn low_priority(request: Request) -> Request {
    let raw: web_sys::Request = request.into();
    let init = web_sys::RequestInit::new();
    let _ = js_sys::Reflect::set(&init, &"priority".into(), &"low".into());
    match web_sys::Request::new_with_request_and_init(&raw, &init) {
        Ok(low) => Request::from(low),
        Err(_) => Request::from(raw),
    }
}

/// `request` with the bearer token, when there is one.
fn with_token(request: RequestBuilder, token: Option<&str>) -> RequestBuilder {
    match token {
        Some(token) => request.header("Authorization", &format!("Bearer {token}")),
        None => request,
    }
}

/// The response of a request that succeeded; otherwise the server's error envelope
/// decoded.
async fn succeeded(response: Response) -> Result<Response, AppError> {
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    Err(decode_error(status, &body))
}

/// A JSON answer decoded from its bytes: read as text, a body went through a JS string
/// and was encoded into the WebAssembly's memory again (~45 ms of a 10,000-run project
/// page's load); as bytes it is copied in once.
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, AppError> {
    let status = response.status();
    let body = response
        .binary()
        .await
        .map_err(|error| AppError::Network(error.to_string()))?;
    serde_json::from_slice(&body).map_err(|error| AppError::Unreadable {
        status,
        detail: error.to_string(),
    })
}

/// `(from, to)` of an optional step range as query values (empty when absent).
fn range_values(range: Option<(i64, i64)>) -> (String, String) {
    range
        .map(|(from, to)| (from.to_string(), to.to_string()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copyable_commands_name_the_configured_api_or_the_page_origin() {
        assert_eq!(
            absolute_api_root("", "http://127.0.0.1:8080"),
            "http://127.0.0.1:8080/api/v1"
        );
        assert_eq!(
            absolute_api_root("https://t.example.com", "https://cdn.example.com"),
            "https://t.example.com/api/v1"
        );
    }

    #[test]
    fn lists_are_read_until_the_total_or_an_empty_page() {
        assert!(!read_everything(1000, 1000, 1200));
        assert!(read_everything(200, 1200, 1200));
        assert!(read_everything(0, 1000, 1200), "rows deleted meanwhile");
        assert!(read_everything(0, 0, 0));
    }

    #[test]
    fn absent_ranges_leave_their_query_values_empty() {
        assert_eq!(range_values(None), (String::new(), String::new()));
        assert_eq!(range_values(Some((-3, 9))), ("-3".into(), "9".into()));
    }

    #[test]
    fn an_unreachable_api_on_another_origin_names_the_cors_setting() {
        let cross = unreachable_detail(
            "TypeError: Failed to fetch",
            "http://api:8080",
            Some("http://cdn:9000"),
        );
        assert!(
            cross.starts_with("TypeError: Failed to fetch (is http://api:8080 running"),
            "{cross}"
        );
        assert!(cross.contains("--cors-origin http://cdn:9000"), "{cross}");
        for (base, origin) in [
            ("", "http://cdn:9000"),
            ("http://cdn:9000", "http://cdn:9000"),
            ("http://cdn:9000/tracking", "http://cdn:9000"),
        ] {
            assert_eq!(
                unreachable_detail("down", base, Some(origin)),
                "down",
                "{base}"
            );
        }
        assert!(
            unreachable_detail("down", "http://cdn:90001", Some("http://cdn:9000"))
                .contains("--cors-origin")
        );
    }
}
