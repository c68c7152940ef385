//! `runs/search`: runs filtered by MLflow's search grammar over their metrics, params,
//! tags and attributes, ordered and paged by the one search skeleton (`search.rs`).

use super::error::MlflowResult;
use super::experiments::project_of;
use super::extract::MlJson;
use super::present::{self, experiment_id_of, RunView};
use super::runs::view;
use super::search::{page_answer, Search, SearchRequest, Searched};
use crate::domain::mlflow::status_to_mlflow;
use crate::domain::mlflow_search::{Field, Kind, SearchValue};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
pub struct SearchRuns {
    #[serde(default)]
    experiment_ids: Vec<String>,
    #[serde(flatten)]
    search: SearchRequest,
}

/// How runs are searched: newest first after the asked order; MLflow's cap on a page.
const RUNS: Searched = Searched {
    default_order: "start_time DESC",
    max_page: 50_000,
};

/// `POST runs/search {experiment_ids, filter, order_by, max_results, page_token}`.
pub async fn search(
    State(state): State<AppState>,
    MlJson(body): MlJson<SearchRuns>,
) -> MlflowResult<Json<Value>> {
    let search = Search::checked(&body.search, &RUNS)?;
    let mut runs = Vec::new();
    for experiment_id in &body.experiment_ids {
        // MLflow's default experiment holds no runs until one is logged to it.
        if experiment_id == "0" && project_of(&state.storage, "0").await.is_err() {
            continue;
        }
        let project = project_of(&state.storage, experiment_id).await?;
        for experiment in state.storage.all_experiments(project.id).await? {
            runs.push(view(&state.storage, experiment).await?);
        }
    }
    let (page, next) = search.page(runs, run_value, |run| run.experiment.id);
    let runs = page.iter().map(RunView::run).collect();
    Ok(Json(page_answer("runs", runs, next)))
}

/// A run's value of a search field.
fn run_value(run: &RunView, field: &Field) -> Option<SearchValue> {
    match field.kind {
        Kind::Metric => run
            .metrics
            .iter()
            .find(|m| m.key == field.key)
            .map(|m| SearchValue::Number(m.value)),
        Kind::Param => run.params.get(&field.key).cloned().map(SearchValue::Text),
        Kind::Tag => run
            .all_tags()
            .get(&field.key)
            .cloned()
            .map(SearchValue::Text),
        Kind::Attribute => run_attribute(run, &field.key),
    }
}

/// A run attribute as `RunInfo` shows it, read from the run's typed fields.
fn run_attribute(run: &RunView, key: &str) -> Option<SearchValue> {
    let text = |text: String| Some(SearchValue::Text(text));
    match key {
        "run_name" | "name" => text(run.experiment.name.clone()),
        "run_id" | "run_uuid" | "id" => text(run.id()),
        "experiment_id" => text(experiment_id_of(&run.project)),
        "user_id" => text(run.user_id().to_owned()),
        "status" => text(status_to_mlflow(run.experiment.status).to_owned()),
        "start_time" => Some(SearchValue::Number(run.start_time() as f64)),
        "end_time" => run.end_time().map(|end| SearchValue::Number(end as f64)),
        "artifact_uri" => text(run.artifact_uri()),
        "lifecycle_stage" => text(present::LIFECYCLE_ACTIVE.to_owned()),
        _ => None,
    }
}
