//! Where a line chart's points come from: one experiment's LINE log, or the same log
//! across experiments on one shared step grid (the compare view).

use super::points_batch::batched_comparison;
use crate::api::ApiClient;
use crate::error::AppError;
use std::collections::HashMap;
use trackboard_api::{LineComparison, LinePoints};

/// What a line chart draws.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PointsSource {
    /// One experiment's LINE log.
    Experiment { id: i64, log: String },
    /// One LINE log across experiments; `names` labels them.
    Comparison {
        ids: Vec<i64>,
        log: String,
        names: HashMap<i64, String>,
    },
}

impl PointsSource {
    /// The log's name.
    pub fn log_name(&self) -> &str {
        match self {
            PointsSource::Experiment { log, .. } | PointsSource::Comparison { log, .. } => log,
        }
    }

    /// The experiments drawn, each with its label, for the full-resolution CSV.
    pub fn experiments(&self) -> Vec<(i64, String)> {
        match self {
            PointsSource::Experiment { id, .. } => vec![(*id, String::new())],
            PointsSource::Comparison { ids, names, .. } => ids
                .iter()
                .map(|id| {
                    let label = names.get(id).cloned();
                    (*id, label.unwrap_or_else(|| format!("experiment {id}")))
                })
                .collect(),
        }
    }

    /// The points of `range` (all when `None`) reduced for `width` device pixels.
    pub async fn fetch(
        &self,
        client: &ApiClient,
        range: Option<(i64, i64)>,
        width: u32,
    ) -> Result<LinePoints, AppError> {
        // Through the batch, so a page's charts share one request.
        match self {
            PointsSource::Experiment { id, log } => {
                let comparison = batched_comparison(client, &[*id], log, range, width).await?;
                Ok(experiment_points(*id, comparison))
            }
            PointsSource::Comparison { ids, log, names } => {
                let comparison = batched_comparison(client, ids, log, range, width).await?;
                Ok(flatten_comparison(comparison, names))
            }
        }
    }
}

/// One experiment's comparison as its points: the same series under their own names
/// (the server reduces a one-experiment comparison exactly as its points).
fn experiment_points(experiment_id: i64, comparison: LineComparison) -> LinePoints {
    LinePoints {
        experiment_id,
        log_name: comparison.log_name,
        from: comparison.from,
        to: comparison.to,
        width: comparison.width,
        series: comparison
            .experiments
            .into_iter()
            .flat_map(|experiment| experiment.series)
            .collect(),
    }
}

/// How a compared series is named in the chart: its experiment's label, followed by
/// the series' own name when the experiment's log has several.
pub fn shown_name(label: &str, single: bool, series: &str) -> String {
    if single {
        label.to_owned()
    } else {
        format!("{label} · {series}")
    }
}

/// A comparison as one chart's series: `experiment name · series name` (just the
/// experiment's name when its log has one series), experiments in the order asked.
pub fn flatten_comparison(comparison: LineComparison, names: &HashMap<i64, String>) -> LinePoints {
    let mut series = Vec::new();
    for experiment in comparison.experiments {
        let label = names
            .get(&experiment.experiment_id)
            .cloned()
            .unwrap_or_else(|| format!("experiment {}", experiment.experiment_id));
        let single = experiment.series.len() == 1;
        for mut points in experiment.series {
            points.name = shown_name(&label, single, &points.name);
            series.push(points);
        }
    }
    LinePoints {
        experiment_id: 0,
        log_name: comparison.log_name,
        from: comparison.from,
        to: comparison.to,
        width: comparison.width,
        series,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::{ComparedLine, SeriesPoints};

    fn series(name: &str) -> SeriesPoints {
        SeriesPoints {
            name: name.into(),
            steps: vec![0],
            values: vec![Some(1.0)],
            reduced: false,
            points_in_range: 1,
        }
    }

    #[test]
    fn comparisons_flatten_with_experiment_names() {
        let comparison = LineComparison {
            log_name: "loss".into(),
            from: Some(0),
            to: Some(10),
            width: 100,
            experiments: vec![
                ComparedLine {
                    experiment_id: 1,
                    series: vec![series("train"), series("validation")],
                },
                ComparedLine {
                    experiment_id: 2,
                    series: vec![series("loss")],
                },
                ComparedLine {
                    experiment_id: 3,
                    series: vec![],
                },
            ],
        };
        let names = HashMap::from([(1, "baseline".to_owned()), (2, "bigger".to_owned())]);
        let flat = flatten_comparison(comparison, &names);
        let labels: Vec<&str> = flat.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            labels,
            ["baseline · train", "baseline · validation", "bigger"]
        );
        assert_eq!((flat.from, flat.to), (Some(0), Some(10)));
    }
}
