use super::missing_experiments::{deleted_experiments, MissingExperiments};
use super::{compared_rows, visible_rows, CompareState, ImageSteps};
use crate::api::{ApiClient, ApiError};
use crate::charts::{BarChart, BarGroups, Heatmap, LineChart, PointsSource};
use crate::components::{AfterFirstPaint, ErrorPanel, LoadingRows};
use crate::evaluations::EvaluationComparison;
use crate::experiments::scalar_text;
use crate::views::SaveViewForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::collections::HashMap;
use trackboard_api::{Experiment, Log, LogContent};

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
                    gone if gone.is_empty() => Err::<_, ApiError>(error),
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

/// Names of the logs of `kind` that experiments have, the most shared first.
fn shared_names(
    loaded: &[(Experiment, Vec<Log>)],
    matches: fn(&LogContent) -> bool,
) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (_, logs) in loaded {
        for log in logs.iter().filter(|log| matches(&log.content)) {
            match counts.iter_mut().find(|(name, _)| *name == log.name) {
                Some((_, count)) => *count += 1,
                None => counts.push((log.name.clone(), 1)),
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts.into_iter().map(|(name, _)| name).collect()
}

/// Each compared experiment's (key, text) entries of one table, in compared order.
type ExperimentEntries = Vec<Vec<(String, String)>>;

/// The data of an experiment's HEATMAP log `name`, if it has one.
fn heatmap_of<'a>(logs: &'a [Log], name: &str) -> Option<&'a trackboard_api::HeatmapData> {
    logs.iter()
        .find(|log| log.name == name)
        .and_then(|log| match &log.content {
            LogContent::Heatmap(data) => Some(data),
            _ => None,
        })
}

/// The entries of an experiment's TABLE or LABELMAP log `name`, as text.
fn keyed_entries(logs: &[Log], name: &str) -> Vec<(String, String)> {
    logs.iter()
        .filter(|log| log.name == name)
        .flat_map(|log| match &log.content {
            LogContent::Table(table) => table
                .iter()
                .map(|(key, value)| (key.clone(), scalar_text(value)))
                .collect(),
            LogContent::Labelmap(labels) => labels
                .iter()
                .map(|(id, label)| (id.clone(), label.clone()))
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// Logs that some compared experiments lack: each name (by first appearance) with the
/// experiments that do not have it, so nothing is hidden without a word.
pub fn partial_logs(loaded: &[(Experiment, Vec<Log>)]) -> Vec<(String, Vec<String>)> {
    let mut names: Vec<&str> = Vec::new();
    for (_, logs) in loaded {
        for log in logs {
            if !names.contains(&log.name.as_str()) {
                names.push(&log.name);
            }
        }
    }
    names
        .into_iter()
        .filter_map(|name| {
            let missing: Vec<String> = loaded
                .iter()
                .filter(|(_, logs)| !logs.iter().any(|log| log.name == name))
                .map(|(experiment, _)| experiment.name.clone())
                .collect();
            (!missing.is_empty()).then(|| (name.to_owned(), missing))
        })
        .collect()
}

#[component]
fn CompareView(loaded: Vec<(Experiment, Vec<Log>)>, state: Memo<CompareState>) -> impl IntoView {
    if loaded.len() < 2 {
        return ().into_any();
    }
    let navigate = use_navigate();
    let go = move |next: CompareState| {
        navigate(
            &next.to_url(),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        )
    };
    let line_logs = shared_names(&loaded, |c| matches!(c, LogContent::Line(_)));
    let heatmap_logs = shared_names(&loaded, |c| matches!(c, LogContent::Heatmap(_)));
    let ids: Vec<i64> = loaded.iter().map(|(e, _)| e.id).collect();
    // Charts follow new steps while any compared experiment runs (as when loaded).
    // A snapshot is a moment: nothing in it runs on.
    let snapshot = expect_context::<ApiClient>().is_snapshot();
    let live = Signal::stored(
        !snapshot
            && loaded
                .iter()
                .any(|(e, _)| e.status == trackboard_api::ExperimentStatus::Running),
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
    let sync = go.clone();
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
    let values: ExperimentEntries = loaded
        .iter()
        .map(|(_, logs)| {
            logs.iter()
                .filter_map(|log| match &log.content {
                    LogContent::Value(scalar) => Some((log.name.clone(), scalar_text(scalar))),
                    _ => None,
                })
                .collect()
        })
        .collect();
    // Every TABLE and LABELMAP log, `parameters` first: key by key, side by side.
    let mut keyed_logs = shared_names(&loaded, |c| {
        matches!(c, LogContent::Table(_) | LogContent::Labelmap(_))
    });
    keyed_logs.sort_by_key(|name| name != "parameters");
    let keyed_tables: Vec<(String, ExperimentEntries)> = keyed_logs
        .into_iter()
        .map(|name| {
            let rows = loaded
                .iter()
                .map(|(_, logs)| keyed_entries(logs, &name))
                .collect();
            (name, rows)
        })
        .collect();
    let headers: Vec<String> = loaded.iter().map(|(e, _)| e.name.clone()).collect();
    let only_differences = move || state.get().only_differences;
    let toggle = go.clone();
    let pick_log = go.clone();
    let show_all = go.clone();
    let every_log = line_logs.clone();
    let table = move |title: String, rows: ExperimentEntries| {
        let headers = headers.clone();
        view! {
            // Many experiments make many columns: the table scrolls in its own box
            // instead of widening the page.
            <div class="table-overflow">
            <table class="data-table compare-table">
                <caption>{title}</caption>
                <thead><tr><th scope="col">"Name"</th>{headers.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {move || visible_rows(compared_rows(&rows), only_differences()).into_iter().map(|row| {
                        let differs = row.differs();
                        view! {
                            <tr class:differs=differs>
                                <th scope="row">{row.name.clone()}</th>
                                {row.values.into_iter().map(|v| view! { <td>{v.unwrap_or_else(|| "—".to_owned())}</td> }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        }
    };
    // Every confusion matrix, experiment by experiment for each name; each but the
    // baseline's can show its difference against the baseline's (chosen in the URL).
    let matrices = StoredValue::new((loaded.clone(), heatmap_logs.clone(), ids.clone()));
    let baseline_id = move || {
        matrices.with_value(|(_, _, ids)| {
            state
                .with(|s| s.baseline)
                .filter(|id| ids.contains(id))
                .unwrap_or(ids[0])
        })
    };
    let heatmaps = move || {
        let baseline_id = baseline_id();
        matrices.with_value(|(loaded, heatmap_logs, _)| {
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
        })
    };
    let pick_baseline = go.clone();
    let baseline_options = loaded
        .iter()
        .map(|(experiment, _)| {
            let id = experiment.id;
            view! { <option value=id.to_string() selected=move || id == baseline_id()>{experiment.name.clone()}</option> }
        })
        .collect_view();
    let heatmap_section = (!heatmap_logs.is_empty()).then(|| {
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
    });
    // Every BAR log, its categories grouped with a bar per experiment that has it.
    let bar_charts = shared_names(&loaded, |c| matches!(c, LogContent::Bar(_)))
        .into_iter()
        .map(|name| {
            let logs: Vec<(String, trackboard_api::BarData)> = loaded
                .iter()
                .filter_map(|(experiment, logs)| {
                    logs.iter()
                        .find(|log| log.name == name)
                        .and_then(|log| match &log.content {
                            LogContent::Bar(data) => Some((experiment.name.clone(), data.clone())),
                            _ => None,
                        })
                })
                .collect();
            view! { <BarChart name groups=BarGroups::compare(&logs)/> }
        })
        .collect::<Vec<_>>();
    let bar_section = (!bar_charts.is_empty()).then(|| {
        view! {
            <h2 class="section-title">"Bars"</h2>
            <div class="chart-grid">{bar_charts}</div>
        }
    });
    // Every IMAGE log, step by step across the experiments that have it.
    let image_sections = shared_names(&loaded, |c| matches!(c, LogContent::Image(_)))
        .into_iter()
        .map(|name| {
            let galleries: Vec<(String, Vec<trackboard_api::LoggedImage>)> = loaded
                .iter()
                .filter_map(|(experiment, logs)| {
                    logs.iter()
                        .find(|log| log.name == name)
                        .and_then(|log| match &log.content {
                            LogContent::Image(gallery) => {
                                Some((experiment.name.clone(), gallery.images.clone()))
                            }
                            _ => None,
                        })
                })
                .collect();
            view! { <ImageSteps name galleries/> }
        })
        .collect::<Vec<_>>();
    let image_section = (!image_sections.is_empty()).then(|| {
        view! {
            <h2 class="section-title">"Images"</h2>
            {image_sections}
        }
    });
    // Every EVALUATION log, figure by figure with differences from the first experiment.
    let evaluated: Vec<(i64, String, Vec<trackboard_api::EvaluationMetrics>)> = loaded
        .iter()
        .map(|(experiment, logs)| {
            let metrics = logs
                .iter()
                .filter_map(|log| match &log.content {
                    LogContent::Evaluation(metrics) => Some(metrics.clone()),
                    _ => None,
                })
                .collect();
            (experiment.id, experiment.name.clone(), metrics)
        })
        .collect();
    let evaluation_section = evaluated.iter().any(|(_, _, m)| !m.is_empty()).then(|| {
        view! {
            <h2 class="section-title">"Evaluations"</h2>
            <EvaluationComparison experiments=evaluated snapshot/>
        }
    });
    let partial = partial_logs(&loaded);
    // Saved in the project of the first experiment (a comparison is a project's view).
    let project_id = loaded[0].0.project_id;
    view! {
        <p class="list-summary">{format!("{} experiments: {}", loaded.len(), loaded.iter().map(|(e, _)| e.name.clone()).collect::<Vec<_>>().join(", "))}</p>
        {(!snapshot).then(|| view! { <SaveViewForm project_id/> })}
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
            <label><input type="checkbox" prop:checked=only_differences on:change=move |event| {
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
        <AfterFirstPaint>
        <div class="table-grid compare-tables">
            {table("Values".to_owned(), values)}
            {keyed_tables.into_iter().map(|(name, rows)| {
                let title = if name == "parameters" { "Parameters".to_owned() } else { name };
                table(title, rows)
            }).collect_view()}
        </div>
        {bar_section}
        {evaluation_section}
        {heatmap_section}
        {image_section}
        {(!partial.is_empty()).then(|| view! {
            <section class="partial-logs" aria-labelledby="partial-logs-title">
                <h2 class="section-title" id="partial-logs-title">"Not in every experiment"</h2>
                <ul>
                    {partial.into_iter().map(|(name, missing)| view! {
                        <li><strong>{name}</strong>" — missing in "{missing.join(", ")}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        </AfterFirstPaint>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::{ExperimentStatus, JobStatus, Scalar};

    fn experiment(id: i64, name: &str) -> Experiment {
        Experiment {
            id,
            project_id: 1,
            name: name.into(),
            description: String::new(),
            status: ExperimentStatus::Running,
            base_experiment_id: None,
            base_model_version_id: None,
            job_status: JobStatus::Pending,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    fn value_log(name: &str) -> Log {
        Log {
            id: 0,
            experiment_id: 0,
            name: name.into(),
            content: LogContent::Value(Scalar::Bool(true)),
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn logs_some_experiments_lack_are_named_with_who_lacks_them() {
        let loaded = vec![
            (experiment(1, "a"), vec![value_log("loss"), value_log("f1")]),
            (experiment(2, "b"), vec![value_log("loss")]),
            (experiment(3, "c"), vec![value_log("iou")]),
        ];
        assert_eq!(
            partial_logs(&loaded),
            vec![
                ("loss".to_owned(), vec!["c".to_owned()]),
                ("f1".to_owned(), vec!["b".to_owned(), "c".to_owned()]),
                ("iou".to_owned(), vec!["a".to_owned(), "b".to_owned()]),
            ]
        );
        let same = vec![
            (experiment(1, "a"), vec![value_log("loss")]),
            (experiment(2, "b"), vec![value_log("loss")]),
        ];
        assert!(partial_logs(&same).is_empty());
    }
}
