//! Nothing logged is altered: random doubles over the whole range (subnormals,
//! 17-significant-digit values, ±max) come back bit for bit through every read path of
//! every log type that holds numbers; step arithmetic that would overflow is refused.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{json, Value};

/// A deterministic stream of doubles: the hard cases first, then random bit patterns
/// (every exponent, so subnormals and huge values too), finite only.
fn doubles(count: usize) -> Vec<f64> {
    let mut values = vec![
        -0.21899245768679843,
        0.1 + 0.2,
        f64::MAX,
        -f64::MAX,
        f64::MIN_POSITIVE,
        f64::from_bits(1),
        -f64::from_bits(0x000F_FFFF_FFFF_FFFF),
        1e-320,
        123_456_789.123_456_78,
        9_007_199_254_740_993.0,
        2.225_073_858_507_201e-308,
    ];
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    while values.len() < count {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let value = f64::from_bits(state);
        if value.is_finite() {
            values.push(value);
        }
    }
    values
}

fn bits(values: impl IntoIterator<Item = f64>) -> Vec<u64> {
    values.into_iter().map(f64::to_bits).collect()
}

fn numbers(json: &Value) -> Vec<f64> {
    json.as_array()
        .expect("an array")
        .iter()
        .map(|value| value.as_f64().expect("a number"))
        .collect()
}

async fn logged_experiment(app: &TestApp) -> i64 {
    let project = app.project("exactness").await;
    app.experiment(project, json!({ "name": "run" })).await["id"]
        .as_i64()
        .expect("id")
}

async fn log(app: &TestApp, id: i64, body: Value) {
    let answer = app
        .post(&format!("/api/v1/experiments/{id}/logs"), &body.to_string())
        .await;
    assert!(
        answer.status == StatusCode::CREATED || answer.status == StatusCode::OK,
        "{}",
        answer.text()
    );
}

async fn content(app: &TestApp, id: i64, name: &str) -> Value {
    let answer = app
        .get(&format!("/api/v1/experiments/{id}/logs/{name}"))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    answer.json()["data"].clone()
}

#[tokio::test]
async fn line_points_come_back_bit_for_bit_as_json_frame_and_csv() {
    let app = TestApp::new().await;
    let id = logged_experiment(&app).await;
    let values = doubles(2_000);
    log(
        &app,
        id,
        json!({ "name": "loss", "type": "LINE", "data": values }),
    )
    .await;
    let want = bits(values.iter().copied());

    let uri = format!("/api/v1/experiments/{id}/logs/loss/points?width=10000");
    let points = app.get(&uri).await.json();
    assert_eq!(bits(numbers(&points["series"][0]["values"])), want, "JSON");

    let request = axum::http::Request::get(&uri)
        .header("authorization", format!("Bearer {}", app.admin_secret))
        .header("accept", trackboard_series::POINTS_MEDIA_TYPE)
        .body(axum::body::Body::empty())
        .expect("request");
    let framed = trackboard_series::decode_points(&app.send(request).await.body).expect("a frame");
    assert_eq!(
        bits(framed.series[0].values.iter().flatten().copied()),
        want,
        "frame"
    );

    let csv = app
        .get(&format!("/api/v1/experiments/{id}/logs/loss/points.csv"))
        .await
        .text();
    let from_csv: Vec<f64> = csv
        .lines()
        .skip(1)
        .map(|line| {
            line.rsplit(',')
                .next()
                .expect("a value")
                .parse()
                .expect("a double")
        })
        .collect();
    assert_eq!(bits(from_csv), want, "CSV");

    let summary = content(&app, id, "loss").await;
    assert_eq!(
        summary["series"][0]["last_value"]
            .as_f64()
            .map(f64::to_bits),
        want.last().copied(),
        "the log's summary"
    );
}

#[tokio::test]
async fn values_bars_tables_heatmaps_and_parameters_come_back_bit_for_bit() {
    let app = TestApp::new().await;
    let id = logged_experiment(&app).await;
    let values = doubles(400);
    for (index, value) in values.iter().take(20).enumerate() {
        let name = format!("value-{index}");
        log(
            &app,
            id,
            json!({ "name": name, "type": "VALUE", "data": value }),
        )
        .await;
        let back = content(&app, id, &name).await;
        assert_eq!(
            back.as_f64().map(f64::to_bits),
            Some(value.to_bits()),
            "VALUE {value:e}"
        );
    }

    let labels: Vec<String> = (0..values.len()).map(|index| format!("c{index}")).collect();
    log(
        &app,
        id,
        json!({ "name": "bars", "type": "BAR", "data": { "x": labels, "y": values } }),
    )
    .await;
    assert_eq!(
        bits(numbers(&content(&app, id, "bars").await["y"])),
        bits(values.iter().copied()),
        "BAR"
    );

    let table: serde_json::Map<String, Value> = labels
        .iter()
        .cloned()
        .zip(values.iter().map(|v| json!(v)))
        .collect();
    log(
        &app,
        id,
        json!({ "name": "metrics", "type": "TABLE", "data": table }),
    )
    .await;
    let back = content(&app, id, "metrics").await;
    for (label, value) in labels.iter().zip(&values) {
        assert_eq!(
            back[label].as_f64().map(f64::to_bits),
            Some(value.to_bits()),
            "TABLE {label}"
        );
    }

    let answer = app
        .post(
            &format!("/api/v1/experiments/{id}/parameters"),
            &json!({ "lr": values[0], "decay": values[5] }).to_string(),
        )
        .await;
    assert!(answer.status.is_success(), "{}", answer.text());
    let back = content(&app, id, "parameters").await;
    assert_eq!(
        back["lr"].as_f64().map(f64::to_bits),
        Some(values[0].to_bits())
    );
    assert_eq!(
        back["decay"].as_f64().map(f64::to_bits),
        Some(values[5].to_bits())
    );

    let size = 10;
    // Cells are counts or rates: never negative.
    let cells: Vec<Vec<f64>> = values
        .iter()
        .map(|value| value.abs())
        .collect::<Vec<_>>()
        .chunks(size)
        .take(size)
        .map(<[f64]>::to_vec)
        .collect();
    let categories: Vec<String> = (0..size - 1).map(|index| format!("k{index}")).collect();
    log(&app, id, json!({ "name": "confusion", "type": "HEATMAP", "data": { "categories": categories, "values": cells } })).await;
    let back = content(&app, id, "confusion").await;
    let stored: Vec<f64> = back["values"]
        .as_array()
        .expect("rows")
        .iter()
        .flat_map(numbers)
        .collect();
    assert_eq!(bits(stored), bits(cells.concat()), "HEATMAP");
}

#[tokio::test]
async fn appending_past_the_largest_step_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let id = logged_experiment(&app).await;
    let near_end = i64::MAX - 1;
    log(
        &app,
        id,
        json!({ "name": "loss", "type": "LINE", "data": { "steps": [near_end], "values": [1.0] } }),
    )
    .await;
    let before = app
        .get(&format!("/api/v1/experiments/{id}/logs/loss/points.csv"))
        .await
        .text();
    for values in [json!([2.0, 3.0, 4.0]), json!([2.0, 3.0])] {
        let refused = app
            .post(
                &format!("/api/v1/experiments/{id}/logs"),
                &json!({ "name": "loss", "type": "LINE", "data": values }).to_string(),
            )
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(refused["error"]["details"]["field"], "data", "{refused}");
    }
    log(
        &app,
        id,
        json!({ "name": "loss", "type": "LINE", "data": [2.0] }),
    )
    .await;
    let after = app
        .get(&format!("/api/v1/experiments/{id}/logs/loss/points.csv"))
        .await
        .text();
    assert_eq!(
        before,
        format!(
            "series,step,value\n{}",
            before
                .lines()
                .nth(1)
                .map(|l| format!("{l}\n"))
                .unwrap_or_default()
        )
    );
    assert!(after.ends_with(&format!("{},2\n", i64::MAX)), "{after}");
    assert_eq!(after.lines().count(), 3, "{after}");
    app.post(
        &format!("/api/v1/experiments/{id}/logs"),
        &json!({ "name": "loss", "type": "LINE", "data": [5.0] }).to_string(),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
}
