//! The demo project appears on an empty database only.

mod common;

use common::TestApp;
use trackboard_server::demo;

#[tokio::test]
async fn an_empty_database_gets_the_demo_project_once() {
    let app = TestApp::new().await;
    assert!(demo::seed_if_empty(&app.storage, &app.objects)
        .await
        .expect("seeds"));
    assert!(!demo::seed_if_empty(&app.storage, &app.objects)
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
    assert!(!demo::seed_if_empty(&app.storage, &app.objects)
        .await
        .expect("runs"));
    let json = app.get("/api/v1/projects").await.json();
    assert_eq!(json["total"], 1);
    assert_eq!(json["items"][0]["name"], "mine");
}

#[tokio::test]
async fn reopening_a_database_keeps_its_data() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", folder.path().join("trackboard.db").display());
    let storage = trackboard_server::Storage::open(&url).await.expect("opens");
    let objects =
        trackboard_server::objects::Objects::local(&folder.path().join("objects")).expect("store");
    demo::seed_if_empty(&storage, &objects)
        .await
        .expect("seeds");
    drop(storage);
    let reopened = trackboard_server::Storage::open(&url)
        .await
        .expect("reopens and migrations are idempotent");
    assert_eq!(reopened.count_projects().await.expect("count"), 1);
}

#[tokio::test]
async fn the_demo_shows_every_kind_of_data() {
    let app = TestApp::new().await;
    assert!(demo::seed_if_empty(&app.storage, &app.objects)
        .await
        .expect("seeds"));
    let project = app.get("/api/v1/projects").await.json()["items"][0]["id"].clone();
    let experiments = app
        .get(&format!(
            "/api/v1/projects/{project}/experiments?order_by=created"
        ))
        .await
        .json();
    let items = experiments["items"].as_array().expect("items").clone();
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[1]["base_experiment_id"], items[0]["id"],
        "iterations are linked"
    );
    assert_eq!(items[2]["base_experiment_id"], items[1]["id"]);
    for experiment in &items {
        let id = &experiment["id"];
        let logs = app
            .get(&format!("/api/v1/experiments/{id}/logs"))
            .await
            .json();
        let types: std::collections::BTreeSet<String> = logs["items"]
            .as_array()
            .expect("logs")
            .iter()
            .map(|log| log["type"].as_str().unwrap_or_default().to_owned())
            .collect();
        for wanted in [
            "VALUE",
            "LINE",
            "TABLE",
            "BAR",
            "HEATMAP",
            "LABELMAP",
            "IMAGE",
            "EVALUATION",
        ] {
            assert!(types.contains(wanted), "{wanted} missing from {types:?}");
        }
        let loss = app
            .get(&format!("/api/v1/experiments/{id}/logs/loss"))
            .await
            .json();
        let series = loss["data"]["series"].as_array().expect("series").clone();
        assert_eq!(series.len(), 2);
        assert!(series.iter().all(|s| s["points"] == demo::DEMO_STEPS));
        let heatmap = app
            .get(&format!("/api/v1/experiments/{id}/logs/confusion"))
            .await
            .json();
        let categories = heatmap["data"]["categories"]
            .as_array()
            .map(Vec::len)
            .unwrap_or(0);
        assert_eq!(
            heatmap["data"]["values"].as_array().map(Vec::len),
            Some(categories + 1),
            "with FP/FN"
        );
        let images = app
            .get(&format!("/api/v1/experiments/{id}/logs/samples"))
            .await
            .json();
        let first_image = &images["data"]["images"][0];
        assert_eq!(images["data"]["images"].as_array().map(Vec::len), Some(3));
        let png = app
            .get(&format!("/api/v1/images/{}", first_image["id"]))
            .await;
        assert_eq!(png.content_type.as_deref(), Some("image/png"));
        assert!(png.body.starts_with(b"\x89PNG"));
        assert_eq!(
            app.get(&format!("/api/v1/experiments/{id}/artifacts"))
                .await
                .json()["total"],
            1
        );
        let job = app
            .get(&format!("/api/v1/experiments/{id}/job/logs"))
            .await
            .json();
        assert_eq!(job["chapters"], serde_json::json!(["Setup", "Training"]));
        assert_eq!(
            app.get(&format!("/api/v1/experiments/{id}/datasets"))
                .await
                .json()
                .as_array()
                .map(Vec::len),
            Some(3),
            "training, validation and test"
        );
    }
    let models = app.get("/api/v1/models").await.json();
    assert_eq!(models["total"], 1);
    let versions = app
        .get(&format!(
            "/api/v1/models/{}/versions",
            models["items"][0]["id"]
        ))
        .await
        .json();
    assert_eq!(versions["items"][0]["source_experiment_id"], items[1]["id"]);
    assert_eq!(
        app.get("/api/v1/datasets").await.json()["items"][0]["version_count"],
        3,
        "two labelled versions and the evaluation frames"
    );
}

#[tokio::test]
async fn the_demo_has_an_evaluated_detection_set_with_metrics() {
    let app = TestApp::new().await;
    demo::seed_if_empty(&app.storage, &app.objects)
        .await
        .expect("seeds");
    let experiments = app
        .get("/api/v1/projects/1/experiments?order_by=created")
        .await
        .json();
    let mut aps = Vec::new();
    for experiment in experiments["items"].as_array().expect("items") {
        let id = experiment["id"].as_i64().expect("id");
        let log = app
            .get(&format!(
                "/api/v1/experiments/{id}/logs/evaluation%2Fobject_detection"
            ))
            .await;
        assert_eq!(log.status, axum::http::StatusCode::OK, "{}", log.text());
        let metrics = &log.json()["data"];
        assert_eq!(metrics["assets"], 24);
        aps.push(metrics["detection"]["summary"][1].as_f64().expect("AP50"));
        let evaluations = app
            .get(&format!("/api/v1/experiments/{id}/evaluations"))
            .await
            .json();
        assert_eq!(evaluations["total"], 24);
    }
    // Better experiments find more objects, more tightly.
    assert!(aps.windows(2).all(|pair| pair[0] < pair[1]), "{aps:?}");
    assert!(aps.iter().all(|ap| *ap > 0.2 && *ap < 1.0), "{aps:?}");
}
