//! Ground truth and predictions drawn over an asset's image on a canvas: one colour per
//! label, ground truth in solid lines and predictions dashed (told apart without
//! colour too), hidden below the score threshold.

use crate::charts::SERIES_COLOURS;
use trackboard_api::{EvaluatedAsset, InferenceType, ShapeOutcome, Shapes};
use wasm_bindgen::JsValue;
use web_sys::CanvasRenderingContext2d;

/// One outline to draw, in the image's pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Outline {
    pub points: Vec<(f64, f64)>,
    pub label: String,
    /// Ground truth (solid) or a prediction (dashed).
    pub truth: bool,
    pub score: Option<f64>,
    pub outcome: Option<ShapeOutcome>,
}

/// The outlines of one kind in `shapes`, each with its outcome.
fn outlines_of(
    kind: InferenceType,
    shapes: &Shapes,
    truth: bool,
    outcomes: &[ShapeOutcome],
) -> Vec<Outline> {
    let with = |index: usize, points, label: &str, score| Outline {
        points,
        label: label.to_owned(),
        truth,
        score,
        outcome: outcomes.get(index).cloned(),
    };
    match kind {
        InferenceType::ObjectDetection => shapes
            .rectangles
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let corners = vec![
                    (r.x, r.y),
                    (r.x + r.width, r.y),
                    (r.x + r.width, r.y + r.height),
                    (r.x, r.y + r.height),
                ];
                with(i, corners, &r.label, r.score)
            })
            .collect(),
        InferenceType::Segmentation => shapes
            .polygons
            .iter()
            .enumerate()
            .map(|(i, p)| {
                with(
                    i,
                    p.points.iter().map(|[x, y]| (*x, *y)).collect(),
                    &p.label,
                    p.score,
                )
            })
            .collect(),
        InferenceType::Classification => Vec::new(),
    }
}

/// Everything drawn over `evaluated`: its ground truth, then the predictions scored at
/// least `min_score`.
pub fn outlines(evaluated: &EvaluatedAsset, kind: InferenceType, min_score: f64) -> Vec<Outline> {
    let mut all = outlines_of(
        kind,
        &evaluated.asset.annotations,
        true,
        &evaluated.truth_outcomes,
    );
    all.extend(
        outlines_of(
            kind,
            &evaluated.predictions,
            false,
            &evaluated.prediction_outcomes,
        )
        .into_iter()
        .filter(|o| o.score.unwrap_or(0.0) >= min_score),
    );
    all
}

/// A label's colour: its place among `labels` in the chart palette.
pub fn label_colour(labels: &[String], label: &str) -> (u8, u8, u8) {
    let index = labels
        .iter()
        .position(|l| l == label)
        .unwrap_or(labels.len());
    let colour = SERIES_COLOURS[index % SERIES_COLOURS.len()];
    (colour.0, colour.1, colour.2)
}

/// Draws `outlines` on a context whose image is `scale` canvas pixels per image pixel.
pub fn draw_outlines(
    context: &CanvasRenderingContext2d,
    outlines: &[Outline],
    labels: &[String],
    scale: f64,
    line: f64,
) {
    let dash = js_sys::Array::of2(&JsValue::from(line * 3.0), &JsValue::from(line * 2.0));
    let solid = js_sys::Array::new();
    for outline in outlines {
        let (r, g, b) = label_colour(labels, &outline.label);
        context.set_stroke_style_str(&format!("rgb({r}, {g}, {b})"));
        context.set_line_width(line);
        let _ = context.set_line_dash(if outline.truth { &solid } else { &dash });
        context.begin_path();
        for (index, (x, y)) in outline.points.iter().enumerate() {
            if index == 0 {
                context.move_to(x * scale, y * scale);
            } else {
                context.line_to(x * scale, y * scale);
            }
        }
        context.close_path();
        context.stroke();
    }
    let _ = context.set_line_dash(&solid);
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::{Asset, RectangleShape};

    fn rectangle(x: f64, score: Option<f64>) -> RectangleShape {
        RectangleShape {
            x,
            y: 2.0,
            width: 10.0,
            height: 5.0,
            label: "cat".into(),
            score,
            area: None,
        }
    }

    #[test]
    fn truth_then_the_predictions_above_the_threshold() {
        let evaluated = EvaluatedAsset {
            asset: Asset {
                id: 1,
                dataset_version_id: 1,
                filename: "a.png".into(),
                content_type: "image/png".into(),
                size: 1,
                width: 40,
                height: 30,
                annotations: Shapes {
                    rectangles: vec![rectangle(1.0, None)],
                    ..Shapes::default()
                },
                created_at: String::new(),
            },
            evaluation_id: 3,
            predictions: Shapes {
                rectangles: vec![rectangle(1.0, Some(0.9)), rectangle(20.0, Some(0.2))],
                ..Shapes::default()
            },
            prediction_outcomes: vec![
                ShapeOutcome {
                    iou: 1.0,
                    matched: true,
                },
                ShapeOutcome {
                    iou: 0.0,
                    matched: false,
                },
            ],
            truth_outcomes: vec![ShapeOutcome {
                iou: 1.0,
                matched: true,
            }],
            predicted_label: None,
        };
        let drawn = outlines(&evaluated, InferenceType::ObjectDetection, 0.5);
        assert_eq!(drawn.len(), 2);
        assert!(drawn[0].truth && !drawn[1].truth);
        assert_eq!(
            drawn[0].points,
            vec![(1.0, 2.0), (11.0, 2.0), (11.0, 7.0), (1.0, 7.0)]
        );
        assert_eq!(drawn[1].outcome.as_ref().map(|o| o.matched), Some(true));
        assert_eq!(
            outlines(&evaluated, InferenceType::ObjectDetection, 0.0).len(),
            3
        );
        assert!(outlines(&evaluated, InferenceType::Segmentation, 0.0).is_empty());
        let labels = vec!["dog".to_owned(), "cat".to_owned()];
        let orange = SERIES_COLOURS[1];
        assert_eq!(label_colour(&labels, "cat"), (orange.0, orange.1, orange.2));
    }
}
