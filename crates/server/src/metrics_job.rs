//! Running a metrics computation as a job: the route creates it and returns at once;
//! this task computes on a blocking thread, writes its progress (classes done) while it
//! runs, keeps the metrics as the EVALUATION log and ends the job, failed with the
//! reason if anything refuses. No HTTP here: the routes start it and read the job.
//!
//! A job is leased by the process computing it, which renews the lease every third of
//! [`LEASE`]; every server looks for jobs whose lease ran out (their process died: a
//! replica killed, a machine lost) and computes them again from the start.

use crate::domain::LogData;
use crate::evaluation::metrics::evaluation_metrics_with_progress;
use crate::storage::{Storage, StoreResult};
use crate::timestamp;
use std::time::Duration;
use trackboard_api::{Asset, Evaluation, InferenceType, MetricsJobStatus};

/// How long a job's lease lasts without renewal, unless the server is told otherwise
/// (`--job-lease-seconds`).
pub const LEASE: Duration = Duration::from_secs(30);

static CONFIGURED_LEASE: std::sync::OnceLock<Duration> = std::sync::OnceLock::new();

/// Sets this process's lease once, at start (`--job-lease-seconds`): a shorter lease
/// lets a dead replica's job be taken over sooner, at the cost of more renewals.
pub fn configure_lease(lease: Duration) {
    let _ = CONFIGURED_LEASE.set(lease);
}

/// This process's lease: the configured one, or [`LEASE`].
pub fn lease() -> Duration {
    CONFIGURED_LEASE.get().copied().unwrap_or(LEASE)
}

/// The end of a lease taken now, in ms since the epoch.
pub fn lease_from_now(lease: Duration) -> i64 {
    timestamp::now_millis().saturating_add(lease.as_millis() as i64)
}

/// What a job of `experiment_id` computes: its evaluated assets and the labels of their
/// versions, in version order, each once. `None` when it has no evaluation.
pub async fn inputs(
    storage: &Storage,
    experiment_id: i64,
) -> StoreResult<Option<(Vec<String>, Vec<(Asset, Evaluation)>)>> {
    let evaluated = storage.evaluated_assets(experiment_id).await?;
    if evaluated.is_empty() {
        return Ok(None);
    }
    let mut version_ids: Vec<i64> = evaluated
        .iter()
        .map(|(asset, _)| asset.dataset_version_id)
        .collect();
    version_ids.sort_unstable();
    version_ids.dedup();
    let mut labels: Vec<String> = Vec::new();
    for id in version_ids {
        if let Some(version) = storage.get_dataset_version(id).await? {
            for label in version.labels {
                if !labels.contains(&label) {
                    labels.push(label);
                }
            }
        }
    }
    Ok(Some((labels, evaluated)))
}

/// Takes over one job whose lease ran out, if any, and computes it (spawned); whether
/// one was taken. A job whose experiment lost its evaluations meanwhile fails saying so.
pub async fn take_over_one(storage: &Storage, lease: Duration) -> StoreResult<bool> {
    let Some(job) = storage
        .claim_expired_metric_job(timestamp::now_millis(), lease_from_now(lease))
        .await?
    else {
        return Ok(false);
    };
    tracing::warn!(
        "metric job {}: its server stopped renewing its lease; computing it here",
        job.id
    );
    match inputs(storage, job.experiment_id).await? {
        Some((labels, evaluated)) => {
            let work = MetricsWork {
                job_id: job.id,
                experiment_id: job.experiment_id,
                inference_type: job.inference_type,
                labels,
                evaluated,
            };
            tokio::spawn(run(storage.clone(), work, lease));
        }
        None => {
            storage
                .finish_metric_job(
                    job.id,
                    MetricsJobStatus::Failed,
                    "the experiment has no evaluations any more",
                )
                .await?;
        }
    }
    Ok(true)
}

/// Every server's watch for jobs whose process died, every third of `lease`.
pub async fn watch_leases(storage: Storage, lease: Duration) {
    let mut every = tokio::time::interval(lease / 3);
    loop {
        every.tick().await;
        loop {
            match take_over_one(&storage, lease).await {
                Ok(true) => continue,
                Ok(false) => break,
                Err(error) => {
                    tracing::warn!("metric jobs: looking for expired leases failed: {error}");
                    break;
                }
            }
        }
    }
}

/// What one job computes.
pub struct MetricsWork {
    pub job_id: i64,
    pub experiment_id: i64,
    pub inference_type: InferenceType,
    pub labels: Vec<String>,
    pub evaluated: Vec<(Asset, Evaluation)>,
}

/// Computes `work`, keeping the job's row (and its lease) up to date; never panics the
/// caller.
pub async fn run(storage: Storage, work: MetricsWork, lease: Duration) {
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
    let mut renew = tokio::time::interval(lease / 3);
    renew.tick().await; // the first tick is now: the lease was just taken
    let computed = loop {
        tokio::select! {
            result = &mut computing => break result,
            _ = renew.tick() => {
                if let Err(error) = storage.renew_metric_job_lease(job_id, lease_from_now(lease)).await {
                    tracing::warn!("metric job {job_id}: lease not renewed: {error}");
                }
            }
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
