//! The dataset registry, and the dataset versions attached to an experiment.

use super::{encode_component, ApiClient};
use crate::error::AppError;
use gloo_net::http::Request;
use trackboard_api::{
    AttachDataset, AttachedDataset, Dataset, DatasetVersion, NewDataset, NewDatasetVersion, Page,
};

impl ApiClient {
    /// `GET /datasets`: every dataset, by name (page after page).
    pub async fn list_datasets(&self) -> Result<Page<Dataset>, AppError> {
        self.list_all("/datasets", &[]).await
    }

    /// Where a script creates a dataset (`POST /datasets`), as a command-line URL.
    pub fn datasets_url(&self) -> String {
        format!("{}/datasets", self.api_root())
    }

    /// `POST /datasets`.
    pub async fn create_dataset(&self, dataset: &NewDataset) -> Result<Dataset, AppError> {
        self.send_json(Request::post(&self.url("/datasets")), dataset)
            .await
    }

    /// `GET /datasets/{id}/versions`: newest first (page after page).
    pub async fn list_dataset_versions(
        &self,
        dataset_id: i64,
    ) -> Result<Page<DatasetVersion>, AppError> {
        self.list_all(&format!("/datasets/{dataset_id}/versions"), &[])
            .await
    }

    /// `POST /datasets/{id}/versions`.
    pub async fn create_dataset_version(
        &self,
        dataset_id: i64,
        version: &NewDatasetVersion,
    ) -> Result<DatasetVersion, AppError> {
        self.send_json(
            Request::post(&self.url(&format!("/datasets/{dataset_id}/versions"))),
            version,
        )
        .await
    }

    /// `GET /experiments/{id}/datasets`: the versions attached, by alias.
    pub async fn attached_datasets(
        &self,
        experiment_id: i64,
    ) -> Result<Vec<AttachedDataset>, AppError> {
        self.get_json(&format!("/experiments/{experiment_id}/datasets"))
            .await
    }

    /// `POST /experiments/{id}/datasets`: attaches a version; answers every attachment.
    pub async fn attach_dataset(
        &self,
        experiment_id: i64,
        attach: &AttachDataset,
    ) -> Result<Vec<AttachedDataset>, AppError> {
        self.send_json(
            Request::post(&self.url(&format!("/experiments/{experiment_id}/datasets"))),
            attach,
        )
        .await
    }

    /// `DELETE /experiments/{id}/datasets/{alias}`.
    pub async fn detach_dataset(&self, experiment_id: i64, alias: &str) -> Result<(), AppError> {
        self.delete(&format!(
            "/experiments/{experiment_id}/datasets/{}",
            encode_component(alias)
        ))
        .await
    }
}
