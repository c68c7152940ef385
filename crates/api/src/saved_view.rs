//! Saved views: a dashboard view (a project's table with its columns, filters and sort,
//! or a comparison with its experiments, logs, range, smoothing and baseline) kept under
//! a name and a short id, so a link like `/v/k3x9q2mf` opens exactly what was discussed.
//! The view's whole state is its dashboard address (`path`), as in the URL bar.

use serde::{Deserialize, Serialize};

/// The most characters a saved view's address may have.
pub const VIEW_PATH_MAX_CHARS: usize = 4000;

/// A saved view as the API returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedView {
    /// Short id of lowercase letters and digits, for `/v/{id}` links.
    pub id: String,
    pub project_id: i64,
    pub name: String,
    /// The dashboard address the view opens: `/compare?…` or `/projects/{id}?…`.
    pub path: String,
    /// The name of the token that saved it.
    pub saved_by: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// RFC 3339 UTC.
    pub updated_at: String,
}

/// Body of `POST /api/v1/projects/{id}/views`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSavedView {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::names::Name200))]
    pub name: String,
    /// `/compare?ids=…` or `/projects/{this project's id}` with an optional query, at most
    /// 4,000 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 4000,
            pattern = "^/(compare\\?|projects/[0-9]+([?]|$))[^\\u0000-\\u001F\\u007F-\\u009F]*$"
        )
    )]
    pub path: String,
}

/// Body of `PATCH /api/v1/views/{id}`: renames it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedViewPatch {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::names::Name200))]
    pub name: String,
}
