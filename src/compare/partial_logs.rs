//! The logs some compared experiments lack, named with who lacks them, so nothing is
//! left out of the view without a word.

use leptos::prelude::*;
use trackboard_api::{Experiment, Log};

/// The "Not in every experiment" list (nothing when every log is everywhere).
#[component]
pub fn PartialLogs(partial: Vec<(String, Vec<String>)>) -> impl IntoView {
    (!partial.is_empty()).then(|| {
        view! {
            <section class="partial-logs" aria-labelledby="partial-logs-title">
                <h2 class="section-title" id="partial-logs-title">"Not in every experiment"</h2>
                <ul>
                    {partial.into_iter().map(|(name, missing)| view! {
                        <li><strong>{name}</strong>" — missing in "{missing.join(", ")}</li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// Logs that some compared experiments lack: each name (by first appearance) with the
/// experiments that do not have it, so nothing is hidden without a word.
pub fn partial_logs(loaded: &[(Experiment, Vec<Log>)]) -> Vec<(String, Vec<String>)> {
    let mut names: Vec<&str> = Vec::new();
    for (_, logs) in loaded {
        for log in logs {
            if !names.contains(&log.name.as_str()) {
                names.push(&log.name);
            }
        }
    }
    names
        .into_iter()
        .filter_map(|name| {
            let missing: Vec<String> = loaded
                .iter()
                .filter(|(_, logs)| !logs.iter().any(|log| log.name == name))
                .map(|(experiment, _)| experiment.name.clone())
                .collect();
            (!missing.is_empty()).then(|| (name.to_owned(), missing))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::{ExperimentStatus, JobStatus, LogContent, Scalar};

    fn experiment(id: i64, name: &str) -> Experiment {
        Experiment {
            id,
            project_id: 1,
            name: name.into(),
            description: String::new(),
            status: ExperimentStatus::Running,
            base_experiment_id: None,
            base_model_version_id: None,
            job_status: JobStatus::Pending,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    fn value_log(name: &str) -> Log {
        Log {
            id: 0,
            experiment_id: 0,
            name: name.into(),
            content: LogContent::Value(Scalar::Bool(true)),
            scope: None,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn logs_some_experiments_lack_are_named_with_who_lacks_them() {
        let loaded = vec![
            (experiment(1, "a"), vec![value_log("loss"), value_log("f1")]),
            (experiment(2, "b"), vec![value_log("loss")]),
            (experiment(3, "c"), vec![value_log("iou")]),
        ];
        assert_eq!(
            partial_logs(&loaded),
            vec![
                ("loss".to_owned(), vec!["c".to_owned()]),
                ("f1".to_owned(), vec!["b".to_owned(), "c".to_owned()]),
                ("iou".to_owned(), vec!["a".to_owned(), "b".to_owned()]),
            ]
        );
        let same = vec![
            (experiment(1, "a"), vec![value_log("loss")]),
            (experiment(2, "b"), vec![value_log("loss")]),
        ];
        assert!(partial_logs(&same).is_empty());
    }
}
