//! Which comparison a snapshot publishes: a saved view, a project's experiments, or a
//! list of experiments; resolved to ids, a title and the dashboard address to open.

use crate::storage::Storage;
use anyhow::bail;

/// The experiments compared at most (the compare view's own limit).
const MAX_EXPERIMENTS: usize = 500;

/// What to publish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// A saved comparison view, by id: its experiments and its state (logs, range,
    /// smoothing, baseline) as saved.
    View(String),
    /// Every experiment of a project, compared.
    Project(i64),
    /// These experiments, compared, in this order.
    Experiments(Vec<i64>),
}

impl Selection {
    /// The experiment ids, the banner's title and the dashboard path to open.
    pub async fn resolve(&self, storage: &Storage) -> anyhow::Result<(Vec<i64>, String, String)> {
        let (ids, title, path) = match self {
            Selection::View(id) => {
                let Some(view) = storage.get_view(id).await? else {
                    bail!("no saved view with id {id:?}");
                };
                let Some(ids) = compared_ids(&view.path) else {
                    bail!(
                        "saved view {id:?} is not a comparison ({}); snapshots publish comparisons: use --project for a project's experiments",
                        view.path
                    );
                };
                (ids, view.name, view.path)
            }
            Selection::Project(project_id) => {
                let Some(project) = storage.get_project(*project_id).await? else {
                    bail!("no project with id {project_id}");
                };
                let ids: Vec<i64> = storage
                    .all_experiments(*project_id)
                    .await?
                    .iter()
                    .map(|experiment| experiment.id)
                    .collect();
                let title = format!("{} ({} experiments)", project.name, ids.len());
                let path = compare_path(&ids);
                (ids, title, path)
            }
            Selection::Experiments(listed) => {
                // Repeats count once, as in the compare view's address.
                let mut ids: Vec<i64> = Vec::with_capacity(listed.len());
                for &id in listed {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                let title = format!("{} experiments", ids.len());
                let path = compare_path(&ids);
                (ids, title, path)
            }
        };
        if ids.is_empty() {
            bail!("there is no experiment to compare");
        }
        if ids.len() > MAX_EXPERIMENTS {
            bail!(
                "{} experiments: a comparison holds at most {MAX_EXPERIMENTS}",
                ids.len()
            );
        }
        Ok((ids, title, path))
    }
}

/// The compare view's address for `ids`.
fn compare_path(ids: &[i64]) -> String {
    let joined: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("/compare?ids={}", joined.join(","))
}

/// The ids of a `/compare?ids=…` address, each once in order; `None` for another view.
fn compared_ids(path: &str) -> Option<Vec<i64>> {
    let query = path.strip_prefix("/compare?")?;
    let value = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("ids="))?
        .replace("%2C", ",")
        .replace("%2c", ",");
    let mut ids = Vec::new();
    for part in value.split(',') {
        let id: i64 = part.parse().ok()?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Some(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comparison_address_names_its_experiments() {
        assert_eq!(
            compared_ids("/compare?log=loss&ids=3,1,3&baseline=1"),
            Some(vec![3, 1])
        );
        assert_eq!(compared_ids("/compare?ids=4%2C5"), Some(vec![4, 5]));
        assert_eq!(compared_ids("/projects/1?sort=x"), None);
        assert_eq!(compared_ids("/compare?ids=1,x"), None);
        assert_eq!(compared_ids("/compare?log=loss"), None);
        assert_eq!(compare_path(&[2, 7]), "/compare?ids=2,7");
    }
}
