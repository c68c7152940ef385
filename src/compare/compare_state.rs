//! The compare view's state, kept in the URL (`/compare?ids=1,2&log=loss&from=0&to=500
//! &smooth=0.6&diff=1&baseline=2&scope=train`, or `charts=all` for every shared LINE log
//! at once) so reloading or sharing the address restores the same view.

use crate::api::encode_component;
use trackboard_api::ChartScope;

/// Everything the compare view shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompareState {
    /// The experiments, in the order chosen.
    pub ids: Vec<i64>,
    /// The LINE log drawn; `None`: the first one they share.
    pub log: Option<String>,
    /// The zoomed step range.
    pub range: Option<(i64, i64)>,
    /// EMA weight in [0, 1).
    pub smoothing: f64,
    /// Show only the rows where the experiments differ.
    pub only_differences: bool,
    /// Draw every LINE log the experiments share, one chart each, instead of `log`.
    pub all_charts: bool,
    /// The experiment the others' confusion matrices are compared with; `None`: the first.
    pub baseline: Option<i64>,
    /// Only the line charts of this scope (seed 003: train, validation, test).
    pub scope: Option<ChartScope>,
}

impl CompareState {
    /// Reads the state from query parameters; anything unreadable is left at its default.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> CompareState {
        let ids = get("ids")
            .map(|text| {
                let mut ids: Vec<i64> = Vec::new();
                for id in text.split(',').filter_map(|part| part.trim().parse().ok()) {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                ids
            })
            .unwrap_or_default();
        let range = match (
            get("from").and_then(|v| v.parse().ok()),
            get("to").and_then(|v| v.parse().ok()),
        ) {
            (Some(from), Some(to)) if from < to => Some((from, to)),
            _ => None,
        };
        let smoothing = get("smooth")
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| v.is_finite())
            .map_or(0.0, |v| v.clamp(0.0, 0.99));
        CompareState {
            ids,
            log: get("log").filter(|log| !log.is_empty()),
            range,
            smoothing,
            only_differences: get("diff").as_deref() == Some("1"),
            all_charts: get("charts").as_deref() == Some("all"),
            baseline: get("baseline").and_then(|v| v.parse().ok()),
            scope: get("scope").as_deref().and_then(ChartScope::parse),
        }
    }

    /// The address of this state.
    pub fn to_url(&self) -> String {
        let mut parts = vec![format!(
            "ids={}",
            self.ids
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        )];
        if let Some(log) = &self.log {
            parts.push(format!("log={}", encode_component(log)));
        }
        if let Some((from, to)) = self.range {
            parts.push(format!("from={from}&to={to}"));
        }
        if self.smoothing > 0.0 {
            parts.push(format!("smooth={}", self.smoothing));
        }
        if self.only_differences {
            parts.push("diff=1".to_owned());
        }
        if self.all_charts {
            parts.push("charts=all".to_owned());
        }
        if let Some(baseline) = self.baseline {
            parts.push(format!("baseline={baseline}"));
        }
        if let Some(scope) = self.scope {
            parts.push(format!("scope={}", scope.as_str()));
        }
        format!("{}?{}", crate::links::COMPARE, parts.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn query(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |key| map.get(key).cloned()
    }

    #[test]
    fn a_state_survives_the_round_trip_through_its_url() {
        let state = CompareState {
            ids: vec![3, 1, 2],
            log: Some("Loss/total".into()),
            range: Some((100, 900)),
            smoothing: 0.6,
            only_differences: true,
            all_charts: true,
            baseline: Some(1),
            scope: Some(ChartScope::Validation),
        };
        let url = state.to_url();
        assert_eq!(
            url,
            "/compare?ids=3,1,2&log=Loss%2Ftotal&from=100&to=900&smooth=0.6&diff=1&charts=all&baseline=1&scope=validation"
        );
        let (_, query_text) = url.split_once('?').expect("query");
        let pairs: Vec<(String, String)> = query_text
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.replace("%2F", "/")))
            .collect();
        let borrowed: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(CompareState::from_query(query(&borrowed)), state);
    }

    #[test]
    fn bad_parameters_fall_back_to_defaults() {
        let state = CompareState::from_query(query(&[
            ("ids", "1,x,1,2"),
            ("from", "9"),
            ("to", "3"),
            ("smooth", "7"),
            ("charts", "some"),
            ("baseline", "first"),
            ("scope", "training"),
        ]));
        assert_eq!(state.baseline, None);
        assert_eq!(state.scope, None, "an unknown scope shows every chart");
        assert!(!state.all_charts, "only charts=all turns every chart on");
        assert_eq!(state.ids, vec![1, 2]);
        assert_eq!(state.range, None);
        assert_eq!(state.smoothing, 0.99);
        assert_eq!(
            CompareState::from_query(query(&[])),
            CompareState::default()
        );
    }
}
