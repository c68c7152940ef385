//! MLflow's tracking REST API onto Trackboard's records: what a client logs is what the
//! native API shows, bad input is answered in MLflow's error shape with nothing stored.
//! (The real MLflow client runs against the real server in clients/mlflow/tests.)

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Answer, TestApp};
use serde_json::{json, Value};
use trackboard_api::TokenScope;

const API: &str = "/api/2.0/mlflow";

impl TestApp {
    async fn mlflow(&self, path: &str, body: Value) -> Answer {
        self.post(&format!("{API}/{path}"), &body.to_string()).await
    }

    async fn mlflow_get(&self, path_and_query: &str) -> Answer {
        self.get(&format!("{API}/{path_and_query}")).await
    }

    /// The whole history of metric `key` of a run, as `metrics/get-history` answers it.
    async fn metric_history(&self, run_id: &str, key: &str) -> Vec<Value> {
        let history = self
            .mlflow_get(&format!(
                "metrics/get-history?run_id={run_id}&metric_key={key}"
            ))
            .await
            .json();
        history["metrics"].as_array().expect("metrics").clone()
    }

    /// A new MLflow experiment and a run in it: (experiment id, run id).
    async fn mlflow_run(&self, experiment: &str, run_name: &str) -> (String, String) {
        let created = self
            .mlflow("experiments/create", json!({"name": experiment}))
            .await;
        let experiment_id = match created.status {
            StatusCode::OK => created.json()["experiment_id"]
                .as_str()
                .expect("id")
                .to_owned(),
            _ => self
                .mlflow_get(&format!(
                    "experiments/get-by-name?experiment_name={experiment}"
                ))
                .await
                .json()["experiment"]["experiment_id"]
                .as_str()
                .expect("id")
                .to_owned(),
        };
        let run = self
            .mlflow(
                "runs/create",
                json!({"experiment_id": experiment_id, "run_name": run_name, "start_time": 1_700_000_000_000_i64}),
            )
            .await;
        assert_eq!(run.status, StatusCode::OK, "{}", run.text());
        let run_id = run.json()["run"]["info"]["run_id"]
            .as_str()
            .expect("run id")
            .to_owned();
        (experiment_id, run_id)
    }
}

/// Asserts MLflow's error shape with this status and code.
fn assert_mlflow_error(answer: &Answer, status: StatusCode, code: &str) -> String {
    assert_eq!(answer.status, status, "{}", answer.text());
    let body = answer.json();
    assert_eq!(body["error_code"], code, "{body}");
    body["message"].as_str().expect("a message").to_owned()
}

fn experiment_of(run_id: &str) -> i64 {
    i64::from_str_radix(run_id, 16).expect("hex run id")
}

#[tokio::test]
async fn metrics_are_line_logs_and_history_keeps_every_value_in_order() {
    let app = TestApp::new().await;
    let (_, run_id) = app.mlflow_run("exp", "r").await;
    // Steps 0, 1, 1 (a repeat), 0 (out of order), 2; values exact to the bit.
    let values = [0.1 + 0.2, -0.21899245768679843, 1e-308, 5e-324, f64::MAX];
    let steps = [0, 1, 1, 0, 2];
    let metrics: Vec<Value> = values
        .iter()
        .zip(steps)
        .enumerate()
        .map(|(i, (value, step))| json!({"key": "loss", "value": value, "timestamp": 1000 + i, "step": step}))
        .collect();
    let answer = app
        .mlflow(
            "runs/log-batch",
            json!({"run_id": run_id, "metrics": metrics}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());

    let got: Vec<(i64, f64, i64)> = app
        .metric_history(&run_id, "loss")
        .await
        .iter()
        .map(|m| {
            (
                m["step"].as_i64().expect("step"),
                m["value"].as_f64().expect("value"),
                m["timestamp"].as_i64().expect("timestamp"),
            )
        })
        .collect();
    assert_eq!(got.len(), 5);
    for (i, (step, value, timestamp)) in got.iter().enumerate() {
        assert_eq!(*step, steps[i]);
        assert_eq!(value.to_bits(), values[i].to_bits(), "value {i}");
        assert_eq!(*timestamp, 1000 + i as i64);
    }

    // The chart's LINE log holds the first value at each new step: steps 0, 1, 2.
    let experiment_id = experiment_of(&run_id);
    let points = app
        .get(&format!(
            "/api/v1/experiments/{experiment_id}/logs/loss/points"
        ))
        .await;
    assert_eq!(points.status, StatusCode::OK, "{}", points.text());
    let series = &points.json()["series"][0];
    assert_eq!(series["name"], "loss");
    assert_eq!(series["steps"], json!([0, 1, 2]));
    let line: Vec<f64> = series["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|v| v.as_f64().expect("number"))
        .collect();
    assert_eq!(line[0].to_bits(), values[0].to_bits());
    assert_eq!(line[1].to_bits(), values[1].to_bits());
    assert_eq!(line[2].to_bits(), values[4].to_bits());

    // The run's latest value: the highest step.
    let run = app
        .mlflow_get(&format!("runs/get?run_id={run_id}"))
        .await
        .json();
    assert_eq!(
        run["run"]["data"]["metrics"][0]["value"].as_f64(),
        Some(f64::MAX)
    );

    // Paged history.
    let first = app
        .mlflow_get(&format!(
            "metrics/get-history?run_id={run_id}&metric_key=loss&max_results=2"
        ))
        .await
        .json();
    assert_eq!(first["metrics"].as_array().map(Vec::len), Some(2));
    let token = first["next_page_token"].as_str().expect("a next page");
    let rest = app
        .mlflow_get(&format!(
            "metrics/get-history?run_id={run_id}&metric_key=loss&page_token={token}"
        ))
        .await
        .json();
    assert_eq!(rest["metrics"].as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn params_are_the_parameters_table_and_cannot_change() {
    let app = TestApp::new().await;
    let (_, run_id) = app.mlflow_run("exp", "r").await;
    let ok = app
        .mlflow(
            "runs/log-batch",
            json!({"run_id": run_id, "params": [{"key": "lr", "value": "0.01"}], "tags": [{"key": "team", "value": "vision"}]}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    let experiment_id = experiment_of(&run_id);
    let table = app
        .get(&format!(
            "/api/v1/experiments/{experiment_id}/logs/parameters"
        ))
        .await
        .json();
    assert_eq!(table["data"]["lr"], "0.01", "{table}");
    let tags = app
        .get(&format!("/api/v1/experiments/{experiment_id}/logs/tags"))
        .await
        .json();
    assert_eq!(tags["data"]["team"], "vision", "{tags}");

    // Another value for lr, with a metric in the same batch: refused, nothing stored.
    let refused = app
        .mlflow(
            "runs/log-batch",
            json!({"run_id": run_id, "params": [{"key": "lr", "value": "0.1"}],
                   "metrics": [{"key": "acc", "value": 1.0, "timestamp": 1, "step": 0}]}),
        )
        .await;
    let message = assert_mlflow_error(&refused, StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE");
    assert!(
        message.contains("params[0]") && message.contains("lr"),
        "{message}"
    );
    let logs = app
        .get(&format!("/api/v1/experiments/{experiment_id}/logs"))
        .await
        .json();
    assert!(
        !logs["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|l| l["name"] == "acc"),
        "{logs}"
    );
    // The same value again is fine, as in MLflow.
    let same = app
        .mlflow(
            "runs/log-parameter",
            json!({"run_id": run_id, "key": "lr", "value": "0.01"}),
        )
        .await;
    assert_eq!(same.status, StatusCode::OK, "{}", same.text());
}

#[tokio::test]
async fn bad_input_is_refused_in_mlflow_shape_and_stores_nothing() {
    let app = TestApp::new().await;
    let (_, run_id) = app.mlflow_run("exp", "r").await;
    let experiment_id = experiment_of(&run_id);

    let duplicate = app
        .mlflow("experiments/create", json!({"name": "exp"}))
        .await;
    assert_mlflow_error(
        &duplicate,
        StatusCode::BAD_REQUEST,
        "RESOURCE_ALREADY_EXISTS",
    );

    let missing = app
        .mlflow_get(&format!("runs/get?run_id={}", "0".repeat(31) + "9"))
        .await;
    assert_mlflow_error(&missing, StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST");
    let foreign = app.mlflow_get("runs/get?run_id=not-a-run").await;
    assert_mlflow_error(&foreign, StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST");
    let no_experiment = app.mlflow_get("experiments/get?experiment_id=999").await;
    assert_mlflow_error(
        &no_experiment,
        StatusCode::NOT_FOUND,
        "RESOURCE_DOES_NOT_EXIST",
    );

    // A value of the wrong type is malformed, as MLflow says.
    let bad = app
        .mlflow(
            "runs/log-metric",
            json!({"run_id": run_id, "key": "loss", "value": "ten", "timestamp": 1, "step": 0}),
        )
        .await;
    assert_mlflow_error(&bad, StatusCode::BAD_REQUEST, "MALFORMED_REQUEST");
    let bad_key = app
        .mlflow(
            "runs/log-metric",
            json!({"run_id": run_id, "key": "../etc", "value": 1, "timestamp": 1, "step": 0}),
        )
        .await;
    assert_mlflow_error(&bad_key, StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE");

    let too_many: Vec<Value> = (0..1001)
        .map(|i| json!({"key": "loss", "value": 1.0, "timestamp": 1, "step": i}))
        .collect();
    let over = app
        .mlflow(
            "runs/log-batch",
            json!({"run_id": run_id, "metrics": too_many}),
        )
        .await;
    let message = assert_mlflow_error(&over, StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE");
    assert!(message.contains("1000"), "{message}");
    let params: Vec<Value> = (0..101)
        .map(|i| json!({"key": format!("p{i}"), "value": "1"}))
        .collect();
    let over = app
        .mlflow(
            "runs/log-batch",
            json!({"run_id": run_id, "params": params}),
        )
        .await;
    assert_mlflow_error(&over, StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE");

    let malformed = app
        .post(&format!("{API}/runs/log-batch"), "{\"run_id\": ")
        .await;
    assert_mlflow_error(&malformed, StatusCode::BAD_REQUEST, "MALFORMED_REQUEST");
    let bad_status = app
        .mlflow("runs/update", json!({"run_id": run_id, "status": "DONE"}))
        .await;
    assert_mlflow_error(
        &bad_status,
        StatusCode::BAD_REQUEST,
        "INVALID_PARAMETER_VALUE",
    );
    let bad_filter = app
        .mlflow(
            "runs/search",
            json!({"experiment_ids": ["1"], "filter": "metrics.acc >"}),
        )
        .await;
    assert_mlflow_error(
        &bad_filter,
        StatusCode::BAD_REQUEST,
        "INVALID_PARAMETER_VALUE",
    );

    let logs = app
        .get(&format!("/api/v1/experiments/{experiment_id}/logs"))
        .await
        .json();
    assert_eq!(logs["total"], 0, "nothing was stored: {logs}");
}

#[tokio::test]
async fn tokens_and_scopes_apply_unchanged() {
    let app = TestApp::new().await;
    let anonymous = app
        .request_as(
            None,
            Method::GET,
            &format!("{API}/experiments/get?experiment_id=0"),
            None,
        )
        .await;
    assert_mlflow_error(&anonymous, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
    let wrong_method = app.mlflow_get("runs/create").await;
    assert_mlflow_error(&wrong_method, StatusCode::NOT_FOUND, "ENDPOINT_NOT_FOUND");
    let unknown = app
        .request_as(
            None,
            Method::GET,
            "/ajax-api/2.0/mlflow/experiments/get?experiment_id=0",
            None,
        )
        .await;
    assert_mlflow_error(&unknown, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");

    let (experiment_id, run_id) = app.mlflow_run("exp", "r").await;
    let read = app.token(TokenScope::Read).await;
    let body =
        json!({"run_id": run_id, "key": "a", "value": 1, "timestamp": 1, "step": 0}).to_string();
    let refused = app
        .request_as(
            Some(&read),
            Method::POST,
            &format!("{API}/runs/log-metric"),
            Some(&body),
        )
        .await;
    assert_mlflow_error(&refused, StatusCode::FORBIDDEN, "PERMISSION_DENIED");
    let search = json!({"experiment_ids": [experiment_id]}).to_string();
    let allowed = app
        .request_as(
            Some(&read),
            Method::POST,
            &format!("{API}/runs/search"),
            Some(&search),
        )
        .await;
    assert_eq!(allowed.status, StatusCode::OK, "{}", allowed.text());
    let put = Request::builder()
        .method(Method::PUT)
        .uri(format!(
            "/api/2.0/mlflow-artifacts/artifacts/{experiment_id}/{run_id}/artifacts/a.txt"
        ))
        .header("authorization", format!("Bearer {read}"))
        .body(Body::from("x"))
        .expect("request");
    assert_mlflow_error(
        &app.send(put).await,
        StatusCode::FORBIDDEN,
        "PERMISSION_DENIED",
    );
}

#[tokio::test]
async fn runs_map_names_statuses_and_notes_onto_experiments() {
    let app = TestApp::new().await;
    let (experiment_id, first) = app.mlflow_run("exp", "same").await;
    let (_, second) = app.mlflow_run("exp", "same").await;
    let second_run = app
        .mlflow_get(&format!("runs/get?run_id={second}"))
        .await
        .json();
    assert_eq!(second_run["run"]["info"]["run_name"], "same (2)");

    let finished = app
        .mlflow(
            "runs/update",
            json!({"run_id": first, "status": "FINISHED", "end_time": 1_700_000_100_000_i64}),
        )
        .await;
    assert_eq!(finished.json()["run_info"]["status"], "FINISHED");
    assert_eq!(
        finished.json()["run_info"]["end_time"],
        1_700_000_100_000_i64
    );
    let note = app
        .mlflow(
            "runs/set-tag",
            json!({"run_id": first, "key": "mlflow.note.content", "value": "a note"}),
        )
        .await;
    assert_eq!(note.status, StatusCode::OK);
    let experiment = app
        .get(&format!("/api/v1/experiments/{}", experiment_of(&first)))
        .await
        .json();
    assert_eq!(experiment["status"], "success");
    assert_eq!(experiment["description"], "a note");
    assert_eq!(experiment["name"], "same");

    // search: filter and order.
    for (run, acc) in [(&first, 0.7), (&second, 0.9)] {
        app.mlflow(
            "runs/log-metric",
            json!({"run_id": run, "key": "acc", "value": acc, "timestamp": 1, "step": 0}),
        )
        .await;
    }
    let found = app
        .mlflow(
            "runs/search",
            json!({"experiment_ids": [experiment_id], "filter": "metrics.acc > 0.5 and attributes.status = 'RUNNING'"}),
        )
        .await
        .json();
    let names: Vec<&str> = found["runs"]
        .as_array()
        .expect("runs")
        .iter()
        .map(|r| r["info"]["run_name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["same (2)"]);
    let ordered = app
        .mlflow(
            "runs/search",
            json!({"experiment_ids": [experiment_id], "order_by": ["metrics.acc ASC"], "max_results": 1}),
        )
        .await
        .json();
    assert_eq!(ordered["runs"][0]["info"]["run_id"], first.as_str());
    assert_eq!(ordered["next_page_token"], "1");

    let deleted = app.mlflow("runs/delete", json!({"run_id": second})).await;
    assert_eq!(deleted.status, StatusCode::OK);
    let gone = app.mlflow_get(&format!("runs/get?run_id={second}")).await;
    assert_mlflow_error(&gone, StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST");
}

#[tokio::test]
async fn artifacts_are_run_artifacts_named_by_their_path() {
    let app = TestApp::new().await;
    let (experiment_id, run_id) = app.mlflow_run("exp", "r").await;
    let base = format!("/api/2.0/mlflow-artifacts/artifacts/{experiment_id}/{run_id}/artifacts");
    let put = |path: &str, bytes: &'static str| {
        Request::builder()
            .method(Method::PUT)
            .uri(format!("{base}/{path}"))
            .header("authorization", format!("Bearer {}", app.admin_secret))
            .header("content-type", "text/plain")
            .body(Body::from(bytes))
            .expect("request")
    };
    assert_eq!(
        app.send(put("dir/a.txt", "first")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.send(put("dir/a.txt", "second")).await.status,
        StatusCode::OK
    );
    assert_eq!(app.send(put("b.txt", "b")).await.status, StatusCode::OK);

    let download = app.get(&format!("{base}/dir/a.txt")).await;
    assert_eq!(download.text(), "second", "a PUT to the same path replaces");
    let listing = app
        .get(&format!(
            "/api/2.0/mlflow-artifacts/artifacts?path={experiment_id}/{run_id}/artifacts"
        ))
        .await
        .json();
    assert_eq!(
        listing["files"],
        json!([{"path": "b.txt", "is_dir": false, "file_size": 1}, {"path": "dir", "is_dir": true}])
    );
    let native = app
        .get(&format!(
            "/api/v1/experiments/{}/artifacts",
            experiment_of(&run_id)
        ))
        .await
        .json();
    assert_eq!(native["total"], 2, "{native}");
    assert_eq!(
        app.stored_files().await.len(),
        2,
        "the replaced file is deleted"
    );

    let traversal = app.send(put("../../x", "x")).await;
    assert_mlflow_error(
        &traversal,
        StatusCode::BAD_REQUEST,
        "INVALID_PARAMETER_VALUE",
    );
    let deleted = app
        .request(Method::DELETE, &format!("{base}/dir"), None)
        .await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(app.stored_files().await.len(), 1);
    let missing = app.get(&format!("{base}/dir/a.txt")).await;
    assert_mlflow_error(&missing, StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST");
}

#[tokio::test]
async fn unserved_endpoints_answer_mlflow_not_found() {
    let app = TestApp::new().await;
    let traces = app.post(&format!("{API}/traces"), "{}").await;
    assert_mlflow_error(&traces, StatusCode::NOT_FOUND, "ENDPOINT_NOT_FOUND");
    let anonymous = app
        .request_as(None, Method::POST, &format!("{API}/traces"), Some("{}"))
        .await;
    assert_mlflow_error(&anonymous, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
}

#[tokio::test]
async fn the_default_experiment_is_made_by_the_first_write_not_by_a_read() {
    let app = TestApp::new().await;
    let read = app.token(TokenScope::Read).await;
    let before = app
        .request_as(
            Some(&read),
            Method::GET,
            &format!("{API}/experiments/get?experiment_id=0"),
            None,
        )
        .await;
    assert_mlflow_error(&before, StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST");
    let none = app
        .request_as(
            Some(&read),
            Method::POST,
            &format!("{API}/runs/search"),
            Some(&json!({"experiment_ids": ["0"]}).to_string()),
        )
        .await;
    assert_eq!(none.json()["runs"], json!([]));
    assert_eq!(app.storage.count_rows("projects").await, 0);

    // A run without an experiment goes to MLflow's default one, "Default".
    let run = app.mlflow("runs/create", json!({"run_name": "r"})).await;
    assert_eq!(run.json()["run"]["info"]["experiment_id"], "0");
    let default = app
        .mlflow_get("experiments/get?experiment_id=0")
        .await
        .json();
    assert_eq!(default["experiment"]["name"], "Default");
    assert_eq!(default["experiment"]["experiment_id"], "0");
}

#[tokio::test]
async fn bulk_interval_thins_each_runs_history_between_steps() {
    let app = TestApp::new().await;
    let (_, first) = app.mlflow_run("exp", "a").await;
    let (_, second) = app.mlflow_run("exp", "b").await;
    for run in [&first, &second] {
        let metrics: Vec<Value> = (0..100)
            .map(|step| json!({"key": "loss", "value": step as f64 / 7.0, "timestamp": step, "step": step}))
            .collect();
        app.mlflow("runs/log-batch", json!({"run_id": run, "metrics": metrics}))
            .await;
    }
    let answer = app
        .mlflow_get(&format!(
            "metrics/get-history-bulk-interval?run_ids={first}&run_ids={second}&metric_key=loss&start_step=10&end_step=50&max_results=5"
        ))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let metrics = answer.json()["metrics"]
        .as_array()
        .expect("metrics")
        .clone();
    let steps: Vec<(String, i64)> = metrics
        .iter()
        .map(|m| {
            (
                m["run_id"].as_str().expect("run").to_owned(),
                m["step"].as_i64().expect("step"),
            )
        })
        .collect();
    let expected: Vec<(String, i64)> = [&first, &second]
        .iter()
        .flat_map(|run| [10, 20, 30, 40, 50].map(|step| (run.to_string(), step)))
        .collect();
    assert_eq!(steps, expected);
    assert_eq!(metrics[1]["value"].as_f64(), Some(20.0 / 7.0));

    for bad in [
        "metric_key=loss".to_owned(),
        format!("run_ids={first}&metric_key=loss&max_results=0"),
        format!("run_ids={first}&metric_key=loss&start_step=5&end_step=1"),
        format!("run_ids={first}&metric_key=loss&start_step=x"),
    ] {
        let refused = app
            .mlflow_get(&format!("metrics/get-history-bulk-interval?{bad}"))
            .await;
        assert_mlflow_error(&refused, StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE");
    }
}

#[tokio::test]
async fn multipart_uploads_become_one_artifact_in_part_order() {
    let app = TestApp::new().await;
    let (experiment_id, run_id) = app.mlflow_run("exp", "r").await;
    let folder = format!("{experiment_id}/{run_id}/artifacts/weights");
    let mpu = |action: &str| format!("/api/2.0/mlflow-artifacts/mpu/{action}/{folder}");
    // As a client sends it, with the Host the part URLs are built on.
    let create = |body: Value| {
        Request::builder()
            .method(Method::POST)
            .uri(mpu("create"))
            .header("host", "tracking.example:8080")
            .header("authorization", format!("Bearer {}", app.admin_secret))
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .expect("request")
    };
    let created = app
        .send(create(
            json!({"path": "/home/me/model.bin", "num_parts": 3}),
        ))
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text());
    let created = created.json();
    let upload_id = created["upload_id"].as_str().expect("upload id").to_owned();
    let credentials = created["credentials"]
        .as_array()
        .expect("credentials")
        .clone();
    assert_eq!(credentials.len(), 3);
    assert_eq!(
        credentials[1]["url"],
        format!("http://tracking.example:8080/api/2.0/mlflow-artifacts/mpu/part/{upload_id}/2")
    );
    assert_eq!(
        credentials[0]["headers"]["Authorization"],
        format!("Bearer {}", app.admin_secret)
    );
    let part = |number: usize, bytes: &'static [u8]| {
        let url = credentials[number - 1]["url"]
            .as_str()
            .expect("url")
            .to_owned();
        let path = url
            .split_once("/api/")
            .map(|(_, path)| format!("/api/{path}"))
            .expect("path");
        Request::builder()
            .method(Method::PUT)
            .uri(path)
            .header("authorization", format!("Bearer {}", app.admin_secret))
            .body(Body::from(bytes))
            .expect("request")
    };
    // Out of order, and part 2 sent twice: the second one counts.
    assert_eq!(app.send(part(3, b"-end")).await.status, StatusCode::OK);
    assert_eq!(
        app.send(part(2, b"-old-middle")).await.status,
        StatusCode::OK
    );
    let complete_body =
        json!({"path": "model.bin", "upload_id": upload_id, "parts": []}).to_string();
    let early = app.post(&mpu("complete"), &complete_body).await;
    let message = assert_mlflow_error(&early, StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE");
    assert!(message.contains("[2, 3]"), "{message}");
    assert_eq!(app.send(part(2, b"-middle")).await.status, StatusCode::OK);
    assert_eq!(app.send(part(1, b"start")).await.status, StatusCode::OK);
    let beyond = app.send({
        let mut request = part(1, b"x");
        *request.uri_mut() = format!("/api/2.0/mlflow-artifacts/mpu/part/{upload_id}/4")
            .parse()
            .expect("uri");
        request
    });
    assert_mlflow_error(
        &beyond.await,
        StatusCode::BAD_REQUEST,
        "INVALID_PARAMETER_VALUE",
    );

    let done = app.post(&mpu("complete"), &complete_body).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    let file = app
        .get(&format!(
            "/api/2.0/mlflow-artifacts/artifacts/{folder}/model.bin"
        ))
        .await;
    assert_eq!(file.text(), "start-middle-end");
    assert_eq!(app.stored_files().await.len(), 1, "the parts are deleted");
    let again = app.post(&mpu("complete"), &complete_body).await;
    assert_mlflow_error(&again, StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST");

    // An aborted upload leaves nothing behind.
    let other = upload_with_first_part(
        &app,
        create(json!({"path": "other.bin", "num_parts": 1})),
        "abandoned",
    )
    .await;
    assert_eq!(app.stored_files().await.len(), 2);
    let aborted = app
        .post(
            &mpu("abort"),
            &json!({"path": "other.bin", "upload_id": other}).to_string(),
        )
        .await;
    assert_eq!(aborted.status, StatusCode::OK);
    assert_eq!(app.stored_files().await.len(), 1);

    // Deleting the run deletes the parts of an upload it never finished.
    upload_with_first_part(
        &app,
        create(json!({"path": "left.bin", "num_parts": 2})),
        "half",
    )
    .await;
    assert_eq!(app.stored_files().await.len(), 2);
    let deleted = app.mlflow("runs/delete", json!({"run_id": run_id})).await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(app.stored_files().await.len(), 0);
    let (experiment_id, run_id) = app.mlflow_run("exp", "r2").await;
    let folder = format!("{experiment_id}/{run_id}/artifacts");
    let create = |body: Value| {
        Request::builder()
            .method(Method::POST)
            .uri(format!("/api/2.0/mlflow-artifacts/mpu/create/{folder}"))
            .header("host", "tracking.example:8080")
            .header("authorization", format!("Bearer {}", app.admin_secret))
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .expect("request")
    };
    for bad in [
        json!({"path": "x", "num_parts": 0}),
        json!({"path": "x", "num_parts": 10001}),
        json!({"path": "", "num_parts": 1}),
    ] {
        let refused = app.send(create(bad)).await;
        assert_mlflow_error(&refused, StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE");
    }
}

/// A part of a multipart upload, sent as MLflow's client sends it.
fn part_request(app: &TestApp, upload: &str, number: u32, bytes: &'static str) -> Request<Body> {
    Request::builder()
        .method(Method::PUT)
        .uri(format!(
            "/api/2.0/mlflow-artifacts/mpu/part/{upload}/{number}"
        ))
        .header("authorization", format!("Bearer {}", app.admin_secret))
        .body(Body::from(bytes))
        .expect("request")
}

/// Starts an upload and sends its first part; answers the upload's id.
async fn upload_with_first_part(
    app: &TestApp,
    create: Request<Body>,
    bytes: &'static str,
) -> String {
    let created = app.send(create).await.json();
    let id = created["upload_id"].as_str().expect("upload id").to_owned();
    let sent = app.send(part_request(app, &id, 1, bytes)).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text());
    id
}

#[tokio::test]
async fn an_imported_run_keeps_its_run_id_for_reads_writes_searches_and_artifacts() {
    let app = TestApp::new().await;
    let (experiment_id, _) = app.mlflow_run("imported", "first").await;
    let kept = "5f0c9d3e2b1a49788c6e0d1f2a3b4c5d";
    let create = |run_id: &str| {
        json!({"experiment_id": experiment_id, "run_name": "old", "run_id": run_id,
               "start_time": 1_600_000_000_000_i64})
    };
    let created = app.mlflow("runs/create", create(kept)).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text());
    let info = &created.json()["run"]["info"];
    assert_eq!(info["run_id"], kept);
    assert_eq!(info["run_uuid"], kept);
    assert_eq!(
        info["artifact_uri"],
        format!("mlflow-artifacts:/{experiment_id}/{kept}/artifacts")
    );

    let logged = app
        .mlflow(
            "runs/log-batch",
            json!({"run_id": kept, "metrics": [{"key": "loss", "value": 0.5, "timestamp": 7, "step": 3}]}),
        )
        .await;
    assert_eq!(logged.status, StatusCode::OK, "{}", logged.text());
    let got = app.mlflow_get(&format!("runs/get?run_id={kept}")).await;
    assert_eq!(got.json()["run"]["data"]["metrics"][0]["value"], 0.5);
    let native_id = app
        .mlflow_get(&format!("runs/get?run_id={kept}"))
        .await
        .json()["run"]["info"]["run_name"]
        .clone();
    assert_eq!(native_id, "old");
    let experiments = app
        .get(&format!("/api/v1/projects/{experiment_id}/experiments"))
        .await
        .json();
    let imported = experiments["items"]
        .as_array()
        .and_then(|items| items.iter().find(|e| e["name"] == "old"))
        .and_then(|e| e["id"].as_i64())
        .expect("the imported run's experiment");
    let times = app
        .get(&format!("/api/v1/experiments/{imported}/logs/loss/times"))
        .await
        .json();
    assert_eq!(
        times["series"][0]["times"],
        json!([0.007]),
        "an MLflow timestamp is the point's wall time: {times}"
    );
    let found = app
        .mlflow(
            "runs/search",
            json!({"experiment_ids": [experiment_id], "filter": format!("attributes.run_id = '{kept}'")}),
        )
        .await
        .json();
    assert_eq!(found["runs"].as_array().map(Vec::len), Some(1), "{found}");
    assert_eq!(found["runs"][0]["info"]["run_id"], kept);
    let upload = Request::builder()
        .method(Method::PUT)
        .uri(format!(
            "/api/2.0/mlflow-artifacts/artifacts/{experiment_id}/{kept}/artifacts/config.yaml"
        ))
        .header("authorization", format!("Bearer {}", app.admin_secret))
        .body(Body::from("lr: 0.1"))
        .expect("request");
    assert_eq!(app.send(upload).await.status, StatusCode::OK);

    // Taken, malformed, or one this server derives: refused, nothing stored.
    let runs_before = app
        .mlflow("runs/search", json!({"experiment_ids": [experiment_id]}))
        .await
        .json()["runs"]
        .as_array()
        .map(Vec::len);
    let taken = app.mlflow("runs/create", create(kept)).await;
    let message = assert_mlflow_error(&taken, StatusCode::BAD_REQUEST, "RESOURCE_ALREADY_EXISTS");
    assert!(message.contains(kept), "{message}");
    for bad in ["run/1", "-x", "0000000000000000000000000000002a"] {
        let refused = app.mlflow("runs/create", create(bad)).await;
        let message =
            assert_mlflow_error(&refused, StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE");
        assert!(message.contains("run_id"), "{message}");
    }
    let runs_after = app
        .mlflow("runs/search", json!({"experiment_ids": [experiment_id]}))
        .await
        .json()["runs"]
        .as_array()
        .map(Vec::len);
    assert_eq!(runs_before, runs_after, "a refused create stores no run");
}

#[tokio::test]
async fn a_metric_that_is_not_a_number_is_kept_as_mlflow_keeps_it() {
    let app = TestApp::new().await;
    let (_, run_id) = app.mlflow_run("diverging", "run").await;
    // A loss that diverged: logged from inside the loop, refused it would stop the loop.
    for (step, value) in [
        (0, json!(1.5)),
        (1, json!("NaN")),
        (2, json!("Infinity")),
        (3, json!("-Infinity")),
    ] {
        let logged = app
            .mlflow(
                "runs/log-metric",
                json!({"run_id": run_id, "key": "loss", "value": value, "timestamp": 10 + step, "step": step}),
            )
            .await;
        assert_eq!(logged.status, StatusCode::OK, "{}", logged.text());
    }
    // Come back as protobuf's JSON writes them (serde_json's null would read as 0).
    let values: Vec<Value> = app
        .metric_history(&run_id, "loss")
        .await
        .into_iter()
        .map(|metric| metric["value"].clone())
        .collect();
    assert_eq!(
        values,
        [
            json!(1.5),
            json!("NaN"),
            json!("Infinity"),
            json!("-Infinity")
        ]
    );
    let run = app
        .mlflow_get(&format!("runs/get?run_id={run_id}"))
        .await
        .json();
    assert_eq!(
        run["run"]["data"]["metrics"][0]["value"], "-Infinity",
        "{run}"
    );
    // The chart draws the finite value and a gap at each other step.
    let experiment_id = experiment_of(&run_id);
    let points = app
        .get(&format!(
            "/api/v1/experiments/{experiment_id}/logs/loss/points"
        ))
        .await
        .json();
    assert_eq!(points["series"][0]["steps"], json!([0, 1, 2, 3]));
    assert_eq!(
        points["series"][0]["values"],
        json!([1.5, null, null, null])
    );
}
