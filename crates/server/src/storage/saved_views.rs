//! Saved views of a project: kept, listed, renamed and deleted; deleted with their
//! project (`ON DELETE CASCADE`).

use super::page::Listing;
use super::{Storage, StoreResult};
use crate::listing::{Ordered, PageRequest, Sortable, SqlOrder};
use crate::timestamp;
use sqlx::FromRow;
use trackboard_api::SavedView;

const COLUMNS: &str = "id, project_id, name, path, saved_by, created_at, updated_at";

#[derive(FromRow)]
struct ViewRow {
    id: String,
    project_id: i64,
    name: String,
    path: String,
    saved_by: String,
    created_at: String,
    updated_at: String,
}

impl From<ViewRow> for SavedView {
    fn from(row: ViewRow) -> Self {
        SavedView {
            id: row.id,
            project_id: row.project_id,
            name: row.name,
            path: row.path,
            saved_by: row.saved_by,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// What `GET /projects/{id}/views?order_by=` accepts.
impl Ordered for SavedView {
    const ORDER: Sortable = Sortable {
        columns: &[
            ("created", "created_at"),
            ("updated", "updated_at"),
            ("name", "name"),
        ],
        default: "-created",
        tie: "id",
    };
}

/// A view to keep: checked by the route (`domain::saved_view`).
#[derive(Debug)]
pub struct ViewDraft<'a> {
    pub id: &'a str,
    pub project_id: i64,
    pub name: &'a str,
    pub path: &'a str,
    pub saved_by: &'a str,
}

impl Storage {
    /// Keeps a view under its id; `None` when the id is taken (draw another).
    pub async fn create_view(&self, draft: ViewDraft<'_>) -> StoreResult<Option<SavedView>> {
        let now = timestamp::now();
        let row: Option<ViewRow> = sqlx::query_as(&format!(
            "INSERT INTO saved_views (id, project_id, name, path, saved_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (id) DO NOTHING RETURNING {COLUMNS}"
        ))
        .bind(draft.id)
        .bind(draft.project_id)
        .bind(draft.name)
        .bind(draft.path)
        .bind(draft.saved_by)
        .bind(&now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(SavedView::from))
    }

    /// The views of a project, newest first by default, with the total.
    pub async fn list_views(
        &self,
        project_id: i64,
        page: PageRequest,
        order: &SqlOrder,
    ) -> StoreResult<(Vec<SavedView>, u64)> {
        let listing = Listing {
            columns: COLUMNS,
            from: "saved_views",
            parent: Some(("project_id", project_id)),
        };
        let (rows, total) = self.fetch_page::<ViewRow>(listing, page, order).await?;
        Ok((rows.into_iter().map(SavedView::from).collect(), total))
    }

    /// One view.
    pub async fn get_view(&self, id: &str) -> StoreResult<Option<SavedView>> {
        let row: Option<ViewRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM saved_views WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(SavedView::from))
    }

    /// Renames a view; `None` when there is none.
    pub async fn rename_view(&self, id: &str, name: &str) -> StoreResult<Option<SavedView>> {
        let row: Option<ViewRow> = sqlx::query_as(&format!(
            "UPDATE saved_views SET name = $1, updated_at = $2 WHERE id = $3 RETURNING {COLUMNS}"
        ))
        .bind(name)
        .bind(timestamp::now())
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(SavedView::from))
    }

    /// Deletes a view; whether there was one.
    pub async fn delete_view(&self, id: &str) -> StoreResult<bool> {
        let result = sqlx::query("DELETE FROM saved_views WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() > 0)
    }
}
