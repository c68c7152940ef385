//! Bars by category, one bar per series in each: a BAR log alone (one series), or the
//! same BAR log of several experiments grouped by category for a comparison. Pure, so
//! tested natively; [`super::draw_bar`] paints it.

use super::export::csv_field;
use crate::format;
use trackboard_api::BarData;

/// Categories and, per series, a value for each (`None`: that series lacks it).
#[derive(Clone, Debug, PartialEq)]
pub struct BarGroups {
    pub labels: Vec<String>,
    /// (series name, one value per label). A single BAR log has one unnamed series.
    pub series: Vec<(String, Vec<Option<f64>>)>,
}

impl BarGroups {
    /// One BAR log.
    pub fn single(data: &BarData) -> BarGroups {
        BarGroups {
            labels: data.x.clone(),
            series: vec![(String::new(), data.y.iter().copied().map(Some).collect())],
        }
    }

    /// The same BAR log of several experiments: every category any of them has, in
    /// order of first appearance, each experiment a series.
    pub fn compare(logs: &[(String, BarData)]) -> BarGroups {
        let mut labels: Vec<String> = Vec::new();
        for (_, data) in logs {
            for label in &data.x {
                if !labels.contains(label) {
                    labels.push(label.clone());
                }
            }
        }
        let series = logs
            .iter()
            .map(|(name, data)| {
                let values = labels
                    .iter()
                    .map(|label| {
                        data.x
                            .iter()
                            .position(|x| x == label)
                            .and_then(|index| data.y.get(index).copied())
                    })
                    .collect();
                (name.clone(), values)
            })
            .collect();
        BarGroups { labels, series }
    }

    fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.series
            .iter()
            .flat_map(|(_, values)| values.iter().flatten().copied())
    }

    /// The value axis: from 0 (or the lowest negative bar) to the highest bar, with 5 %
    /// headroom.
    pub fn range(&self) -> (f64, f64) {
        let low = self.values().fold(0.0, f64::min);
        let high = self.values().fold(0.0, f64::max);
        let span = (high - low).max(f64::MIN_POSITIVE);
        let low = if low < 0.0 { low - span * 0.05 } else { 0.0 };
        let high = if high > 0.0 { high + span * 0.05 } else { 1.0 };
        (low, high)
    }

    /// The bars as CSV: `label,value` for one log; a column per series otherwise (an
    /// empty cell where a series lacks the category). Numbers exactly as logged.
    pub fn csv(&self) -> String {
        let mut csv = String::from("label");
        if self.series.len() == 1 {
            csv.push_str(",value");
        } else {
            for (name, _) in &self.series {
                csv.push(',');
                csv.push_str(&csv_field(name));
            }
        }
        csv.push('\n');
        for (index, label) in self.labels.iter().enumerate() {
            csv.push_str(&csv_field(label));
            for (_, values) in &self.series {
                csv.push(',');
                if let Some(value) = values[index] {
                    csv.push_str(&value.to_string());
                }
            }
            csv.push('\n');
        }
        csv
    }

    /// Every bar in words, for the canvas's accessible name.
    pub fn summary(&self) -> String {
        self.labels
            .iter()
            .enumerate()
            .map(|(index, label)| {
                let values: Vec<String> = self
                    .series
                    .iter()
                    .map(|(name, values)| {
                        let value = values[index].map_or("—".to_owned(), format::value);
                        if name.is_empty() {
                            value
                        } else {
                            format!("{name} {value}")
                        }
                    })
                    .collect();
                format!("{label}: {}", values.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars(x: &[&str], y: &[f64]) -> BarData {
        BarData {
            x: x.iter().map(|s| (*s).to_owned()).collect(),
            y: y.to_vec(),
        }
    }

    #[test]
    fn bars_start_at_zero_with_headroom() {
        assert_eq!(
            BarGroups::single(&bars(&["a", "b"], &[5.0, 10.0])).range(),
            (0.0, 10.5)
        );
        assert_eq!(
            BarGroups::single(&bars(&["a"], &[-4.0])).range(),
            (-4.2, 1.0)
        );
        assert_eq!(BarGroups::single(&bars(&[], &[])).range(), (0.0, 1.0));
    }

    #[test]
    fn a_comparison_groups_every_category_of_every_experiment() {
        let groups = BarGroups::compare(&[
            ("a".into(), bars(&["car", "bus"], &[3.0, 1.0])),
            ("b".into(), bars(&["bus", "bike"], &[2.0, 7.5])),
        ]);
        assert_eq!(groups.labels, ["car", "bus", "bike"]);
        assert_eq!(groups.series[0].1, vec![Some(3.0), Some(1.0), None]);
        assert_eq!(groups.series[1].1, vec![None, Some(2.0), Some(7.5)]);
        assert_eq!(groups.range(), (0.0, 7.5 * 1.05));
        assert_eq!(groups.csv(), "label,a,b\ncar,3,\nbus,1,2\nbike,,7.5\n");
        assert_eq!(
            groups.summary(),
            "car: a 3, b —; bus: a 1, b 2; bike: a —, b 7.5"
        );
    }

    #[test]
    fn one_log_keeps_its_label_value_csv() {
        let groups = BarGroups::single(&bars(&["car", "bus, big"], &[5210.0, 0.5]));
        assert_eq!(groups.csv(), "label,value\ncar,5210\n\"bus, big\",0.5\n");
        assert_eq!(groups.summary(), "car: 5210; bus, big: 0.5");
    }
}
