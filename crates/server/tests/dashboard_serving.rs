//! The server hands out the built dashboard and falls back to index.html for app routes.

mod common;

use axum::http::StatusCode;
use common::TestApp;

fn built_dashboard() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(
        dir.path().join("index.html"),
        "<html><head><script type=\"module\">boot()</script></head><body>trackboard index</body></html>",
    )
    .expect("write");
    std::fs::write(dir.path().join("config.json"), r#"{"api_base_url": ""}"#).expect("write");
    dir
}

#[tokio::test]
async fn files_of_the_dashboard_are_served() {
    let dist = built_dashboard();
    let app = TestApp::with_dashboard(Some(dist.path().to_owned())).await;
    let answer = app.get("/config.json").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["api_base_url"], "");
    let answer = app.get("/").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.text().contains("trackboard index"));
}

#[tokio::test]
async fn hashed_files_are_kept_a_year_and_the_rest_is_checked_each_time() {
    let dist = built_dashboard();
    std::fs::write(
        dist.path().join("trackboard-7127b7deb7822a7_bg.wasm"),
        b"\0asm",
    )
    .expect("write");
    let app = TestApp::with_dashboard(Some(dist.path().to_owned())).await;
    let cache = |answer: &common::Answer| {
        answer
            .headers
            .get("cache-control")
            .map(|v| v.to_str().unwrap_or_default().to_owned())
    };
    let wasm = app.get("/trackboard-7127b7deb7822a7_bg.wasm").await;
    assert_eq!(wasm.status, StatusCode::OK);
    assert_eq!(
        cache(&wasm).as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    for path in ["/", "/config.json", "/projects/12"] {
        let answer = app.get(path).await;
        assert_eq!(cache(&answer).as_deref(), Some("no-cache"), "{path}");
    }
    // A hashed name that is not there (an old release) falls back to index.html, which
    // must not be kept under that name.
    let stale = app.get("/trackboard-0000000000000000.js").await;
    assert!(stale.text().contains("trackboard index"));
    assert_eq!(cache(&stale).as_deref(), Some("no-cache"));
}

#[tokio::test]
async fn app_routes_fall_back_to_index_html() {
    let dist = built_dashboard();
    let app = TestApp::with_dashboard(Some(dist.path().to_owned())).await;
    let answer = app.get("/projects/12").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.text().contains("trackboard index"));
    assert!(answer
        .content_type
        .as_deref()
        .is_some_and(|t| t.starts_with("text/html")));
}

#[tokio::test]
async fn every_dashboard_answer_carries_the_security_headers() {
    let dist = built_dashboard();
    let app = TestApp::with_dashboard(Some(dist.path().to_owned())).await;
    for path in ["/", "/projects/12", "/config.json"] {
        let answer = app.get(path).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        let policy = answer.headers["content-security-policy"]
            .to_str()
            .expect("ascii");
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert!(
            policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
            "{policy}"
        );
        assert!(policy.contains("connect-src 'self';"), "{policy}");
        assert!(
            !policy.contains("script-src 'self' 'unsafe-inline'"),
            "{policy}"
        );
        assert_eq!(answer.headers["x-content-type-options"], "nosniff");
        assert_eq!(answer.headers["referrer-policy"], "no-referrer");
        assert_eq!(answer.headers["x-frame-options"], "DENY");
    }
}

#[tokio::test]
async fn the_policy_lets_the_dashboard_call_the_api_its_config_names() {
    let dist = built_dashboard();
    std::fs::write(
        dist.path().join("config.json"),
        r#"{"api_base_url": "https://tracking.example.com"}"#,
    )
    .expect("write");
    let app = TestApp::with_dashboard(Some(dist.path().to_owned())).await;
    let answer = app.get("/").await;
    let policy = answer.headers["content-security-policy"]
        .to_str()
        .expect("ascii");
    assert!(
        policy.contains("connect-src 'self' https://tracking.example.com;"),
        "{policy}"
    );
}

#[tokio::test]
async fn a_rebuilt_dashboard_gets_the_policy_of_its_new_boot_script() {
    let dist = built_dashboard();
    let app = TestApp::with_dashboard(Some(dist.path().to_owned())).await;
    let policy = |answer: &common::Answer| {
        answer.headers["content-security-policy"]
            .to_str()
            .expect("ascii")
            .to_owned()
    };
    let before = policy(&app.get("/").await);
    // A rebuild writes a new boot script (new file hashes) while the server runs.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(
        dist.path().join("index.html"),
        "<html><head><script type=\"module\">boot_again()</script></head><body>rebuilt</body></html>",
    )
    .expect("write");
    let after = policy(&app.get("/").await);
    assert_ne!(before, after, "the policy follows the rebuilt index.html");
    assert_eq!(after.matches("'sha256-").count(), 1, "{after}");
    assert_eq!(
        policy(&app.get("/").await),
        after,
        "and stays put until the next change"
    );
}

#[tokio::test]
async fn api_paths_never_fall_back_to_the_dashboard() {
    let dist = built_dashboard();
    let app = TestApp::with_dashboard(Some(dist.path().to_owned())).await;
    app.get("/api/v1/unknown")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_missing_build_says_how_to_build_it() {
    let empty = tempfile::tempdir().expect("temporary folder");
    let app = TestApp::with_dashboard(Some(empty.path().to_owned())).await;
    let answer = app.get("/").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert!(answer.text().contains("make run"), "{}", answer.text());
    assert_eq!(app.get("/api/v1/health").await.status, StatusCode::OK);
}
