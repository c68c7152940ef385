use super::{
    ArtifactList, CheckpointTable, EditExperimentForm, ExperimentHeader, ExportForm, ImageGallery,
    LabelmapTable, LiveLog, ScalarTable, SummaryStrip,
};
use crate::api::ApiClient;
use crate::charts::{
    grouped_by_scope, line_scopes, scope_title, without_system_metrics, BarChart, BarGroups,
    Heatmap, LineChart, PointsSource,
};
use crate::components::{AfterFirstPaint, ErrorPanel, LoadingRows};
use crate::datasets::AttachedDatasets;
use crate::error::AppError;
use crate::evaluations::{ComputeMetricsForm, EvaluationSection};
use crate::links;
use leptos::prelude::*;
use trackboard_api::{Experiment, Log, LogContent};

/// `/experiments/:id`: one experiment with everything it logged.
#[component]
pub fn ExperimentPage() -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let experiment_id = links::id_param("experiment");
    let data = LocalResource::new(move || {
        let client = client.clone();
        let id = experiment_id();
        async move {
            let id = id?;
            let experiment = client.get_experiment(id).await?;
            let logs = client.list_logs(id).await?;
            Ok::<_, AppError>((experiment, logs.items))
        }
    });
    view! {
        <section class="page experiment-page">
            <Transition fallback=|| view! { <LoadingRows/> }>
                <ErrorBoundary fallback=move |errors| {
                    view! { <ErrorPanel errors retry=move |()| data.refetch()/> }
                }>
                    {move || Suspend::new(async move {
                        data.await.map(|(experiment, logs)| view! { <ExperimentView experiment logs refresh=move |()| data.refetch()/> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// The loaded experiment: its header, then a section per kind of log.
#[component]
fn ExperimentView(
    experiment: Experiment,
    logs: Vec<Log>,
    #[prop(into)] refresh: Callback<()>,
) -> impl IntoView {
    let id = experiment.id;
    // A running experiment's charts follow its new steps (as it was when the page loaded).
    let live = Signal::stored(experiment.status == trackboard_api::ExperimentStatus::Running);
    let logs_url = expect_context::<ApiClient>().logs_url(id);
    let charts: Vec<String> = logs
        .iter()
        .filter(|log| matches!(log.content, LogContent::Line(_)))
        .map(|log| log.name.clone())
        .collect();
    // The client's system metrics apart, collapsed; the training's charts grouped by
    // seed 003's scope (train, validation, test) when any has one.
    let (charts, system_charts) = without_system_metrics(charts);
    let chart_groups = grouped_by_scope(charts, &line_scopes(&logs));
    let scoped = chart_groups.iter().any(|(scope, _)| scope.is_some());
    let bars: Vec<(String, trackboard_api::BarData)> = logs
        .iter()
        .filter_map(|log| match &log.content {
            LogContent::Bar(data) => Some((log.name.clone(), data.clone())),
            _ => None,
        })
        .collect();
    let heatmaps: Vec<(String, trackboard_api::HeatmapData)> = logs
        .iter()
        .filter_map(|log| match &log.content {
            LogContent::Heatmap(data) => Some((log.name.clone(), data.clone())),
            _ => None,
        })
        .collect();
    let galleries: Vec<(String, Vec<trackboard_api::LoggedImage>)> = logs
        .iter()
        .filter_map(|log| match &log.content {
            LogContent::Image(gallery) => Some((log.name.clone(), gallery.images.clone())),
            _ => None,
        })
        .collect();
    let tables: Vec<Log> = logs
        .iter()
        .filter(|log| matches!(log.content, LogContent::Table(_)))
        .cloned()
        .collect();
    let labelmaps: Vec<Log> = logs
        .iter()
        .filter(|log| matches!(log.content, LogContent::Labelmap(_)))
        .cloned()
        .collect();
    let evaluations: Vec<trackboard_api::EvaluationMetrics> = logs
        .iter()
        .filter_map(|log| match &log.content {
            LogContent::Evaluation(metrics) => Some(metrics.clone()),
            _ => None,
        })
        .collect();
    let nothing_logged = logs.is_empty();
    let current = RwSignal::new(experiment);
    let editing = RwSignal::new(false);
    view! {
        {move || if editing.get() {
            view! {
                <EditExperimentForm experiment=current.get()
                    saved=move |updated| { current.set(updated); editing.set(false); }
                    cancel=move |()| editing.set(false)/>
            }.into_any()
        } else {
            view! {
                <ExperimentHeader experiment=current.get()/>
                <button type="button" class="secondary edit-button" on:click=move |_| editing.set(true)>"Edit"</button>
            }.into_any()
        }}
        <SummaryStrip logs=logs.clone()/>
        // Each section that loads its own data has its own boundary: read under the
        // page's `Transition`, its request would hold the whole page (and the charts'
        // points request) back until it answered.
        <Suspense><AttachedDatasets experiment_id=id/></Suspense>
        {nothing_logged.then(|| view! {
            <div class="empty-state">
                <h2>"Nothing logged yet"</h2>
                <p>"Log a first value from the training script:"</p>
                <pre><code>{format!(
                    "curl -X POST {logs_url} -H 'Authorization: Bearer YOUR_TOKEN' -H 'content-type: application/json' -d '{{\"name\": \"accuracy\", \"type\": \"VALUE\", \"data\": 0.9}}'"
                )}</code></pre>
            </div>
        })}
        {(!chart_groups.is_empty()).then(|| view! {
            <h2 class="section-title">"Charts"</h2>
            {chart_groups.into_iter().map(|(scope, charts)| view! {
                {scoped.then(|| view! { <h3 class="scope-title" data-scope=scope.map(|s| s.as_str())>{scope_title(scope)}</h3> })}
                <div class="chart-grid">
                    {charts.into_iter().map(|log| view! { <LineChart source=PointsSource::Experiment { id, log } live/> }).collect_view()}
                </div>
            }).collect_view()}
        })}
        {(!system_charts.is_empty()).then(|| view! {
            <details class="system-metrics">
                <summary><h2 class="section-title">{match system_charts.len() { 1 => "System (1 chart)".to_owned(), count => format!("System ({count} charts)") }}</h2></summary>
                <div class="chart-grid">
                    {system_charts.into_iter().map(|log| view! { <LineChart source=PointsSource::Experiment { id, log } live/> }).collect_view()}
                </div>
            </details>
        })}
        // Below the charts, built once the charts have drawn their points: built while
        // the points travelled, they held the answer back (~0.1 s on a cold browser).
        <AfterFirstPaint after_charts=true>
            <Suspense>
                {if evaluations.is_empty() {
                    view! { <ComputeMetricsForm experiment_id=id computed=refresh with_heading=true/> }.into_any()
                } else {
                    view! { <EvaluationSection experiment_id=id metrics=evaluations refresh/> }.into_any()
                }}
            </Suspense>
            {(!bars.is_empty()).then(|| view! {
                <h2 class="section-title">"Bar charts"</h2>
                <div class="chart-grid">
                    {bars.into_iter().map(|(name, data)| view! { <BarChart name groups=BarGroups::single(&data)/> }).collect_view()}
                </div>
            })}
            {(!heatmaps.is_empty()).then(|| view! {
                <h2 class="section-title">"Confusion matrices"</h2>
                <div class="chart-grid">
                    {heatmaps.into_iter().map(|(name, data)| view! { <Heatmap name data/> }).collect_view()}
                </div>
            })}
            {(!tables.is_empty() || !labelmaps.is_empty()).then(|| view! {
                <h2 class="section-title">"Tables"</h2>
                <div class="table-grid">
                    {tables.into_iter().map(|log| view! { <ScalarTable log/> }).collect_view()}
                    {labelmaps.into_iter().map(|log| view! { <LabelmapTable log/> }).collect_view()}
                </div>
            })}
            {(!galleries.is_empty()).then(|| view! {
                <h2 class="section-title">"Images"</h2>
                {galleries.into_iter().map(|(name, images)| view! { <ImageGallery name images/> }).collect_view()}
            })}
            <Suspense><CheckpointTable experiment_id=id/></Suspense>
            <Suspense><ArtifactList experiment_id=id/></Suspense>
            <Suspense><LiveLog experiment_id=id/></Suspense>
            <Suspense><ExportForm experiment_id=id/></Suspense>
        </AfterFirstPaint>
    }
}
