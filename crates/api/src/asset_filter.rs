//! The asset browser's filter of `GET /api/v1/experiments/{id}/evaluated-assets`, as
//! both sides spell it: the dashboard writes these query parameters and the server
//! reads them, so a word such as `false_positives` is written once, here.

use crate::InferenceType;

/// Which evaluated assets are kept by their shapes' outcomes (`outcome=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssetOutcome {
    /// A kept prediction matched nothing.
    FalsePositives,
    /// A ground-truth shape was not found.
    Misses,
}

impl AssetOutcome {
    pub const ALL: [AssetOutcome; 2] = [AssetOutcome::FalsePositives, AssetOutcome::Misses];

    /// The query parameter's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AssetOutcome::FalsePositives => "false_positives",
            AssetOutcome::Misses => "misses",
        }
    }

    /// The outcome spelled `text`, if any.
    pub fn parse(text: &str) -> Option<AssetOutcome> {
        AssetOutcome::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

/// What the evaluated assets are narrowed to, beside paging.
#[derive(Clone, Debug, PartialEq)]
pub struct EvaluatedAssetFilter {
    /// Which shapes are matched.
    pub inference_type: InferenceType,
    /// Predictions scored below this count as absent (0: all count).
    pub min_score: f64,
    /// Assets with a ground-truth shape or a kept prediction of this label.
    pub label: Option<String>,
    pub outcome: Option<AssetOutcome>,
    /// Assets with a kept prediction whose best IoU is below this.
    pub iou_below: Option<f64>,
    /// Classification: the ground-truth label of a confusion cell (`Some(None)`: none).
    pub truth: Option<Option<String>>,
    /// Classification: the predicted label of a confusion cell (`Some(None)`: none).
    pub predicted: Option<Option<String>>,
    /// Only this asset (one asset across experiments).
    pub asset_id: Option<i64>,
}

impl Default for EvaluatedAssetFilter {
    fn default() -> Self {
        EvaluatedAssetFilter {
            inference_type: InferenceType::ObjectDetection,
            min_score: 0.0,
            label: None,
            outcome: None,
            iou_below: None,
            truth: None,
            predicted: None,
            asset_id: None,
        }
    }
}

impl EvaluatedAssetFilter {
    /// The query parameters of this filter, leaving out what does not narrow. A cell's
    /// "none" label is sent as an empty value, which the server reads as none.
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![("inference_type", self.inference_type.as_str().to_owned())];
        if self.min_score > 0.0 {
            pairs.push(("min_score", self.min_score.to_string()));
        }
        if let Some(label) = self.label.as_ref().filter(|l| !l.is_empty()) {
            pairs.push(("label", label.clone()));
        }
        if let Some(outcome) = self.outcome {
            pairs.push(("outcome", outcome.as_str().to_owned()));
        }
        if let Some(below) = self.iou_below {
            pairs.push(("iou_below", below.to_string()));
        }
        for (key, cell) in [("truth", &self.truth), ("predicted", &self.predicted)] {
            if let Some(label) = cell {
                pairs.push((key, label.clone().unwrap_or_default()));
            }
        }
        if let Some(id) = self.asset_id {
            pairs.push(("asset_id", id.to_string()));
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_round_trip_their_spelling() {
        for outcome in AssetOutcome::ALL {
            assert_eq!(AssetOutcome::parse(outcome.as_str()), Some(outcome));
        }
        assert_eq!(AssetOutcome::parse("all"), None);
    }

    #[test]
    fn only_what_narrows_is_sent() {
        assert_eq!(
            EvaluatedAssetFilter::default().query_pairs(),
            vec![("inference_type", "object_detection".to_owned())]
        );
        let cell = EvaluatedAssetFilter {
            inference_type: InferenceType::Classification,
            outcome: Some(AssetOutcome::Misses),
            truth: Some(Some("cat".into())),
            predicted: Some(None),
            asset_id: Some(4),
            ..EvaluatedAssetFilter::default()
        };
        assert_eq!(
            cell.query_pairs(),
            vec![
                ("inference_type", "classification".to_owned()),
                ("outcome", "misses".to_owned()),
                ("truth", "cat".to_owned()),
                ("predicted", String::new()),
                ("asset_id", "4".to_owned()),
            ]
        );
    }
}
