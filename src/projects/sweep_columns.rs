//! A sweep's numeric columns: each run's VALUE logs and the last values of its
//! single-series LINE logs (`metrics.name`, as the filter names them) and parameters
//! (`params.name`) that hold numbers (or texts that read as numbers, as MLflow logs
//! parameters), and the points a scatter of two of them draws.

use crate::charts::ScatterPoint;
use std::collections::{BTreeSet, HashMap};
use trackboard_api::{ExperimentValues, Scalar};

/// A scalar as a number: numbers, and texts that parse as finite numbers.
pub fn number(value: &Scalar) -> Option<f64> {
    let number = match value {
        Scalar::Number(number) => number.as_f64(),
        Scalar::Text(text) => text.trim().parse::<f64>().ok(),
        Scalar::Bool(_) => None,
    };
    number.filter(|n| n.is_finite())
}

/// Every column holding a number in at least one run, metrics first, each sorted.
pub fn numeric_columns(values: &[ExperimentValues]) -> Vec<String> {
    column_kinds(values).numeric
}

/// A sweep's columns by what they hold, each list metrics first, each part sorted.
pub struct ColumnKinds {
    /// Columns holding a number in at least one run.
    pub numeric: Vec<String>,
    /// Columns holding a text or a boolean (not a number) in at least one run:
    /// categorical axes (`params.optimizer`).
    pub texts: Vec<String>,
}

/// The [`ColumnKinds`] of `values`, in one pass over every run's values; names are
/// written once each, not once a run (a sweep has thousands).
pub fn column_kinds(values: &[ExperimentValues]) -> ColumnKinds {
    // [metrics, params] × [numbers, texts].
    let mut seen: [[BTreeSet<&str>; 2]; 2] = Default::default();
    for run in values {
        for (group, logged) in [(0, &run.values), (1, &run.parameters)] {
            for (name, value) in logged {
                seen[group][usize::from(number(value).is_none())].insert(name.as_str());
            }
        }
    }
    let [metrics, params] = &seen;
    let named = |kind: usize| -> Vec<String> {
        let metrics = metrics[kind].iter().map(|name| format!("metrics.{name}"));
        metrics
            .chain(params[kind].iter().map(|name| format!("params.{name}")))
            .collect()
    };
    ColumnKinds {
        numeric: named(0),
        texts: named(1),
    }
}

/// A run's value in `column` (`metrics.…` or `params.…`), as logged.
pub fn column_scalar<'a>(run: &'a ExperimentValues, column: &str) -> Option<&'a Scalar> {
    if let Some(name) = column.strip_prefix("metrics.") {
        run.values.get(name)
    } else if let Some(name) = column.strip_prefix("params.") {
        run.parameters.get(name)
    } else {
        None
    }
}

/// A run's value in `column` as text (a category): texts as they are, numbers and
/// booleans as JSON writes them.
pub fn column_text(run: &ExperimentValues, column: &str) -> Option<String> {
    Some(match column_scalar(run, column)? {
        Scalar::Text(text) => text.clone(),
        Scalar::Number(number) => number.to_string(),
        Scalar::Bool(flag) => flag.to_string(),
    })
}

/// The runs of `shown` that have values, in that order: one lookup a run, not a scan
/// (a sweep shows thousands).
pub fn shown_runs<'a>(values: &'a [ExperimentValues], shown: &[i64]) -> Vec<&'a ExperimentValues> {
    let by_id: HashMap<i64, &ExperimentValues> =
        values.iter().map(|run| (run.experiment_id, run)).collect();
    shown
        .iter()
        .filter_map(|id| by_id.get(id).copied())
        .collect()
}

/// A run's number in `column` (`metrics.…` or `params.…`).
pub fn column_value(run: &ExperimentValues, column: &str) -> Option<f64> {
    column_scalar(run, column).and_then(number)
}

/// The points of the runs `shown` (in that order) that have both axes' values, each
/// axis in log10 when asked (runs whose value is not positive are left out then).
pub fn scatter_points(
    values: &[ExperimentValues],
    shown: &[i64],
    axes: (&str, &str),
    colour: &str,
    logs: (bool, bool),
) -> Vec<ScatterPoint> {
    let scaled = |value: f64, log: bool| {
        if !log {
            Some(value)
        } else if value > 0.0 {
            Some(value.log10())
        } else {
            None
        }
    };
    shown_runs(values, shown)
        .into_iter()
        .filter_map(|run| {
            let x = scaled(column_value(run, axes.0)?, logs.0)?;
            let y = scaled(column_value(run, axes.1)?, logs.1)?;
            Some(ScatterPoint {
                experiment_id: run.experiment_id,
                x,
                y,
                colour: column_value(run, colour),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn run(id: i64, accuracy: f64, lr: Scalar) -> ExperimentValues {
        ExperimentValues {
            experiment_id: id,
            values: BTreeMap::from([
                (
                    "accuracy".to_owned(),
                    Scalar::Number(serde_json::Number::from_f64(accuracy).expect("finite")),
                ),
                ("note".to_owned(), Scalar::Text("fine".into())),
            ]),
            parameters: BTreeMap::from([("lr".to_owned(), lr)]),
        }
    }

    #[test]
    fn numbers_and_numeric_texts_are_columns_and_points_follow_the_shown_runs() {
        let runs = vec![
            run(1, 0.5, Scalar::Text("0.01".into())),
            run(2, 0.9, Scalar::Number(serde_json::Number::from(0))),
            run(3, 0.7, Scalar::Bool(true)),
        ];
        assert_eq!(numeric_columns(&runs), ["metrics.accuracy", "params.lr"]);
        let kinds = column_kinds(&runs);
        assert_eq!(kinds.numeric, numeric_columns(&runs));
        assert_eq!(
            kinds.texts,
            ["metrics.note", "params.lr"],
            "a text that is no number, and a boolean, make a column categorical"
        );
        assert!(column_kinds(&runs[..2]).texts == ["metrics.note"]);
        assert_eq!(
            column_scalar(&runs[2], "params.lr"),
            Some(&Scalar::Bool(true))
        );
        assert_eq!(column_scalar(&runs[2], "lr"), None, "no prefix, no column");
        let points = scatter_points(
            &runs,
            &[3, 2, 1],
            ("params.lr", "metrics.accuracy"),
            "",
            (false, false),
        );
        let placed: Vec<(i64, f64, f64)> =
            points.iter().map(|p| (p.experiment_id, p.x, p.y)).collect();
        assert_eq!(
            placed,
            [(2, 0.0, 0.9), (1, 0.01, 0.5)],
            "run 3's lr is no number"
        );
        // On a log axis, lr = 0 has no place.
        let logged = scatter_points(
            &runs,
            &[1, 2],
            ("params.lr", "metrics.accuracy"),
            "metrics.accuracy",
            (true, false),
        );
        assert_eq!(logged.len(), 1);
        assert!((logged[0].x + 2.0).abs() < 1e-12);
        assert_eq!(logged[0].colour, Some(0.5));
    }
}
