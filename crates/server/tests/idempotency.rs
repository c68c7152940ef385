//! A write sent again with its `Idempotency-Key` (a client retrying after a lost answer)
//! is answered as the first time and applied once.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{multipart_body, Answer, Part, TestApp, BOUNDARY};
use serde_json::json;

async fn post_with_key(app: &TestApp, uri: &str, key: &str, body: &serde_json::Value) -> Answer {
    let request = Request::post(uri)
        .header("authorization", format!("Bearer {}", app.admin_secret))
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .body(Body::from(body.to_string()))
        .expect("request");
    app.send(request).await
}

async fn points(app: &TestApp, id: i64) -> u64 {
    let log = app
        .get(&format!("/api/v1/experiments/{id}/logs/loss"))
        .await
        .json();
    log["data"]["series"][0]["points"].as_u64().expect("points")
}

#[tokio::test]
async fn a_retried_append_is_stored_once_and_answered_alike() {
    let app = TestApp::new().await;
    let project = app.project("retries").await;
    let id = app.experiment(project, json!({ "name": "run" })).await["id"]
        .as_i64()
        .expect("id");
    let uri = format!("/api/v1/experiments/{id}/logs");
    let batch = json!({ "name": "loss", "type": "LINE", "data": [0.5, 0.4, 0.3] });
    let first = post_with_key(&app, &uri, "batch-1", &batch).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let again = post_with_key(&app, &uri, "batch-1", &batch).await;
    assert_eq!(
        again.status,
        StatusCode::CREATED,
        "the replay answers as the first time"
    );
    assert_eq!(again.json(), first.json());
    assert_eq!(points(&app, id).await, 3, "stored once");

    let next = post_with_key(&app, &uri, "batch-2", &batch).await;
    assert_eq!(next.status, StatusCode::OK);
    assert_eq!(points(&app, id).await, 6, "a new key is a new write");

    let other = json!({ "name": "loss", "type": "LINE", "data": [9.0] });
    let refused = post_with_key(&app, &uri, "batch-1", &other)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(refused["error"]["details"]["field"], "Idempotency-Key");
    for bad in ["", "with space", &"k".repeat(201)] {
        post_with_key(&app, &uri, bad, &other)
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    }
    assert_eq!(points(&app, id).await, 6, "refused writes store nothing");
}

#[tokio::test]
async fn a_key_is_tied_to_its_experiment() {
    let app = TestApp::new().await;
    let project = app.project("two").await;
    let first = app.experiment(project, json!({ "name": "a" })).await["id"]
        .as_i64()
        .expect("id");
    let second = app.experiment(project, json!({ "name": "b" })).await["id"]
        .as_i64()
        .expect("id");
    let batch = json!({ "name": "loss", "type": "LINE", "data": [1.0] });
    let answer = post_with_key(
        &app,
        &format!("/api/v1/experiments/{first}/logs"),
        "k",
        &batch,
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    post_with_key(
        &app,
        &format!("/api/v1/experiments/{second}/logs"),
        "k",
        &batch,
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(points(&app, first).await, 1);
}

/// An image upload with its key: the multipart request as a client's journal sends it.
async fn image_with_key(app: &TestApp, uri: &str, key: &str, bytes: &[u8], step: &str) -> Answer {
    let body = multipart_body(&[
        Part::file("frame.png", "image/png", bytes),
        Part::text("caption", "frame"),
        Part::text("step", step),
    ]);
    let request = Request::post(uri)
        .header("authorization", format!("Bearer {}", app.admin_secret))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("idempotency-key", key)
        .body(Body::from(body))
        .expect("request");
    app.send(request).await
}

#[tokio::test]
async fn a_retried_image_upload_is_stored_once_and_its_copy_dropped() {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR fake but signed";
    let app = TestApp::new().await;
    let project = app.project("images").await;
    let id = app.experiment(project, json!({ "name": "run" })).await["id"]
        .as_i64()
        .expect("id");
    let uri = format!("/api/v1/experiments/{id}/logs/samples/images");
    let first = image_with_key(&app, &uri, "image-1", PNG, "3").await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let files = app.stored_files().await.len();
    let again = image_with_key(&app, &uri, "image-1", PNG, "3").await;
    assert_eq!(
        again.status,
        StatusCode::CREATED,
        "answered as the first time"
    );
    assert_eq!(again.json(), first.json());
    assert_eq!(
        app.stored_files().await.len(),
        files,
        "the copy is not kept"
    );
    let log = app
        .get(&format!("/api/v1/experiments/{id}/logs/samples"))
        .await
        .json();
    assert_eq!(log["data"]["images"].as_array().map(Vec::len), Some(1));

    // The same key with other bytes or another field is another request: refused.
    let mut other = PNG.to_vec();
    other.push(0);
    for (bytes, step) in [(other.as_slice(), "3"), (PNG, "4")] {
        let refused = image_with_key(&app, &uri, "image-1", bytes, step)
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(refused["error"]["details"]["field"], "Idempotency-Key");
    }
    assert_eq!(
        app.stored_files().await.len(),
        files,
        "refused uploads leave nothing"
    );
    let next = image_with_key(&app, &uri, "image-2", PNG, "3").await;
    assert_eq!(next.status, StatusCode::OK, "a new key is a new image");
}
