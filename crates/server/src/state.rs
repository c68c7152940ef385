//! What every request handler can reach, and the default limits, one level below both
//! the routes (which read them) and the command line (which sets them).

use crate::links::LinkSigner;
use crate::objects::Objects;
use crate::storage::Storage;

/// The largest artifact upload by default: 5 GiB.
pub const DEFAULT_ARTIFACT_LIMIT: u64 = 5 * 1024 * 1024 * 1024;
/// The largest image upload by default: 20 MiB.
pub const DEFAULT_IMAGE_LIMIT: u64 = 20 * 1024 * 1024;
/// The default largest log request body: room for a batch of 100,000 points, while a
/// request of ten million points is refused (413) before it is parsed.
pub const DEFAULT_LOG_BODY_LIMIT: u64 = 16 * 1024 * 1024;

/// What every request handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// All rows.
    pub storage: Storage,
    /// All stored files (artifacts, images).
    pub objects: Objects,
    /// Upload size limits.
    pub limits: Limits,
    /// Origins allowed to call the API from a browser (a dashboard hosted elsewhere);
    /// empty: same origin only.
    pub cors_origins: Vec<axum::http::HeaderValue>,
    /// Signs and checks the image links `<img src>` loads without a token.
    pub links: LinkSigner,
}

/// Request body limits per kind of route, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub artifact_bytes: u64,
    pub image_bytes: u64,
    /// A log write (JSON): a LINE batch of 100,000 points fits the default.
    pub log_body_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            artifact_bytes: DEFAULT_ARTIFACT_LIMIT,
            image_bytes: DEFAULT_IMAGE_LIMIT,
            log_body_bytes: DEFAULT_LOG_BODY_LIMIT,
        }
    }
}
