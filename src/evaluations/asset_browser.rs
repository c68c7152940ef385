//! `/experiments/:id/evaluation`: the asset browser. A virtual grid of the evaluated
//! assets (only the tiles in view are rendered, their pages fetched as they come into
//! view), each with its outlines; filters in the address; a full view per asset.

use super::asset_detail::AssetDetail;
use super::asset_frame::AssetFrame;
use super::browser_query::{BrowserQuery, Outcome};
use super::evaluation_section::inference_title;
use super::grid::{columns, grid_height, pages_of, tile_position, visible_tiles};
use crate::api::ApiClient;
use crate::components::{ErrorPanel, LoadingRows};
use crate::error::AppError;
use crate::experiments::{fetch_asset_image, image_urls};
use crate::format;
use crate::links;
use crate::perf;
use leptos::ev;
use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::collections::{HashMap, HashSet};
use trackboard_api::{EvaluatedAsset, EvaluationMetrics, InferenceType, LogContent};

/// Assets asked for at once.
const PAGE_SIZE: usize = 100;

#[component]
pub fn AssetBrowserPage() -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let experiment_id = links::id_param("experiment");
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let params = query_map.get();
        BrowserQuery::from_params(|key| params.get(key))
    });
    let metrics = LocalResource::new(move || {
        let client = client.clone();
        let id = experiment_id();
        async move {
            let id = id?;
            let experiment = client.get_experiment(id).await?;
            let logs = client.list_logs(id).await?;
            // Colours follow the labels' order: the metrics', else the attached versions'.
            let mut attached_labels: Vec<String> = Vec::new();
            for attached in client.attached_datasets(id).await? {
                for label in attached.version.labels {
                    if !attached_labels.contains(&label) {
                        attached_labels.push(label);
                    }
                }
            }
            let metrics: Vec<EvaluationMetrics> = logs
                .items
                .into_iter()
                .filter_map(|log| match log.content {
                    LogContent::Evaluation(metrics) => Some(metrics),
                    _ => None,
                })
                .collect();
            Ok::<_, AppError>((experiment, metrics, attached_labels))
        }
    });
    view! {
        <section class="page asset-browser-page">
            <Transition fallback=|| view! { <LoadingRows/> }>
                <ErrorBoundary fallback=move |errors| view! { <ErrorPanel errors retry=move |()| metrics.refetch()/> }>
                    {move || Suspend::new(async move {
                        metrics.await.map(|(experiment, metrics, attached_labels)| {
                            view! { <AssetBrowser experiment_id=experiment.id experiment_name=experiment.name metrics attached_labels query/> }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// The labels of the metrics of `kind` (any metrics' when it has none, the attached
/// versions' without metrics).
fn labels_of(
    metrics: &[EvaluationMetrics],
    kind: InferenceType,
    attached: &[String],
) -> Vec<String> {
    metrics
        .iter()
        .find(|m| m.inference_type == kind)
        .or(metrics.first())
        .map(|m| m.labels.clone())
        .unwrap_or_else(|| attached.to_vec())
}

#[component]
fn AssetBrowser(
    experiment_id: i64,
    experiment_name: String,
    metrics: Vec<EvaluationMetrics>,
    attached_labels: Vec<String>,
    query: Memo<BrowserQuery>,
) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let navigate = use_navigate();
    let go = move |next: BrowserQuery| {
        navigate(
            &next.page_path(experiment_id),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        )
    };
    let kinds: Vec<InferenceType> = {
        let mut kinds: Vec<InferenceType> = metrics.iter().map(|m| m.inference_type).collect();
        if kinds.is_empty() {
            kinds = vec![
                InferenceType::ObjectDetection,
                InferenceType::Segmentation,
                InferenceType::Classification,
            ];
        }
        kinds
    };
    let metrics = StoredValue::new(metrics);
    let attached_labels = StoredValue::new(attached_labels);
    let labels = Memo::new(move |_| {
        let kind = query.get().inference_type;
        metrics.with_value(|m| attached_labels.with_value(|attached| labels_of(m, kind, attached)))
    });

    // Pages of the current query, fetched as their tiles come into view.
    let pages = RwSignal::new(HashMap::<usize, Vec<EvaluatedAsset>>::new());
    let asked = StoredValue::new(HashSet::<usize>::new());
    let total = RwSignal::new(None::<Result<usize, AppError>>);
    let generation = StoredValue::new(0u64);
    let fetch_page = {
        let client = client.clone();
        move |page: usize, current: BrowserQuery| {
            if !asked
                .try_update_value(|asked| asked.insert(page))
                .unwrap_or(false)
            {
                return;
            }
            let client = client.clone();
            let mine = generation.get_value();
            leptos::task::spawn_local(async move {
                let answer = client
                    .evaluated_assets(
                        experiment_id,
                        &current.filter(),
                        (page * PAGE_SIZE) as u64,
                        PAGE_SIZE as u32,
                    )
                    .await;
                if generation.try_get_value() != Some(mine) {
                    return;
                }
                match answer {
                    Ok(found) => {
                        perf::mark(perf::names::ASSETS_LOADED);
                        total.set(Some(Ok(found.total as usize)));
                        pages.update(|pages| {
                            pages.insert(page, found.items);
                        });
                    }
                    Err(error) => total.set(Some(Err(error))),
                }
            });
        }
    };
    let fetch_first = fetch_page.clone();
    Effect::new(move |_| {
        let current = query.get();
        generation.update_value(|g| *g += 1);
        asked.update_value(HashSet::clear);
        pages.set(HashMap::new());
        total.set(None);
        fetch_first(0, current);
    });

    let viewport = NodeRef::<Div>::new();
    let scroll_top = RwSignal::new(0.0);
    let viewport_height = RwSignal::new(600.0);
    let width = RwSignal::new(900.0);
    let measure = move || {
        if let Some(element) = viewport.get_untracked() {
            width.set(f64::from(element.client_width().max(1)));
            viewport_height.set(f64::from(element.client_height().max(1)));
        }
    };
    // Measured once laid out (the frame after the grid first has content) and on resize.
    Effect::new(move |_| {
        let laid_out = viewport.get().is_some() && matches!(total.get(), Some(Ok(_)));
        if laid_out {
            request_animation_frame(measure);
        }
    });
    let resize = window_event_listener(ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    let column_count = Memo::new(move |_| columns(width.get()));
    let visible = Memo::new(move |_| match total.get() {
        Some(Ok(total)) => visible_tiles(
            total,
            column_count.get(),
            scroll_top.get(),
            viewport_height.get(),
        ),
        _ => 0..0,
    });
    Effect::new(move |_| {
        let current = query.get_untracked();
        for page in pages_of(&visible.get(), PAGE_SIZE) {
            fetch_page(page, current.clone());
        }
    });
    let urls = image_urls();
    let shown = move || {
        let range = visible.get();
        pages.with(|pages| {
            range
                .filter_map(|index| {
                    pages
                        .get(&(index / PAGE_SIZE))
                        .and_then(|page| page.get(index % PAGE_SIZE))
                        .map(|item| (index, item.clone()))
                })
                .collect::<Vec<_>>()
        })
    };
    let min_score = Signal::derive(move || query.get().min_score);
    let selected = RwSignal::new(None::<EvaluatedAsset>);
    let escape = window_event_listener(ev::keydown, move |event| {
        if event.key() == "Escape" {
            selected.set(None);
        }
    });
    on_cleanup(move || escape.remove());

    let status = move || match total.get() {
        None => "Loading…".to_owned(),
        Some(Ok(0)) => "No evaluated asset matches these filters.".to_owned(),
        Some(Ok(n)) => format!("{} evaluated", format::count(n as u64, "asset", "assets")),
        Some(Err(error)) => error.to_string(),
    };
    let go_type = go.clone();
    let go_label = go.clone();
    let go_outcome = go.clone();
    let go_iou = go.clone();
    let go_threshold = go.clone();
    let go_clear = go;
    let cell = move || {
        let q = query.get();
        (q.truth.is_some() || q.predicted.is_some()).then(|| {
            let name = |v: &Option<String>| v.clone().map(|v| if v.is_empty() { "none".to_owned() } else { v }).unwrap_or_else(|| "any".to_owned());
            let text = format!("Ground truth {} · predicted {}", name(&q.truth), name(&q.predicted));
            let go_clear = go_clear.clone();
            view! {
                <p class="cell-filter">{text}
                    <button type="button" class="secondary" on:click=move |_| go_clear(BrowserQuery { truth: None, predicted: None, ..query.get_untracked() })>"Show every cell"</button>
                </p>
            }
        })
    };
    view! {
        <nav class="breadcrumb"><a href=links::experiment(experiment_id)>{experiment_name}</a>" / Evaluated assets"</nav>
        <h1>"Evaluated assets"</h1>
        <form class="browser-filters" aria-label="Filters" on:submit=|event| event.prevent_default()>
            <label>"Inference type"
                <select on:change=move |event| {
                    if let Some(kind) = super::browser_query::inference_type(&event_target_value(&event)) {
                        go_type(BrowserQuery { inference_type: kind, label: String::new(), truth: None, predicted: None, ..query.get_untracked() });
                    }
                } prop:value=move || query.get().inference_type.as_str()>
                    {kinds.into_iter().map(|kind| view! { <option value=kind.as_str()>{inference_title(kind)}</option> }).collect_view()}
                </select>
            </label>
            <label>"Label"
                <select on:change=move |event| go_label(BrowserQuery { label: event_target_value(&event), ..query.get_untracked() })
                    prop:value=move || query.get().label>
                    <option value="">"Any label"</option>
                    {move || labels.get().into_iter().map(|label| view! { <option value=label.clone()>{label.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Show"
                <select on:change=move |event| {
                    let text = event_target_value(&event);
                    let outcome = Outcome::ALL.into_iter().find(|o| o.as_str() == text).unwrap_or_default();
                    go_outcome(BrowserQuery { outcome, ..query.get_untracked() });
                } prop:value=move || query.get().outcome.as_str()>
                    {Outcome::ALL.into_iter().map(|o| view! { <option value=o.as_str()>{o.title()}</option> }).collect_view()}
                </select>
            </label>
            <label>"IoU below"
                <input type="number" min="0" max="1" step="0.05" placeholder="off"
                    prop:value=move || query.get().iou_below.map(|v| v.to_string()).unwrap_or_default()
                    on:change=move |event| {
                        let text = event_target_value(&event);
                        let iou_below = text.parse::<f64>().ok().filter(|v| (0.0..=1.0).contains(v));
                        go_iou(BrowserQuery { iou_below, ..query.get_untracked() });
                    }/>
            </label>
            <label>{move || format!("Score ≥ {:.2}", query.get().min_score)}
                <input type="range" min="0" max="1" step="0.05" prop:value=move || query.get().min_score.to_string()
                    on:change=move |event| {
                        let min_score = event_target_value(&event).parse::<f64>().unwrap_or(0.0);
                        go_threshold(BrowserQuery { min_score, ..query.get_untracked() });
                    }/>
            </label>
        </form>
        {cell}
        <p class="muted browser-status" role="status">{status} " · solid: ground truth · dashed: predictions"</p>
        <div class="asset-grid-viewport" node_ref=viewport
            on:scroll=move |_| if let Some(element) = viewport.get_untracked() { scroll_top.set(f64::from(element.scroll_top())) }>
            <div class="asset-grid" style=move || format!("height: {}px", match total.get() { Some(Ok(n)) => grid_height(n, column_count.get()), _ => 0.0 })>
                <For each=shown key=|(_, item)| item.asset.id let:((index, item))>
                    {
                        fetch_asset_image(urls, item.asset.id);
                        let kind = query.get_untracked().inference_type;
                        let count = item.prediction_outcomes.len().max(item.predictions.classifications.len());
                        let caption = format!("{} · {count} predicted", item.asset.filename);
                        let open = item.clone();
                        // The visible caption is part of the name (WCAG 2.5.3).
                        let name = format!("Open {caption}");
                        view! {
                            <button type="button" class="asset-tile" style=move || { let (left, top) = tile_position(index, column_count.get()); format!("left: {left}px; top: {top}px") }
                                aria-label=name
                                on:click=move |_| selected.set(Some(open.clone()))>
                                <AssetFrame evaluated=item kind labels=labels.get_untracked() min_score urls max_width=216.0 max_height=162.0/>
                                <span class="asset-caption">{caption}</span>
                            </button>
                        }
                    }
                </For>
            </div>
        </div>
        {move || selected.get().map(|evaluated| view! {
            <AssetDetail evaluated kind=query.get_untracked().inference_type labels=labels.get_untracked() min_score urls
                close=Callback::new(move |()| selected.set(None))/>
        })}
    }
}
