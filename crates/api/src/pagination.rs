//! The shape of every list answer.

use serde::{Deserialize, Serialize};

/// Items per page when the client does not say.
pub const DEFAULT_LIMIT: u32 = 100;
/// The largest `limit` a client may ask for; more is a 422.
pub const MAX_LIMIT: u32 = 1000;

/// One page of a list, in a stable order, with the total across all pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// How many items the whole list holds.
    pub total: u64,
    /// The `limit` that was applied.
    pub limit: u32,
    /// The `offset` that was applied.
    pub offset: u64,
}
