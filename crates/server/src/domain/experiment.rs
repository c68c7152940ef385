use super::checked_name;
use super::Refusal;
use trackboard_api::{ExperimentPatch, ExperimentStatus, NewExperiment, EXPERIMENT_NAME_MAX_CHARS};

/// An experiment about to be created. Whether its base experiment exists in the same
/// project is checked by storage, inside the insert's transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExperimentDraft {
    pub name: String,
    pub description: String,
    pub status: ExperimentStatus,
    pub base_experiment_id: Option<i64>,
    pub base_model_version_id: Option<i64>,
    /// Whether the base model version's parameters and label map are copied in.
    pub copy_base_parameters: bool,
}

impl TryFrom<NewExperiment> for ExperimentDraft {
    type Error = Refusal;

    fn try_from(experiment: NewExperiment) -> Result<Self, Refusal> {
        Ok(ExperimentDraft {
            name: checked_name("name", &experiment.name, EXPERIMENT_NAME_MAX_CHARS)?,
            description: experiment.description,
            status: experiment.status,
            base_experiment_id: experiment.base_experiment_id,
            base_model_version_id: experiment.base_model_version_id,
            copy_base_parameters: copy_base(
                experiment.copy_base_parameters,
                experiment.base_model_version_id.is_some(),
            )?,
        })
    }
}

/// A checked `PATCH` of an experiment: `None` leaves a field as it is;
/// `base_experiment_id: Some(None)` unlinks the base.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExperimentChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub status: Option<ExperimentStatus>,
    pub base_experiment_id: Option<Option<i64>>,
    pub base_model_version_id: Option<Option<i64>>,
    /// Whether the base model version set here brings its parameters and label map.
    pub copy_base_parameters: bool,
}

impl TryFrom<ExperimentPatch> for ExperimentChanges {
    type Error = Refusal;

    fn try_from(patch: ExperimentPatch) -> Result<Self, Refusal> {
        Ok(ExperimentChanges {
            name: patch
                .name
                .map(|name| checked_name("name", &name, EXPERIMENT_NAME_MAX_CHARS))
                .transpose()?,
            description: patch.description,
            status: patch.status,
            base_experiment_id: patch.base_experiment_id,
            base_model_version_id: patch.base_model_version_id,
            copy_base_parameters: copy_base(
                patch.copy_base_parameters,
                matches!(patch.base_model_version_id, Some(Some(_))),
            )?,
        })
    }
}

/// Whether to copy a base model version's parameters: `asked` defaults to yes when a
/// version is set; asking for it without one is refused (it would silently do nothing).
fn copy_base(asked: Option<bool>, version_set: bool) -> Result<bool, Refusal> {
    match (asked, version_set) {
        (Some(true), false) => Err(Refusal::invalid(
            "copy_base_parameters",
            "copy_base_parameters needs a base_model_version_id in the same request",
        )),
        (asked, version_set) => Ok(version_set && asked.unwrap_or(true)),
    }
}
