//! How each shape of one evaluated asset fared, for the asset browser: COCO's greedy
//! matching at IoU .50 within each label (predictions by score, highest first, each
//! taking the unmatched ground truth it overlaps most), on the predictions scored at
//! least a threshold; and which of them a filter keeps.

use super::classification::Classified;
use super::coco::{box_iou, by_score_descending, greedy_matches, IouKind, Region};
use super::metrics;
use crate::listing::PageRequest;
use trackboard_api::{Asset, EvaluatedAsset, Evaluation, InferenceType, ShapeOutcome, Shapes};

/// The IoU a prediction needs to count as found.
pub const MATCH_IOU: f64 = 0.5;

/// What the browser narrows the evaluated assets to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OutcomeFilter {
    /// Only this asset (to show one asset across experiments).
    pub asset_id: Option<i64>,
    /// Assets with a ground-truth shape or a kept prediction of this label.
    pub label: Option<String>,
    /// Assets with a kept prediction that matched nothing.
    pub false_positives: bool,
    /// Assets with a ground-truth shape no kept prediction matched.
    pub misses: bool,
    /// Assets with a kept prediction whose best IoU is below this.
    pub iou_below: Option<f64>,
    /// Classification: the ground-truth label (`Some(None)`: none).
    pub truth: Option<Option<String>>,
    /// Classification: the predicted label (`Some(None)`: no prediction).
    pub predicted: Option<Option<String>>,
}

/// The shapes of one kind with their labels, scores (0 for ground truth), regions and
/// whether each is a crowd region, read as the metrics read them.
fn regions(kind: InferenceType, shapes: &Shapes) -> Vec<(&str, f64, Region, bool)> {
    let iou_kind = match kind {
        InferenceType::ObjectDetection => IouKind::Bbox,
        InferenceType::Segmentation => IouKind::Segm,
        InferenceType::Classification => return Vec::new(),
    };
    metrics::regions(iou_kind, shapes)
        .into_iter()
        .map(|(label, score, region, crowd)| (label, score.unwrap_or(0.0), region, crowd))
        .collect()
}

/// The IoU of a prediction with a ground truth, measured as the metrics measure it
/// (over the prediction's own area on a crowd region).
fn iou(kind: InferenceType, asset: &Asset, found: &Region, truth: &Region, crowd: bool) -> f64 {
    match kind {
        InferenceType::Segmentation => {
            let mask = |r: &Region| r.mask(asset.width, asset.height);
            mask(found).iou(&mask(truth), crowd)
        }
        _ => box_iou(&found.bbox(), &truth.bbox(), crowd),
    }
}

/// The asset with its outcomes; predictions scored below `min_score` count as absent.
pub fn evaluated_asset(
    kind: InferenceType,
    asset: Asset,
    evaluation_id: i64,
    predictions: Shapes,
    min_score: f64,
) -> EvaluatedAsset {
    let truths = regions(kind, &asset.annotations);
    let crowd: Vec<bool> = truths.iter().map(|truth| truth.3).collect();
    let found = regions(kind, &predictions);
    let ious: Vec<Vec<f64>> = found
        .iter()
        .map(|(label, _, region, _)| {
            truths
                .iter()
                .map(|(truth_label, _, truth, crowd)| {
                    if label == truth_label {
                        iou(kind, &asset, region, truth, *crowd)
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    let mut order: Vec<usize> = (0..found.len())
        .filter(|d| found[*d].1 >= min_score)
        .collect();
    order.sort_by(|a, b| by_score_descending(found[*a].1, found[*b].1));
    // The metrics' own matcher, so a shape is marked as the metrics counted it: crowd
    // regions last, ignored, and free for every prediction (one on a crowd region is
    // marked matched: COCOeval counts it neither as a true nor as a false positive).
    let mut truth_order: Vec<usize> = (0..truths.len()).collect();
    truth_order.sort_by_key(|g| crowd[*g]);
    let mut truth_matched = vec![false; truths.len()];
    let mut found_matched = vec![false; found.len()];
    let mut found_on_crowd = vec![false; found.len()];
    for (d, g) in greedy_matches(
        &order,
        &truth_order,
        &crowd,
        &crowd,
        |d, g| ious[d][g],
        MATCH_IOU,
    ) {
        truth_matched[g] = true;
        found_matched[d] = true;
        found_on_crowd[d] = crowd[g];
    }
    let best_of = |values: &mut dyn Iterator<Item = f64>| values.fold(0.0, f64::max);
    let prediction_outcomes = (0..found.len())
        .map(|d| ShapeOutcome {
            iou: best_of(&mut ious[d].iter().copied()),
            matched: found_matched[d],
            crowd: found_on_crowd[d],
        })
        .collect();
    let truth_outcomes = (0..truths.len())
        .map(|g| ShapeOutcome {
            iou: best_of(
                &mut ious
                    .iter()
                    .zip(&found)
                    .filter(|(_, f)| f.1 >= min_score)
                    .map(|(row, _)| row[g]),
            ),
            matched: truth_matched[g],
            crowd: crowd[g],
        })
        .collect();
    let predicted_label = (kind == InferenceType::Classification)
        .then(|| top_label(&predictions, min_score))
        .flatten();
    EvaluatedAsset {
        asset,
        evaluation_id,
        predictions,
        prediction_outcomes,
        truth_outcomes,
        predicted_label,
    }
}

/// The top-scored classification at or above `min_score`, first on a tie.
fn top_label(predictions: &Shapes, min_score: f64) -> Option<String> {
    let labels: Vec<&str> = predictions
        .classifications
        .iter()
        .map(|c| c.label.as_str())
        .collect();
    let classified = Classified {
        truth: None,
        predictions: predictions
            .classifications
            .iter()
            .enumerate()
            .filter(|(_, c)| c.score.unwrap_or(0.0) >= min_score)
            .map(|(index, c)| (index, c.score.unwrap_or(0.0)))
            .collect(),
    };
    classified.predicted().map(|index| labels[index].to_owned())
}

/// Whether `evaluated` passes `filter` (predictions below `min_score` count as absent).
pub fn keeps(
    filter: &OutcomeFilter,
    kind: InferenceType,
    evaluated: &EvaluatedAsset,
    min_score: f64,
) -> bool {
    let found = regions(kind, &evaluated.predictions);
    let kept: Vec<usize> = (0..found.len())
        .filter(|d| found[*d].1 >= min_score)
        .collect();
    if filter.asset_id.is_some_and(|id| id != evaluated.asset.id) {
        return false;
    }
    if let Some(label) = &filter.label {
        let in_truth = evaluated.asset.annotations.labels().any(|l| l == label);
        let in_found = kept.iter().any(|d| found[*d].0 == label)
            || evaluated.predicted_label.as_deref() == Some(label.as_str());
        if !in_truth && !in_found {
            return false;
        }
    }
    if filter.false_positives
        && !kept
            .iter()
            .any(|d| !evaluated.prediction_outcomes[*d].matched)
    {
        return false;
    }
    if filter.misses && !evaluated.truth_outcomes.iter().any(|o| !o.matched) {
        return false;
    }
    if let Some(below) = filter.iou_below {
        if !kept
            .iter()
            .any(|d| evaluated.prediction_outcomes[*d].iou < below)
        {
            return false;
        }
    }
    if let Some(truth) = &filter.truth {
        let actual = evaluated
            .asset
            .annotations
            .classifications
            .first()
            .map(|c| c.label.clone());
        if actual != *truth {
            return false;
        }
    }
    if let Some(predicted) = &filter.predicted {
        if evaluated.predicted_label != *predicted {
            return false;
        }
    }
    true
}

/// The page of `evaluated` (assets with the evaluation of each, in asset order) that
/// `filter` keeps, and how many it keeps in all: what the asset browser pages through.
pub fn page_of_outcomes(
    evaluated: Vec<(Asset, Evaluation)>,
    kind: InferenceType,
    min_score: f64,
    filter: &OutcomeFilter,
    page: PageRequest,
) -> (Vec<EvaluatedAsset>, u64) {
    let mut total = 0u64;
    let mut items = Vec::new();
    for (asset, evaluation) in evaluated {
        let shown = evaluated_asset(
            kind,
            asset,
            evaluation.id,
            evaluation.predictions,
            min_score,
        );
        if !keeps(filter, kind, &shown, min_score) {
            continue;
        }
        if total >= page.offset && items.len() < page.limit as usize {
            items.push(shown);
        }
        total += 1;
    }
    (items, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::{ClassificationShape, RectangleShape};

    fn rectangle(x: f64, label: &str, score: Option<f64>) -> RectangleShape {
        RectangleShape {
            x,
            y: 0.0,
            width: 10.0,
            height: 10.0,
            label: label.into(),
            score,
            area: None,
            crowd: false,
        }
    }

    fn asset(truth: Vec<RectangleShape>) -> Asset {
        Asset {
            id: 1,
            dataset_version_id: 1,
            filename: "a.png".into(),
            content_type: "image/png".into(),
            size: 1,
            width: 100,
            height: 100,
            annotations: Shapes {
                rectangles: truth,
                classifications: vec![ClassificationShape {
                    label: "cat".into(),
                    score: None,
                }],
                ..Shapes::default()
            },
            created_at: String::new(),
        }
    }

    #[test]
    fn predictions_on_a_crowd_region_are_marked_as_ignored_and_leave_objects_free() {
        // A crowd region over everything, an object inside it: the best prediction takes
        // the object, the others land on the crowd (neither true nor false positives).
        let crowd = RectangleShape {
            width: 100.0,
            height: 100.0,
            crowd: true,
            ..rectangle(0.0, "cat", None)
        };
        let truth = vec![crowd, rectangle(20.0, "cat", None)];
        let predictions = Shapes {
            rectangles: vec![
                rectangle(20.0, "cat", Some(0.9)),
                rectangle(60.0, "cat", Some(0.8)),
                rectangle(70.0, "cat", Some(0.7)),
            ],
            ..Shapes::default()
        };
        let kind = InferenceType::ObjectDetection;
        let evaluated = evaluated_asset(kind, asset(truth), 7, predictions, 0.0);
        let outcome = |o: &ShapeOutcome| (o.matched, o.crowd);
        let found: Vec<_> = evaluated.prediction_outcomes.iter().map(outcome).collect();
        assert_eq!(found, [(true, false), (true, true), (true, true)]);
        let truth: Vec<_> = evaluated.truth_outcomes.iter().map(outcome).collect();
        assert_eq!(truth, [(true, true), (true, false)]);
        // Over the prediction's own area, a prediction inside the crowd overlaps it fully.
        assert_eq!(evaluated.prediction_outcomes[1].iou, 1.0);
    }

    #[test]
    fn on_equal_iou_the_later_object_is_taken_as_the_metrics_take_it() {
        // Two identical objects: COCOeval's matcher gives the prediction the later one.
        let truth = vec![rectangle(0.0, "cat", None), rectangle(0.0, "cat", None)];
        let predictions = Shapes {
            rectangles: vec![rectangle(0.0, "cat", Some(0.9))],
            ..Shapes::default()
        };
        let kind = InferenceType::ObjectDetection;
        let evaluated = evaluated_asset(kind, asset(truth), 7, predictions, 0.0);
        let taken: Vec<bool> = evaluated.truth_outcomes.iter().map(|o| o.matched).collect();
        assert_eq!(taken, [false, true]);
        // The same pairs straight from the matcher the metrics use.
        let pairs = greedy_matches(
            &[0],
            &[0, 1],
            &[false, false],
            &[false, false],
            |_, _| 1.0,
            MATCH_IOU,
        );
        assert_eq!(pairs, [(0, 1)]);
    }

    #[test]
    fn the_best_scored_prediction_takes_the_object_and_the_rest_are_false() {
        let predictions = Shapes {
            rectangles: vec![
                rectangle(1.0, "cat", Some(0.6)),
                rectangle(0.0, "cat", Some(0.9)),
                rectangle(0.0, "dog", Some(0.8)),
                rectangle(50.0, "cat", Some(0.2)),
            ],
            ..Shapes::default()
        };
        let truth = vec![rectangle(0.0, "cat", None), rectangle(80.0, "cat", None)];
        let kind = InferenceType::ObjectDetection;
        let evaluated = evaluated_asset(kind, asset(truth), 7, predictions, 0.0);
        let matched: Vec<bool> = evaluated
            .prediction_outcomes
            .iter()
            .map(|o| o.matched)
            .collect();
        assert_eq!(matched, [false, true, false, false]);
        assert_eq!(evaluated.prediction_outcomes[0].iou, 90.0 / 110.0);
        assert_eq!(
            evaluated.prediction_outcomes[2].iou, 0.0,
            "another label never overlaps"
        );
        assert_eq!(
            evaluated
                .truth_outcomes
                .iter()
                .map(|o| o.matched)
                .collect::<Vec<_>>(),
            [true, false]
        );

        let keep =
            |filter: OutcomeFilter, min_score: f64| keeps(&filter, kind, &evaluated, min_score);
        let one = |asset_id| OutcomeFilter {
            asset_id: Some(asset_id),
            ..Default::default()
        };
        assert!(keep(one(1), 0.0));
        assert!(!keep(one(2), 0.0));
        assert!(keep(
            OutcomeFilter {
                false_positives: true,
                ..Default::default()
            },
            0.0
        ));
        assert!(!keep(
            OutcomeFilter {
                false_positives: true,
                ..Default::default()
            },
            0.95
        ));
        assert!(keep(
            OutcomeFilter {
                misses: true,
                ..Default::default()
            },
            0.0
        ));
        assert!(keep(
            OutcomeFilter {
                label: Some("dog".into()),
                ..Default::default()
            },
            0.0
        ));
        assert!(!keep(
            OutcomeFilter {
                label: Some("dog".into()),
                ..Default::default()
            },
            0.85
        ));
        assert!(keep(
            OutcomeFilter {
                iou_below: Some(0.5),
                ..Default::default()
            },
            0.0
        ));
        assert!(!keep(
            OutcomeFilter {
                iou_below: Some(0.5),
                ..Default::default()
            },
            0.85
        ));
    }

    #[test]
    fn a_threshold_removes_predictions_from_the_matching() {
        let predictions = Shapes {
            rectangles: vec![rectangle(0.0, "cat", Some(0.3))],
            classifications: vec![
                ClassificationShape {
                    label: "dog".into(),
                    score: Some(0.3),
                },
                ClassificationShape {
                    label: "cat".into(),
                    score: Some(0.7),
                },
            ],
            ..Shapes::default()
        };
        let truth = vec![rectangle(0.0, "cat", None)];
        let low = evaluated_asset(
            InferenceType::ObjectDetection,
            asset(truth.clone()),
            1,
            predictions.clone(),
            0.0,
        );
        assert!(low.truth_outcomes[0].matched);
        let high = evaluated_asset(
            InferenceType::ObjectDetection,
            asset(truth.clone()),
            1,
            predictions.clone(),
            0.5,
        );
        assert!(!high.truth_outcomes[0].matched);
        assert_eq!(high.truth_outcomes[0].iou, 0.0);
        let classified = evaluated_asset(
            InferenceType::Classification,
            asset(truth),
            1,
            predictions,
            0.0,
        );
        assert_eq!(classified.predicted_label.as_deref(), Some("cat"));
        let filter = OutcomeFilter {
            truth: Some(Some("cat".into())),
            predicted: Some(Some("cat".into())),
            ..Default::default()
        };
        assert!(keeps(
            &filter,
            InferenceType::Classification,
            &classified,
            0.0
        ));
        let wrong = OutcomeFilter {
            predicted: Some(None),
            ..Default::default()
        };
        assert!(!keeps(
            &wrong,
            InferenceType::Classification,
            &classified,
            0.0
        ));
    }
}
