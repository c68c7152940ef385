//! Artifacts and images: streamed into the object store, served back safely, and gone
//! with their experiment.

mod common;

use axum::body::Body;
use axum::http::StatusCode;
use common::{multipart_body, Part, TestApp};
use serde_json::json;
use sha2::{Digest, Sha256};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR fake but signed";

async fn setup() -> (TestApp, i64) {
    let app = TestApp::new().await;
    let project = app.project("vision").await;
    let experiment = app.experiment(project, json!({"name": "run-1"})).await;
    (app, experiment["id"].as_i64().expect("id"))
}

#[tokio::test]
async fn an_artifact_round_trips_with_its_hash_and_as_an_attachment() {
    let (app, id) = setup().await;
    let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let answer = app
        .post_multipart(
            &format!("/api/v1/experiments/{id}/artifacts"),
            &[
                Part::text("name", "model-latest"),
                Part::file("../../weights é.pt", "application/x-pytorch", &bytes),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let artifact = answer.json();
    assert_eq!(artifact["name"], "model-latest");
    assert_eq!(artifact["filename"], "../../weights é.pt");
    assert_eq!(artifact["size"], bytes.len());
    assert_eq!(artifact["sha256"], hex::encode(Sha256::digest(&bytes)));

    let files = app.stored_files().await;
    assert_eq!(files.len(), 1);
    assert!(files[0].starts_with("artifacts/"), "{files:?}");
    assert!(!files[0].contains("weights"), "keys never come from names");

    let artifact_id = artifact["id"].as_i64().expect("id");
    let request = axum::http::Request::get(format!("/api/v1/artifacts/{artifact_id}/download"))
        .header("authorization", format!("Bearer {}", app.admin_secret))
        .body(Body::empty())
        .expect("request");
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    let disposition = headers["content-disposition"].to_str().expect("ascii");
    assert!(
        disposition.starts_with("attachment; filename=\"_.._weights__.pt\""),
        "{disposition}"
    );
    assert!(
        disposition.contains("filename*=UTF-8''..%2F..%2Fweights%20%C3%A9.pt"),
        "{disposition}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["content-type"], "application/octet-stream");
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    assert_eq!(body.as_ref(), bytes.as_slice());
}

#[tokio::test]
async fn artifacts_list_page_filter_and_refuse_taken_names() {
    let (app, id) = setup().await;
    let uri = format!("/api/v1/experiments/{id}/artifacts");
    for (name, size) in [("config", 10usize), ("best", 30), ("last", 20)] {
        let bytes = vec![b'x'; size];
        let answer = app
            .post_multipart(
                &uri,
                &[
                    Part::text("name", name),
                    Part::file("f.bin", "application/octet-stream", &bytes),
                ],
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED);
    }
    let taken = app
        .post_multipart(
            &uri,
            &[
                Part::text("name", "best"),
                Part::text("replace", "false"),
                Part::file("f.bin", "text/plain", b"new"),
            ],
        )
        .await;
    taken.assert_error(StatusCode::CONFLICT, "conflict");
    assert_eq!(
        app.stored_files().await.len(),
        3,
        "the refused upload left no object"
    );

    let by_size = app
        .get(&format!("{uri}?order_by=-size&limit=2"))
        .await
        .json();
    assert_eq!(by_size["total"], 3);
    assert_eq!(by_size["items"][0]["name"], "best");
    assert_eq!(by_size["items"][1]["name"], "last");
    let named = app.get(&format!("{uri}?name=config")).await.json();
    assert_eq!(named["total"], 1);
    let bad = app.get(&format!("{uri}?order_by=colour")).await;
    assert_eq!(
        bad.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")["error"]["details"]
            ["field"],
        "order_by"
    );

    let first = named["items"][0]["id"].as_i64().expect("id");
    assert_eq!(
        app.delete(&format!("/api/v1/artifacts/{first}"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    app.get(&format!("/api/v1/artifacts/{first}"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(app.stored_files().await.len(), 2);
    let all = app.delete(&uri).await.json();
    assert_eq!(all["deleted"], 2);
    assert!(app.stored_files().await.is_empty());
}

#[tokio::test]
async fn bad_uploads_are_refused_and_leave_nothing() {
    let (app, id) = setup().await;
    let uri = format!("/api/v1/experiments/{id}/artifacts");
    let no_file = app.post_multipart(&uri, &[Part::text("name", "x")]).await;
    assert_eq!(
        no_file.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")["error"]
            ["details"]["field"],
        "file"
    );
    let no_name = app
        .post_multipart(
            &uri,
            &[Part {
                name: "file",
                filename: None,
                content_type: None,
                bytes: b"abc",
            }],
        )
        .await;
    assert_eq!(
        no_name.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")["error"]
            ["details"]["field"],
        "name"
    );
    let missing = app
        .post_multipart(
            "/api/v1/experiments/999/artifacts",
            &[Part::file("a", "text/plain", b"a")],
        )
        .await;
    missing.assert_error(StatusCode::NOT_FOUND, "not_found");

    // A body that breaks off halfway through the file.
    let full = multipart_body(&[Part::file(
        "big.bin",
        "application/octet-stream",
        &vec![7u8; 200_000],
    )]);
    let half = bytes::Bytes::from(full[..100_000].to_vec());
    let stream = futures_util::stream::iter(vec![
        Ok(half),
        Err(std::io::Error::other("connection reset")),
    ]);
    let cut = app.send_body(&uri, Body::from_stream(stream)).await;
    assert!(
        cut.status.is_client_error(),
        "{} {}",
        cut.status,
        cut.text()
    );
    assert!(
        app.stored_files().await.is_empty(),
        "{:?}",
        app.stored_files().await
    );
    assert_eq!(app.get(&uri).await.json()["total"], 0);
}

#[tokio::test]
async fn images_are_sniffed_appended_and_served_with_their_type() {
    let (app, id) = setup().await;
    let uri = format!("/api/v1/experiments/{id}/logs/samples/images");
    let first = app
        .post_multipart(
            &uri,
            &[
                Part::file("a.png", "text/html", PNG),
                Part::text("caption", "epoch 1"),
                Part::text("step", "10"),
            ],
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let second = app
        .post_multipart(&uri, &[Part::file("b.gif", "image/png", b"GIF89a....")])
        .await;
    assert_eq!(second.status, StatusCode::OK);
    let log = second.json();
    assert_eq!(log["type"], "IMAGE");
    let images = log["data"]["images"].as_array().expect("images").clone();
    assert_eq!(images.len(), 2);
    assert_eq!(images[0]["caption"], "epoch 1");
    assert_eq!(images[0]["step"], 10);
    assert_eq!(
        images[0]["content_type"], "image/png",
        "sniffed, not the declared text/html"
    );
    assert_eq!(images[1]["content_type"], "image/gif");

    let image = app
        .get(&format!("/api/v1/images/{}", images[0]["id"]))
        .await;
    assert_eq!(image.status, StatusCode::OK);
    assert_eq!(image.content_type.as_deref(), Some("image/png"));
    assert_eq!(image.body, PNG);
}

#[tokio::test]
async fn bad_images_are_refused_and_leave_nothing() {
    let (app, id) = setup().await;
    let uri = format!("/api/v1/experiments/{id}/logs/samples/images");
    for (parts, field) in [
        (
            vec![Part::file("x.png", "image/png", b"<svg onload=alert(1)>")],
            "file",
        ),
        (
            vec![
                Part::file("a.png", "image/png", PNG),
                Part::text("step", "ten"),
            ],
            "step",
        ),
        (
            vec![
                Part::file("a.png", "image/png", PNG),
                Part::text("replace", "maybe"),
            ],
            "replace",
        ),
    ] {
        let answer = app.post_multipart(&uri, &parts).await;
        assert_eq!(
            answer.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")["error"]
                ["details"]["field"],
            field
        );
    }
    app.post(
        &format!("/api/v1/experiments/{id}/logs"),
        r#"{"name":"acc","type":"VALUE","data":1}"#,
    )
    .await;
    let clash = app
        .post_multipart(
            &format!("/api/v1/experiments/{id}/logs/acc/images"),
            &[Part::file("a.png", "image/png", PNG)],
        )
        .await;
    clash.assert_error(StatusCode::CONFLICT, "conflict");
    assert!(
        app.stored_files().await.is_empty(),
        "{:?}",
        app.stored_files().await
    );
}

#[tokio::test]
async fn deleting_an_experiment_deletes_its_stored_files() {
    let (app, id) = setup().await;
    app.post_multipart(
        &format!("/api/v1/experiments/{id}/artifacts"),
        &[Part::file("a.bin", "application/octet-stream", b"abc")],
    )
    .await;
    app.post_multipart(
        &format!("/api/v1/experiments/{id}/logs/samples/images"),
        &[Part::file("a.png", "image/png", PNG)],
    )
    .await;
    app.post(
        &format!("/api/v1/experiments/{id}/logs"),
        r#"{"name":"loss","type":"LINE","data":[1,2,3]}"#,
    )
    .await;
    assert_eq!(app.stored_files().await.len(), 2);
    assert_eq!(
        app.delete(&format!("/api/v1/experiments/{id}"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert!(app.stored_files().await.is_empty());
    let points: i64 = app.storage.count_rows("line_points").await;
    assert_eq!(points, 0, "points go with their experiment");
}

async fn upload(app: &TestApp, id: i64, parts: &[Part<'_>]) -> common::Answer {
    app.post_multipart(&format!("/api/v1/experiments/{id}/artifacts"), parts)
        .await
}

#[tokio::test]
async fn storing_a_taken_name_replaces_it_unless_told_not_to() {
    let (app, id) = setup().await;
    let first = upload(
        &app,
        id,
        &[
            Part::text("name", "model-latest"),
            Part::file("a.pt", "x/y", b"epoch 1"),
        ],
    )
    .await
    .json();
    let second = upload(
        &app,
        id,
        &[
            Part::text("name", "model-latest"),
            Part::file("b.pt", "x/y", b"epoch 2"),
        ],
    )
    .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text());
    let second = second.json();
    assert_eq!(second["filename"], "b.pt");
    assert_eq!(second["sha256"], hex::encode(Sha256::digest(b"epoch 2")));
    assert_ne!(second["object_name"], first["object_name"]);
    assert_eq!(
        app.stored_files().await,
        vec![second["object_name"].as_str().expect("key").to_owned()],
        "the replaced bytes are deleted once the new ones are recorded"
    );

    // replace=false keeps the old one and says so; a bad flag names its part.
    let kept = upload(
        &app,
        id,
        &[
            Part::text("name", "model-latest"),
            Part::text("replace", "false"),
            Part::file("c.pt", "x/y", b"epoch 3"),
        ],
    )
    .await;
    kept.assert_error(StatusCode::CONFLICT, "conflict");
    let bad = upload(
        &app,
        id,
        &[
            Part::text("name", "model-latest"),
            Part::text("replace", "yes"),
            Part::file("c.pt", "x/y", b"epoch 3"),
        ],
    )
    .await;
    assert_eq!(
        bad.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")["error"]["details"]
            ["field"],
        "replace"
    );
    let listed = app
        .get(&format!("/api/v1/experiments/{id}/artifacts"))
        .await
        .json();
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["sha256"], second["sha256"]);
    assert_eq!(app.stored_files().await.len(), 1, "refusals left no object");
}

#[tokio::test]
async fn a_replaced_artifact_that_a_model_version_holds_keeps_its_bytes() {
    let (app, id) = setup().await;
    upload(
        &app,
        id,
        &[
            Part::text("name", "weights"),
            Part::file("w.pt", "x/y", b"v1"),
        ],
    )
    .await;
    let exported = app
        .post(
            &format!("/api/v1/experiments/{id}/export"),
            r#"{"model":{"name":"kept"}}"#,
        )
        .await;
    assert_eq!(exported.status, StatusCode::CREATED, "{}", exported.text());
    upload(
        &app,
        id,
        &[
            Part::text("name", "weights"),
            Part::file("w.pt", "x/y", b"v2"),
        ],
    )
    .await;
    assert_eq!(app.stored_files().await.len(), 2, "the model's file stays");
    let artifact = app
        .get(&format!("/api/v1/experiments/{id}/artifacts?name=weights"))
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .expect("id");
    app.delete(&format!("/api/v1/artifacts/{artifact}")).await;
    assert_eq!(
        app.stored_files().await.len(),
        1,
        "deleting the artifact keeps what the model version holds"
    );
}

#[tokio::test]
async fn registered_objects_become_artifacts_with_their_real_size_and_hash() {
    let (app, id) = setup().await;
    let bytes = vec![3u8; 70_000];
    app.objects
        .put_at(
            "checkpoints/run-7/model.pt",
            bytes::Bytes::from(bytes.clone()),
        )
        .await
        .expect("put");
    let uri = format!("/api/v1/experiments/{id}/artifacts/registered");
    let answer = app
        .post(
            &uri,
            r#"{"name":"a_file","filename":"","object_name":"checkpoints/run-7/model.pt","large":false}"#,
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let artifact = answer.json();
    assert_eq!(artifact["size"], bytes.len());
    assert_eq!(artifact["sha256"], hex::encode(Sha256::digest(&bytes)));
    assert_eq!(artifact["filename"], "model.pt", "the key's last segment");
    assert_eq!(artifact["object_name"], "checkpoints/run-7/model.pt");

    // The same object under a second name: deleting one keeps the bytes for the other.
    let twin = app
        .post(
            &uri,
            r#"{"name":"twin","filename":"m.pt","object_name":"checkpoints/run-7/model.pt"}"#,
        )
        .await
        .json();
    app.delete(&format!("/api/v1/artifacts/{}", twin["id"]))
        .await;
    assert_eq!(app.stored_files().await.len(), 1);
    let download = app
        .get(&format!("/api/v1/artifacts/{}/download", artifact["id"]))
        .await;
    assert_eq!(download.status, StatusCode::OK);
}

#[tokio::test]
async fn bad_registrations_name_the_field_and_store_nothing() {
    let (app, id) = setup().await;
    app.objects
        .put_at("elsewhere/x.bin", bytes::Bytes::from_static(b"x"))
        .await
        .expect("put");
    // Another experiment's uploaded artifact: its key is in the server's own folder.
    let owned = upload(
        &app,
        id,
        &[Part::text("name", "own"), Part::file("o", "x/y", b"o")],
    )
    .await
    .json();
    let uri = format!("/api/v1/experiments/{id}/artifacts/registered");
    let cases = [
        (
            json!({"name": "", "object_name": "elsewhere/x.bin"}),
            "name",
        ),
        (json!({"name": "a", "object_name": ""}), "object_name"),
        (
            json!({"name": "a", "object_name": "../x.bin"}),
            "object_name",
        ),
        (
            json!({"name": "a", "object_name": "elsewhere//x.bin"}),
            "object_name",
        ),
        (
            json!({"name": "a", "object_name": owned["object_name"]}),
            "object_name",
        ),
        (
            json!({"name": "a", "object_name": "elsewhere/missing.bin"}),
            "object_name",
        ),
        (
            json!({"name": "a", "object_name": "elsewhere/x.bin", "filename": "a\nb"}),
            "filename",
        ),
        (
            json!({"name": "a", "object_name": "elsewhere/x.bin", "filename": "f".repeat(256)}),
            "filename",
        ),
    ];
    app.assert_each_refused(&uri, &cases).await;
    let unknown = app
        .post(
            &uri,
            r#"{"name":"a","object_name":"elsewhere/x.bin","colour":1}"#,
        )
        .await;
    assert!(unknown.status.is_client_error(), "{}", unknown.status);
    app.post(
        "/api/v1/experiments/999/artifacts/registered",
        r#"{"name":"a","object_name":"elsewhere/x.bin"}"#,
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
    let listed = app
        .get(&format!("/api/v1/experiments/{id}/artifacts"))
        .await
        .json();
    assert_eq!(listed["total"], 1, "only the uploaded one: {listed}");
    assert_eq!(app.stored_files().await.len(), 2);
}
