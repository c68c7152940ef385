//! The dataset registry: datasets, their versions, and versions attached to experiments.

use serde::{Deserialize, Serialize};

/// A dataset: a named collection of versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dataset {
    pub id: i64,
    /// Unique.
    pub name: String,
    pub description: String,
    /// How many versions it has.
    pub version_count: u64,
    pub created_at: String,
    pub updated_at: String,
}

/// Body of `POST /api/v1/datasets`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDataset {
    /// 1 to 200 characters; unique.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::names::Name200))]
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// One version of a dataset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatasetVersion {
    pub id: i64,
    pub dataset_id: i64,
    /// The dataset's name, for display.
    pub dataset_name: String,
    /// Unique within the dataset, e.g. `v2` or `2026-11-first`.
    pub version: String,
    pub description: String,
    /// How many assets (images) it holds.
    pub asset_count: u64,
    /// Its label names.
    pub labels: Vec<String>,
    pub created_at: String,
}

/// Body of `POST /api/v1/datasets/{id}/versions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDatasetVersion {
    /// 1 to 200 characters; unique within the dataset.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::names::Name200))]
    pub version: String,
    #[serde(default)]
    pub description: String,
    /// 0 to 9,223,372,036,854,775,807.
    #[serde(default, deserialize_with = "crate::integral::count")]
    #[cfg_attr(feature = "openapi", schema(maximum = 9_223_372_036_854_775_807_u64))]
    pub asset_count: u64,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Vec<crate::names::Name200>, max_items = 10_000)
    )]
    pub labels: Vec<String>,
}

/// A dataset version attached to an experiment under an alias.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachedDataset {
    /// What the experiment uses it for, e.g. `training`; unique per experiment.
    pub alias: String,
    pub attached_at: String,
    pub version: DatasetVersion,
}

/// Body of `POST /api/v1/experiments/{id}/datasets`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachDataset {
    /// 1 to 100 characters; unique within the experiment.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::names::Name100))]
    pub alias: String,
    #[serde(deserialize_with = "crate::integral::id")]
    pub dataset_version_id: i64,
}
