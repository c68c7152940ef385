//! `runs/search`: runs filtered by MLflow's search grammar over their metrics, params,
//! tags and attributes, ordered and paged in SQL (`storage::run_search`), the request
//! checked by the one search skeleton (`search.rs`).

use super::error::MlflowResult;
use super::experiments::project_of;
use super::extract::MlJson;
use super::present::{Run, RunView};
use super::search::{Search, SearchRequest, Searched};
use crate::state::AppState;
use crate::storage::{Dialect, RunParts, RunSearch};
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct SearchRuns {
    #[serde(default)]
    experiment_ids: Vec<String>,
    #[serde(flatten)]
    search: SearchRequest,
}

/// A page of `runs/search`, serialised straight from its runs.
#[derive(Serialize)]
pub struct RunsPage {
    runs: Vec<Run>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page_token: Option<String>,
}

/// How runs are searched: newest first after the asked order; MLflow's cap on a page.
const RUNS: Searched = Searched {
    default_order: "start_time DESC",
    max_page: 50_000,
};

/// `POST runs/search {experiment_ids, filter, order_by, max_results, page_token}`:
/// filtered, ordered and paged in SQL; the page's runs are then read in a few queries.
pub async fn search(
    State(state): State<AppState>,
    MlJson(body): MlJson<SearchRuns>,
) -> MlflowResult<Json<RunsPage>> {
    let search = Search::checked(&body.search, &RUNS)?;
    let mut projects = Vec::new();
    for experiment_id in &body.experiment_ids {
        // MLflow's default experiment holds no runs until one is logged to it.
        if experiment_id == "0" && project_of(&state.storage, "0").await.is_err() {
            continue;
        }
        projects.push(project_of(&state.storage, experiment_id).await?);
    }
    let project_ids: Vec<i64> = projects.iter().map(|p| p.id).collect();
    let run_search = RunSearch {
        project_ids: &project_ids,
        filter: search.filter(),
        order: search.order(),
        dialect: Dialect::Mlflow,
    };
    let (ids, total) = state
        .storage
        .search_runs(&run_search, search.page_request())
        .await?;
    let experiments = state.storage.experiments_in_order(&ids).await?;
    let mut parts = state.storage.run_parts(&ids).await?;
    let runs = experiments
        .into_iter()
        .filter_map(|experiment| {
            let project = projects
                .iter()
                .find(|p| p.id == experiment.project_id)?
                .clone();
            let RunParts {
                record,
                metrics,
                params,
                tags,
            } = parts.remove(&experiment.id).unwrap_or_default();
            Some(
                RunView {
                    experiment,
                    project,
                    record,
                    metrics,
                    params,
                    tags,
                }
                .into_run(),
            )
        })
        .collect();
    Ok(Json(RunsPage {
        runs,
        next_page_token: search.next_token(total),
    }))
}
