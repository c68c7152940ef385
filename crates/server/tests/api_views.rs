//! Saved views: saved under a name by a write token, listed per project with who saved
//! them, opened by their short id with a read token, renamed, deleted; refusals name the
//! field and store nothing.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{json, Value};
use trackboard_api::TokenScope;

async fn save(app: &TestApp, secret: &str, project: i64, body: Value) -> common::Answer {
    app.request_as(
        Some(secret),
        Method::POST,
        &format!("/api/v1/projects/{project}/views"),
        Some(&body.to_string()),
    )
    .await
}

async fn listed(app: &TestApp, project: i64) -> Vec<Value> {
    let page = app.get(&format!("/api/v1/projects/{project}/views")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    page.json()["items"].as_array().expect("items").clone()
}

#[tokio::test]
async fn a_view_is_saved_listed_opened_renamed_and_deleted() {
    let app = TestApp::new().await;
    let project = app.project("vision").await;
    let writer =
        trackboard_server::auth::issue_token(&app.storage, "alice's laptop", TokenScope::Write)
            .await
            .expect("token")
            .secret;
    let compare = "/compare?ids=3,1&log=loss&from=10&to=90&smooth=0.6&baseline=3";
    let saved = save(
        &app,
        &writer,
        project,
        json!({"name": " Review 12 ", "path": compare}),
    )
    .await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.text());
    let view = saved.json();
    let id = view["id"].as_str().expect("id").to_owned();
    assert_eq!(id.len(), 10);
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
        "{id}"
    );
    assert_eq!(view["name"], "Review 12");
    assert_eq!(view["path"], compare);
    assert_eq!(view["saved_by"], "alice's laptop");
    assert_eq!(view["project_id"], project);

    let table = format!("/projects/{project}?cols=accuracy%0Aloss&sort=-accuracy");
    let second = save(
        &app,
        &writer,
        project,
        json!({"name": "Best runs", "path": table}),
    )
    .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text());
    assert_ne!(second.json()["id"], view["id"], "ids are new each time");
    let names: Vec<Value> = listed(&app, project)
        .await
        .iter()
        .map(|v| v["name"].clone())
        .collect();
    assert_eq!(
        names,
        [json!("Best runs"), json!("Review 12")],
        "newest first"
    );

    // A read token opens it.
    let reader = app.token(TokenScope::Read).await;
    let opened = app
        .request_as(
            Some(&reader),
            Method::GET,
            &format!("/api/v1/views/{id}"),
            None,
        )
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.text());
    assert_eq!(opened.json(), view);

    let renamed = app
        .patch(&format!("/api/v1/views/{id}"), r#"{"name":"Review 13"}"#)
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text());
    assert_eq!(renamed.json()["name"], "Review 13");
    assert_eq!(renamed.json()["path"], compare);

    let deleted = app.delete(&format!("/api/v1/views/{id}")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    app.get(&format!("/api/v1/views/{id}"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(listed(&app, project).await.len(), 1);

    // Views go with their project.
    assert_eq!(
        app.delete(&format!("/api/v1/projects/{project}"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let other = second.json()["id"].as_str().expect("id").to_owned();
    app.get(&format!("/api/v1/views/{other}"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn bad_views_are_refused_naming_the_field_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let project = app.project("vision").await;
    let writer = app.token(TokenScope::Write).await;
    let good = "/compare?ids=1,2";
    for (body, field) in [
        (json!({"name": "", "path": good}), "name"),
        (json!({"name": "   ", "path": good}), "name"),
        (json!({"name": "x".repeat(201), "path": good}), "name"),
        (json!({"name": "a\u{7}b", "path": good}), "name"),
        (json!({"name": "v", "path": ""}), "path"),
        (
            json!({"name": "v", "path": "https://evil.example.com/compare?ids=1"}),
            "path",
        ),
        (
            json!({"name": "v", "path": "//evil.example.com/compare?ids=1"}),
            "path",
        ),
        (json!({"name": "v", "path": "/experiments/3"}), "path"),
        (
            json!({"name": "v", "path": format!("/projects/{}", project + 1)}),
            "path",
        ),
        (json!({"name": "v", "path": "/compare?ids=1\n2"}), "path"),
        (
            json!({"name": "v", "path": format!("/compare?ids={}", "1".repeat(4000))}),
            "path",
        ),
    ] {
        let refused = save(&app, &writer, project, body.clone()).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            refused.text()
        );
        assert_eq!(refused.json()["error"]["details"]["field"], field, "{body}");
    }
    // Bodies that are not a view's shape: the JSON error names the field.
    for (body, field) in [
        (json!({"path": good}), "name"),
        (json!({"name": "v", "path": 7}), "path"),
    ] {
        let refused = save(&app, &writer, project, body.clone()).await;
        assert!(
            refused.status.is_client_error(),
            "{body}: {}",
            refused.text()
        );
        assert!(refused.text().contains(field), "{body}: {}", refused.text());
    }
    assert!(listed(&app, project).await.is_empty());

    // Saving needs write; a read token may list and open but not save or change.
    let reader = app.token(TokenScope::Read).await;
    let refused = save(&app, &reader, project, json!({"name": "v", "path": good})).await;
    refused.assert_error(StatusCode::FORBIDDEN, "forbidden");
    let saved = save(&app, &writer, project, json!({"name": "v", "path": good})).await;
    let id = saved.json()["id"].as_str().expect("id").to_owned();
    for (method, body) in [
        (Method::PATCH, Some(r#"{"name":"w"}"#)),
        (Method::DELETE, None),
    ] {
        let refused = app
            .request_as(
                Some(&reader),
                method.clone(),
                &format!("/api/v1/views/{id}"),
                body,
            )
            .await;
        refused.assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    let renamed = app
        .patch(&format!("/api/v1/views/{id}"), r#"{"name":"  "}"#)
        .await;
    renamed.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(
        app.get(&format!("/api/v1/views/{id}")).await.json()["name"],
        "v"
    );

    // Unknown projects and views.
    save(&app, &writer, 999_999, json!({"name": "v", "path": good}))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    app.get("/api/v1/projects/999999/views")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    for missing in ["zzzzzzzzzz", "short", "UPPERCASE1", "%2e%2e"] {
        app.get(&format!("/api/v1/views/{missing}"))
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
        app.patch(&format!("/api/v1/views/{missing}"), r#"{"name":"w"}"#)
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
        app.delete(&format!("/api/v1/views/{missing}"))
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    app.get(&format!("/api/v1/projects/{project}/views?order_by=path"))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
}

#[tokio::test]
async fn a_taken_id_is_not_overwritten() {
    let app = TestApp::new().await;
    let project = app.project("vision").await;
    let draft = |name| trackboard_server::storage::ViewDraft {
        id: "abcdefghij",
        project_id: project,
        name,
        path: "/compare?ids=1,2",
        saved_by: "test",
    };
    let first = app
        .storage
        .create_view(draft("first"))
        .await
        .expect("stored");
    assert_eq!(first.map(|view| view.name).as_deref(), Some("first"));
    assert_eq!(
        app.storage
            .create_view(draft("second"))
            .await
            .expect("no error"),
        None
    );
    let kept = app.storage.get_view("abcdefghij").await.expect("read");
    assert_eq!(kept.map(|view| view.name).as_deref(), Some("first"));
}
