//! An experiment's evaluated assets, as the asset browser pages through them, and the
//! assets' images.

use super::ApiClient;
use crate::error::AppError;
use trackboard_api::{
    encode_component, Asset, CocoImported, EvaluatedAsset, EvaluatedAssetFilter, Page, Split,
    SplitRequest,
};
use wasm_bindgen::JsValue;
use web_sys::{File, FormData};

impl ApiClient {
    /// `GET /experiments/{id}/evaluated-assets`: one page of the assets `filter` keeps
    /// (with `filter.asset_id`, one asset as this experiment evaluated it, or an empty
    /// page when it did not).
    pub async fn evaluated_assets(
        &self,
        experiment_id: i64,
        filter: &EvaluatedAssetFilter,
        offset: u64,
        limit: u32,
    ) -> Result<Page<EvaluatedAsset>, AppError> {
        let mut pairs = filter.query_pairs();
        pairs.push(("offset", offset.to_string()));
        pairs.push(("limit", limit.to_string()));
        // Every pair is sent, empty ones too: an empty cell label means "none".
        let query: Vec<String> = pairs
            .iter()
            .map(|(key, value)| format!("{key}={}", encode_component(value)))
            .collect();
        self.get_json(&format!(
            "/experiments/{experiment_id}/evaluated-assets?{}",
            query.join("&")
        ))
        .await
    }

    /// `POST /dataset-versions/{id}/assets`: one picked image, without ground truth.
    pub async fn upload_asset(&self, version_id: i64, image: &File) -> Result<Asset, AppError> {
        let form = form_of(&[("file", image)])?;
        self.send_form(&format!("/dataset-versions/{version_id}/assets"), &form)
            .await
    }

    /// `POST /dataset-versions/{id}/coco-import`: a COCO file and its images, all or nothing.
    pub async fn import_coco(
        &self,
        version_id: i64,
        coco: &File,
        images: &[File],
    ) -> Result<CocoImported, AppError> {
        let mut parts = vec![("annotations", coco)];
        parts.extend(images.iter().map(|image| ("images", image)));
        let form = form_of(&parts)?;
        self.send_form(
            &format!("/dataset-versions/{version_id}/coco-import"),
            &form,
        )
        .await
    }

    /// `POST /dataset-versions/{id}/split`.
    pub async fn split(&self, version_id: i64, request: &SplitRequest) -> Result<Split, AppError> {
        self.send_json(
            gloo_net::http::Request::post(
                &self.url(&format!("/dataset-versions/{version_id}/split")),
            ),
            request,
        )
        .await
    }

    /// How many evaluations an experiment has (`GET /experiments/{id}/evaluations?limit=1`).
    pub async fn evaluation_count(&self, experiment_id: i64) -> Result<u64, AppError> {
        let page: Page<serde_json::Value> = self
            .get_json(&format!("/experiments/{experiment_id}/evaluations?limit=1"))
            .await?;
        Ok(page.total)
    }

    /// `POST /experiments/{id}/evaluation-metrics`: starts the computation; the job follows it.
    pub async fn compute_metrics(
        &self,
        experiment_id: i64,
        kind: trackboard_api::InferenceType,
    ) -> Result<trackboard_api::MetricsJob, AppError> {
        self.send_json(
            gloo_net::http::Request::post(
                &self.url(&format!("/experiments/{experiment_id}/evaluation-metrics")),
            ),
            &trackboard_api::ComputeMetrics {
                inference_type: kind,
            },
        )
        .await
    }

    /// `GET /metric-jobs/{id}`: where a metrics computation stands.
    pub async fn metric_job(&self, id: i64) -> Result<trackboard_api::MetricsJob, AppError> {
        self.get_json(&format!("/metric-jobs/{id}")).await
    }

    /// `GET /assets/{id}/image`: the bytes and their type.
    pub async fn asset_image(&self, id: i64) -> Result<web_sys::Blob, AppError> {
        self.get_image_blob(&format!("/assets/{id}/image")).await
    }
}

/// A multipart form of picked files, each under its part name with its own file name.
fn form_of(parts: &[(&str, &File)]) -> Result<FormData, AppError> {
    let problem =
        |error: JsValue| AppError::Network(format!("could not build the form: {error:?}"));
    let form = FormData::new().map_err(problem)?;
    for (name, file) in parts {
        form.append_with_blob_and_filename(name, file, &file.name())
            .map_err(problem)?;
    }
    Ok(form)
}
