//! The model registry.

use super::{ApiClient, ApiError};
use trackboard_api::{Model, ModelVersion, Page};

impl ApiClient {
    /// `GET /models`: every model (up to 1,000), by name.
    pub async fn list_models(&self) -> Result<Page<Model>, ApiError> {
        self.get_json("/models?limit=1000").await
    }

    /// `GET /models/{id}`.
    pub async fn get_model(&self, id: i64) -> Result<Model, ApiError> {
        self.get_json(&format!("/models/{id}")).await
    }

    /// `GET /models/{id}/versions`: newest first (up to 1,000).
    pub async fn list_model_versions(&self, id: i64) -> Result<Page<ModelVersion>, ApiError> {
        self.get_json(&format!("/models/{id}/versions?limit=1000"))
            .await
    }
}
