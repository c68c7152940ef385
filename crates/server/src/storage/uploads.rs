//! Multipart uploads in progress through MLflow's artifact proxy (its `mpu` routes):
//! each part is an object of its own until the upload completes into one artifact.

use super::{Constraints, Storage, StoreError, StoreResult};
use crate::timestamp;

/// An upload in progress: the run it writes to, the artifact name, the parts announced.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Upload {
    pub experiment_id: i64,
    pub name: String,
    pub parts: i64,
}

impl Storage {
    /// Records a new upload.
    pub async fn create_upload(&self, id: &str, upload: &Upload) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO mlflow_uploads (id, experiment_id, name, parts, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(upload.experiment_id)
        .bind(&upload.name)
        .bind(upload.parts)
        .bind(timestamp::now())
        .execute(&self.pool)
        .await
        .reference_means(|| StoreError::NotFound(format!("no run for the upload {id}")))?;
        Ok(())
    }

    /// An upload in progress, if any.
    pub async fn upload(&self, id: &str) -> StoreResult<Option<Upload>> {
        Ok(
            sqlx::query_as("SELECT experiment_id, name, parts FROM mlflow_uploads WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Records a part's object; answers the object of the same part sent before, if any.
    pub async fn put_upload_part(
        &self,
        id: &str,
        part_number: i64,
        object_key: &str,
        size: u64,
    ) -> StoreResult<Option<String>> {
        let mut tx = self.begin_write().await?;
        let replaced: Option<String> = sqlx::query_scalar(
            "DELETE FROM mlflow_upload_parts WHERE upload_id = $1 AND part_number = $2 RETURNING object_key",
        )
        .bind(id)
        .bind(part_number)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO mlflow_upload_parts (upload_id, part_number, object_key, size) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(part_number)
        .bind(object_key)
        .bind(size as i64)
        .execute(&mut *tx)
        .await
        .reference_means(|| StoreError::NotFound(format!("no upload {id}")))?;
        tx.commit().await?;
        Ok(replaced)
    }

    /// The parts received, in order: (part number, object key).
    pub async fn upload_parts(&self, id: &str) -> StoreResult<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT part_number, object_key FROM mlflow_upload_parts WHERE upload_id = $1 ORDER BY part_number",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Forgets an upload; answers its parts' object keys (to delete).
    pub async fn delete_upload(&self, id: &str) -> StoreResult<Vec<String>> {
        let mut tx = self.begin_write().await?;
        let keys =
            sqlx::query_scalar("SELECT object_key FROM mlflow_upload_parts WHERE upload_id = $1")
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
        sqlx::query("DELETE FROM mlflow_uploads WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(keys)
    }
}
