//! The experiments table's cells, read in place from the project's values: a column is
//! a VALUE log's name, or a parameter's name after [`PARAMETER_PREFIX`].

use super::experiment_table::PARAMETER_PREFIX;
use super::SweepValues;
use std::collections::HashMap;
use std::sync::Arc;
use trackboard_api::Scalar;

/// Each experiment's cells by column. Built once per load and cloned cheaply: copying
/// every run's values into per-column maps cost a 10,000-run sweep ~300,000 strings.
#[derive(Clone, Default)]
pub struct Cells {
    values: SweepValues,
    /// Where each experiment's values sit in `values`.
    by_id: Arc<HashMap<i64, usize>>,
}

impl Cells {
    pub fn new(values: SweepValues) -> Cells {
        let by_id = values
            .iter()
            .enumerate()
            .map(|(index, run)| (run.experiment_id, index))
            .collect();
        Cells {
            values,
            by_id: Arc::new(by_id),
        }
    }

    /// Experiment `id`'s value in `column`. A parameter's column holds the parameter,
    /// even when a VALUE log has that name too.
    pub fn get(&self, id: i64, column: &str) -> Option<&Scalar> {
        let run = &self.values[*self.by_id.get(&id)?];
        let parameter = column
            .strip_prefix(PARAMETER_PREFIX)
            .and_then(|name| run.parameters.get(name));
        parameter.or_else(|| run.values.get(column))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::ExperimentValues;

    #[test]
    fn columns_read_values_and_parameters_by_their_prefix() {
        let number = |n: i64| Scalar::Number(n.into());
        let cells = Cells::new(Arc::new(vec![ExperimentValues {
            experiment_id: 7,
            values: [
                ("a".to_owned(), number(1)),
                ("parameters.b".to_owned(), number(2)),
            ]
            .into(),
            parameters: [("a".to_owned(), number(3)), ("b".to_owned(), number(4))].into(),
        }]));
        assert_eq!(cells.get(7, "a"), Some(&number(1)), "the VALUE log a");
        assert_eq!(cells.get(7, "parameters.a"), Some(&number(3)));
        assert_eq!(
            cells.get(7, "parameters.b"),
            Some(&number(4)),
            "the parameter wins"
        );
        assert_eq!(cells.get(7, "c"), None);
        assert_eq!(cells.get(8, "a"), None, "no such experiment");
    }
}
