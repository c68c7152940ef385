//! One search skeleton for MLflow's experiments and runs, as MLflow's `SearchUtils`:
//! the filter parsed, the asked order followed by the resource's default order and then
//! its id (so pages are stable), `max_results` checked against a cap, the page token
//! read, and the page cut with the next token.
//!
//! Runs are filtered, ordered and paged in SQL (`storage::run_search`, through
//! [`Search::filter`], [`Search::order`] and [`Search::page_request`]); MLflow
//! experiments (a server holds few) through [`Search::page`], in memory, with the same
//! meaning.

use super::error::{MlflowError, MlflowResult};
use super::extract::opt_int64;
use crate::domain::mlflow_search::{order_by, parse_order, Field, Filter, OrderTerm, SearchValue};
use crate::listing::PageRequest;
use serde::Deserialize;
use serde_json::Value;

/// `max_results` when a search gives none, as MLflow's server.
const DEFAULT_MAX_RESULTS: i64 = 1000;

/// A checked search request.
#[derive(Debug)]
pub struct Search {
    filter: Filter,
    order: Vec<OrderTerm>,
    offset: usize,
    limit: usize,
}

/// What every search request sends, before checks (a resource's own fields, such as
/// the runs' `experiment_ids`, sit beside it).
#[derive(Debug, Default, Deserialize)]
pub struct SearchRequest {
    pub filter: Option<String>,
    #[serde(default, deserialize_with = "opt_int64")]
    pub max_results: Option<i64>,
    #[serde(default)]
    pub order_by: Vec<String>,
    pub page_token: Option<String>,
}

/// How one resource is searched: its default order (after the asked one) and its cap
/// on a page.
pub struct Searched {
    pub default_order: &'static str,
    pub max_page: i64,
}

impl Search {
    /// Checks `request` for a resource searched as `searched` says.
    pub fn checked(request: &SearchRequest, searched: &Searched) -> MlflowResult<Search> {
        let filter = Filter::parse("filter", request.filter.as_deref().unwrap_or(""))?;
        let mut order = parse_order("order_by", &request.order_by)?;
        order.extend(parse_order(
            "order_by",
            &[searched.default_order.to_owned()],
        )?);
        let limit = request.max_results.unwrap_or(DEFAULT_MAX_RESULTS);
        if !(1..=searched.max_page).contains(&limit) {
            return Err(MlflowError::invalid(format!(
                "max_results must be between 1 and {}, not {limit}",
                searched.max_page
            )));
        }
        Ok(Search {
            filter,
            order,
            offset: page_token(request.page_token.as_deref())?,
            limit: limit as usize,
        })
    }

    /// The parsed filter.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    /// The asked order followed by the resource's default (the id breaks ties last).
    pub fn order(&self) -> &[OrderTerm] {
        &self.order
    }

    /// The page asked for, for a search made in SQL.
    pub fn page_request(&self) -> PageRequest {
        PageRequest {
            limit: self.limit as u32,
            offset: self.offset as u64,
        }
    }

    /// The next page's token after a page of a search that matched `total` records.
    pub fn next_token(&self, total: u64) -> Option<String> {
        let end = self.offset.saturating_add(self.limit) as u64;
        (end < total).then(|| end.to_string())
    }

    /// The page of `records` the search keeps, in its order, and the next page's token.
    /// `value_of` reads a record's field (`metrics.acc`, `attributes.status`), `id_of`
    /// its id, the last tie-break.
    pub fn page<T>(
        &self,
        records: Vec<T>,
        value_of: impl Fn(&T, &Field) -> Option<SearchValue>,
        id_of: impl Fn(&T) -> i64,
    ) -> (Vec<T>, Option<String>) {
        let mut found: Vec<T> = records
            .into_iter()
            .filter(|record| self.filter.matches(|field| value_of(record, field)))
            .collect();
        found.sort_by(|a, b| {
            order_by(
                &self.order,
                |field| value_of(a, field),
                |field| value_of(b, field),
            )
            .then(id_of(a).cmp(&id_of(b)))
        });
        page_after(found, self.offset, self.limit)
    }
}

/// A search's answer: `{key: items}`, with `next_page_token` when more follow.
pub fn page_answer(key: &str, items: Vec<Value>, next: Option<String>) -> Value {
    let mut answer = serde_json::Map::new();
    answer.insert(key.to_owned(), Value::Array(items));
    if let Some(next) = next {
        answer.insert("next_page_token".to_owned(), Value::String(next));
    }
    Value::Object(answer)
}

/// An offset from a page token (the decimal offset this server gave out).
pub fn page_token(token: Option<&str>) -> MlflowResult<usize> {
    match token.filter(|token| !token.is_empty()) {
        None => Ok(0),
        Some(token) => token
            .parse()
            .map_err(|_| MlflowError::invalid(format!("invalid page_token {token:?}"))),
    }
}

/// The page of `items` from `offset`, and the next page's token when more follow.
pub fn page_after<T>(items: Vec<T>, offset: usize, limit: usize) -> (Vec<T>, Option<String>) {
    let total = items.len();
    let page: Vec<T> = items.into_iter().skip(offset).take(limit).collect();
    let next = (offset.saturating_add(limit) < total).then(|| (offset + limit).to_string());
    (page, next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::mlflow_search::Kind;

    const SEARCHED: Searched = Searched {
        default_order: "attributes.start_time DESC",
        max_page: 10,
    };

    fn request(filter: &str, token: Option<&str>) -> SearchRequest {
        SearchRequest {
            filter: Some(filter.to_owned()),
            max_results: Some(2),
            order_by: Vec::new(),
            page_token: token.map(str::to_owned),
        }
    }

    /// Records `(id, start_time, metric)`.
    fn value(record: &(i64, f64, f64), field: &Field) -> Option<SearchValue> {
        match (&field.kind, field.key.as_str()) {
            (Kind::Attribute, "start_time") => Some(SearchValue::Number(record.1)),
            (Kind::Metric, "m") => Some(SearchValue::Number(record.2)),
            _ => None,
        }
    }

    #[test]
    fn filters_orders_with_the_default_then_the_id_and_pages() {
        let records = vec![(1, 5.0, 0.1), (2, 7.0, 0.9), (3, 7.0, 0.8), (4, 1.0, 0.7)];
        let search =
            Search::checked(&request("metrics.m > 0.5", None), &SEARCHED).expect("a valid search");
        let (page, next) = search.page(records.clone(), value, |r| r.0);
        // Start time descending; 2 and 3 tie and go by id.
        assert_eq!(page.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(next.as_deref(), Some("2"));
        let rest = Search::checked(&request("metrics.m > 0.5", next.as_deref()), &SEARCHED)
            .expect("a valid search");
        let (page, next) = rest.page(records, value, |r| r.0);
        assert_eq!(page.iter().map(|r| r.0).collect::<Vec<_>>(), [4]);
        assert_eq!(next, None);
    }

    #[test]
    fn bad_limits_and_tokens_are_refused() {
        for max_results in [0, 11] {
            let asked = SearchRequest {
                max_results: Some(max_results),
                ..request("", None)
            };
            assert!(Search::checked(&asked, &SEARCHED).is_err(), "{max_results}");
        }
        assert!(Search::checked(&request("", Some("x")), &SEARCHED).is_err());
        assert!(Search::checked(&request("metrics.m >", None), &SEARCHED).is_err());
    }
}
