//! Projects: the top-level folder of experiments.

use serde::{Deserialize, Serialize};

/// The longest project name accepted, in characters.
pub const PROJECT_NAME_MAX_CHARS: usize = 200;

/// A project as the API returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Project {
    /// Server-assigned id.
    pub id: i64,
    /// Unique, non-empty name.
    pub name: String,
    /// Free text; empty when not given.
    pub description: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// RFC 3339 UTC.
    pub updated_at: String,
}

/// Body of `POST /api/v1/projects`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewProject {
    /// Unique name, 1 to [`PROJECT_NAME_MAX_CHARS`] characters after trimming.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::names::Name200))]
    pub name: String,
    /// Optional free text.
    #[serde(default)]
    pub description: String,
}

/// Body of `PATCH /api/v1/projects/{id}`: only the fields present change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectPatch {
    /// A new unique name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::names::Name200>))]
    pub name: Option<String>,
    /// A new description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}
