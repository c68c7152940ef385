//! Experiments: one training run's record inside a project.

use serde::{Deserialize, Serialize};

/// The longest experiment name accepted, in characters.
pub const EXPERIMENT_NAME_MAX_CHARS: usize = 200;

/// Where an experiment's job stands. Any other value is refused with a 422.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExperimentStatus {
    /// Created, not started.
    #[default]
    Waiting,
    /// Training now.
    Running,
    /// Finished well.
    Success,
    /// Finished with an error.
    Failed,
    /// Stopped by someone.
    Cancelled,
}

impl ExperimentStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [ExperimentStatus; 5] = [
        ExperimentStatus::Waiting,
        ExperimentStatus::Running,
        ExperimentStatus::Success,
        ExperimentStatus::Failed,
        ExperimentStatus::Cancelled,
    ];

    /// The wire (and storage) spelling: `waiting`, `running`, …
    pub fn as_str(self) -> &'static str {
        match self {
            ExperimentStatus::Waiting => "waiting",
            ExperimentStatus::Running => "running",
            ExperimentStatus::Success => "success",
            ExperimentStatus::Failed => "failed",
            ExperimentStatus::Cancelled => "cancelled",
        }
    }

    /// The status spelled `text`, if any.
    pub fn parse(text: &str) -> Option<ExperimentStatus> {
        ExperimentStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
    }
}

/// An experiment as the API returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Experiment {
    /// Server-assigned id.
    pub id: i64,
    /// The project it belongs to.
    pub project_id: i64,
    /// Unique within its project.
    pub name: String,
    /// Free text; empty when not given.
    pub description: String,
    /// Where its job stands.
    pub status: ExperimentStatus,
    /// The experiment this one iterates on (same project), if any.
    pub base_experiment_id: Option<i64>,
    /// The model version it starts from (seed 000 `base_model_version`), if any.
    pub base_model_version_id: Option<i64>,
    /// Where its training job stands (`update_job_status`).
    pub job_status: crate::JobStatus,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// RFC 3339 UTC; changes on every update.
    pub updated_at: String,
}

/// Body of `POST /api/v1/projects/{id}/experiments`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewExperiment {
    /// 1 to [`EXPERIMENT_NAME_MAX_CHARS`] characters after trimming; unique in the project.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::names::Name200))]
    pub name: String,
    /// Optional free text.
    #[serde(default)]
    pub description: String,
    /// Optional; `waiting` when absent.
    #[serde(default)]
    pub status: ExperimentStatus,
    /// Optional id of an experiment of the same project.
    #[serde(default, deserialize_with = "crate::integral::optional_id")]
    pub base_experiment_id: Option<i64>,
    /// Optional id of a model version.
    #[serde(default, deserialize_with = "crate::integral::optional_id")]
    pub base_model_version_id: Option<i64>,
    /// With a base model version: copy its parameters (under the experiment's own) and
    /// label map (seed 000 `do_attach_base_parameters`). Default `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_base_parameters: Option<bool>,
}

/// Body of `PATCH /api/v1/experiments/{id}`: only the fields present change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExperimentPatch {
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::names::Name200>))]
    pub name: Option<String>,
    /// A new description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A new status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ExperimentStatus>,
    /// Absent: unchanged; `null`: cleared; an id: set.
    #[serde(
        default,
        deserialize_with = "crate::integral::present_or_null_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub base_experiment_id: Option<Option<i64>>,
    /// Absent: unchanged; `null`: cleared; an id: set (seed 000 `attach_model_version`).
    #[serde(
        default,
        deserialize_with = "crate::integral::present_or_null_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub base_model_version_id: Option<Option<i64>>,
    /// With a base model version set here: copy its parameters (under the experiment's
    /// own) and label map (seed 000 `do_attach_base_parameters`). Default `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_base_parameters: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_spelling() {
        for status in ExperimentStatus::ALL {
            assert_eq!(ExperimentStatus::parse(status.as_str()), Some(status));
            assert_eq!(
                serde_json::to_value(status).expect("serialises"),
                status.as_str()
            );
        }
        assert_eq!(ExperimentStatus::parse("done"), None);
    }

    #[test]
    fn a_patch_tells_null_from_absent() {
        let absent: ExperimentPatch = serde_json::from_str("{}").expect("decodes");
        assert_eq!(absent.base_experiment_id, None);
        let cleared: ExperimentPatch =
            serde_json::from_str(r#"{"base_experiment_id": null}"#).expect("decodes");
        assert_eq!(cleared.base_experiment_id, Some(None));
        let set: ExperimentPatch =
            serde_json::from_str(r#"{"base_experiment_id": 4}"#).expect("decodes");
        assert_eq!(set.base_experiment_id, Some(Some(4)));
    }
}

/// One experiment of a comparison with every log it has (in name order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExperimentWithLogs {
    pub experiment: Experiment,
    pub logs: Vec<crate::Log>,
}

/// Answer of `GET /api/v1/compared-experiments`: what a compare view needs before its
/// charts, in one request; experiments in the order asked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComparedExperiments {
    pub experiments: Vec<ExperimentWithLogs>,
}
