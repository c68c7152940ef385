//! Two server processes over one Postgres database, as replicas behind a load balancer
//! would be: what one writes the other reads at once, and concurrent writes through
//! both lose nothing and number nothing twice. Needs `TRACKBOARD_TEST_POSTGRES_URL`;
//! `scripts/test.sh` runs these with a throwaway Postgres (`scripts/with_postgres.sh`)
//! and a throwaway S3 server (`scripts/with_s3.sh`) holding the replicas' files.

mod common;

use common::process::{http, http_typed, start_with, Server};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const NEEDS_POSTGRES: &str = "needs TRACKBOARD_TEST_POSTGRES_URL (scripts/with_postgres.sh)";

/// Two replicas over one fresh Postgres database and one shared artifact folder; the
/// admin token the first one printed.
fn two_replicas(folder: &std::path::Path) -> (Server, Server, String) {
    let server = common::postgres_server_url().expect(NEEDS_POSTGRES);
    let database = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(common::fresh_postgres_database(&server));
    // One after the other: the first start migrates and prints the first admin token.
    let first = start_with(folder, &database);
    let second = start_with(folder, &database);
    let token = first.first_token();
    (first, second, token)
}

fn json_of(server: &Server, token: &str, method: &str, path: &str, body: &str) -> (u16, Value) {
    let (status, answer) = http(&server.address, token, method, path, body).expect("request");
    let json = serde_json::from_str(&answer).unwrap_or(Value::Null);
    (status, json)
}

#[test]
#[ignore = "needs TRACKBOARD_TEST_POSTGRES_URL (scripts/with_postgres.sh)"]
fn what_one_replica_writes_the_other_reads_at_once() {
    let folder = tempfile::tempdir().expect("folder");
    let (one, two, token) = two_replicas(folder.path());
    let experiment = one.experiment(&token);

    let (status, _) = json_of(
        &one,
        &token,
        "POST",
        &format!("/api/v1/experiments/{experiment}/logs"),
        &json!({"name": "accuracy", "type": "VALUE", "data": 0.93}).to_string(),
    );
    assert_eq!(status, 201);
    let (status, log) = json_of(
        &two,
        &token,
        "GET",
        &format!("/api/v1/experiments/{experiment}/logs/accuracy"),
        "",
    );
    assert_eq!(status, 200, "{log}");
    assert_eq!(log["data"], json!(0.93));

    // An update through the second is what the first answers next.
    let (status, _) = json_of(
        &two,
        &token,
        "PATCH",
        &format!("/api/v1/experiments/{experiment}"),
        r#"{"description":"tuned on replica two"}"#,
    );
    assert_eq!(status, 200);
    let (_, read) = json_of(
        &one,
        &token,
        "GET",
        &format!("/api/v1/experiments/{experiment}"),
        "",
    );
    assert_eq!(read["description"], "tuned on replica two");

    // A file uploaded through one downloads through the other (one shared store).
    let weights = "weights of replica one\n".repeat(1_000);
    let body = common::multipart_body(&[
        common::Part::text("name", "weights"),
        common::Part::file("w.txt", "text/plain", weights.as_bytes()),
    ]);
    let (status, uploaded) = http_typed(
        &one.address,
        &token,
        "POST",
        &format!("/api/v1/experiments/{experiment}/artifacts"),
        &format!("multipart/form-data; boundary={}", common::BOUNDARY),
        &body,
    )
    .expect("upload");
    assert_eq!(status, 201, "{uploaded}");
    let artifact = serde_json::from_str::<Value>(&uploaded).expect("json")["id"]
        .as_i64()
        .expect("id");
    let (status, downloaded) = http(
        &two.address,
        &token,
        "GET",
        &format!("/api/v1/artifacts/{artifact}/download"),
        "",
    )
    .expect("download");
    assert_eq!(status, 200);
    assert_eq!(downloaded, weights);

    // A token made through one signs in through the other.
    let (status, created) = json_of(
        &one,
        &token,
        "POST",
        "/api/v1/tokens",
        r#"{"name":"ci","scope":"read"}"#,
    );
    assert_eq!(status, 201, "{created}");
    let secret = created["secret"].as_str().expect("secret");
    let (status, _) = json_of(&two, secret, "GET", "/api/v1/projects", "");
    assert_eq!(status, 200);
}

#[test]
#[ignore = "needs TRACKBOARD_TEST_POSTGRES_URL (scripts/with_postgres.sh)"]
fn appends_through_both_replicas_lose_nothing() {
    const WRITERS: usize = 6;
    const BATCHES: usize = 10;
    const POINTS: usize = 500;
    let folder = tempfile::tempdir().expect("folder");
    let (one, two, token) = two_replicas(folder.path());
    let experiment = one.experiment(&token);
    let path = format!("/api/v1/experiments/{experiment}/logs");
    let addresses = [one.address.clone(), two.address.clone()];

    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let (address, token, path) =
                (addresses[writer % 2].clone(), token.clone(), path.clone());
            std::thread::spawn(move || {
                for batch in 0..BATCHES {
                    // Each value names its writer and its place.
                    let values: Vec<f64> = (0..POINTS)
                        .map(|i| (writer * 1_000_000 + batch * POINTS + i) as f64)
                        .collect();
                    let body = json!({"name": "loss", "type": "LINE", "data": values}).to_string();
                    let (status, answer) =
                        http(&address, &token, "POST", &path, &body).expect("request");
                    assert!([200, 201].contains(&status), "{status}: {answer}");
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().expect("writer");
    }

    let (status, csv) = http(
        &two.address,
        &token,
        "GET",
        &format!("/api/v1/experiments/{experiment}/logs/loss/points.csv"),
        "",
    )
    .expect("request");
    assert_eq!(status, 200);
    common::assert_concurrent_appends_intact(&csv, WRITERS, BATCHES * POINTS);
}

#[test]
#[ignore = "needs TRACKBOARD_TEST_POSTGRES_URL (scripts/with_postgres.sh)"]
fn exports_through_both_replicas_get_distinct_versions() {
    const EXPORTS: usize = 8;
    let folder = tempfile::tempdir().expect("folder");
    let (one, two, token) = two_replicas(folder.path());
    let experiment = one.experiment(&token);
    let path = format!("/api/v1/experiments/{experiment}/export");
    let (status, first) = json_of(
        &one,
        &token,
        "POST",
        &path,
        r#"{"model":{"name":"racer","type":"other"}}"#,
    );
    assert_eq!(status, 201, "{first}");
    let model = first["model_id"].as_i64().expect("model id");

    let addresses = [one.address.clone(), two.address.clone()];
    let exports: Vec<_> = (0..EXPORTS)
        .map(|index| {
            let (address, token, path) =
                (addresses[index % 2].clone(), token.clone(), path.clone());
            std::thread::spawn(move || {
                let body = json!({"model_id": model}).to_string();
                let (status, answer) =
                    http(&address, &token, "POST", &path, &body).expect("request");
                assert_eq!(status, 201, "{answer}");
                serde_json::from_str::<Value>(&answer).expect("json")["version"]
                    .as_i64()
                    .expect("version")
            })
        })
        .collect();
    let versions: BTreeSet<i64> = exports
        .into_iter()
        .map(|export| export.join().expect("export"))
        .collect();
    assert_eq!(versions, (2..=EXPORTS as i64 + 1).collect::<BTreeSet<_>>());
    let (_, read) = json_of(&two, &token, "GET", &format!("/api/v1/models/{model}"), "");
    assert_eq!(read["version_count"], EXPORTS as i64 + 1);
}

/// A dataset version (cat, dog), `assets` evaluated assets and an experiment it is
/// attached to, made through `server`; answers the experiment's id.
fn evaluated_experiment(server: &Server, token: &str, assets: usize) -> i64 {
    let created = |path: &str, body: Value| -> i64 {
        let (status, answer) = json_of(server, token, "POST", path, &body.to_string());
        assert!(status == 201 || status == 200, "{path}: {status} {answer}");
        answer["id"].as_i64().unwrap_or_default()
    };
    let dataset = created("/api/v1/datasets", json!({"name": "pets"}));
    let version = created(
        &format!("/api/v1/datasets/{dataset}/versions"),
        json!({"version": "v1", "labels": ["cat", "dog"]}),
    );
    let experiment = server.experiment(token);
    created(
        &format!("/api/v1/experiments/{experiment}/datasets"),
        json!({"alias": "eval", "dataset_version_id": version}),
    );
    let image = trackboard_server::demo::png::encode_rgb(40, 30, &[90; 40 * 30 * 3]);
    for index in 0..assets {
        let truth = json!({"rectangles": [{"x": 2, "y": 3, "width": 10, "height": 8, "label": "cat"},
                                          {"x": 20, "y": 10, "width": 9, "height": 9, "label": "dog"}]});
        let body = common::multipart_body(&[
            common::Part::file(&format!("frame-{index}.png"), "image/png", &image),
            common::Part::text("annotations", &truth.to_string()),
        ]);
        let (status, answer) = http_typed(
            &server.address,
            token,
            "POST",
            &format!("/api/v1/dataset-versions/{version}/assets"),
            &format!("multipart/form-data; boundary={}", common::BOUNDARY),
            &body,
        )
        .expect("upload");
        assert_eq!(status, 201, "{answer}");
        let asset: i64 = serde_json::from_str::<Value>(&answer).expect("json")["id"]
            .as_i64()
            .expect("id");
        created(
            &format!("/api/v1/experiments/{experiment}/evaluations"),
            json!({"asset_id": asset, "rectangles": [
                {"x": 2, "y": 3, "width": 10, "height": 8, "label": "cat", "score": 0.9},
                {"x": 21, "y": 10, "width": 9, "height": 9, "label": "dog", "score": 0.8}]}),
        );
    }
    experiment
}

#[test]
#[ignore = "needs TRACKBOARD_TEST_POSTGRES_URL (scripts/with_postgres.sh)"]
fn a_metrics_job_whose_replica_is_killed_finishes_on_the_other() {
    use sqlx::Connection;
    let folder = tempfile::tempdir().expect("folder");
    let server = common::postgres_server_url().expect(NEEDS_POSTGRES);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let database = runtime.block_on(common::fresh_postgres_database(&server));
    let lease = [("TRACKBOARD_JOB_LEASE_SECONDS", "3")];
    let mut one = common::process::start_with_env(folder.path(), &database, &lease);
    let two = common::process::start_with_env(folder.path(), &database, &lease);
    let token = one.first_token();
    let experiment = evaluated_experiment(&two, &token, 12);

    // Replica one's job can compute but not finish: its last write (the EVALUATION log)
    // waits on a lock this test holds on `logs`; then replica one is killed mid-job.
    let mut blocker = runtime
        .block_on(sqlx::AnyConnection::connect(&database))
        .expect("a connection");
    runtime
        .block_on(sqlx::query("BEGIN").execute(&mut blocker))
        .expect("begin");
    runtime
        .block_on(sqlx::query("LOCK TABLE logs IN EXCLUSIVE MODE").execute(&mut blocker))
        .expect("lock");
    let (status, job) = json_of(
        &one,
        &token,
        "POST",
        &format!("/api/v1/experiments/{experiment}/evaluation-metrics"),
        r#"{"inference_type":"object_detection"}"#,
    );
    assert_eq!(status, 202, "{job}");
    let job_id = job["id"].as_i64().expect("id");
    std::thread::sleep(std::time::Duration::from_millis(1_500));
    let (_, running) = json_of(
        &two,
        &token,
        "GET",
        &format!("/api/v1/metric-jobs/{job_id}"),
        "",
    );
    assert_eq!(running["status"], "running", "held by the lock: {running}");
    one.child.kill().expect("SIGKILL replica one");
    one.child.wait().expect("replica one is gone");
    runtime
        .block_on(sqlx::query("ROLLBACK").execute(&mut blocker))
        .expect("unlock");

    // Replica two takes the job over once the lease runs out (3 s), and finishes it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let finished = loop {
        let (_, state) = json_of(
            &two,
            &token,
            "GET",
            &format!("/api/v1/metric-jobs/{job_id}"),
            "",
        );
        if state["status"] != "running" {
            break state;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still running: {state}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert_eq!(finished["status"], "success", "{finished}");
    let (status, log) = json_of(
        &two,
        &token,
        "GET",
        &format!("/api/v1/experiments/{experiment}/logs/evaluation%2Fobject_detection"),
        "",
    );
    assert_eq!(status, 200, "{log}");
    assert_eq!(log["data"]["assets"], 12);
    assert_eq!(log["data"]["labels"], json!(["cat", "dog"]));
}
