//! Image links: asked with a token, opened without one, and refused once changed or
//! expired, with the parameter at fault named.

mod common;

use axum::http::{Method, StatusCode};
use common::{Part, TestApp};
use serde_json::json;
use trackboard_server::links::{LinkSigner, LINK_PERIOD_SECONDS};
use trackboard_server::timestamp::now_seconds;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR fake but signed";
const GIF: &[u8] = b"GIF89a a second image";

/// An app with an experiment of two logged images: its id and theirs, PNG first.
async fn two_images() -> (TestApp, i64, i64, i64) {
    let app = TestApp::new().await;
    let project = app.project("vision").await;
    let experiment = app.experiment(project, json!({"name": "run-1"})).await;
    let uri = format!(
        "/api/v1/experiments/{}/logs/samples/images",
        experiment["id"]
    );
    let mut ids = Vec::new();
    for (name, bytes) in [("a.png", PNG), ("b.gif", GIF)] {
        let answer = app
            .post_multipart(&uri, &[Part::file(name, "application/octet-stream", bytes)])
            .await;
        assert!(answer.status.is_success(), "{}", answer.text());
        let images = answer.json()["data"]["images"].clone();
        ids.push(images[ids.len()]["id"].as_i64().expect("an id"));
    }
    let experiment_id = experiment["id"].as_i64().expect("an id");
    (app, experiment_id, ids[0], ids[1])
}

/// GET without any token.
async fn anonymous(app: &TestApp, path: &str) -> common::Answer {
    app.request_as(None, Method::GET, &format!("/api/v1{path}"), None)
        .await
}

#[tokio::test]
async fn a_link_opens_its_image_without_a_token_until_it_expires() {
    let (app, _, png, gif) = two_images().await;
    let asked = now_seconds();
    let answer = app
        .get(&format!("/api/v1/image-links?image_ids={gif},{png},{gif}"))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let links = answer.json();
    let expires = links["expires"].as_i64().expect("expires");
    assert!(
        (asked + LINK_PERIOD_SECONDS..=now_seconds() + 2 * LINK_PERIOD_SECONDS).contains(&expires),
        "{expires} is not one to two periods after {asked}"
    );
    let links = links["links"].as_array().expect("links").clone();
    let ids: Vec<i64> = links
        .iter()
        .map(|link| link["image_id"].as_i64().expect("an id"))
        .collect();
    assert_eq!(ids, vec![gif, png], "in the order asked, once each");

    for (link, bytes, content_type) in
        [(&links[0], GIF, "image/gif"), (&links[1], PNG, "image/png")]
    {
        let image = anonymous(&app, link["path"].as_str().expect("a path")).await;
        assert_eq!(image.status, StatusCode::OK, "{}", image.text());
        assert_eq!(image.body, bytes, "the bytes as uploaded");
        assert_eq!(image.content_type.as_deref(), Some(content_type));
        assert_eq!(image.headers["x-content-type-options"], "nosniff");
        let cache = image.headers["cache-control"]
            .to_str()
            .expect("text")
            .to_owned();
        let max_age: i64 = cache
            .split(", ")
            .find_map(|part| part.strip_prefix("max-age="))
            .and_then(|seconds| seconds.parse().ok())
            .unwrap_or_else(|| panic!("no max-age in {cache}"));
        assert!(
            max_age > 0 && max_age <= expires - asked,
            "cached {max_age} s, the link lives {} s",
            expires - asked
        );
    }

    // The same secret signs on every server of this database: a link made for a time
    // long past verifies, and is refused only for its age.
    let signer = LinkSigner::load(&app.storage)
        .await
        .expect("the stored secret");
    let old = signer.image_links(&[png], asked - 3 * LINK_PERIOD_SECONDS);
    let expired = anonymous(&app, &old.links[0].path).await;
    let refusal = expired.assert_error(StatusCode::FORBIDDEN, "forbidden");
    assert!(
        refusal["error"]["message"]
            .as_str()
            .expect("a message")
            .contains("expired"),
        "{refusal}"
    );
}

#[tokio::test]
async fn a_changed_or_malformed_link_is_refused_with_the_parameter_named() {
    let (app, experiment, png, gif) = two_images().await;
    let links = app
        .get(&format!("/api/v1/image-links?image_ids={png}"))
        .await
        .json();
    let path = links["links"][0]["path"]
        .as_str()
        .expect("a path")
        .to_owned();
    let (_, query) = path.split_once('?').expect("a query");
    let signature = query
        .split_once("signature=")
        .expect("a signature")
        .1
        .to_owned();
    let expires = links["expires"].as_i64().expect("expires");

    // Another image under this signature, a later expiry, a flipped digit: 403.
    let flipped = format!(
        "{}{}",
        if signature.starts_with('0') { "1" } else { "0" },
        &signature[1..]
    );
    for forged in [
        format!("/linked-images/{gif}?{query}"),
        format!(
            "/linked-images/{png}?expires={}&signature={signature}",
            expires + LINK_PERIOD_SECONDS
        ),
        format!("/linked-images/{png}?expires={expires}&signature={flipped}"),
    ] {
        anonymous(&app, &forged)
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    // Malformed or missing parameters: 422 naming the parameter.
    for (malformed, field) in [
        (
            format!("/linked-images/{png}?signature={signature}"),
            "expires",
        ),
        (
            format!("/linked-images/{png}?expires=soon&signature={signature}"),
            "expires",
        ),
        (
            format!("/linked-images/{png}?expires={expires}"),
            "signature",
        ),
        (
            format!("/linked-images/{png}?expires={expires}&signature=xyz"),
            "signature",
        ),
    ] {
        let refused = anonymous(&app, &malformed).await;
        let envelope = refused.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(
            envelope["error"]["details"]["field"], field,
            "{malformed}: {envelope}"
        );
    }
    // The link route takes GET only, and says so even without a token.
    let posted = app
        .request_as(None, Method::POST, &format!("/api/v1{path}"), None)
        .await;
    posted.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");

    // Links are asked with a token, for images that exist, in a well-formed list.
    app.request_as(
        None,
        Method::GET,
        &format!("/api/v1/image-links?image_ids={png}"),
        None,
    )
    .await
    .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    let missing = app
        .get(&format!("/api/v1/image-links?image_ids={png},999999"))
        .await;
    let envelope = missing.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(
        envelope["error"]["details"]["field"], "image_ids",
        "{envelope}"
    );
    assert!(
        envelope["error"]["message"]
            .as_str()
            .expect("a message")
            .contains("999999"),
        "{envelope}"
    );
    for bad in ["", "1,x", "1,,2", "+1"] {
        let refused = app
            .get(&format!("/api/v1/image-links?image_ids={bad}"))
            .await;
        let envelope = refused.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(
            envelope["error"]["details"]["field"], "image_ids",
            "{bad:?}: {envelope}"
        );
    }
    let many: Vec<String> = (0..=500).map(|id| id.to_string()).collect();
    let refused = app
        .get(&format!("/api/v1/image-links?image_ids={}", many.join(",")))
        .await;
    refused.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

    // A link to an image deleted since: 404, like the image itself.
    let deleted = app
        .delete(&format!("/api/v1/experiments/{experiment}"))
        .await;
    assert!(deleted.status.is_success(), "{}", deleted.text());
    anonymous(&app, &path)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}
