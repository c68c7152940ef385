//! From stored evaluations to the metrics an EVALUATION log holds: each evaluated asset
//! is an image (its ground truth against the experiment's predictions on it), each
//! label a category, in the order of the dataset versions' labels.

use super::classification::{classification_figures, Classified};
use super::coco::{
    evaluate_with_progress, CocoInput, Detection, GroundTruth, Image, IouKind, Region,
};
use trackboard_api::{
    Asset, ClassClassificationMetrics, ClassDetectionMetrics, ClassificationMetrics,
    DetectionMetrics, Evaluation, EvaluationMetrics, InferenceType, MaskShape, PolygonShape,
    Shapes,
};

/// The metrics of `inference_type` over `evaluated` (each asset with the evaluation of
/// it), `labels` naming the categories.
pub fn evaluation_metrics(
    inference_type: InferenceType,
    labels: &[String],
    evaluated: &[(Asset, Evaluation)],
    computed_at: String,
) -> EvaluationMetrics {
    evaluation_metrics_with_progress(inference_type, labels, evaluated, computed_at, &mut |_| {})
}

/// How many steps computing the metrics of `inference_type` over `labels` takes: one
/// per class for COCO, one for classification.
pub fn metric_steps(inference_type: InferenceType, labels: &[String]) -> usize {
    match inference_type {
        InferenceType::Classification => 1,
        _ => labels.len(),
    }
}

/// [`evaluation_metrics`], calling `progress` with the steps done (of [`metric_steps`]).
pub fn evaluation_metrics_with_progress(
    inference_type: InferenceType,
    labels: &[String],
    evaluated: &[(Asset, Evaluation)],
    computed_at: String,
    progress: &mut dyn FnMut(usize),
) -> EvaluationMetrics {
    let (detection, classification) = match inference_type {
        InferenceType::ObjectDetection => (
            Some(detection(IouKind::Bbox, labels, evaluated, progress)),
            None,
        ),
        InferenceType::Segmentation => (
            Some(detection(IouKind::Segm, labels, evaluated, progress)),
            None,
        ),
        InferenceType::Classification => {
            let figures = classification(labels, evaluated);
            progress(1);
            (None, Some(figures))
        }
    };
    EvaluationMetrics {
        inference_type,
        assets: evaluated.len() as u64,
        labels: labels.to_vec(),
        detection,
        classification,
        computed_at,
    }
}

/// An object's polygons as pycocotools takes a segmentation: each part a flat
/// `x0, y0, x1, y1, …` list.
pub fn flat_parts(polygon: &PolygonShape) -> Vec<Vec<f64>> {
    polygon
        .all_parts()
        .map(|points| points.iter().flat_map(|[x, y]| [*x, *y]).collect())
        .collect()
}

/// The regions of one kind in `shapes`, each with its label, score and crowd flag (the metrics'
/// and the asset browser's).
pub(crate) fn regions(kind: IouKind, shapes: &Shapes) -> Vec<(&str, Option<f64>, Region, bool)> {
    shaped(kind, shapes)
        .into_iter()
        .map(|shape| (shape.label, shape.score, shape.region, shape.crowd))
        .collect()
}

/// One shape as the metrics read it: label, score, region, the area it was given and
/// whether it is a crowd region.
pub(crate) struct Shaped<'a> {
    pub label: &'a str,
    pub score: Option<f64>,
    pub region: Region,
    pub area: Option<f64>,
    pub crowd: bool,
}

fn shaped(kind: IouKind, shapes: &Shapes) -> Vec<Shaped<'_>> {
    match kind {
        IouKind::Bbox => shapes
            .rectangles
            .iter()
            .map(|r| Shaped {
                label: r.label.as_str(),
                score: r.score,
                region: Region::Box([r.x, r.y, r.width, r.height]),
                area: r.area,
                crowd: r.crowd,
            })
            .collect(),
        IouKind::Segm => {
            let polygons = shapes.polygons.iter().map(|p| Shaped {
                label: p.label.as_str(),
                score: p.score,
                region: Region::Polygons(flat_parts(p)),
                area: p.area,
                crowd: p.crowd,
            });
            let masks = shapes.masks.iter().map(|m| Shaped {
                label: m.label.as_str(),
                score: m.score,
                region: mask_region(m),
                area: m.area,
                crowd: m.crowd,
            });
            polygons.chain(masks).collect()
        }
    }
}

/// A run-length mask as a region. Its counts were checked when it was stored
/// (`domain::shapes`), so they read.
pub fn mask_region(mask: &MaskShape) -> Region {
    Region::Runs {
        height: mask.size[0],
        runs: mask.counts.runs().unwrap_or_default(),
    }
}

fn detection(
    kind: IouKind,
    labels: &[String],
    evaluated: &[(Asset, Evaluation)],
    progress: &mut dyn FnMut(usize),
) -> DetectionMetrics {
    let category = |label: &str| labels.iter().position(|l| l == label).map(|i| i as i64);
    let mut input = CocoInput {
        categories: (0..labels.len() as i64).collect(),
        ..CocoInput::default()
    };
    let mut ground_truth_counts = vec![0u64; labels.len()];
    let mut prediction_counts = vec![0u64; labels.len()];
    for (asset, evaluation) in evaluated {
        let predictions = &evaluation.predictions;
        let image = Image {
            id: asset.id,
            width: asset.width,
            height: asset.height,
        };
        input.images.push(image);
        for Shaped {
            label,
            region,
            area: given,
            crowd,
            ..
        } in shaped(kind, &asset.annotations)
        {
            let Some(category_id) = category(label) else {
                continue;
            };
            ground_truth_counts[category_id as usize] += 1;
            // The area ranges judge ground truth by the area its COCO file gave (as
            // COCOeval reads `area`), else by its box, or its mask's pixels.
            let area = given.unwrap_or_else(|| match &region {
                Region::Box([_, _, w, h]) => w * h,
                other => other.mask(image.width, image.height).area() as f64,
            });
            input.ground_truth.push(GroundTruth {
                image_id: asset.id,
                category_id,
                area,
                region,
                crowd,
            });
        }
        for found in shaped(kind, predictions) {
            let Some(category_id) = category(found.label) else {
                continue;
            };
            prediction_counts[category_id as usize] += 1;
            input.detections.push(Detection {
                image_id: asset.id,
                category_id,
                score: found.score.unwrap_or(0.0),
                area: found.area,
                region: found.region,
            });
        }
    }
    let figures = evaluate_with_progress(&input, kind, progress);
    DetectionMetrics {
        summary: figures.summary.to_vec(),
        classes: figures
            .classes
            .into_iter()
            .map(|class| {
                let k = class.category_id as usize;
                ClassDetectionMetrics {
                    label: labels[k].clone(),
                    average_precision: class.average_precision,
                    average_recall: class.average_recall,
                    ground_truth: ground_truth_counts[k],
                    predictions: prediction_counts[k],
                    precision_curve: class.precision_at_50,
                }
            })
            .collect(),
    }
}

fn classification(labels: &[String], evaluated: &[(Asset, Evaluation)]) -> ClassificationMetrics {
    let category = |label: &str| labels.iter().position(|l| l == label);
    let assets: Vec<Classified> = evaluated
        .iter()
        .map(|(asset, evaluation)| Classified {
            truth: asset
                .annotations
                .classifications
                .first()
                .and_then(|c| category(&c.label)),
            predictions: evaluation
                .predictions
                .classifications
                .iter()
                .filter_map(|c| Some((category(&c.label)?, c.score.unwrap_or(0.0))))
                .collect(),
        })
        .collect();
    let figures = classification_figures(&assets, labels.len());
    ClassificationMetrics {
        accuracy: figures.accuracy,
        classes: figures
            .classes
            .into_iter()
            .zip(labels)
            .map(|(scores, label)| ClassClassificationMetrics {
                label: label.clone(),
                precision: scores.precision,
                recall: scores.recall,
                f1: scores.f1,
                support: scores.support,
            })
            .collect(),
        confusion: figures.confusion,
    }
}
