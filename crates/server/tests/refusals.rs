//! Bad input gets a clear refusal in the envelope and stores nothing: bodies that are
//! not objects, repeated keys and parts, wrong enum types, malformed text, oversized or
//! mistyped uploads, and unknown routes asked anonymously.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Part, TestApp};
use serde_json::json;

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn experiment(app: &TestApp) -> i64 {
    let project = app.project("refusals").await;
    app.experiment(project, json!({ "name": "run" })).await["id"]
        .as_i64()
        .expect("id")
}

fn field(json: &serde_json::Value) -> Option<&str> {
    json["error"]["details"]["field"].as_str()
}

#[tokio::test]
async fn a_body_that_is_not_an_object_is_refused_everywhere() {
    let app = TestApp::new().await;
    let id = experiment(&app).await;
    let project = app.project("kept").await;
    for (method, uri) in [
        (Method::POST, "/api/v1/projects".to_owned()),
        (Method::PATCH, format!("/api/v1/projects/{project}")),
        (Method::POST, "/api/v1/tokens".to_owned()),
        (Method::POST, "/api/v1/datasets".to_owned()),
        (Method::POST, format!("/api/v1/experiments/{id}/logs")),
        (Method::PATCH, format!("/api/v1/experiments/{id}")),
    ] {
        for body in [r#"["name", "desc"]"#, r#"["x", "VALUE", 1]"#, "null"] {
            app.request(method.clone(), &uri, Some(body))
                .await
                .assert_error(StatusCode::BAD_REQUEST, "bad_request");
        }
    }
    let projects = app.get("/api/v1/projects").await.json();
    assert_eq!(projects["total"], 2, "{projects}");
    assert_eq!(app.get("/api/v1/datasets").await.json()["total"], 0);
    let logs = app
        .get(&format!("/api/v1/experiments/{id}/logs"))
        .await
        .json();
    assert_eq!(logs["total"], 0);
}

#[tokio::test]
async fn repeated_keys_are_refused_naming_the_key() {
    let app = TestApp::new().await;
    let id = experiment(&app).await;
    let uri = format!("/api/v1/experiments/{id}/logs");
    for (body, at) in [
        (
            r#"{"name": "m", "type": "TABLE", "data": {"a": 1, "a": 2}}"#,
            "data.a",
        ),
        (
            r#"{"name": "l", "type": "LABELMAP", "data": {"1": "car", "1": "bus"}}"#,
            "data.1",
        ),
        (
            r#"{"name": "loss", "type": "LINE", "data": {"train": [1], "train": [2]}}"#,
            "data.train",
        ),
        (
            r#"{"name": "x", "name": "y", "type": "VALUE", "data": 1}"#,
            "name",
        ),
    ] {
        let refused = app
            .post(&uri, body)
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(field(&refused), Some(at), "{body}: {refused}");
    }
    assert_eq!(app.get(&uri).await.json()["total"], 0);
}

#[tokio::test]
async fn enum_type_errors_name_their_field() {
    let app = TestApp::new().await;
    let id = experiment(&app).await;
    let refused = app
        .post(
            &format!("/api/v1/experiments/{id}/logs"),
            r#"{"name": "x", "type": 7, "data": 1}"#,
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(field(&refused), Some("type"), "{refused}");
    let refused = app
        .request(
            Method::PUT,
            &format!("/api/v1/experiments/{id}/job/status"),
            Some(r#"{"status": 5}"#),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(field(&refused), Some("status"), "{refused}");
}

#[tokio::test]
async fn query_escapes_that_are_not_utf8_are_refused() {
    let app = TestApp::new().await;
    let project = app.project("q").await;
    app.get(&format!("/api/v1/projects/{project}/experiments?name=%FF"))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_request");
    let found = app
        .get(&format!(
            "/api/v1/projects/{project}/experiments?name=caf%C3%A9"
        ))
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.text());
}

#[tokio::test]
async fn upload_parts_are_bounded_known_single_and_utf8() {
    let app = TestApp::new().await;
    let id = experiment(&app).await;
    let images = format!("/api/v1/experiments/{id}/logs/samples/images");
    let artifacts = format!("/api/v1/experiments/{id}/artifacts");
    let huge = "n".repeat(2_000_000);
    let cases: Vec<(&str, Vec<Part<'_>>, &str)> = vec![
        (
            &artifacts,
            vec![
                Part::text("name", &huge),
                Part::file("a.bin", "application/octet-stream", b"x"),
            ],
            "name",
        ),
        (
            &artifacts,
            vec![
                Part::text("note", "hi"),
                Part::file("a.bin", "application/octet-stream", b"x"),
            ],
            "note",
        ),
        (
            &artifacts,
            vec![
                Part::text("name", "a"),
                Part::text("name", "b"),
                Part::file("a.bin", "application/octet-stream", b"x"),
            ],
            "name",
        ),
        (
            &images,
            vec![
                Part {
                    name: "caption",
                    filename: None,
                    content_type: None,
                    bytes: b"caf\xFF",
                },
                Part::file("a.png", "image/png", PNG),
            ],
            "caption",
        ),
        (
            &images,
            vec![
                Part {
                    name: "caption",
                    filename: None,
                    content_type: None,
                    bytes: b"\xFF\xFEh\0i\0",
                },
                Part::file("a.png", "image/png", PNG),
            ],
            "caption",
        ),
        (
            &images,
            vec![
                Part::file("a.png", "image/png", PNG),
                Part::text("step", "1"),
                Part::text("step", "2"),
            ],
            "step",
        ),
    ];
    for (uri, parts, at) in cases {
        let refused = app
            .post_multipart(uri, &parts)
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(field(&refused), Some(at), "{refused}");
    }
    assert_eq!(app.get(&artifacts).await.json()["total"], 0);
    assert_eq!(
        app.get(&format!("/api/v1/experiments/{id}/logs"))
            .await
            .json()["total"],
        0
    );
    assert_eq!(
        app.stored_files().await,
        Vec::<String>::new(),
        "no object left behind"
    );
}

#[tokio::test]
async fn an_upload_over_its_limit_is_a_413_that_names_the_limit_every_time() {
    let app = TestApp::with_limits(trackboard_server::Limits {
        image_bytes: 4_000,
        artifact_bytes: 6_000,
        ..trackboard_server::Limits::default()
    })
    .await;
    let id = experiment(&app).await;
    for (uri, limit) in [
        (
            format!("/api/v1/experiments/{id}/logs/samples/images"),
            4_000,
        ),
        (format!("/api/v1/experiments/{id}/artifacts"), 6_000),
    ] {
        for size in [limit + 1, limit + 70_000, limit * 50, 3_000_000] {
            let mut bytes = PNG.to_vec();
            bytes.resize(size, 0);
            let refused = app
                .post_multipart(&uri, &[Part::file("big.png", "image/png", &bytes)])
                .await
                .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
            let message = refused["error"]["message"].as_str().unwrap_or_default();
            assert!(
                message.contains(&limit.to_string()),
                "{size} bytes: {message}"
            );
        }
    }
    assert_eq!(app.stored_files().await, Vec::<String>::new());
}

#[tokio::test]
async fn an_upload_that_is_not_multipart_is_a_415_in_the_envelope() {
    let app = TestApp::new().await;
    let id = experiment(&app).await;
    for content_type in [Some("application/json"), None, Some("multipart/form-data")] {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/v1/experiments/{id}/artifacts"))
            .header("authorization", format!("Bearer {}", app.admin_secret));
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let answer = app
            .send(
                request
                    .body(Body::from(r#"{"name": "x"}"#))
                    .expect("request"),
            )
            .await;
        answer.assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    }
}

#[tokio::test]
async fn unknown_api_routes_ask_for_a_token_before_saying_they_do_not_exist() {
    let app = TestApp::new().await;
    for (method, uri) in [
        (Method::GET, "/api/v1/nothing-here"),
        (Method::GET, "/api/v2/projects"),
        (Method::PUT, "/api/v1/projects"),
    ] {
        app.request_as(None, method.clone(), uri, None)
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
        let known = app.request(method.clone(), uri, None).await;
        assert!(
            known.status == StatusCode::NOT_FOUND || known.status == StatusCode::METHOD_NOT_ALLOWED,
            "{method} {uri}: {}",
            known.text()
        );
    }
    let health = app
        .request_as(None, Method::GET, "/api/v1/health", None)
        .await;
    assert_eq!(health.status, StatusCode::OK);
}

#[tokio::test]
async fn counts_past_what_the_database_holds_are_refused_not_wrapped() {
    let app = TestApp::new().await;
    let dataset = app
        .post("/api/v1/datasets", r#"{"name": "frames"}"#)
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let uri = format!("/api/v1/datasets/{dataset}/versions");
    let refused = app
        .post(
            &uri,
            r#"{"version": "v1", "asset_count": 9223372036854775808}"#,
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(field(&refused), Some("asset_count"), "{refused}");
    let largest = app
        .post(
            &uri,
            r#"{"version": "v1", "asset_count": 9223372036854775807}"#,
        )
        .await;
    assert_eq!(largest.status, StatusCode::CREATED, "{}", largest.text());
    assert_eq!(largest.json()["asset_count"], 9_223_372_036_854_775_807_u64);
}

#[tokio::test]
async fn integer_fields_take_numbers_without_a_fraction_as_json_schema_does() {
    let app = TestApp::new().await;
    let id = experiment(&app).await;
    let dataset = app
        .post("/api/v1/datasets", r#"{"name": "frames"}"#)
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let version = app
        .post(
            &format!("/api/v1/datasets/{dataset}/versions"),
            r#"{"version": "v1", "asset_count": 12.0}"#,
        )
        .await
        .json();
    assert_eq!(version["asset_count"], 12);
    let attach = format!("/api/v1/experiments/{id}/datasets");
    let version_id = version["id"].as_i64().expect("id");
    app.post(
        &attach,
        &format!(r#"{{"alias": "train", "dataset_version_id": {version_id}.5}}"#),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let whole = app
        .post(
            &attach,
            &format!(r#"{{"alias": "train", "dataset_version_id": {version_id}.0}}"#),
        )
        .await;
    assert_eq!(whole.status, StatusCode::CREATED, "{}", whole.text());
}

#[tokio::test]
async fn a_name_is_measured_and_checked_as_sent() {
    let app = TestApp::new().await;
    let long = " ".repeat(150) + &"x".repeat(60);
    for name in ["run\n", "\tname", long.as_str()] {
        let refused = app
            .post("/api/v1/projects", &json!({ "name": name }).to_string())
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(field(&refused), Some("name"), "{name:?}: {refused}");
    }
    let padded = app
        .post(
            "/api/v1/projects",
            &json!({ "name": "  kept  " }).to_string(),
        )
        .await;
    assert_eq!(padded.status, StatusCode::CREATED);
    assert_eq!(padded.json()["name"], "kept");
}
