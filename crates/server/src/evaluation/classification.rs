//! Classification metrics: each asset's predicted class is its highest-scored
//! prediction (the first given on a tie), compared with its ground-truth class.

/// One asset: its ground-truth class and its scored predictions, as category indices.
#[derive(Clone, Debug, PartialEq)]
pub struct Classified {
    pub truth: Option<usize>,
    /// (category, score) in the order given.
    pub predictions: Vec<(usize, f64)>,
}

impl Classified {
    /// The predicted category: highest score, first on a tie.
    pub fn predicted(&self) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        for &(category, score) in &self.predictions {
            if best.is_none_or(|(_, top)| score > top) {
                best = Some((category, score));
            }
        }
        best.map(|(category, _)| category)
    }
}

/// Per-class precision, recall and F1 (`None` where the denominator is zero).
#[derive(Clone, Debug, PartialEq)]
pub struct ClassScores {
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    /// Assets of this class in the ground truth.
    pub support: u64,
}

/// The classification figures of an evaluation.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassificationFigures {
    /// Correct predictions over assets with a ground truth; `None` without any.
    pub accuracy: Option<f64>,
    pub classes: Vec<ClassScores>,
    /// (N+1)×(N+1) counts: rows are the ground truth, columns the prediction; the last
    /// row counts predictions on assets without ground truth (FP), the last column
    /// ground truth without a prediction (FN).
    pub confusion: Vec<Vec<u64>>,
}

/// The figures of `assets` over `category_count` categories.
pub fn classification_figures(
    assets: &[Classified],
    category_count: usize,
) -> ClassificationFigures {
    let n = category_count;
    let mut confusion = vec![vec![0u64; n + 1]; n + 1];
    for asset in assets {
        match (asset.truth, asset.predicted()) {
            (Some(truth), Some(predicted)) => confusion[truth][predicted] += 1,
            (Some(truth), None) => confusion[truth][n] += 1,
            (None, Some(predicted)) => confusion[n][predicted] += 1,
            (None, None) => {}
        }
    }
    let ratio = |part: u64, whole: u64| (whole > 0).then(|| part as f64 / whole as f64);
    let with_truth: u64 = confusion[..n]
        .iter()
        .map(|row| row.iter().sum::<u64>())
        .sum();
    let correct: u64 = (0..n).map(|k| confusion[k][k]).sum();
    let classes = (0..n)
        .map(|k| {
            let predicted: u64 = confusion.iter().map(|row| row[k]).sum();
            let support: u64 = confusion[k].iter().sum();
            let precision = ratio(confusion[k][k], predicted);
            let recall = ratio(confusion[k][k], support);
            let f1 = match (precision, recall) {
                (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
                (Some(_), Some(_)) => Some(0.0),
                _ => None,
            };
            ClassScores {
                precision,
                recall,
                f1,
                support,
            }
        })
        .collect();
    ClassificationFigures {
        accuracy: ratio(correct, with_truth),
        classes,
        confusion,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(truth: Option<usize>, predictions: &[(usize, f64)]) -> Classified {
        Classified {
            truth,
            predictions: predictions.to_vec(),
        }
    }

    #[test]
    fn the_top_prediction_counts_and_the_first_wins_a_tie() {
        assert_eq!(
            asset(None, &[(2, 0.4), (1, 0.9), (0, 0.9)]).predicted(),
            Some(1)
        );
        assert_eq!(asset(None, &[]).predicted(), None);
    }

    #[test]
    fn figures_count_misses_and_predictions_without_truth() {
        let assets = [
            asset(Some(0), &[(0, 0.9)]),
            asset(Some(0), &[(1, 0.8), (0, 0.1)]),
            asset(Some(1), &[(1, 0.7)]),
            asset(Some(1), &[]),
            asset(None, &[(1, 0.6)]),
        ];
        let figures = classification_figures(&assets, 2);
        assert_eq!(
            figures.confusion,
            vec![vec![1, 1, 0], vec![0, 1, 1], vec![0, 1, 0]]
        );
        assert_eq!(figures.accuracy, Some(2.0 / 4.0));
        assert_eq!(figures.classes[0].precision, Some(1.0));
        assert_eq!(figures.classes[0].recall, Some(0.5));
        assert_eq!(figures.classes[1].precision, Some(1.0 / 3.0));
        assert_eq!(figures.classes[1].recall, Some(0.5));
        let f1 = 2.0 * (1.0 / 3.0) * 0.5 / (1.0 / 3.0 + 0.5);
        assert_eq!(figures.classes[1].f1, Some(f1));
        assert_eq!(figures.classes[1].support, 2);
    }

    #[test]
    fn a_class_never_predicted_nor_present_has_no_figures() {
        let figures = classification_figures(&[asset(Some(0), &[(0, 1.0)])], 2);
        assert_eq!(figures.classes[1].precision, None);
        assert_eq!(figures.classes[1].recall, None);
        assert_eq!(figures.classes[1].f1, None);
        assert_eq!(classification_figures(&[], 1).accuracy, None);
    }
}
