//! Line charts against wall time or time since the run started, as well as step. Each
//! point's x is when it was logged, read from the step function the server keeps per
//! series (`GET …/logs/{name}/times`): the point at step `s` was logged at the time of
//! the greatest kept step `<= s`. Points logged before the server kept times have none
//! and are left out of a time axis.

use super::points_source::{shown_name, PointsSource};
use crate::api::ApiClient;
use crate::error::AppError;
use std::collections::HashMap;
use trackboard_api::{LinePoints, SeriesTimes};

/// What a line chart's x axis measures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum XAxis {
    #[default]
    Step,
    /// The clock when each point was logged (UTC).
    WallTime,
    /// Seconds since the experiment's first timed point.
    Relative,
}

impl XAxis {
    pub const ALL: [XAxis; 3] = [XAxis::Step, XAxis::WallTime, XAxis::Relative];

    pub fn label(self) -> &'static str {
        match self {
            XAxis::Step => "Step",
            XAxis::WallTime => "Wall time (UTC)",
            XAxis::Relative => "Relative time",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            XAxis::Step => "step",
            XAxis::WallTime => "wall",
            XAxis::Relative => "relative",
        }
    }

    pub fn from_key(key: &str) -> XAxis {
        XAxis::ALL
            .into_iter()
            .find(|axis| axis.key() == key)
            .unwrap_or_default()
    }
}

/// When one series' points were logged, and where its experiment's time starts.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesClock {
    steps: Vec<i64>,
    times: Vec<f64>,
    /// The experiment's first time: zero of the relative axis.
    origin: f64,
}

impl SeriesClock {
    /// The time the point at `step` was logged; `None` before the first kept time.
    pub fn time_at(&self, step: i64) -> Option<f64> {
        let after = self.steps.partition_point(|kept| *kept <= step);
        after.checked_sub(1).map(|index| self.times[index])
    }

    /// The point's x on `axis` (`None` on a time axis without a time).
    pub fn x_at(&self, step: i64, axis: XAxis) -> Option<f64> {
        match axis {
            XAxis::Step => Some(step as f64),
            XAxis::WallTime => self.time_at(step),
            XAxis::Relative => self.time_at(step).map(|time| time - self.origin),
        }
    }
}

/// The clocks of every series a chart draws, by the name the chart shows it under.
pub type Clocks = HashMap<String, SeriesClock>;

/// One experiment's series times as clocks named as `flatten_comparison` names them
/// (`label` alone for a single series), all with the experiment's first time as origin.
pub fn experiment_clocks(label: Option<&str>, series: Vec<SeriesTimes>) -> Clocks {
    let origin = series
        .iter()
        .filter_map(|s| s.times.first().copied())
        .fold(f64::INFINITY, f64::min);
    let single = series.len() == 1;
    series
        .into_iter()
        .map(|s| {
            let name = match label {
                Some(label) => shown_name(label, single, &s.name),
                None => s.name.clone(),
            };
            let clock = SeriesClock {
                steps: s.steps,
                times: s.times,
                origin,
            };
            (name, clock)
        })
        .collect()
}

/// The clocks of what `source` draws: one request per experiment.
pub async fn fetch_clocks(client: &ApiClient, source: &PointsSource) -> Result<Clocks, AppError> {
    let mut clocks = Clocks::new();
    for (id, label) in source.experiments() {
        let times = client.line_times(id, source.log_name()).await?;
        let label = matches!(source, PointsSource::Comparison { .. }).then_some(label.as_str());
        clocks.extend(experiment_clocks(label, times.series));
    }
    Ok(clocks)
}

/// Each series' points as (x, value) on `axis`, with the step they came from; a point
/// without a time is left out.
pub fn placed(
    points: &LinePoints,
    clocks: &Clocks,
    axis: XAxis,
) -> Vec<Vec<(f64, i64, Option<f64>)>> {
    points
        .series
        .iter()
        .map(|series| {
            let clock = clocks.get(&series.name);
            series
                .steps
                .iter()
                .zip(&series.values)
                .filter_map(|(&step, &value)| {
                    let x = match (axis, clock) {
                        (XAxis::Step, _) => Some(step as f64),
                        (_, Some(clock)) => clock.x_at(step, axis),
                        (_, None) => None,
                    }?;
                    Some((x, step, value))
                })
                .collect()
        })
        .collect()
}

/// The steps of the points placed between `a` and `b` on the x axis (a zoom on a time
/// axis is a step range: the server reads points by step).
pub fn steps_between(
    placed: &[Vec<(f64, i64, Option<f64>)>],
    a: f64,
    b: f64,
) -> Option<(i64, i64)> {
    let (low, high) = (a.min(b), a.max(b));
    let steps = placed
        .iter()
        .flatten()
        .filter(|(x, _, _)| *x >= low && *x <= high)
        .map(|(_, step, _)| *step);
    let (from, to) = steps.fold((i64::MAX, i64::MIN), |(l, h), s| (l.min(s), h.max(s)));
    (from < to).then_some((from, to))
}

/// The index of the placed point nearest to `x`.
pub fn nearest_placed(points: &[(f64, i64, Option<f64>)], x: f64) -> Option<usize> {
    points
        .iter()
        .enumerate()
        .min_by(|a, b| (a.1 .0 - x).abs().total_cmp(&(b.1 .0 - x).abs()))
        .map(|(index, _)| index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::SeriesPoints;

    fn times(name: &str, steps: Vec<i64>, times: Vec<f64>) -> SeriesTimes {
        SeriesTimes {
            name: name.into(),
            steps,
            times,
        }
    }

    #[test]
    fn a_step_takes_the_time_of_the_greatest_kept_step_at_or_before_it() {
        let clocks = experiment_clocks(None, vec![times("loss", vec![2, 10], vec![100.0, 160.5])]);
        let clock = &clocks["loss"];
        assert_eq!(clock.time_at(1), None, "before the first kept time");
        assert_eq!(clock.time_at(2), Some(100.0));
        assert_eq!(clock.time_at(9), Some(100.0));
        assert_eq!(clock.time_at(10), Some(160.5));
        assert_eq!(clock.time_at(99), Some(160.5));
        assert_eq!(clock.x_at(12, XAxis::Relative), Some(60.5));
        assert_eq!(clock.x_at(12, XAxis::Step), Some(12.0));
    }

    #[test]
    fn compared_series_are_named_as_the_chart_names_them_with_one_origin_per_experiment() {
        let clocks = experiment_clocks(
            Some("run-1"),
            vec![
                times("train", vec![0], vec![50.0]),
                times("val", vec![0], vec![40.0]),
            ],
        );
        assert_eq!(clocks["run-1 · train"].x_at(0, XAxis::Relative), Some(10.0));
        assert_eq!(clocks["run-1 · val"].x_at(0, XAxis::Relative), Some(0.0));
        let single = experiment_clocks(Some("run-2"), vec![times("loss", vec![0], vec![1.0])]);
        assert!(single.contains_key("run-2"));
    }

    #[test]
    fn points_without_a_time_are_left_out_and_a_time_range_maps_back_to_steps() {
        let points = LinePoints {
            experiment_id: 1,
            log_name: "loss".into(),
            from: Some(0),
            to: Some(30),
            width: 100,
            series: vec![SeriesPoints {
                name: "loss".into(),
                steps: vec![0, 10, 20, 30],
                values: vec![Some(1.0), Some(2.0), None, Some(4.0)],
                reduced: false,
                points_in_range: 4,
            }],
        };
        let clocks = experiment_clocks(None, vec![times("loss", vec![10, 30], vec![5.0, 9.0])]);
        let placed = placed(&points, &clocks, XAxis::WallTime);
        assert_eq!(
            placed[0],
            vec![(5.0, 10, Some(2.0)), (5.0, 20, None), (9.0, 30, Some(4.0))]
        );
        assert_eq!(steps_between(&placed, 4.0, 9.5), Some((10, 30)));
        assert_eq!(
            steps_between(&placed, 8.0, 9.5),
            None,
            "one step is no range"
        );
        assert_eq!(nearest_placed(&placed[0], 8.0), Some(2));
        assert!(placed_on_steps_keeps_every_point(&points));
    }

    fn placed_on_steps_keeps_every_point(points: &LinePoints) -> bool {
        placed(points, &Clocks::new(), XAxis::Step)[0].len() == points.series[0].steps.len()
    }
}
