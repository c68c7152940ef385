//! Sorting the experiments table by any column, kept in the URL as `sort=` (`name`,
//! `-created`, `value:accuracy`, …). The table holds every experiment of the project, so
//! a sort reorders in the browser without asking the server again.

use super::Cells;
use crate::experiments::scalar_text;
use std::cmp::Ordering;
use std::collections::HashMap;
use trackboard_api::{Experiment, Scalar};

/// A column of the experiments table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SortColumn {
    Name,
    Status,
    Description,
    Base,
    Created,
    Updated,
    /// A VALUE log shown as a column.
    Value(String),
}

impl SortColumn {
    /// The fixed columns, with their URL names.
    const NAMED: [(SortColumn, &'static str); 6] = [
        (SortColumn::Name, "name"),
        (SortColumn::Status, "status"),
        (SortColumn::Description, "description"),
        (SortColumn::Base, "base"),
        (SortColumn::Created, "created"),
        (SortColumn::Updated, "updated"),
    ];

    fn param(&self) -> String {
        match self {
            SortColumn::Value(name) => format!("value:{name}"),
            fixed => Self::NAMED
                .iter()
                .find(|(column, _)| column == fixed)
                .map(|(_, name)| (*name).to_owned())
                .unwrap_or_default(),
        }
    }

    /// Dates read best newest first; text A to Z and values smallest first (a loss
    /// and an accuracy disagree on which end is best, so values take the plain order).
    fn starts_descending(&self) -> bool {
        matches!(self, SortColumn::Created | SortColumn::Updated)
    }
}

/// A column and a direction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableSort {
    pub column: SortColumn,
    pub descending: bool,
}

impl Default for TableSort {
    /// Newest first.
    fn default() -> TableSort {
        TableSort {
            column: SortColumn::Created,
            descending: true,
        }
    }
}

impl TableSort {
    /// The sort a `sort=` value names; `None` for anything else.
    pub fn parse(text: &str) -> Option<TableSort> {
        let (descending, name) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let column = match name.strip_prefix("value:") {
            Some(value) if !value.is_empty() => SortColumn::Value(value.to_owned()),
            Some(_) => return None,
            None => SortColumn::NAMED
                .iter()
                .find(|(_, param)| *param == name)
                .map(|(column, _)| column.clone())?,
        };
        Some(TableSort { column, descending })
    }

    /// The `sort=` value of this sort.
    pub fn to_param(&self) -> String {
        let sign = if self.descending { "-" } else { "" };
        format!("{sign}{}", self.column.param())
    }

    /// The sort after a click on `column`'s header: the other direction of the same
    /// column, or the new column in its natural direction.
    pub fn clicked(&self, column: SortColumn) -> TableSort {
        if self.column == column {
            TableSort {
                column,
                descending: !self.descending,
            }
        } else {
            TableSort {
                descending: column.starts_descending(),
                column,
            }
        }
    }

    /// `aria-sort` of `column`'s header.
    pub fn aria_sort(&self, column: &SortColumn) -> &'static str {
        match (&self.column == column, self.descending) {
            (false, _) => "none",
            (true, true) => "descending",
            (true, false) => "ascending",
        }
    }
}

/// What a sort compares experiments with.
pub struct SortContext<'a> {
    /// Experiment names by id (for the base experiment column).
    pub names: &'a HashMap<i64, String>,
    /// The VALUE logs and parameters of each experiment.
    pub values: &'a Cells,
}

/// Sorts `experiments` by `sort`; ties keep their order (newest first from the server).
/// Experiments without a value (or a base) go last in either direction.
pub fn sort_experiments(experiments: &mut [Experiment], sort: &TableSort, context: &SortContext) {
    let directed = |order: Ordering| {
        if sort.descending {
            order.reverse()
        } else {
            order
        }
    };
    let text = |a: &str, b: &str| a.to_lowercase().cmp(&b.to_lowercase());
    match &sort.column {
        SortColumn::Name => experiments.sort_by(|a, b| directed(text(&a.name, &b.name))),
        SortColumn::Status => {
            experiments.sort_by(|a, b| directed(a.status.as_str().cmp(b.status.as_str())))
        }
        SortColumn::Description => {
            experiments.sort_by(|a, b| directed(text(&a.description, &b.description)))
        }
        SortColumn::Created => {
            experiments.sort_by(|a, b| directed(a.created_at.cmp(&b.created_at)))
        }
        SortColumn::Updated => {
            experiments.sort_by(|a, b| directed(a.updated_at.cmp(&b.updated_at)))
        }
        SortColumn::Base => {
            let base = |e: &Experiment| {
                e.base_experiment_id
                    .map(|id| context.names.get(&id).cloned().unwrap_or_default())
            };
            experiments.sort_by(|a, b| missing_last(base(a), base(b), |x, y| directed(text(x, y))))
        }
        SortColumn::Value(column) => {
            let value = |e: &Experiment| context.values.get(e.id, column);
            experiments.sort_by(|a, b| {
                missing_last(value(a), value(b), |x, y| directed(compare_scalars(x, y)))
            })
        }
    }
}

/// Orders two optional keys with `order`, putting a missing key after a present one.
fn missing_last<T>(a: Option<T>, b: Option<T>, order: impl Fn(&T, &T) -> Ordering) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => order(&x, &y),
    }
}

/// Numbers numerically, anything else by its text.
fn compare_scalars(a: &Scalar, b: &Scalar) -> Ordering {
    match (a, b) {
        (Scalar::Number(x), Scalar::Number(y)) => x
            .as_f64()
            .unwrap_or(0.0)
            .total_cmp(&y.as_f64().unwrap_or(0.0)),
        _ => scalar_text(a).cmp(&scalar_text(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn experiment(id: i64, name: &str, created: &str) -> Experiment {
        Experiment {
            id,
            project_id: 1,
            name: name.to_owned(),
            description: String::new(),
            status: trackboard_api::ExperimentStatus::Success,
            base_experiment_id: None,
            base_model_version_id: None,
            job_status: trackboard_api::JobStatus::Success,
            created_at: created.to_owned(),
            updated_at: created.to_owned(),
        }
    }

    fn number(value: f64) -> Scalar {
        Scalar::Number(serde_json::Number::from_f64(value).expect("finite"))
    }

    fn ids(experiments: &[Experiment]) -> Vec<i64> {
        experiments.iter().map(|e| e.id).collect()
    }

    #[test]
    fn sorts_round_trip_through_the_url() {
        for text in ["name", "-created", "value:mAP@0.5", "-value:a:b", "base"] {
            assert_eq!(TableSort::parse(text).expect(text).to_param(), text);
        }
        for text in ["", "-", "colour", "value:", "-value:"] {
            assert_eq!(TableSort::parse(text), None, "{text:?}");
        }
        assert_eq!(TableSort::default().to_param(), "-created");
    }

    #[test]
    fn a_click_flips_the_same_column_and_starts_a_new_one_naturally() {
        let by_name = TableSort::default().clicked(SortColumn::Name);
        assert_eq!(by_name.to_param(), "name");
        assert_eq!(by_name.clicked(SortColumn::Name).to_param(), "-name");
        let by_value = by_name.clicked(SortColumn::Value("acc".into()));
        assert_eq!(by_value.to_param(), "value:acc");
        assert_eq!(
            by_value.aria_sort(&SortColumn::Value("acc".into())),
            "ascending"
        );
        assert_eq!(by_value.clicked(SortColumn::Updated).to_param(), "-updated");
        assert_eq!(by_value.aria_sort(&SortColumn::Name), "none");
    }

    #[test]
    fn values_sort_numerically_and_missing_ones_go_last_both_ways() {
        let mut experiments = vec![
            experiment(1, "a", "1"),
            experiment(2, "b", "2"),
            experiment(3, "c", "3"),
        ];
        let values = Cells::new(std::sync::Arc::new(
            [(1, 9.0), (2, 10.0)]
                .map(|(id, acc)| trackboard_api::ExperimentValues {
                    experiment_id: id,
                    values: [("acc".to_owned(), number(acc))].into(),
                    parameters: Default::default(),
                })
                .to_vec(),
        ));
        let names = HashMap::new();
        let context = SortContext {
            names: &names,
            values: &values,
        };
        let mut sort = TableSort {
            column: SortColumn::Value("acc".into()),
            descending: false,
        };
        sort_experiments(&mut experiments, &sort, &context);
        assert_eq!(ids(&experiments), [1, 2, 3]);
        sort.descending = true;
        sort_experiments(&mut experiments, &sort, &context);
        assert_eq!(ids(&experiments), [2, 1, 3]);
    }

    #[test]
    fn names_ignore_case_and_bases_sort_by_their_name() {
        let mut experiments = vec![
            experiment(1, "beta", "1"),
            experiment(2, "Alpha", "2"),
            experiment(3, "gamma", "3"),
        ];
        experiments[0].base_experiment_id = Some(3);
        experiments[2].base_experiment_id = Some(2);
        let names = HashMap::from([(2, "Alpha".to_owned()), (3, "gamma".to_owned())]);
        let values = Cells::default();
        let context = SortContext {
            names: &names,
            values: &values,
        };
        sort_experiments(
            &mut experiments,
            &TableSort::parse("name").expect("name"),
            &context,
        );
        assert_eq!(ids(&experiments), [2, 1, 3]);
        sort_experiments(
            &mut experiments,
            &TableSort::parse("-base").expect("base"),
            &context,
        );
        assert_eq!(ids(&experiments), [1, 3, 2], "gamma, Alpha, then no base");
        sort_experiments(
            &mut experiments,
            &TableSort::parse("-created").expect("created"),
            &context,
        );
        assert_eq!(ids(&experiments), [3, 2, 1]);
    }
}
