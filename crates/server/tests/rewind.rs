//! Resuming from a checkpoint: a LINE log rewound to a step drops the points at and
//! after it (rows, packed blocks and the series' figures alike), and appends go on
//! from there.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn a_rewound_line_drops_later_points_and_appends_after_the_kept_ones() {
    let app = TestApp::new().await;
    let project = app.project("resume").await;
    let id = app.experiment(project, json!({ "name": "run" })).await["id"]
        .as_i64()
        .expect("id");
    let logs = format!("/api/v1/experiments/{id}/logs");
    let train: Vec<f64> = (0..10_000).map(|step| f64::from(step) * 0.5).collect();
    let answer = app
        .post(
            &logs,
            &json!({ "name": "loss", "type": "LINE", "data": { "train": train, "val": train } })
                .to_string(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());

    let rewound = app
        .post(&format!("{logs}/loss/rewind"), r#"{"from_step": 5000}"#)
        .await;
    assert_eq!(rewound.status, StatusCode::OK, "{}", rewound.text());
    let rewound = rewound.json();
    assert_eq!(rewound["dropped"], 10_000);
    for series in rewound["log"]["data"]["series"].as_array().expect("series") {
        assert_eq!(series["points"], 5000);
        assert_eq!(series["last_step"], 4999);
        assert_eq!(series["last_value"], 2499.5);
    }

    // The packed blocks agree with the rows: a full-width read equals the CSV.
    let points = app
        .get(&format!("{logs}/loss/points?width=10000&series=train"))
        .await
        .json();
    let values: Vec<f64> = points["series"][0]["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|v| v.as_f64().expect("number"))
        .collect();
    assert_eq!(values, train[..5000].to_vec());
    // A one-column read takes whole blocks from their summaries: the cut block's
    // summary was rewritten with its points.
    let summarised = app
        .get(&format!("{logs}/loss/points?width=1&series=train"))
        .await
        .json();
    assert_eq!(summarised["series"][0]["steps"], json!([0, 4999]));
    assert_eq!(summarised["series"][0]["values"], json!([0.0, 2499.5]));

    let appended = app
        .post(
            &logs,
            &json!({ "name": "loss", "type": "LINE", "data": { "train": [7.0] } }).to_string(),
        )
        .await
        .json();
    let train_summary = appended["data"]["series"]
        .as_array()
        .expect("series")
        .iter()
        .find(|s| s["name"] == "train")
        .cloned()
        .expect("train");
    assert_eq!(train_summary["last_step"], 5000);
    let csv = app.get(&format!("{logs}/loss/points.csv")).await.text();
    assert_eq!(csv.lines().count(), 1 + 5001 + 5000);
    assert!(
        csv.contains("train,5000,7\n"),
        "the append continues after the kept points"
    );
}

#[tokio::test]
async fn rewinding_what_is_not_a_line_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let project = app.project("resume").await;
    let id = app.experiment(project, json!({ "name": "run" })).await["id"]
        .as_i64()
        .expect("id");
    let logs = format!("/api/v1/experiments/{id}/logs");
    app.post(&logs, r#"{"name": "acc", "type": "VALUE", "data": 0.5}"#)
        .await;
    let refused = app
        .post(&format!("{logs}/acc/rewind"), r#"{"from_step": 0}"#)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(refused["error"]["details"]["field"], "name");
    app.post(&format!("{logs}/nothing/rewind"), r#"{"from_step": 0}"#)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    app.post(&format!("{logs}/acc/rewind"), r#"{"from_step": "x"}"#)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(app.get(&format!("{logs}/acc")).await.json()["data"], 0.5);

    app.post(
        &logs,
        r#"{"name": "loss", "type": "LINE", "data": [1, 2, 3]}"#,
    )
    .await;
    let nothing = app
        .post(&format!("{logs}/loss/rewind"), r#"{"from_step": 10}"#)
        .await
        .json();
    assert_eq!(nothing["dropped"], 0);
    assert_eq!(nothing["log"]["data"]["series"][0]["points"], 3);
}
