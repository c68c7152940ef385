//! Evaluations side by side in the compare view: each figure (the COCO summary and every
//! class's AP, or accuracy and every class's F1) per experiment with its difference from
//! the first, and one asset with each experiment's predictions drawn over it.

use super::asset_frame::AssetFrame;
use super::browser_query::BrowserQuery;
use super::evaluation_section::{inference_title, metric_text};
use crate::api::ApiClient;
use crate::experiments::{fetch_asset_image, image_urls};
use leptos::prelude::*;
use trackboard_api::{
    EvaluatedAsset, EvaluatedAssetFilter, EvaluationMetrics, InferenceType, COCO_SUMMARY_NAMES,
};

/// One compared figure: its name and each experiment's value.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparedFigure {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// The figures of one inference type across experiments (`None` where an experiment
/// has no metrics of it), classes in order of first appearance.
pub fn compared_figures(metrics: &[Option<&EvaluationMetrics>]) -> Vec<ComparedFigure> {
    let mut labels: Vec<String> = Vec::new();
    for m in metrics.iter().flatten() {
        for label in &m.labels {
            if !labels.contains(label) {
                labels.push(label.clone());
            }
        }
    }
    let detection = metrics.iter().flatten().any(|m| m.detection.is_some());
    let mut figures = Vec::new();
    if detection {
        for (index, name) in COCO_SUMMARY_NAMES.iter().enumerate() {
            figures.push(ComparedFigure {
                name: (*name).to_owned(),
                values: metrics
                    .iter()
                    .map(|m| {
                        m.and_then(|m| m.detection.as_ref())
                            .and_then(|d| d.summary.get(index).copied().flatten())
                    })
                    .collect(),
            });
        }
        for label in &labels {
            figures.push(ComparedFigure {
                name: format!("AP · {label}"),
                values: metrics
                    .iter()
                    .map(|m| {
                        m.and_then(|m| m.detection.as_ref())
                            .and_then(|d| d.classes.iter().find(|c| &c.label == label))
                            .and_then(|c| c.average_precision)
                    })
                    .collect(),
            });
        }
    } else {
        figures.push(ComparedFigure {
            name: "Accuracy".to_owned(),
            values: metrics
                .iter()
                .map(|m| {
                    m.and_then(|m| m.classification.as_ref())
                        .and_then(|c| c.accuracy)
                })
                .collect(),
        });
        for label in &labels {
            figures.push(ComparedFigure {
                name: format!("F1 · {label}"),
                values: metrics
                    .iter()
                    .map(|m| {
                        m.and_then(|m| m.classification.as_ref())
                            .and_then(|c| c.classes.iter().find(|k| &k.label == label))
                            .and_then(|k| k.f1)
                    })
                    .collect(),
            });
        }
    }
    figures
}

/// A value's difference from the first experiment's: `+0.034`, `−0.012`, or nothing.
pub fn difference_text(value: Option<f64>, base: Option<f64>) -> Option<String> {
    let delta = value? - base?;
    if delta == 0.0 {
        return Some("±0".to_owned());
    }
    let sign = if delta > 0.0 { "+" } else { "−" };
    Some(format!("{sign}{:.3}", delta.abs()))
}

/// One compared experiment: id, name and its EVALUATION logs.
pub type EvaluatedExperiment = (i64, String, Vec<EvaluationMetrics>);

#[component]
pub fn EvaluationComparison(
    experiments: Vec<EvaluatedExperiment>,
    snapshot: bool,
) -> impl IntoView {
    let mut kinds: Vec<InferenceType> = Vec::new();
    for (_, _, metrics) in &experiments {
        for m in metrics {
            if !kinds.contains(&m.inference_type) {
                kinds.push(m.inference_type);
            }
        }
    }
    let experiments = StoredValue::new(experiments);
    kinds
        .into_iter()
        .map(|kind| {
            let (headers, figures) = experiments.with_value(|experiments| {
                let metrics: Vec<Option<&EvaluationMetrics>> = experiments
                    .iter()
                    .map(|(_, _, m)| m.iter().find(|m| m.inference_type == kind))
                    .collect();
                let headers: Vec<String> = experiments.iter().map(|(_, name, _)| name.clone()).collect();
                (headers, compared_figures(&metrics))
            });
            let rows = figures
                .into_iter()
                .map(|figure| {
                    let base = figure.values.first().copied().flatten();
                    view! {
                        <tr>
                            <th scope="row">{figure.name.clone()}</th>
                            {figure.values.iter().enumerate().map(|(index, value)| {
                                let difference = (index > 0).then(|| difference_text(*value, base)).flatten();
                                let class = match (*value, base) {
                                    (Some(v), Some(b)) if index > 0 && v > b => "better",
                                    (Some(v), Some(b)) if index > 0 && v < b => "worse",
                                    _ => "",
                                };
                                view! {
                                    <td class=format!("number {class}")>{metric_text(*value)}
                                        {difference.map(|d| view! { <span class="difference">{format!(" ({d})")}</span> })}
                                    </td>
                                }
                            }).collect_view()}
                        </tr>
                    }
                })
                .collect_view();
            let title = format!("{} evaluation · differences from {}", inference_title(kind), headers.first().cloned().unwrap_or_default());
            // Asked for only when opened: a compare view's first load asks nothing per experiment.
            let same_asset = (!snapshot && kind != InferenceType::Classification).then(|| {
                let open = RwSignal::new(false);
                view! {
                    <button type="button" class="secondary" aria-expanded=move || open.get().to_string()
                        on:click=move |_| open.update(|o| *o = !*o)>"One asset across the experiments"</button>
                    <Show when=move || open.get()>
                        <SameAsset experiments=experiments.get_value() kind/>
                    </Show>
                }
            });
            view! {
                <div class="table-overflow" tabindex="0" role="region" aria-label="Evaluation figures of the experiments">
                    <table class="data-table compare-table evaluation-compare">
                        <caption>{title}</caption>
                        <thead><tr><th scope="col">"Figure"</th>{headers.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {same_asset}
            }
        })
        .collect_view()
}

/// One asset, picked among the first experiment's, with each experiment's predictions.
#[component]
fn SameAsset(experiments: Vec<EvaluatedExperiment>, kind: InferenceType) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let query = BrowserQuery {
        inference_type: kind,
        ..BrowserQuery::default()
    };
    let first_id = experiments
        .first()
        .map(|(id, _, _)| *id)
        .unwrap_or_default();
    let labels: Vec<String> = experiments
        .iter()
        .flat_map(|(_, _, m)| {
            m.iter()
                .find(|m| m.inference_type == kind)
                .map(|m| m.labels.clone())
        })
        .next()
        .unwrap_or_default();
    let choices = LocalResource::new({
        let (client, query) = (client.clone(), query.clone());
        move || {
            let (client, query) = (client.clone(), query.clone());
            async move {
                client
                    .evaluated_assets(first_id, &query.filter(), 0, 1000)
                    .await
                    .map(|page| page.items)
            }
        }
    });
    let picked = RwSignal::new(None::<i64>);
    let ids: Vec<(i64, String)> = experiments
        .iter()
        .map(|(id, name, _)| (*id, name.clone()))
        .collect();
    let shown = LocalResource::new(move || {
        let (client, query, ids) = (client.clone(), query.clone(), ids.clone());
        let asset = picked.get();
        async move {
            let mut frames: Vec<(String, Option<EvaluatedAsset>)> = Vec::new();
            if let Some(asset) = asset {
                for (id, name) in ids {
                    let one = EvaluatedAssetFilter {
                        asset_id: Some(asset),
                        ..query.filter()
                    };
                    let found = client
                        .evaluated_assets(id, &one, 0, 1)
                        .await
                        .ok()
                        .and_then(|page| page.items.into_iter().next());
                    frames.push((name, found));
                }
            }
            frames
        }
    });
    let urls = image_urls();
    let labels = StoredValue::new(labels);
    let min_score = Signal::stored(0.0);
    view! {
        <div class="same-asset">
            <label for=format!("same-asset-{}", kind.as_str())>"Asset"</label>
            " "
            <select id=format!("same-asset-{}", kind.as_str()) on:change=move |event| picked.set(event_target_value(&event).parse().ok())>
                <option value="">"Pick an asset"</option>
                {move || choices.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|item| {
                    view! { <option value=item.asset.id.to_string()>{item.asset.filename.clone()}</option> }
                }).collect_view()}
            </select>
            <div class="same-asset-frames">
                {move || shown.get().unwrap_or_default().into_iter().map(|(name, found)| {
                    match found {
                        Some(item) => {
                            fetch_asset_image(urls, item.asset.id);
                            view! {
                                <figure class="same-asset-frame">
                                    <AssetFrame evaluated=item kind labels=labels.get_value() min_score urls max_width=320.0 max_height=240.0/>
                                    <figcaption>{name}</figcaption>
                                </figure>
                            }.into_any()
                        }
                        None => view! { <figure class="same-asset-frame"><p class="muted">"Not evaluated"</p><figcaption>{name}</figcaption></figure> }.into_any(),
                    }
                }).collect_view()}
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::{ClassDetectionMetrics, DetectionMetrics};

    fn detection(ap: f64, labels: &[&str]) -> EvaluationMetrics {
        EvaluationMetrics {
            inference_type: InferenceType::ObjectDetection,
            assets: 1,
            labels: labels.iter().map(|l| (*l).to_owned()).collect(),
            detection: Some(DetectionMetrics {
                summary: vec![Some(ap); 12],
                classes: labels
                    .iter()
                    .map(|l| ClassDetectionMetrics {
                        label: (*l).to_owned(),
                        average_precision: Some(ap),
                        average_recall: None,
                        ground_truth: 1,
                        predictions: 1,
                        precision_curve: None,
                    })
                    .collect(),
            }),
            classification: None,
            computed_at: String::new(),
        }
    }

    #[test]
    fn figures_line_up_by_name_with_gaps_where_an_experiment_has_none() {
        let (a, b) = (detection(0.5, &["car"]), detection(0.625, &["car", "bus"]));
        let figures = compared_figures(&[Some(&a), Some(&b), None]);
        assert_eq!(figures.len(), 12 + 2);
        assert_eq!(figures[0].values, vec![Some(0.5), Some(0.625), None]);
        assert_eq!(figures[13].name, "AP · bus");
        assert_eq!(figures[13].values, vec![None, Some(0.625), None]);
        assert_eq!(
            difference_text(Some(0.625), Some(0.5)).as_deref(),
            Some("+0.125")
        );
        assert_eq!(
            difference_text(Some(0.5), Some(0.625)).as_deref(),
            Some("−0.125")
        );
        assert_eq!(difference_text(None, Some(0.5)), None);
    }
}
