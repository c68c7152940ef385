//! Writers racing each other through the router on one real SQLite file: nothing is lost,
//! doubled or numbered twice.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;
use std::collections::BTreeSet;
use std::sync::Arc;

const WRITERS: usize = 8;

/// An app with one experiment; answers the app and the experiment's id.
async fn app_with_experiment() -> (Arc<TestApp>, i64) {
    let app = TestApp::new().await;
    let project = app.project("racing").await;
    let experiment = app.experiment(project, json!({"name": "run"})).await;
    let id = experiment["id"].as_i64().expect("id");
    (Arc::new(app), id)
}

/// Runs `WRITERS` copies of `write(app, writer)` at once and answers their results.
async fn race<T, F, Fut>(app: &Arc<TestApp>, write: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(Arc<TestApp>, usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let tasks: Vec<_> = (0..WRITERS)
        .map(|writer| tokio::spawn(write(app.clone(), writer)))
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("writer finished"));
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_writers_appending_to_one_line_log_lose_and_double_no_point() {
    let (app, id) = app_with_experiment().await;
    let uri = format!("/api/v1/experiments/{id}/logs");
    race(&app, |app, writer| {
        let uri = uri.clone();
        async move {
            for batch in 0..10 {
                // Each value names its writer and its place: writer × 1e6 + index.
                let values: Vec<f64> = (0..1_000)
                    .map(|i| (writer * 1_000_000 + batch * 1_000 + i) as f64)
                    .collect();
                let body = json!({"name": "loss", "type": "LINE", "data": values});
                let answer = app.post(&uri, &body.to_string()).await;
                // 201 for the request that created the log, 200 for each append.
                assert!(
                    [StatusCode::CREATED, StatusCode::OK].contains(&answer.status),
                    "{}: {}",
                    answer.status,
                    answer.text()
                );
            }
        }
    })
    .await;

    let csv = app
        .get(&format!("/api/v1/experiments/{id}/logs/loss/points.csv"))
        .await
        .text();
    common::assert_concurrent_appends_intact(&csv, WRITERS, 10_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_exports_into_one_model_get_distinct_versions() {
    let (app, id) = app_with_experiment().await;
    let uri = format!("/api/v1/experiments/{id}/export");
    let first = app
        .post(&uri, r#"{"model":{"name":"racer","type":"other"}}"#)
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let model_id = first.json()["model_id"].as_i64().expect("id");
    let versions = race(&app, |app, _| {
        let uri = uri.clone();
        async move {
            let answer = app
                .post(&uri, &json!({"model_id": model_id}).to_string())
                .await;
            assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
            answer.json()["version"].as_i64().expect("version")
        }
    })
    .await;
    let distinct: BTreeSet<i64> = versions.iter().copied().collect();
    assert_eq!(distinct, (2..=9).collect::<BTreeSet<i64>>(), "{versions:?}");
    let model = app.get(&format!("/api/v1/models/{model_id}")).await.json();
    assert_eq!(model["version_count"], 9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_attaches_of_one_alias_yield_one_success_and_conflicts() {
    let (app, id) = app_with_experiment().await;
    let dataset = app.post("/api/v1/datasets", r#"{"name":"frames"}"#).await;
    let dataset = dataset.json()["id"].as_i64().expect("id");
    let version = app
        .post(
            &format!("/api/v1/datasets/{dataset}/versions"),
            r#"{"version":"v1"}"#,
        )
        .await;
    let version = version.json()["id"].as_i64().expect("id");
    let uri = format!("/api/v1/experiments/{id}/datasets");
    let statuses = race(&app, |app, _| {
        let uri = uri.clone();
        async move {
            let body = json!({"alias": "training", "dataset_version_id": version});
            app.post(&uri, &body.to_string()).await.status
        }
    })
    .await;
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let conflicts = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((created, conflicts), (1, WRITERS - 1), "{statuses:?}");
    let attached = app.get(&uri).await.json();
    assert_eq!(attached.as_array().map(Vec::len), Some(1));
}
