use super::{Constraints, Storage, StoreError, StoreResult};
use crate::listing::{Ordered, PageRequest, Sortable, SqlOrder};
use crate::objects::StoredObject;
use crate::timestamp;
use sqlx::{AnyConnection, FromRow};
use trackboard_api::Artifact;

const COLUMNS: &str =
    "id, experiment_id, name, filename, size, sha256, content_type, object_key, created_at";

#[derive(FromRow)]
struct ArtifactRow {
    id: i64,
    experiment_id: i64,
    name: String,
    filename: String,
    size: i64,
    sha256: String,
    content_type: String,
    object_key: String,
    created_at: String,
}

impl From<ArtifactRow> for Artifact {
    fn from(row: ArtifactRow) -> Self {
        Artifact {
            id: row.id,
            experiment_id: row.experiment_id,
            name: row.name,
            filename: row.filename,
            size: row.size as u64,
            sha256: row.sha256,
            content_type: row.content_type,
            object_name: row.object_key,
            created_at: row.created_at,
        }
    }
}

/// What `GET /experiments/{id}/artifacts?order_by=` accepts.
impl Ordered for Artifact {
    const ORDER: Sortable = Sortable {
        columns: &[
            ("name", "name"),
            ("created", "created_at"),
            ("size", "size"),
        ],
        default: "name",
        tie: "id",
    };
}

impl Storage {
    /// Records a stored object as an artifact. A taken name is a conflict on `name`.
    pub async fn create_artifact(
        &self,
        experiment_id: i64,
        name: &str,
        filename: &str,
        content_type: &str,
        object: &StoredObject,
    ) -> StoreResult<Artifact> {
        let mut connection = self.pool.acquire().await?;
        let row = insert_artifact(
            &mut connection,
            experiment_id,
            name,
            filename,
            content_type,
            object,
        )
        .await?;
        Ok(row.into())
    }

    /// A page of an experiment's artifacts, optionally only the one named `name`.
    pub async fn list_artifacts(
        &self,
        experiment_id: i64,
        page: PageRequest,
        order: &SqlOrder,
        name: Option<&str>,
    ) -> StoreResult<(Vec<Artifact>, u64)> {
        let filter = "experiment_id = $1 AND ($2 IS NULL OR name = $2)";
        let rows: Vec<ArtifactRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM artifacts WHERE {filter} ORDER BY {} LIMIT $3 OFFSET $4",
            order.as_sql()
        ))
        .bind(experiment_id)
        .bind(name)
        .bind(i64::from(page.limit))
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        let total: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM artifacts WHERE {filter}"))
                .bind(experiment_id)
                .bind(name)
                .fetch_one(&self.pool)
                .await?;
        Ok((rows.into_iter().map(Artifact::from).collect(), total as u64))
    }

    /// Stores an artifact under `name`, replacing one that holds the name (MLflow's
    /// artifacts are overwritten in place). Answers it and the replaced object's key.
    pub async fn put_artifact(
        &self,
        experiment_id: i64,
        name: &str,
        filename: &str,
        content_type: &str,
        object: &StoredObject,
    ) -> StoreResult<(Artifact, Option<String>)> {
        let mut tx = self.begin_write().await?;
        let replaced: Option<String> = sqlx::query_scalar(
            "DELETE FROM artifacts WHERE experiment_id = $1 AND name = $2 RETURNING object_key",
        )
        .bind(experiment_id)
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?;
        let row =
            insert_artifact(&mut tx, experiment_id, name, filename, content_type, object).await?;
        tx.commit().await?;
        Ok((row.into(), replaced))
    }

    /// Every artifact of an experiment with its object key, by name.
    pub async fn all_artifacts(&self, experiment_id: i64) -> StoreResult<Vec<(Artifact, String)>> {
        let rows: Vec<ArtifactRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM artifacts WHERE experiment_id = $1 ORDER BY name"
        ))
        .bind(experiment_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| (row.object_key.clone(), row))
            .map(|(key, row)| (row.into(), key))
            .collect())
    }

    /// An artifact and its object key.
    pub async fn get_artifact(&self, id: i64) -> StoreResult<Option<(Artifact, String)>> {
        let row: Option<ArtifactRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM artifacts WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|row| {
            let key = row.object_key.clone();
            (row.into(), key)
        }))
    }

    /// Deletes one artifact; its object key when it existed.
    pub async fn delete_artifact(&self, id: i64) -> StoreResult<Option<String>> {
        sqlx::query_scalar("DELETE FROM artifacts WHERE id = $1 RETURNING object_key")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::from)
    }

    /// Deletes every artifact of an experiment; their object keys.
    pub async fn delete_all_artifacts(&self, experiment_id: i64) -> StoreResult<Vec<String>> {
        sqlx::query_scalar("DELETE FROM artifacts WHERE experiment_id = $1 RETURNING object_key")
            .bind(experiment_id)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::from)
    }

    /// Every object key the experiments of a project own.
    pub async fn project_object_keys(&self, project_id: i64) -> StoreResult<Vec<String>> {
        sqlx::query_scalar(
            "SELECT a.object_key FROM artifacts a JOIN experiments e ON e.id = a.experiment_id WHERE e.project_id = $1 \
             UNION ALL SELECT i.object_key FROM log_images i JOIN logs l ON l.id = i.log_id \
             JOIN experiments e ON e.id = l.experiment_id WHERE e.project_id = $1 \
             UNION ALL SELECT p.object_key FROM mlflow_upload_parts p JOIN mlflow_uploads u ON u.id = p.upload_id \
             JOIN experiments e ON e.id = u.experiment_id WHERE e.project_id = $1",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await
            .map_err(StoreError::from)
    }

    /// Every object key an experiment owns (artifacts, images, parts of unfinished
    /// uploads), to delete with it.
    pub async fn experiment_object_keys(&self, experiment_id: i64) -> StoreResult<Vec<String>> {
        sqlx::query_scalar(
            "SELECT object_key FROM artifacts WHERE experiment_id = $1 \
             UNION ALL SELECT i.object_key FROM log_images i JOIN logs l ON l.id = i.log_id WHERE l.experiment_id = $1 \
             UNION ALL SELECT p.object_key FROM mlflow_upload_parts p JOIN mlflow_uploads u ON u.id = p.upload_id \
             WHERE u.experiment_id = $1",
        )
        .bind(experiment_id)
        .fetch_all(&self.pool)
        .await
            .map_err(StoreError::from)
    }
}

/// Inserts an artifact's row. A taken name is a conflict on `name`; a vanished
/// experiment is not found.
async fn insert_artifact(
    connection: &mut AnyConnection,
    experiment_id: i64,
    name: &str,
    filename: &str,
    content_type: &str,
    object: &StoredObject,
) -> StoreResult<ArtifactRow> {
    sqlx::query_as(&format!(
        "INSERT INTO artifacts (experiment_id, name, filename, size, sha256, content_type, object_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {COLUMNS}"
    ))
    .bind(experiment_id)
    .bind(name)
    .bind(filename)
    .bind(object.size as i64)
    .bind(&object.sha256)
    .bind(content_type)
    .bind(&object.key)
    .bind(timestamp::now())
    .fetch_one(connection)
    .await
    .unique_means("name", || {
        format!("this experiment already has an artifact named {name:?}; delete it first")
    })
    .reference_means(|| StoreError::NotFound(format!("no experiment with id {experiment_id}")))
}
