//! The checkpoints table (seed 003's metrics per weights hash): one row per checkpoint,
//! a column per metric, sortable by any metric so the best checkpoint is found.

use super::scalar_text;
use crate::api::ApiClient;
use crate::format;
use leptos::prelude::*;
use trackboard_api::{Checkpoint, Scalar};

/// Every metric name of the checkpoints, in order.
pub fn metric_names(checkpoints: &[Checkpoint]) -> Vec<String> {
    let mut names: Vec<String> = checkpoints
        .iter()
        .flat_map(|checkpoint| checkpoint.metrics.keys().cloned())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The checkpoints ordered by `metric` (numbers by value, then text; a checkpoint
/// without it last), highest first when `descending`; ties keep their recorded order.
pub fn sorted_by(
    mut checkpoints: Vec<Checkpoint>,
    metric: &str,
    descending: bool,
) -> Vec<Checkpoint> {
    fn rank(value: Option<&Scalar>) -> (u8, f64, String) {
        match value {
            Some(Scalar::Number(number)) => (0, number.as_f64().unwrap_or(f64::NAN), String::new()),
            Some(other) => (1, 0.0, scalar_text(other)),
            None => (2, 0.0, String::new()),
        }
    }
    checkpoints.sort_by(|a, b| {
        let (ka, kb) = (rank(a.metrics.get(metric)), rank(b.metrics.get(metric)));
        if ka.0 != kb.0 {
            return ka.0.cmp(&kb.0); // missing values stay last either way
        }
        let order = ka.1.total_cmp(&kb.1).then_with(|| ka.2.cmp(&kb.2));
        if descending {
            order.reverse()
        } else {
            order
        }
    });
    checkpoints
}

/// The table, when the experiment has recorded metrics against checkpoints.
#[component]
pub fn CheckpointTable(experiment_id: i64) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let checkpoints = LocalResource::new(move || {
        let client = client.clone();
        async move { client.list_checkpoints(experiment_id).await }
    });
    let sort = RwSignal::new(None::<(String, bool)>);
    move || match checkpoints.get() {
        None => ().into_any(),
        Some(Err(error)) => {
            view! { <p class="field-error" role="alert">{error.to_string()}</p> }.into_any()
        }
        Some(Ok(found)) if found.is_empty() => ().into_any(),
        Some(Ok(found)) => {
            let names = metric_names(&found);
            let rows = move || match sort.get() {
                Some((metric, descending)) => sorted_by(found.clone(), &metric, descending),
                None => found.clone(),
            };
            let header_names = names.clone();
            view! {
                <h2 class="section-title">"Checkpoints"</h2>
                <table class="data-table checkpoint-table">
                    <thead><tr>
                        <th scope="col">"Checkpoint"</th>
                        {header_names.into_iter().map(|name| {
                            let label = name.clone();
                            let by = name.clone();
                            let arrow = move || match sort.get() {
                                Some((metric, true)) if metric == name => " ↓",
                                Some((metric, false)) if metric == name => " ↑",
                                _ => "",
                            };
                            view! {
                                <th scope="col"><button type="button" class="link-button" title="Sort by this metric"
                                    on:click=move |_| {
                                        let descending = !matches!(sort.get_untracked(), Some((ref m, true)) if *m == by);
                                        sort.set(Some((by.clone(), descending)));
                                    }>{label}{arrow}</button></th>
                            }
                        }).collect_view()}
                        <th scope="col">"Recorded"</th>
                    </tr></thead>
                    <tbody>
                        {move || rows().into_iter().map(|checkpoint| {
                            let short: String = checkpoint.weights_hash.chars().take(12).collect();
                            let label = checkpoint.artifact.clone().unwrap_or_else(|| short.clone());
                            let cells = names.iter().map(|name| {
                                checkpoint.metrics.get(name).map(scalar_text).unwrap_or_default()
                            }).collect::<Vec<_>>();
                            view! {
                                <tr>
                                    <th scope="row" title=checkpoint.weights_hash.clone()>{label}</th>
                                    {cells.into_iter().map(|cell| view! { <td class="number">{cell}</td> }).collect_view()}
                                    <td class="timestamp">{format::timestamp(&checkpoint.recorded_at)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn checkpoint(hash: &str, metrics: &[(&str, Scalar)]) -> Checkpoint {
        Checkpoint {
            weights_hash: hash.into(),
            artifact: None,
            metrics: metrics
                .iter()
                .map(|(name, value)| ((*name).to_owned(), value.clone()))
                .collect::<BTreeMap<_, _>>(),
            recorded_at: String::new(),
        }
    }

    fn number(value: f64) -> Scalar {
        Scalar::Number(serde_json::Number::from_f64(value).expect("finite"))
    }

    #[test]
    fn checkpoints_sort_by_a_metric_with_missing_values_last() {
        let all = vec![
            checkpoint("a", &[("map", number(0.5))]),
            checkpoint("b", &[("loss", number(1.0))]),
            checkpoint("c", &[("map", number(0.75))]),
            checkpoint("d", &[("map", number(0.25))]),
        ];
        let hashes =
            |list: Vec<Checkpoint>| list.into_iter().map(|c| c.weights_hash).collect::<Vec<_>>();
        assert_eq!(
            hashes(sorted_by(all.clone(), "map", true)),
            ["c", "a", "d", "b"]
        );
        assert_eq!(
            hashes(sorted_by(all.clone(), "map", false)),
            ["d", "a", "c", "b"]
        );
        assert_eq!(metric_names(&all), ["loss", "map"]);
    }
}
