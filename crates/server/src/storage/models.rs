//! The model registry: models, numbered versions and exports from experiments.

use super::page::Listing;
use super::{Constraints, Storage, StoreError, StoreResult};
use crate::listing::{Ordered, PageRequest, Sortable, SqlOrder};
use crate::timestamp;
use sqlx::{AnyConnection, FromRow};
use std::collections::BTreeMap;
use trackboard_api::{Model, ModelFile, ModelType, ModelVersion, NewModel, Scalar};

const MODEL_COLUMNS: &str =
    "m.id, m.name, m.description, m.type, m.framework, m.tags, m.created_at, m.updated_at, \
     (SELECT COUNT(*) FROM model_versions v WHERE v.model_id = m.id) AS version_count";
/// Versions with their parent's name.
const VERSIONS_FROM: &str = "model_versions v JOIN models m ON m.id = v.model_id";
const VERSION_COLUMNS: &str =
    "v.id, v.model_id, m.name AS model_name, v.version, v.source_experiment_id, \
     v.labelmap, v.parameters, v.created_at";

#[derive(FromRow)]
struct ModelRow {
    id: i64,
    name: String,
    description: String,
    #[sqlx(rename = "type")]
    model_type: String,
    framework: String,
    tags: String,
    created_at: String,
    updated_at: String,
    version_count: i64,
}

fn decode(what: &str, id: i64, error: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(format!("{what} of row {id}: {error}").into())
}

impl TryFrom<ModelRow> for Model {
    type Error = StoreError;

    fn try_from(row: ModelRow) -> StoreResult<Self> {
        Ok(Model {
            id: row.id,
            model_type: ModelType::parse(&row.model_type)
                .ok_or_else(|| decode("model type", row.id, &row.model_type))?,
            tags: serde_json::from_str(&row.tags).map_err(|error| decode("tags", row.id, error))?,
            name: row.name,
            description: row.description,
            framework: row.framework,
            version_count: row.version_count as u64,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

#[derive(FromRow)]
struct VersionRow {
    id: i64,
    model_id: i64,
    model_name: String,
    version: i64,
    source_experiment_id: Option<i64>,
    labelmap: String,
    parameters: String,
    created_at: String,
}

/// Which model an export goes into.
#[derive(Clone, Debug)]
pub enum ExportTarget {
    /// Create this model (checked), then its version 1.
    New(NewModel),
    /// The next version of this model.
    Existing(i64),
}

/// What `GET /models?order_by=` accepts.
impl Ordered for Model {
    const ORDER: Sortable = Sortable {
        columns: &[
            ("name", "m.name"),
            ("created", "m.created_at"),
            ("updated", "m.updated_at"),
        ],
        default: "name",
        tie: "m.id",
    };
}

/// What `GET /models/{id}/versions?order_by=` accepts.
impl Ordered for ModelVersion {
    const ORDER: Sortable = Sortable {
        columns: &[("version", "v.version"), ("created", "v.created_at")],
        default: "-version",
        tie: "v.id",
    };
}

impl Storage {
    /// Creates a model; a taken name is a conflict on `name`.
    pub async fn create_model(&self, model: &NewModel) -> StoreResult<Model> {
        let id = insert_model(&mut *self.pool.acquire().await?, model)
            .await
            .unique_means("name", || format!("a model named {:?} exists", model.name))?;
        self.get_model(id)
            .await?
            .ok_or(StoreError::Database(sqlx::Error::RowNotFound))
    }

    /// The model with this id.
    pub async fn get_model(&self, id: i64) -> StoreResult<Option<Model>> {
        let row: Option<ModelRow> = sqlx::query_as(&format!(
            "SELECT {MODEL_COLUMNS} FROM models m WHERE m.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Model::try_from).transpose()
    }

    /// A page of models by name.
    pub async fn list_models(
        &self,
        page: PageRequest,
        order: &SqlOrder,
    ) -> StoreResult<(Vec<Model>, u64)> {
        let listing = Listing {
            columns: MODEL_COLUMNS,
            from: "models m",
            parent: None,
        };
        let (rows, total) = self.fetch_page::<ModelRow>(listing, page, order).await?;
        let items = rows
            .into_iter()
            .map(Model::try_from)
            .collect::<StoreResult<_>>()?;
        Ok((items, total))
    }

    /// The model version with this id, with its files.
    pub async fn get_model_version(&self, id: i64) -> StoreResult<Option<ModelVersion>> {
        let row: Option<VersionRow> = sqlx::query_as(&format!(
            "SELECT {VERSION_COLUMNS} FROM {VERSIONS_FROM} WHERE v.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(Some(self.assemble_version(row).await?)),
            None => Ok(None),
        }
    }

    /// A page of a model's versions, newest first.
    pub async fn list_model_versions(
        &self,
        model_id: i64,
        page: PageRequest,
        order: &SqlOrder,
    ) -> StoreResult<(Vec<ModelVersion>, u64)> {
        let listing = Listing {
            columns: VERSION_COLUMNS,
            from: VERSIONS_FROM,
            parent: Some(("v.model_id", model_id)),
        };
        let (rows, total) = self.fetch_page::<VersionRow>(listing, page, order).await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            items.push(self.assemble_version(row).await?);
        }
        Ok((items, total))
    }

    async fn assemble_version(&self, row: VersionRow) -> StoreResult<ModelVersion> {
        let files: Vec<(String, String, i64, String)> = sqlx::query_as(
            "SELECT name, filename, size, sha256 FROM model_version_artifacts WHERE model_version_id = $1 ORDER BY name",
        )
        .bind(row.id)
        .fetch_all(&self.pool)
        .await?;
        Ok(ModelVersion {
            id: row.id,
            model_id: row.model_id,
            model_name: row.model_name,
            version: row.version as u32,
            source_experiment_id: row.source_experiment_id,
            labelmap: serde_json::from_str(&row.labelmap)
                .map_err(|error| decode("labelmap", row.id, error))?,
            parameters: serde_json::from_str(&row.parameters)
                .map_err(|error| decode("parameters", row.id, error))?,
            files: files
                .into_iter()
                .map(|(name, filename, size, sha256)| ModelFile {
                    name,
                    filename,
                    size: size as u64,
                    sha256,
                })
                .collect(),
            created_at: row.created_at,
        })
    }

    /// Exports an experiment as the next version of a model, in one transaction: the
    /// version number, the label map and parameters copied, the artifacts linked.
    pub async fn export_experiment(
        &self,
        experiment_id: i64,
        target: &ExportTarget,
    ) -> StoreResult<ModelVersion> {
        let mut tx = self.begin_write().await?;
        let model_id = match target {
            ExportTarget::New(model) => {
                insert_model(&mut tx, model)
                    .await
                    .unique_means("model.name", || {
                        format!(
                            "a model named {:?} exists; export into it with model_id",
                            model.name
                        )
                    })?
            }
            ExportTarget::Existing(id) => {
                let found: Option<i64> = sqlx::query_scalar("SELECT id FROM models WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                found.ok_or_else(|| StoreError::NotFound(format!("no model with id {id}")))?
            }
        };
        let version: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE model_id = $1",
        )
        .bind(model_id)
        .fetch_one(&mut *tx)
        .await?;
        let labelmap = log_data_of(&mut tx, experiment_id, "LABELMAP", None)
            .await?
            .unwrap_or_else(|| "{}".to_owned());
        let parameters = log_data_of(&mut tx, experiment_id, "TABLE", Some("parameters"))
            .await?
            .unwrap_or_else(|| "{}".to_owned());
        // Both were checked on the way in; reading them proves they still parse.
        let _: BTreeMap<String, String> = serde_json::from_str(&labelmap)?;
        let _: BTreeMap<String, Scalar> = serde_json::from_str(&parameters)?;
        let now = timestamp::now();
        let version_id: i64 = sqlx::query_scalar(
            "INSERT INTO model_versions (model_id, version, source_experiment_id, labelmap, parameters, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(model_id)
        .bind(version)
        .bind(experiment_id)
        .bind(&labelmap)
        .bind(&parameters)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO model_version_artifacts (model_version_id, name, filename, size, sha256, object_key) \
             SELECT $1, name, filename, size, sha256, object_key FROM artifacts WHERE experiment_id = $2",
        )
        .bind(version_id)
        .bind(experiment_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE models SET updated_at = $1 WHERE id = $2")
            .bind(&now)
            .bind(model_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.get_model_version(version_id)
            .await?
            .ok_or(StoreError::Database(sqlx::Error::RowNotFound))
    }

    /// `keys` without those a row still names (a model version exported with the file,
    /// or another artifact registered on it): those files must outlive the rows they
    /// came from.
    pub async fn unshared_keys(&self, keys: Vec<String>) -> StoreResult<Vec<String>> {
        let mut shared = std::collections::HashSet::new();
        // One query per table and 500 keys (well under SQLite's bound-parameter limit).
        for table in ["model_version_artifacts", "artifacts"] {
            for chunk in keys.chunks(500) {
                let sql = format!(
                    "SELECT DISTINCT object_key FROM {table} WHERE object_key IN {}",
                    self.backend().values_list(1, chunk.len())
                );
                let mut query = sqlx::query_scalar(&sql);
                for key in chunk {
                    query = query.bind(key);
                }
                let found: Vec<String> = query.fetch_all(&self.pool).await?;
                shared.extend(found);
            }
        }
        Ok(keys
            .into_iter()
            .filter(|key| !shared.contains(key))
            .collect())
    }
}

async fn insert_model(connection: &mut AnyConnection, model: &NewModel) -> StoreResult<i64> {
    let tags =
        serde_json::to_string(&model.tags).map_err(|error| sqlx::Error::Encode(error.into()))?;
    sqlx::query_scalar(
        "INSERT INTO models (name, description, type, framework, tags, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(&model.name)
    .bind(&model.description)
    .bind(model.model_type.as_str())
    .bind(&model.framework)
    .bind(tags)
    .bind(timestamp::now())
    .fetch_one(&mut *connection)
    .await
    .map_err(StoreError::from)
}

/// The stored JSON of an experiment's log of `log_type` (named `name`, or the first by name).
async fn log_data_of(
    connection: &mut AnyConnection,
    experiment_id: i64,
    log_type: &str,
    name: Option<&str>,
) -> StoreResult<Option<String>> {
    let data: Option<Option<String>> = sqlx::query_scalar(
        "SELECT data FROM logs WHERE experiment_id = $1 AND type = $2 AND ($3 IS NULL OR name = $3) ORDER BY name LIMIT 1",
    )
    .bind(experiment_id)
    .bind(log_type)
    .bind(name)
    .fetch_optional(&mut *connection)
    .await?;
    Ok(data.flatten())
}
