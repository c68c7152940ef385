//! The model registry: models and their numbered versions, exported from experiments.

use crate::Scalar;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a model does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ModelType {
    Classification,
    Detection,
    Segmentation,
    #[default]
    Other,
}

impl ModelType {
    /// Every type.
    pub const ALL: [ModelType; 4] = [
        ModelType::Classification,
        ModelType::Detection,
        ModelType::Segmentation,
        ModelType::Other,
    ];

    /// The wire (and storage) spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ModelType::Classification => "classification",
            ModelType::Detection => "detection",
            ModelType::Segmentation => "segmentation",
            ModelType::Other => "other",
        }
    }

    /// The type spelled `text`, if any.
    pub fn parse(text: &str) -> Option<ModelType> {
        ModelType::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

/// A model of the registry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Model {
    pub id: i64,
    /// Unique.
    pub name: String,
    pub description: String,
    #[serde(rename = "type")]
    pub model_type: ModelType,
    /// e.g. `pytorch`, `onnx`.
    pub framework: String,
    pub tags: Vec<String>,
    /// How many versions it has.
    pub version_count: u64,
    pub created_at: String,
    pub updated_at: String,
}

/// A new model, as `POST /api/v1/models` and an export to a new model take it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewModel {
    /// 1 to 200 characters; unique.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::names::Name200))]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, rename = "type")]
    pub model_type: ModelType,
    /// At most 100 characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub framework: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Vec<crate::names::Name100>, max_items = 50)
    )]
    pub tags: Vec<String>,
}

/// A file of a model version: a copy of its experiment's artifact record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelFile {
    pub name: String,
    pub filename: String,
    pub size: u64,
    pub sha256: String,
}

/// One numbered version of a model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelVersion {
    pub id: i64,
    pub model_id: i64,
    pub model_name: String,
    /// 1, 2, 3… per model.
    pub version: u32,
    /// The experiment it was exported from (`null` once that experiment is deleted).
    pub source_experiment_id: Option<i64>,
    /// The experiment's LABELMAP log `labelmap` at export time.
    pub labelmap: BTreeMap<String, String>,
    /// The experiment's `parameters` at export time.
    pub parameters: BTreeMap<String, Scalar>,
    pub files: Vec<ModelFile>,
    pub created_at: String,
}

/// Body of `POST /api/v1/experiments/{id}/export` (seed 000 `export_as_model` and
/// `export_in_existing_model`): exactly one of `model` (create it, version 1) or
/// `model_id` (its next version).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportExperiment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<NewModel>,
    #[serde(
        default,
        deserialize_with = "crate::integral::optional_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub model_id: Option<i64>,
}

/// Exactly one of `model` and `model_id`, as the document says it: two shapes, the other
/// field absent or `null` in each.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ExportExperiment {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        use utoipa::openapi::Ref;
        let null = || ObjectBuilder::new().schema_type(Type::Null);
        let new_model = ObjectBuilder::new()
            .property("model", Ref::from_schema_name("NewModel"))
            .required("model")
            .property("model_id", null())
            .description(Some("Export into a new model (version 1)"));
        let existing = ObjectBuilder::new()
            .property(
                "model_id",
                ObjectBuilder::new().schema_type(Type::Integer).format(Some(
                    utoipa::openapi::schema::SchemaFormat::KnownFormat(
                        utoipa::openapi::schema::KnownFormat::Int64,
                    ),
                )),
            )
            .required("model_id")
            .property("model", null())
            .description(Some("Export into an existing model (its next version)"));
        OneOfBuilder::new().item(new_model).item(existing).into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ExportExperiment {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        use utoipa::PartialSchema;
        schemas.push(("NewModel".to_owned(), NewModel::schema()));
        <NewModel as utoipa::ToSchema>::schemas(schemas);
    }
}
