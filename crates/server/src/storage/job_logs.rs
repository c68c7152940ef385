//! Live logs of an experiment's job and its status.

use super::{Storage, StoreError, StoreResult};
use crate::timestamp;
use trackboard_api::{JobLogLine, JobStatus};

impl Storage {
    /// Appends lines in `chapter` (default: the last line's chapter); answers the last
    /// line number. Numbers are taken inside the write transaction, so concurrent
    /// writers never share one.
    pub async fn append_job_log(
        &self,
        experiment_id: i64,
        chapter: Option<&str>,
        lines: &[String],
    ) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let last: Option<(i64, String)> = sqlx::query_as(
            "SELECT line_number, chapter FROM job_log_lines WHERE experiment_id = $1 ORDER BY line_number DESC LIMIT 1",
        )
        .bind(experiment_id)
        .fetch_optional(&mut *tx)
        .await?;
        let mut number = last.as_ref().map_or(0, |(n, _)| n + 1);
        let chapter = chapter
            .map(str::to_owned)
            .or(last.map(|(_, c)| c))
            .unwrap_or_default();
        let now = timestamp::now();
        for line in lines {
            sqlx::query("INSERT INTO job_log_lines (experiment_id, line_number, chapter, text, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(experiment_id)
                .bind(number)
                .bind(&chapter)
                .bind(line)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            number += 1;
        }
        tx.commit().await?;
        Ok((number - 1).max(0) as u64)
    }

    /// Up to `limit` lines after line `after` (all from the start when `None`).
    pub async fn job_log_lines(
        &self,
        experiment_id: i64,
        after: Option<u64>,
        limit: u32,
    ) -> StoreResult<Vec<JobLogLine>> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT line_number, chapter, text, created_at FROM job_log_lines \
             WHERE experiment_id = $1 AND line_number > $2 ORDER BY line_number LIMIT $3",
        )
        .bind(experiment_id)
        .bind(after.map_or(-1, |n| n as i64))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(line_number, chapter, text, created_at)| JobLogLine {
                line_number: line_number as u64,
                chapter,
                text,
                created_at,
            })
            .collect())
    }

    /// Chapters in order of their first line.
    pub async fn job_log_chapters(&self, experiment_id: i64) -> StoreResult<Vec<String>> {
        sqlx::query_scalar(
            "SELECT chapter FROM job_log_lines WHERE experiment_id = $1 GROUP BY chapter ORDER BY MIN(line_number)",
        )
        .bind(experiment_id)
        .fetch_all(&self.pool)
        .await
            .map_err(StoreError::from)
    }

    /// Sets the job status; whether the experiment exists.
    pub async fn set_job_status(&self, experiment_id: i64, status: JobStatus) -> StoreResult<bool> {
        let result =
            sqlx::query("UPDATE experiments SET job_status = $1, updated_at = $2 WHERE id = $3")
                .bind(status.as_str())
                .bind(timestamp::now())
                .bind(experiment_id)
                .execute(&self.pool)
                .await?;
        Ok(result.rows_affected() > 0)
    }
}
