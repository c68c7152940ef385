//! Ground truth and predictions drawn over an asset's image on a canvas: one colour per
//! label, ground truth in solid lines and predictions dashed (told apart without
//! colour too), hidden below the score threshold. A crowd region is hatched; the parts
//! of one object are outlined together, in its one colour; a run-length mask is
//! outlined along its pixels' border.

use super::mask_outline::{column_runs, mask_edges, ColumnRun};
use crate::charts::SERIES_COLOURS;
use trackboard_api::{EvaluatedAsset, InferenceType, ShapeOutcome, Shapes};
use wasm_bindgen::JsValue;
use web_sys::CanvasRenderingContext2d;

/// One outline to draw, in the image's pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Outline {
    /// Each part's points (a box or a polygon has one part; a mask none).
    pub parts: Vec<Vec<(f64, f64)>>,
    /// A run-length mask's set pixels (empty for a box or a polygon).
    pub mask: Vec<ColumnRun>,
    /// A crowd region (ground truth that COCOeval ignores): hatched.
    pub crowd: bool,
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
    let with = |index: usize, parts, crowd, label: &str, score| Outline {
        parts,
        mask: Vec::new(),
        crowd,
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
                with(i, vec![corners], r.crowd, &r.label, r.score)
            })
            .collect(),
        InferenceType::Segmentation => {
            // Polygons, then masks: the order the outcomes are in.
            let polygons = shapes.polygons.iter().enumerate().map(|(i, p)| {
                let parts = p
                    .all_parts()
                    .map(|points| points.iter().map(|[x, y]| (*x, *y)).collect())
                    .collect();
                with(i, parts, p.crowd, &p.label, p.score)
            });
            let first_mask = shapes.polygons.len();
            let masks = shapes.masks.iter().enumerate().map(|(i, m)| {
                let runs = m.counts.runs().unwrap_or_default();
                Outline {
                    mask: column_runs(&runs, m.size[0]),
                    ..with(first_mask + i, Vec::new(), m.crowd, &m.label, m.score)
                }
            });
            polygons.chain(masks).collect()
        }
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
        if outline.mask.is_empty() {
            trace_parts(context, &outline.parts, scale);
            context.stroke();
        } else {
            context.begin_path();
            for ((x0, y0), (x1, y1)) in mask_edges(&outline.mask) {
                context.move_to(x0 * scale, y0 * scale);
                context.line_to(x1 * scale, y1 * scale);
            }
            context.stroke();
            // The pixels themselves, as the region to hatch.
            context.begin_path();
            for run in &outline.mask {
                let height = f64::from(run.bottom - run.top);
                let (x, y) = (f64::from(run.column), f64::from(run.top));
                context.rect(x * scale, y * scale, scale, height * scale);
            }
        }
        if outline.crowd {
            hatch(context, outline, scale, line);
        }
    }
    let _ = context.set_line_dash(&solid);
}

/// The closed outlines of a box's or a polygon's parts, as the current path.
fn trace_parts(context: &CanvasRenderingContext2d, parts: &[Vec<(f64, f64)>], scale: f64) {
    context.begin_path();
    for part in parts {
        for (index, (x, y)) in part.iter().enumerate() {
            if index == 0 {
                context.move_to(x * scale, y * scale);
            } else {
                context.line_to(x * scale, y * scale);
            }
        }
        context.close_path();
    }
}

/// The corners of an outline's extent, in image pixels.
fn extent(outline: &Outline) -> Vec<(f64, f64)> {
    let mask = outline.mask.iter().flat_map(|run| {
        let (x, top, bottom) = (
            f64::from(run.column),
            f64::from(run.top),
            f64::from(run.bottom),
        );
        [(x, top), (x + 1.0, bottom)]
    });
    outline
        .parts
        .iter()
        .flatten()
        .copied()
        .chain(mask)
        .collect()
}

/// Diagonal lines across a crowd region, clipped to its outline (the current path).
fn hatch(context: &CanvasRenderingContext2d, outline: &Outline, scale: f64, line: f64) {
    let points = extent(outline);
    let (x0, x1) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), (x, _)| {
            (l.min(*x * scale), h.max(*x * scale))
        });
    let (y0, y1) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), (_, y)| {
            (l.min(*y * scale), h.max(*y * scale))
        });
    if !(x0 < x1 && y0 < y1) {
        return;
    }
    context.save();
    context.clip();
    context.set_line_width(line / 2.0);
    context.begin_path();
    let gap = (line * 6.0).max(4.0);
    let mut offset = 0.0;
    while offset <= (x1 - x0) + (y1 - y0) {
        context.move_to(x0 + offset, y0);
        context.line_to(x0 + offset - (y1 - y0), y1);
        offset += gap;
    }
    context.stroke();
    context.restore();
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
            crowd: false,
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
                    crowd: false,
                },
                ShapeOutcome {
                    iou: 0.0,
                    matched: false,
                    crowd: false,
                },
            ],
            truth_outcomes: vec![ShapeOutcome {
                iou: 1.0,
                matched: true,
                crowd: false,
            }],
            predicted_label: None,
        };
        let drawn = outlines(&evaluated, InferenceType::ObjectDetection, 0.5);
        assert_eq!(drawn.len(), 2);
        assert!(drawn[0].truth && !drawn[1].truth);
        assert_eq!(
            drawn[0].parts,
            vec![vec![(1.0, 2.0), (11.0, 2.0), (11.0, 7.0), (1.0, 7.0)]]
        );
        assert!(!drawn[0].crowd);
        assert_eq!(drawn[1].outcome.as_ref().map(|o| o.matched), Some(true));
        assert_eq!(
            outlines(&evaluated, InferenceType::ObjectDetection, 0.0).len(),
            3
        );
        assert!(outlines(&evaluated, InferenceType::Segmentation, 0.0).is_empty());
        // A crowd object in two parts is one outline, hatched.
        let mut crowd = evaluated.clone();
        crowd
            .asset
            .annotations
            .polygons
            .push(trackboard_api::PolygonShape {
                points: vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0]],
                label: "cat".into(),
                score: None,
                area: Some(20.0),
                crowd: true,
                parts: vec![vec![[9.0, 9.0], [12.0, 9.0], [12.0, 12.0]]],
            });
        let drawn = outlines(&crowd, InferenceType::Segmentation, 0.0);
        assert_eq!(drawn.len(), 1);
        assert!(drawn[0].crowd && drawn[0].truth);
        assert_eq!(drawn[0].parts.len(), 2);
        assert_eq!(drawn[0].parts[1][2], (12.0, 12.0));
        // A mask follows the polygons, with its outcome, and is outlined by its pixels.
        crowd
            .asset
            .annotations
            .masks
            .push(trackboard_api::MaskShape {
                size: [30, 40],
                counts: trackboard_api::RleCounts::Runs(vec![62, 3, 1135]),
                label: "cat".into(),
                score: None,
                area: None,
                crowd: false,
            });
        crowd.truth_outcomes = vec![
            ShapeOutcome {
                iou: 0.0,
                matched: false,
                crowd: true,
            },
            ShapeOutcome {
                iou: 0.5,
                matched: true,
                crowd: false,
            },
        ];
        let drawn = outlines(&crowd, InferenceType::Segmentation, 0.0);
        assert_eq!(drawn.len(), 2);
        assert!(drawn[1].parts.is_empty());
        assert_eq!(
            drawn[1].mask,
            [ColumnRun {
                column: 2,
                top: 2,
                bottom: 5
            }]
        );
        assert_eq!(drawn[1].outcome.as_ref().map(|o| o.matched), Some(true));
        let labels = vec!["dog".to_owned(), "cat".to_owned()];
        let orange = SERIES_COLOURS[1];
        assert_eq!(label_colour(&labels, "cat"), (orange.0, orange.1, orange.2));
    }
}
