//! Bearer tokens: 401 without one, 403 when the scope is too weak, revocation at once.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use trackboard_api::TokenScope;

#[tokio::test]
async fn health_is_open_and_everything_else_needs_a_token() {
    let app = TestApp::new().await;
    let health = app
        .request_as(None, Method::GET, "/api/v1/health", None)
        .await;
    assert_eq!(health.status, StatusCode::OK);

    let answer = app
        .request_as(None, Method::GET, "/api/v1/projects", None)
        .await;
    answer.assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    let answer = app
        .request_as(
            Some("tb_not-a-real-token"),
            Method::GET,
            "/api/v1/projects",
            None,
        )
        .await;
    answer.assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
}

#[tokio::test]
async fn a_malformed_authorization_header_is_a_401_that_says_the_format() {
    let app = TestApp::new().await;
    let request = axum::http::Request::builder()
        .uri("/api/v1/projects")
        .header("authorization", format!("Basic {}", app.admin_secret))
        .body(axum::body::Body::empty())
        .expect("request");
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        response
            .headers()
            .get("www-authenticate")
            .map(|v| v.as_bytes()),
        Some(&b"Bearer"[..])
    );
}

#[tokio::test]
async fn a_read_token_reads_but_cannot_write() {
    let app = TestApp::new().await;
    let project = app.project("vision").await;
    let read = app.token(TokenScope::Read).await;
    let listed = app
        .request_as(Some(&read), Method::GET, "/api/v1/projects", None)
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    let refused = app
        .request_as(
            Some(&read),
            Method::POST,
            "/api/v1/projects",
            Some(r#"{"name":"x"}"#),
        )
        .await;
    let json = refused.assert_error(StatusCode::FORBIDDEN, "forbidden");
    assert!(json["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("write"));
    let refused = app
        .request_as(
            Some(&read),
            Method::DELETE,
            &format!("/api/v1/projects/{project}"),
            None,
        )
        .await;
    refused.assert_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(app.get("/api/v1/projects").await.json()["total"], 1);
}

#[tokio::test]
async fn only_admins_manage_tokens_and_secrets_are_shown_once() {
    let app = TestApp::sqlite().await;
    let write = app.token(TokenScope::Write).await;
    let refused = app
        .request_as(Some(&write), Method::GET, "/api/v1/tokens", None)
        .await;
    refused.assert_error(StatusCode::FORBIDDEN, "forbidden");

    let created = app
        .post("/api/v1/tokens", r#"{"name":"ci","scope":"read"}"#)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let created = created.json();
    let secret = created["secret"].as_str().expect("secret").to_owned();
    assert!(secret.starts_with("tb_"));

    let listed = app.get("/api/v1/tokens").await;
    assert_eq!(listed.status, StatusCode::OK);
    assert!(
        !listed.text().contains(&secret),
        "a list never shows a secret"
    );
    assert_eq!(listed.json()["total"], 3);
    // Only the SHA-256 of a secret is stored: neither the database nor its log holds it.
    for file in ["trackboard.db", "trackboard.db-wal"] {
        let bytes = std::fs::read(app.folder.path().join("db").join(file)).unwrap_or_default();
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{file} holds a token secret"
        );
    }

    let ok = app
        .request_as(Some(&secret), Method::GET, "/api/v1/projects", None)
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    let id = created["token"]["id"].as_i64().expect("id");
    let revoked = app.delete(&format!("/api/v1/tokens/{id}")).await;
    assert_eq!(revoked.status, StatusCode::OK);
    assert!(revoked.json()["revoked_at"].is_string());
    let refused = app
        .request_as(Some(&secret), Method::GET, "/api/v1/projects", None)
        .await;
    refused.assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
}

#[tokio::test]
async fn bad_token_requests_name_the_field_and_store_nothing() {
    let app = TestApp::new().await;
    let answer = app
        .post("/api/v1/tokens", r#"{"name":"ci","scope":"root"}"#)
        .await;
    let json = answer.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(json["error"]["details"]["field"], "scope");
    let answer = app
        .post("/api/v1/tokens", r#"{"name":"  ","scope":"read"}"#)
        .await;
    let json = answer.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(json["error"]["details"]["field"], "name");
    app.delete("/api/v1/tokens/999")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(app.get("/api/v1/tokens").await.json()["total"], 1);
}

#[tokio::test]
async fn the_token_command_creates_lists_and_revokes() {
    use trackboard_server::config::TokenAction;
    use trackboard_server::token_cli;
    let app = TestApp::new().await;
    let created = token_cli::run(
        &app.storage,
        &TokenAction::Create {
            name: "ci".into(),
            scope: TokenScope::Read,
        },
    )
    .await
    .expect("creates");
    let secret = created.lines().last().expect("secret line").to_owned();
    assert!(secret.starts_with("tb_"), "{created}");
    let ok = app
        .request_as(Some(&secret), Method::GET, "/api/v1/projects", None)
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    let listed = token_cli::run(&app.storage, &TokenAction::List)
        .await
        .expect("lists");
    assert!(
        listed.contains("\tread\t") && !listed.contains(&secret),
        "{listed}"
    );
    token_cli::run(&app.storage, &TokenAction::Revoke { id: 2 })
        .await
        .expect("revokes");
    let refused = app
        .request_as(Some(&secret), Method::GET, "/api/v1/projects", None)
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(
        token_cli::run(&app.storage, &TokenAction::Revoke { id: 99 })
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_first_admin_is_made_once() {
    let folder = tempfile::tempdir().expect("folder");
    let url = format!("sqlite://{}", folder.path().join("db.sqlite").display());
    let storage = trackboard_server::Storage::open(&url).await.expect("opens");
    let secret = trackboard_server::token_cli::bootstrap_admin(&storage)
        .await
        .expect("runs");
    assert!(secret.is_some_and(|s| s.starts_with("tb_")));
    assert_eq!(
        trackboard_server::token_cli::bootstrap_admin(&storage)
            .await
            .expect("runs"),
        None
    );
}
