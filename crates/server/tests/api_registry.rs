//! Datasets attached to experiments, exports into the model registry, live job logs.

mod common;

use axum::http::StatusCode;
use common::{Part, TestApp};
use serde_json::json;

async fn setup() -> (TestApp, i64) {
    let app = TestApp::new().await;
    let project = app.project("vision").await;
    let experiment = app.experiment(project, json!({"name": "run-1"})).await;
    (app, experiment["id"].as_i64().expect("id"))
}

fn field(answer: &common::Answer, status: StatusCode, code: &str) -> String {
    answer.assert_error(status, code)["error"]["details"]["field"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn dataset_version(app: &TestApp) -> i64 {
    let dataset = app
        .post(
            "/api/v1/datasets",
            r#"{"name":"street-scenes","description":"city streets"}"#,
        )
        .await;
    assert_eq!(dataset.status, StatusCode::CREATED, "{}", dataset.text());
    let id = dataset.json()["id"].as_i64().expect("id");
    let version = app
        .post(
            &format!("/api/v1/datasets/{id}/versions"),
            r#"{"version":"v1","asset_count":1200,"labels":["car","person"]}"#,
        )
        .await;
    assert_eq!(version.status, StatusCode::CREATED, "{}", version.text());
    version.json()["id"].as_i64().expect("id")
}

#[tokio::test]
async fn datasets_have_versions_and_refuse_duplicates() {
    let (app, _) = setup().await;
    let version = dataset_version(&app).await;
    let read = app
        .get(&format!("/api/v1/dataset-versions/{version}"))
        .await
        .json();
    assert_eq!(read["dataset_name"], "street-scenes");
    assert_eq!(read["labels"], json!(["car", "person"]));
    let listed = app.get("/api/v1/datasets").await.json();
    assert_eq!(listed["items"][0]["version_count"], 1);

    let taken = app
        .post("/api/v1/datasets", r#"{"name":"street-scenes"}"#)
        .await;
    assert_eq!(field(&taken, StatusCode::CONFLICT, "conflict"), "name");
    let dataset_id = read["dataset_id"].as_i64().expect("id");
    let again = app
        .post(
            &format!("/api/v1/datasets/{dataset_id}/versions"),
            r#"{"version":"v1"}"#,
        )
        .await;
    assert_eq!(field(&again, StatusCode::CONFLICT, "conflict"), "version");
    let bad = app
        .post(
            &format!("/api/v1/datasets/{dataset_id}/versions"),
            r#"{"version":"v2","labels":["ok",""]}"#,
        )
        .await;
    assert_eq!(
        field(&bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        "labels[1]"
    );
    let bad = app
        .post(
            &format!("/api/v1/datasets/{dataset_id}/versions"),
            r#"{"version":"v2","asset_count":-1}"#,
        )
        .await;
    assert_eq!(
        field(&bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        "asset_count"
    );
    app.post("/api/v1/datasets/999/versions", r#"{"version":"v1"}"#)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        app.get(&format!("/api/v1/datasets/{dataset_id}/versions"))
            .await
            .json()["total"],
        1
    );
}

#[tokio::test]
async fn versions_attach_under_an_alias_once_and_detach() {
    let (app, id) = setup().await;
    let version = dataset_version(&app).await;
    let uri = format!("/api/v1/experiments/{id}/datasets");
    let attached = app
        .post(
            &uri,
            &json!({"alias": "training", "dataset_version_id": version}).to_string(),
        )
        .await;
    assert_eq!(attached.status, StatusCode::CREATED, "{}", attached.text());
    assert_eq!(attached.json()[0]["alias"], "training");
    assert_eq!(attached.json()[0]["version"]["version"], "v1");

    let again = app
        .post(
            &uri,
            &json!({"alias": "training", "dataset_version_id": version}).to_string(),
        )
        .await;
    assert_eq!(field(&again, StatusCode::CONFLICT, "conflict"), "alias");
    let missing = app
        .post(
            &uri,
            &json!({"alias": "validation", "dataset_version_id": 999}).to_string(),
        )
        .await;
    missing.assert_error(StatusCode::NOT_FOUND, "not_found");
    let bad = app
        .post(
            &uri,
            &json!({"alias": "", "dataset_version_id": version}).to_string(),
        )
        .await;
    assert_eq!(
        field(&bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        "alias"
    );
    assert_eq!(app.get(&uri).await.json().as_array().map(Vec::len), Some(1));

    assert_eq!(
        app.delete(&format!("{uri}/training")).await.status,
        StatusCode::NO_CONTENT
    );
    app.delete(&format!("{uri}/training"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(app.get(&uri).await.json(), json!([]));
}

#[tokio::test]
async fn exports_number_versions_and_copy_labels_parameters_and_files() {
    let (app, id) = setup().await;
    app.post(
        &format!("/api/v1/experiments/{id}/logs"),
        r#"{"name":"labelmap","type":"LABELMAP","data":{"1":"car","2":"person"}}"#,
    )
    .await;
    app.post(
        &format!("/api/v1/experiments/{id}/parameters"),
        r#"{"lr":0.01,"epochs":30}"#,
    )
    .await;
    app.post_multipart(
        &format!("/api/v1/experiments/{id}/artifacts"),
        &[
            Part::text("name", "weights"),
            Part::file("best.pt", "application/octet-stream", b"weights"),
        ],
    )
    .await;

    let uri = format!("/api/v1/experiments/{id}/export");
    let first = app.post(&uri, r#"{"model":{"name":"street-detector","type":"detection","framework":"pytorch","tags":["city"]}}"#).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let first = first.json();
    assert_eq!(first["version"], 1);
    assert_eq!(first["model_name"], "street-detector");
    assert_eq!(first["labelmap"], json!({"1": "car", "2": "person"}));
    assert_eq!(first["parameters"]["epochs"], 30);
    assert_eq!(first["files"][0]["name"], "weights");
    let model_id = first["model_id"].as_i64().expect("id");

    let second = app
        .post(&uri, &json!({"model_id": model_id}).to_string())
        .await;
    assert_eq!(second.json()["version"], 2);
    let model = app.get(&format!("/api/v1/models/{model_id}")).await.json();
    assert_eq!(model["version_count"], 2);
    assert_eq!(model["type"], "detection");
    assert_eq!(
        app.get(&format!("/api/v1/models/{model_id}/versions"))
            .await
            .json()["items"][0]["version"],
        2
    );

    // The exported file outlives the experiment's own artifact.
    assert_eq!(
        app.delete(&format!("/api/v1/experiments/{id}"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.stored_files().await.len(),
        1,
        "the model version still holds the weights"
    );
    let kept = app
        .get(&format!("/api/v1/model-versions/{}", first["id"]))
        .await
        .json();
    assert_eq!(kept["source_experiment_id"], serde_json::Value::Null);
}

#[tokio::test]
async fn bad_exports_name_the_field_and_create_nothing() {
    let (app, id) = setup().await;
    let uri = format!("/api/v1/experiments/{id}/export");
    assert_eq!(
        field(
            &app.post(&uri, "{}").await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed"
        ),
        "model"
    );
    let both = app
        .post(&uri, r#"{"model":{"name":"a"},"model_id":1}"#)
        .await;
    assert_eq!(
        field(&both, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        "model"
    );
    let bad_type = app
        .post(&uri, r#"{"model":{"name":"a","type":"regression"}}"#)
        .await;
    assert_eq!(
        field(
            &bad_type,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed"
        ),
        "model.type"
    );
    let no_name = app.post(&uri, r#"{"model":{"name":" "}}"#).await;
    assert_eq!(
        field(
            &no_name,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed"
        ),
        "model.name"
    );
    app.post(&uri, r#"{"model_id":999}"#)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    app.post("/api/v1/experiments/999/export", r#"{"model_id":1}"#)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    app.post("/api/v1/models", r#"{"name":"taken"}"#).await;
    let taken = app.post(&uri, r#"{"model":{"name":"taken"}}"#).await;
    assert_eq!(
        field(&taken, StatusCode::CONFLICT, "conflict"),
        "model.name"
    );
    assert_eq!(app.get("/api/v1/models").await.json()["total"], 1);
}

#[tokio::test]
async fn experiments_take_a_base_model_version() {
    let (app, id) = setup().await;
    let version = app
        .post(
            &format!("/api/v1/experiments/{id}/export"),
            r#"{"model":{"name":"m"}}"#,
        )
        .await
        .json();
    let project = app.get(&format!("/api/v1/experiments/{id}")).await.json()["project_id"].clone();
    let child = app
        .experiment(
            project.as_i64().expect("id"),
            json!({"name": "run-2", "base_model_version_id": version["id"]}),
        )
        .await;
    assert_eq!(child["base_model_version_id"], version["id"]);
    let bad = app
        .post(
            &format!("/api/v1/projects/{project}/experiments"),
            r#"{"name":"run-3","base_model_version_id":999}"#,
        )
        .await;
    assert_eq!(
        field(&bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        "base_model_version_id"
    );
    let cleared = app
        .patch(
            &format!("/api/v1/experiments/{}", child["id"]),
            r#"{"base_model_version_id":null}"#,
        )
        .await
        .json();
    assert_eq!(cleared["base_model_version_id"], serde_json::Value::Null);
}

#[tokio::test]
async fn live_logs_follow_chapters_and_offsets() {
    let (app, id) = setup().await;
    let uri = format!("/api/v1/experiments/{id}/job/logs");
    let first = app
        .post(
            &uri,
            r#"{"lines":["loading data","found 1200 images"],"chapter":"Setup"}"#,
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    assert_eq!(first.json()["last_line_number"], 1);
    app.post(
        &uri,
        r#"{"lines":["epoch 1\nepoch 2"],"chapter":"Training"}"#,
    )
    .await;
    app.post(&uri, r#"{"lines":["epoch 3"]}"#).await;

    let all = app.get(&uri).await.json();
    assert_eq!(all["chapters"], json!(["Setup", "Training"]));
    assert_eq!(all["lines"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        all["lines"][4]["chapter"], "Training",
        "a line without chapter stays in the last one"
    );
    assert_eq!(all["status"], "pending");
    let tail = app.get(&format!("{uri}?after=3")).await.json();
    assert_eq!(tail["lines"][0]["text"], "epoch 3");
    assert_eq!(tail["last_line_number"], 4);
    let nothing_new = app.get(&format!("{uri}?after=4")).await.json();
    assert_eq!(nothing_new["lines"], json!([]));
    assert_eq!(nothing_new["last_line_number"], 4);

    let status = app
        .request(
            axum::http::Method::PUT,
            &format!("/api/v1/experiments/{id}/job/status"),
            Some(r#"{"status":"success"}"#),
        )
        .await;
    assert_eq!(status.json()["job_status"], "success");
    let bad = app
        .request(
            axum::http::Method::PUT,
            &format!("/api/v1/experiments/{id}/job/status"),
            Some(r#"{"status":"done"}"#),
        )
        .await;
    assert_eq!(
        field(&bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        "status"
    );
    assert_eq!(
        field(
            &app.post(&uri, r#"{"lines":[]}"#).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed"
        ),
        "lines"
    );
    assert_eq!(
        field(
            &app.get(&format!("{uri}?after=-1")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed"
        ),
        "after"
    );
    assert_eq!(
        app.get(&uri).await.json()["lines"].as_array().map(Vec::len),
        Some(5),
        "refusals add nothing"
    );
}

#[tokio::test]
async fn every_list_takes_a_whitelisted_order() {
    let (app, _) = setup().await;
    for name in ["b-data", "a-data", "c-data"] {
        app.post("/api/v1/datasets", &json!({ "name": name }).to_string())
            .await;
        app.post("/api/v1/models", &json!({ "name": name }).to_string())
            .await;
        app.post("/api/v1/projects", &json!({ "name": name }).to_string())
            .await;
    }
    for list in ["/api/v1/datasets", "/api/v1/models", "/api/v1/projects"] {
        let names = |json: serde_json::Value| -> Vec<String> {
            json["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| i["name"].as_str().unwrap_or_default().to_owned())
                .collect()
        };
        let ascending = names(app.get(list).await.json());
        let descending = names(app.get(&format!("{list}?order_by=-name")).await.json());
        let mut reversed = ascending.clone();
        reversed.reverse();
        assert_eq!(descending, reversed, "{list}");
        let newest = names(
            app.get(&format!("{list}?order_by=-created&limit=1"))
                .await
                .json(),
        );
        assert_eq!(newest, ["c-data"], "{list}");
        let bad = app.get(&format!("{list}?order_by=name;DROP")).await;
        assert_eq!(
            field(&bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            "order_by",
            "{list}"
        );
    }
    let tokens = app.get("/api/v1/tokens?order_by=-scope").await;
    assert_eq!(tokens.status, StatusCode::OK);
}

/// A model version exported from an experiment with a label map and parameters.
async fn exported_version(app: &TestApp, experiment: i64) -> i64 {
    app.post(
        &format!("/api/v1/experiments/{experiment}/logs"),
        r#"{"name":"labelmap","type":"LABELMAP","data":{"1":"car","2":"person"}}"#,
    )
    .await;
    app.post(
        &format!("/api/v1/experiments/{experiment}/parameters"),
        r#"{"lr":0.01,"epochs":30}"#,
    )
    .await;
    let version = app
        .post(
            &format!("/api/v1/experiments/{experiment}/export"),
            r#"{"model":{"name":"base"}}"#,
        )
        .await;
    assert_eq!(version.status, StatusCode::CREATED, "{}", version.text());
    version.json()["id"].as_i64().expect("id")
}

async fn log_data(app: &TestApp, experiment: i64, name: &str) -> serde_json::Value {
    app.get(&format!("/api/v1/experiments/{experiment}/logs/{name}"))
        .await
        .json()["data"]
        .clone()
}

#[tokio::test]
async fn a_base_model_version_brings_its_parameters_and_label_map() {
    let (app, first) = setup().await;
    let version = exported_version(&app, first).await;
    let project = app
        .get(&format!("/api/v1/experiments/{first}"))
        .await
        .json()["project_id"]
        .as_i64()
        .expect("project");

    // Created from the version: its parameters and label map come along.
    let created = app
        .experiment(
            project,
            json!({"name": "fine-tune", "base_model_version_id": version}),
        )
        .await;
    let created = created["id"].as_i64().expect("id");
    assert_eq!(
        log_data(&app, created, "parameters").await,
        json!({"lr": 0.01, "epochs": 30})
    );
    assert_eq!(
        log_data(&app, created, "labelmap").await,
        json!({"1": "car", "2": "person"})
    );

    // Attached later: the experiment's own parameters win over the version's.
    let own = app.experiment(project, json!({"name": "own"})).await["id"]
        .as_i64()
        .expect("id");
    app.post(
        &format!("/api/v1/experiments/{own}/parameters"),
        r#"{"lr":0.5}"#,
    )
    .await;
    let patched = app
        .patch(
            &format!("/api/v1/experiments/{own}"),
            &json!({"base_model_version_id": version}).to_string(),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text());
    assert_eq!(patched.json()["base_model_version_id"], version);
    assert_eq!(
        log_data(&app, own, "parameters").await,
        json!({"lr": 0.5, "epochs": 30})
    );

    // Asked not to copy: nothing is written.
    let bare = app
        .experiment(
            project,
            json!({"name": "bare", "base_model_version_id": version, "copy_base_parameters": false}),
        )
        .await["id"]
        .as_i64()
        .expect("id");
    let logs = app
        .get(&format!("/api/v1/experiments/{bare}/logs"))
        .await
        .json();
    assert_eq!(logs["total"], 0, "{logs}");
}

#[tokio::test]
async fn bad_base_model_versions_name_the_field_and_copy_nothing() {
    let (app, id) = setup().await;
    let uri = format!("/api/v1/experiments/{id}");
    let cases = [
        (
            json!({"copy_base_parameters": true}),
            "copy_base_parameters",
        ),
        (
            json!({"base_model_version_id": 999}),
            "base_model_version_id",
        ),
        (
            json!({"base_model_version_id": 999, "copy_base_parameters": true}),
            "base_model_version_id",
        ),
    ];
    for (body, expected) in cases {
        let answer = app.patch(&uri, &body.to_string()).await;
        assert_eq!(
            field(
                &answer,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed"
            ),
            expected,
            "{body}"
        );
    }
    let wrong_type = app.patch(&uri, r#"{"copy_base_parameters":"yes"}"#).await;
    assert!(wrong_type.status.is_client_error(), "{}", wrong_type.status);
    let project = app.get(&uri).await.json()["project_id"]
        .as_i64()
        .expect("project");
    let refused = app
        .post(
            &format!("/api/v1/projects/{project}/experiments"),
            r#"{"name":"orphan","copy_base_parameters":true}"#,
        )
        .await;
    assert_eq!(
        field(
            &refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed"
        ),
        "copy_base_parameters"
    );
    let experiment = app.get(&uri).await.json();
    assert_eq!(experiment["base_model_version_id"], serde_json::Value::Null);
    assert_eq!(app.get(&format!("{uri}/logs")).await.json()["total"], 0);
    let listed = app
        .get(&format!("/api/v1/projects/{project}/experiments"))
        .await
        .json();
    assert_eq!(listed["total"], 1, "the refused experiment was not created");
}
