//! The one typed client of the tracking server's API: one method per endpoint, each
//! answering `Result<T, ApiError>`. Components never build URLs or call fetch themselves.

use crate::session;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use trackboard_api::{
    Artifact, ErrorCode, ErrorEnvelope, Experiment, Health, JobLog, LinePoints, Log, Page, Project,
    API_PREFIX,
};

/// Why an API call failed, as the dashboard shows it.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The server could not be reached at all.
    #[error("cannot reach the tracking server: {0}")]
    Network(String),
    /// The server answered with its error envelope.
    #[error("{message}")]
    Server {
        status: u16,
        code: ErrorCode,
        message: String,
        field: Option<String>,
    },
    /// The page's own address does not name a resource (e.g. `/experiments/abc`).
    #[error("{0}")]
    BadAddress(String),
    /// The server answered something this dashboard cannot read.
    #[error("unexpected answer from the server (HTTP {status}): {detail}")]
    Unreadable { status: u16, detail: String },
}

impl ApiError {
    /// The request field the server named, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Server { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// Whether the server refused the token (missing, unknown or revoked): the user
    /// must sign in again.
    pub fn needs_sign_in(&self) -> bool {
        matches!(self, ApiError::Server { status: 401, .. })
    }
}

/// Turns a failed answer's status and body into an [`ApiError`], using the envelope when
/// the body is one.
pub fn decode_error(status: u16, body: &str) -> ApiError {
    match serde_json::from_str::<ErrorEnvelope>(body) {
        Ok(envelope) => ApiError::Server {
            status,
            code: envelope.error.code,
            field: envelope.field().map(str::to_owned),
            message: envelope.error.message,
        },
        Err(_) => ApiError::Unreadable {
            status,
            detail: body.chars().take(200).collect(),
        },
    }
}

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

    /// `GET /projects`: the first page of projects.
    pub async fn list_projects(&self) -> Result<Page<Project>, ApiError> {
        self.get_json("/projects").await
    }

    /// `GET /projects/{id}`.
    pub async fn get_project(&self, id: i64) -> Result<Project, ApiError> {
        self.get_json(&format!("/projects/{id}")).await
    }

    /// `GET /projects/{id}/experiments`: up to 1,000 experiments, ordered and searched.
    pub async fn list_experiments(
        &self,
        project_id: i64,
        order_by: &str,
        name: &str,
    ) -> Result<Page<Experiment>, ApiError> {
        let query = query_string(&[
            ("limit", "1000"),
            ("order_by", order_by),
            ("name", name.trim()),
        ]);
        self.get_json(&format!("/projects/{project_id}/experiments?{query}"))
            .await
    }

    /// `GET /projects/{id}/values`: the VALUE logs of every experiment of a project.
    pub async fn project_values(
        &self,
        project_id: i64,
    ) -> Result<Vec<trackboard_api::ExperimentValues>, ApiError> {
        self.get_json(&format!("/projects/{project_id}/values"))
            .await
    }

    /// `GET /experiments/{id}`.
    pub async fn get_experiment(&self, id: i64) -> Result<Experiment, ApiError> {
        self.get_json(&format!("/experiments/{id}")).await
    }

    /// `GET /experiments/{id}/logs`: every log (up to 1,000), by name.
    pub async fn list_logs(&self, experiment_id: i64) -> Result<Page<Log>, ApiError> {
        self.get_json(&format!("/experiments/{experiment_id}/logs?limit=1000"))
            .await
    }

    /// `GET /experiments/{id}/logs/{name}/points`: the points of a LINE log in a step
    /// range (all when `None`), reduced by the server for `width` device pixels.
    pub async fn line_points(
        &self,
        experiment_id: i64,
        log_name: &str,
        range: Option<(i64, i64)>,
        width: u32,
    ) -> Result<LinePoints, ApiError> {
        let width = width.to_string();
        let (from, to) = range
            .map(|(from, to)| (from.to_string(), to.to_string()))
            .unwrap_or_default();
        let query = query_string(&[("width", &width), ("from", &from), ("to", &to)]);
        self.get_json(&format!(
            "/experiments/{experiment_id}/logs/{}/points?{query}",
            encode_component(log_name)
        ))
        .await
    }

    /// `GET /line-comparison`: one LINE log across experiments on one step grid.
    pub async fn line_comparison(
        &self,
        experiment_ids: &[i64],
        log_name: &str,
        range: Option<(i64, i64)>,
        width: u32,
    ) -> Result<trackboard_api::LineComparison, ApiError> {
        let ids = experiment_ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let width = width.to_string();
        let (from, to) = range
            .map(|(from, to)| (from.to_string(), to.to_string()))
            .unwrap_or_default();
        let query = query_string(&[
            ("experiment_ids", &ids),
            ("log", log_name),
            ("width", &width),
            ("from", &from),
            ("to", &to),
        ]);
        self.get_json(&format!("/line-comparison?{query}")).await
    }

    /// Whether the server accepts `token` (it reads one project with it).
    pub async fn check_token(&self, token: &str) -> Result<(), ApiError> {
        self.get_json_as::<Page<Project>>("/projects?limit=1", Some(token))
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
        succeeded(sent).await
    }

    /// `GET /experiments/{id}/artifacts`: every artifact (up to 1,000), by name.
    pub async fn list_artifacts(&self, experiment_id: i64) -> Result<Page<Artifact>, ApiError> {
        self.get_json(&format!(
            "/experiments/{experiment_id}/artifacts?limit=1000"
        ))
        .await
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

    /// Sends `body` as JSON with `method` and decodes the answer.
    async fn send_json<B: serde::Serialize, T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
        body: &B,
    ) -> Result<T, ApiError> {
        let request = with_token(request, session::stored_token().as_deref())
            .json(body)
            .map_err(|error| ApiError::Network(error.to_string()))?;
        decode(succeeded(request.send().await).await?).await
    }

    /// `PATCH /experiments/{id}`: changes the fields the patch names.
    pub async fn update_experiment(
        &self,
        id: i64,
        patch: &trackboard_api::ExperimentPatch,
    ) -> Result<Experiment, ApiError> {
        self.send_json(
            Request::patch(&self.url(&format!("/experiments/{id}"))),
            patch,
        )
        .await
    }

    /// `GET /models`: every model (up to 1,000), by name.
    pub async fn list_models(&self) -> Result<Page<trackboard_api::Model>, ApiError> {
        self.get_json("/models?limit=1000").await
    }

    /// `GET /models/{id}`.
    pub async fn get_model(&self, id: i64) -> Result<trackboard_api::Model, ApiError> {
        self.get_json(&format!("/models/{id}")).await
    }

    /// `GET /models/{id}/versions`: newest first (up to 1,000).
    pub async fn list_model_versions(
        &self,
        id: i64,
    ) -> Result<Page<trackboard_api::ModelVersion>, ApiError> {
        self.get_json(&format!("/models/{id}/versions?limit=1000"))
            .await
    }

    /// `POST /experiments/{id}/export`: a new model version.
    pub async fn export_experiment(
        &self,
        id: i64,
        export: &trackboard_api::ExportExperiment,
    ) -> Result<trackboard_api::ModelVersion, ApiError> {
        self.send_json(
            Request::post(&self.url(&format!("/experiments/{id}/export"))),
            export,
        )
        .await
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

    /// `GET /experiments/{id}/job/logs?after=N`: the job's status and new lines.
    pub async fn job_log(
        &self,
        experiment_id: i64,
        after: Option<u64>,
    ) -> Result<JobLog, ApiError> {
        let after = after.map(|n| n.to_string()).unwrap_or_default();
        let query = query_string(&[("after", &after)]);
        self.get_json(&format!("/experiments/{experiment_id}/job/logs?{query}"))
            .await
    }
}

/// `request` with the bearer token, when there is one.
fn with_token(request: RequestBuilder, token: Option<&str>) -> RequestBuilder {
    match token {
        Some(token) => request.header("Authorization", &format!("Bearer {token}")),
        None => request,
    }
}

/// The response of a request that reached the server and succeeded; otherwise the
/// network error, or the server's error envelope decoded.
async fn succeeded(sent: Result<Response, gloo_net::Error>) -> Result<Response, ApiError> {
    let response = sent.map_err(|error| ApiError::Network(error.to_string()))?;
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

/// `text` percent-encoded for a path segment or query value: every byte but the
/// unreserved ones (`A-Z a-z 0-9 - . _ ~`) is escaped, `/` included.
pub fn encode_component(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                (byte as char).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

/// `a=1&b=x%20y`, leaving out pairs whose value is empty.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| format!("{key}={}", encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_escape_everything_but_unreserved_bytes() {
        assert_eq!(encode_component("Loss/total loss"), "Loss%2Ftotal%20loss");
        assert_eq!(encode_component("mAP@0.5"), "mAP%400.5");
        assert_eq!(encode_component("é"), "%C3%A9");
        assert_eq!(encode_component("a-b_c.d~"), "a-b_c.d~");
    }

    #[test]
    fn query_strings_skip_empty_values() {
        assert_eq!(
            query_string(&[("limit", "10"), ("name", ""), ("order_by", "-created")]),
            "limit=10&order_by=-created"
        );
        assert_eq!(query_string(&[("name", "a&b=c")]), "name=a%26b%3Dc");
    }

    #[test]
    fn urls_join_the_base_and_the_api_prefix() {
        assert_eq!(ApiClient::new("").url("/projects"), "/api/v1/projects");
        assert_eq!(
            ApiClient::new("https://t.example.com").url("/health"),
            "https://t.example.com/api/v1/health"
        );
    }

    #[test]
    fn an_envelope_becomes_a_server_error_with_its_field() {
        let body = r#"{"error":{"code":"validation_failed","message":"name must not be empty","details":{"field":"name"}}}"#;
        assert_eq!(
            decode_error(422, body),
            ApiError::Server {
                status: 422,
                code: ErrorCode::ValidationFailed,
                message: "name must not be empty".into(),
                field: Some("name".into()),
            }
        );
        assert_eq!(
            decode_error(422, body).to_string(),
            "name must not be empty"
        );
    }

    #[test]
    fn a_body_that_is_not_an_envelope_is_unreadable_and_shortened() {
        let body = "<html>".repeat(100);
        match decode_error(502, &body) {
            ApiError::Unreadable { status, detail } => {
                assert_eq!(status, 502);
                assert_eq!(detail.chars().count(), 200);
            }
            other => panic!("expected Unreadable, got {other:?}"),
        }
    }
}
