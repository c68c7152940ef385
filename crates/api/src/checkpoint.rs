//! Metrics recorded against one checkpoint of an experiment (seed 003
//! `update_metrics(…, weights_hash)`): the experiment page's checkpoints table, where
//! the best checkpoint is found and exported.

use crate::Scalar;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Body of `POST /api/v1/experiments/{id}/checkpoint-metrics`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckpointMetrics {
    /// The checkpoint: hex SHA-1 (seed 003's weights hash, 40 digits) or SHA-256 (an
    /// artifact's, 64 digits), any case.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$")
    )]
    pub weights_hash: String,
    /// 1 to 200 metrics, name to value; a name recorded before for this checkpoint is
    /// replaced.
    pub metrics: BTreeMap<String, Scalar>,
}

/// One checkpoint with every metric recorded against it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Checkpoint {
    /// Lower-case hex.
    pub weights_hash: String,
    /// The experiment's artifact whose SHA-256 is this hash, if any.
    pub artifact: Option<String>,
    pub metrics: BTreeMap<String, Scalar>,
    /// RFC 3339 UTC: when a metric was last recorded against it.
    pub recorded_at: String,
}
