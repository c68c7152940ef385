//! Images of IMAGE logs: appended one upload at a time.

use super::logs::{load_log, upsert_log_row};
use super::{idempotency, Storage, StoreError, StoreResult};
use crate::domain::Once;
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
    /// it was created, object keys a `replace` dropped, and whether it was a replay: with
    /// `once`, an upload already applied under its key is answered as it was then.
    pub async fn add_image(
        &self,
        experiment_id: i64,
        name: &str,
        replace: Option<bool>,
        image: &NewImage<'_>,
        once: Option<&Once>,
    ) -> StoreResult<(Log, bool, Vec<String>, bool)> {
        let mut tx = self.begin_write().await?;
        if let Some(once) = once {
            if let Some((created, answer)) = idempotency::remembered(&mut tx, once).await? {
                return Ok((serde_json::from_str(&answer)?, created, Vec::new(), true));
            }
        }
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
        if let Some(once) = once {
            let answer = serde_json::to_string(&log)?;
            idempotency::remember(&mut tx, once, written.created, &answer).await?;
        }
        tx.commit().await?;
        Ok((log, written.created, written.dropped_objects, false))
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

impl Storage {
    /// Which of `ids` are images of some IMAGE log.
    pub async fn existing_images(&self, ids: &[i64]) -> StoreResult<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query_scalar(&format!(
            "SELECT id FROM log_images WHERE id IN ({})",
            super::id_list(ids)
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::from)
    }

    /// The secret that signs image links: the stored one, or `fresh` stored first when
    /// there is none (two servers starting at once agree on whichever was stored first).
    pub async fn link_secret(&self, fresh: &[u8]) -> StoreResult<Vec<u8>> {
        sqlx::query("INSERT INTO link_key (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
            .bind(fresh)
            .execute(&self.pool)
            .await?;
        sqlx::query_scalar("SELECT secret FROM link_key WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::from)
    }
}
