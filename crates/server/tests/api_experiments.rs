//! Experiments: create, list (order, search, pages), get, update, delete.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;

fn names(page: &serde_json::Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["name"].as_str().expect("name").to_owned())
        .collect()
}

#[tokio::test]
async fn an_experiment_is_created_with_defaults_and_read_back() {
    let app = TestApp::new().await;
    let project = app.project("p").await;
    let created = app.experiment(project, json!({"name": " baseline "})).await;
    assert_eq!(created["name"], "baseline");
    assert_eq!(created["status"], "waiting");
    assert_eq!(created["project_id"], project);
    assert_eq!(created["base_experiment_id"], serde_json::Value::Null);
    let id = created["id"].as_i64().expect("id");
    assert_eq!(
        app.get(&format!("/api/v1/experiments/{id}")).await.json(),
        created
    );
}

#[tokio::test]
async fn names_are_unique_per_project_only() {
    let app = TestApp::new().await;
    let first = app.project("first").await;
    let second = app.project("second").await;
    app.experiment(first, json!({"name": "run"})).await;
    app.experiment(second, json!({"name": "run"})).await;
    let json = app
        .post(
            &format!("/api/v1/projects/{first}/experiments"),
            r#"{"name": "run"}"#,
        )
        .await
        .assert_error(StatusCode::CONFLICT, "conflict");
    assert_eq!(json["error"]["details"]["field"], "name");
    assert_eq!(
        app.get(&format!("/api/v1/projects/{first}/experiments"))
            .await
            .json()["total"],
        1
    );
}

#[tokio::test]
async fn unknown_statuses_and_bad_bodies_are_422s_that_store_nothing() {
    let app = TestApp::new().await;
    let project = app.project("p").await;
    let uri = format!("/api/v1/projects/{project}/experiments");
    for (body, field) in [
        (r#"{"name": "x", "status": "done"}"#, "status"),
        (r#"{"name": ""}"#, "name"),
        (
            r#"{"name": "x", "base_experiment_id": "one"}"#,
            "base_experiment_id",
        ),
        (
            r#"{"name": "x", "base_experiment_id": 12345}"#,
            "base_experiment_id",
        ),
    ] {
        let json = app
            .post(&uri, body)
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(json["error"]["details"]["field"], field, "{body}: {json}");
    }
    app.post("/api/v1/projects/999/experiments", r#"{"name": "x"}"#)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(app.get(&uri).await.json()["total"], 0);
}

#[tokio::test]
async fn a_base_must_be_in_the_same_project_and_never_form_a_cycle() {
    let app = TestApp::new().await;
    let project = app.project("p").await;
    let other = app.project("other").await;
    let foreign = app.experiment(other, json!({"name": "foreign"})).await["id"].clone();
    let base = app.experiment(project, json!({"name": "base"})).await["id"].clone();
    let iteration = app
        .experiment(project, json!({"name": "it1", "base_experiment_id": base}))
        .await;
    assert_eq!(iteration["base_experiment_id"], base);

    let json = app
        .post(
            &format!("/api/v1/projects/{project}/experiments"),
            &json!({"name": "x", "base_experiment_id": foreign}).to_string(),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert!(
        json["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("same project")),
        "{json}"
    );

    // base ← it1: making base iterate on it1 would close a loop.
    let json = app
        .patch(
            &format!("/api/v1/experiments/{base}"),
            &json!({"base_experiment_id": iteration["id"]}).to_string(),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(json["error"]["details"]["field"], "base_experiment_id");
    app.patch(
        &format!("/api/v1/experiments/{base}"),
        &json!({"base_experiment_id": base}).to_string(),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(
        app.get(&format!("/api/v1/experiments/{base}")).await.json()["base_experiment_id"],
        serde_json::Value::Null
    );
}

#[tokio::test]
async fn updates_change_only_what_they_name_and_null_unlinks_the_base() {
    let app = TestApp::new().await;
    let project = app.project("p").await;
    let base = app.experiment(project, json!({"name": "base"})).await["id"].clone();
    let run = app
        .experiment(
            project,
            json!({"name": "run", "description": "d", "base_experiment_id": base}),
        )
        .await;
    let uri = format!("/api/v1/experiments/{}", run["id"]);

    let updated = app.patch(&uri, r#"{"status": "running"}"#).await.json();
    assert_eq!(updated["status"], "running");
    assert_eq!(updated["description"], "d");
    assert_eq!(updated["base_experiment_id"], base);
    assert!(updated["updated_at"].as_str() >= run["updated_at"].as_str());

    let unlinked = app
        .patch(&uri, r#"{"base_experiment_id": null}"#)
        .await
        .json();
    assert_eq!(unlinked["base_experiment_id"], serde_json::Value::Null);
    assert_eq!(unlinked["status"], "running");

    app.patch(&uri, r#"{"status": "finished"}"#)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(app.get(&uri).await.json()["status"], "running");
}

#[tokio::test]
async fn lists_order_search_and_page() {
    let app = TestApp::new().await;
    let project = app.project("p").await;
    for (name, status) in [
        ("lr_0.1", "failed"),
        ("LR-0.01", "success"),
        ("baseline", "running"),
        ("lrx0.1", "waiting"),
    ] {
        app.experiment(project, json!({"name": name, "status": status}))
            .await;
    }
    let uri = format!("/api/v1/projects/{project}/experiments");
    assert_eq!(
        names(&app.get(&uri).await.json()),
        ["lrx0.1", "baseline", "LR-0.01", "lr_0.1"],
        "newest first by default"
    );
    assert_eq!(
        names(&app.get(&format!("{uri}?order_by=name")).await.json()),
        ["LR-0.01", "baseline", "lr_0.1", "lrx0.1"]
    );
    assert_eq!(
        names(&app.get(&format!("{uri}?order_by=-status")).await.json()),
        ["lrx0.1", "LR-0.01", "baseline", "lr_0.1"]
    );
    let found = app
        .get(&format!("{uri}?name=LR&order_by=name"))
        .await
        .json();
    assert_eq!(
        names(&found),
        ["LR-0.01", "lr_0.1", "lrx0.1"],
        "search ignores case"
    );
    assert_eq!(found["total"], 3);
    let literal = app.get(&format!("{uri}?name=lr_")).await.json();
    assert_eq!(
        names(&literal),
        ["lr_0.1"],
        "an underscore is not a wildcard"
    );
    let page = app
        .get(&format!("{uri}?order_by=name&limit=2&offset=1"))
        .await
        .json();
    assert_eq!(names(&page), ["baseline", "lr_0.1"]);
    assert_eq!(page["total"], 4);
    let json = app
        .get(&format!("{uri}?order_by=id;drop"))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(json["error"]["details"]["field"], "order_by");
    app.get("/api/v1/projects/999/experiments")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn deleting_unlinks_iterations_and_deleting_a_project_removes_its_experiments() {
    let app = TestApp::new().await;
    let project = app.project("p").await;
    let base = app.experiment(project, json!({"name": "base"})).await["id"].clone();
    let run = app
        .experiment(project, json!({"name": "run", "base_experiment_id": base}))
        .await["id"]
        .clone();

    assert_eq!(
        app.delete(&format!("/api/v1/experiments/{base}"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&format!("/api/v1/experiments/{run}")).await.json()["base_experiment_id"],
        serde_json::Value::Null
    );
    app.delete(&format!("/api/v1/experiments/{base}"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    assert_eq!(
        app.delete(&format!("/api/v1/projects/{project}"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    app.get(&format!("/api/v1/experiments/{run}"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn compared_experiments_answer_each_experiment_with_all_its_logs_in_one_request() {
    let app = TestApp::new().await;
    let project = app.project("p").await;
    let first = app.experiment(project, json!({"name": "first"})).await;
    let second = app.experiment(project, json!({"name": "second"})).await;
    let (first_id, second_id) = (
        first["id"].as_i64().expect("id"),
        second["id"].as_i64().expect("id"),
    );
    // More logs than one page of the logs list holds, so the answer pages through.
    let many = trackboard_api::MAX_LIMIT as usize + 3;
    for index in 0..many {
        let body = json!({"name": format!("value-{index:04}"), "type": "VALUE", "data": index});
        app.post(
            &format!("/api/v1/experiments/{first_id}/logs"),
            &body.to_string(),
        )
        .await;
    }
    app.post(
        &format!("/api/v1/experiments/{second_id}/logs"),
        &json!({"name": "loss", "type": "LINE", "data": [1, 2]}).to_string(),
    )
    .await;
    let answer = app
        .get(&format!(
            "/api/v1/compared-experiments?experiment_ids={second_id},{first_id},{second_id}"
        ))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let experiments = answer.json()["experiments"]
        .as_array()
        .expect("experiments")
        .clone();
    assert_eq!(experiments.len(), 2, "a repeated id counts once");
    assert_eq!(experiments[0]["experiment"], second);
    assert_eq!(experiments[1]["experiment"], first);
    let first_logs = experiments[1]["logs"].as_array().expect("logs");
    assert_eq!(first_logs.len(), many);
    let listed = app
        .get(&format!("/api/v1/experiments/{first_id}/logs?limit=3"))
        .await
        .json();
    assert_eq!(
        first_logs[..3],
        listed["items"].as_array().expect("items")[..]
    );
    assert_eq!(experiments[0]["logs"][0]["name"], "loss");

    for (query, field) in [
        ("", "experiment_ids"),
        ("?experiment_ids=", "experiment_ids"),
        ("?experiment_ids=1,x", "experiment_ids"),
        ("?experiment_ids=999999", "experiment_ids"),
    ] {
        let refused = app
            .get(&format!("/api/v1/compared-experiments{query}"))
            .await;
        assert_eq!(
            refused.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")["error"]
                ["details"]["field"],
            field,
            "{query}"
        );
    }
}
