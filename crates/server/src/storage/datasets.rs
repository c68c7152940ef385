//! The dataset registry and experiments' attachments.

use super::page::Listing;
use super::{Constraints, Storage, StoreError, StoreResult};
use crate::listing::{Ordered, PageRequest, Sortable, SqlOrder};
use crate::timestamp;
use sqlx::FromRow;
use trackboard_api::{AttachedDataset, Dataset, DatasetVersion};

/// What `GET /datasets?order_by=` accepts.
impl Ordered for Dataset {
    const ORDER: Sortable = Sortable {
        columns: &[
            ("name", "d.name"),
            ("created", "d.created_at"),
            ("updated", "d.updated_at"),
        ],
        default: "name",
        tie: "d.id",
    };
}

/// What `GET /datasets/{id}/versions?order_by=` accepts.
impl Ordered for DatasetVersion {
    const ORDER: Sortable = Sortable {
        columns: &[
            ("created", "v.created_at"),
            ("version", "v.version"),
            ("assets", "v.asset_count"),
        ],
        default: "-created",
        tie: "v.id",
    };
}

const DATASET_COLUMNS: &str = "d.id, d.name, d.description, d.created_at, d.updated_at, \
     (SELECT COUNT(*) FROM dataset_versions v WHERE v.dataset_id = d.id) AS version_count";
/// Versions with their parent's name.
const VERSIONS_FROM: &str = "dataset_versions v JOIN datasets d ON d.id = v.dataset_id";
const VERSION_COLUMNS: &str =
    "v.id, v.dataset_id, d.name AS dataset_name, v.version, v.description, \
     v.asset_count, v.labels, v.created_at";

#[derive(FromRow)]
struct DatasetRow {
    id: i64,
    name: String,
    description: String,
    created_at: String,
    updated_at: String,
    version_count: i64,
}

impl From<DatasetRow> for Dataset {
    fn from(row: DatasetRow) -> Self {
        Dataset {
            id: row.id,
            name: row.name,
            description: row.description,
            version_count: row.version_count as u64,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(FromRow)]
struct VersionRow {
    id: i64,
    dataset_id: i64,
    dataset_name: String,
    version: String,
    description: String,
    asset_count: i64,
    labels: String,
    created_at: String,
}

impl TryFrom<VersionRow> for DatasetVersion {
    type Error = StoreError;

    fn try_from(row: VersionRow) -> StoreResult<Self> {
        Ok(DatasetVersion {
            id: row.id,
            dataset_id: row.dataset_id,
            dataset_name: row.dataset_name,
            version: row.version,
            description: row.description,
            asset_count: row.asset_count as u64,
            labels: serde_json::from_str(&row.labels).map_err(|error| {
                sqlx::Error::Decode(format!("labels of dataset version {}: {error}", row.id).into())
            })?,
            created_at: row.created_at,
        })
    }
}

/// A checked new dataset version.
#[derive(Clone, Debug)]
pub struct VersionDraft {
    pub version: String,
    pub description: String,
    pub asset_count: u64,
    pub labels: Vec<String>,
}

impl Storage {
    /// Creates a dataset; a taken name is a conflict on `name`.
    pub async fn create_dataset(&self, name: &str, description: &str) -> StoreResult<Dataset> {
        let now = timestamp::now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO datasets (name, description, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
        )
        .bind(name)
        .bind(description)
        .bind(&now)
        .fetch_one(&self.pool)
        .await
        .unique_means("name", || format!("a dataset named {name:?} exists"))?;
        self.get_dataset(id)
            .await?
            .ok_or(StoreError::Database(sqlx::Error::RowNotFound))
    }

    /// The dataset with this id.
    pub async fn get_dataset(&self, id: i64) -> StoreResult<Option<Dataset>> {
        let row: Option<DatasetRow> = sqlx::query_as(&format!(
            "SELECT {DATASET_COLUMNS} FROM datasets d WHERE d.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Dataset::from))
    }

    /// A page of datasets by name.
    pub async fn list_datasets(
        &self,
        page: PageRequest,
        order: &SqlOrder,
    ) -> StoreResult<(Vec<Dataset>, u64)> {
        let listing = Listing {
            columns: DATASET_COLUMNS,
            from: "datasets d",
            parent: None,
        };
        let (rows, total) = self.fetch_page::<DatasetRow>(listing, page, order).await?;
        Ok((rows.into_iter().map(Dataset::from).collect(), total))
    }

    /// Adds a version to a dataset; a taken version name is a conflict on `version`.
    pub async fn create_dataset_version(
        &self,
        dataset_id: i64,
        draft: &VersionDraft,
    ) -> StoreResult<DatasetVersion> {
        let labels = serde_json::to_string(&draft.labels)
            .map_err(|error| sqlx::Error::Encode(error.into()))?;
        let now = timestamp::now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO dataset_versions (dataset_id, version, description, asset_count, labels, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(dataset_id)
        .bind(&draft.version)
        .bind(&draft.description)
        .bind(draft.asset_count as i64)
        .bind(labels)
        .bind(&now)
        .fetch_one(&self.pool)
        .await
        .unique_means("version", || {
            format!(
                "this dataset already has a version {:?}",
                draft.version
            )
        })?;
        sqlx::query("UPDATE datasets SET updated_at = $1 WHERE id = $2")
            .bind(&now)
            .bind(dataset_id)
            .execute(&self.pool)
            .await?;
        self.get_dataset_version(id)
            .await?
            .ok_or(StoreError::Database(sqlx::Error::RowNotFound))
    }

    /// The dataset version with this id.
    pub async fn get_dataset_version(&self, id: i64) -> StoreResult<Option<DatasetVersion>> {
        let row: Option<VersionRow> = sqlx::query_as(&format!(
            "SELECT {VERSION_COLUMNS} FROM {VERSIONS_FROM} WHERE v.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(DatasetVersion::try_from).transpose()
    }

    /// A page of a dataset's versions, newest first.
    pub async fn list_dataset_versions(
        &self,
        dataset_id: i64,
        page: PageRequest,
        order: &SqlOrder,
    ) -> StoreResult<(Vec<DatasetVersion>, u64)> {
        let listing = Listing {
            columns: VERSION_COLUMNS,
            from: VERSIONS_FROM,
            parent: Some(("v.dataset_id", dataset_id)),
        };
        let (rows, total) = self.fetch_page::<VersionRow>(listing, page, order).await?;
        let items = rows
            .into_iter()
            .map(DatasetVersion::try_from)
            .collect::<StoreResult<_>>()?;
        Ok((items, total))
    }

    /// Attaches a version under an alias; a taken alias is a conflict on `alias`.
    pub async fn attach_dataset(
        &self,
        experiment_id: i64,
        alias: &str,
        version_id: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO experiment_datasets (experiment_id, alias, dataset_version_id, attached_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(experiment_id)
        .bind(alias)
        .bind(version_id)
        .bind(timestamp::now())
        .execute(&self.pool)
        .await
        .unique_means("alias", || {
            format!("a dataset version is already attached as {alias:?}; detach it first")
        })
        .map(|_| ())
    }

    /// Detaches the version under `alias`; whether there was one.
    pub async fn detach_dataset(&self, experiment_id: i64, alias: &str) -> StoreResult<bool> {
        let result =
            sqlx::query("DELETE FROM experiment_datasets WHERE experiment_id = $1 AND alias = $2")
                .bind(experiment_id)
                .bind(alias)
                .execute(&self.pool)
                .await?;
        Ok(result.rows_affected() > 0)
    }

    /// What is attached to an experiment, by alias.
    pub async fn attached_datasets(&self, experiment_id: i64) -> StoreResult<Vec<AttachedDataset>> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT alias, attached_at, dataset_version_id FROM experiment_datasets WHERE experiment_id = $1 ORDER BY alias",
        )
        .bind(experiment_id)
        .fetch_all(&self.pool)
        .await?;
        let mut attached = Vec::with_capacity(rows.len());
        for (alias, attached_at, version_id) in rows {
            let version = self
                .get_dataset_version(version_id)
                .await?
                .ok_or(StoreError::Database(sqlx::Error::RowNotFound))?;
            attached.push(AttachedDataset {
                alias,
                attached_at,
                version,
            });
        }
        Ok(attached)
    }
}
