//! `/api/v1/health` and `/api/v1/projects` through the router, on a real SQLite file.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;

#[tokio::test]
async fn health_answers_ok_with_the_version() {
    let app = TestApp::new().await;
    let answer = app.get("/api/v1/health").await;
    assert_eq!(answer.status, StatusCode::OK);
    let json = answer.json();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn the_database_runs_in_wal_mode() {
    let app = TestApp::sqlite().await;
    assert_eq!(
        app.storage.journal_mode().await.expect("pragma answers"),
        "wal"
    );
}

#[tokio::test]
async fn an_empty_database_lists_no_projects() {
    let app = TestApp::new().await;
    let json = app.get("/api/v1/projects").await.json();
    assert_eq!(
        json,
        serde_json::json!({"items": [], "total": 0, "limit": 100, "offset": 0})
    );
}

#[tokio::test]
async fn created_projects_are_listed_by_name_with_the_total() {
    let app = TestApp::new().await;
    for name in ["segmentation", "Detection", "classification"] {
        let answer = app
            .post("/api/v1/projects", &format!(r#"{{"name": "{name}"}}"#))
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
        assert_eq!(answer.json()["name"], name);
    }
    let json = app.get("/api/v1/projects").await.json();
    let names: Vec<&str> = json["items"]
        .as_array()
        .expect("items is a list")
        .iter()
        .map(|project| project["name"].as_str().expect("name is text"))
        .collect();
    assert_eq!(names, ["Detection", "classification", "segmentation"]);
    assert_eq!(json["total"], 3);
}

#[tokio::test]
async fn pages_follow_limit_and_offset_and_keep_the_total() {
    let app = TestApp::new().await;
    for index in 0..5 {
        app.post("/api/v1/projects", &format!(r#"{{"name": "p{index}"}}"#))
            .await;
    }
    let json = app.get("/api/v1/projects?limit=2&offset=3").await.json();
    assert_eq!(json["items"][0]["name"], "p3");
    assert_eq!(json["items"][1]["name"], "p4");
    assert_eq!(json["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["total"], 5);
    assert_eq!(json["limit"], 2);
    assert_eq!(json["offset"], 3);
}

#[tokio::test]
async fn created_project_carries_rfc3339_timestamps() {
    let app = TestApp::new().await;
    let json = app
        .post("/api/v1/projects", r#"{"name": "a", "description": "b"}"#)
        .await
        .json();
    let created = json["created_at"].as_str().expect("created_at is text");
    assert_eq!(created.len(), "2026-01-01T00:00:00.000Z".len(), "{created}");
    assert!(
        created.ends_with('Z') && created.as_bytes()[10] == b'T',
        "{created}"
    );
    assert_eq!(json["updated_at"], json["created_at"]);
    assert_eq!(json["description"], "b");
}

#[tokio::test]
async fn bad_page_parameters_name_the_field_in_the_envelope() {
    let app = TestApp::new().await;
    let json = app
        .get("/api/v1/projects?limit=0")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(json["error"]["details"]["field"], "limit");
    let json = app
        .get("/api/v1/projects?limit=1001")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(json["error"]["details"]["field"], "limit");
    let json = app
        .get("/api/v1/projects?offset=-5")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(json["error"]["details"]["field"], "offset");
    let json = app
        .get("/api/v1/projects?limit=many")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_request");
    assert!(
        json["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("limit")),
        "{json}"
    );
}

#[tokio::test]
async fn bad_project_bodies_are_refused_and_store_nothing() {
    let app = TestApp::new().await;
    let cases = [
        (
            r#"{"name": "   "}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            Some("name"),
        ),
        (
            r#"{"name": 42}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            Some("name"),
        ),
        (
            r#"{"name": "x", "description": []}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            Some("description"),
        ),
        (
            r#"{"description": "no name"}"#,
            StatusCode::BAD_REQUEST,
            "bad_request",
            None,
        ),
        (r#"{"name": "#, StatusCode::BAD_REQUEST, "bad_request", None),
        (
            r#""just text""#,
            StatusCode::BAD_REQUEST,
            "bad_request",
            None,
        ),
    ];
    for (body, status, code, field) in cases {
        let json = app
            .post("/api/v1/projects", body)
            .await
            .assert_error(status, code);
        assert_eq!(
            json["error"]["details"]["field"].as_str(),
            field,
            "body {body}: {json}"
        );
    }
    let json = app
        .post("/api/v1/projects", r#"{"description": "no name"}"#)
        .await
        .json();
    assert!(
        json["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("name")),
        "{json}"
    );
    assert_eq!(app.storage.count_projects().await.expect("count"), 0);
}

#[tokio::test]
async fn a_missing_content_type_is_answered_in_the_envelope() {
    let app = TestApp::new().await;
    let request = axum::http::Request::post("/api/v1/projects")
        .header("authorization", format!("Bearer {}", app.admin_secret))
        .body(axum::body::Body::from(r#"{"name": "x"}"#))
        .expect("request");
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&body).expect("envelope");
    assert_eq!(json["error"]["code"], "unsupported_media_type");
    assert_eq!(app.storage.count_projects().await.expect("count"), 0);
}

#[tokio::test]
async fn a_taken_name_is_a_conflict_naming_the_field() {
    let app = TestApp::new().await;
    app.post("/api/v1/projects", r#"{"name": "detection"}"#)
        .await;
    let json = app
        .post("/api/v1/projects", r#"{"name": " detection "}"#)
        .await
        .assert_error(StatusCode::CONFLICT, "conflict");
    assert_eq!(json["error"]["details"]["field"], "name");
    assert_eq!(app.storage.count_projects().await.expect("count"), 1);
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_the_envelope() {
    let app = TestApp::new().await;
    app.get("/api/v1/nothing-here")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    app.get("/api/v2/projects")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    app.request(Method::DELETE, "/api/v1/health", None)
        .await
        .assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}
