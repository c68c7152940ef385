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
    /// The object's key in the server's artifact store (seed 000 `object_name`).
    pub object_name: String,
    pub created_at: String,
}

/// Body of `POST /api/v1/experiments/{id}/artifacts/registered` (seed 000
/// `create_artifact`): an object already in the server's artifact store, uploaded there
/// by the script itself, recorded as the artifact `name` (replacing one of that name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegisteredArtifact {
    /// 1 to 200 characters, unique in the experiment.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::names::Name200))]
    pub name: String,
    /// The file's own name (a label for downloads); empty: the key's last segment.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 255))]
    pub filename: String,
    /// The object's key in the artifact store, e.g. `checkpoints/run-7/model.pt`: 1 to
    /// 1,024 characters, `/`-separated segments, none empty, `.` or `..`, and not in a
    /// folder the server writes itself (`artifacts/`, `images/`, `assets/`).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1024))]
    pub object_name: String,
    /// Accepted as seed 000 sends it; the server reads the object's real size.
    #[serde(default)]
    pub large: Option<bool>,
}
