//! Images of IMAGE logs: appended one upload at a time.

use super::logs::{load_log, upsert_log_row};
use super::{Storage, StoreError, StoreResult};
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
    ) -> StoreResult<(Log, bool, Vec<String>)> {
        let mut tx = self.begin_write().await?;
        let written =
            upsert_log_row(&mut tx, experiment_id, name, LogType::Image, None, replace).await?;
        let now = timestamp::now();
        sqlx::query(
            "INSERT INTO log_images (log_id, object_key, content_type, size, caption, step, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(written.log_id)
        .bind(&image.object.key)
        .bind(image.content_type)
        .bind(image.object.size as i64)
        .bind(&image.caption)
        .bind(image.step)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        let log = load_log(&mut tx, written.log_id).await?;
        tx.commit().await?;
        Ok((log, written.created, written.dropped_objects))
    }

    /// An image's object key and sniffed type.
    pub async fn get_image(&self, id: i64) -> StoreResult<Option<(String, String, i64)>> {
        sqlx::query_as("SELECT object_key, content_type, size FROM log_images WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::from)
    }
}
