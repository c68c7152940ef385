//! An experiment's evaluated assets, as the asset browser pages through them, and the
//! assets' images.

use super::{query_string, ApiClient, ApiError};
use crate::evaluations::BrowserQuery;
use trackboard_api::{EvaluatedAsset, Page};

impl ApiClient {
    /// `GET /experiments/{id}/evaluated-assets`: one page of the assets `query` keeps.
    pub async fn evaluated_assets(
        &self,
        experiment_id: i64,
        query: &BrowserQuery,
        offset: u64,
        limit: u32,
    ) -> Result<Page<EvaluatedAsset>, ApiError> {
        let (offset, limit) = (offset.to_string(), limit.to_string());
        let mut pairs = query.api_pairs();
        pairs.push(("offset", offset));
        pairs.push(("limit", limit));
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.get_json(&format!(
            "/experiments/{experiment_id}/evaluated-assets?{}{}",
            query_string(&borrowed),
            query.cell_tail()
        ))
        .await
    }

    /// `GET /experiments/{id}/evaluated-assets?asset_id=…`: one asset as this experiment
    /// evaluated it (an empty page when it did not).
    pub async fn evaluated_assets_of(
        &self,
        experiment_id: i64,
        query: &BrowserQuery,
        asset_id: i64,
    ) -> Result<Page<EvaluatedAsset>, ApiError> {
        let mut pairs = query.api_pairs();
        pairs.push(("asset_id", asset_id.to_string()));
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.get_json(&format!(
            "/experiments/{experiment_id}/evaluated-assets?{}",
            query_string(&borrowed)
        ))
        .await
    }

    /// `GET /assets/{id}/image`: the bytes and their type.
    pub async fn asset_image(&self, id: i64) -> Result<(Vec<u8>, String), ApiError> {
        self.get_bytes(&format!("/assets/{id}/image")).await
    }
}
