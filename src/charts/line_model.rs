//! What a line chart shows, computed from the server's points without drawing anything.

use trackboard_api::SeriesPoints;

/// One series: its name, colour index and the runs of points between gaps.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesLine {
    pub name: String,
    pub colour: usize,
    /// Each run is drawn as one connected line; a gap (`null`) ends a run.
    pub segments: Vec<Vec<(f64, f64)>>,
}

/// A line chart ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct LineChartModel {
    pub series: Vec<SeriesLine>,
    /// Steps shown, inclusive.
    pub x_range: (f64, f64),
    /// Values shown, with a little room above and below.
    pub y_range: (f64, f64),
}

/// Splits parallel steps and values into runs of finite points; `None` ends a run.
pub fn gap_segments(steps: &[i64], values: &[Option<f64>]) -> Vec<Vec<(f64, f64)>> {
    let xs: Vec<f64> = steps.iter().map(|step| *step as f64).collect();
    xy_segments(&xs, values)
}

/// The lowest and highest finite value over every series, padded by 5 % (a flat line
/// gets ±1 so it sits in the middle); `None` when there is no value at all.
pub fn value_bounds<'a>(values: impl Iterator<Item = &'a Option<f64>>) -> Option<(f64, f64)> {
    let (low, high) = values
        .filter_map(|v| v.filter(|v| v.is_finite()))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), v| {
            (low.min(v), high.max(v))
        });
    if low > high {
        return None;
    }
    if low == high {
        return Some((low - 1.0, high + 1.0));
    }
    let pad = (high - low) * 0.05;
    Some((low - pad, high + pad))
}

/// The index of the point whose step is closest to `step` (steps increase).
pub fn nearest(steps: &[i64], step: f64) -> Option<usize> {
    if steps.is_empty() || !step.is_finite() {
        return None;
    }
    let after = steps.partition_point(|s| (*s as f64) < step);
    let candidates = [after.checked_sub(1), (after < steps.len()).then_some(after)];
    candidates.into_iter().flatten().min_by(|a, b| {
        let da = (steps[*a] as f64 - step).abs();
        let db = (steps[*b] as f64 - step).abs();
        da.total_cmp(&db)
    })
}

impl LineChartModel {
    /// The model of some series over steps `from..=to`; `None` when nothing can be drawn.
    pub fn new(series: &[SeriesPoints], from: i64, to: i64) -> Option<LineChartModel> {
        let y_range = value_bounds(series.iter().flat_map(|s| s.values.iter()))?;
        let x_range = if from < to {
            (from as f64, to as f64)
        } else {
            (from as f64 - 1.0, to as f64 + 1.0)
        };
        Some(LineChartModel {
            series: series
                .iter()
                .enumerate()
                .map(|(index, points)| SeriesLine {
                    name: points.name.clone(),
                    colour: index,
                    segments: gap_segments(&points.steps, &points.values),
                })
                .collect(),
            x_range,
            y_range,
        })
    }
}

impl LineChartModel {
    /// The model of series already placed on the x axis (`time_axis::placed`), named
    /// `names`; `None` when nothing can be drawn.
    pub fn from_placed(
        placed: &[Vec<(f64, i64, Option<f64>)>],
        names: impl Iterator<Item = String>,
    ) -> Option<LineChartModel> {
        let y_range = value_bounds(placed.iter().flatten().map(|(_, _, value)| value))?;
        let (low, high) = placed
            .iter()
            .flatten()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), (x, _, _)| {
                (l.min(*x), h.max(*x))
            });
        if low > high {
            return None;
        }
        let x_range = if low < high {
            (low, high)
        } else {
            (low - 1.0, high + 1.0)
        };
        let series = placed
            .iter()
            .zip(names)
            .enumerate()
            .map(|(colour, (points, name))| {
                let (xs, values): (Vec<f64>, Vec<Option<f64>>) =
                    points.iter().map(|(x, _, value)| (*x, *value)).unzip();
                SeriesLine {
                    name,
                    colour,
                    segments: xy_segments(&xs, &values),
                }
            })
            .collect();
        Some(LineChartModel {
            series,
            x_range,
            y_range,
        })
    }
}

/// [`gap_segments`] over x values that are not steps.
fn xy_segments(xs: &[f64], values: &[Option<f64>]) -> Vec<Vec<(f64, f64)>> {
    let mut segments = Vec::new();
    let mut current = Vec::new();
    for (x, value) in xs.iter().zip(values) {
        match value {
            Some(v) if v.is_finite() => current.push((*x, *v)),
            _ => {
                if !current.is_empty() {
                    segments.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        segments.push(current);
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(name: &str, steps: Vec<i64>, values: Vec<Option<f64>>) -> SeriesPoints {
        SeriesPoints {
            name: name.into(),
            steps,
            values,
            reduced: false,
            points_in_range: 0,
        }
    }

    #[test]
    fn the_nearest_step_is_found_on_either_side() {
        let steps = [0, 10, 20, 40];
        assert_eq!(nearest(&steps, -5.0), Some(0));
        assert_eq!(nearest(&steps, 14.0), Some(1));
        assert_eq!(nearest(&steps, 16.0), Some(2));
        assert_eq!(nearest(&steps, 99.0), Some(3));
        assert_eq!(nearest(&[], 1.0), None);
    }

    #[test]
    fn gaps_split_a_series_into_runs() {
        let runs = gap_segments(
            &[0, 1, 2, 3, 4, 5],
            &[Some(1.0), Some(2.0), None, None, Some(3.0), Some(f64::NAN)],
        );
        assert_eq!(runs, vec![vec![(0.0, 1.0), (1.0, 2.0)], vec![(4.0, 3.0)]]);
        assert!(gap_segments(&[0], &[None]).is_empty());
    }

    #[test]
    fn bounds_are_padded_and_a_flat_line_is_centred() {
        assert_eq!(
            value_bounds([Some(0.0), None, Some(10.0)].iter()),
            Some((-0.5, 10.5))
        );
        assert_eq!(
            value_bounds([Some(2.0), Some(2.0)].iter()),
            Some((1.0, 3.0))
        );
        assert_eq!(value_bounds([None, None].iter()), None);
    }

    #[test]
    fn a_model_spans_every_series_and_keeps_their_order() {
        let model = LineChartModel::new(
            &[
                points("train", vec![0, 10], vec![Some(1.0), Some(0.5)]),
                points("val", vec![0, 10], vec![Some(2.0), None]),
            ],
            0,
            10,
        )
        .expect("drawable");
        assert_eq!(model.x_range, (0.0, 10.0));
        assert!(model.y_range.0 < 0.5 && model.y_range.1 > 2.0);
        assert_eq!(model.series[1].name, "val");
        assert_eq!(model.series[1].colour, 1);
        assert!(LineChartModel::new(&[points("empty", vec![], vec![])], 0, 0).is_none());
    }
}
