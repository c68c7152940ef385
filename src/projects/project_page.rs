use super::{
    group_fields, with_status, ExperimentTable, GroupedLines, ParallelCoordinates, ResultsExport,
    SweepScatter, SweepValues, TableSort,
};
use crate::api::ApiClient;
use crate::components::{ErrorPanel, LazyDetails, LoadingRows};
use crate::error::AppError;
use crate::links;
use crate::views::{SaveViewForm, SavedViewsList};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::sync::Arc;
use trackboard_api::Page;

/// Sort orders offered in the toolbar, as `sort=` values and labels (a click on any
/// column header sorts too).
const ORDERS: [(&str, &str); 6] = [
    ("-created", "Newest first"),
    ("created", "Oldest first"),
    ("-updated", "Recently updated"),
    ("name", "Name A–Z"),
    ("-name", "Name Z–A"),
    ("status", "Status"),
];

/// `/projects/:id?q=&filter=&sort=&status=&cols=`: a project's experiments. The search,
/// the filter, the order and the status live in the URL, so the view can be shared and
/// survives a reload. The name search and the filter (MLflow's grammar over metrics,
/// params, tags and attributes) ask the server, which says where a bad filter goes wrong;
/// sorting and the status happen in the browser.
#[component]
pub fn ProjectPage() -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let query = use_query_map();
    let project_id = links::id_param("project");
    let search = move || query.read().get("q").unwrap_or_default();
    let filter = move || query.read().get("filter").unwrap_or_default();
    // What the server said of the filter, shown at its input.
    let filter_problem = RwSignal::new(None::<String>);
    // The runs the parallel coordinates' brushes keep (`None`: no brush). Set only when
    // it changes: each re-render of the sweep views reports "no brush" again, and the
    // table would render once more for nothing.
    let brushed = RwSignal::new(None::<Vec<i64>>);
    let sort = Signal::derive(move || {
        query
            .read()
            .get("sort")
            .and_then(|sort| TableSort::parse(&sort))
            .unwrap_or_default()
    });
    let order = move || sort.get().to_param();
    let status = move || query.read().get("status").unwrap_or_default();
    // The chosen VALUE columns, one name per line (names never hold control characters);
    // a lone line break is "none".
    let chosen_columns = move || {
        query.read().get("cols").map(|text| {
            text.split('\n')
                .filter(|name| !name.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
    };
    let data = LocalResource::new(move || {
        let client = client.clone();
        let (id, search, filter) = (project_id(), search(), filter());
        async move {
            let id = id?;
            // The three together: one after another they cost three round trips.
            let (project, listed, values) = futures_util::future::join3(
                client.get_project(id),
                client.list_experiments(id, "-created", &search, &filter),
                client.project_values(id),
            )
            .await;
            let project = project?;
            let experiments = match listed {
                Err(error) if error.field() == Some("filter") => {
                    filter_problem.set(Some(error.to_string()));
                    Page {
                        items: Vec::new(),
                        total: 0,
                        limit: trackboard_api::DEFAULT_LIMIT,
                        offset: 0,
                    }
                }
                other => {
                    filter_problem.set(None);
                    other?
                }
            };
            let values: SweepValues = Arc::new(values?);
            crate::perf::mark(crate::perf::names::EXPERIMENTS_LOADED);
            let create_url = client.experiments_url(id);
            Ok::<_, AppError>((project, Arc::new(experiments), values, create_url))
        }
    });
    let navigate = use_navigate();
    let set_query = move |key: &'static str, value: String| {
        let mut pairs: Vec<(String, String)> = ["q", "filter", "sort", "status", "cols"]
            .iter()
            .filter(|name| **name != key)
            .filter_map(|name| {
                query
                    .read_untracked()
                    .get(name)
                    .map(|v| ((*name).to_owned(), v))
            })
            .collect();
        if !value.is_empty() {
            pairs.push((key.to_owned(), value));
        }
        let encoded: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", crate::api::encode_component(v)))
            .collect();
        let id = project_id().unwrap_or_default();
        navigate(
            &format!("{}?{}", links::project(id), encoded.join("&")),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    };
    let set_search = set_query.clone();
    let set_filter = set_query.clone();
    let set_order = set_query.clone();
    let sort_by = set_query.clone();
    let on_sort = Callback::new(move |sort: TableSort| sort_by("sort", sort.to_param()));
    let set_columns = set_query.clone();
    let on_columns = Callback::new(move |columns: Vec<String>| {
        let text = if columns.is_empty() {
            "\n".to_owned()
        } else {
            columns.join("\n")
        };
        set_columns("cols", text)
    });
    let set_status = set_query;
    // Bumped when a view is saved, so the saved views listed below reload.
    let views_version = RwSignal::new(0u32);
    view! {
        <section class="page project-page">
            <div class="toolbar" role="search">
                <label for="experiment-search">"Search"</label>
                <input id="experiment-search" type="search" placeholder="experiment name" prop:value=search
                    on:change=move |event| set_search("q", event_target_value(&event))/>
                <label for="experiment-filter">"Filter"</label>
                <input id="experiment-filter" class="filter-input" type="search" spellcheck="false"
                    placeholder="metrics.accuracy > 0.9 and params.lr = '0.001'" prop:value=filter
                    aria-describedby="experiment-filter-error"
                    aria-invalid=move || filter_problem.with(Option::is_some).to_string()
                    on:change=move |event| set_filter("filter", event_target_value(&event))/>
                <label for="experiment-sort">"Sort"</label>
                <select id="experiment-sort" on:change=move |event| set_order("sort", event_target_value(&event))>
                    <option value="" disabled selected=move || ORDERS.iter().all(|(value, _)| order() != *value)>"By a column"</option>
                    {ORDERS.iter().map(|(value, label)| view! {
                        <option value=*value selected=move || order() == *value>{*label}</option>
                    }).collect_view()}
                </select>
                <label for="experiment-status">"Status"</label>
                <select id="experiment-status" on:change=move |event| set_status("status", event_target_value(&event))>
                    <option value="" selected=move || status().is_empty()>"Any"</option>
                    {trackboard_api::ExperimentStatus::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=move || status() == s.as_str()>{s.as_str()}</option>
                    }).collect_view()}
                </select>
            </div>
            <p class="field-error" id="experiment-filter-error" role="alert">{move || filter_problem.get()}</p>
            <Transition fallback=|| view! { <LoadingRows/> }>
                <ErrorBoundary fallback=move |errors| {
                    view! { <ErrorPanel errors retry=move |()| data.refetch()/> }
                }>
                    // The heading and the sweep views: rendered again only when the
                    // data or the status changes, so a brush does not reset them.
                    {move || Suspend::new(async move {
                        let status = status();
                        data.await.map(|(project, experiments, values, _)| {
                            let shown = with_status(&experiments, &status);
                            // Each section's own copies (Arc clones), moved into it.
                            let (parallel_runs, parallel_values) = (shown.clone(), values.clone());
                            let scatter_values = values.clone();
                            view! {
                                <div class="page-heading">
                                    <h1>{project.name.clone()}</h1>
                                    <ResultsExport project_id=project.id project_name=project.name.clone()/>
                                </div>
                                {(!project.description.is_empty()).then(|| view! { <p class="description">{project.description.clone()}</p> })}
                                <SaveViewForm project_id=project.id saved=move |_| views_version.update(|v| *v += 1)/>
                                <LazyDetails class="sweep-view" summary="Parallel coordinates of these runs">
                                    <ParallelCoordinates experiments=parallel_runs values=parallel_values on_brush=move |ids| if brushed.get_untracked() != ids { brushed.set(ids) }/>
                                </LazyDetails>
                                <LazyDetails class="sweep-view" summary="Scatter of these runs">
                                    <SweepScatter experiments=shown values=scatter_values/>
                                </LazyDetails>
                                <LazyDetails class="sweep-view" summary="Lines of these runs, grouped">
                                    <GroupedLines project_id=project.id filter=filter() fields=group_fields(&values)/>
                                </LazyDetails>
                            }
                        })
                    })}
                    // The table: columns and sort update it in place (an open column
                    // picker stays open); a brush only narrows its rows to the runs kept.
                    {move || Suspend::new(async move {
                        let status = status();
                        let chosen_columns = chosen_columns();
                        let narrowed = !search().trim().is_empty() || !filter().trim().is_empty();
                        data.await.map(|(_, page, values, create_url)| {
                            let kept = Signal::derive(move || brushed.get());
                            view! {
                                <ExperimentTable create_url page values status kept sort on_sort chosen_columns on_columns narrowed/>
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
            // Outside the table's Suspend: a change of columns or sort re-renders that,
            // and must not drop this list while it loads.
            {move || project_id().ok().map(|id| view! { <SavedViewsList project_id=id version=views_version/> })}
        </section>
    }
}
