//! Parallel coordinates of a sweep: one vertical axis per chosen numeric column (its
//! range from the runs shown, highest at the top), one polyline per run, and brushes
//! (a kept interval on some axes) that narrow the runs.

use super::sweep_columns::{column_scalar, column_text, column_value, number, shown_runs};
use crate::charts::{Axis, AxisScale, RunLine};
use trackboard_api::ExperimentValues;

/// The axes of `columns` and each shown run's line: a column holding a text in some
/// shown run is categorical (its values sorted, evenly spaced), one in `logged` is on a
/// log10 scale (a value not positive then has no place), the others linear.
pub fn parallel_lines(
    values: &[ExperimentValues],
    shown: &[i64],
    columns: &[String],
    colour: &str,
    logged: &[String],
) -> (Vec<Axis>, Vec<RunLine>) {
    let runs = shown_runs(values, shown);
    let axes: Vec<Axis> = columns
        .iter()
        .map(|column| axis_of(&runs, column, logged.contains(column)))
        .collect();
    let lines = runs
        .iter()
        .map(|run| RunLine {
            experiment_id: run.experiment_id,
            heights: axes.iter().map(|axis| height_on(axis, run)).collect(),
            colour: column_value(run, colour),
        })
        .collect();
    (axes, lines)
}

/// A value on an axis before it is spread over the axis' range: the number, or its
/// log10 on a log axis (none when not positive).
fn scaled(axis_log: bool, value: f64) -> Option<f64> {
    match axis_log {
        false => Some(value),
        true if value > 0.0 => Some(value.log10()),
        true => None,
    }
}

fn axis_of(runs: &[&ExperimentValues], column: &str, log: bool) -> Axis {
    // One lookup a run (writing each number as text to test its presence cost ~15 ms
    // for 10,000 runs); `None` as soon as a present value is no number.
    let numbers: Option<Vec<f64>> = runs
        .iter()
        .filter_map(|run| column_scalar(run, column))
        .map(number)
        .collect();
    let Some(numbers) = numbers else {
        let mut names: Vec<String> = runs
            .iter()
            .filter_map(|run| column_text(run, column))
            .collect();
        names.sort();
        names.dedup();
        return Axis {
            column: column.to_owned(),
            low: 0.0,
            high: 1.0,
            scale: AxisScale::Categories(names),
        };
    };
    let (low, high) = numbers
        .iter()
        .filter_map(|v| scaled(log, *v))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
    let (low, high) = if low.is_finite() {
        (low, high)
    } else {
        (0.0, 1.0)
    };
    Axis {
        column: column.to_owned(),
        low,
        high,
        scale: if log {
            AxisScale::Log
        } else {
            AxisScale::Linear
        },
    }
}

/// A run's height on an axis (0 bottom, 1 top), if it has a place there.
fn height_on(axis: &Axis, run: &ExperimentValues) -> Option<f64> {
    if let AxisScale::Categories(names) = &axis.scale {
        let text = column_text(run, &axis.column)?;
        let index = names.binary_search(&text).ok()?;
        return Some(AxisScale::category_height(index, names.len()));
    }
    let value = scaled(
        axis.scale == AxisScale::Log,
        column_value(run, &axis.column)?,
    )?;
    Some(if axis.high > axis.low {
        (value - axis.low) / (axis.high - axis.low)
    } else {
        0.5
    })
}

/// The runs every brush keeps: a brush `(axis, from, to)` keeps the lines whose height
/// on that axis lies in `[from, to]` (either way round); a line without a value there
/// is not kept. No brush keeps every line.
pub fn brushed(lines: &[RunLine], brushes: &[(usize, f64, f64)]) -> Vec<i64> {
    lines
        .iter()
        .filter(|line| {
            brushes.iter().all(|&(axis, from, to)| {
                let (low, high) = if from <= to { (from, to) } else { (to, from) };
                line.heights
                    .get(axis)
                    .copied()
                    .flatten()
                    .is_some_and(|h| (low..=high).contains(&h))
            })
        })
        .map(|line| line.experiment_id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use trackboard_api::Scalar;

    fn run(id: i64, accuracy: f64, lr: Option<f64>) -> ExperimentValues {
        let number = |v: f64| Scalar::Number(serde_json::Number::from_f64(v).expect("finite"));
        ExperimentValues {
            experiment_id: id,
            values: BTreeMap::from([("accuracy".to_owned(), number(accuracy))]),
            parameters: lr
                .map(|lr| BTreeMap::from([("lr".to_owned(), number(lr))]))
                .unwrap_or_default(),
        }
    }

    #[test]
    fn heights_span_each_axis_and_brushes_keep_what_lies_inside() {
        let runs = vec![
            run(1, 0.5, Some(0.1)),
            run(2, 0.9, Some(0.3)),
            run(3, 0.7, None),
        ];
        let columns = ["params.lr".to_owned(), "metrics.accuracy".to_owned()];
        let (axes, lines) = parallel_lines(&runs, &[1, 2, 3], &columns, "metrics.accuracy", &[]);
        assert_eq!((axes[0].low, axes[0].high), (0.1, 0.3));
        assert_eq!(lines[0].heights, [Some(0.0), Some(0.0)]);
        assert_eq!(lines[1].heights, [Some(1.0), Some(1.0)]);
        assert_eq!(lines[2].heights[0], None);
        assert!((lines[2].heights[1].expect("a value") - 0.5).abs() < 1e-12);
        assert_eq!(lines[1].colour, Some(0.9));
        assert_eq!(brushed(&lines, &[]), [1, 2, 3]);
        assert_eq!(brushed(&lines, &[(1, 0.4, 1.0)]), [2, 3]);
        // Run 3 has no lr: a brush on that axis drops it.
        assert_eq!(brushed(&lines, &[(1, 1.0, 0.4), (0, 0.0, 1.0)]), [2]);
    }

    #[test]
    fn text_columns_are_categories_and_log_axes_place_positive_values() {
        let mut runs = vec![
            run(1, 0.5, Some(0.001)),
            run(2, 0.9, Some(0.1)),
            run(3, 0.7, Some(-1.0)),
        ];
        for (run, optimizer) in runs.iter_mut().zip(["sgd", "adam", "sgd"]) {
            run.parameters
                .insert("optimizer".to_owned(), Scalar::Text(optimizer.to_owned()));
        }
        let columns = ["params.optimizer".to_owned(), "params.lr".to_owned()];
        let logged = ["params.lr".to_owned()];
        let (axes, lines) = parallel_lines(&runs, &[1, 2, 3], &columns, "", &logged);
        assert_eq!(
            axes[0].scale,
            AxisScale::Categories(vec!["adam".to_owned(), "sgd".to_owned()])
        );
        assert_eq!(axes[1].scale, AxisScale::Log);
        assert_eq!((axes[1].low, axes[1].high), (-3.0, -1.0));
        let heights: Vec<Vec<Option<f64>>> = lines.iter().map(|l| l.heights.clone()).collect();
        assert_eq!(
            heights,
            [
                vec![Some(1.0), Some(0.0)],
                vec![Some(0.0), Some(1.0)],
                // lr = -1 has no place on a log axis.
                vec![Some(1.0), None],
            ]
        );
        // A brush over the top of the optimizer axis keeps the sgd runs.
        assert_eq!(brushed(&lines, &[(0, 0.9, 1.0)]), [1, 3]);
    }
}
