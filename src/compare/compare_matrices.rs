//! The compare view's confusion matrices: experiment by experiment for each HEATMAP
//! name; each but the baseline's (chosen in the URL) can show its difference from it.
//! Past a dozen runs, one grid of small multiples a name instead.

use super::compared_logs::{heatmap_of, shared_names, state_setter, Loaded};
use super::matrix_grid::{MatrixGrid, SMALL_MULTIPLES_PAST};
use super::CompareState;
use crate::charts::{CellMode, Heatmap, HeatmapModel};
use leptos::prelude::*;
use trackboard_api::LogContent;

#[component]
pub fn CompareMatrices(loaded: Loaded, state: Memo<CompareState>) -> impl IntoView {
    let heatmap_logs = shared_names(&loaded, |c| matches!(c, LogContent::Heatmap(_)));
    if heatmap_logs.is_empty() {
        return ().into_any();
    }
    if loaded.len() > SMALL_MULTIPLES_PAST {
        let grids = heatmap_logs
            .iter()
            .enumerate()
            .map(|(position, name)| {
                let runs: Vec<(i64, String, HeatmapModel)> = loaded
                    .iter()
                    .filter_map(|(experiment, logs)| {
                        let model =
                            HeatmapModel::new(heatmap_of(logs, name)?, CellMode::Counts).ok()?;
                        Some((experiment.id, experiment.name.clone(), model))
                    })
                    .collect();
                view! { <MatrixGrid name=name.clone() position runs/> }
            })
            .collect_view();
        return view! {
            <h2 class="section-title">"Confusion matrices"</h2>
            {grids}
        }
        .into_any();
    }
    let pick_baseline = state_setter();
    let ids: Vec<i64> = loaded.iter().map(|(e, _)| e.id).collect();
    let baseline_id = move || {
        state
            .with(|s| s.baseline)
            .filter(|id| ids.contains(id))
            .unwrap_or(ids[0])
    };
    let heatmaps = {
        let (loaded, baseline_id) = (loaded.clone(), baseline_id.clone());
        move || {
            let baseline_id = baseline_id();
            let baseline = loaded
                .iter()
                .find(|(experiment, _)| experiment.id == baseline_id);
            heatmap_logs
                .iter()
                .flat_map(|name| {
                    let base = baseline.and_then(|(experiment, logs)| {
                        heatmap_of(logs, name).map(|data| (experiment.name.clone(), data.clone()))
                    });
                    loaded.iter().filter_map(move |(experiment, logs)| {
                        let data = heatmap_of(logs, name)?.clone();
                        let base = base.clone().filter(|_| experiment.id != baseline_id);
                        let title = format!("{} · {}", experiment.name, name);
                        Some(match base {
                            Some(base) => {
                                view! { <Heatmap name=title data baseline=base/> }.into_any()
                            }
                            None => view! { <Heatmap name=title data/> }.into_any(),
                        })
                    })
                })
                .collect_view()
        }
    };
    let baseline_options = loaded
        .iter()
        .map(|(experiment, _)| {
            let id = experiment.id;
            let baseline_id = baseline_id.clone();
            view! { <option value=id.to_string() selected=move || id == baseline_id()>{experiment.name.clone()}</option> }
        })
        .collect_view();
    view! {
        <h2 class="section-title">"Confusion matrices"</h2>
        <div class="toolbar">
            <label for="compare-baseline">"Baseline"</label>
            <select id="compare-baseline" on:change=move |event| {
                let baseline = event_target_value(&event).parse().ok();
                pick_baseline(CompareState { baseline, ..state.get_untracked() });
            }>{baseline_options}</select>
        </div>
        <div class="chart-grid">{heatmaps}</div>
    }
    .into_any()
}
