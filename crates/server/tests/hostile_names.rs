//! A corpus of hostile names (traversals, encodings, schemes, NUL bytes, very long names,
//! look-alikes) sent to every route that takes a name, a filename or a path. Each is
//! refused with a 4xx or stored inertly (read back exactly), never a 5xx, and nothing is
//! written anywhere but the data directory's database and random object keys.

mod common;

use axum::http::StatusCode;
use common::{Answer, Part, TestApp};
use serde_json::json;
use std::path::{Path, PathBuf};
use trackboard_api::encode_component;

/// Appears in every traversal attempt, so an escaped file would be found by name.
const MARKER: &str = "tb-escape-marker";

fn corpus() -> Vec<String> {
    let mut names: Vec<String> = [
        "../../../../../../../../tmp/{M}",
        "..%2f..%2f..%2f{M}",
        "%2e%2e%2f%2e%2e%2f{M}",
        "%252e%252e%252f{M}",
        "..\\..\\..\\{M}",
        "/tmp/{M}",
        "C:\\Windows\\{M}",
        "..;/..;/{M}",
        "{M};rm -rf /",
        "file:///tmp/{M}",
        "s3://bucket/{M}",
        "http://evil.example.com/{M}",
        "{M}\u{0}.png",
        "．．／．．／{M}",
        "\u{2024}\u{2024}/{M}",
        "аdmin-{M}",
        "~/.ssh/{M}",
        "./{M}",
        "a/../../{M}",
        "..",
        ".",
        "",
    ]
    .iter()
    .map(|name| name.replace("{M}", MARKER))
    .collect();
    names.push(format!("{MARKER}{}", "x".repeat(10_000)));
    names
}

/// Refused with a 4xx, or accepted; never a server error. Answers whether it was accepted.
fn accepted(answer: &Answer, what: &str, name: &str) -> bool {
    let short: String = name.chars().take(60).collect();
    assert!(
        !answer.status.is_server_error(),
        "{what} {short:?}: {} {}",
        answer.status,
        answer.text()
    );
    if answer.status.is_client_error() {
        let message = &answer.json()["error"]["message"];
        assert!(
            message.as_str().is_some_and(|m| !m.is_empty()),
            "{what} {short:?}"
        );
    }
    answer.status.is_success()
}

/// Every file below `dir`.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_below(&path));
        } else {
            found.push(path);
        }
    }
    found
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR fake but signed";

#[tokio::test]
async fn hostile_names_are_refused_or_stored_inertly_and_nothing_escapes() {
    let app = TestApp::new().await;
    let project = app.project("hostile").await;
    let experiment = app.experiment(project, json!({"name": "run"})).await;
    let id = experiment["id"].as_i64().expect("id");
    let dataset = app.post("/api/v1/datasets", r#"{"name":"frames"}"#).await;
    let dataset = dataset.json()["id"].as_i64().expect("id");
    let mut stored = 0;

    for name in corpus() {
        // Artifacts: the name and the filename both come from the client.
        let answer = app
            .post_multipart(
                &format!("/api/v1/experiments/{id}/artifacts"),
                &[
                    Part::text("name", &name),
                    Part::file(&name, "application/octet-stream", b"weights"),
                ],
            )
            .await;
        if accepted(&answer, "artifact", &name) {
            stored += 1;
            let artifact = answer.json();
            assert_eq!(artifact["name"], name.as_str());
            let download = app
                .get(&format!("/api/v1/artifacts/{}/download", artifact["id"]))
                .await;
            assert_eq!(download.body, b"weights");
            let disposition = download.headers["content-disposition"]
                .to_str()
                .expect("ascii");
            assert!(disposition.starts_with("attachment"), "{disposition}");
        }

        // Logs: the name in the body, then in the path.
        let body = json!({"name": name, "type": "VALUE", "data": 1});
        let answer = app
            .post(&format!("/api/v1/experiments/{id}/logs"), &body.to_string())
            .await;
        if accepted(&answer, "log", &name) {
            stored += 1;
            let read = app
                .get(&format!(
                    "/api/v1/experiments/{id}/logs/{}",
                    encode_component(&name)
                ))
                .await;
            assert_eq!(read.status, StatusCode::OK, "{}", read.text());
            assert_eq!(read.json()["name"], name.as_str());
        }

        // Images: the log name in the path, the filename in the form.
        let answer = app
            .post_multipart(
                &format!(
                    "/api/v1/experiments/{id}/logs/{}/images",
                    encode_component(&name)
                ),
                &[Part::file(&name, "image/png", PNG)],
            )
            .await;
        if accepted(&answer, "image", &name) {
            stored += 1;
        }

        // The registries: dataset, version and alias names, model names.
        let answer = app
            .post("/api/v1/datasets", &json!({"name": name}).to_string())
            .await;
        if accepted(&answer, "dataset", &name) {
            stored += 1;
            assert_eq!(answer.json()["name"], name.trim());
        }
        let answer = app
            .post(
                &format!("/api/v1/datasets/{dataset}/versions"),
                &json!({"version": name}).to_string(),
            )
            .await;
        if accepted(&answer, "version", &name) {
            let version = answer.json()["id"].as_i64().expect("id");
            let attach = json!({"alias": name, "dataset_version_id": version});
            let answer = app
                .post(
                    &format!("/api/v1/experiments/{id}/datasets"),
                    &attach.to_string(),
                )
                .await;
            if accepted(&answer, "alias", &name) {
                stored += 1;
                let detached = app
                    .delete(&format!(
                        "/api/v1/experiments/{id}/datasets/{}",
                        encode_component(name.trim())
                    ))
                    .await;
                assert_eq!(
                    detached.status,
                    StatusCode::NO_CONTENT,
                    "{}",
                    detached.text()
                );
            }
        }
        let export = json!({"model": {"name": name, "type": "other"}});
        let answer = app
            .post(
                &format!("/api/v1/experiments/{id}/export"),
                &export.to_string(),
            )
            .await;
        if accepted(&answer, "model", &name) {
            stored += 1;
        }
    }
    assert!(
        stored > 40,
        "most hostile names are stored as plain text ({stored})"
    );

    // Only the database and random object keys were written, all inside the data folder.
    for file in files_below(app.folder.path()) {
        let relative = file.strip_prefix(app.folder.path()).expect("inside");
        let text = relative.to_string_lossy();
        assert!(!text.contains(MARKER), "a name became a path: {text}");
        let in_db = relative.starts_with("db");
        let random_key = relative.starts_with("objects")
            && relative
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.len() == 32 && n.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(in_db || random_key, "unexpected file {text}");
    }
    let around = [
        app.folder.path().parent().map(Path::to_path_buf),
        Some(PathBuf::from("/tmp")),
        Some(PathBuf::from("/")),
    ];
    for dir in around.into_iter().flatten() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(
                !name.contains(MARKER),
                "{} escaped into {}",
                name,
                dir.display()
            );
        }
    }
}

#[tokio::test]
async fn traversals_in_the_address_itself_reach_nothing() {
    let dist = tempfile::tempdir().expect("folder");
    std::fs::write(dist.path().join("index.html"), "<html>index</html>").expect("write");
    let app = TestApp::with_dashboard(Some(dist.path().to_owned())).await;
    for path in [
        "/api/v1/artifacts/..%2f..%2f..%2fetc%2fpasswd/download",
        "/api/v1/artifacts/%2e%2e/download",
        "/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%252f..%252fetc%252fpasswd",
        "/..\\..\\etc\\passwd",
    ] {
        let answer = app.get(path).await;
        assert!(
            !answer.status.is_server_error(),
            "{path}: {}",
            answer.status
        );
        assert!(
            !answer.text().contains("root:"),
            "{path} served a file from outside: {}",
            answer.text()
        );
    }
}
