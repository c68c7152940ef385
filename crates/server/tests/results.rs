//! A project's results as CSV: one row per experiment, every VALUE log (and one-series
//! LINE log's last value) and parameter a column, numbers exact, streamed page by page.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn results_have_a_row_per_experiment_and_a_column_per_value_and_parameter() {
    let app = TestApp::new().await;
    let project = app.project("results").await;
    let mut ids = Vec::new();
    for index in 0..1_203 {
        let id = app
            .experiment(project, json!({ "name": format!("run {index:04}") }))
            .await["id"]
            .as_i64()
            .expect("id");
        ids.push(id);
    }
    let first = ids[0];
    let logs = format!("/api/v1/experiments/{first}/logs");
    app.post(
        &logs,
        r#"{"name": "accuracy", "type": "VALUE", "data": -0.21899245768679843}"#,
    )
    .await;
    app.post(
        &logs,
        r#"{"name": "note, quoted", "type": "VALUE", "data": "a \"b\""}"#,
    )
    .await;
    app.post(
        &format!("/api/v1/experiments/{first}/parameters"),
        r#"{"optimizer": {"lr": 0.001}, "accuracy": 1}"#,
    )
    .await;
    app.post(
        &format!("/api/v1/experiments/{}/logs", ids[1]),
        r#"{"name": "accuracy", "type": "VALUE", "data": 0.5}"#,
    )
    .await;

    let answer = app
        .get(&format!("/api/v1/projects/{project}/results.csv"))
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.content_type.as_deref(),
        Some("text/csv; charset=utf-8")
    );
    let csv = answer.text();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "experiment_id,name,status,created_at,accuracy,\"note, quoted\",parameters.accuracy,parameters.optimizer.lr"
    );
    assert_eq!(lines.len(), 1 + 1_203, "every experiment, across pages");
    assert!(lines[1].starts_with(&format!("{first},run 0000,waiting,")));
    assert!(
        lines[1].ends_with(",-0.21899245768679843,\"a \"\"b\"\"\",1,0.001"),
        "{}",
        lines[1]
    );
    assert!(lines[2].ends_with(",0.5,,,"), "{}", lines[2]);
    let last_ids: Vec<i64> = lines[1..]
        .iter()
        .map(|line| {
            line.split(',')
                .next()
                .unwrap_or_default()
                .parse()
                .expect("id")
        })
        .collect();
    assert_eq!(last_ids, ids);

    app.get("/api/v1/projects/999999/results.csv")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn results_for_a_dataset_version_keep_only_the_experiments_that_used_it() {
    let app = TestApp::new().await;
    let project = app.project("sweep").await;
    let dataset = app
        .post("/api/v1/datasets", r#"{"name":"frames"}"#)
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let version = |name: &'static str| {
        let app = &app;
        async move {
            app.post(
                &format!("/api/v1/datasets/{dataset}/versions"),
                &json!({ "version": name }).to_string(),
            )
            .await
            .json()["id"]
                .as_i64()
                .expect("id")
        }
    };
    let (v1, v2) = (version("v1").await, version("v2").await);
    let mut runs = Vec::new();
    for (name, used) in [("on v1", Some(v1)), ("on v2", Some(v2)), ("on none", None)] {
        let id = app.experiment(project, json!({ "name": name })).await["id"]
            .as_i64()
            .expect("id");
        if let Some(used) = used {
            app.post(
                &format!("/api/v1/experiments/{id}/datasets"),
                &json!({"alias": "training", "dataset_version_id": used}).to_string(),
            )
            .await;
            app.post(
                &format!("/api/v1/experiments/{id}/logs"),
                &json!({"name": format!("only {name}"), "type": "VALUE", "data": 1}).to_string(),
            )
            .await;
        }
        runs.push(id);
    }
    let csv = app
        .get(&format!(
            "/api/v1/projects/{project}/results.csv?dataset_version_id={v1}"
        ))
        .await
        .text();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[0].ends_with(",only on v1"),
        "columns of its experiments only: {}",
        lines[0]
    );
    assert!(
        lines[1].starts_with(&format!("{},on v1,", runs[0])),
        "{}",
        lines[1]
    );
    assert_eq!(
        app.get(&format!("/api/v1/projects/{project}/results.csv"))
            .await
            .text()
            .lines()
            .count(),
        4,
        "without the filter: every experiment"
    );

    let missing = app
        .get(&format!(
            "/api/v1/projects/{project}/results.csv?dataset_version_id=999"
        ))
        .await;
    assert_eq!(
        missing.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")["error"]
            ["details"]["field"],
        "dataset_version_id"
    );
    let bad = app
        .get(&format!(
            "/api/v1/projects/{project}/results.csv?dataset_version_id=v1"
        ))
        .await;
    assert!(bad.status.is_client_error(), "{}", bad.status);
}

#[tokio::test]
async fn results_hold_the_last_value_of_each_one_series_line_log_bit_for_bit() {
    let app = TestApp::new().await;
    let project = app.project("mlflow-style").await;
    let mut runs = Vec::new();
    for name in ["a", "b"] {
        runs.push(
            app.experiment(project, json!({ "name": name })).await["id"]
                .as_i64()
                .expect("id"),
        );
    }
    let logs = |id: i64| format!("/api/v1/experiments/{id}/logs");
    // Appended in two batches: the last value is the last batch's last point.
    app.post(
        &logs(runs[0]),
        r#"{"name": "loss", "type": "LINE", "data": [0.9, 0.5]}"#,
    )
    .await;
    app.post(
        &logs(runs[0]),
        r#"{"name": "loss", "type": "LINE", "data": [0.30000000000000004]}"#,
    )
    .await;
    // Two series: no single last value, so no column.
    app.post(
        &logs(runs[0]),
        r#"{"name": "losses", "type": "LINE", "data": {"train": [0.4], "validation": [0.6]}}"#,
    )
    .await;
    // A VALUE log of the same name in another run shares the column.
    app.post(
        &logs(runs[1]),
        r#"{"name": "loss", "type": "VALUE", "data": 2.5e-300}"#,
    )
    .await;

    let csv = app
        .get(&format!("/api/v1/projects/{project}/results.csv"))
        .await
        .text();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0], "experiment_id,name,status,created_at,loss",
        "{csv}"
    );
    assert!(lines[1].ends_with(",0.30000000000000004"), "{}", lines[1]);
    assert!(lines[2].ends_with(",2.5e-300"), "{}", lines[2]);
    // As the project table's values answer it.
    let values = app
        .get(&format!("/api/v1/projects/{project}/values"))
        .await
        .json();
    assert_eq!(values[0]["values"]["loss"], json!(0.30000000000000004));
}
