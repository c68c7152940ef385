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
        let (conditions, params) = match parent {
            Some((column, id)) => (vec![format!("{column} = $1")], vec![Param::Int(id)]),
            None => (Vec::new(), Vec::new()),
        };
        let listing = FilteredListing {
            columns,
            from,
            conditions,
            params,
        };
        self.fetch_filtered_page(listing, page, order).await
    }
}

/// A value a filtered list binds to its conditions' `$n` placeholders.
pub(super) enum Param {
    Int(i64),
    Text(String),
    Real(f64),
}

/// A list narrowed by `conditions` (joined with AND; none lists every row) whose placeholders `$1…$n` take
/// `params` in order.
pub(super) struct FilteredListing<'a> {
    pub columns: &'a str,
    pub from: &'a str,
    pub conditions: Vec<String>,
    pub params: Vec<Param>,
}

impl Storage {
    /// The page of a filtered listing in `order`, and how many rows match in all.
    pub(super) async fn fetch_filtered_page<R>(
        &self,
        listing: FilteredListing<'_>,
        page: PageRequest,
        order: &SqlOrder,
    ) -> StoreResult<(Vec<R>, u64)>
    where
        R: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    {
        let FilteredListing {
            columns,
            from,
            conditions,
            params,
        } = listing;
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        let next = params.len() + 1;
        let select = format!(
            "SELECT {columns} FROM {from}{filter} ORDER BY {} LIMIT ${next} OFFSET ${}",
            order.as_sql(),
            next + 1
        );
        let count = format!("SELECT COUNT(*) FROM {from}{filter}");
        let mut rows = sqlx::query_as(&select);
        let mut total = sqlx::query_scalar(&count);
        for param in &params {
            (rows, total) = match param {
                Param::Int(value) => (rows.bind(*value), total.bind(*value)),
                Param::Text(value) => (rows.bind(value.clone()), total.bind(value.clone())),
                Param::Real(value) => (rows.bind(*value), total.bind(*value)),
            };
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
