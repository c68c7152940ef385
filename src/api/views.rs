//! Saved views: a project's dashboard views under a name and a short id.

use super::{encode_component, ApiClient};
use crate::error::AppError;
use gloo_net::http::Request;
use trackboard_api::{NewSavedView, Page, SavedView, SavedViewPatch};

impl ApiClient {
    /// `GET /projects/{id}/views`: every saved view, newest first (page after page).
    pub async fn list_views(&self, project_id: i64) -> Result<Page<SavedView>, AppError> {
        self.list_all(&format!("/projects/{project_id}/views"), &[])
            .await
    }

    /// `POST /projects/{id}/views`: keeps `view` under a new short id.
    pub async fn save_view(
        &self,
        project_id: i64,
        view: &NewSavedView,
    ) -> Result<SavedView, AppError> {
        let url = self.url(&format!("/projects/{project_id}/views"));
        self.send_json(Request::post(&url), view).await
    }

    /// `GET /views/{id}`.
    pub async fn get_view(&self, id: &str) -> Result<SavedView, AppError> {
        self.get_json(&format!("/views/{}", encode_component(id)))
            .await
    }

    /// `PATCH /views/{id}`: a new name.
    pub async fn rename_view(&self, id: &str, name: &str) -> Result<SavedView, AppError> {
        let url = self.url(&format!("/views/{}", encode_component(id)));
        let patch = SavedViewPatch { name: name.into() };
        self.send_json(Request::patch(&url), &patch).await
    }

    /// `DELETE /views/{id}`.
    pub async fn delete_view(&self, id: &str) -> Result<(), AppError> {
        self.delete(&format!("/views/{}", encode_component(id)))
            .await
    }
}
