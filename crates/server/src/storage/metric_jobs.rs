//! Metrics computations: created running, their progress and end written by the task
//! that computes, read by whoever polls. A running job is leased by the process that
//! computes it (renewed while it works); one whose lease ran out is claimed by another.

use super::{Storage, StoreError, StoreResult};
use crate::timestamp;
use sqlx::FromRow;
use trackboard_api::{InferenceType, MetricsJob, MetricsJobStatus};

const COLUMNS: &str =
    "id, experiment_id, inference_type, status, done, total, message, created_at, updated_at";

#[derive(FromRow)]
struct JobRow {
    id: i64,
    experiment_id: i64,
    inference_type: String,
    status: String,
    done: i64,
    total: i64,
    message: String,
    created_at: String,
    updated_at: String,
}

fn status_text(status: MetricsJobStatus) -> &'static str {
    match status {
        MetricsJobStatus::Running => "running",
        MetricsJobStatus::Success => "success",
        MetricsJobStatus::Failed => "failed",
    }
}

impl TryFrom<JobRow> for MetricsJob {
    type Error = StoreError;

    fn try_from(row: JobRow) -> StoreResult<MetricsJob> {
        let unreadable = |what: &str| {
            StoreError::from(sqlx::Error::Decode(
                format!("metric job {}: unknown {what}", row.id).into(),
            ))
        };
        let inference_type = [
            InferenceType::ObjectDetection,
            InferenceType::Segmentation,
            InferenceType::Classification,
        ]
        .into_iter()
        .find(|t| t.as_str() == row.inference_type)
        .ok_or_else(|| unreadable("inference type"))?;
        let status = [
            MetricsJobStatus::Running,
            MetricsJobStatus::Success,
            MetricsJobStatus::Failed,
        ]
        .into_iter()
        .find(|s| status_text(*s) == row.status)
        .ok_or_else(|| unreadable("status"))?;
        Ok(MetricsJob {
            id: row.id,
            experiment_id: row.experiment_id,
            inference_type,
            status,
            done: row.done as u64,
            total: row.total as u64,
            message: row.message,
            log_name: inference_type.log_name(),
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

impl Storage {
    /// A new running job of `total` steps, leased until `lease_until` (ms since the epoch).
    pub async fn create_metric_job(
        &self,
        experiment_id: i64,
        inference_type: InferenceType,
        total: u64,
        lease_until: i64,
    ) -> StoreResult<MetricsJob> {
        let now = timestamp::now();
        let row: JobRow = sqlx::query_as(&format!(
            "INSERT INTO metric_jobs (experiment_id, inference_type, status, total, created_at, updated_at, lease_until) \
             VALUES ($1, $2, 'running', $3, $4, $4, $5) RETURNING {COLUMNS}"
        ))
        .bind(experiment_id)
        .bind(inference_type.as_str())
        .bind(total as i64)
        .bind(&now)
        .bind(lease_until)
        .fetch_one(&self.pool)
        .await?;
        MetricsJob::try_from(row)
    }

    /// Extends a running job's lease; whether it is still running.
    pub async fn renew_metric_job_lease(&self, id: i64, lease_until: i64) -> StoreResult<bool> {
        let result = sqlx::query(
            "UPDATE metric_jobs SET lease_until = $1 WHERE id = $2 AND status = 'running'",
        )
        .bind(lease_until)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() > 0)
    }

    /// Claims the oldest running job whose lease ran out before `now` (its process
    /// died): its lease becomes `lease_until` and its progress starts again. One
    /// statement, so of two servers claiming at once only one gets it.
    pub async fn claim_expired_metric_job(
        &self,
        now: i64,
        lease_until: i64,
    ) -> StoreResult<Option<MetricsJob>> {
        let row: Option<JobRow> = sqlx::query_as(&format!(
            "UPDATE metric_jobs SET lease_until = $1, done = 0, updated_at = $2 \
             WHERE id = (SELECT id FROM metric_jobs WHERE status = 'running' AND lease_until < $3 ORDER BY id LIMIT 1) \
             AND status = 'running' AND lease_until < $3 RETURNING {COLUMNS}"
        ))
        .bind(lease_until)
        .bind(timestamp::now())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(MetricsJob::try_from).transpose()
    }

    /// One job.
    pub async fn get_metric_job(&self, id: i64) -> StoreResult<Option<MetricsJob>> {
        let row: Option<JobRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM metric_jobs WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(MetricsJob::try_from).transpose()
    }

    /// Records that `done` steps are done.
    pub async fn set_metric_job_progress(&self, id: i64, done: u64) -> StoreResult<()> {
        sqlx::query("UPDATE metric_jobs SET done = $1, updated_at = $2 WHERE id = $3 AND status = 'running'")
            .bind(done as i64)
            .bind(timestamp::now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends a job: a success has done every step; a failure says why.
    pub async fn finish_metric_job(
        &self,
        id: i64,
        status: MetricsJobStatus,
        message: &str,
    ) -> StoreResult<()> {
        let done = if status == MetricsJobStatus::Success {
            "total"
        } else {
            "done"
        };
        sqlx::query(&format!(
            "UPDATE metric_jobs SET status = $1, message = $2, done = {done}, updated_at = $3 WHERE id = $4"
        ))
        .bind(status_text(status))
        .bind(message)
        .bind(timestamp::now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
