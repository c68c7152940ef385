//! Trackboard's records in MLflow's JSON shapes (its protobuf messages as JSON).

use crate::domain::mlflow::{
    run_id, status_to_mlflow, MetricPoint, DEFAULT_EXPERIMENT_NAME, NOTE_TAG, RUN_NAME_TAG,
    USER_TAG,
};
use crate::storage::{LoggedModel, RunRecord};
use crate::timestamp;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use trackboard_api::{Experiment, Project};

/// Every experiment and run is active: Trackboard deletes for good, with no soft delete.
pub const LIFECYCLE_ACTIVE: &str = "active";

/// The MLflow experiment id of a project: its id, or `"0"` for MLflow's default.
pub fn experiment_id_of(project: &Project) -> String {
    if project.name == DEFAULT_EXPERIMENT_NAME {
        "0".to_owned()
    } else {
        project.id.to_string()
    }
}

fn pairs<'a>(entries: impl IntoIterator<Item = (&'a String, &'a String)>) -> Vec<Value> {
    entries
        .into_iter()
        .map(|(key, value)| json!({"key": key, "value": value}))
        .collect()
}

/// An MLflow `Experiment`.
pub fn experiment(project: &Project, tags: &[(String, String)]) -> Value {
    let id = experiment_id_of(project);
    let mut tags: BTreeMap<&String, &String> = tags.iter().map(|(k, v)| (k, v)).collect();
    let note = NOTE_TAG.to_owned();
    if !project.description.is_empty() {
        tags.insert(&note, &project.description);
    }
    json!({
        "experiment_id": id,
        "name": project.name,
        "artifact_location": format!("mlflow-artifacts:/{id}"),
        "lifecycle_stage": LIFECYCLE_ACTIVE,
        "creation_time": timestamp::millis(&project.created_at).unwrap_or(0),
        "last_update_time": timestamp::millis(&project.updated_at).unwrap_or(0),
        "tags": pairs(tags),
    })
}

/// Everything an MLflow `Run` shows, gathered from Trackboard's records.
pub struct RunView {
    pub experiment: Experiment,
    pub project: Project,
    pub record: Option<RunRecord>,
    pub metrics: Vec<MetricPoint>,
    pub params: BTreeMap<String, String>,
    pub tags: BTreeMap<String, String>,
}

impl RunView {
    /// MLflow's run start: as recorded, else when the experiment was created.
    pub fn start_time(&self) -> i64 {
        self.record
            .as_ref()
            .map(|record| record.start_time)
            .or_else(|| timestamp::millis(&self.experiment.created_at))
            .unwrap_or(0)
    }

    /// The tags as MLflow shows them: the stored ones, the run name, and the
    /// description as `mlflow.note.content`.
    pub fn all_tags(&self) -> BTreeMap<String, String> {
        let mut tags = self.tags.clone();
        tags.insert(RUN_NAME_TAG.into(), self.experiment.name.clone());
        if !self.experiment.description.is_empty() {
            tags.insert(NOTE_TAG.into(), self.experiment.description.clone());
        }
        if !self.user_id().is_empty() {
            tags.entry(USER_TAG.into())
                .or_insert_with(|| self.user_id().to_owned());
        }
        tags
    }

    /// Who started the run, as MLflow's client said (empty when it did not).
    pub fn user_id(&self) -> &str {
        self.record.as_ref().map_or("", |r| r.user_id.as_str())
    }

    /// When the run ended, if it did.
    pub fn end_time(&self) -> Option<i64> {
        self.record.as_ref().and_then(|r| r.end_time)
    }

    /// The run's id: the one it kept from the store it was imported from, else the one
    /// derived from its experiment id.
    pub fn id(&self) -> String {
        self.record
            .as_ref()
            .and_then(|record| record.run_uuid.clone())
            .unwrap_or_else(|| run_id(self.experiment.id))
    }

    /// Where MLflow's client finds the run's artifacts (served by `artifacts.rs`).
    pub fn artifact_uri(&self) -> String {
        let experiment_id = experiment_id_of(&self.project);
        let id = self.id();
        format!("mlflow-artifacts:/{experiment_id}/{id}/artifacts")
    }

    /// An MLflow `RunInfo`.
    pub fn info(&self) -> RunInfo {
        let id = self.id();
        RunInfo {
            run_uuid: id.clone(),
            artifact_uri: self.artifact_uri(),
            run_id: id,
            run_name: self.experiment.name.clone(),
            experiment_id: experiment_id_of(&self.project),
            user_id: self.user_id().to_owned(),
            status: status_to_mlflow(self.experiment.status),
            start_time: self.start_time(),
            end_time: self.end_time(),
            lifecycle_stage: LIFECYCLE_ACTIVE,
        }
    }

    /// The MLflow `Run` these records make, serialised straight from them: a search's
    /// page of 1,000 runs built as `serde_json::Value` trees spent ~35 ms allocating.
    pub fn into_run(self) -> Run {
        let info = self.info();
        let tags = key_values(self.all_tags());
        Run {
            info,
            data: RunData {
                metrics: self.metrics.into_iter().map(Metric::from).collect(),
                params: key_values(self.params),
                tags,
            },
            inputs: DatasetInputs::default(),
            outputs: ModelOutputs::default(),
        }
    }
}

/// An MLflow `RunInfo`.
#[derive(Serialize)]
pub struct RunInfo {
    run_id: String,
    run_uuid: String,
    run_name: String,
    experiment_id: String,
    user_id: String,
    status: &'static str,
    start_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_time: Option<i64>,
    artifact_uri: String,
    lifecycle_stage: &'static str,
}

/// An MLflow `Run`.
#[derive(Serialize)]
pub struct Run {
    info: RunInfo,
    data: RunData,
    inputs: DatasetInputs,
    outputs: ModelOutputs,
}

#[derive(Serialize)]
struct RunData {
    metrics: Vec<Metric>,
    params: Vec<KeyValue>,
    tags: Vec<KeyValue>,
}

/// A run's inputs: Trackboard records no MLflow datasets.
#[derive(Default, Serialize)]
struct DatasetInputs {
    dataset_inputs: [(); 0],
}

/// A run's outputs: its logged models are listed by their own endpoints.
#[derive(Default, Serialize)]
struct ModelOutputs {
    model_outputs: [(); 0],
}

/// An MLflow `Param` or `RunTag`.
#[derive(Serialize)]
struct KeyValue {
    key: String,
    value: String,
}

fn key_values(entries: BTreeMap<String, String>) -> Vec<KeyValue> {
    entries
        .into_iter()
        .map(|(key, value)| KeyValue { key, value })
        .collect()
}

/// An MLflow `Metric`.
#[derive(Serialize)]
struct Metric {
    key: String,
    #[serde(serialize_with = "proto_double")]
    value: f64,
    timestamp: i64,
    step: i64,
}

impl From<MetricPoint> for Metric {
    fn from(point: MetricPoint) -> Metric {
        Metric {
            key: point.key,
            value: point.value,
            timestamp: point.timestamp,
            step: point.step,
        }
    }
}

/// A double as protobuf's JSON writes it: a number, or `"NaN"`, `"Infinity"` or
/// `"-Infinity"` (serde_json would write `null`, which MLflow's client reads as 0).
fn proto_double<S: serde::Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    match *value {
        value if value.is_finite() => serializer.serialize_f64(value),
        value if value.is_nan() => serializer.serialize_str("NaN"),
        value if value > 0.0 => serializer.serialize_str("Infinity"),
        _ => serializer.serialize_str("-Infinity"),
    }
}

/// An MLflow `Metric`, as a run's metrics write it.
pub fn metric(point: &MetricPoint) -> Value {
    serde_json::to_value(Metric::from(point.clone())).unwrap_or(Value::Null)
}

/// An MLflow 3 `LoggedModel`.
pub fn logged_model(model: &LoggedModel, project: &Project) -> Value {
    let experiment_id = experiment_id_of(project);
    json!({
        "info": {
            "model_id": model.id,
            "experiment_id": experiment_id,
            "name": model.name,
            "model_type": model.model_type,
            "source_run_id": run_id(model.experiment_id),
            "status": model.status,
            "creation_timestamp_ms": model.created_at,
            "last_updated_timestamp_ms": model.updated_at,
            "artifact_uri": format!("mlflow-artifacts:/{experiment_id}/models/{}/artifacts", model.id),
            "tags": pairs(&model.tags),
        },
        "data": {
            "params": pairs(&model.params),
            "metrics": [],
        },
    })
}
