//! `GET /api/v1/projects/{id}/experiments`: a project's experiments, a page at a time,
//! by name, or by MLflow's search grammar over their metrics, parameters, tags and
//! attributes, filtered and ordered in SQL (`storage::run_search`).

use super::projects;
use super::Refused;
use crate::domain::mlflow_search::{
    parse_order, Clause, Comparator, Field, Filter, Kind, OrderTerm, SearchValue,
};
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::listing::{ListParams, PageRequest};
use crate::state::AppState;
use crate::storage::{Dialect, ExperimentListQuery, RunSearch};
use axum::extract::State;
use serde::Deserialize;
use trackboard_api::{Experiment, Page};

/// The query of `GET /projects/{id}/experiments`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExperimentListParams {
    /// Items per page, 1 to 1000 (default 100).
    limit: Option<i64>,
    /// Items to skip (default 0).
    offset: Option<i64>,
    /// A column (`name`, `created`, `updated`, `status`; `-` first for descending;
    /// default `-created`), or search terms separated by commas, each a field and
    /// `ASC` or `DESC` (`metrics.accuracy DESC, params.lr`). Experiments without the
    /// field come last; numbers before texts.
    order_by: Option<String>,
    /// Case-insensitive substring of the name.
    name: Option<String>,
    /// MLflow's search grammar, clauses joined by AND, over `metrics.` (VALUE logs, or a
    /// LINE log's last value), `params.`, `tags.` and the attributes `name`, `status`,
    /// `id`, `description`, `created_at`, `updated_at`:
    /// `metrics.accuracy > 0.9 and params.lr = '0.001' and status = 'success'`,
    /// `name LIKE 'yolo%'`. A refusal names the character where it went wrong.
    filter: Option<String>,
}

/// The columns `order_by` takes without the search grammar, and the attribute each is.
const COLUMNS: [(&str, &str); 4] = [
    ("name", "name"),
    ("created", "created_at"),
    ("updated", "updated_at"),
    ("status", "status"),
];

/// `GET /api/v1/projects/{id}/experiments?limit&offset&order_by&name&filter`.
#[utoipa::path(
    get,
    path = "/v1/projects/{project_id}/experiments",
    tag = "experiments",
    params(("project_id" = i64, Path), ExperimentListParams),
    responses((status = 200, body = Page<Experiment>), Refused)
)]
pub async fn list(
    State(state): State<AppState>,
    Path(project_id): Path<i64>,
    Query(params): Query<ExperimentListParams>,
) -> Result<axum::Json<Page<Experiment>>, ApiError> {
    let name_contains = params
        .name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned);
    let filter_text = params.filter.as_deref().unwrap_or("").trim();
    let legacy_order = params.order_by.as_deref().is_none_or(|order| {
        let word = order.strip_prefix('-').unwrap_or(order);
        COLUMNS.iter().any(|(column, _)| *column == word)
    });
    if filter_text.is_empty() && legacy_order {
        let list = ListParams::<Experiment>::new(params.limit, params.offset, params.order_by);
        let (page, order) = list.checked()?;
        let query = ExperimentListQuery {
            page,
            order,
            name_contains,
        };
        existing_project(&state, project_id).await?;
        let (items, total) = state.storage.list_experiments(project_id, &query).await?;
        return Ok(axum::Json(query.page.answer(items, total)));
    }
    let page = PageRequest::checked(params.limit, params.offset)?;
    let mut filter = Filter::parse("filter", filter_text)?;
    if let Some(name) = name_contains {
        filter.clauses.push(Clause {
            field: attribute("name"),
            comparator: Comparator::ILike,
            values: vec![SearchValue::Text(format!("%{name}%"))],
        });
    }
    let order = order_terms(params.order_by.as_deref().unwrap_or("-created"))?;
    existing_project(&state, project_id).await?;
    let search = RunSearch {
        project_ids: &[project_id],
        filter: &filter,
        order: &order,
        dialect: Dialect::Native,
    };
    let (ids, total) = state.storage.search_runs(&search, page).await?;
    let items = state.storage.experiments_in_order(&ids).await?;
    Ok(axum::Json(page.answer(items, total)))
}

async fn existing_project(state: &AppState, project_id: i64) -> Result<(), ApiError> {
    match state.storage.get_project(project_id).await? {
        Some(_) => Ok(()),
        None => Err(projects::not_found(project_id)),
    }
}

fn attribute(key: &str) -> Field {
    Field {
        kind: Kind::Attribute,
        key: key.to_owned(),
    }
}

/// `order_by` as search terms: comma-separated, each `field [ASC|DESC]`, or a column
/// word with `-` for descending.
fn order_terms(text: &str) -> Result<Vec<OrderTerm>, ApiError> {
    let mut terms = Vec::new();
    for part in text.split(',').map(str::trim) {
        let (descending, word) = part
            .strip_prefix('-')
            .map_or((false, part), |word| (true, word));
        if let Some((_, key)) = COLUMNS.iter().find(|(column, _)| *column == word) {
            terms.push(OrderTerm {
                field: attribute(key),
                ascending: !descending,
            });
        } else {
            terms.extend(parse_order("order_by", &[part.to_owned()])?);
        }
    }
    Ok(terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_by_takes_column_words_and_search_terms() {
        let terms = order_terms("-created, metrics.accuracy DESC,params.lr").expect("terms");
        let fields: Vec<(Kind, &str, bool)> = terms
            .iter()
            .map(|t| (t.field.kind, t.field.key.as_str(), t.ascending))
            .collect();
        assert_eq!(
            fields,
            [
                (Kind::Attribute, "created_at", false),
                (Kind::Metric, "accuracy", false),
                (Kind::Param, "lr", true)
            ]
        );
        assert!(order_terms("metrics.accuracy sideways").is_err());
        assert!(order_terms("").is_err());
    }
}
