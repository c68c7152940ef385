//! The compare view's line charts: one chosen LINE log (or all of them), every
//! experiment's series overlaid, with the chart picker and the view's toggles.

use super::compared_logs::{shared_names, state_setter, Loaded};
use super::CompareState;
use crate::api::ApiClient;
use crate::charts::{LineChart, PointsSource};
use leptos::prelude::*;
use std::collections::HashMap;
use trackboard_api::{ExperimentStatus, LogContent};

/// The toolbar (chart, all charts, only differences) and the charts it shows.
#[component]
pub fn CompareCharts(loaded: Loaded, state: Memo<CompareState>) -> impl IntoView {
    let go = state_setter();
    let line_logs = shared_names(&loaded, |c| matches!(c, LogContent::Line(_)));
    let ids: Vec<i64> = loaded.iter().map(|(e, _)| e.id).collect();
    // Charts follow new steps while any compared experiment runs (as when loaded).
    // A snapshot is a moment: nothing in it runs on.
    let snapshot = expect_context::<ApiClient>().is_snapshot();
    let live = Signal::stored(
        !snapshot
            && loaded
                .iter()
                .any(|(e, _)| e.status == ExperimentStatus::Running),
    );
    let names: HashMap<i64, String> = loaded.iter().map(|(e, _)| (e.id, e.name.clone())).collect();
    let initial = state.get_untracked();
    let zoom = RwSignal::new(initial.range);
    let smoothing = RwSignal::new(initial.smoothing);
    let available = line_logs.clone();
    let chosen_log = Memo::new(move |_| {
        state
            .with(|s| s.log.clone())
            .filter(|log| available.contains(log))
            .or_else(|| available.first().cloned())
    });
    // Another log starts unzoomed.
    Effect::new(move |previous: Option<Option<String>>| {
        let log = chosen_log.get();
        if previous.is_some_and(|before| before != log) {
            zoom.set(None);
        }
        log
    });
    // Zoom and smoothing live in the chart; the URL follows them (only when they differ
    // from it, so a navigation never echoes back).
    let sync = go.clone();
    Effect::new(move |_| {
        let (range, smooth) = (zoom.get(), smoothing.get());
        let current = state.get_untracked();
        if current.range != range || current.smoothing != smooth {
            sync(CompareState {
                range,
                smoothing: smooth,
                ..current
            });
        }
    });
    let (pick_log, show_all, toggle) = (go.clone(), go.clone(), go);
    let every_log = line_logs.clone();
    view! {
        <div class="toolbar">
            <label for="compare-log">"Chart"</label>
            <select id="compare-log" prop:disabled=move || state.get().all_charts on:change=move |event| {
                pick_log(CompareState { log: Some(event_target_value(&event)), range: None, ..state.get_untracked() });
            }>
                {line_logs.iter().map(|name| {
                    let name = name.clone();
                    let value = name.clone();
                    view! { <option value=value selected=move || chosen_log.get().as_deref() == Some(name.as_str())>{name.clone()}</option> }
                }).collect_view()}
            </select>
            <label><input type="checkbox" prop:checked=move || state.get().all_charts on:change=move |event| {
                show_all(CompareState { all_charts: event_target_checked(&event), range: None, ..state.get_untracked() });
            }/>" All charts"</label>
            <label><input type="checkbox" prop:checked=move || state.get().only_differences on:change=move |event| {
                toggle(CompareState { only_differences: event_target_checked(&event), ..state.get_untracked() });
            }/>" Only differences"</label>
        </div>
        {move || if state.get().all_charts {
            // Every shared LINE log, each chart with its own zoom (their step ranges differ).
            let charts = every_log.iter().map(|log| {
                let source = PointsSource::Comparison { ids: ids.clone(), log: log.clone(), names: names.clone() };
                view! { <LineChart source zoom=RwSignal::new(None) smoothing live/> }
            }).collect_view();
            view! { <div class="chart-grid">{charts}</div> }.into_any()
        } else {
            chosen_log.get().map(|log| view! {
                <div class="chart-grid single"><LineChart source=PointsSource::Comparison { ids: ids.clone(), log, names: names.clone() } zoom smoothing live/></div>
            }).into_any()
        }}
    }
}
