//! Paging and ordering of every list, shared by the routes (which read
//! [`ListParams`] from the query string) and storage (which reads the checked
//! [`PageRequest`] and [`SqlOrder`]). Neither HTTP nor SQL lives here: a storage module
//! declares its own [`Sortable`] columns next to its `FROM`.

use crate::domain::Refusal;
use std::marker::PhantomData;
use trackboard_api::{DEFAULT_LIMIT, MAX_LIMIT};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::Required;

/// `?limit&offset&order_by` of a list of `T`, before range checks. The words
/// `order_by` takes come from `T`'s [`Ordered`] columns, in the check and in the OpenAPI
/// document alike. Routes with filters read those from a second query type beside this.
#[derive(Debug, serde::Deserialize)]
#[serde(bound = "")]
pub struct ListParams<T> {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    pub order_by: Option<String>,
    #[serde(skip)]
    of: PhantomData<fn() -> T>,
}

impl<T> ListParams<T> {
    /// The parameters as a route read them itself.
    pub fn new(limit: Option<i64>, offset: Option<i64>, order_by: Option<String>) -> Self {
        ListParams {
            limit,
            offset,
            order_by,
            of: PhantomData,
        }
    }
}

impl<T> Default for ListParams<T> {
    fn default() -> Self {
        ListParams {
            limit: None,
            offset: None,
            order_by: None,
            of: PhantomData,
        }
    }
}

/// A listed type and the columns its list can be ordered by (implemented by storage,
/// next to the list's `FROM`).
pub trait Ordered {
    const ORDER: Sortable;
}

impl<T: Ordered> utoipa::IntoParams for ListParams<T> {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let integer = |minimum: i64, maximum: Option<i64>| {
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .minimum(Some(minimum))
                .maximum(maximum)
        };
        let words: Vec<String> = T::ORDER
            .columns
            .iter()
            .flat_map(|(word, _)| [(*word).to_owned(), format!("-{word}")])
            .collect();
        let query = |name: &str, description: String, schema: ObjectBuilder| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(description))
                .schema(Some(schema))
                .build()
        };
        vec![
            query(
                "limit",
                format!("Items per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})."),
                integer(1, Some(i64::from(MAX_LIMIT))),
            ),
            query(
                "offset",
                "Items to skip (default 0).".to_owned(),
                integer(0, None),
            ),
            query(
                "order_by",
                format!(
                    "The column to order by, `-` first for descending (default `{}`).",
                    T::ORDER.default
                ),
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(words)),
            ),
        ]
    }
}

/// The `order_by` words a list accepts and the SQL column each stands for, its
/// default order, and a unique column that breaks ties so pages are stable.
#[derive(Clone, Copy, Debug)]
pub struct Sortable {
    pub columns: &'static [(&'static str, &'static str)],
    /// The order without `order_by`, e.g. `-created`.
    pub default: &'static str,
    pub tie: &'static str,
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

/// A checked page request: `1 ≤ limit ≤ MAX_LIMIT`, `offset ≥ 0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u32,
    pub offset: u64,
}

impl PageRequest {
    /// The first page of the largest size, for callers that list everything a page at a time.
    pub const LARGEST_FIRST: PageRequest = PageRequest {
        limit: MAX_LIMIT,
        offset: 0,
    };

    /// The answer of a list: this page's items and the total count.
    pub fn answer<T>(self, items: Vec<T>, total: u64) -> trackboard_api::Page<T> {
        trackboard_api::Page {
            items,
            total,
            limit: self.limit,
            offset: self.offset,
        }
    }

    /// A page request from `?limit&offset`, range-checked.
    pub fn checked(limit: Option<i64>, offset: Option<i64>) -> Result<PageRequest, Refusal> {
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(limit) if (1..=i64::from(MAX_LIMIT)).contains(&limit) => limit as u32,
            Some(limit) => {
                return Err(Refusal::invalid(
                    "limit",
                    format!("limit must be between 1 and {MAX_LIMIT}, got {limit}"),
                ))
            }
        };
        let offset = match offset {
            None => 0,
            Some(offset) if offset >= 0 => offset as u64,
            Some(offset) => {
                return Err(Refusal::invalid(
                    "offset",
                    format!("offset must be 0 or more, got {offset}"),
                ))
            }
        };
        Ok(PageRequest { limit, offset })
    }
}

impl SqlOrder {
    /// `T`'s list order without `order_by` (what its route answers when none is given),
    /// for callers that list everything and never read a query string.
    pub fn default_of<T: Ordered>() -> SqlOrder {
        // A list's default names one of its columns (the test below checks one), so this
        // never falls back; the tie column alone would still be a stable order.
        ListParams::<T>::default().checked().map_or_else(
            |_| SqlOrder(format!("{} ASC", T::ORDER.tie)),
            |(_, order)| order,
        )
    }
}

impl<T: Ordered> ListParams<T> {
    /// The page and the order among `T`'s columns; the tie column follows in the same
    /// direction.
    pub fn checked(self) -> Result<(PageRequest, SqlOrder), Refusal> {
        self.checked_among(&T::ORDER)
    }
}

impl<T> ListParams<T> {
    /// The page and the order among `sortable`'s columns.
    fn checked_among(self, sortable: &Sortable) -> Result<(PageRequest, SqlOrder), Refusal> {
        let page = PageRequest::checked(self.limit, self.offset)?;
        let text = self.order_by.as_deref().unwrap_or(sortable.default);
        let (descending, key) = text
            .strip_prefix('-')
            .map_or((false, text), |key| (true, key));
        let column = sortable
            .columns
            .iter()
            .find(|(word, _)| *word == key)
            .map(|(_, column)| *column)
            .ok_or_else(|| {
                let words: Vec<&str> = sortable.columns.iter().map(|(word, _)| *word).collect();
                Refusal::invalid(
                    "order_by",
                    format!(
                        "order_by must be one of {} (with - for descending), got {text:?}",
                        words.join(", ")
                    ),
                )
            })?;
        let direction = if descending { "DESC" } else { "ASC" };
        let tie = sortable.tie;
        Ok((
            page,
            SqlOrder(format!("{column} {direction}, {tie} {direction}")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(limit: Option<i64>, offset: Option<i64>) -> Result<PageRequest, Refusal> {
        PageRequest::checked(limit, offset)
    }

    fn refused_field<T: std::fmt::Debug>(result: Result<T, Refusal>) -> String {
        result.expect_err("refused").field
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
        assert_eq!(refused_field(page(Some(0), None)), "limit");
        assert_eq!(refused_field(page(Some(1001), None)), "limit");
    }

    #[test]
    fn orders_come_only_from_the_whitelist() {
        const SORTABLE: Sortable = Sortable {
            columns: &[("name", "p.name"), ("created", "p.created_at")],
            default: "name",
            tie: "p.id",
        };
        let query = |order: Option<&str>| ListParams::<()> {
            order_by: order.map(str::to_owned),
            ..ListParams::default()
        };
        let (_, order) = query(None).checked_among(&SORTABLE).expect("default");
        assert_eq!(order.as_sql(), "p.name ASC, p.id ASC");
        let (_, order) = query(Some("-created"))
            .checked_among(&SORTABLE)
            .expect("valid");
        assert_eq!(order.as_sql(), "p.created_at DESC, p.id DESC");
        for refused in ["name; DROP TABLE projects", "--name", "id", ""] {
            assert_eq!(
                refused_field(query(Some(refused)).checked_among(&SORTABLE)),
                "order_by",
                "{refused:?}"
            );
        }
    }

    #[test]
    fn the_default_order_equals_the_checked_default() {
        struct Listed;
        impl Ordered for Listed {
            const ORDER: Sortable = Sortable {
                columns: &[("name", "p.name"), ("created", "p.created_at")],
                default: "-created",
                tie: "p.id",
            };
        }
        let (_, checked) = ListParams::<Listed>::default().checked().expect("default");
        assert_eq!(SqlOrder::default_of::<Listed>(), checked);
        assert_eq!(checked.as_sql(), "p.created_at DESC, p.id DESC");
    }

    #[test]
    fn negative_offset_is_refused() {
        assert_eq!(refused_field(page(None, Some(-1))), "offset");
    }
}
