//! Extractors whose rejections are answered in the error envelope, not axum's plain text.

use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::StatusCode;
use trackboard_api::{DEFAULT_LIMIT, MAX_LIMIT};

/// `axum::Json`, rejecting bad bodies with a 400 (or 413) in the envelope.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

/// `axum::extract::Query`, rejecting bad query strings with a 400 in the envelope.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// `axum::extract::Path`, rejecting unparsable ids with a 400 in the envelope.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::BadRequest(format!("invalid path: {}", rejection.body_text()))
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match &rejection {
            JsonRejection::JsonDataError(error) => match field_path(error) {
                Some(field) => ApiError::validation(field, rejection.body_text()),
                None => ApiError::BadRequest(rejection.body_text()),
            },
            JsonRejection::MissingJsonContentType(_) => {
                ApiError::UnsupportedMediaType(rejection.body_text())
            }
            _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(
                format!("request body too large: {}", rejection.body_text()),
            ),
            _ => ApiError::BadRequest(format!("invalid JSON body: {}", rejection.body_text())),
        }
    }
}

/// The path of the field a JSON body failed on (`name`, `values[3]`), when it is not the root.
fn field_path(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut source = Some(error);
    while let Some(current) = source {
        if let Some(path_error) =
            current.downcast_ref::<serde_path_to_error::Error<serde_json::Error>>()
        {
            let path = path_error.path().to_string();
            return (path != ".").then_some(path);
        }
        source = current.source();
    }
    None
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::BadRequest(format!("invalid query string: {}", rejection.body_text()))
    }
}

/// `?limit=&offset=` of every list, before range checks.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// `?limit&offset&order_by` of a list without other filters.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    /// A column the list can be ordered by, `-` first for descending.
    pub order_by: Option<String>,
}

/// An `ORDER BY` clause built only from a whitelist, so no request text reaches SQL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlOrder(String);

impl SqlOrder {
    /// Oldest first, by id.
    pub fn by_id() -> SqlOrder {
        SqlOrder("id ASC".to_owned())
    }

    /// The clause, e.g. `name DESC, id DESC`.
    pub fn as_sql(&self) -> &str {
        &self.0
    }
}

impl ListQuery {
    /// The page and the order. `columns` maps each accepted `order_by` word to its SQL
    /// column; `tie` (a unique column) follows in the same direction, so pages are stable.
    pub fn checked(
        self,
        columns: &[(&str, &'static str)],
        default: &str,
        tie: &'static str,
    ) -> Result<(PageRequest, SqlOrder), ApiError> {
        let page = PageRequest::try_from(PageQuery {
            limit: self.limit,
            offset: self.offset,
        })?;
        let text = self.order_by.as_deref().unwrap_or(default);
        let (descending, key) = text
            .strip_prefix('-')
            .map_or((false, text), |key| (true, key));
        let column = columns
            .iter()
            .find(|(word, _)| *word == key)
            .map(|(_, column)| *column)
            .ok_or_else(|| {
                let words: Vec<&str> = columns.iter().map(|(word, _)| *word).collect();
                ApiError::validation(
                    "order_by",
                    format!(
                        "order_by must be one of {} (with - for descending), got {text:?}",
                        words.join(", ")
                    ),
                )
            })?;
        let direction = if descending { "DESC" } else { "ASC" };
        Ok((
            page,
            SqlOrder(format!("{column} {direction}, {tie} {direction}")),
        ))
    }
}

/// A checked page request: `1 ≤ limit ≤ MAX_LIMIT`, `offset ≥ 0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u32,
    pub offset: u64,
}

impl PageRequest {
    /// The answer of a list: this page's items and the total count.
    pub fn answer<T>(self, items: Vec<T>, total: u64) -> trackboard_api::Page<T> {
        trackboard_api::Page {
            items,
            total,
            limit: self.limit,
            offset: self.offset,
        }
    }
}

impl TryFrom<PageQuery> for PageRequest {
    type Error = ApiError;

    fn try_from(query: PageQuery) -> Result<Self, ApiError> {
        let limit = match query.limit {
            None => DEFAULT_LIMIT,
            Some(limit) if (1..=i64::from(MAX_LIMIT)).contains(&limit) => limit as u32,
            Some(limit) => {
                return Err(ApiError::validation(
                    "limit",
                    format!("limit must be between 1 and {MAX_LIMIT}, got {limit}"),
                ))
            }
        };
        let offset = match query.offset {
            None => 0,
            Some(offset) if offset >= 0 => offset as u64,
            Some(offset) => {
                return Err(ApiError::validation(
                    "offset",
                    format!("offset must be 0 or more, got {offset}"),
                ))
            }
        };
        Ok(PageRequest { limit, offset })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(limit: Option<i64>, offset: Option<i64>) -> Result<PageRequest, ApiError> {
        PageRequest::try_from(PageQuery { limit, offset })
    }

    #[test]
    fn defaults_apply_when_absent() {
        let request = page(None, None).expect("defaults are valid");
        assert_eq!(
            request,
            PageRequest {
                limit: DEFAULT_LIMIT,
                offset: 0
            }
        );
    }

    #[test]
    fn limit_bounds_are_inclusive() {
        assert_eq!(page(Some(1), None).expect("1 is allowed").limit, 1);
        assert_eq!(
            page(Some(1000), None).expect("max is allowed").limit,
            MAX_LIMIT
        );
        assert!(
            matches!(page(Some(0), None), Err(ApiError::Validation { field, .. }) if field == "limit")
        );
        assert!(
            matches!(page(Some(1001), None), Err(ApiError::Validation { field, .. }) if field == "limit")
        );
    }

    #[test]
    fn orders_come_only_from_the_whitelist() {
        let columns = [("name", "p.name"), ("created", "p.created_at")];
        let query = |order: Option<&str>| ListQuery {
            order_by: order.map(str::to_owned),
            ..ListQuery::default()
        };
        let (_, order) = query(None)
            .checked(&columns, "name", "p.id")
            .expect("default");
        assert_eq!(order.as_sql(), "p.name ASC, p.id ASC");
        let (_, order) = query(Some("-created"))
            .checked(&columns, "name", "p.id")
            .expect("valid");
        assert_eq!(order.as_sql(), "p.created_at DESC, p.id DESC");
        for refused in ["name; DROP TABLE projects", "--name", "id", ""] {
            assert!(
                matches!(
                    query(Some(refused)).checked(&columns, "name", "p.id"),
                    Err(ApiError::Validation { field, .. }) if field == "order_by"
                ),
                "{refused:?}"
            );
        }
    }

    #[test]
    fn negative_offset_is_refused() {
        assert!(
            matches!(page(None, Some(-1)), Err(ApiError::Validation { field, .. }) if field == "offset")
        );
    }
}
