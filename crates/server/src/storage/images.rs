//! Images of IMAGE logs: appended one upload at a time.

use super::logs::{assemble, clear_log_contents, LogRow, COLUMNS};
use super::Storage;
use crate::domain::{plan_write, WritePlan};
use crate::error::ApiError;
use crate::objects::StoredObject;
use crate::timestamp;
use trackboard_api::{Log, LogType};

/// An image to add to an IMAGE log.
#[derive(Debug)]
pub struct NewImage<'a> {
    pub object: &'a StoredObject,
    pub content_type: &'static str,
    pub caption: String,
    pub step: Option<i64>,
}

impl Storage {
    /// Appends an image to the IMAGE log `name` (creating it). Answers the log, whether
    /// it was created, and object keys a `replace` dropped.
    pub async fn add_image(
        &self,
        experiment_id: i64,
        name: &str,
        replace: Option<bool>,
        image: &NewImage<'_>,
    ) -> Result<(Log, bool, Vec<String>), ApiError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let existing: Option<(i64, String)> =
            sqlx::query_as("SELECT id, type FROM logs WHERE experiment_id = $1 AND name = $2")
                .bind(experiment_id)
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
        let existing_type = existing.as_ref().and_then(|(_, text)| LogType::parse(text));
        let plan = plan_write(name, existing_type, LogType::Image, replace)?;
        let now = timestamp::now();
        let mut dropped = Vec::new();
        let log_id: i64 =
            match existing {
                Some((id, _)) if plan != WritePlan::Insert => {
                    if plan == WritePlan::ReplaceAll {
                        dropped = clear_log_contents(&mut tx, id).await?;
                    }
                    sqlx::query(
                    "UPDATE logs SET type = 'IMAGE', data = NULL, updated_at = $1 WHERE id = $2",
                )
                .bind(&now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                    id
                }
                _ => sqlx::query_scalar(
                    "INSERT INTO logs (experiment_id, name, type, data, created_at, updated_at) \
                     VALUES ($1, $2, 'IMAGE', NULL, $3, $3) RETURNING id",
                )
                .bind(experiment_id)
                .bind(name)
                .bind(&now)
                .fetch_one(&mut *tx)
                .await?,
            };
        sqlx::query(
            "INSERT INTO log_images (log_id, object_key, content_type, size, caption, step, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(log_id)
        .bind(&image.object.key)
        .bind(image.content_type)
        .bind(image.object.size as i64)
        .bind(&image.caption)
        .bind(image.step)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        let row: LogRow = sqlx::query_as(&format!("SELECT {COLUMNS} FROM logs WHERE id = $1"))
            .bind(log_id)
            .fetch_one(&mut *tx)
            .await?;
        let log = assemble(&mut tx, row).await?;
        tx.commit().await?;
        Ok((log, plan == WritePlan::Insert, dropped))
    }

    /// An image's object key and sniffed type.
    pub async fn get_image(&self, id: i64) -> sqlx::Result<Option<(String, String, i64)>> {
        sqlx::query_as("SELECT object_key, content_type, size FROM log_images WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }
}
