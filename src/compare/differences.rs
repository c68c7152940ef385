//! The side-by-side table of VALUE logs and parameters, and its "only differences" filter.

/// One row: a name and each experiment's value (`None` where it has none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComparedRow {
    pub name: String,
    pub values: Vec<Option<String>>,
}

impl ComparedRow {
    /// Whether the experiments disagree (a missing value counts as different).
    pub fn differs(&self) -> bool {
        self.values.windows(2).any(|pair| pair[0] != pair[1])
    }
}

/// Rows for every name any experiment has, sorted by name; each experiment's values are
/// given as `(name, value)` lists in the experiments' order.
pub fn compared_rows(per_experiment: &[Vec<(String, String)>]) -> Vec<ComparedRow> {
    let mut names: Vec<&String> = per_experiment
        .iter()
        .flatten()
        .map(|(name, _)| name)
        .collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|name| ComparedRow {
            name: name.clone(),
            values: per_experiment
                .iter()
                .map(|values| {
                    values
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| v.clone())
                })
                .collect(),
        })
        .collect()
}

/// The rows to show: all, or only those that differ.
pub fn visible_rows(rows: Vec<ComparedRow>, only_differences: bool) -> Vec<ComparedRow> {
    rows.into_iter()
        .filter(|row| !only_differences || row.differs())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn rows_cover_every_name_and_mark_what_is_missing() {
        let rows = compared_rows(&[
            pairs(&[("lr", "0.01"), ("epochs", "30")]),
            pairs(&[("lr", "0.005")]),
        ]);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0],
            ComparedRow {
                name: "epochs".into(),
                values: vec![Some("30".into()), None]
            }
        );
        assert_eq!(
            rows[1].values,
            vec![Some("0.01".into()), Some("0.005".into())]
        );
    }

    #[test]
    fn only_differences_hides_agreeing_rows() {
        let rows = compared_rows(&[
            pairs(&[("batch", "32"), ("lr", "0.01")]),
            pairs(&[("batch", "32"), ("lr", "0.02")]),
        ]);
        let shown = visible_rows(rows.clone(), true);
        assert_eq!(
            shown.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["lr"]
        );
        assert_eq!(visible_rows(rows, false).len(), 2);
        assert!(!ComparedRow {
            name: "x".into(),
            values: vec![Some("1".into())]
        }
        .differs());
    }
}
