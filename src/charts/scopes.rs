//! Seed 003's chart scopes: an experiment's (or a comparison's) line charts grouped as
//! train, validation and test, and the charts a scope filter keeps; the client's system
//! metrics (`system/…`) apart from the training's own charts.

use std::collections::BTreeMap;
use trackboard_api::{ChartScope, Log, LogContent};

/// The scope of each LINE log, by name, among `logs` (of one experiment or several: a
/// name scoped in any of them counts as scoped so).
pub fn line_scopes<'a>(logs: impl IntoIterator<Item = &'a Log>) -> BTreeMap<String, ChartScope> {
    logs.into_iter()
        .filter(|log| matches!(log.content, LogContent::Line(_)))
        .filter_map(|log| log.scope.map(|scope| (log.name.clone(), scope)))
        .collect()
}

/// The prefix of the LINE logs the Python client's system metrics write.
pub const SYSTEM_PREFIX: &str = "system/";

/// `names` split into the training's charts and the system metrics' (in order).
pub fn without_system_metrics(names: Vec<String>) -> (Vec<String>, Vec<String>) {
    names
        .into_iter()
        .partition(|name| !name.starts_with(SYSTEM_PREFIX))
}

/// `names` grouped by scope: train, validation, test, then those without one (`None`),
/// each group in the given order, empty groups left out. Without any scope, one group.
pub fn grouped_by_scope(
    names: Vec<String>,
    scopes: &BTreeMap<String, ChartScope>,
) -> Vec<(Option<ChartScope>, Vec<String>)> {
    let order = ChartScope::ALL.into_iter().map(Some).chain([None]);
    order
        .map(|scope| {
            let members: Vec<String> = names
                .iter()
                .filter(|name| scopes.get(*name).copied() == scope)
                .cloned()
                .collect();
            (scope, members)
        })
        .filter(|(_, members)| !members.is_empty())
        .collect()
}

/// A scope's heading: "Train", "Validation", "Test", or "Other" for none.
pub fn scope_title(scope: Option<ChartScope>) -> &'static str {
    match scope {
        Some(ChartScope::Train) => "Train",
        Some(ChartScope::Validation) => "Validation",
        Some(ChartScope::Test) => "Test",
        None => "Other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::{LineSummary, Scalar};

    fn log(name: &str, scope: Option<ChartScope>, line: bool) -> Log {
        Log {
            id: 0,
            experiment_id: 0,
            name: name.into(),
            content: if line {
                LogContent::Line(LineSummary { series: Vec::new() })
            } else {
                LogContent::Value(Scalar::Bool(true))
            },
            scope,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn charts_group_train_validation_test_then_the_rest() {
        let logs = [
            log("val_loss", Some(ChartScope::Validation), true),
            log("lr", None, true),
            log("loss", Some(ChartScope::Train), true),
            log("acc", Some(ChartScope::Train), false),
        ];
        let scopes = line_scopes(&logs);
        assert_eq!(scopes.len(), 2, "only LINE logs have scopes: {scopes:?}");
        let names = vec!["lr".to_owned(), "loss".to_owned(), "val_loss".to_owned()];
        assert_eq!(
            grouped_by_scope(names, &scopes),
            vec![
                (Some(ChartScope::Train), vec!["loss".to_owned()]),
                (Some(ChartScope::Validation), vec!["val_loss".to_owned()]),
                (None, vec!["lr".to_owned()]),
            ]
        );
    }

    #[test]
    fn system_metrics_are_set_apart_in_order() {
        let names = [
            "loss",
            "system/cpu_percent",
            "systematic",
            "system/gpu0/power_w",
        ]
        .map(String::from)
        .to_vec();
        let (training, system) = without_system_metrics(names);
        assert_eq!(training, ["loss", "systematic"]);
        assert_eq!(system, ["system/cpu_percent", "system/gpu0/power_w"]);
    }

    #[test]
    fn without_scopes_every_chart_is_one_group() {
        let names = vec!["b".to_owned(), "a".to_owned()];
        assert_eq!(
            grouped_by_scope(names.clone(), &BTreeMap::new()),
            vec![(None, names)]
        );
        assert!(grouped_by_scope(Vec::new(), &BTreeMap::new()).is_empty());
    }
}
