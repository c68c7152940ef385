//! The model registry.

use super::ApiClient;
use crate::error::AppError;
use trackboard_api::{Model, ModelVersion, Page};

impl ApiClient {
    /// `GET /models`: every model, by name (page after page).
    pub async fn list_models(&self) -> Result<Page<Model>, AppError> {
        self.list_all("/models", &[]).await
    }

    /// `GET /models/{id}`.
    pub async fn get_model(&self, id: i64) -> Result<Model, AppError> {
        self.get_json(&format!("/models/{id}")).await
    }

    /// `GET /models/{id}/versions`: newest first (page after page).
    pub async fn list_model_versions(&self, id: i64) -> Result<Page<ModelVersion>, AppError> {
        self.list_all(&format!("/models/{id}/versions"), &[]).await
    }
}
