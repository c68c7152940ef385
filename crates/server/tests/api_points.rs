//! Reading LINE points: raw or M4-reduced ranges, comparisons, and the CSV export.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use trackboard_server::domain::{pixel_column, Window};

async fn setup() -> (TestApp, i64, i64) {
    let app = TestApp::new().await;
    let project = app.project("vision").await;
    let first = app.experiment(project, json!({"name": "run-1"})).await["id"]
        .as_i64()
        .expect("id");
    let second = app.experiment(project, json!({"name": "run-2"})).await["id"]
        .as_i64()
        .expect("id");
    (app, first, second)
}

async fn log_line(app: &TestApp, experiment: i64, name: &str, data: Value) {
    let answer = app
        .post(
            &format!("/api/v1/experiments/{experiment}/logs"),
            &json!({"name": name, "type": "LINE", "data": data}).to_string(),
        )
        .await;
    assert!(answer.status.is_success(), "{}", answer.text());
}

/// Deterministic pseudo-random values with spikes and gaps.
fn series(seed: u64, len: usize) -> (Vec<i64>, Vec<Option<f64>>) {
    let mut state = seed;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut step = 0i64;
    let mut steps = Vec::with_capacity(len);
    let mut values = Vec::with_capacity(len);
    for _ in 0..len {
        step += 1 + (next() % 3) as i64;
        steps.push(step);
        values.push(match next() % 100 {
            0 => None,
            1 => Some(1_000.0),
            r => Some(r as f64 / 10.0),
        });
    }
    (steps, values)
}

/// M4 by brute force: group every point by pixel column, keep first, last, min, max and
/// the first gap of each.
fn brute_force_m4(
    steps: &[i64],
    values: &[Option<f64>],
    from: i64,
    to: i64,
    width: u32,
) -> BTreeSet<(i64, Option<u64>)> {
    let mut columns: BTreeMap<u32, Vec<(i64, Option<f64>)>> = BTreeMap::new();
    for (&step, &value) in steps.iter().zip(values) {
        if step >= from && step <= to {
            columns
                .entry(pixel_column(step, Window::new(from, to, width)))
                .or_default()
                .push((step, value));
        }
    }
    let mut kept = BTreeSet::new();
    for points in columns.values() {
        let key = |p: &(i64, Option<f64>)| (p.0, p.1.map(f64::to_bits));
        kept.insert(key(&points[0]));
        kept.insert(key(&points[points.len() - 1]));
        // Ties go to the earliest step, for the lowest and the highest alike.
        let numbers: Vec<(i64, f64)> = points
            .iter()
            .filter_map(|p| p.1.map(|v| (p.0, v)))
            .collect();
        if let Some(&(step, low)) = numbers.iter().find(|p| numbers.iter().all(|q| q.1 >= p.1)) {
            kept.insert((step, Some(low.to_bits())));
        }
        if let Some(&(step, high)) = numbers.iter().find(|p| numbers.iter().all(|q| q.1 <= p.1)) {
            kept.insert((step, Some(high.to_bits())));
        }
        if let Some(gap) = points.iter().find(|p| p.1.is_none()) {
            kept.insert(key(gap));
        }
    }
    kept
}

fn answered_points(series: &Value) -> BTreeSet<(i64, Option<u64>)> {
    let steps = series["steps"].as_array().expect("steps");
    let values = series["values"].as_array().expect("values");
    steps
        .iter()
        .zip(values)
        .map(|(s, v)| (s.as_i64().expect("step"), v.as_f64().map(f64::to_bits)))
        .collect()
}

#[tokio::test]
async fn small_ranges_answer_raw_points_with_gaps() {
    let (app, id, _) = setup().await;
    log_line(&app, id, "loss", json!([1, null, 3, 4])).await;
    let answer = app
        .get(&format!(
            "/api/v1/experiments/{id}/logs/loss/points?width=100"
        ))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let json = answer.json();
    assert_eq!(
        (json["from"].clone(), json["to"].clone()),
        (json!(0), json!(3))
    );
    let series = &json["series"][0];
    assert_eq!(series["reduced"], false);
    assert_eq!(series["steps"], json!([0, 1, 2, 3]));
    assert_eq!(series["values"], json!([1.0, null, 3.0, 4.0]));

    let part = app
        .get(&format!(
            "/api/v1/experiments/{id}/logs/loss/points?from=2&to=3"
        ))
        .await
        .json();
    assert_eq!(part["series"][0]["steps"], json!([2, 3]));
    assert_eq!(part["series"][0]["points_in_range"], 2);
}

#[tokio::test]
async fn large_ranges_answer_exactly_the_m4_reduction() {
    let (steps, values) = series(0x9e37_79b9_7f4a_7c15, 30_000);
    assert_reductions_exact(&steps, &values).await;
}

#[tokio::test]
async fn consecutive_steps_reduce_exactly_too() {
    // Steps 0, 1, 2, …: stored as dense blocks and reduced a column's run at a time.
    let (_, values) = series(0x0dd_ba11_5eed, 30_000);
    let steps: Vec<i64> = (0..30_000).collect();
    assert_reductions_exact(&steps, &values).await;
}

/// Logs the points in uneven batches, then checks reductions of several ranges (one
/// starting and ending inside blocks) against brute-force M4.
async fn assert_reductions_exact(steps: &[i64], values: &[Option<f64>]) {
    let (app, id, _) = setup().await;
    // Appended in uneven batches, so stored blocks of 4,096 points are topped up
    // across requests (1,000 then 1 then 2,047 then 7,000 …), never rewritten from scratch.
    let mut start = 0;
    for batch in [1_000, 1, 2_047, 7_000, 19_952] {
        let end = start + batch;
        let slice = json!({"steps": &steps[start..end], "values": &values[start..end]});
        log_line(&app, id, "loss", slice).await;
        start = end;
    }
    assert_eq!(start, steps.len());
    assert_eq!(
        app.storage.count_rows("line_blocks").await,
        8,
        "⌈30,000 / 4,096⌉ blocks"
    );
    for (from, to, width) in [
        (None, None, 300u32),
        (Some(1_000), Some(40_000), 123),
        (Some(5), Some(9_000), 1_000),
        // A range that starts and ends inside blocks.
        (Some(2_050), Some(2_950), 7),
        // Columns wider than blocks: whole blocks are read from their summaries, the
        // blocks a column border or the range's ends cut from their points.
        (None, None, 1),
        (None, None, 3),
        (Some(3_000), Some(27_000), 2),
    ] {
        let mut uri = format!("/api/v1/experiments/{id}/logs/loss/points?width={width}");
        if let (Some(from), Some(to)) = (from, to) {
            uri.push_str(&format!("&from={from}&to={to}"));
        }
        let json = app.get(&uri).await.json();
        let series = &json["series"][0];
        let from = json["from"].as_i64().expect("from");
        let to = json["to"].as_i64().expect("to");
        let expected = brute_force_m4(steps, values, from, to, width);
        let in_range = steps.iter().filter(|&&s| s >= from && s <= to).count();
        assert_eq!(series["points_in_range"], in_range);
        assert_eq!(series["reduced"], in_range > 4 * width as usize);
        if series["reduced"] == true {
            let answered = answered_points(series);
            let differences: Vec<_> = answered.symmetric_difference(&expected).take(5).collect();
            assert!(
                differences.is_empty(),
                "width {width}: {} vs {} points, first differences {differences:?}",
                answered.len(),
                expected.len()
            );
        }
    }
}

#[tokio::test]
async fn comparisons_share_one_grid_across_experiments() {
    let (app, first, second) = setup().await;
    log_line(
        &app,
        first,
        "loss",
        json!({"steps": [0, 10], "values": [1, 2]}),
    )
    .await;
    log_line(
        &app,
        second,
        "loss",
        json!({"steps": [5, 50], "values": [3, 4]}),
    )
    .await;
    let answer = app
        .get(&format!(
            "/api/v1/line-comparison?experiment_ids={first},{second}&log=loss&width=200"
        ))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let json = answer.json();
    assert_eq!(
        (json["from"].clone(), json["to"].clone()),
        (json!(0), json!(50))
    );
    assert_eq!(json["experiments"][0]["experiment_id"], first);
    assert_eq!(json["experiments"][1]["series"][0]["steps"], json!([5, 50]));

    let many: Vec<String> = std::iter::repeat_n(first.to_string(), 150)
        .chain([second.to_string()])
        .collect();
    let answer = app
        .get(&format!(
            "/api/v1/line-comparison?experiment_ids={}&log=loss",
            many.join(",")
        ))
        .await;
    assert_eq!(
        answer.json()["experiments"].as_array().map(Vec::len),
        Some(2),
        "ids are deduplicated"
    );

    let missing = app
        .get(&format!(
            "/api/v1/line-comparison?experiment_ids={first}&log=nothing"
        ))
        .await
        .json();
    assert_eq!(missing["experiments"][0]["series"], json!([]));
}

/// A GET asking for the binary points frame.
async fn get_frame(app: &TestApp, uri: &str) -> common::Answer {
    let request = axum::http::Request::get(uri)
        .header("authorization", format!("Bearer {}", app.admin_secret))
        .header("accept", trackboard_series::POINTS_MEDIA_TYPE)
        .body(axum::body::Body::empty())
        .expect("valid request");
    app.send(request).await
}

#[tokio::test]
async fn the_binary_frame_carries_exactly_what_the_json_carries() {
    let (app, first, second) = setup().await;
    let (steps, values) = series(7, 5_000);
    log_line(
        &app,
        first,
        "loss",
        json!({"steps": steps, "values": values}),
    )
    .await;
    let data = json!({"train": [0.5, null, -2.25], "validation": [1, 2, 3], "steps": [1, 2, 3]});
    log_line(&app, second, "loss", data).await;
    let comparison =
        format!("/api/v1/line-comparison?experiment_ids={second},{first}&log=loss&width=300");
    let json: trackboard_api::LineComparison =
        serde_json::from_slice(&app.get(&comparison).await.body).expect("JSON comparison");
    let framed = get_frame(&app, &comparison).await;
    assert_eq!(framed.status, StatusCode::OK, "{}", framed.text());
    assert_eq!(
        framed.content_type.as_deref(),
        Some(trackboard_series::POINTS_MEDIA_TYPE)
    );
    assert_eq!(framed.headers["vary"], "accept");
    let decoded = trackboard_series::decode_comparison(&framed.body).expect("a comparison frame");
    assert_eq!(decoded, json);
    assert_eq!(decoded.experiments[0].series.len(), 2);
    assert!(
        decoded.experiments[1].series[0].reduced,
        "5,000 points at 300 px are reduced"
    );
    assert_eq!(
        decoded.experiments[0].series[0].values,
        [Some(0.5), None, Some(-2.25)]
    );

    let points = format!("/api/v1/experiments/{first}/logs/loss/points?width=300&from=100");
    let json: trackboard_api::LinePoints =
        serde_json::from_slice(&app.get(&points).await.body).expect("JSON points");
    let framed = get_frame(&app, &points).await;
    assert_eq!(trackboard_series::decode_points(&framed.body), Ok(json));

    // A refusal stays the JSON error envelope whatever was asked for.
    let refused = get_frame(
        &app,
        &format!("/api/v1/experiments/{first}/logs/loss/points?width=0"),
    )
    .await;
    assert_eq!(
        refused.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")["error"]
            ["details"]["field"],
        "width"
    );
}

/// `%0A`-joined log names for `logs=`.
fn log_lines(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| trackboard_api::encode_component(name))
        .collect::<Vec<_>>()
        .join("%0A")
}

#[tokio::test]
async fn a_batch_of_comparisons_equals_each_comparison_asked_alone() {
    let (app, first, second) = setup().await;
    let (steps, values) = series(11, 6_000);
    log_line(
        &app,
        first,
        "loss",
        json!({"steps": steps, "values": values}),
    )
    .await;
    log_line(&app, second, "loss", json!([3, 2, 1])).await;
    log_line(
        &app,
        second,
        "acc, top-1",
        json!({"steps": [5, 9], "values": [0.25, 0.5]}),
    )
    .await;
    app.post(
        &format!("/api/v1/experiments/{first}/logs"),
        r#"{"name":"score","type":"VALUE","data":1}"#,
    )
    .await;
    let names = ["acc, top-1", "loss", "score", "missing", "loss"];
    for range in ["", "&from=2&to=4000"] {
        let batch = format!(
            "/api/v1/line-comparisons?experiment_ids={second},{first}&logs={}&width=250{range}",
            log_lines(&names)
        );
        let json: trackboard_api::LineComparisons =
            serde_json::from_slice(&app.get(&batch).await.body).expect("JSON batch");
        let framed = get_frame(&app, &batch).await;
        assert_eq!(framed.status, StatusCode::OK, "{}", framed.text());
        assert_eq!(framed.headers["vary"], "accept");
        assert_eq!(
            trackboard_series::decode_comparisons(&framed.body),
            Ok(json.clone())
        );
        // Repeats count once; a VALUE log and an unknown name compare as no series,
        // exactly as line-comparison answers them alone.
        let asked: Vec<&str> = json
            .comparisons
            .iter()
            .map(|c| c.log_name.as_str())
            .collect();
        assert_eq!(asked, ["acc, top-1", "loss", "score", "missing"]);
        for comparison in &json.comparisons {
            let alone = format!(
                "/api/v1/line-comparison?experiment_ids={second},{first}&log={}&width=250{range}",
                trackboard_api::encode_component(&comparison.log_name)
            );
            let expected: trackboard_api::LineComparison =
                serde_json::from_slice(&app.get(&alone).await.body).expect("JSON comparison");
            assert_eq!(comparison, &expected, "{alone}");
        }
        assert!(json.comparisons[1].experiments[1].series[0].reduced);
    }
    // One experiment's comparison is its points page, series for series.
    let one = format!("/api/v1/line-comparisons?experiment_ids={first}&logs=loss&width=300");
    let batch: trackboard_api::LineComparisons =
        serde_json::from_slice(&app.get(&one).await.body).expect("JSON batch");
    let points: trackboard_api::LinePoints = serde_json::from_slice(
        &app.get(&format!(
            "/api/v1/experiments/{first}/logs/loss/points?width=300"
        ))
        .await
        .body,
    )
    .expect("JSON points");
    let compared = &batch.comparisons[0];
    assert_eq!((compared.from, compared.to), (points.from, points.to));
    assert_eq!(compared.experiments[0].series, points.series);
}

#[tokio::test]
async fn bad_batches_of_comparisons_name_the_parameter() {
    let (app, id, _) = setup().await;
    log_line(&app, id, "loss", json!([1, 2])).await;
    let many: Vec<String> = (0..=100).map(|i| format!("m{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    for (query, field) in [
        (format!("experiment_ids={id}"), "logs"),
        (format!("experiment_ids={id}&logs="), "logs"),
        (format!("experiment_ids={id}&logs=loss%0A"), "logs"),
        (format!("experiment_ids={id}&logs=loss%0A%20%0Aacc"), "logs"),
        (format!("experiment_ids={id}&logs=lo%09ss"), "logs"),
        (
            format!("experiment_ids={id}&logs={}", log_lines(&many)),
            "logs",
        ),
        ("logs=loss".to_owned(), "experiment_ids"),
        ("experiment_ids=1,x&logs=loss".to_owned(), "experiment_ids"),
        ("experiment_ids=999&logs=loss".to_owned(), "experiment_ids"),
        (format!("experiment_ids={id}&logs=loss&width=0"), "width"),
        (format!("experiment_ids={id}&logs=loss&from=9&to=1"), "to"),
    ] {
        let uri = format!("/api/v1/line-comparisons?{query}");
        let answer = app.get(&uri).await;
        assert_eq!(
            answer.json()["error"]["details"]["field"],
            field,
            "{uri}: {}",
            answer.text()
        );
        answer.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    }
    let exactly_100 = log_lines(&many[..100]);
    let answer = app
        .get(&format!(
            "/api/v1/line-comparisons?experiment_ids={id}&logs={exactly_100}"
        ))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
}

#[tokio::test]
async fn bad_point_requests_name_the_parameter() {
    let (app, id, _) = setup().await;
    log_line(&app, id, "loss", json!([1, 2])).await;
    app.post(
        &format!("/api/v1/experiments/{id}/logs"),
        r#"{"name":"acc","type":"VALUE","data":1}"#,
    )
    .await;
    let base = format!("/api/v1/experiments/{id}/logs");
    for (uri, status, field) in [
        (
            format!("{base}/loss/points?width=0"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "width",
        ),
        (
            format!("{base}/loss/points?width=10001"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "width",
        ),
        (
            format!("{base}/loss/points?from=5&to=1"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "to",
        ),
        (
            format!("{base}/acc/points"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "name",
        ),
        (
            "/api/v1/line-comparison?experiment_ids=1,x&log=loss".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "experiment_ids",
        ),
        (
            format!("/api/v1/line-comparison?experiment_ids={id}"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "log",
        ),
        (
            "/api/v1/line-comparison?experiment_ids=999&log=loss".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "experiment_ids",
        ),
    ] {
        let answer = app.get(&uri).await;
        assert_eq!(answer.status, status, "{uri}: {}", answer.text());
        assert_eq!(answer.json()["error"]["details"]["field"], field, "{uri}");
    }
    for uri in [
        format!("{base}/nothing/points"),
        format!("{base}/loss/points?series=nope"),
        format!("{base}/nothing/points.csv"),
    ] {
        app.get(&uri)
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    let bad = app.get(&format!("{base}/loss/points?width=abc")).await;
    bad.assert_error(StatusCode::BAD_REQUEST, "bad_request");
}

#[tokio::test]
async fn the_csv_export_holds_every_point_of_every_series() {
    let (app, id, _) = setup().await;
    let values: Vec<Option<f64>> = (0..25_000)
        .map(|i| {
            if i % 1000 == 7 {
                None
            } else {
                Some(i as f64 / 4.0)
            }
        })
        .collect();
    log_line(
        &app,
        id,
        "losses",
        json!({"train": values, "val, smoothed": [1, 2]}),
    )
    .await;
    let answer = app
        .get(&format!("/api/v1/experiments/{id}/logs/losses/points.csv"))
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.content_type.as_deref(),
        Some("text/csv; charset=utf-8")
    );
    let text = answer.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "series,step,value");
    assert_eq!(lines.len(), 1 + 25_000 + 2);
    assert_eq!(lines[1], "train,0,0");
    assert_eq!(lines[8], "train,7,");
    assert_eq!(lines[25_000], "train,24999,6249.75");
    assert_eq!(lines[25_001], "\"val, smoothed\",0,1");
}

#[tokio::test]
async fn a_block_topped_up_with_scattered_steps_reads_back_exactly() {
    let (app, id, _) = setup().await;
    // 1,000 counted steps (stored densely), then 100 scattered ones: the same block
    // takes them and changes layout.
    let mut steps: Vec<i64> = (0..1_000).collect();
    let mut values: Vec<Option<f64>> = (0..1_000).map(|i| Some(f64::from(i % 37))).collect();
    log_line(&app, id, "loss", json!(values.clone())).await;
    let scattered: Vec<i64> = (0..100).map(|i| 2_000 + i * 7).collect();
    let more: Vec<Option<f64>> = (0..100)
        .map(|i| (i % 9 != 0).then_some(-f64::from(i)))
        .collect();
    log_line(
        &app,
        id,
        "loss",
        json!({"steps": scattered, "values": more}),
    )
    .await;
    steps.extend(&scattered);
    values.extend(&more);
    assert_eq!(app.storage.count_rows("line_blocks").await, 1);
    let json = app
        .get(&format!(
            "/api/v1/experiments/{id}/logs/loss/points?width=50"
        ))
        .await
        .json();
    let series = &json["series"][0];
    assert_eq!(series["points_in_range"], 1_100);
    assert_eq!(
        answered_points(series),
        brute_force_m4(&steps, &values, 0, 2_693, 50)
    );
}

#[tokio::test]
async fn a_series_from_before_blocks_is_packed_on_its_first_reduced_read() {
    let app = TestApp::sqlite().await;
    let project = app.project("upgrade").await;
    let id = app.experiment(project, json!({"name": "old-run"})).await["id"]
        .as_i64()
        .expect("id");
    let (steps, values) = series(0x2545_f491_4f6c_dd1d, 9_000);
    log_line(&app, id, "loss", json!({"steps": steps, "values": values})).await;
    // What a database migrated from an older release holds: points, no blocks.
    let url = format!(
        "sqlite://{}",
        app.folder.path().join("db/trackboard.db").display()
    );
    let raw = sqlx::SqlitePool::connect(&url)
        .await
        .expect("the same file");
    sqlx::query("DELETE FROM line_blocks")
        .execute(&raw)
        .await
        .expect("delete");
    sqlx::query("UPDATE line_series SET blocked = 0")
        .execute(&raw)
        .await
        .expect("update");
    assert_eq!(app.storage.count_rows("line_blocks").await, 0);

    let uri = format!("/api/v1/experiments/{id}/logs/loss/points?width=40");
    let first = app.get(&uri).await.json();
    let (from, to) = (steps[0], steps[steps.len() - 1]);
    assert_eq!(
        answered_points(&first["series"][0]),
        brute_force_m4(&steps, &values, from, to, 40)
    );
    assert_eq!(
        app.storage.count_rows("line_blocks").await,
        3,
        "⌈9,000 / 4,096⌉ blocks"
    );
    let blocked: i64 = sqlx::query_scalar("SELECT blocked FROM line_series")
        .fetch_one(&raw)
        .await
        .expect("flag");
    assert_eq!(blocked, 1);

    // Appends keep the packed series whole.
    let more: Vec<i64> = (1..=500).map(|i| to + i * 2).collect();
    let more_values: Vec<Option<f64>> = (0..500).map(|i| Some(f64::from(i))).collect();
    log_line(
        &app,
        id,
        "loss",
        json!({"steps": more, "values": more_values}),
    )
    .await;
    let (mut all_steps, mut all_values) = (steps.clone(), values.clone());
    all_steps.extend(&more);
    all_values.extend(&more_values);
    let second = app.get(&uri).await.json();
    let last = all_steps[all_steps.len() - 1];
    assert_eq!(second["series"][0]["points_in_range"], 9_500);
    assert_eq!(
        answered_points(&second["series"][0]),
        brute_force_m4(&all_steps, &all_values, from, last, 40)
    );
}

async fn times_of(app: &TestApp, experiment: i64, name: &str) -> Value {
    app.get(&format!(
        "/api/v1/experiments/{experiment}/logs/{name}/times"
    ))
    .await
    .json()
}

#[tokio::test]
async fn wall_times_are_kept_per_point_or_stamped_on_arrival_and_rewound_with_the_points() {
    let (app, experiment, _) = setup().await;
    // The client's clock, one time per value; equal neighbours are kept once.
    let sent = json!({"name": "loss", "type": "LINE", "data": {"steps": [0, 5, 9, 12], "values": [4, 3, 2, 1]},
                      "wall_times": [1_700_000_000.25, 1_700_000_000.25, 1_700_000_007.5, 1_700_000_010.125]});
    let uri = format!("/api/v1/experiments/{experiment}/logs");
    assert_eq!(
        app.post(&uri, &sent.to_string()).await.status,
        StatusCode::CREATED
    );
    let times = times_of(&app, experiment, "loss").await;
    assert_eq!(times["series"][0]["steps"], json!([0, 9, 12]), "{times}");
    assert_eq!(
        times["series"][0]["times"],
        json!([1_700_000_000.25, 1_700_000_007.5, 1_700_000_010.125])
    );

    // Without times: the batch gets the server's arrival time at its first step.
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs_f64();
    log_line(&app, experiment, "loss", json!([0.5, 0.25])).await;
    let times = times_of(&app, experiment, "loss").await;
    assert_eq!(
        times["series"][0]["steps"],
        json!([0, 9, 12, 13]),
        "{times}"
    );
    let arrival = times["series"][0]["times"][3].as_f64().expect("time");
    assert!(
        arrival >= before - 1.0 && arrival < before + 60.0,
        "{arrival} vs {before}"
    );

    // Rewinding drops the times with the points.
    let rewound = app
        .post(
            &format!("/api/v1/experiments/{experiment}/logs/loss/rewind"),
            &json!({"from_step": 9}).to_string(),
        )
        .await;
    assert!(rewound.status.is_success(), "{}", rewound.text());
    assert_eq!(
        times_of(&app, experiment, "loss").await["series"][0]["steps"],
        json!([0])
    );

    // Bad times: refused naming the field, nothing stored.
    let cases = [
        (
            json!({"name": "loss", "type": "LINE", "data": [1, 2], "wall_times": [1.0]}),
            "wall_times",
        ),
        (
            json!({"name": "loss", "type": "LINE", "data": [1, 2], "wall_times": [1.0, -2.0]}),
            "wall_times[1]",
        ),
        (
            json!({"name": "loss", "type": "LINE", "data": {"a": [1], "b": [1, 2]}, "wall_times": [1.0]}),
            "wall_times",
        ),
        (
            json!({"name": "acc", "type": "VALUE", "data": 1, "wall_times": [1.0]}),
            "wall_times",
        ),
        (
            json!({"name": "loss", "type": "LINE", "data": [1], "wall_times": "soon"}),
            "wall_times",
        ),
    ];
    app.assert_each_refused(&uri, &cases).await;
    let points = app
        .get(&format!(
            "/api/v1/experiments/{experiment}/logs/loss/points"
        ))
        .await
        .json();
    assert_eq!(points["series"][0]["steps"], json!([0, 5]), "{points}");
    let missing = app
        .get(&format!(
            "/api/v1/experiments/{experiment}/logs/loss/times?series=nope"
        ))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}
