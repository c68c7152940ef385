//! The one typed client of the tracking server's API: one method per endpoint, each
//! answering `Result<T, ApiError>`. Components never build URLs or call fetch themselves.
//! This file holds the transport (token, sending, decoding); the endpoints live in one
//! file per resource.

mod datasets;
mod encode;
mod error;
mod experiments;
mod models;
mod projects;

pub use encode::{encode_component, query_string};
pub use error::{decode_error, ApiError};

use crate::session;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use trackboard_api::{FrameError, Health, Page, Project, API_PREFIX, POINTS_MEDIA_TYPE};

/// Handle to the API, cheap to clone; provided to components through context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiClient {
    base: Arc<str>,
}

impl ApiClient {
    /// A client for the server at `base` (no trailing slash; empty means same origin).
    pub fn new(base: &str) -> ApiClient {
        ApiClient { base: base.into() }
    }

    /// The full URL of an API path such as `/projects`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{API_PREFIX}{path}", self.base)
    }

    /// `GET /health`.
    pub async fn health(&self) -> Result<Health, ApiError> {
        self.get_json("/health").await
    }

    /// Whether the server accepts `token` (it reads one project with it).
    pub async fn check_token(&self, token: &str) -> Result<(), ApiError> {
        self.get_json_as::<Page<Project>>("/projects?limit=1", Some(token))
            .await
            .map(|_| ())
    }

    /// The bytes at an API path (an artifact download, an image) and their type.
    pub async fn get_bytes(&self, path: &str) -> Result<(Vec<u8>, String), ApiError> {
        let response = self
            .send(
                Request::get(&self.url(path)),
                session::stored_token().as_deref(),
            )
            .await?;
        let content_type = response
            .headers()
            .get("content-type")
            .unwrap_or_else(|| "application/octet-stream".to_owned());
        let bytes = response
            .binary()
            .await
            .map_err(|error| ApiError::Network(error.to_string()))?;
        Ok((bytes, content_type))
    }

    /// A points answer as the binary frame (`decode` is one of trackboard-api's frame
    /// decoders): copied, not parsed, so a wide comparison costs milliseconds, not the
    /// hundreds JSON would.
    async fn get_frame<T>(
        &self,
        path: &str,
        decode: fn(&[u8]) -> Result<T, FrameError>,
    ) -> Result<T, ApiError> {
        let request = Request::get(&self.url(path)).header("Accept", POINTS_MEDIA_TYPE);
        let response = self
            .send(request, session::stored_token().as_deref())
            .await?;
        let status = response.status();
        let bytes = response
            .binary()
            .await
            .map_err(|error| ApiError::Network(error.to_string()))?;
        decode(&bytes).map_err(|error| ApiError::Unreadable {
            status,
            detail: error.to_string(),
        })
    }

    /// `DELETE` of an API path.
    pub async fn delete(&self, path: &str) -> Result<(), ApiError> {
        self.send(
            Request::delete(&self.url(path)),
            session::stored_token().as_deref(),
        )
        .await
        .map(|_| ())
    }

    async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.get_json_as(path, session::stored_token().as_deref())
            .await
    }

    async fn get_json_as<T: DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
    ) -> Result<T, ApiError> {
        decode(self.send(Request::get(&self.url(path)), token).await?).await
    }

    /// Sends a request with the token, answering the response only when it succeeded.
    async fn send(
        &self,
        request: RequestBuilder,
        token: Option<&str>,
    ) -> Result<Response, ApiError> {
        let sent = with_token(request, token).send().await;
        succeeded(self.reached(sent)?).await
    }

    /// The response, or why the server could not be reached. A browser cannot tell a
    /// server that is down from one that refuses this page's origin (CORS), so a
    /// dashboard hosted apart from its API names both causes.
    fn reached(&self, sent: Result<Response, gloo_net::Error>) -> Result<Response, ApiError> {
        sent.map_err(|error| {
            let origin = web_sys::window().and_then(|window| window.location().origin().ok());
            ApiError::Network(unreachable_detail(
                &error.to_string(),
                &self.base,
                origin.as_deref(),
            ))
        })
    }

    /// Sends `body` as JSON and decodes the answer.
    async fn send_json<B: serde::Serialize, T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
        body: &B,
    ) -> Result<T, ApiError> {
        let request = with_token(request, session::stored_token().as_deref())
            .json(body)
            .map_err(|error| ApiError::Network(error.to_string()))?;
        decode(succeeded(self.reached(request.send().await)?).await?).await
    }
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

/// `request` with the bearer token, when there is one.
fn with_token(request: RequestBuilder, token: Option<&str>) -> RequestBuilder {
    match token {
        Some(token) => request.header("Authorization", &format!("Bearer {token}")),
        None => request,
    }
}

/// The response of a request that succeeded; otherwise the server's error envelope
/// decoded.
async fn succeeded(response: Response) -> Result<Response, ApiError> {
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    Err(decode_error(status, &body))
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let body = response
        .text()
        .await
        .map_err(|error| ApiError::Network(error.to_string()))?;
    serde_json::from_str(&body).map_err(|error| ApiError::Unreadable {
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
    fn urls_join_the_base_and_the_api_prefix() {
        assert_eq!(ApiClient::new("").url("/projects"), "/api/v1/projects");
        assert_eq!(
            ApiClient::new("https://t.example.com").url("/health"),
            "https://t.example.com/api/v1/health"
        );
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
