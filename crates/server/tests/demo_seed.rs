//! The demo project appears on an empty database only.

mod common;

use common::TestApp;
use trackboard_server::demo;

#[tokio::test]
async fn an_empty_database_gets_the_demo_project_once() {
    let app = TestApp::new().await;
    assert!(demo::seed_if_empty(&app.storage).await.expect("seeds"));
    assert!(!demo::seed_if_empty(&app.storage)
        .await
        .expect("second call succeeds"));
    let json = app.get("/api/v1/projects").await.json();
    assert_eq!(json["total"], 1);
    assert_eq!(json["items"][0]["name"], demo::DEMO_PROJECT_NAME);
}

#[tokio::test]
async fn a_database_with_projects_is_left_alone() {
    let app = TestApp::new().await;
    app.post("/api/v1/projects", r#"{"name": "mine"}"#).await;
    assert!(!demo::seed_if_empty(&app.storage).await.expect("runs"));
    let json = app.get("/api/v1/projects").await.json();
    assert_eq!(json["total"], 1);
    assert_eq!(json["items"][0]["name"], "mine");
}

#[tokio::test]
async fn reopening_a_database_keeps_its_data() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", folder.path().join("trackboard.db").display());
    let storage = trackboard_server::Storage::open(&url).await.expect("opens");
    demo::seed_if_empty(&storage).await.expect("seeds");
    drop(storage);
    let reopened = trackboard_server::Storage::open(&url)
        .await
        .expect("reopens and migrations are idempotent");
    assert_eq!(reopened.count_projects().await.expect("count"), 1);
}
