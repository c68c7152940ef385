//! A project's LINE log grouped by a parameter or tag (`GET /projects/{id}/line-groups`)
//! against the same bands computed here point by point: runs with two series, gaps,
//! sparse steps, a text value, runs without the field or the log, at widths finer and
//! coarser than the steps. Runs on SQLite, and on PostgreSQL when
//! `TRACKBOARD_TEST_POSTGRES_URL` is set.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use trackboard_api::{encode_component, LineGroups};

/// A run as logged: its `lr` (JSON, or none) and its points by series name.
struct Run {
    id: i64,
    lr: Option<Value>,
    series: BTreeMap<String, Vec<(i64, Option<f64>)>>,
}

/// xorshift64: the same runs on every run of the test.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

async fn logged_runs(app: &TestApp, project: i64) -> Vec<Run> {
    let lrs = [
        Some(json!(0.001)),
        Some(json!(0.01)),
        Some(json!("adam")),
        None,
        Some(json!(0.01)),
        Some(json!(0.001)),
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut runs = Vec::new();
    for (index, lr) in lrs.iter().cycle().take(18).enumerate() {
        let id = app
            .experiment(project, json!({"name": format!("run-{index}")}))
            .await["id"]
            .as_i64()
            .expect("id");
        if let Some(lr) = lr {
            let posted = app
                .post(
                    &format!("/api/v1/experiments/{id}/parameters"),
                    &json!({"lr": lr}).to_string(),
                )
                .await;
            assert!(posted.status.is_success(), "{}", posted.text());
        }
        let mut series = BTreeMap::new();
        if index % 7 != 6 {
            // Sparse steps for some runs, consecutive for the rest; a gap now and then.
            let len = 40 + (next(&mut state) % 160) as usize;
            let stride = if index % 3 == 0 { 3 } else { 1 };
            let steps: Vec<i64> = (0..len as i64).map(|i| 5 + i * stride).collect();
            let mut data = serde_json::Map::new();
            for name in ["train", "validation"] {
                let values: Vec<Option<f64>> = (0..len)
                    .map(|_| {
                        let draw = next(&mut state);
                        (!draw.is_multiple_of(23)).then(|| (draw % 10_007) as f64 / 997.0 - 3.0)
                    })
                    .collect();
                data.insert(name.to_owned(), json!(values));
                series.insert(
                    name.to_owned(),
                    steps.iter().copied().zip(values).collect::<Vec<_>>(),
                );
            }
            data.insert("steps".to_owned(), json!(steps));
            let logged = app
                .post(
                    &format!("/api/v1/experiments/{id}/logs"),
                    &json!({"name": "losses", "type": "LINE", "data": data}).to_string(),
                )
                .await;
            assert!(logged.status.is_success(), "{}", logged.text());
        }
        runs.push(Run {
            id,
            lr: lr.clone(),
            series,
        });
    }
    runs
}

/// The group label of a run's `lr`, as the server spells it.
fn label(lr: &Option<Value>) -> Option<String> {
    match lr {
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(text)) => Some(text.clone()),
        _ => None,
    }
}

/// One expected column: members' means, min, max, first and last step.
#[derive(Default)]
struct Expected {
    means: Vec<f64>,
    min: f64,
    max: f64,
    first: i64,
    last: i64,
}

/// A group's members and its columns by index.
type ExpectedGroup = (Vec<i64>, BTreeMap<i64, Expected>);

fn assert_bands(runs: &[Run], answer: &LineGroups, keep: impl Fn(&Run) -> bool) {
    let (from, to) = (answer.from.expect("from"), answer.to.expect("to"));
    let span = i128::from(to) - i128::from(from) + 1;
    let width = i128::from(answer.width);
    let mut expected: BTreeMap<(Option<String>, String), ExpectedGroup> = BTreeMap::new();
    for run in runs.iter().filter(|run| keep(run)) {
        for (name, points) in &run.series {
            let mut cells: BTreeMap<i64, (f64, u32, f64, f64, i64, i64)> = BTreeMap::new();
            for &(step, value) in points {
                let Some(value) = value.filter(|_| (from..=to).contains(&step)) else {
                    continue;
                };
                let column = ((i128::from(step) - i128::from(from)) * width / span) as i64;
                let cell = cells.entry(column).or_insert((
                    0.0,
                    0,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    step,
                    step,
                ));
                cell.0 += value;
                cell.1 += 1;
                cell.2 = cell.2.min(value);
                cell.3 = cell.3.max(value);
                cell.5 = step;
            }
            if cells.is_empty() {
                continue;
            }
            let group = expected.entry((label(&run.lr), name.clone())).or_default();
            group.0.push(run.id);
            for (column, (sum, count, min, max, first, last)) in cells {
                let at = group.1.entry(column).or_insert(Expected {
                    min: f64::INFINITY,
                    max: f64::NEG_INFINITY,
                    first: i64::MAX,
                    last: i64::MIN,
                    ..Expected::default()
                });
                at.means.push(sum / f64::from(count));
                at.min = at.min.min(min);
                at.max = at.max.max(max);
                at.first = at.first.min(first);
                at.last = at.last.max(last);
            }
        }
    }
    let got: Vec<(Option<String>, String)> = answer
        .groups
        .iter()
        .map(|g| (g.key.clone(), g.series.clone()))
        .collect();
    let mut wanted: Vec<(Option<String>, String)> = expected.keys().cloned().collect();
    // Numbers first in increasing order, then texts, then the runs without a value.
    wanted.sort_by_key(|(key, series)| {
        let number = key.as_deref().and_then(|k| k.parse::<f64>().ok());
        let rank = match (key, number) {
            (Some(_), Some(_)) => 0,
            (Some(_), None) => 1,
            (None, _) => 2,
        };
        (
            rank,
            number.map(|n| (n * 1e6) as i64),
            key.clone(),
            series.clone(),
        )
    });
    assert_eq!(got, wanted);
    for group in &answer.groups {
        let (ids, columns) = &expected[&(group.key.clone(), group.series.clone())];
        assert_eq!(&group.experiment_ids, ids, "{:?}", group.key);
        assert_eq!(group.first_step.len(), columns.len(), "{:?}", group.key);
        for (index, column) in columns.values().enumerate() {
            let n = column.means.len() as f64;
            let mean = column.means.iter().sum::<f64>() / n;
            let std = (column.means.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / n).sqrt();
            let mut sorted = column.means.clone();
            sorted.sort_by(f64::total_cmp);
            let median = if sorted.len() % 2 == 1 {
                sorted[sorted.len() / 2]
            } else {
                (sorted[sorted.len() / 2 - 1] + sorted[sorted.len() / 2]) / 2.0
            };
            let at = format!("{:?} {} column {index}", group.key, group.series);
            // The extremes are logged values: bit for bit.
            assert_eq!(group.min[index].to_bits(), column.min.to_bits(), "{at}");
            assert_eq!(group.max[index].to_bits(), column.max.to_bits(), "{at}");
            assert_eq!(group.first_step[index], column.first, "{at}");
            assert_eq!(group.last_step[index], column.last, "{at}");
            assert_eq!(group.members[index] as usize, column.means.len(), "{at}");
            assert_eq!(group.median[index], median, "{at}");
            assert!(
                (group.mean[index] - mean).abs() <= 1e-12 * mean.abs().max(1.0),
                "{at}"
            );
            assert!((group.std[index] - std).abs() <= 1e-9, "{at}");
            assert!(group.min[index] <= group.mean[index] && group.mean[index] <= group.max[index]);
        }
    }
}

async fn grouped(app: &TestApp, project: i64, query: &str) -> LineGroups {
    let answer = app
        .get(&format!("/api/v1/projects/{project}/line-groups?{query}"))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    serde_json::from_value(answer.json()).expect("LineGroups")
}

#[tokio::test]
async fn bands_equal_the_points_grouped_by_hand() {
    let app = TestApp::new().await;
    let project = app.project("sweep").await;
    let runs = logged_runs(&app, project).await;
    // Coarser than the steps (many a column), finer (at most one), and a range.
    for query in [
        "group_by=params.lr&width=7",
        "group_by=params.lr&log=losses&width=2000",
        "group_by=params.lr&width=50&from=40&to=300",
    ] {
        let answer = grouped(&app, project, query).await;
        assert_eq!(answer.log_name, "losses");
        assert_eq!(answer.line_logs, ["losses"]);
        assert_eq!(answer.runs, runs.len() as u64);
        assert_bands(&runs, &answer, |_| true);
    }
    // A filter narrows the runs grouped.
    let filter = encode_component("params.lr < 0.005");
    let answer = grouped(
        &app,
        project,
        &format!("group_by=params.lr&width=300&filter={filter}"),
    )
    .await;
    assert_eq!(answer.runs, 6);
    assert_bands(&runs, &answer, |run| run.lr == Some(json!(0.001)));
    assert_eq!(answer.groups.len(), 2, "one value, two series");
}

#[tokio::test]
async fn runs_group_by_a_tag() {
    let app = TestApp::new().await;
    let project = app.project("tagged").await;
    let runs = logged_runs(&app, project).await;
    for run in &runs {
        let team = if run.id % 2 == 0 { "vision" } else { "nlp" };
        let tagged = app
            .post(
                "/api/2.0/mlflow/runs/set-tag",
                &json!({"run_id": format!("{:032x}", run.id), "key": "team", "value": team})
                    .to_string(),
            )
            .await;
        assert!(tagged.status.is_success(), "{}", tagged.text());
    }
    let answer = grouped(&app, project, "group_by=tags.team&width=100").await;
    let keys: Vec<Option<&str>> = answer.groups.iter().map(|g| g.key.as_deref()).collect();
    assert_eq!(
        keys,
        [Some("nlp"), Some("nlp"), Some("vision"), Some("vision")]
    );
    for group in &answer.groups {
        let even = group.key.as_deref() == Some("vision");
        assert!(group.experiment_ids.iter().all(|id| (id % 2 == 0) == even));
    }
}

#[tokio::test]
async fn a_project_without_lines_or_matches_has_no_groups() {
    let app = TestApp::new().await;
    let project = app.project("empty").await;
    let answer = grouped(&app, project, "group_by=params.lr").await;
    assert_eq!((answer.log_name.as_str(), answer.runs), ("", 0));
    assert!(answer.groups.is_empty() && answer.from.is_none());
    logged_runs(&app, project).await;
    let none = encode_component("params.lr > 100");
    let answer = grouped(&app, project, &format!("group_by=params.lr&filter={none}")).await;
    assert_eq!(answer.runs, 0);
    assert!(answer.groups.is_empty() && answer.from.is_none());
}

#[tokio::test]
async fn bad_queries_are_refused_naming_the_field() {
    let app = TestApp::new().await;
    let project = app.project("refusals").await;
    let runs = logged_runs(&app, project).await;
    // A parameter with a value a run, over 28 runs: more groups than a chart draws.
    let mut ids: Vec<i64> = runs.iter().map(|run| run.id).collect();
    for index in 0..10 {
        let made = app
            .experiment(project, json!({"name": format!("extra-{index}")}))
            .await;
        ids.push(made["id"].as_i64().expect("id"));
    }
    for id in ids {
        let posted = app
            .post(
                &format!("/api/v1/experiments/{id}/parameters"),
                &json!({"seed": id}).to_string(),
            )
            .await;
        assert!(posted.status.is_success(), "{}", posted.text());
    }
    let base = format!("/api/v1/projects/{project}/line-groups");
    for (query, field) in [
        ("", "group_by"),
        ("group_by=", "group_by"),
        ("group_by=metrics.loss", "group_by"),
        ("group_by=status", "group_by"),
        ("group_by=params.", "group_by"),
        ("group_by=params.lr&log=nope", "log"),
        ("group_by=params.lr&filter=params.lr%20%3E", "filter"),
        ("group_by=params.lr&filter=bogus.x%20%3D%201", "filter"),
        ("group_by=params.lr&width=0", "width"),
        ("group_by=params.lr&width=10001", "width"),
        ("group_by=params.lr&from=9&to=3", "to"),
    ] {
        let answer = app.get(&format!("{base}?{query}")).await;
        let body = answer.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(body["error"]["details"]["field"], field, "{query}: {body}");
    }
    let answer = app.get(&format!("{base}?group_by=params.seed")).await;
    let body = answer.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(body["error"]["details"]["field"], "group_by");
    assert!(body["error"]["message"]
        .as_str()
        .expect("message")
        .contains("28"));
    let answer = app
        .get("/api/v1/projects/999999/line-groups?group_by=params.lr")
        .await;
    answer.assert_error(StatusCode::NOT_FOUND, "not_found");
}
