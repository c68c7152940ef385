//! Signed, expiring links to logged images: what lets a plain `<img src>` load an image
//! without the bearer token it cannot carry.

use serde::{Deserialize, Serialize};

/// Answer of `GET /api/v1/image-links`: a link for each image asked, in the order asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImageLinks {
    /// When every link of this answer stops opening, in seconds since the Unix epoch.
    pub expires: i64,
    pub links: Vec<ImageLink>,
}

/// One image's link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImageLink {
    pub image_id: i64,
    /// The link's path below the API root (`/linked-images/7?expires=…&signature=…`,
    /// to be read as `/api/v1/linked-images/…`): it opens without a token until `expires`.
    pub path: String,
}
