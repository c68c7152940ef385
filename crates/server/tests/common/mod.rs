//! A test app over a real database, driven through the router: a SQLite file in a
//! temporary folder, or a fresh database on the Postgres server that
//! `TRACKBOARD_TEST_POSTGRES_URL` names; files in a local folder, or under a fresh
//! prefix of the bucket `TRACKBOARD_TEST_OBJECT_STORE_URL` names. `scripts/test.sh`
//! runs this suite once per combination it ships.

#![allow(dead_code)]

pub mod process;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use tempfile::TempDir;
use tower::ServiceExt;
use trackboard_api::TokenScope;
use trackboard_server::{app, AppState, Storage};

pub struct TestApp {
    pub storage: Storage,
    pub objects: trackboard_server::objects::Objects,
    pub router: Router,
    pub folder: TempDir,
    /// An admin token's secret, sent by every helper unless a test says otherwise.
    pub admin_secret: String,
}

pub struct Answer {
    pub status: StatusCode,
    pub content_type: Option<String>,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "body is not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts the answer is the error envelope with this status and code; returns it.
    pub fn assert_error(&self, status: StatusCode, code: &str) -> serde_json::Value {
        assert_eq!(self.status, status, "body: {}", self.text());
        let json = self.json();
        assert_eq!(json["error"]["code"], code, "body: {json}");
        assert!(
            json["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "body: {json}"
        );
        json
    }
}

impl TestApp {
    /// A fresh, empty database; no dashboard directory.
    pub async fn new() -> TestApp {
        TestApp::with_dashboard(None).await
    }

    pub async fn with_dashboard(dashboard_dir: Option<PathBuf>) -> TestApp {
        TestApp::with_options(dashboard_dir, trackboard_server::Limits::default()).await
    }

    /// A fresh database with these body limits.
    pub async fn with_limits(limits: trackboard_server::Limits) -> TestApp {
        TestApp::with_options(None, limits).await
    }

    /// A fresh SQLite database whatever the environment says, for tests of SQLite's
    /// own files and settings.
    pub async fn sqlite() -> TestApp {
        let folder = tempfile::tempdir().expect("temporary folder");
        let url = sqlite_url(folder.path());
        TestApp::build(folder, url, None, trackboard_server::Limits::default()).await
    }

    async fn with_options(
        dashboard_dir: Option<PathBuf>,
        limits: trackboard_server::Limits,
    ) -> TestApp {
        let folder = tempfile::tempdir().expect("temporary folder");
        let url = test_database_url(folder.path()).await;
        TestApp::build(folder, url, dashboard_dir, limits).await
    }

    async fn build(
        folder: TempDir,
        url: String,
        dashboard_dir: Option<PathBuf>,
        limits: trackboard_server::Limits,
    ) -> TestApp {
        let storage = Storage::open(&url).await.expect("database opens");
        let objects = test_objects(folder.path());
        let links = trackboard_server::links::LinkSigner::load(&storage)
            .await
            .expect("link secret");
        let router = app(
            AppState {
                storage: storage.clone(),
                objects: objects.clone(),
                limits,
                cors_origins: vec![axum::http::HeaderValue::from_static(
                    "http://dash.example.com",
                )],
                links,
            },
            dashboard_dir,
        );
        let admin_secret =
            trackboard_server::auth::issue_token(&storage, "test admin", TokenScope::Admin)
                .await
                .expect("admin token")
                .secret;
        TestApp {
            storage,
            objects,
            router,
            folder,
            admin_secret,
        }
    }

    /// A new token's secret with this scope.
    pub async fn token(&self, scope: TokenScope) -> String {
        trackboard_server::auth::issue_token(&self.storage, "test", scope)
            .await
            .expect("token")
            .secret
    }

    pub async fn request(&self, method: Method, uri: &str, body: Option<&str>) -> Answer {
        self.request_as(Some(&self.admin_secret), method, uri, body)
            .await
    }

    /// A request with this bearer secret (or none).
    pub async fn request_as(
        &self,
        secret: Option<&str>,
        method: Method,
        uri: &str,
        body: Option<&str>,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(secret) = secret {
            request = request.header("authorization", format!("Bearer {secret}"));
        }
        if body.is_some() {
            request = request.header("content-type", "application/json");
        }
        let request = request
            .body(
                body.map(|b| Body::from(b.to_owned()))
                    .unwrap_or_else(Body::empty),
            )
            .expect("valid request");
        self.send(request).await
    }

    /// Sends a request through the router and reads the whole answer.
    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body reads")
            .to_bytes()
            .to_vec();
        Answer {
            status,
            content_type,
            headers,
            body,
        }
    }

    pub async fn get(&self, uri: &str) -> Answer {
        self.request(Method::GET, uri, None).await
    }

    pub async fn post(&self, uri: &str, body: &str) -> Answer {
        self.request(Method::POST, uri, Some(body)).await
    }
}

impl TestApp {
    /// POSTs each body to `uri` and checks it is a 422 naming its field.
    pub async fn assert_each_refused(&self, uri: &str, cases: &[(serde_json::Value, &str)]) {
        for (body, field) in cases {
            let answer = self.post(uri, &body.to_string()).await;
            assert_eq!(
                answer.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")["error"]
                    ["details"]["field"],
                *field,
                "{body}"
            );
        }
    }

    pub async fn patch(&self, uri: &str, body: &str) -> Answer {
        self.request(Method::PATCH, uri, Some(body)).await
    }

    pub async fn delete(&self, uri: &str) -> Answer {
        self.request(Method::DELETE, uri, None).await
    }

    /// Creates a project and answers its id.
    pub async fn project(&self, name: &str) -> i64 {
        let answer = self
            .post(
                "/api/v1/projects",
                &serde_json::json!({ "name": name }).to_string(),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
        answer.json()["id"].as_i64().expect("id")
    }

    /// Creates an experiment from a JSON body and answers it.
    pub async fn experiment(&self, project_id: i64, body: serde_json::Value) -> serde_json::Value {
        let answer = self
            .post(
                &format!("/api/v1/projects/{project_id}/experiments"),
                &body.to_string(),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
        answer.json()
    }
}

/// One part of a multipart form: name, optional filename and content type, bytes.
#[derive(Clone, Copy)]
pub struct Part<'a> {
    pub name: &'a str,
    pub filename: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub bytes: &'a [u8],
}

impl<'a> Part<'a> {
    pub fn text(name: &'a str, value: &'a str) -> Part<'a> {
        Part {
            name,
            filename: None,
            content_type: None,
            bytes: value.as_bytes(),
        }
    }

    pub fn file(filename: &'a str, content_type: &'a str, bytes: &'a [u8]) -> Part<'a> {
        Part {
            name: "file",
            filename: Some(filename),
            content_type: Some(content_type),
            bytes,
        }
    }
}

pub const BOUNDARY: &str = "trackboard-test-boundary";

/// The bytes of a multipart/form-data body.
pub fn multipart_body(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{}\"",
                part.name
            )
            .as_bytes(),
        );
        if let Some(filename) = part.filename {
            body.extend_from_slice(format!("; filename=\"{filename}\"").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        if let Some(content_type) = part.content_type {
            body.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(part.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

impl TestApp {
    /// POSTs a multipart form.
    pub async fn post_multipart(&self, uri: &str, parts: &[Part<'_>]) -> Answer {
        self.send_body(uri, Body::from(multipart_body(parts))).await
    }

    /// POSTs any body as multipart (e.g. a stream that fails midway).
    pub async fn send_body(&self, uri: &str, body: Body) -> Answer {
        let request = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header("authorization", format!("Bearer {}", self.admin_secret))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body)
            .expect("valid request");
        self.send(request).await
    }

    /// What the object store holds, as keys (`artifacts/3f…`). For a local folder
    /// every file under it counts, staging files of unfinished uploads included.
    pub async fn stored_files(&self) -> Vec<String> {
        if test_bucket().is_some() {
            return self.objects.keys().await.expect("the bucket lists");
        }
        fn walk(dir: &std::path::Path, found: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, found);
                } else {
                    found.push(path);
                }
            }
        }
        let root = self.folder.path().join("objects");
        let mut found = Vec::new();
        walk(&root, &mut found);
        found
            .iter()
            .map(|path| {
                path.strip_prefix(&root)
                    .expect("under the root")
                    .display()
                    .to_string()
            })
            .collect()
    }
}

/// The SQLite file of a test's folder.
pub fn sqlite_url(folder: &Path) -> String {
    format!("sqlite://{}", folder.join("db/trackboard.db").display())
}

/// The Postgres server to test against, when one is given.
pub fn postgres_server_url() -> Option<String> {
    std::env::var("TRACKBOARD_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

/// A fresh, empty database for one test: on the Postgres server when one is given
/// (a new database per test, so tests never see each other's rows), else a SQLite
/// file in `folder`.
pub async fn test_database_url(folder: &Path) -> String {
    match postgres_server_url() {
        Some(server) => fresh_postgres_database(&server).await,
        None => sqlite_url(folder),
    }
}

/// Creates a uniquely named database on `server` and answers its URL.
pub async fn fresh_postgres_database(server: &str) -> String {
    use sqlx::Connection;
    static CREATED: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .subsec_nanos();
    let name = format!(
        "tb_{}_{}_{nanos}",
        std::process::id(),
        CREATED.fetch_add(1, Ordering::Relaxed)
    );
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(server)
        .await
        .expect("the test Postgres server answers");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("a test database is created");
    let (base, _) = server
        .rsplit_once('/')
        .expect("a server URL ends in /database");
    format!("{base}/{name}")
}

/// A test's object store: a folder in `folder`, or a fresh prefix in the bucket that
/// `TRACKBOARD_TEST_OBJECT_STORE_URL` names.
pub fn test_objects(folder: &Path) -> trackboard_server::objects::Objects {
    use trackboard_server::objects::Objects;
    match test_bucket_url(folder) {
        Some(url) => Objects::from_url(&url).expect("the test bucket opens"),
        None => Objects::local(&folder.join("objects")).expect("object store"),
    }
}

/// Where a test whose files live in `folder` keeps its objects in the test bucket
/// (a prefix named after the folder), when a bucket is given.
pub fn test_bucket_url(folder: &Path) -> Option<String> {
    let bucket = test_bucket()?;
    let prefix = folder
        .file_name()
        .and_then(|name| name.to_str())
        .expect("a temporary folder has a name")
        .trim_start_matches('.');
    Some(format!("{}/{prefix}", bucket.trim_end_matches('/')))
}

/// The bucket to test against, when one is given.
fn test_bucket() -> Option<String> {
    std::env::var("TRACKBOARD_TEST_OBJECT_STORE_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

/// Checks the points CSV of a LINE log written by `writers` concurrent writers, each
/// sending `per_writer` values `writer × 1,000,000 + index`: every point stored once,
/// steps 0… without a hole, each writer's points in its own order.
pub fn assert_concurrent_appends_intact(csv: &str, writers: usize, per_writer: usize) {
    let rows: Vec<(i64, i64)> = csv
        .lines()
        .skip(1)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let mut fields = line.split(',').skip(1);
            let step = fields.next().and_then(|s| s.parse().ok()).expect("step");
            let value: f64 = fields.next().and_then(|v| v.parse().ok()).expect("value");
            (step, value as i64)
        })
        .collect();
    let total = writers * per_writer;
    assert_eq!(rows.len(), total, "every point is stored once");
    let steps: Vec<i64> = rows.iter().map(|(step, _)| *step).collect();
    assert_eq!(
        steps,
        (0..total as i64).collect::<Vec<_>>(),
        "steps without a double or a hole"
    );
    let values: std::collections::BTreeSet<i64> = rows.iter().map(|(_, value)| *value).collect();
    assert_eq!(values.len(), total, "no value doubled");
    for writer in 0..writers as i64 {
        // Each request's points stay together and in order.
        let own: Vec<i64> = rows
            .iter()
            .filter(|(_, value)| value / 1_000_000 == writer)
            .map(|(_, value)| value % 1_000_000)
            .collect();
        assert_eq!(
            own,
            (0..per_writer as i64).collect::<Vec<_>>(),
            "writer {writer}"
        );
    }
}
