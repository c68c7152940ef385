//! Assets with ground truth, an experiment's evaluations, the train/test split and the
//! metrics computed from them, through the HTTP API on a real database and object
//! store: every route's answers, and every bad input refused with the item named and
//! nothing stored.

mod common;

use axum::http::StatusCode;
use common::{Part, TestApp};
use serde_json::{json, Value};
use trackboard_api::compress_runs;
use trackboard_server::demo::png::encode_rgb;

fn png(width: u32, height: u32) -> Vec<u8> {
    encode_rgb(width, height, &vec![90; (width * height * 3) as usize])
}

/// A dataset version labelled cat and dog, and an experiment it is attached to.
async fn setup(app: &TestApp) -> (i64, i64) {
    let dataset = app
        .post("/api/v1/datasets", &json!({"name": "pets"}).to_string())
        .await;
    assert_eq!(dataset.status, StatusCode::CREATED, "{}", dataset.text());
    let dataset_id = dataset.json()["id"].as_i64().expect("id");
    let version = app
        .post(
            &format!("/api/v1/datasets/{dataset_id}/versions"),
            &json!({"version": "v1", "labels": ["cat", "dog"]}).to_string(),
        )
        .await;
    assert_eq!(version.status, StatusCode::CREATED, "{}", version.text());
    let version_id = version.json()["id"].as_i64().expect("id");
    let project = app.project("vision").await;
    let experiment = app.experiment(project, json!({"name": "detector"})).await;
    let experiment_id = experiment["id"].as_i64().expect("id");
    let attached = app
        .post(
            &format!("/api/v1/experiments/{experiment_id}/datasets"),
            &json!({"alias": "eval", "dataset_version_id": version_id}).to_string(),
        )
        .await;
    assert_eq!(attached.status, StatusCode::CREATED, "{}", attached.text());
    (version_id, experiment_id)
}

async fn upload(app: &TestApp, version_id: i64, name: &str, annotations: &Value) -> common::Answer {
    let image = png(40, 30);
    let annotations = annotations.to_string();
    app.post_multipart(
        &format!("/api/v1/dataset-versions/{version_id}/assets"),
        &[
            Part::file(name, "image/png", &image),
            Part::text("annotations", &annotations),
        ],
    )
    .await
}

async fn assets_of(app: &TestApp, version_id: i64, query: &str) -> Value {
    let page = app
        .get(&format!(
            "/api/v1/dataset-versions/{version_id}/assets?{query}"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    page.json()
}

#[tokio::test]
async fn assets_are_uploaded_found_split_and_deleted() {
    let app = TestApp::new().await;
    let (version_id, _) = setup(&app).await;
    let truth = json!({"rectangles": [{"x": 1.5, "y": 2.0, "width": 10.0, "height": 0.1, "label": "cat"}],
                       "polygons": [{"points": [[0, 0], [4, 0], [2, 3.3]], "label": "dog"}]});
    let first = upload(&app, version_id, "a.png", &truth).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let asset = first.json();
    assert_eq!(asset["width"], 40);
    assert_eq!(asset["height"], 30);
    assert_eq!(asset["content_type"], "image/png");
    assert_eq!(asset["filename"], "a.png");
    assert_eq!(
        asset["annotations"]["rectangles"][0]["height"].as_f64(),
        Some(0.1)
    );
    assert_eq!(
        asset["annotations"]["polygons"][0]["points"][2][1].as_f64(),
        Some(3.3)
    );
    for index in 0..4 {
        let only_cats = json!({"classifications": [{"label": "cat"}],
                               "rectangles": [{"x": 0, "y": 0, "width": 1, "height": 1, "label": "cat"}]});
        let answer = upload(&app, version_id, &format!("c{index}.png"), &only_cats).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    }

    let all = assets_of(&app, version_id, "").await;
    assert_eq!(all["total"], 5);
    assert_eq!(assets_of(&app, version_id, "label=dog").await["total"], 1);
    assert_eq!(assets_of(&app, version_id, "label=cat").await["total"], 5);
    let found = assets_of(&app, version_id, "filename=c2.png").await;
    assert_eq!(found["items"][0]["filename"], "c2.png");
    assert_eq!(found["total"], 1);
    let version = app
        .get(&format!("/api/v1/dataset-versions/{version_id}"))
        .await;
    assert_eq!(version.json()["asset_count"], 5);

    let id = asset["id"].as_i64().expect("id");
    let image = app.get(&format!("/api/v1/assets/{id}/image")).await;
    assert_eq!(image.status, StatusCode::OK);
    assert_eq!(image.body, png(40, 30));

    let split = |seed: u64| {
        let body = json!({"proportion": 0.6, "seed": seed}).to_string();
        let uri = format!("/api/v1/dataset-versions/{version_id}/split");
        let app = &app;
        async move { app.post(&uri, &body).await }
    };
    let once = split(3).await;
    assert_eq!(once.status, StatusCode::OK, "{}", once.text());
    let once = once.json();
    assert_eq!(once["train"]["asset_ids"].as_array().map(Vec::len), Some(3));
    assert_eq!(once["test"]["asset_ids"].as_array().map(Vec::len), Some(2));
    let counted: u64 = ["train", "test"]
        .iter()
        .map(|side| once[side]["label_counts"]["cat"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(
        counted, 5,
        "each asset with a cat counted once, on one side"
    );
    assert_eq!(split(3).await.json(), once, "a seed gives the same split");

    let deleted = app.delete(&format!("/api/v1/assets/{id}")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/api/v1/assets/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(assets_of(&app, version_id, "").await["total"], 4);
    let version = app
        .get(&format!("/api/v1/dataset-versions/{version_id}"))
        .await;
    assert_eq!(version.json()["asset_count"], 4);
}

#[tokio::test]
async fn bad_assets_are_refused_with_the_item_named_and_nothing_stored() {
    let app = TestApp::new().await;
    let (version_id, _) = setup(&app).await;
    let before = app.stored_files().await;
    let box_with = |field: &str, value: Value| {
        let mut rectangle = json!({"x": 1, "y": 2, "width": 3, "height": 4, "label": "cat"});
        rectangle[field] = value;
        json!({"rectangles": [{"x": 0, "y": 0, "width": 1, "height": 1, "label": "dog"}, rectangle]})
    };
    let cases = [
        (
            box_with("label", json!("cow")),
            "annotations.rectangles[1].label",
        ),
        (
            box_with("width", json!(-2)),
            "annotations.rectangles[1].width",
        ),
        (box_with("x", json!(1e300)), "annotations.rectangles[1].x"),
        (
            box_with("score", json!(0.5)),
            "annotations.rectangles[1].score",
        ),
        (box_with("y", json!("high")), "annotations.rectangles[1].y"),
        (
            json!({"polygons": [{"points": [[0, 0], [1, 1]], "label": "cat"}]}),
            "annotations.polygons[0].points",
        ),
        // A key that is no kind of shape would be dropped without a word.
        (
            json!({"rectangles": [], "boxes": [{"x": 0}]}),
            "annotations.boxes",
        ),
    ];
    for (annotations, field) in cases {
        let answer = upload(&app, version_id, "bad.png", &annotations).await;
        let error = answer.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(error["error"]["details"]["field"], field, "{annotations}");
    }
    let not_json = app
        .post_multipart(
            &format!("/api/v1/dataset-versions/{version_id}/assets"),
            &[
                Part::file("x.png", "image/png", &png(2, 2)),
                Part::text("annotations", "{nope"),
            ],
        )
        .await;
    assert_eq!(
        not_json.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")["error"]
            ["details"]["field"],
        "annotations"
    );
    let not_an_image = app
        .post_multipart(
            &format!("/api/v1/dataset-versions/{version_id}/assets"),
            &[Part::file(
                "x.png",
                "image/png",
                b"plain text, not a picture",
            )],
        )
        .await;
    assert_eq!(
        not_an_image.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")["error"]
            ["details"]["field"],
        "file"
    );
    let unknown_part = app
        .post_multipart(
            &format!("/api/v1/dataset-versions/{version_id}/assets"),
            &[
                Part::file("x.png", "image/png", &png(2, 2)),
                Part::text("caption", "hi"),
            ],
        )
        .await;
    assert_eq!(unknown_part.status, StatusCode::UNPROCESSABLE_ENTITY);
    let no_version = app
        .post_multipart(
            "/api/v1/dataset-versions/999/assets",
            &[Part::file("x.png", "image/png", &png(2, 2))],
        )
        .await;
    assert_eq!(no_version.status, StatusCode::NOT_FOUND);

    assert_eq!(assets_of(&app, version_id, "").await["total"], 0);
    assert_eq!(app.stored_files().await, before, "no image left behind");

    let ok = upload(&app, version_id, "same.png", &json!({})).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text());
    let again = upload(&app, version_id, "same.png", &json!({})).await;
    assert_eq!(
        again.assert_error(StatusCode::CONFLICT, "conflict")["error"]["details"]["field"],
        "file"
    );
    assert_eq!(assets_of(&app, version_id, "").await["total"], 1);

    for (body, field) in [
        (json!({"proportion": 1.0}), "proportion"),
        (json!({"proportion": 0}), "proportion"),
        (json!({"proportion": -0.2}), "proportion"),
        (json!({"proportion": "half"}), "proportion"),
        (json!({"proportion": 0.5, "seed": -1}), "seed"),
    ] {
        let answer = app
            .post(
                &format!("/api/v1/dataset-versions/{version_id}/split"),
                &body.to_string(),
            )
            .await;
        let error = answer.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(error["error"]["details"]["field"], field, "{body}");
    }
}

/// Starts computing an experiment's metrics (202 with a running job), follows the job
/// to its end, and answers the metrics kept as its EVALUATION log.
async fn computed(app: &TestApp, experiment_id: i64, kind: &str) -> Value {
    let job = finished_job(app, experiment_id, kind).await;
    assert_eq!(job["status"], "success", "{job}");
    assert_eq!(job["done"], job["total"]);
    let log = app
        .get(&format!(
            "/api/v1/experiments/{experiment_id}/logs/{}",
            job["log_name"]
                .as_str()
                .expect("log name")
                .replace('/', "%2F")
        ))
        .await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.text());
    log.json()["data"].clone()
}

/// Starts a metrics job and polls it until it is no longer running.
async fn finished_job(app: &TestApp, experiment_id: i64, kind: &str) -> Value {
    let started = app
        .post(
            &format!("/api/v1/experiments/{experiment_id}/evaluation-metrics"),
            &json!({ "inference_type": kind }).to_string(),
        )
        .await;
    assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.text());
    let job = started.json();
    assert!(
        job["total"].as_u64().is_some_and(|total| total >= 1),
        "{job}"
    );
    for _ in 0..500 {
        let now = app
            .get(&format!("/api/v1/metric-jobs/{}", job["id"]))
            .await
            .json();
        if now["status"] != "running" {
            return now;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("metrics job {} still running after 5 s", job["id"]);
}

/// Uploads an asset with one cat box, answering its id.
async fn cat_asset(app: &TestApp, version_id: i64, name: &str) -> i64 {
    let truth = json!({"rectangles": [{"x": 10, "y": 10, "width": 20, "height": 10, "label": "cat"}],
                       "classifications": [{"label": "cat"}]});
    let answer = upload(app, version_id, name, &truth).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    answer.json()["id"].as_i64().expect("id")
}

async fn evaluate(app: &TestApp, experiment_id: i64, body: Value) -> common::Answer {
    app.post(
        &format!("/api/v1/experiments/{experiment_id}/evaluations"),
        &body.to_string(),
    )
    .await
}

#[tokio::test]
async fn evaluations_are_replaced_or_kept_filtered_and_measured() {
    let app = TestApp::new().await;
    let (version_id, experiment_id) = setup(&app).await;
    let hit = cat_asset(&app, version_id, "hit.png").await;
    let miss = cat_asset(&app, version_id, "miss.png").await;

    let exact = json!({"x": 10, "y": 10, "width": 20, "height": 10, "label": "cat", "score": 0.9});
    let first = evaluate(
        &app,
        experiment_id,
        json!({"asset_id": hit, "rectangles": [exact]}),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let wrong = json!({"x": 100, "y": 0, "width": 5, "height": 5, "label": "dog", "score": 0.3});
    let replaced = evaluate(
        &app,
        experiment_id,
        json!({"asset_id": miss, "rectangles": [wrong]}),
    )
    .await;
    assert_eq!(replaced.status, StatusCode::CREATED);
    let kept = evaluate(
        &app,
        experiment_id,
        json!({"asset_id": miss, "add_type": "keep", "classifications": [{"label": "dog", "score": 0.7}]}),
    )
    .await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.text());
    let predictions = &kept.json()["predictions"];
    assert_eq!(predictions["rectangles"].as_array().map(Vec::len), Some(1));
    assert_eq!(predictions["classifications"][0]["label"], "dog");
    let cls = json!({"label": "cat", "score": 0.8});
    let hit_class = evaluate(
        &app,
        experiment_id,
        json!({"asset_id": hit, "add_type": "keep", "classifications": [cls]}),
    )
    .await;
    assert_eq!(hit_class.status, StatusCode::OK);

    let list = |query: &'static str| {
        let uri = format!("/api/v1/experiments/{experiment_id}/evaluations?{query}");
        let app = &app;
        async move {
            let page = app.get(&uri).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.text());
            page.json()["total"].as_u64().expect("total")
        }
    };
    assert_eq!(list("").await, 2);
    assert_eq!(list("label=dog").await, 1);
    assert_eq!(list("label=cat&min_score=0.85").await, 1);
    assert_eq!(list("label=dog&max_score=0.2").await, 0);
    assert_eq!(list("min_score=0.25&max_score=0.35").await, 1);

    let metrics = computed(&app, experiment_id, "object_detection").await;
    assert_eq!(metrics["assets"], 2);
    // One cat found exactly out of two; the dog box is a false positive of a class
    // without ground truth: AP 0.5 at every threshold for cat (precision 1 to recall 0.5).
    let cat = &metrics["detection"]["classes"][0];
    assert_eq!(cat["label"], "cat");
    let ap = cat["average_precision"].as_f64().expect("AP");
    assert!((ap - 51.0 / 101.0).abs() < 1e-12, "{ap}");
    assert_eq!(
        metrics["detection"]["classes"][1]["average_precision"],
        Value::Null
    );
    assert_eq!(cat["ground_truth"], 2);
    assert_eq!(cat["predictions"], 1);

    let classification = computed(&app, experiment_id, "CLASSIFICATION").await;
    assert_eq!(
        classification["classification"]["accuracy"].as_f64(),
        Some(0.5)
    );
    assert_eq!(
        classification["classification"]["confusion"],
        json!([[1, 1, 0], [0, 0, 0], [0, 0, 0]])
    );

    // Both are kept as EVALUATION logs, readable through the log API.
    let log = app
        .get(&format!(
            "/api/v1/experiments/{experiment_id}/logs/evaluation%2Fobject_detection"
        ))
        .await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.text());
    assert_eq!(log.json()["type"], "EVALUATION");
    assert_eq!(log.json()["data"], metrics);

    // The asset browser's view: outcomes per shape, and its filters.
    let browse = |query: &'static str| {
        let uri = format!("/api/v1/experiments/{experiment_id}/evaluated-assets?{query}");
        let app = &app;
        async move { app.get(&uri).await }
    };
    let all = browse("").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text());
    let all = all.json();
    assert_eq!(all["total"], 2);
    let found = &all["items"][0];
    assert_eq!(found["asset"]["id"], hit);
    assert_eq!(
        found["prediction_outcomes"],
        json!([{"iou": 1.0, "matched": true}])
    );
    assert_eq!(
        found["truth_outcomes"],
        json!([{"iou": 1.0, "matched": true}])
    );
    let missed = &all["items"][1];
    assert_eq!(
        missed["prediction_outcomes"],
        json!([{"iou": 0.0, "matched": false}])
    );
    assert_eq!(missed["truth_outcomes"][0]["matched"], false);
    let total = |answer: common::Answer| answer.json()["total"].as_u64().expect("total");
    assert_eq!(total(browse("outcome=false_positives").await), 1);
    assert_eq!(total(browse("outcome=misses").await), 1);
    assert_eq!(
        total(browse("outcome=false_positives&min_score=0.5").await),
        0
    );
    assert_eq!(total(browse("label=dog").await), 1);
    let one = browse("asset_id=2").await.json();
    assert_eq!(
        (
            one["total"].as_u64(),
            one["items"][0]["asset"]["id"].as_i64()
        ),
        (Some(1), Some(miss))
    );
    assert_eq!(total(browse("iou_below=0.5").await), 1);
    assert_eq!(
        total(browse("inference_type=classification&truth=cat&predicted=dog").await),
        1
    );
    assert_eq!(
        total(browse("inference_type=classification&predicted=").await),
        0
    );
    let paged = browse("limit=1&offset=1").await.json();
    assert_eq!(
        (
            paged["total"].as_u64(),
            paged["items"][0]["asset"]["id"].as_i64()
        ),
        (Some(2), Some(miss))
    );
    for (query, field) in [
        ("outcome=maybe", "outcome"),
        ("min_score=1.5", "min_score"),
        ("iou_below=-1", "iou_below"),
        ("limit=0", "limit"),
    ] {
        let uri = format!("/api/v1/experiments/{experiment_id}/evaluated-assets?{query}");
        let answer = app.get(&uri).await;
        assert_eq!(
            answer.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")["error"]
                ["details"]["field"],
            field
        );
    }

    let id = first.json()["id"].as_i64().expect("id");
    assert_eq!(
        app.delete(&format!("/api/v1/evaluations/{id}"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&format!("/api/v1/evaluations/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(list("").await, 1);
}

#[tokio::test]
async fn bad_evaluations_are_refused_with_the_item_named_and_nothing_stored() {
    let app = TestApp::new().await;
    let (version_id, experiment_id) = setup(&app).await;
    let asset = cat_asset(&app, version_id, "a.png").await;
    // An asset of a version that is not attached to the experiment.
    let other = app
        .post("/api/v1/datasets", &json!({"name": "other"}).to_string())
        .await
        .json();
    let other_version = app
        .post(
            &format!("/api/v1/datasets/{}/versions", other["id"]),
            &json!({"version": "v1", "labels": ["cat"]}).to_string(),
        )
        .await
        .json();
    let stranger = cat_asset(&app, other_version["id"].as_i64().expect("id"), "b.png").await;

    let rectangle = |field: &str, value: Value| {
        let mut shape =
            json!({"x": 1, "y": 2, "width": 3, "height": 4, "label": "cat", "score": 0.5});
        shape[field] = value;
        json!({"asset_id": asset, "rectangles": [shape]})
    };
    let cases = [
        (rectangle("label", json!("horse")), "rectangles[0].label"),
        (rectangle("score", json!(1.01)), "rectangles[0].score"),
        (rectangle("score", json!(-0.5)), "rectangles[0].score"),
        (rectangle("score", Value::Null), "rectangles[0].score"),
        (rectangle("height", json!(-1)), "rectangles[0].height"),
        (rectangle("x", json!(2e6)), "rectangles[0].x"),
        (
            json!({"asset_id": asset, "polygons": [{"points": [[0, 0], [1, 0]], "label": "cat", "score": 0.5}]}),
            "polygons[0].points",
        ),
        (
            json!({"asset_id": asset, "classifications": [{"label": "cat"}]}),
            "classifications[0].score",
        ),
        (json!({"asset_id": 9999, "rectangles": []}), "asset_id"),
        (json!({"asset_id": stranger, "rectangles": []}), "asset_id"),
        (json!({"asset_id": asset, "add_type": "merge"}), "add_type"),
        // A key that is no kind of shape would drop the predictions it holds.
        (json!({"asset_id": asset, "boxes": [{"x": 1}]}), "boxes"),
    ];
    for (body, field) in cases {
        let answer = evaluate(&app, experiment_id, body.clone()).await;
        let error = answer.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(error["error"]["details"]["field"], field, "{body}");
    }
    // NaN is not JSON: the body is refused before anything is read.
    let nan = app
        .post(
            &format!("/api/v1/experiments/{experiment_id}/evaluations"),
            &format!(r#"{{"asset_id": {asset}, "rectangles": [{{"x": NaN, "y": 0, "width": 1, "height": 1, "label": "cat", "score": 0.5}}]}}"#),
        )
        .await;
    assert_eq!(nan.status, StatusCode::BAD_REQUEST, "{}", nan.text());
    let listed = app
        .get(&format!("/api/v1/experiments/{experiment_id}/evaluations"))
        .await;
    assert_eq!(listed.json()["total"], 0, "nothing stored");

    let no_evaluations = app
        .post(
            &format!("/api/v1/experiments/{experiment_id}/evaluation-metrics"),
            &json!({"inference_type": "segmentation"}).to_string(),
        )
        .await;
    assert_eq!(
        no_evaluations.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")["error"]
            ["details"]["field"],
        "experiment_id"
    );
    let unknown_type = app
        .post(
            &format!("/api/v1/experiments/{experiment_id}/evaluation-metrics"),
            &json!({"inference_type": "pose"}).to_string(),
        )
        .await;
    assert_eq!(
        unknown_type.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")["error"]
            ["details"]["field"],
        "inference_type"
    );
    for query in ["min_score=2", "max_score=-1", "min_score=0.8&max_score=0.2"] {
        let answer = app
            .get(&format!(
                "/api/v1/experiments/{experiment_id}/evaluations?{query}"
            ))
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
    }
    let logs = app
        .get(&format!("/api/v1/experiments/{experiment_id}/logs"))
        .await
        .json();
    assert_eq!(logs["total"], 0, "no metrics log written");
    assert_eq!(
        app.get("/api/v1/metric-jobs/999").await.status,
        StatusCode::NOT_FOUND
    );

    // A job that cannot keep its metrics ends failed, saying why, and changes nothing.
    let cat = json!({"label": "cat", "score": 0.5});
    let added = evaluate(
        &app,
        experiment_id,
        json!({"asset_id": asset, "classifications": [cat]}),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
    let taken = app
        .post(
            &format!("/api/v1/experiments/{experiment_id}/logs"),
            &json!({"name": "evaluation/classification", "type": "VALUE", "data": 1}).to_string(),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CREATED, "{}", taken.text());
    let failed = finished_job(&app, experiment_id, "classification").await;
    assert_eq!(failed["status"], "failed", "{failed}");
    assert!(
        failed["message"]
            .as_str()
            .is_some_and(|m| m.contains("VALUE")),
        "{failed}"
    );
    let kept = app
        .get(&format!(
            "/api/v1/experiments/{experiment_id}/logs/evaluation%2Fclassification"
        ))
        .await
        .json();
    assert_eq!(kept["type"], "VALUE");
}

/// A COCO file for images a.png (40×30) and b.png (20×10).
fn coco_file(category: &str, a_width: u32) -> String {
    json!({
        "images": [{"id": 1, "file_name": "a.png", "width": a_width, "height": 30},
                   {"id": 2, "file_name": "b.png", "width": 20, "height": 10}],
        "categories": [{"id": 3, "name": category}],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 3, "bbox": [1.5, 2, 10, 5], "segmentation": [[1.5, 2, 11.5, 2, 11.5, 7]], "area": 25, "iscrowd": 0},
            {"id": 2, "image_id": 2, "category_id": 3, "bbox": [0, 0, 4, 4], "iscrowd": 0},
            {"id": 3, "image_id": 2, "category_id": 3, "bbox": [2, 0, 1, 6], "segmentation": {"counts": [20, 6, 174], "size": [10, 20]}, "area": 6, "iscrowd": 1},
        ],
    })
    .to_string()
}

#[tokio::test]
async fn a_coco_file_imports_its_images_or_nothing() {
    let app = TestApp::new().await;
    let (version_id, _) = setup(&app).await;
    let uri = format!("/api/v1/dataset-versions/{version_id}/coco-import");
    let (a, b) = (png(40, 30), png(20, 10));
    let before = app.stored_files().await;
    let (good, horse, wide) = (
        coco_file("cat", 40),
        coco_file("horse", 40),
        coco_file("cat", 41),
    );
    let negative = good.replace("[0,0,4,4]", "[0,0,-4,4]");
    let mask_turned = good.replace("[10,20]", "[20,10]");
    let mask_short = good.replace("[20,6,174]", "[20,6,173]");
    for changed in [&negative, &mask_turned, &mask_short] {
        assert_ne!(changed, &good);
    }
    let refusals = [
        (coco_parts(&good, &[("a.png", &a)]), "images", "b.png"),
        (
            coco_parts(&good, &[("a.png", &a), ("b.png", &b), ("c.png", &b)]),
            "images",
            "c.png",
        ),
        (
            coco_parts(&horse, &[("a.png", &a), ("b.png", &b)]),
            "annotations.categories[0].name",
            "horse",
        ),
        (
            coco_parts(&wide, &[("a.png", &a), ("b.png", &b)]),
            "annotations.images[0]",
            "40×30",
        ),
        (
            coco_parts(&negative, &[("a.png", &a), ("b.png", &b)]),
            "annotations.images[1].rectangles[0].width",
            "negative",
        ),
        (
            coco_parts(&mask_turned, &[("a.png", &a), ("b.png", &b)]),
            "annotations.images[1].masks[0].size",
            "[10, 20]",
        ),
        (
            coco_parts(&mask_short, &[("a.png", &a), ("b.png", &b)]),
            "annotations.images[1].masks[0].counts",
            "199 pixels",
        ),
        (
            coco_parts("{\"images\": []", &[("a.png", &a)]),
            "annotations",
            "COCO",
        ),
        (
            coco_parts(&good, &[("a.png", &a)])[1..].to_vec(),
            "annotations",
            "annotations",
        ),
        (
            vec![
                Part::text("annotations", &good),
                Part::file("a.png", "image/png", &a),
            ],
            "file",
            "not \"file\"",
        ),
    ];
    for (parts, field, words) in refusals {
        let answer = app.post_multipart(&uri, &parts).await;
        let error = answer.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(error["error"]["details"]["field"], field, "{error}");
        assert!(
            error["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains(words),
            "{error}"
        );
    }
    assert_eq!(
        assets_of(&app, version_id, "").await["total"],
        0,
        "nothing stored"
    );
    assert_eq!(app.stored_files().await, before, "no image left behind");

    let imported = app
        .post_multipart(
            &uri,
            &coco_parts(&coco_file("cat", 40), &[("b.png", &b), ("a.png", &a)]),
        )
        .await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.text());
    let imported = imported.json();
    let ids = imported["asset_ids"].as_array().expect("ids").clone();
    assert_eq!(ids.len(), 2);
    let first = app.get(&format!("/api/v1/assets/{}", ids[0])).await.json();
    assert_eq!(first["filename"], "a.png", "in the file's order");
    assert_eq!(
        first["annotations"]["rectangles"][0]["x"].as_f64(),
        Some(1.5)
    );
    assert_eq!(
        first["annotations"]["polygons"][0]["points"][1],
        json!([11.5, 2.0])
    );
    let second = app.get(&format!("/api/v1/assets/{}", ids[1])).await.json();
    assert_eq!(
        (second["width"].as_u64(), second["height"].as_u64()),
        (Some(20), Some(10))
    );
    assert_eq!(
        second["annotations"]["masks"],
        json!([{"size": [10, 20], "counts": [20, 6, 174], "label": "cat", "area": 6.0, "crowd": true}]),
        "the crowd mask is kept as given"
    );
    let again = app
        .post_multipart(
            &uri,
            &coco_parts(&coco_file("cat", 40), &[("a.png", &a), ("b.png", &b)]),
        )
        .await;
    assert_eq!(
        again.assert_error(StatusCode::CONFLICT, "conflict")["error"]["details"]["field"],
        "file"
    );
    assert_eq!(assets_of(&app, version_id, "").await["total"], 2);

    // Exported again: the same objects, by asset id, with their areas and crowds.
    let exported = app
        .get(&format!("/api/v1/dataset-versions/{version_id}/coco"))
        .await;
    assert_eq!(exported.status, StatusCode::OK, "{}", exported.text());
    let exported = exported.json();
    let ids: Vec<i64> = ids.iter().filter_map(serde_json::Value::as_i64).collect();
    assert_eq!(
        exported["images"],
        json!([{"id": ids[0], "file_name": "a.png", "width": 40, "height": 30},
               {"id": ids[1], "file_name": "b.png", "width": 20, "height": 10}])
    );
    assert_eq!(
        exported["categories"],
        json!([{"id": 1, "name": "cat"}, {"id": 2, "name": "dog"}])
    );
    assert_eq!(
        exported["annotations"],
        json!([
            {"id": 1, "image_id": ids[0], "category_id": 1, "bbox": [1.5, 2.0, 10.0, 5.0],
             "segmentation": [[1.5, 2.0, 11.5, 2.0, 11.5, 7.0]], "area": 25.0, "iscrowd": 0},
            {"id": 2, "image_id": ids[1], "category_id": 1, "bbox": [0.0, 0.0, 4.0, 4.0],
             "area": 16.0, "iscrowd": 0},
            {"id": 3, "image_id": ids[1], "category_id": 1, "bbox": [2.0, 0.0, 1.0, 6.0],
             "segmentation": {"size": [10, 20], "counts": [20, 6, 174]}, "area": 6.0, "iscrowd": 1},
        ])
    );
    let missing = app.get("/api/v1/dataset-versions/999999/coco").await;
    missing.assert_error(StatusCode::NOT_FOUND, "not_found");
}

fn coco_parts<'a>(file: &'a str, images: &[(&'a str, &'a [u8])]) -> Vec<Part<'a>> {
    let mut parts = vec![Part::text("annotations", file)];
    for (name, bytes) in images {
        parts.push(Part {
            name: "images",
            filename: Some(name),
            content_type: Some("image/png"),
            bytes,
        });
    }
    parts
}

#[tokio::test]
async fn a_job_whose_server_died_is_taken_over_and_finished_once() {
    use trackboard_api::InferenceType;
    use trackboard_server::metrics_job::{lease_from_now, take_over_one, LEASE};

    let app = TestApp::new().await;
    let (version_id, experiment_id) = setup(&app).await;
    let asset = cat_asset(&app, version_id, "cat.png").await;
    let answer = evaluate(
        &app,
        experiment_id,
        json!({"asset_id": asset, "classifications": [{"label": "cat", "score": 0.9}]}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    // A server created this job and died before it ended: its lease ran out long ago.
    let orphan = app
        .storage
        .create_metric_job(experiment_id, InferenceType::Classification, 1, 0)
        .await
        .expect("a job");
    // This one's server is alive and renewing: nobody else may take it.
    let alive = app
        .storage
        .create_metric_job(
            experiment_id,
            InferenceType::ObjectDetection,
            1,
            lease_from_now(LEASE),
        )
        .await
        .expect("a job");
    assert!(take_over_one(&app.storage, LEASE).await.expect("a claim"));
    assert!(
        !take_over_one(&app.storage, LEASE).await.expect("a claim"),
        "the orphan is taken once, and the live job is left alone"
    );
    let mut finished = Value::Null;
    for _ in 0..500 {
        finished = app
            .get(&format!("/api/v1/metric-jobs/{}", orphan.id))
            .await
            .json();
        if finished["status"] != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(finished["status"], "success", "{finished}");
    let log = app
        .get(&format!(
            "/api/v1/experiments/{experiment_id}/logs/evaluation%2Fclassification"
        ))
        .await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.text());
    assert_eq!(log.json()["data"]["classification"]["accuracy"], 1.0);
    let untouched = app
        .get(&format!("/api/v1/metric-jobs/{}", alive.id))
        .await
        .json();
    assert_eq!(untouched["status"], "running", "{untouched}");
}

async fn predictions_of(app: &TestApp, experiment_id: i64, asset: i64) -> Value {
    let uri = format!("/api/v1/experiments/{experiment_id}/evaluations?asset_id={asset}");
    app.get(&uri).await.json()["items"][0]["predictions"].clone()
}

#[tokio::test]
async fn a_coco_results_file_becomes_the_evaluations_or_nothing() {
    let app = TestApp::new().await;
    let (version_id, experiment_id) = setup(&app).await;
    let first = cat_asset(&app, version_id, "first.png").await;
    let second = cat_asset(&app, version_id, "second.png").await;
    let uri = format!("/api/v1/experiments/{experiment_id}/coco-predictions");
    // An earlier evaluation of the first asset is replaced.
    let earlier = evaluate(
        &app,
        experiment_id,
        json!({"asset_id": first, "classifications": [{"label": "dog", "score": 0.1}]}),
    )
    .await;
    assert_eq!(earlier.status, StatusCode::CREATED, "{}", earlier.text());
    let body = json!({
        "dataset_version_id": version_id,
        "images": [{"id": 5, "file_name": "first.png"}, {"id": 6, "file_name": "second.png"}],
        "categories": [{"id": 17, "name": "cat"}, {"id": 18, "name": "dog"}],
        "results": [
            {"image_id": 5, "category_id": 17, "score": 0.9, "bbox": [10, 10, 20, 10]},
            {"image_id": 6, "category_id": 18, "score": 0.4, "bbox": [0, 0, 5, 5],
             "segmentation": [[0, 0, 5, 0, 5, 5], [7, 7, 9, 7, 9, 9]]},
            // A compressed mask of the 40×30 image, without a bbox (as detectron2 writes).
            {"image_id": 5, "category_id": 17, "score": 0.7,
             "segmentation": {"size": [30, 40], "counts": compress_runs(&[302, 4, 26, 4, 864])}},
        ],
    });

    // Bad input: each refusal names the item, and nothing is stored.
    let with = |path: &[&str], value: Value| {
        let mut bad = body.clone();
        let mut at = &mut bad;
        for key in &path[..path.len() - 1] {
            at = match key.parse::<usize>() {
                Ok(index) => &mut at[index],
                Err(_) => &mut at[*key],
            };
        }
        at[path[path.len() - 1]] = value;
        bad
    };
    let cases = [
        (
            with(&["results", "1", "image_id"], json!(99)),
            "results[1].image_id",
        ),
        (
            with(&["results", "0", "category_id"], json!(3)),
            "results[0].category_id",
        ),
        (
            with(&["results", "1", "score"], json!(-0.5)),
            "results[1].score",
        ),
        (
            with(
                &["results", "1", "segmentation"],
                json!({"size": [10, 10], "counts": "52"}),
            ),
            &*format!("results of asset {second}: masks[0].size"),
        ),
        (
            with(&["images", "1", "file_name"], json!("nope.png")),
            "images[1].file_name",
        ),
        (
            with(&["categories", "0", "name"], json!("horse")),
            "categories[0].name",
        ),
        (
            with(&["dataset_version_id"], json!(999)),
            "dataset_version_id",
        ),
        (
            with(&["results", "0", "bbox"], json!([10, 10, -20, 10])),
            &*format!("results of asset {first}: rectangles[0].width"),
        ),
        (
            with(&["results", "2", "segmentation", "size"], json!([40, 30])),
            &*format!("results of asset {first}: masks[0].size"),
        ),
        (
            with(
                &["results", "2", "segmentation", "counts"],
                json!([302, 4, 26]),
            ),
            &*format!("results of asset {first}: masks[0].counts"),
        ),
        (
            with(&["results", "2", "segmentation", "counts"], json!("5 2")),
            "results[2].segmentation.counts",
        ),
        // Types are named where the file is read, item by item.
        (
            with(&["results", "0", "score"], json!("high")),
            "results[0].score",
        ),
        (
            with(&["results", "2", "segmentation"], json!(7)),
            "results[2].segmentation",
        ),
        (with(&["images", "0", "id"], json!("five")), "images[0].id"),
    ];
    app.assert_each_refused(&uri, &cases).await;
    let stored = app
        .get(&format!("/api/v1/experiments/{experiment_id}/evaluations"))
        .await
        .json();
    assert_eq!(stored["total"], 1, "nothing stored: {stored}");

    let imported = app.post(&uri, &body.to_string()).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.text());
    assert_eq!(imported.json(), json!({"evaluations": 2, "shapes": 5}));
    let first_predictions = predictions_of(&app, experiment_id, first).await;
    assert_eq!(first_predictions["classifications"], json!([]), "replaced");
    assert_eq!(first_predictions["rectangles"][0]["label"], "cat");
    // The mask is kept as written, and its box is the mask's (`toBbox`).
    assert_eq!(
        first_predictions["masks"],
        json!([{"size": [30, 40], "counts": compress_runs(&[302, 4, 26, 4, 864]), "label": "cat", "score": 0.7}])
    );
    assert_eq!(
        first_predictions["rectangles"][1],
        json!({"x": 10.0, "y": 2.0, "width": 2.0, "height": 4.0, "label": "cat", "score": 0.7})
    );
    let second_predictions = predictions_of(&app, experiment_id, second).await;
    assert_eq!(
        second_predictions["polygons"][0]["parts"],
        json!([[[7.0, 7.0], [9.0, 7.0], [9.0, 9.0]]])
    );
    assert_eq!(second_predictions["rectangles"][0]["score"], 0.4);
}
