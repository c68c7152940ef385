//! The OpenAPI document: served, snapshot-tested, and used to walk every route for auth.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use trackboard_api::TokenScope;

#[test]
fn the_openapi_document_matches_its_snapshot() {
    let document = trackboard_server::routes::openapi();
    let json = serde_json::to_value(&document).expect("serialises");
    // A wire change shows up here as a snapshot diff to review (`cargo insta review`).
    insta::assert_json_snapshot!("openapi", json);
}

#[tokio::test]
async fn the_document_is_served_with_a_read_token() {
    let app = TestApp::new().await;
    let read = app.token(TokenScope::Read).await;
    let answer = app
        .request_as(Some(&read), Method::GET, "/api/v1/openapi.json", None)
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let served = answer.json();
    assert_eq!(
        served["openapi"].as_str().map(|v| v.starts_with("3.")),
        Some(true)
    );
    assert_eq!(
        served,
        serde_json::to_value(trackboard_server::routes::openapi()).expect("json")
    );
    app.request_as(None, Method::GET, "/api/v1/openapi.json", None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
}

/// Every operation of the document, as (method, path with ids filled in).
fn operations() -> Vec<(Method, String)> {
    let json = serde_json::to_value(trackboard_server::routes::openapi()).expect("json");
    let mut found = Vec::new();
    for (path, item) in json["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            let method =
                Method::from_bytes(method.to_uppercase().as_bytes()).expect("an HTTP method");
            found.push((method, concrete(path)));
        }
    }
    found
}

#[tokio::test]
async fn every_route_but_health_needs_a_token_and_writes_need_the_write_scope() {
    let app = TestApp::new().await;
    let read = app.token(TokenScope::Read).await;
    let write = app.token(TokenScope::Write).await;
    let operations = operations();
    assert!(
        operations.len() >= 45,
        "only {} operations documented",
        operations.len()
    );
    for (method, path) in operations {
        if path == "/api/v1/health" {
            let open = app.request_as(None, method.clone(), &path, None).await;
            assert_eq!(open.status, StatusCode::OK);
            continue;
        }
        if path.starts_with("/api/v1/linked-images/") {
            // Public but signed: without its signature the link is refused, token or not.
            let unsigned = app.request_as(None, method.clone(), &path, None).await;
            assert_eq!(
                unsigned.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                unsigned.text()
            );
            continue;
        }
        let anonymous = app
            .request_as(None, method.clone(), &path, Some("{}"))
            .await;
        assert_eq!(
            anonymous.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path} without a token: {}",
            anonymous.text()
        );
        let revoked_or_unknown = app
            .request_as(Some("tb_0000"), method.clone(), &path, Some("{}"))
            .await;
        assert_eq!(
            revoked_or_unknown.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path} with an unknown token"
        );
        let reader = app
            .request_as(Some(&read), method.clone(), &path, Some("{}"))
            .await;
        if path.starts_with("/api/v1/tokens") {
            assert_eq!(
                reader.status,
                StatusCode::FORBIDDEN,
                "{method} {path} needs admin"
            );
        } else if method == Method::GET {
            assert_ne!(
                reader.status,
                StatusCode::FORBIDDEN,
                "{method} {path} refused a read token"
            );
            assert_ne!(reader.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        } else {
            assert_eq!(
                reader.status,
                StatusCode::FORBIDDEN,
                "{method} {path} with a read token: {}",
                reader.text()
            );
        }
        if path.starts_with("/api/v1/tokens") {
            let writer = app
                .request_as(Some(&write), method.clone(), &path, Some("{}"))
                .await;
            assert_eq!(
                writer.status,
                StatusCode::FORBIDDEN,
                "{method} {path} needs admin"
            );
        }
    }
    assert_eq!(
        app.storage.count_rows("projects").await,
        0,
        "no refused request stored anything"
    );
}

/// Every operation with the scope its security requirement declares (`None`: public).
fn declared_scopes() -> Vec<(Method, String, Option<TokenScope>)> {
    let json = serde_json::to_value(trackboard_server::routes::openapi()).expect("json");
    let mut found = Vec::new();
    for (path, item) in json["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let security = operation["security"].as_array();
            let scope = security.map(|requirements| {
                assert_eq!(requirements.len(), 1, "{method} {path}: one requirement");
                let scopes = requirements[0]["bearer"].as_array().expect("bearer scopes");
                assert_eq!(scopes.len(), 1, "{method} {path}: one scope");
                TokenScope::parse(scopes[0].as_str().expect("a scope name"))
                    .expect("read, write or admin")
            });
            let method =
                Method::from_bytes(method.to_uppercase().as_bytes()).expect("an HTTP method");
            found.push((method, concrete(path), scope));
        }
    }
    found
}

/// The path with every `{id}` filled in.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "1"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_operation_answers_to_the_scope_its_document_declares() {
    let app = TestApp::new().await;
    let scopes = [TokenScope::Read, TokenScope::Write, TokenScope::Admin];
    let mut tokens = Vec::new();
    for scope in scopes {
        tokens.push((scope, app.token(scope).await));
    }
    let declared = declared_scopes();
    let count = |wanted: TokenScope| {
        declared
            .iter()
            .filter(|(_, _, scope)| *scope == Some(wanted))
            .count()
    };
    assert!(
        count(TokenScope::Read) >= 20,
        "reads: {}",
        count(TokenScope::Read)
    );
    assert!(
        count(TokenScope::Write) >= 20,
        "writes: {}",
        count(TokenScope::Write)
    );
    assert_eq!(count(TokenScope::Admin), 3, "token list, create and revoke");
    for (method, path, needed) in declared {
        let Some(needed) = needed else {
            assert!(
                path == "/api/v1/health" || path.starts_with("/api/v1/linked-images/"),
                "only health and image links are public, not {path}"
            );
            continue;
        };
        for (scope, secret) in &tokens {
            let answer = app
                .request_as(Some(secret), method.clone(), &path, Some("{}"))
                .await;
            if *scope < needed {
                assert_eq!(
                    answer.status,
                    StatusCode::FORBIDDEN,
                    "{method} {path} declares {needed:?} but let {scope:?} through: {}",
                    answer.text()
                );
            } else {
                assert!(
                    answer.status != StatusCode::FORBIDDEN
                        && answer.status != StatusCode::UNAUTHORIZED,
                    "{method} {path} declares {needed:?} but refused {scope:?}: {}",
                    answer.text()
                );
            }
        }
    }
    assert_eq!(
        app.storage.count_rows("projects").await,
        0,
        "no request with an empty body stored anything"
    );
}
