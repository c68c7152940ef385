//! What a grouped chart draws from the server's bands: each (group, series) a band
//! around its mean or median, spanning min–max or ±1 std, and the members' own lines
//! in their band's colour when asked for.

use crate::charts::{Band, MemberLine};
use std::collections::{BTreeSet, HashMap};
use trackboard_api::{ExperimentValues, LineComparison, LineGroup, LineGroups};

/// The group's line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Centre {
    Mean,
    Median,
}

/// The group's band.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spread {
    MinMax,
    Std,
}

/// The fields a chart can group by: every parameter any run has, sorted.
pub fn group_fields(values: &[ExperimentValues]) -> Vec<String> {
    let keys: BTreeSet<&String> = values
        .iter()
        .flat_map(|run| run.parameters.keys())
        .collect();
    keys.into_iter()
        .map(|key| format!("params.{key}"))
        .collect()
}

/// A group's name in the legend: `params.lr = 0.01 · train (4 runs)`.
pub fn band_label(group_by: &str, group: &LineGroup) -> String {
    let value = group.key.as_deref().unwrap_or("(none)");
    let runs = group.experiment_ids.len();
    let plural = if runs == 1 { "run" } else { "runs" };
    format!("{group_by} = {value} · {} ({runs} {plural})", group.series)
}

/// The bands of `groups`, each its own colour, at each column's middle step.
pub fn bands_of(groups: &LineGroups, centre: Centre, spread: Spread) -> Vec<Band> {
    groups
        .groups
        .iter()
        .enumerate()
        .map(|(colour, group)| {
            let steps = group
                .first_step
                .iter()
                .zip(&group.last_step)
                .map(|(first, last)| (*first as f64 + *last as f64) / 2.0)
                .collect();
            let centre_line = match centre {
                Centre::Mean => group.mean.clone(),
                Centre::Median => group.median.clone(),
            };
            let (low, high) = match spread {
                Spread::MinMax => (group.min.clone(), group.max.clone()),
                Spread::Std => group
                    .mean
                    .iter()
                    .zip(&group.std)
                    .map(|(mean, std)| (mean - std, mean + std))
                    .unzip(),
            };
            Band {
                label: band_label(&groups.group_by, group),
                colour,
                steps,
                centre: centre_line,
                low,
                high,
            }
        })
        .collect()
}

/// The members' runs to fetch: each group's, up to `most` in all.
pub fn member_ids(groups: &LineGroups, most: usize) -> Vec<i64> {
    let mut ids: Vec<i64> = groups
        .groups
        .iter()
        .flat_map(|group| group.experiment_ids.iter().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.truncate(most);
    ids
}

/// Each member's series as a thin line in its band's colour (gaps left out).
pub fn member_lines(groups: &LineGroups, members: &LineComparison) -> Vec<MemberLine> {
    let mut band_of: HashMap<(i64, &str), usize> = HashMap::new();
    for (index, group) in groups.groups.iter().enumerate() {
        for id in &group.experiment_ids {
            band_of.insert((*id, group.series.as_str()), index);
        }
    }
    let mut lines = Vec::new();
    for run in &members.experiments {
        for series in &run.series {
            let Some(&colour) = band_of.get(&(run.experiment_id, series.name.as_str())) else {
                continue;
            };
            let points = series
                .steps
                .iter()
                .zip(&series.values)
                .filter_map(|(step, value)| value.map(|v| (*step as f64, v)))
                .collect();
            lines.push(MemberLine { colour, points });
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::{ComparedLine, SeriesPoints};

    fn groups() -> LineGroups {
        LineGroups {
            log_name: "loss".into(),
            line_logs: vec!["loss".into()],
            group_by: "params.lr".into(),
            from: Some(0),
            to: Some(9),
            width: 2,
            runs: 3,
            groups: vec![
                LineGroup {
                    key: Some("0.01".into()),
                    series: "train".into(),
                    experiment_ids: vec![3, 1],
                    first_step: vec![0, 5],
                    last_step: vec![4, 9],
                    members: vec![2, 2],
                    mean: vec![2.0, 1.0],
                    median: vec![2.5, 1.5],
                    std: vec![0.5, 0.25],
                    min: vec![1.0, 0.5],
                    max: vec![4.0, 2.0],
                },
                LineGroup {
                    key: None,
                    series: "train".into(),
                    experiment_ids: vec![2],
                    ..LineGroup::default()
                },
            ],
        }
    }

    #[test]
    fn bands_take_the_chosen_centre_and_spread() {
        let bands = bands_of(&groups(), Centre::Median, Spread::MinMax);
        assert_eq!(bands[0].steps, [2.0, 7.0]);
        assert_eq!(bands[0].centre, [2.5, 1.5]);
        assert_eq!(
            (bands[0].low.clone(), bands[0].high.clone()),
            (vec![1.0, 0.5], vec![4.0, 2.0])
        );
        assert_eq!(bands[0].label, "params.lr = 0.01 · train (2 runs)");
        assert_eq!(bands[1].label, "params.lr = (none) · train (1 run)");
        let bands = bands_of(&groups(), Centre::Mean, Spread::Std);
        assert_eq!(bands[0].centre, [2.0, 1.0]);
        assert_eq!(bands[0].low, [1.5, 0.75]);
        assert_eq!(bands[0].high, [2.5, 1.25]);
        assert_eq!(bands[1].colour, 1);
    }

    #[test]
    fn members_take_their_bands_colour() {
        let comparison = LineComparison {
            log_name: "loss".into(),
            from: Some(0),
            to: Some(9),
            width: 2,
            experiments: vec![
                ComparedLine {
                    experiment_id: 2,
                    series: vec![SeriesPoints {
                        name: "train".into(),
                        steps: vec![0, 1, 2],
                        values: vec![Some(1.0), None, Some(3.0)],
                        ..SeriesPoints::default()
                    }],
                },
                ComparedLine {
                    experiment_id: 3,
                    series: vec![SeriesPoints {
                        name: "other".into(),
                        ..SeriesPoints::default()
                    }],
                },
            ],
        };
        let lines = member_lines(&groups(), &comparison);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].colour, 1);
        assert_eq!(lines[0].points, [(0.0, 1.0), (2.0, 3.0)]);
        assert_eq!(member_ids(&groups(), 2), [1, 2]);
    }
}
