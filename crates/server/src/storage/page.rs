//! One page of a list and its total, for every list whose only filter is its parent.

use super::{Storage, StoreResult};
use crate::listing::{PageRequest, SqlOrder};
use sqlx::any::AnyRow;
use sqlx::FromRow;

/// The rows to page through: `SELECT {columns} FROM {from}`, with
/// `WHERE {column} = {id}` when `parent` names one.
pub(super) struct Listing<'a> {
    pub columns: &'a str,
    pub from: &'a str,
    pub parent: Option<(&'a str, i64)>,
}

impl Storage {
    /// The page of `listing` in `order`, and how many rows it has in all.
    pub(super) async fn fetch_page<R>(
        &self,
        listing: Listing<'_>,
        page: PageRequest,
        order: &SqlOrder,
    ) -> StoreResult<(Vec<R>, u64)>
    where
        R: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    {
        let Listing {
            columns,
            from,
            parent,
        } = listing;
        let filter = parent.map_or(String::new(), |(column, _)| format!(" WHERE {column} = $1"));
        let first = if parent.is_some() { 2 } else { 1 };
        let select = format!(
            "SELECT {columns} FROM {from}{filter} ORDER BY {} LIMIT ${first} OFFSET ${}",
            order.as_sql(),
            first + 1
        );
        let mut rows = sqlx::query_as(&select);
        let count = format!("SELECT COUNT(*) FROM {from}{filter}");
        let mut total = sqlx::query_scalar(&count);
        if let Some((_, id)) = parent {
            rows = rows.bind(id);
            total = total.bind(id);
        }
        let rows: Vec<R> = rows
            .bind(i64::from(page.limit))
            .bind(page.offset as i64)
            .fetch_all(&self.pool)
            .await?;
        let total: i64 = total.fetch_one(&self.pool).await?;
        Ok((rows, total as u64))
    }
}
