//! `trackboard-server snapshot`: what it writes reads back as the server answers (the
//! same points, counts and flags; bit for bit whenever the range is read raw), and
//! every refusal leaves the output directory as it was.

mod common;

use common::TestApp;
use serde_json::json;
use std::path::{Path, PathBuf};
use trackboard_series::snapshot::SnapshotIndex;
use trackboard_series::tile_file::decode_pack;
use trackboard_series::tiles::level_for;
use trackboard_series::Window;
use trackboard_server::snapshot::{self, Selection};

/// A stand-in for the built dashboard: the writer needs its index.html.
fn dashboard(folder: &Path) -> PathBuf {
    let dist = folder.join("dist");
    std::fs::create_dir_all(dist.join("assets")).expect("dist");
    std::fs::write(dist.join("index.html"), "<!doctype html>").expect("index");
    std::fs::write(dist.join("assets/app.wasm"), [0u8, 97, 115, 109]).expect("wasm");
    std::fs::write(dist.join("config.json"), "{\"api_base_url\": \"x\"}").expect("config");
    dist
}

/// An experiment with a dense LINE log (gaps, ties, 60,000 points) and a sparse one
/// starting at negative steps.
async fn logged_experiment(app: &TestApp) -> (i64, i64) {
    let project = app.project("snap").await;
    let experiment = app.experiment(project, json!({ "name": "run" })).await;
    let id = experiment["id"].as_i64().expect("id");
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let dense: Vec<serde_json::Value> = (0..60_000)
        .map(|_| match next() % 50 {
            0 => json!(null),
            1 | 2 => json!(0.25),
            r => json!((r as f64).mul_add(0.013, (next() % 1000) as f64 / 997.0)),
        })
        .collect();
    let mut step = -30_001i64;
    let (mut steps, mut values) = (Vec::new(), Vec::new());
    for _ in 0..20_000 {
        step += 1 + (next() % 9) as i64;
        steps.push(step);
        values.push((next() % 100_000) as f64 / 7.0);
    }
    for body in [
        json!({ "name": "dense", "type": "LINE", "data": dense }),
        json!({ "name": "sparse", "type": "LINE", "data": { "steps": steps, "values": values } }),
    ] {
        let answer = app
            .post(&format!("/api/v1/experiments/{id}/logs"), &body.to_string())
            .await;
        assert_eq!(answer.status.as_u16(), 201, "{}", answer.text());
    }
    (project, id)
}

/// Polls a future made of file reads (never pending) to its end.
fn finished<T>(future: impl std::future::Future<Output = T>) -> T {
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match std::pin::pin!(future).poll(&mut context) {
        std::task::Poll::Ready(answer) => answer,
        std::task::Poll::Pending => panic!("a file read waited"),
    }
}

#[tokio::test]
async fn a_snapshot_reads_back_what_the_server_answers() {
    let app = TestApp::new().await;
    let (_, id) = logged_experiment(&app).await;
    let out = app.folder.path().join("site");
    let written = snapshot::write(
        &app.storage,
        &app.objects,
        &dashboard(app.folder.path()),
        &Selection::Experiments(vec![id, id]),
        &out,
    )
    .await
    .expect("written");
    assert_eq!(
        (written.experiments, written.series, written.points),
        (1, 2, 80_000)
    );
    assert!(
        out.join("assets/app.wasm").is_file(),
        "the dashboard is copied"
    );
    let config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("config.json")).expect("config"))
            .expect("json");
    assert_eq!(
        config,
        json!({ "snapshot": "snapshot/index.json" }),
        "the old config is not copied"
    );
    let index: SnapshotIndex =
        serde_json::from_slice(&std::fs::read(out.join("snapshot/index.json")).expect("index"))
            .expect("valid");
    assert_eq!(index.view_path, format!("/compare?ids={id}"));
    assert_eq!(index.compared.experiments[0].logs.len(), 2);

    let mut compared_raw = 0;
    for line in &index.lines {
        let rows = app
            .storage
            .line_series_by_experiment(&[id], &line.log_name)
            .await
            .expect("series");
        let (_, row) = &rows[0];
        assert_eq!(line.series.len(), 1);
        let (first, last) = (row.first_step.expect("first"), row.last_step.expect("last"));
        let span = last - first;
        let ranges = [
            (first, last, 1_000),
            (first, last, 37),
            (first + span / 5, last - span / 3, 700),
            (first + span / 2, first + span / 2 + 3_000, 900),
            (first + 17, first + 900, 1_200),
            (first - 50, first + 5, 10),
            (last + 1, last + 1_000, 100),
        ];
        for (from, to, width) in ranges {
            let live = app
                .storage
                .reduce_series(row, Window::new(from, to, width))
                .await
                .expect("live");
            let tiles = finished(line.read(&[0], Window::new(from, to, width), |path| {
                let bytes = std::fs::read(out.join("snapshot").join(&path));
                async move {
                    bytes
                        .map_err(|error| format!("{path}: {error}"))
                        .and_then(|bytes| decode_pack(&bytes))
                }
            }))
            .expect("tiles read")
            .pop()
            .expect("one series");
            let case = format!("{} {from}..={to} at {width}", line.log_name);
            assert_eq!(tiles.count, live.count, "{case}: count");
            assert_eq!(tiles.reduced, live.reduced, "{case}: reduced");
            let bits = |values: &[Option<f64>]| -> Vec<Option<u64>> {
                values.iter().map(|v| v.map(f64::to_bits)).collect()
            };
            if !live.reduced || level_for(Window::new(from, to, width), &line.level_numbers()) == 0
            {
                compared_raw += 1;
                assert_eq!(tiles.steps, live.steps, "{case}: steps");
                assert_eq!(
                    bits(&tiles.values),
                    bits(&live.values),
                    "{case}: values bit for bit"
                );
            } else {
                assert!(
                    tiles.steps.windows(2).all(|w| w[0] < w[1]),
                    "{case}: increasing"
                );
                assert!(!tiles.steps.is_empty(), "{case}: drawn");
            }
        }
    }
    assert!(
        compared_raw >= 6,
        "raw ranges compared exactly: {compared_raw}"
    );
}

#[tokio::test]
async fn refusals_write_nothing() {
    let app = TestApp::new().await;
    let (project, id) = logged_experiment(&app).await;
    let dist = dashboard(app.folder.path());
    let write = |selection: Selection, out: PathBuf, dist: PathBuf| {
        let app = &app;
        async move { snapshot::write(&app.storage, &app.objects, &dist, &selection, &out).await }
    };

    let busy = app.folder.path().join("busy");
    std::fs::create_dir_all(&busy).expect("dir");
    std::fs::write(busy.join("keep.txt"), "mine").expect("file");
    let refused = write(Selection::Experiments(vec![id]), busy.clone(), dist.clone()).await;
    assert!(refused
        .expect_err("refused")
        .to_string()
        .contains("is not empty"));
    assert_eq!(
        std::fs::read_dir(&busy).expect("dir").count(),
        1,
        "nothing added"
    );
    assert_eq!(
        std::fs::read_to_string(busy.join("keep.txt")).expect("kept"),
        "mine"
    );

    let fresh = app.folder.path().join("fresh");
    for (selection, dist, says) in [
        (
            Selection::Experiments(vec![id, 999]),
            dist.clone(),
            "no experiment with id 999",
        ),
        (
            Selection::Experiments(vec![]),
            dist.clone(),
            "no experiment to compare",
        ),
        (
            Selection::Project(424_242),
            dist.clone(),
            "no project with id 424242",
        ),
        (
            Selection::View("nosuchview".into()),
            dist.clone(),
            "no saved view",
        ),
        (
            Selection::Experiments(vec![id]),
            app.folder.path().join("nodist"),
            "no built dashboard",
        ),
    ] {
        let error = write(selection.clone(), fresh.clone(), dist)
            .await
            .expect_err("refused");
        assert!(error.to_string().contains(says), "{selection:?}: {error}");
        assert!(!fresh.exists(), "{selection:?}: nothing written");
    }

    // A saved project table is not a comparison.
    let saved = app
        .post(
            &format!("/api/v1/projects/{project}/views"),
            &json!({ "name": "table", "path": format!("/projects/{project}?sort=name") })
                .to_string(),
        )
        .await;
    assert_eq!(saved.status.as_u16(), 201, "{}", saved.text());
    let view = saved.json()["id"].as_str().expect("id").to_owned();
    let error = write(Selection::View(view), fresh.clone(), dist)
        .await
        .expect_err("refused");
    assert!(error.to_string().contains("is not a comparison"), "{error}");
    assert!(!fresh.exists());
}

#[tokio::test]
async fn a_saved_comparison_keeps_its_name_and_state() {
    let app = TestApp::new().await;
    let (project, id) = logged_experiment(&app).await;
    let other = app.experiment(project, json!({ "name": "other" })).await["id"]
        .as_i64()
        .expect("id");
    let path = format!("/compare?ids={other},{id}&log=sparse&from=-100&to=900&smooth=0.5");
    let saved = app
        .post(
            &format!("/api/v1/projects/{project}/views"),
            &json!({ "name": "weekly review", "path": path }).to_string(),
        )
        .await;
    assert_eq!(saved.status.as_u16(), 201, "{}", saved.text());
    let view = saved.json()["id"].as_str().expect("id").to_owned();
    let out = app.folder.path().join("site");
    let written = snapshot::write(
        &app.storage,
        &app.objects,
        &dashboard(app.folder.path()),
        &Selection::View(view),
        &out,
    )
    .await
    .expect("written");
    assert_eq!(written.experiments, 2);
    let index: SnapshotIndex =
        serde_json::from_slice(&std::fs::read(out.join("snapshot/index.json")).expect("index"))
            .expect("valid");
    assert_eq!(index.title, "weekly review");
    assert_eq!(index.view_path, path, "the view's whole state");
    let order: Vec<i64> = index
        .compared
        .experiments
        .iter()
        .map(|entry| entry.experiment.id)
        .collect();
    assert_eq!(order, [other, id], "in the view's order");
    let names: Vec<&str> = index
        .lines
        .iter()
        .map(|line| line.log_name.as_str())
        .collect();
    assert_eq!(names, ["dense", "sparse"]);
    assert!(
        index.lines.iter().all(|line| line.series.len() == 1),
        "the empty experiment has no series"
    );
}
