//! Assets of dataset versions: an image in the object store (this row names its key),
//! its size in pixels and its ground truth. A version's `asset_count` follows its
//! stored assets once it has any.

use super::page::{FilteredListing, Param};
use super::{Constraints, Storage, StoreError, StoreResult};
use crate::domain::coco_results::VersionAsset;
use crate::domain::AssetDraft;
use crate::listing::{Ordered, PageRequest, Sortable, SqlOrder};
use crate::timestamp;
use sqlx::FromRow;
use trackboard_api::{Asset, Shapes};

const COLUMNS: &str = "a.id, a.dataset_version_id, a.filename, a.content_type, a.size, \
     a.width, a.height, a.annotations, a.created_at";

#[derive(FromRow)]
struct AssetRow {
    id: i64,
    dataset_version_id: i64,
    filename: String,
    content_type: String,
    size: i64,
    width: i64,
    height: i64,
    annotations: String,
    created_at: String,
}

/// Shapes kept as JSON text, read back.
pub(super) fn shapes_of(json: &str, what: impl FnOnce() -> String) -> StoreResult<Shapes> {
    serde_json::from_str(json)
        .map_err(|error| sqlx::Error::Decode(format!("{}: {error}", what()).into()).into())
}

pub(super) fn shapes_json(shapes: &Shapes) -> StoreResult<String> {
    serde_json::to_string(shapes).map_err(|error| sqlx::Error::Encode(error.into()).into())
}

impl TryFrom<AssetRow> for Asset {
    type Error = StoreError;

    fn try_from(row: AssetRow) -> StoreResult<Asset> {
        Ok(Asset {
            annotations: shapes_of(&row.annotations, || {
                format!("annotations of asset {}", row.id)
            })?,
            id: row.id,
            dataset_version_id: row.dataset_version_id,
            filename: row.filename,
            content_type: row.content_type,
            size: row.size as u64,
            width: row.width as u32,
            height: row.height as u32,
            created_at: row.created_at,
        })
    }
}

/// What `GET /dataset-versions/{id}/assets?order_by=` accepts.
impl Ordered for Asset {
    const ORDER: Sortable = Sortable {
        columns: &[("created", "a.id"), ("filename", "a.filename")],
        default: "created",
        tie: "a.id",
    };
}

/// What `GET /dataset-versions/{id}/assets` narrows to.
#[derive(Clone, Debug, Default)]
pub struct AssetFilter {
    /// Assets with at least one ground-truth shape of this label.
    pub label: Option<String>,
    /// The asset of this exact filename.
    pub filename: Option<String>,
}

/// Where an asset's image is.
#[derive(Clone, Debug)]
pub struct AssetObject {
    pub object_key: String,
    pub content_type: String,
    pub size: u64,
}

impl Storage {
    /// Stores assets of one version together: all or none. A filename the version
    /// already holds (or that repeats) is a conflict on `file`.
    pub async fn create_assets(&self, drafts: &[AssetDraft]) -> StoreResult<Vec<Asset>> {
        let mut tx = self.begin_write().await?;
        let now = timestamp::now();
        let mut ids = Vec::with_capacity(drafts.len());
        for draft in drafts {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO assets (dataset_version_id, filename, object_key, content_type, size, width, height, annotations, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(draft.dataset_version_id)
            .bind(&draft.filename)
            .bind(&draft.object_key)
            .bind(&draft.content_type)
            .bind(draft.size as i64)
            .bind(i64::from(draft.width))
            .bind(i64::from(draft.height))
            .bind(shapes_json(&draft.annotations)?)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await
            .unique_means("file", || {
                format!(
                    "the dataset version already has an asset named {:?}",
                    draft.filename
                )
            })?;
            let mut labels: Vec<&str> = draft.annotations.labels().collect();
            labels.sort_unstable();
            labels.dedup();
            for label in labels {
                sqlx::query("INSERT INTO asset_labels (asset_id, label) VALUES ($1, $2)")
                    .bind(id)
                    .bind(label)
                    .execute(&mut *tx)
                    .await?;
            }
            ids.push(id);
        }
        if let Some(first) = drafts.first() {
            recount(&mut tx, first.dataset_version_id).await?;
        }
        tx.commit().await?;
        let mut assets = Vec::with_capacity(ids.len());
        for id in ids {
            assets.push(
                self.get_asset(id)
                    .await?
                    .ok_or(StoreError::Database(sqlx::Error::RowNotFound))?,
            );
        }
        Ok(assets)
    }

    /// One asset.
    pub async fn get_asset(&self, id: i64) -> StoreResult<Option<Asset>> {
        let row: Option<AssetRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM assets a WHERE a.id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(Asset::try_from).transpose()
    }

    /// Where an asset's image is stored.
    pub async fn asset_object(&self, id: i64) -> StoreResult<Option<AssetObject>> {
        let row: Option<(String, String, i64)> =
            sqlx::query_as("SELECT object_key, content_type, size FROM assets WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(object_key, content_type, size)| AssetObject {
            object_key,
            content_type,
            size: size as u64,
        }))
    }

    /// A page of a version's assets, and how many match.
    pub async fn list_assets(
        &self,
        dataset_version_id: i64,
        filter: &AssetFilter,
        page: PageRequest,
        order: &SqlOrder,
    ) -> StoreResult<(Vec<Asset>, u64)> {
        let mut conditions = vec!["a.dataset_version_id = $1".to_owned()];
        let mut params = vec![Param::Int(dataset_version_id)];
        if let Some(label) = &filter.label {
            params.push(Param::Text(label.clone()));
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM asset_labels l WHERE l.asset_id = a.id AND l.label = ${})",
                params.len()
            ));
        }
        if let Some(filename) = &filter.filename {
            params.push(Param::Text(filename.clone()));
            conditions.push(format!("a.filename = ${}", params.len()));
        }
        let listing = FilteredListing {
            columns: COLUMNS,
            from: "assets a",
            conditions,
            params,
        };
        let (rows, total) = self
            .fetch_filtered_page::<AssetRow>(listing, page, order)
            .await?;
        let assets = rows
            .into_iter()
            .map(Asset::try_from)
            .collect::<StoreResult<_>>()?;
        Ok((assets, total))
    }

    /// Every asset of a version by id, file name and size (where a results file's
    /// images lead, and the size its masks must have).
    pub async fn version_assets_sized(
        &self,
        dataset_version_id: i64,
    ) -> StoreResult<Vec<VersionAsset>> {
        let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
            "SELECT id, filename, width, height FROM assets WHERE dataset_version_id = $1 ORDER BY id",
        )
        .bind(dataset_version_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, filename, width, height)| VersionAsset {
                id,
                filename,
                width: u32::try_from(width).unwrap_or(0),
                height: u32::try_from(height).unwrap_or(0),
            })
            .collect())
    }

    /// Every asset of a version, in id order (for a COCO export).
    pub async fn version_assets(&self, dataset_version_id: i64) -> StoreResult<Vec<Asset>> {
        let rows: Vec<AssetRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM assets a WHERE a.dataset_version_id = $1 ORDER BY a.id"
        ))
        .bind(dataset_version_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Asset::try_from).collect()
    }

    /// Every asset of a version with its ground truth, in id order (for a split).
    pub async fn version_annotations(
        &self,
        dataset_version_id: i64,
    ) -> StoreResult<Vec<(i64, Shapes)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, annotations FROM assets WHERE dataset_version_id = $1 ORDER BY id",
        )
        .bind(dataset_version_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, json)| {
                Ok((
                    id,
                    shapes_of(&json, || format!("annotations of asset {id}"))?,
                ))
            })
            .collect()
    }

    /// Deletes an asset and the evaluations of it; the key of its image, which the
    /// caller removes from the object store, or `None` when there was no such asset.
    pub async fn delete_asset(&self, id: i64) -> StoreResult<Option<String>> {
        let mut tx = self.begin_write().await?;
        let row: Option<(String, i64)> = sqlx::query_as(
            "DELETE FROM assets WHERE id = $1 RETURNING object_key, dataset_version_id",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((_, version)) = &row {
            recount(&mut tx, *version).await?;
        }
        tx.commit().await?;
        Ok(row.map(|(key, _)| key))
    }
}

/// Sets a version's `asset_count` to its stored assets.
async fn recount(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    dataset_version_id: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE dataset_versions SET asset_count = (SELECT COUNT(*) FROM assets WHERE dataset_version_id = $1) WHERE id = $1",
    )
    .bind(dataset_version_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
