use super::compare_charts::CompareCharts;
use super::compare_matrices::CompareMatrices;
use super::compare_media::{CompareBars, CompareEvaluations, CompareImages};
use super::compare_tables::CompareTables;
use super::compared_logs::Loaded;
use super::missing_experiments::{deleted_experiments, MissingExperiments};
use super::partial_logs::{partial_logs, PartialLogs};
use super::CompareState;
use crate::api::ApiClient;
use crate::components::{AfterFirstPaint, ErrorPanel, LoadingRows};
use crate::error::AppError;
use crate::views::SaveViewForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::sync::Arc;
use trackboard_api::{Experiment, Log};

/// What the compare view loaded.
#[derive(Clone, Debug)]
enum Compared {
    /// Every experiment with its logs, in the chosen order.
    Loaded(Vec<(Experiment, Vec<Log>)>),
    /// Experiments of the comparison that no longer exist.
    Missing(Vec<i64>),
}

/// `/compare?ids=…`: several experiments side by side; the whole view lives in the URL.
#[component]
pub fn ComparePage() -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let query = use_query_map();
    let state = Memo::new(move |_| query.with(|q| CompareState::from_query(|key| q.get(key))));
    let ids = Memo::new(move |_| state.get().ids);
    let data = LocalResource::new(move || {
        let client = client.clone();
        let ids = ids.get();
        async move {
            // Every experiment and its logs in one request, in the chosen order.
            if ids.is_empty() {
                return Ok(Compared::Loaded(Vec::new()));
            }
            match client.compared_experiments(&ids).await {
                Ok(compared) => Ok(Compared::Loaded(
                    compared
                        .experiments
                        .into_iter()
                        .map(|entry| (entry.experiment, entry.logs))
                        .collect(),
                )),
                // Refused: if experiments it names were deleted, say which.
                Err(error) => match deleted_experiments(&client, &ids).await {
                    gone if gone.is_empty() => Err::<_, AppError>(error),
                    gone => Ok(Compared::Missing(gone)),
                },
            }
        }
    });
    view! {
        <section class="page compare-page">
            <h1>"Compare experiments"</h1>
            {move || (ids.get().len() < 2).then(|| view! {
                <div class="empty-state"><h2>"Choose two or more experiments"</h2>
                    <p>"Tick experiments on a project page, then press Compare."</p></div>
            })}
            <Transition fallback=|| view! { <LoadingRows/> }>
                <ErrorBoundary fallback=move |errors| view! { <ErrorPanel errors retry=move |()| data.refetch()/> }>
                    {move || Suspend::new(async move {
                        data.await.map(|compared| match compared {
                            Compared::Loaded(loaded) => view! { <CompareView loaded state/> }.into_any(),
                            Compared::Missing(gone) => view! { <MissingExperiments gone state=state.get_untracked()/> }.into_any(),
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// The loaded comparison: a summary, the save form, then one component per section.
#[component]
fn CompareView(loaded: Vec<(Experiment, Vec<Log>)>, state: Memo<CompareState>) -> impl IntoView {
    if loaded.len() < 2 {
        return ().into_any();
    }
    let snapshot = expect_context::<ApiClient>().is_snapshot();
    let partial = partial_logs(&loaded);
    // Saved in the project of the first experiment (a comparison is a project's view).
    let project_id = loaded[0].0.project_id;
    let summary = format!(
        "{} experiments: {}",
        loaded.len(),
        loaded
            .iter()
            .map(|(e, _)| e.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let loaded: Loaded = Arc::new(loaded);
    view! {
        <p class="list-summary">{summary}</p>
        {(!snapshot).then(|| view! { <SaveViewForm project_id/> })}
        <CompareCharts loaded=loaded.clone() state/>
        <AfterFirstPaint>
            <CompareTables loaded=loaded.clone() state/>
            <CompareBars loaded=loaded.clone()/>
            <CompareEvaluations loaded=loaded.clone()/>
            <CompareMatrices loaded=loaded.clone() state/>
            <CompareImages loaded=loaded.clone()/>
            <PartialLogs partial/>
        </AfterFirstPaint>
    }
    .into_any()
}
