//! A running experiment's chart grows without reading its whole range again: every few
//! seconds it asks only for the steps after the last one it has, and appends them.
//! When the tail is too long to append (the server reduced it, or the chart would hold
//! far more points than pixels), the chart reloads its range instead, reduced again.

use std::time::Duration;
use trackboard_api::LinePoints;

/// How often a live chart asks for new points.
pub const LIVE_EVERY: Duration = Duration::from_secs(5);
/// A chart holding more than this many points per device pixel of one series reloads.
const MAX_POINTS_PER_PIXEL: usize = 8;

/// What a tail does to the chart's points.
#[derive(Clone, Debug, PartialEq)]
pub enum Tail {
    /// Nothing new.
    Unchanged,
    /// The points with the tail appended.
    Appended(LinePoints),
    /// Read the whole range again.
    Reload,
}

/// The last step of any series, if there is one.
fn last_step(points: &LinePoints) -> Option<i64> {
    points
        .series
        .iter()
        .filter_map(|series| series.steps.last().copied())
        .max()
}

/// The steps to ask for: everything after the last one drawn.
pub fn tail_range(points: &LinePoints) -> Option<(i64, i64)> {
    let after = last_step(points)?.checked_add(1)?;
    Some((after, i64::MAX))
}

/// `have` with the points of `tail` after each series' last step appended (series new in
/// the tail added), for a chart `width` device pixels wide.
pub fn with_tail(have: &LinePoints, tail: &LinePoints, width: u32) -> Tail {
    if tail.series.iter().all(|series| series.steps.is_empty()) {
        return Tail::Unchanged;
    }
    if tail.series.iter().any(|series| series.reduced) {
        return Tail::Reload;
    }
    let mut merged = have.clone();
    for new in &tail.series {
        let index = match merged.series.iter().position(|s| s.name == new.name) {
            Some(index) => index,
            None => {
                let mut empty = new.clone();
                empty.steps.clear();
                empty.values.clear();
                empty.points_in_range = 0;
                merged.series.push(empty);
                merged.series.len() - 1
            }
        };
        let series = &mut merged.series[index];
        let after = series.steps.last().copied();
        for (step, value) in new.steps.iter().zip(&new.values) {
            if after.is_none_or(|last| *step > last) {
                series.steps.push(*step);
                series.values.push(*value);
                series.points_in_range += 1;
            }
        }
    }
    let limit = MAX_POINTS_PER_PIXEL * width as usize;
    if merged
        .series
        .iter()
        .any(|series| series.steps.len() > limit)
    {
        return Tail::Reload;
    }
    merged.to = last_step(&merged).max(have.to);
    merged.from = have.from.or(merged
        .series
        .iter()
        .filter_map(|s| s.steps.first().copied())
        .min());
    Tail::Appended(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::SeriesPoints;

    fn series(name: &str, steps: &[i64], reduced: bool) -> SeriesPoints {
        SeriesPoints {
            name: name.into(),
            steps: steps.to_vec(),
            values: steps.iter().map(|s| Some(*s as f64 / 2.0)).collect(),
            reduced,
            points_in_range: steps.len() as u64,
        }
    }

    fn points(series: Vec<SeriesPoints>) -> LinePoints {
        let to = series.iter().filter_map(|s| s.steps.last().copied()).max();
        LinePoints {
            experiment_id: 1,
            log_name: "loss".into(),
            from: Some(0),
            to,
            width: 100,
            series,
        }
    }

    #[test]
    fn a_tail_is_appended_after_each_series_last_step() {
        let have = points(vec![
            series("train", &[0, 1, 2], false),
            series("val", &[0], false),
        ]);
        assert_eq!(tail_range(&have), Some((3, i64::MAX)));
        let tail = points(vec![
            series("train", &[2, 3, 4], false),
            series("val", &[3], false),
            series("test", &[4], false),
        ]);
        let Tail::Appended(merged) = with_tail(&have, &tail, 100) else {
            panic!("appended");
        };
        assert_eq!(
            merged.series[0].steps,
            [0, 1, 2, 3, 4],
            "step 2 is not doubled"
        );
        assert_eq!(merged.series[0].values.last(), Some(&Some(2.0)));
        assert_eq!(merged.series[0].points_in_range, 5);
        assert_eq!(merged.series[1].steps, [0, 3]);
        assert_eq!(merged.series[2].steps, [4], "a new series joins");
        assert_eq!((merged.from, merged.to), (Some(0), Some(4)));
    }

    #[test]
    fn nothing_new_changes_nothing_and_long_or_reduced_tails_reload() {
        let have = points(vec![series("train", &[0, 1], false)]);
        assert_eq!(
            with_tail(&have, &points(vec![series("train", &[], false)]), 100),
            Tail::Unchanged
        );
        assert_eq!(with_tail(&have, &points(vec![]), 100), Tail::Unchanged);
        let reduced = points(vec![series("train", &[5, 9], true)]);
        assert_eq!(with_tail(&have, &reduced, 100), Tail::Reload);
        let long: Vec<i64> = (2..=8 * 10 + 5).collect();
        assert_eq!(
            with_tail(&have, &points(vec![series("train", &long, false)]), 10),
            Tail::Reload
        );
        assert!(matches!(
            with_tail(&have, &points(vec![series("train", &long, false)]), 100),
            Tail::Appended(_)
        ));
    }

    #[test]
    fn a_chart_at_the_last_step_there_is_asks_for_nothing() {
        let end = points(vec![series("train", &[i64::MAX], false)]);
        assert_eq!(tail_range(&end), None);
        assert_eq!(tail_range(&points(vec![])), None);
    }
}
