//! Running a metrics computation as a job: the route creates it and returns at once;
//! this task computes on a blocking thread, writes its progress (classes done) while it
//! runs, keeps the metrics as the EVALUATION log and ends the job, failed with the
//! reason if anything refuses. No HTTP here: the routes start it and read the job.

use crate::domain::LogData;
use crate::evaluation::metrics::evaluation_metrics_with_progress;
use crate::storage::Storage;
use crate::timestamp;
use trackboard_api::{Asset, Evaluation, InferenceType, MetricsJobStatus};

/// What one job computes.
pub struct MetricsWork {
    pub job_id: i64,
    pub experiment_id: i64,
    pub inference_type: InferenceType,
    pub labels: Vec<String>,
    pub evaluated: Vec<(Asset, Evaluation)>,
}

/// Computes `work`, keeping the job's row up to date; never panics the caller.
pub async fn run(storage: Storage, work: MetricsWork) {
    let MetricsWork {
        job_id,
        experiment_id,
        inference_type,
        labels,
        evaluated,
    } = work;
    let (progress, mut steps) = tokio::sync::watch::channel(0usize);
    let mut computing = tokio::task::spawn_blocking(move || {
        evaluation_metrics_with_progress(
            inference_type,
            &labels,
            &evaluated,
            timestamp::now(),
            &mut |done| {
                let _ = progress.send(done);
            },
        )
    });
    let computed = loop {
        tokio::select! {
            result = &mut computing => break result,
            changed = steps.changed() => {
                if changed.is_ok() {
                    let done = *steps.borrow_and_update();
                    if let Err(error) = storage.set_metric_job_progress(job_id, done as u64).await {
                        tracing::warn!("metric job {job_id}: progress not kept: {error}");
                    }
                }
            }
        }
    };
    let outcome = match computed {
        Ok(metrics) => storage
            .write_log(
                experiment_id,
                &inference_type.log_name(),
                &LogData::Evaluation(metrics),
                None,
                None,
            )
            .await
            .map(|_| ())
            .map_err(|error| format!("the metrics were computed but not kept: {error}")),
        Err(error) => Err(format!("the computation stopped: {error}")),
    };
    let ended = match outcome {
        Ok(()) => {
            storage
                .finish_metric_job(job_id, MetricsJobStatus::Success, "")
                .await
        }
        Err(message) => {
            storage
                .finish_metric_job(job_id, MetricsJobStatus::Failed, &message)
                .await
        }
    };
    if let Err(error) = ended {
        tracing::error!("metric job {job_id}: its end was not kept: {error}");
    }
}
