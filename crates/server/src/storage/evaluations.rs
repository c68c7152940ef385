//! An experiment's evaluations: its predictions on one asset each, replaced or added to
//! (seed 000 `AddEvaluationType`), with a (label, score) row per shape so lists can
//! filter by label and score range.

use super::assets::{shapes_json, shapes_of};
use super::page::{FilteredListing, Param};
use super::{Backend, Storage, StoreError, StoreResult};

/// Score rows per INSERT (three parameters each).
const SCORES_PER_INSERT: usize = 1000;
use crate::listing::{Ordered, PageRequest, Sortable, SqlOrder};
use crate::timestamp;
use sqlx::{AnyConnection, FromRow};
use trackboard_api::{AddEvaluationType, Asset, Evaluation, Shapes};

const COLUMNS: &str = "e.id, e.experiment_id, e.asset_id, a.filename, a.dataset_version_id, \
     e.predictions, e.created_at, e.updated_at";
const FROM: &str = "evaluations e JOIN assets a ON a.id = e.asset_id";

#[derive(FromRow)]
struct EvaluationRow {
    id: i64,
    experiment_id: i64,
    asset_id: i64,
    filename: String,
    dataset_version_id: i64,
    predictions: String,
    created_at: String,
    updated_at: String,
}

impl TryFrom<EvaluationRow> for Evaluation {
    type Error = StoreError;

    fn try_from(row: EvaluationRow) -> StoreResult<Evaluation> {
        Ok(Evaluation {
            predictions: shapes_of(&row.predictions, || {
                format!("predictions of evaluation {}", row.id)
            })?,
            id: row.id,
            experiment_id: row.experiment_id,
            asset_id: row.asset_id,
            filename: row.filename,
            dataset_version_id: row.dataset_version_id,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// What `GET /experiments/{id}/evaluations?order_by=` accepts.
impl Ordered for Evaluation {
    const ORDER: Sortable = Sortable {
        columns: &[
            ("created", "e.id"),
            ("updated", "e.updated_at"),
            ("filename", "a.filename"),
        ],
        default: "created",
        tie: "e.id",
    };
}

/// What `GET /experiments/{id}/evaluations` narrows to.
#[derive(Clone, Debug, Default)]
pub struct EvaluationFilter {
    pub asset_id: Option<i64>,
    /// Evaluations with a prediction of this label (within the score range if given).
    pub label: Option<String>,
    pub min_score: Option<f64>,
    pub max_score: Option<f64>,
}

impl Storage {
    /// Keeps an experiment's predictions on an asset: replacing its earlier ones, or
    /// adding to them (`keep`). Answers the evaluation and whether it is new.
    pub async fn add_evaluation(
        &self,
        experiment_id: i64,
        asset_id: i64,
        predictions: Shapes,
        add_type: AddEvaluationType,
    ) -> StoreResult<(Evaluation, bool)> {
        let mut tx = self.begin_write().await?;
        let now = timestamp::now();
        let (id, created) = put_evaluation(
            &mut tx,
            self.backend(),
            experiment_id,
            asset_id,
            predictions,
            add_type,
            &now,
        )
        .await?;
        tx.commit().await?;
        let evaluation = self
            .get_evaluation(id)
            .await?
            .ok_or(StoreError::Database(sqlx::Error::RowNotFound))?;
        Ok((evaluation, created))
    }

    /// Replaces the experiment's evaluations of each asset with its predictions, all in
    /// one transaction: every one or none (a COCO results import).
    pub async fn replace_evaluations(
        &self,
        experiment_id: i64,
        predictions: impl IntoIterator<Item = (i64, Shapes)>,
    ) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let now = timestamp::now();
        let mut count = 0;
        for (asset_id, shapes) in predictions {
            put_evaluation(
                &mut tx,
                self.backend(),
                experiment_id,
                asset_id,
                shapes,
                AddEvaluationType::Replace,
                &now,
            )
            .await?;
            count += 1;
        }
        tx.commit().await?;
        Ok(count)
    }

    /// One evaluation.
    pub async fn get_evaluation(&self, id: i64) -> StoreResult<Option<Evaluation>> {
        let row: Option<EvaluationRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM {FROM} WHERE e.id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(Evaluation::try_from).transpose()
    }

    /// A page of an experiment's evaluations, and how many match.
    pub async fn list_evaluations(
        &self,
        experiment_id: i64,
        filter: &EvaluationFilter,
        page: PageRequest,
        order: &SqlOrder,
    ) -> StoreResult<(Vec<Evaluation>, u64)> {
        let mut conditions = vec!["e.experiment_id = $1".to_owned()];
        let mut params = vec![Param::Int(experiment_id)];
        if let Some(asset_id) = filter.asset_id {
            params.push(Param::Int(asset_id));
            conditions.push(format!("e.asset_id = ${}", params.len()));
        }
        let mut score_conditions = Vec::new();
        if let Some(label) = &filter.label {
            params.push(Param::Text(label.clone()));
            score_conditions.push(format!("s.label = ${}", params.len()));
        }
        if let Some(min) = filter.min_score {
            params.push(Param::Real(min));
            score_conditions.push(format!("s.score >= ${}", params.len()));
        }
        if let Some(max) = filter.max_score {
            params.push(Param::Real(max));
            score_conditions.push(format!("s.score <= ${}", params.len()));
        }
        if !score_conditions.is_empty() {
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM evaluation_scores s WHERE s.evaluation_id = e.id AND {})",
                score_conditions.join(" AND ")
            ));
        }
        let listing = FilteredListing {
            columns: COLUMNS,
            from: FROM,
            conditions,
            params,
        };
        let (rows, total) = self
            .fetch_filtered_page::<EvaluationRow>(listing, page, order)
            .await?;
        let items = rows
            .into_iter()
            .map(Evaluation::try_from)
            .collect::<StoreResult<_>>()?;
        Ok((items, total))
    }

    /// Deletes an evaluation; whether there was one.
    pub async fn delete_evaluation(&self, id: i64) -> StoreResult<bool> {
        let result = sqlx::query("DELETE FROM evaluations WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() > 0)
    }

    /// Every evaluated asset of an experiment with the evaluation of it, in asset id
    /// order: what metrics and the asset browser are computed from (one query).
    pub async fn evaluated_assets(
        &self,
        experiment_id: i64,
    ) -> StoreResult<Vec<(Asset, Evaluation)>> {
        let rows: Vec<EvaluatedRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS}, a.content_type, a.size, a.width, a.height, a.annotations, \
             a.created_at AS asset_created_at FROM {FROM} WHERE e.experiment_id = $1 ORDER BY e.asset_id"
        ))
        .bind(experiment_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                let asset = Asset {
                    annotations: shapes_of(&row.annotations, || {
                        format!("annotations of asset {}", row.evaluation.asset_id)
                    })?,
                    id: row.evaluation.asset_id,
                    dataset_version_id: row.evaluation.dataset_version_id,
                    filename: row.evaluation.filename.clone(),
                    content_type: row.content_type,
                    size: row.size as u64,
                    width: row.width as u32,
                    height: row.height as u32,
                    created_at: row.asset_created_at,
                };
                Ok((asset, Evaluation::try_from(row.evaluation)?))
            })
            .collect()
    }
}

/// An evaluation row with its asset's columns.
#[derive(FromRow)]
struct EvaluatedRow {
    #[sqlx(flatten)]
    evaluation: EvaluationRow,
    content_type: String,
    size: i64,
    width: i64,
    height: i64,
    annotations: String,
    asset_created_at: String,
}

/// (label, score) of every scored shape.
fn scored_labels(shapes: &Shapes) -> Vec<(&str, f64)> {
    let rectangles = shapes
        .rectangles
        .iter()
        .map(|s| (s.label.as_str(), s.score));
    let polygons = shapes.polygons.iter().map(|s| (s.label.as_str(), s.score));
    let masks = shapes.masks.iter().map(|s| (s.label.as_str(), s.score));
    let classes = shapes
        .classifications
        .iter()
        .map(|s| (s.label.as_str(), s.score));
    rectangles
        .chain(polygons)
        .chain(masks)
        .chain(classes)
        .filter_map(|(label, score)| score.map(|score| (label, score)))
        .collect()
}

/// Inside a write transaction: the evaluation of `asset_id` by `experiment_id`, new, or
/// replaced or added to (`add_type`), with its scored labels. Answers its id and
/// whether it is new.
async fn put_evaluation(
    connection: &mut AnyConnection,
    backend: Backend,
    experiment_id: i64,
    asset_id: i64,
    predictions: Shapes,
    add_type: AddEvaluationType,
    now: &str,
) -> StoreResult<(i64, bool)> {
    let earlier: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, predictions FROM evaluations WHERE experiment_id = $1 AND asset_id = $2",
    )
    .bind(experiment_id)
    .bind(asset_id)
    .fetch_optional(&mut *connection)
    .await?;
    let created = earlier.is_none();
    let (id, shapes) = match earlier {
        None => {
            let json = shapes_json(&predictions)?;
            let id: i64 =
                sqlx::query_scalar(
                    "INSERT INTO evaluations (experiment_id, asset_id, predictions, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $4) RETURNING id",
                )
                .bind(experiment_id)
                .bind(asset_id)
                .bind(json)
                .bind(now)
                .fetch_one(&mut *connection)
                .await?;
            (id, predictions)
        }
        Some((id, earlier)) => {
            let shapes = match add_type {
                AddEvaluationType::Replace => predictions,
                AddEvaluationType::Keep => {
                    let mut kept =
                        shapes_of(&earlier, || format!("predictions of evaluation {id}"))?;
                    kept.rectangles.extend(predictions.rectangles);
                    kept.polygons.extend(predictions.polygons);
                    kept.masks.extend(predictions.masks);
                    kept.classifications.extend(predictions.classifications);
                    kept
                }
            };
            sqlx::query("UPDATE evaluations SET predictions = $1, updated_at = $2 WHERE id = $3")
                .bind(shapes_json(&shapes)?)
                .bind(now)
                .bind(id)
                .execute(&mut *connection)
                .await?;
            sqlx::query("DELETE FROM evaluation_scores WHERE evaluation_id = $1")
                .bind(id)
                .execute(&mut *connection)
                .await?;
            (id, shapes)
        }
    };
    // One statement per thousand scores: a results file's 100 detections an image,
    // one by one, cost a round trip each.
    for rows in scored_labels(&shapes).chunks(SCORES_PER_INSERT) {
        let sql = format!(
            "INSERT INTO evaluation_scores (evaluation_id, label, score) VALUES {}",
            backend.values_list(rows.len(), 3)
        );
        let mut insert = sqlx::query(&sql);
        for (label, score) in rows {
            insert = insert.bind(id).bind(*label).bind(*score);
        }
        insert.execute(&mut *connection).await?;
    }
    Ok((id, created))
}
