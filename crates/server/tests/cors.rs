//! CORS: only configured origins may call the API from a browser.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::TestApp;

fn preflight(origin: &str) -> Request<Body> {
    Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/v1/projects")
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .body(Body::empty())
        .expect("request")
}

#[tokio::test]
async fn a_configured_origin_passes_preflight_and_reads() {
    let app = TestApp::new().await;
    let response =
        tower::ServiceExt::oneshot(app.router.clone(), preflight("http://dash.example.com"))
            .await
            .expect("answer");
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers();
    assert_eq!(
        headers["access-control-allow-origin"],
        "http://dash.example.com"
    );
    let allowed = headers["access-control-allow-headers"]
        .to_str()
        .expect("ascii")
        .to_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");

    let request = Request::get("/api/v1/projects")
        .header("origin", "http://dash.example.com")
        .header("authorization", format!("Bearer {}", app.admin_secret))
        .body(Body::empty())
        .expect("request");
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "http://dash.example.com"
    );
}

#[tokio::test]
async fn other_origins_get_no_cors_headers() {
    let app = TestApp::new().await;
    let response =
        tower::ServiceExt::oneshot(app.router.clone(), preflight("http://evil.example.com"))
            .await
            .expect("answer");
    assert!(response
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

#[test]
fn origins_are_checked_at_start() {
    use trackboard_server::config::parse_origin;
    assert!(parse_origin("https://dash.example.com").is_ok());
    assert!(parse_origin("http://127.0.0.1:5173").is_ok());
    assert!(parse_origin("https://dash.example.com/app").is_err());
    assert!(parse_origin("dash.example.com").is_err());
    assert!(parse_origin("*").is_err());
}
