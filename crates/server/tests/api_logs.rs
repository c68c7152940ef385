//! Logs of every type through the router: shapes, append and replace, conflicts, lists.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{json, Value};

async fn setup() -> (TestApp, i64) {
    let app = TestApp::new().await;
    let project = app.project("vision").await;
    let experiment = app.experiment(project, json!({"name": "run-1"})).await;
    (app, experiment["id"].as_i64().expect("id"))
}

async fn log(app: &TestApp, experiment: i64, body: Value) -> common::Answer {
    app.post(
        &format!("/api/v1/experiments/{experiment}/logs"),
        &body.to_string(),
    )
    .await
}

async fn get_log(app: &TestApp, experiment: i64, name: &str) -> common::Answer {
    app.get(&format!("/api/v1/experiments/{experiment}/logs/{name}"))
        .await
}

/// JSON with every number as a float: `5` and `5.0` are the same count.
fn numbers_as_floats(value: &Value) -> Value {
    match value {
        Value::Number(n) => json!(n.as_f64()),
        Value::Array(items) => Value::Array(items.iter().map(numbers_as_floats).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), numbers_as_floats(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn refused_field(answer: &common::Answer, status: StatusCode, code: &str) -> String {
    answer.assert_error(status, code)["error"]["details"]["field"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn every_data_type_is_stored_and_read_back() {
    let (app, id) = setup().await;
    let cases = [
        json!({"name": "accuracy", "type": "VALUE", "data": 0.95}),
        json!({"name": "epochs", "type": "VALUE", "data": 100}),
        json!({"name": "optimizer", "type": "VALUE", "data": "adam"}),
        json!({"name": "labels", "type": "BAR", "data": {"x": ["car", "person"], "y": [5, 8]}}),
        json!({"name": "metrics", "type": "TABLE", "data": {"Loss/total_loss": 1.2, "ok": true}}),
        json!({"name": "confusion", "type": "HEATMAP", "data": {"categories": ["car", "pedestrian"], "values": [[33, 0, 13], [2, 7, 16], [10, 0, 0]]}}),
        json!({"name": "labelmap", "type": "LABELMAP", "data": {"1": "person", "2": "car"}}),
    ];
    for case in &cases {
        let answer = log(&app, id, case.clone()).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
        let stored = get_log(&app, id, case["name"].as_str().expect("name"))
            .await
            .json();
        assert_eq!(stored["type"], case["type"]);
        assert_eq!(
            numbers_as_floats(&stored["data"]),
            numbers_as_floats(&case["data"]),
            "{stored}"
        );
    }
    let listed = app
        .get(&format!("/api/v1/experiments/{id}/logs"))
        .await
        .json();
    assert_eq!(listed["total"], cases.len());
    assert_eq!(listed["items"][0]["name"], "accuracy", "ordered by name");
}

#[tokio::test]
async fn line_forms_append_continue_steps_and_keep_gaps() {
    let (app, id) = setup().await;
    let answer = log(
        &app,
        id,
        json!({"name": "loss", "type": "LINE", "data": [3, 8, null]}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let answer = log(
        &app,
        id,
        json!({"name": "loss", "type": "LINE", "data": [2, 7]}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let series = &answer.json()["data"]["series"][0];
    assert_eq!(series["name"], "loss");
    assert_eq!(series["points"], 5);
    assert_eq!(series["first_step"], 0);
    assert_eq!(series["last_step"], 4);
    assert_eq!(series["last_value"], 7.0);

    let answer = log(
        &app,
        id,
        json!({"name": "loss", "type": "LINE", "data": {"steps": [10, 20], "values": [1, 0.5]}}),
    )
    .await;
    assert_eq!(answer.json()["data"]["series"][0]["last_step"], 20);

    let multi = log(&app, id, json!({"name": "losses", "type": "LINE", "data": {"train": [1, 2], "val": [3, 4], "steps": [0, 5]}})).await;
    let names: Vec<_> = multi.json()["data"]["series"]
        .as_array()
        .expect("series")
        .iter()
        .map(|s| s["name"].clone())
        .collect();
    assert_eq!(names, [json!("train"), json!("val")]);
}

#[tokio::test]
async fn line_steps_must_move_forward_and_a_refusal_stores_nothing() {
    let (app, id) = setup().await;
    log(
        &app,
        id,
        json!({"name": "loss", "type": "LINE", "data": {"steps": [0, 5], "values": [1, 2]}}),
    )
    .await;
    let answer = log(
        &app,
        id,
        json!({"name": "loss", "type": "LINE", "data": {"steps": [5, 6], "values": [1, 2]}}),
    )
    .await;
    assert_eq!(
        refused_field(
            &answer,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed"
        ),
        "data.steps[0]"
    );
    let answer = log(
        &app,
        id,
        json!({"name": "loss", "type": "LINE", "data": {"steps": [7, 6], "values": [1, 2]}}),
    )
    .await;
    assert_eq!(
        refused_field(
            &answer,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed"
        ),
        "data.steps[1]"
    );
    let answer = log(
        &app,
        id,
        json!({"name": "loss", "type": "LINE", "data": {"steps": [7, 8], "values": [1]}}),
    )
    .await;
    assert_eq!(
        refused_field(
            &answer,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed"
        ),
        "data.steps"
    );
    let answer = log(
        &app,
        id,
        json!({"name": "loss", "type": "LINE", "data": [1, "x"]}),
    )
    .await;
    assert_eq!(
        refused_field(
            &answer,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed"
        ),
        "data[1]"
    );
    let stored = get_log(&app, id, "loss").await.json();
    assert_eq!(stored["data"]["series"][0]["points"], 2);
    assert_eq!(stored["data"]["series"][0]["last_step"], 5);
}

#[tokio::test]
async fn replace_true_still_appends_to_a_line_as_seed_000_says() {
    let (app, id) = setup().await;
    log(
        &app,
        id,
        json!({"name": "loss", "type": "LINE", "data": [1, 2, 3]}),
    )
    .await;
    let answer = log(
        &app,
        id,
        json!({"name": "loss", "type": "LINE", "data": [9], "replace": true}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let series = answer.json()["data"]["series"].clone();
    assert_eq!(series[0]["points"], 4, "appended, not started over");
    assert_eq!(series[0]["last_step"], 3);
    // Starting over is a delete, then a log.
    let deleted = app
        .request(
            Method::DELETE,
            &format!("/api/v1/experiments/{id}/logs/loss"),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let answer = log(
        &app,
        id,
        json!({"name": "loss", "type": "LINE", "data": [9]}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    assert_eq!(answer.json()["data"]["series"][0]["points"], 1);
}

#[tokio::test]
async fn existing_names_replace_or_conflict_as_asked() {
    let (app, id) = setup().await;
    log(
        &app,
        id,
        json!({"name": "acc", "type": "VALUE", "data": 0.5}),
    )
    .await;
    let answer = log(
        &app,
        id,
        json!({"name": "acc", "type": "VALUE", "data": 0.7}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["data"], 0.7);

    let answer = log(
        &app,
        id,
        json!({"name": "acc", "type": "VALUE", "data": 0.9, "replace": false}),
    )
    .await;
    assert_eq!(
        refused_field(&answer, StatusCode::CONFLICT, "conflict"),
        "name"
    );
    let answer = log(
        &app,
        id,
        json!({"name": "acc", "type": "LINE", "data": [1]}),
    )
    .await;
    assert_eq!(
        refused_field(&answer, StatusCode::CONFLICT, "conflict"),
        "type"
    );
    assert_eq!(
        get_log(&app, id, "acc").await.json()["data"],
        0.7,
        "refusals change nothing"
    );

    let answer = log(
        &app,
        id,
        json!({"name": "acc", "type": "LINE", "data": [1, 2], "replace": true}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["type"], "LINE");
}

#[tokio::test]
async fn bad_shapes_are_422s_naming_the_field() {
    let (app, id) = setup().await;
    let cases = [
        (
            json!({"name": "b", "type": "BAR", "data": {"x": ["a"], "y": [1, 2]}}),
            "data.y",
        ),
        (
            json!({"name": "h", "type": "HEATMAP", "data": {"categories": ["a", "b"], "values": [[1, 2, 3, 4]]}}),
            "data.values",
        ),
        (
            json!({"name": "h", "type": "HEATMAP", "data": {"categories": ["a", "b"], "values": [[1, 2], [3]]}}),
            "data.values[1]",
        ),
        (
            json!({"name": "t", "type": "TABLE", "data": {"nested": {"a": 1}}}),
            "data.nested",
        ),
        (
            json!({"name": "m", "type": "LABELMAP", "data": {"person": "1"}}),
            "data.person",
        ),
        (json!({"name": "v", "type": "VALUE", "data": [1]}), "data"),
        (
            json!({"name": "e", "type": "EVALUATION", "data": {}}),
            "type",
        ),
        (
            json!({"name": "i", "type": "IMAGE", "data": "a.png"}),
            "type",
        ),
        (json!({"name": "p", "type": "PIE", "data": 1}), "type"),
        (json!({"name": " ", "type": "VALUE", "data": 1}), "name"),
        (json!({"type": "VALUE", "data": 1}), "."),
    ];
    for (body, field) in cases {
        let answer = log(&app, id, body.clone()).await;
        let got = answer.json()["error"]["details"]["field"]
            .as_str()
            .unwrap_or(".")
            .to_owned();
        assert!(
            answer.status == StatusCode::UNPROCESSABLE_ENTITY
                || answer.status == StatusCode::BAD_REQUEST,
            "{body}: {}",
            answer.text()
        );
        assert_eq!(got, field, "{body}: {}", answer.text());
    }
    let heatmap = log(&app, id, json!({"name": "h", "type": "HEATMAP", "data": {"categories": ["a", "b"], "values": [[1]]}})).await;
    let message = heatmap.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("2×2") && message.contains("3×3"),
        "{message}"
    );
    assert_eq!(
        app.get(&format!("/api/v1/experiments/{id}/logs"))
            .await
            .json()["total"],
        0
    );
}

#[tokio::test]
async fn oversized_batches_are_413s() {
    let (app, id) = setup().await;
    let too_many = vec![1; 200_001];
    let answer = log(
        &app,
        id,
        json!({"name": "loss", "type": "LINE", "data": too_many}),
    )
    .await;
    answer.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    let body = format!(
        r#"{{"name":"loss","type":"LINE","data":[{}0]}}"#,
        "0,".repeat(9_000_000)
    );
    let answer = app
        .post(&format!("/api/v1/experiments/{id}/logs"), &body)
        .await;
    answer.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    let answer = get_log(&app, id, "loss").await;
    answer.assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn the_log_body_limit_is_configurable() {
    let app = TestApp::with_limits(trackboard_server::Limits {
        log_body_bytes: 2_048,
        ..trackboard_server::Limits::default()
    })
    .await;
    let project = app.project("limits").await;
    let experiment = app.experiment(project, json!({"name": "run"})).await;
    let id = experiment["id"].as_i64().expect("id");
    let uri = format!("/api/v1/experiments/{id}/logs");
    let small = json!({"name": "loss", "type": "LINE", "data": vec![0.5; 100]});
    assert_eq!(
        app.post(&uri, &small.to_string()).await.status,
        StatusCode::CREATED
    );
    let large = json!({"name": "loss", "type": "LINE", "data": vec![0.5; 1_000]});
    app.post(&uri, &large.to_string())
        .await
        .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    let stored = app.get(&format!("{uri}/loss")).await.json();
    assert_eq!(
        stored["data"]["series"][0]["points"], 100,
        "the refused batch stored nothing"
    );
}

#[tokio::test]
async fn parameters_replace_the_parameters_table() {
    let (app, id) = setup().await;
    let uri = format!("/api/v1/experiments/{id}/parameters");
    let first = app.post(&uri, r#"{"lr": 0.01, "batch_size": 16}"#).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let second = app.post(&uri, r#"{"lr": 0.001}"#).await;
    assert_eq!(second.status, StatusCode::OK);
    let stored = get_log(&app, id, "parameters").await.json();
    assert_eq!(stored["type"], "TABLE");
    assert_eq!(stored["data"], json!({"lr": 0.001}));
    // Nested values are parameters now (issue 16); a null still is not.
    let bad = app.post(&uri, r#"{"lr": null}"#).await;
    assert_eq!(
        refused_field(&bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        "data.lr"
    );
}

#[tokio::test]
async fn lists_filter_order_and_page() {
    let (app, id) = setup().await;
    for (name, kind, data) in [
        ("b", "VALUE", json!(1)),
        ("a", "LINE", json!([1])),
        ("c", "VALUE", json!(2)),
    ] {
        log(&app, id, json!({"name": name, "type": kind, "data": data})).await;
    }
    let base = format!("/api/v1/experiments/{id}/logs");
    let values = app
        .get(&format!("{base}?type=VALUE&order_by=-name"))
        .await
        .json();
    assert_eq!(values["total"], 2);
    assert_eq!(values["items"][0]["name"], "c");
    let page = app.get(&format!("{base}?limit=1&offset=1")).await.json();
    assert_eq!(page["items"][0]["name"], "b");
    assert_eq!(page["total"], 3);
    let bad = app.get(&format!("{base}?type=PIE")).await;
    assert_eq!(
        refused_field(&bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        "type"
    );
    let bad = app.get(&format!("{base}?order_by=size")).await;
    assert_eq!(
        refused_field(&bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        "order_by"
    );
}

#[tokio::test]
async fn logs_are_deleted_one_by_one_or_all_at_once() {
    let (app, id) = setup().await;
    for name in ["a", "Loss/total"] {
        log(
            &app,
            id,
            json!({"name": name, "type": "LINE", "data": [1, 2]}),
        )
        .await;
    }
    let one = app
        .delete(&format!("/api/v1/experiments/{id}/logs/Loss%2Ftotal"))
        .await;
    assert_eq!(one.status, StatusCode::NO_CONTENT, "{}", one.text());
    app.delete(&format!("/api/v1/experiments/{id}/logs/Loss%2Ftotal"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let all = app.delete(&format!("/api/v1/experiments/{id}/logs")).await;
    assert_eq!(all.json()["deleted"], 1);
    assert_eq!(
        app.get(&format!("/api/v1/experiments/{id}/logs"))
            .await
            .json()["total"],
        0
    );
}

#[tokio::test]
async fn logs_of_a_missing_experiment_are_404s() {
    let (app, _) = setup().await;
    log(&app, 999, json!({"name": "a", "type": "VALUE", "data": 1}))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    app.get("/api/v1/experiments/999/logs")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_project_answers_the_values_of_all_its_experiments_at_once() {
    let (app, first) = setup().await;
    let project = app
        .get(&format!("/api/v1/experiments/{first}"))
        .await
        .json()["project_id"]
        .clone();
    let second = app
        .experiment(project.as_i64().expect("id"), json!({"name": "run-2"}))
        .await["id"]
        .as_i64()
        .expect("id");
    log(
        &app,
        first,
        json!({"name": "accuracy", "type": "VALUE", "data": 0.9}),
    )
    .await;
    log(
        &app,
        first,
        json!({"name": "loss", "type": "LINE", "data": [1.5]}),
    )
    .await;
    log(
        &app,
        second,
        json!({"name": "accuracy", "type": "VALUE", "data": 0.8}),
    )
    .await;
    log(
        &app,
        second,
        json!({"name": "optimizer", "type": "VALUE", "data": "adam"}),
    )
    .await;
    // The stored JSON is copied into the answer: names are escaped, numbers kept exact.
    log(
        &app,
        second,
        json!({"name": "say \"hi\" \\ é", "type": "VALUE", "data": 0.1 + 0.2}),
    )
    .await;
    // Parameters come too (nested ones flattened), and an experiment with parameters
    // but no VALUE log has its row.
    let third = app
        .experiment(project.as_i64().expect("id"), json!({"name": "run-3"}))
        .await["id"]
        .as_i64()
        .expect("id");
    for (id, parameters) in [
        (second, json!({"lr": 0.001, "model": {"depth": 50}})),
        (third, json!({"lr": 0.01})),
    ] {
        let written = app
            .post(
                &format!("/api/v1/experiments/{id}/parameters"),
                &parameters.to_string(),
            )
            .await;
        assert!(written.status.is_success(), "{}", written.text());
    }
    let answer = app.get(&format!("/api/v1/projects/{project}/values")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(
        answer.json(),
        json!([
            // A LINE log comes as its last value (see the next test).
            {"experiment_id": first, "values": {"accuracy": 0.9, "loss": 1.5}, "parameters": {}},
            {"experiment_id": second, "values": {"accuracy": 0.8, "optimizer": "adam", "say \"hi\" \\ é": 0.30000000000000004},
             "parameters": {"lr": 0.001, "model.depth": 50}},
            {"experiment_id": third, "values": {}, "parameters": {"lr": 0.01}}
        ])
    );
    app.get("/api/v1/projects/999/values")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_line_logs_last_value_is_a_project_value_bit_for_bit() {
    let app = TestApp::new().await;
    let project = app.project("sweep").await;
    let run = |name: &'static str| {
        let app = &app;
        async move {
            app.experiment(project, json!({"name": name})).await["id"]
                .as_i64()
                .expect("id")
        }
    };
    let (first, second) = (run("run-1").await, run("run-2").await);
    // Doubles that 15 significant digits would change, as MLflow's metrics log them.
    let lasts: [f64; 4] = [0.1 + 0.2, 1e-300, -123_456_789.123_456_78, 2.5];
    for (index, last) in lasts.iter().enumerate() {
        let body = json!({"name": format!("m{index}"), "type": "LINE", "data": [1.0, *last]});
        assert!(log(&app, first, body).await.status.is_success());
    }
    assert!(log(
        &app,
        first,
        json!({"name": "acc", "type": "VALUE", "data": 0.5})
    )
    .await
    .status
    .is_success());
    // Several series to a chart, or a gap last: no one value to show.
    let curves =
        json!({"name": "curves", "type": "LINE", "data": {"train": [1.0], "validation": [2.0]}});
    assert!(log(&app, second, curves).await.status.is_success());
    let gap = json!({"name": "gap", "type": "LINE", "data": [1.0, null]});
    assert!(log(&app, second, gap).await.status.is_success());
    // A run with only LINE logs has its row.
    let third = run("run-3").await;
    assert!(log(
        &app,
        third,
        json!({"name": "loss", "type": "LINE", "data": [0.7]})
    )
    .await
    .status
    .is_success());

    let answer = app.get(&format!("/api/v1/projects/{project}/values")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let rows: Vec<trackboard_api::ExperimentValues> =
        serde_json::from_slice(&answer.body).expect("values");
    let ids: Vec<i64> = rows.iter().map(|row| row.experiment_id).collect();
    assert_eq!(ids, vec![first, third], "{}", answer.text());
    let values = &rows[0].values;
    assert_eq!(values.len(), lasts.len() + 1, "{values:?}");
    for (index, last) in lasts.iter().enumerate() {
        match values.get(&format!("m{index}")) {
            Some(trackboard_api::Scalar::Number(number)) => {
                let read = number.as_f64().expect("a double");
                assert_eq!(
                    read.to_bits(),
                    last.to_bits(),
                    "m{index}: {number} for {last}"
                )
            }
            other => panic!("m{index}: {other:?}"),
        }
    }
    let number = |value: Option<&trackboard_api::Scalar>| match value {
        Some(trackboard_api::Scalar::Number(number)) => number.as_f64(),
        _ => None,
    };
    assert_eq!(number(values.get("acc")), Some(0.5));
    assert_eq!(number(rows[1].values.get("loss")), Some(0.7));
}

#[tokio::test]
async fn nested_parameters_are_stored_as_dotted_keys_with_their_values_exact() {
    let app = TestApp::new().await;
    let project = app.project("configs").await;
    let id = app
        .experiment(project, serde_json::json!({ "name": "run" }))
        .await["id"]
        .as_i64()
        .expect("id");
    let uri = format!("/api/v1/experiments/{id}/parameters");
    let body = r#"{"optimizer": {"name": "adam", "lr": 0.0001, "betas": [0.9, 0.999]}, "layers": [64, 64], "epochs": 10}"#;
    let stored = app.post(&uri, body).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text());
    assert_eq!(
        stored.json()["data"],
        serde_json::json!({
            "optimizer.name": "adam", "optimizer.lr": 0.0001,
            "optimizer.betas[0]": 0.9, "optimizer.betas[1]": 0.999,
            "layers[0]": 64, "layers[1]": 64, "epochs": 10
        })
    );
    let refused = app
        .post(&uri, r#"{"scheduler": null}"#)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(refused["error"]["details"]["field"], "data.scheduler");
    let kept = app
        .get(&format!("/api/v1/experiments/{id}/logs/parameters"))
        .await
        .json();
    assert_eq!(
        kept["data"]["optimizer.lr"], 0.0001,
        "a refused write changed nothing"
    );
}

#[tokio::test]
async fn a_line_log_takes_a_scope_and_other_types_refuse_one() {
    let (app, id) = setup().await;
    log(
        &app,
        id,
        json!({"name": "loss", "type": "LINE", "data": [1, 2]}),
    )
    .await;
    log(
        &app,
        id,
        json!({"name": "acc", "type": "VALUE", "data": 0.5}),
    )
    .await;
    let uri = |name: &str| format!("/api/v1/experiments/{id}/logs/{name}");
    let scoped = app.patch(&uri("loss"), r#"{"scope":"validation"}"#).await;
    assert_eq!(scoped.status, StatusCode::OK, "{}", scoped.text());
    assert_eq!(scoped.json()["scope"], "validation");
    assert_eq!(app.get(&uri("loss")).await.json()["scope"], "validation");
    // Appending keeps it; every list shows it.
    log(
        &app,
        id,
        json!({"name": "loss", "type": "LINE", "data": [3]}),
    )
    .await;
    let listed = app
        .get(&format!("/api/v1/experiments/{id}/logs"))
        .await
        .json();
    let loss = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|log| log["name"] == "loss")
        .cloned()
        .expect("listed");
    assert_eq!(loss["scope"], "validation");
    assert_eq!(loss["data"]["series"][0]["points"], 3);

    for (name, body, status, field) in [
        (
            "acc",
            r#"{"scope":"train"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "scope",
        ),
        (
            "loss",
            r#"{"scope":"training"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
        ),
        (
            "loss",
            r#"{"scope":"train","colour":1}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
        ),
    ] {
        let answer = app.patch(&uri(name), body).await;
        assert!(answer.status.is_client_error(), "{body}: {}", answer.status);
        if !field.is_empty() {
            assert_eq!(
                answer.assert_error(status, "validation_failed")["error"]["details"]["field"],
                field
            );
        }
    }
    app.patch(&uri("missing"), r#"{"scope":"train"}"#)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        app.get(&uri("loss")).await.json()["scope"],
        "validation",
        "refusals changed nothing"
    );
    assert!(app.get(&uri("acc")).await.json().get("scope").is_none());
    let cleared = app.patch(&uri("loss"), r#"{"scope":null}"#).await.json();
    assert!(cleared.get("scope").is_none(), "{cleared}");
}

#[tokio::test]
async fn checkpoint_metrics_are_recorded_per_weights_hash_and_name_their_artifact() {
    let (app, id) = setup().await;
    let weights = b"epoch 3 weights";
    let artifact = app
        .post_multipart(
            &format!("/api/v1/experiments/{id}/artifacts"),
            &[
                common::Part::text("name", "model-epoch-3"),
                common::Part::file("e3.pt", "application/octet-stream", weights),
            ],
        )
        .await
        .json();
    let sha256 = artifact["sha256"].as_str().expect("hash").to_owned();
    let uri = format!("/api/v1/experiments/{id}/checkpoint-metrics");
    let sha1 = "AB".repeat(20);
    let first = app
        .post(
            &uri,
            &json!({"weights_hash": sha1, "metrics": {"ex_cost": 0.25, "ex_ok": true}}).to_string(),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    assert_eq!(first.json()["weights_hash"], "ab".repeat(20));
    app.post(
        &uri,
        &json!({"weights_hash": sha256, "metrics": {"ex_cost": 0.125}}).to_string(),
    )
    .await;
    // The same name again replaces its value; others stay.
    let again = app
        .post(
            &uri,
            &json!({"weights_hash": sha1.to_lowercase(), "metrics": {"ex_cost": 0.2}}).to_string(),
        )
        .await
        .json();
    assert_eq!(again["metrics"], json!({"ex_cost": 0.2, "ex_ok": true}));

    let table = app
        .get(&format!("/api/v1/experiments/{id}/checkpoints"))
        .await
        .json();
    assert_eq!(table.as_array().map(Vec::len), Some(2), "{table}");
    assert_eq!(table[0]["artifact"], serde_json::Value::Null);
    assert_eq!(table[1]["artifact"], "model-epoch-3");
    assert_eq!(table[1]["metrics"]["ex_cost"], 0.125);

    let cases = [
        (
            json!({"weights_hash": "xyz", "metrics": {"a": 1}}),
            "weights_hash",
        ),
        (
            json!({"weights_hash": "a".repeat(41), "metrics": {"a": 1}}),
            "weights_hash",
        ),
        (json!({"weights_hash": sha256, "metrics": {}}), "metrics"),
        (
            json!({"weights_hash": sha256, "metrics": {" ": 1}}),
            "metrics",
        ),
    ];
    app.assert_each_refused(&uri, &cases).await;
    let nested = app
        .post(
            &uri,
            &json!({"weights_hash": sha256, "metrics": {"a": [1]}}).to_string(),
        )
        .await;
    assert!(nested.status.is_client_error(), "{}", nested.status);
    app.post(
        "/api/v1/experiments/999/checkpoint-metrics",
        &json!({"weights_hash": sha256, "metrics": {"a": 1}}).to_string(),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
    let after = app
        .get(&format!("/api/v1/experiments/{id}/checkpoints"))
        .await
        .json();
    assert_eq!(after, table, "refusals recorded nothing");
}
