//! The full view of one evaluated asset: the image large with its outlines, and every
//! shape listed with its label, score, best IoU and outcome.

use super::asset_frame::AssetFrame;
use super::evaluation_section::metric_text;
use super::overlay::label_colour;
use crate::experiments::ImageUrls;
use leptos::prelude::*;
use trackboard_api::{EvaluatedAsset, InferenceType, ShapeOutcome, Shapes};

/// One listed shape: label, score, IoU and what it was.
#[derive(Clone, Debug, PartialEq)]
pub struct ListedShape {
    pub label: String,
    pub score: Option<f64>,
    pub iou: Option<f64>,
    pub verdict: &'static str,
}

fn shape_labels(kind: InferenceType, shapes: &Shapes) -> Vec<(String, Option<f64>)> {
    match kind {
        InferenceType::ObjectDetection => shapes
            .rectangles
            .iter()
            .map(|s| (s.label.clone(), s.score))
            .collect(),
        // Polygons, then masks: the order the outcomes are in.
        InferenceType::Segmentation => shapes
            .polygons
            .iter()
            .map(|s| (s.label.clone(), s.score))
            .chain(shapes.masks.iter().map(|s| (s.label.clone(), s.score)))
            .collect(),
        InferenceType::Classification => shapes
            .classifications
            .iter()
            .map(|s| (s.label.clone(), s.score))
            .collect(),
    }
}

/// The ground truth, then the predictions, as the full view lists them.
pub fn listed_shapes(
    evaluated: &EvaluatedAsset,
    kind: InferenceType,
    min_score: f64,
) -> (Vec<ListedShape>, Vec<ListedShape>) {
    let verdict = |outcome: Option<&ShapeOutcome>, found: &'static str, missed: &'static str| {
        outcome.map_or("", |o| if o.matched { found } else { missed })
    };
    // COCOeval ignores crowd regions and what lands on them.
    let crowd = |outcome: Option<&ShapeOutcome>| outcome.is_some_and(|o| o.crowd);
    let truth = shape_labels(kind, &evaluated.asset.annotations)
        .into_iter()
        .enumerate()
        .map(|(i, (label, _))| {
            let outcome = evaluated.truth_outcomes.get(i);
            ListedShape {
                label,
                score: None,
                iou: outcome.map(|o| o.iou),
                verdict: if crowd(outcome) {
                    "crowd region (ignored)"
                } else {
                    verdict(outcome, "found", "missed")
                },
            }
        })
        .collect();
    let predictions = shape_labels(kind, &evaluated.predictions)
        .into_iter()
        .enumerate()
        .map(|(i, (label, score))| {
            let outcome = evaluated.prediction_outcomes.get(i);
            let below = score.unwrap_or(0.0) < min_score;
            let verdict = if below {
                "below the threshold"
            } else if crowd(outcome) {
                "on a crowd region (ignored)"
            } else {
                verdict(outcome, "true positive", "false positive")
            };
            ListedShape {
                label,
                score,
                iou: outcome.map(|o| o.iou),
                verdict,
            }
        })
        .collect();
    (truth, predictions)
}

#[component]
fn ShapeList(title: &'static str, shapes: Vec<ListedShape>, labels: Vec<String>) -> impl IntoView {
    view! {
        <table class="data-table shape-list">
            <caption>{title}</caption>
            <thead><tr><th scope="col">"Label"</th><th scope="col">"Score"</th><th scope="col">"Best IoU"</th><th scope="col">"Outcome"</th></tr></thead>
            <tbody>
                {shapes.into_iter().map(|shape| {
                    let (r, g, b) = label_colour(&labels, &shape.label);
                    let swatch = format!("background: rgb({r}, {g}, {b})");
                    view! {
                        <tr>
                            <th scope="row"><span class="swatch" style=swatch></span>{shape.label}</th>
                            <td class="number">{metric_text(shape.score)}</td>
                            <td class="number">{metric_text(shape.iou)}</td>
                            <td>{shape.verdict}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The dialog; `close` is called by its button, a click outside or Escape (the page
/// listens for Escape).
#[component]
pub fn AssetDetail(
    evaluated: EvaluatedAsset,
    kind: InferenceType,
    labels: Vec<String>,
    min_score: Signal<f64>,
    urls: ImageUrls,
    close: Callback<()>,
) -> impl IntoView {
    let (truth, predictions) = listed_shapes(&evaluated, kind, min_score.get_untracked());
    let title = evaluated.asset.filename.clone();
    let classification = (kind == InferenceType::Classification).then(|| {
        let truth = evaluated.asset.annotations.classifications.first().map_or("none".to_owned(), |c| c.label.clone());
        let predicted = evaluated.predicted_label.clone().unwrap_or_else(|| "none".to_owned());
        view! { <p>"Ground truth: " <strong>{truth}</strong> " · predicted: " <strong>{predicted}</strong></p> }
    });
    view! {
        <div class="lightbox asset-detail-backdrop" on:click=move |_| close.run(())>
            <div class="asset-detail" role="dialog" aria-modal="true" aria-label=format!("Asset {title}")
                on:click=|event| event.stop_propagation()>
                <header class="evaluation-header">
                    <h2>{title.clone()}</h2>
                    <span class="muted">"solid: ground truth · dashed: predictions"</span>
                    <button type="button" class="secondary" on:click=move |_| close.run(())>"Close"</button>
                </header>
                <AssetFrame evaluated kind labels=labels.clone() min_score urls max_width=720.0 max_height=480.0/>
                {classification}
                <div class="table-grid">
                    <ShapeList title="Ground truth" shapes=truth labels=labels.clone()/>
                    <ShapeList title="Predictions" shapes=predictions labels/>
                </div>
            </div>
        </div>
    }
}
