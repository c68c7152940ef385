//! The compare view's line charts: one chosen LINE log (or all of them), every
//! experiment's series overlaid, with the chart picker and the view's toggles.

use super::compared_logs::{shared_names, state_setter, Loaded};
use super::CompareState;
use crate::api::ApiClient;
use crate::charts::{line_scopes, scope_title, LineChart, PointsSource};
use leptos::prelude::*;
use std::collections::HashMap;
use trackboard_api::{ChartScope, ExperimentStatus, LogContent};

/// The toolbar (chart, all charts, only differences) and the charts it shows.
#[component]
pub fn CompareCharts(loaded: Loaded, state: Memo<CompareState>) -> impl IntoView {
    let go = state_setter();
    let every_line_log = shared_names(&loaded, |c| matches!(c, LogContent::Line(_)));
    // Seed 003's scopes: the toolbar offers a filter when any chart has one.
    let scopes = line_scopes(loaded.iter().flat_map(|(_, logs)| logs.iter()));
    let offered: Vec<ChartScope> = ChartScope::ALL
        .into_iter()
        .filter(|scope| scopes.values().any(|s| s == scope))
        .collect();
    let filter_offered = offered.clone();
    let scope = Memo::new(move |_| {
        state
            .with(|s| s.scope)
            .filter(|s| filter_offered.contains(s))
    });
    let line_logs = Memo::new(move |_| {
        let scope = scope.get();
        every_line_log
            .iter()
            .filter(|name| scope.is_none() || scopes.get(*name).copied() == scope)
            .cloned()
            .collect::<Vec<String>>()
    });
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
    let chosen_log = Memo::new(move |_| {
        let available = line_logs.get();
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
    let (pick_log, show_all, toggle, pick_scope) = (go.clone(), go.clone(), go.clone(), go);
    let all_charts = Memo::new(move |_| state.with(|s| s.all_charts));
    view! {
        <div class="toolbar">
            {(!offered.is_empty()).then(|| view! {
                <label for="compare-scope">"Scope"</label>
                <select id="compare-scope" on:change=move |event| {
                    let chosen = ChartScope::parse(&event_target_value(&event));
                    pick_scope(CompareState { scope: chosen, log: None, range: None, ..state.get_untracked() });
                }>
                    <option value="" selected=move || scope.get().is_none()>"All"</option>
                    {offered.iter().map(|option| {
                        let option = *option;
                        view! { <option value=option.as_str() selected=move || scope.get() == Some(option)>{scope_title(Some(option))}</option> }
                    }).collect_view()}
                </select>
            })}
            <label for="compare-log">"Chart"</label>
            <select id="compare-log" prop:disabled=move || state.get().all_charts on:change=move |event| {
                pick_log(CompareState { log: Some(event_target_value(&event)), range: None, ..state.get_untracked() });
            }>
                {move || line_logs.get().into_iter().map(|name| {
                    let value = name.clone();
                    let label = name.clone();
                    view! { <option value=value selected=move || chosen_log.get().as_deref() == Some(name.as_str())>{label}</option> }
                }).collect_view()}
            </select>
            <label><input type="checkbox" prop:checked=move || state.get().all_charts on:change=move |event| {
                show_all(CompareState { all_charts: event_target_checked(&event), range: None, ..state.get_untracked() });
            }/>" All charts"</label>
            <label><input type="checkbox" prop:checked=move || state.get().only_differences on:change=move |event| {
                toggle(CompareState { only_differences: event_target_checked(&event), ..state.get_untracked() });
            }/>" Only differences"</label>
        </div>
        // Only a switch between one chart and all of them re-mounts the charts: a
        // zoom, smoothing or table toggle in the URL must not rebuild a chart mid-drag.
        {move || if all_charts.get() {
            // Every shared LINE log, each chart with its own zoom (their step ranges differ).
            let charts = line_logs.get().into_iter().map(|log| {
                let source = PointsSource::Comparison { ids: ids.clone(), log, names: names.clone() };
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
