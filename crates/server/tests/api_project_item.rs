//! `/api/v1/projects/{id}`: get, rename, delete.

mod common;

use axum::http::StatusCode;
use common::TestApp;

#[tokio::test]
async fn a_project_is_read_renamed_and_deleted() {
    let app = TestApp::new().await;
    let id = app.project("detection").await;
    assert_eq!(
        app.get(&format!("/api/v1/projects/{id}")).await.json()["name"],
        "detection"
    );

    let renamed = app
        .patch(
            &format!("/api/v1/projects/{id}"),
            r#"{"name": "detection v2"}"#,
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text());
    let json = renamed.json();
    assert_eq!(json["name"], "detection v2");
    assert_eq!(json["description"], "", "fields left out stay as they were");

    assert_eq!(
        app.delete(&format!("/api/v1/projects/{id}")).await.status,
        StatusCode::NO_CONTENT
    );
    app.get(&format!("/api/v1/projects/{id}"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    app.delete(&format!("/api/v1/projects/{id}"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn renaming_onto_a_taken_name_conflicts_and_changes_nothing() {
    let app = TestApp::new().await;
    app.project("a").await;
    let b = app.project("b").await;
    let json = app
        .patch(
            &format!("/api/v1/projects/{b}"),
            r#"{"name": "a", "description": "lost?"}"#,
        )
        .await
        .assert_error(StatusCode::CONFLICT, "conflict");
    assert_eq!(json["error"]["details"]["field"], "name");
    let stored = app.get(&format!("/api/v1/projects/{b}")).await.json();
    assert_eq!(stored["name"], "b");
    assert_eq!(stored["description"], "");
}

#[tokio::test]
async fn bad_ids_and_names_are_refused() {
    let app = TestApp::new().await;
    let id = app.project("kept").await;
    app.get("/api/v1/projects/abc")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_request");
    app.patch("/api/v1/projects/999", r#"{"name": "x"}"#)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let json = app
        .patch(&format!("/api/v1/projects/{id}"), r#"{"name": ""}"#)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(json["error"]["details"]["field"], "name");
    assert_eq!(
        app.get(&format!("/api/v1/projects/{id}")).await.json()["name"],
        "kept"
    );
}
