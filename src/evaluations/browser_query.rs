//! What the asset browser shows, kept in its address (`/experiments/{id}/evaluation?…`)
//! so a filtered view can be linked to (from a class's row, a matrix cell) and reloaded.

use trackboard_api::{AssetOutcome, EvaluatedAssetFilter, InferenceType};

/// Which assets are kept by their shapes' outcomes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Outcome {
    #[default]
    All,
    /// A kept prediction matched nothing.
    FalsePositives,
    /// A ground-truth shape was not found.
    Misses,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::All, Outcome::FalsePositives, Outcome::Misses];

    /// What the API narrows to (nothing for all).
    pub fn wire(self) -> Option<AssetOutcome> {
        match self {
            Outcome::All => None,
            Outcome::FalsePositives => Some(AssetOutcome::FalsePositives),
            Outcome::Misses => Some(AssetOutcome::Misses),
        }
    }

    /// The address and API spelling (empty for all).
    pub fn as_str(self) -> &'static str {
        self.wire().map_or("", AssetOutcome::as_str)
    }

    /// What the filter's menu says.
    pub fn title(self) -> &'static str {
        match self {
            Outcome::All => "All assets",
            Outcome::FalsePositives => "Only false positives",
            Outcome::Misses => "Only misses",
        }
    }

    fn parse(text: &str) -> Outcome {
        Outcome::ALL
            .into_iter()
            .find(|o| o.as_str() == text)
            .unwrap_or_default()
    }
}

/// The browser's filters.
#[derive(Clone, Debug, PartialEq)]
pub struct BrowserQuery {
    pub inference_type: InferenceType,
    /// Predictions scored below this are hidden and count as absent.
    pub min_score: f64,
    /// Assets with a shape of this label (empty: any).
    pub label: String,
    pub outcome: Outcome,
    /// Assets with a kept prediction whose best IoU is below this.
    pub iou_below: Option<f64>,
    /// Classification: the ground-truth label of a confusion cell (`Some("")`: none).
    pub truth: Option<String>,
    /// Classification: the predicted label of a confusion cell (`Some("")`: none).
    pub predicted: Option<String>,
}

impl Default for BrowserQuery {
    fn default() -> Self {
        BrowserQuery {
            inference_type: InferenceType::ObjectDetection,
            min_score: 0.0,
            label: String::new(),
            outcome: Outcome::All,
            iou_below: None,
            truth: None,
            predicted: None,
        }
    }
}

/// The inference type spelled `text`, if any.
pub fn inference_type(text: &str) -> Option<InferenceType> {
    [
        InferenceType::ObjectDetection,
        InferenceType::Segmentation,
        InferenceType::Classification,
    ]
    .into_iter()
    .find(|t| t.as_str() == text)
}

/// A number in [0, 1], if `text` is one.
fn unit(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|v| (0.0..=1.0).contains(v))
}

impl BrowserQuery {
    /// The query of an address's parameters (`get` answers one by name); anything
    /// unreadable falls back to its default.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> BrowserQuery {
        BrowserQuery {
            inference_type: get("type")
                .and_then(|t| inference_type(&t))
                .unwrap_or(InferenceType::ObjectDetection),
            min_score: get("threshold").and_then(|t| unit(&t)).unwrap_or(0.0),
            label: get("label").unwrap_or_default(),
            outcome: get("outcome")
                .map(|o| Outcome::parse(&o))
                .unwrap_or_default(),
            iou_below: get("iou_below").and_then(|t| unit(&t)),
            truth: get("truth"),
            predicted: get("predicted"),
        }
    }

    /// The browser's address for this query.
    pub fn page_path(&self, experiment_id: i64) -> String {
        let mut pairs = vec![format!("type={}", self.inference_type.as_str())];
        let mut add = |key: &str, value: &str| {
            pairs.push(format!("{key}={}", trackboard_api::encode_component(value)));
        };
        if self.min_score > 0.0 {
            add("threshold", &self.min_score.to_string());
        }
        if !self.label.is_empty() {
            add("label", &self.label);
        }
        if self.outcome != Outcome::All {
            add("outcome", self.outcome.as_str());
        }
        if let Some(below) = self.iou_below {
            add("iou_below", &below.to_string());
        }
        if let Some(truth) = &self.truth {
            add("truth", truth);
        }
        if let Some(predicted) = &self.predicted {
            add("predicted", predicted);
        }
        format!(
            "/experiments/{experiment_id}/evaluation?{}",
            pairs.join("&")
        )
    }

    /// The filter of `GET /experiments/{id}/evaluated-assets` this query shows.
    pub fn filter(&self) -> EvaluatedAssetFilter {
        let cell = |label: &Option<String>| {
            label
                .as_ref()
                .map(|label| Some(label.clone()).filter(|l| !l.is_empty()))
        };
        EvaluatedAssetFilter {
            inference_type: self.inference_type,
            min_score: self.min_score,
            label: Some(self.label.clone()).filter(|l| !l.is_empty()),
            outcome: self.outcome.wire(),
            iou_below: self.iou_below,
            truth: cell(&self.truth),
            predicted: cell(&self.predicted),
            asset_id: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parsed(path: &str) -> BrowserQuery {
        let query = path.split_once('?').map_or("", |(_, q)| q);
        let params: HashMap<String, String> = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_owned(), js_free_decode(v)))
            .collect();
        BrowserQuery::from_params(|key| params.get(key).cloned())
    }

    /// Percent-decoding of what `encode_component` writes (ASCII only here).
    fn js_free_decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).expect("hex"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn an_address_round_trips_every_filter() {
        let query = BrowserQuery {
            inference_type: InferenceType::Classification,
            min_score: 0.35,
            label: "traffic light".into(),
            outcome: Outcome::Misses,
            iou_below: Some(0.5),
            truth: Some("car".into()),
            predicted: Some(String::new()),
        };
        let path = query.page_path(7);
        assert!(
            path.starts_with("/experiments/7/evaluation?type=classification"),
            "{path}"
        );
        assert_eq!(parsed(&path), query);
        assert_eq!(
            parsed("/x?type=pose&threshold=2&outcome=what"),
            BrowserQuery::default()
        );
    }

    #[test]
    fn a_cell_s_none_label_is_asked_as_none() {
        let cell = BrowserQuery {
            truth: Some("cat".into()),
            predicted: Some(String::new()),
            outcome: Outcome::FalsePositives,
            ..BrowserQuery::default()
        };
        let filter = cell.filter();
        assert_eq!(filter.truth, Some(Some("cat".to_owned())));
        assert_eq!(filter.predicted, Some(None));
        assert_eq!(filter.outcome, Some(AssetOutcome::FalsePositives));
        assert_eq!(
            BrowserQuery::default().filter(),
            EvaluatedAssetFilter::default()
        );
    }
}
