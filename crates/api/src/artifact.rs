//! Artifacts: files stored for an experiment (seed 000 `store`, `list_artifacts`, …).

use serde::{Deserialize, Serialize};

/// A stored file's record. Its bytes are at `GET /api/v1/artifacts/{id}/download`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Artifact {
    pub id: i64,
    pub experiment_id: i64,
    /// Unique within the experiment, e.g. `model-latest`.
    pub name: String,
    /// The uploaded file's own name, as the client sent it (a label only).
    pub filename: String,
    /// Bytes.
    pub size: u64,
    /// Lower-case hex SHA-256 of the bytes, computed by the server while storing.
    pub sha256: String,
    /// As the client declared it (downloads are always served as attachments).
    pub content_type: String,
    pub created_at: String,
}
