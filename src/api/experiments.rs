//! One experiment and what it logged: logs, line points, artifacts, the job's log, and
//! its export to the model registry.

use super::{encode_component, query_string, range_values, ApiClient};
use crate::error::AppError;
use gloo_net::http::Request;
use trackboard_api::{
    Artifact, Checkpoint, ComparedExperiments, Experiment, ExperimentPatch, ExportExperiment,
    ImageLinks, JobLog, LineComparison, LineComparisons, LinePoints, LineTimes, Log, ModelVersion,
    Page,
};

impl ApiClient {
    /// `GET /experiments/{id}`.
    pub async fn get_experiment(&self, id: i64) -> Result<Experiment, AppError> {
        if let Some(snapshot) = self.snapshot_source() {
            return snapshot.compared(&[id]).and_then(|mut compared| {
                compared
                    .experiments
                    .pop()
                    .map(|entry| entry.experiment)
                    .ok_or_else(|| {
                        AppError::Snapshot(format!("experiment {id} is not part of this snapshot"))
                    })
            });
        }
        self.get_json(&format!("/experiments/{id}")).await
    }

    /// `PATCH /experiments/{id}`: changes the fields the patch names.
    pub async fn update_experiment(
        &self,
        id: i64,
        patch: &ExperimentPatch,
    ) -> Result<Experiment, AppError> {
        self.send_json(
            Request::patch(&self.url(&format!("/experiments/{id}"))),
            patch,
        )
        .await
    }

    /// Where a script logs to an experiment (`POST /experiments/{id}/logs`), as a
    /// command-line URL.
    pub fn logs_url(&self, experiment_id: i64) -> String {
        format!("{}/experiments/{experiment_id}/logs", self.api_root())
    }

    /// Where a script uploads an artifact (`POST /experiments/{id}/artifacts`), as a
    /// command-line URL.
    pub fn artifacts_url(&self, experiment_id: i64) -> String {
        format!("{}/experiments/{experiment_id}/artifacts", self.api_root())
    }

    /// `GET /experiments/{id}/logs`: every log, by name (page after page).
    pub async fn list_logs(&self, experiment_id: i64) -> Result<Page<Log>, AppError> {
        self.list_all(&format!("/experiments/{experiment_id}/logs"), &[])
            .await
    }

    /// `GET /experiments/{id}/logs/{name}/points`: the points of a LINE log in a step
    /// range (all when `None`), reduced by the server for `width` device pixels.
    pub async fn line_points(
        &self,
        experiment_id: i64,
        log_name: &str,
        range: Option<(i64, i64)>,
        width: u32,
    ) -> Result<LinePoints, AppError> {
        let width = width.to_string();
        let (from, to) = range_values(range);
        let query = query_string(&[("width", &width), ("from", &from), ("to", &to)]);
        let path = format!(
            "/experiments/{experiment_id}/logs/{}/points?{query}",
            encode_component(log_name)
        );
        self.get_frame(&path, trackboard_series::decode_points)
            .await
    }

    /// `GET /experiments/{id}/logs/{name}/times`: when each series' points were logged.
    /// A snapshot keeps no times (its charts are drawn against steps).
    pub async fn line_times(
        &self,
        experiment_id: i64,
        log_name: &str,
    ) -> Result<LineTimes, AppError> {
        if self.is_snapshot() {
            return Err(AppError::Snapshot(
                "a snapshot keeps no wall times: its charts are drawn against steps".into(),
            ));
        }
        self.get_json(&format!(
            "/experiments/{experiment_id}/logs/{}/times",
            encode_component(log_name)
        ))
        .await
    }

    /// `GET /experiments/{id}/logs/{name}/points.csv`: every point, `series,step,value`.
    pub async fn line_points_csv(
        &self,
        experiment_id: i64,
        log_name: &str,
    ) -> Result<String, AppError> {
        let (bytes, _) = self
            .get_bytes(&format!(
                "/experiments/{experiment_id}/logs/{}/points.csv",
                encode_component(log_name)
            ))
            .await?;
        String::from_utf8(bytes).map_err(|_| AppError::Unreadable {
            status: 200,
            detail: "the CSV is not UTF-8".into(),
        })
    }

    /// `GET /line-comparison`: one LINE log across experiments on one step grid.
    pub async fn line_comparison(
        &self,
        experiment_ids: &[i64],
        log_name: &str,
        range: Option<(i64, i64)>,
        width: u32,
    ) -> Result<LineComparison, AppError> {
        let ids = joined_ids(experiment_ids);
        let width = width.to_string();
        let (from, to) = range_values(range);
        let query = query_string(&[
            ("experiment_ids", &ids),
            ("log", log_name),
            ("width", &width),
            ("from", &from),
            ("to", &to),
        ]);
        let path = format!("/line-comparison?{query}");
        self.get_frame(&path, trackboard_series::decode_comparison)
            .await
    }

    /// `GET /line-comparisons`: several LINE logs across the same experiments in one
    /// answer, each as `line_comparison` would answer it alone.
    pub async fn line_comparisons(
        &self,
        experiment_ids: &[i64],
        log_names: &[String],
        range: Option<(i64, i64)>,
        width: u32,
    ) -> Result<LineComparisons, AppError> {
        if let Some(snapshot) = self.snapshot_source() {
            return snapshot
                .line_comparisons(experiment_ids, log_names, range, width)
                .await;
        }
        let path = format!(
            "/line-comparisons?{}",
            comparisons_query(experiment_ids, log_names, range, width)
        );
        self.get_frame(&path, trackboard_series::decode_comparisons)
            .await
    }

    /// `GET /compared-experiments`: each experiment with all its logs, in the order asked.
    pub async fn compared_experiments(
        &self,
        experiment_ids: &[i64],
    ) -> Result<ComparedExperiments, AppError> {
        if let Some(snapshot) = self.snapshot_source() {
            return snapshot.compared(experiment_ids);
        }
        let path = format!(
            "/compared-experiments?{}",
            query_string(&[("experiment_ids", &joined_ids(experiment_ids))])
        );
        self.get_json(&path).await
    }

    /// `GET /experiments/{id}/artifacts`: every artifact, by name (page after page).
    pub async fn list_artifacts(&self, experiment_id: i64) -> Result<Page<Artifact>, AppError> {
        self.list_all(&format!("/experiments/{experiment_id}/artifacts"), &[])
            .await
    }

    /// `GET /experiments/{id}/checkpoints`: metrics recorded per checkpoint (none in a
    /// snapshot, which does not carry them).
    pub async fn list_checkpoints(&self, experiment_id: i64) -> Result<Vec<Checkpoint>, AppError> {
        if self.is_snapshot() {
            return Ok(Vec::new());
        }
        self.get_json(&format!("/experiments/{experiment_id}/checkpoints"))
            .await
    }

    /// `GET /artifacts/{id}/download`: the artifact's bytes and type.
    pub async fn download_artifact(&self, id: i64) -> Result<(Vec<u8>, String), AppError> {
        self.get_bytes(&format!("/artifacts/{id}/download")).await
    }

    /// `DELETE /artifacts/{id}`: the artifact and its stored bytes.
    pub async fn delete_artifact(&self, id: i64) -> Result<(), AppError> {
        self.delete(&format!("/artifacts/{id}")).await
    }

    /// `GET /images/{id}`: an image of an IMAGE log, with its type.
    pub async fn image(&self, id: i64) -> Result<web_sys::Blob, AppError> {
        if let Some(snapshot) = self.snapshot_source() {
            let (bytes, content_type) = snapshot.image(id).await?;
            return super::blob_of(&bytes, &content_type)
                .ok_or_else(|| AppError::Network("the browser refused to hold the image".into()));
        }
        self.get_image_blob(&format!("/images/{id}")).await
    }

    /// `GET /image-links`: a signed link for each of `image_ids` (at most 500), which a
    /// plain `<img src>` loads without the token.
    pub async fn image_links(&self, image_ids: &[i64]) -> Result<ImageLinks, AppError> {
        let query = query_string(&[("image_ids", &joined_ids(image_ids))]);
        self.get_json(&format!("/image-links?{query}")).await
    }

    /// The absolute URL of a link's `path` (below the API root).
    pub fn linked_url(&self, path: &str) -> String {
        self.url(path)
    }

    /// `GET /experiments/{id}/job/logs?after=N`: the job's status and new lines.
    pub async fn job_log(
        &self,
        experiment_id: i64,
        after: Option<u64>,
        limit: u32,
    ) -> Result<JobLog, AppError> {
        let after = after.map(|n| n.to_string()).unwrap_or_default();
        let limit = limit.to_string();
        let query = query_string(&[("after", &after), ("limit", &limit)]);
        self.get_json(&format!("/experiments/{experiment_id}/job/logs?{query}"))
            .await
    }

    /// `POST /experiments/{id}/export`: a new model version.
    pub async fn export_experiment(
        &self,
        id: i64,
        export: &ExportExperiment,
    ) -> Result<ModelVersion, AppError> {
        self.send_json(
            Request::post(&self.url(&format!("/experiments/{id}/export"))),
            export,
        )
        .await
    }
}

/// `3,1,2`: the ids of a comparison.
fn joined_ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// The query of `GET /line-comparisons`: log names one per line (names hold no control
/// characters, so a newline never splits one).
fn comparisons_query(
    experiment_ids: &[i64],
    log_names: &[String],
    range: Option<(i64, i64)>,
    width: u32,
) -> String {
    let width = width.to_string();
    let (from, to) = range_values(range);
    query_string(&[
        ("experiment_ids", &joined_ids(experiment_ids)),
        ("logs", &log_names.join("\n")),
        ("width", &width),
        ("from", &from),
        ("to", &to),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_query_names_logs_one_per_line_and_omits_an_open_range() {
        let names = ["loss".to_owned(), "acc, top-1".to_owned()];
        assert_eq!(
            comparisons_query(&[3, 1], &names, None, 640),
            "experiment_ids=3%2C1&logs=loss%0Aacc%2C%20top-1&width=640"
        );
        assert_eq!(
            comparisons_query(&[3], &names[..1], Some((-5, 9)), 10),
            "experiment_ids=3&logs=loss&width=10&from=-5&to=9"
        );
    }
}
