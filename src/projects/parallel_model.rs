//! Parallel coordinates of a sweep: one vertical axis per chosen numeric column (its
//! range from the runs shown, highest at the top), one polyline per run, and brushes
//! (a kept interval on some axes) that narrow the runs.

use super::sweep_columns::{column_value, shown_runs};
use crate::charts::{Axis, RunLine};
use trackboard_api::ExperimentValues;

/// The axes of `columns` and each shown run's line.
pub fn parallel_lines(
    values: &[ExperimentValues],
    shown: &[i64],
    columns: &[String],
    colour: &str,
) -> (Vec<Axis>, Vec<RunLine>) {
    let runs = shown_runs(values, shown);
    let axes: Vec<Axis> = columns
        .iter()
        .map(|column| {
            let (low, high) = runs
                .iter()
                .filter_map(|run| column_value(run, column))
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
                    (l.min(v), h.max(v))
                });
            let (low, high) = if low.is_finite() {
                (low, high)
            } else {
                (0.0, 1.0)
            };
            Axis {
                column: column.clone(),
                low,
                high,
            }
        })
        .collect();
    let lines = runs
        .iter()
        .map(|run| RunLine {
            experiment_id: run.experiment_id,
            heights: axes
                .iter()
                .map(|axis| {
                    column_value(run, &axis.column).map(|v| {
                        if axis.high > axis.low {
                            (v - axis.low) / (axis.high - axis.low)
                        } else {
                            0.5
                        }
                    })
                })
                .collect(),
            colour: column_value(run, colour),
        })
        .collect();
    (axes, lines)
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
        let (axes, lines) = parallel_lines(&runs, &[1, 2, 3], &columns, "metrics.accuracy");
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
}
