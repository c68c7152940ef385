use crate::experiments::scalar_text;
use crate::experiments::StatusBadge;
use crate::format;
use leptos::prelude::*;
use std::collections::{BTreeMap, HashMap};
use trackboard_api::{Experiment, ExperimentValues, Page, Scalar};

/// How many VALUE logs become columns, at most.
pub const MAX_VALUE_COLUMNS: usize = 8;

/// The VALUE log names to show as columns: the most common first, then by name.
pub fn value_columns(values: &[ExperimentValues]) -> Vec<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for experiment in values {
        for name in experiment.values.keys() {
            *counts.entry(name).or_default() += 1;
        }
    }
    let mut names: Vec<(&str, usize)> = counts.into_iter().collect();
    names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    names
        .into_iter()
        .take(MAX_VALUE_COLUMNS)
        .map(|(name, _)| name.to_owned())
        .collect()
}

/// Sorts experiments by one VALUE log: numbers numerically, text alphabetically,
/// experiments without the value last whatever the direction.
pub fn sort_by_value(
    experiments: &mut [Experiment],
    values: &HashMap<i64, BTreeMap<String, Scalar>>,
    column: &str,
    descending: bool,
) {
    let key = |experiment: &Experiment| {
        values
            .get(&experiment.id)
            .and_then(|v| v.get(column))
            .cloned()
    };
    experiments.sort_by(|a, b| match (key(a), key(b)) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (Some(_), None) => std::cmp::Ordering::Less,
        (Some(x), Some(y)) => {
            let order = match (&x, &y) {
                (Scalar::Number(x), Scalar::Number(y)) => x
                    .as_f64()
                    .unwrap_or(0.0)
                    .total_cmp(&y.as_f64().unwrap_or(0.0)),
                _ => scalar_text(&x).cmp(&scalar_text(&y)),
            };
            if descending {
                order.reverse()
            } else {
                order
            }
        }
    });
}

/// The experiments of `page` whose status is `status` (all when empty).
pub fn with_status(page: &Page<Experiment>, status: &str) -> Vec<Experiment> {
    page.items
        .iter()
        .filter(|experiment| status.is_empty() || experiment.status.as_str() == status)
        .cloned()
        .collect()
}

/// A project's experiments as a table, or an empty state with the curl line that
/// creates the first one.
#[component]
pub fn ExperimentTable(
    project_id: i64,
    page: Page<Experiment>,
    values: Vec<ExperimentValues>,
    status: String,
) -> impl IntoView {
    let names: HashMap<i64, String> = page.items.iter().map(|e| (e.id, e.name.clone())).collect();
    let shown = with_status(&page, &status);
    let columns = value_columns(&values);
    let values: HashMap<i64, BTreeMap<String, Scalar>> = values
        .into_iter()
        .map(|v| (v.experiment_id, v.values))
        .collect();
    let value_sort = RwSignal::new(None::<(String, bool)>);
    if page.items.is_empty() {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        let curl = format!(
            "curl -X POST {origin}/api/v1/projects/{project_id}/experiments -H 'Authorization: Bearer YOUR_TOKEN' -H 'content-type: application/json' -d '{{\"name\": \"first-run\"}}'"
        );
        return view! {
            <div class="empty-state">
                <h2>"No experiments here yet"</h2>
                <p>"Create one from the training script, then log to it:"</p>
                <pre><code>{curl}</code></pre>
            </div>
        }
        .into_any();
    }
    let selected = RwSignal::new(Vec::<i64>::new());
    let compare = move || {
        let ids = selected.get();
        if ids.len() >= 2 {
            let state = crate::compare::CompareState {
                ids: ids.clone(),
                ..Default::default()
            };
            view! { <a class="button" href=state.to_url()>{format!("Compare {} experiments", ids.len())}</a> }.into_any()
        } else {
            view! { <button type="button" disabled>"Select two or more to compare"</button> }
                .into_any()
        }
    };
    let summary = format!(
        "{} of {}",
        shown.len(),
        format::count(page.total, "experiment", "experiments")
    );
    view! {
        <div class="table-actions"><p class="list-summary">{summary}</p>{compare}</div>
        <div class="table-scroll">
        <table class="data-table experiments-table">
            <thead>
                <tr>
                    <th scope="col"><span class="visually-hidden">"Select"</span></th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Description"</th>
                    <th scope="col">"Based on"</th>
                    {columns.iter().map(|column| {
                        let name = column.clone();
                        let label = column.clone();
                        let mark = name.clone();
                        view! {
                            <th scope="col" class="value-column" aria-sort=move || match value_sort.get() {
                                Some((c, true)) if c == mark => "descending",
                                Some((c, false)) if c == mark => "ascending",
                                _ => "none",
                            }>
                                <button type="button" class="link-button" on:click=move |_| value_sort.update(|sort| {
                                    *sort = match sort.take() {
                                        Some((c, false)) if c == name => Some((c, true)),
                                        _ => Some((name.clone(), false)),
                                    }
                                })>{label}</button>
                            </th>
                        }
                    }).collect_view()}
                    <th scope="col">"Created"</th>
                    <th scope="col">"Updated"</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                let mut shown = shown.clone();
                if let Some((column, descending)) = value_sort.get() {
                    sort_by_value(&mut shown, &values, &column, descending);
                }
                let names = names.clone();
                let columns = columns.clone();
                let values = values.clone();
                shown.into_iter().map(move |experiment| {
                    let base = experiment.base_experiment_id.map(|base| {
                        let label = names.get(&base).cloned().unwrap_or_else(|| format!("experiment {base}"));
                        view! { <a href=format!("/experiments/{base}")>{label}</a> }
                    });
                    view! {
                        <tr data-experiment-id=experiment.id>
                            <td>{
                                let id = experiment.id;
                                let label = format!("Select {} to compare", experiment.name);
                                view! {
                                    <input type="checkbox" aria-label=label prop:checked=move || selected.with(|s| s.contains(&id))
                                        on:change=move |event| {
                                            let on = event_target_checked(&event);
                                            selected.update(|s| { s.retain(|x| *x != id); if on { s.push(id) } });
                                        }/>
                                }
                            }</td>
                            <td class="experiment-name"><a href=format!("/experiments/{}", experiment.id)>{experiment.name.clone()}</a></td>
                            <td><StatusBadge status=experiment.status/></td>
                            <td class="project-description">{experiment.description.clone()}</td>
                            <td>{base}</td>
                            {columns.iter().map(|column| {
                                let text = values.get(&experiment.id).and_then(|v| v.get(column)).map(scalar_text);
                                view! { <td class="value-cell">{text.unwrap_or_default()}</td> }
                            }).collect_view()}
                            <td class="timestamp"><time datetime=experiment.created_at.clone()>{format::timestamp(&experiment.created_at)}</time></td>
                            <td class="timestamp"><time datetime=experiment.updated_at.clone()>{format::timestamp(&experiment.updated_at)}</time></td>
                        </tr>
                    }
                }).collect_view()
                }}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn experiment(id: i64) -> Experiment {
        Experiment {
            id,
            project_id: 1,
            name: format!("e{id}"),
            description: String::new(),
            status: trackboard_api::ExperimentStatus::Success,
            base_experiment_id: None,
            base_model_version_id: None,
            job_status: trackboard_api::JobStatus::Success,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    fn number(value: f64) -> Scalar {
        Scalar::Number(serde_json::Number::from_f64(value).expect("finite"))
    }

    #[test]
    fn value_columns_put_the_most_common_first() {
        let values = vec![
            ExperimentValues {
                experiment_id: 1,
                values: [("b".to_owned(), number(1.0)), ("a".to_owned(), number(2.0))].into(),
            },
            ExperimentValues {
                experiment_id: 2,
                values: [("b".to_owned(), number(3.0))].into(),
            },
        ];
        assert_eq!(value_columns(&values), ["b", "a"]);
    }

    #[test]
    fn sorting_by_a_value_is_numeric_and_puts_missing_values_last() {
        let mut experiments = vec![experiment(1), experiment(2), experiment(3)];
        let values: HashMap<i64, BTreeMap<String, Scalar>> = HashMap::from([
            (1, BTreeMap::from([("acc".to_owned(), number(9.0))])),
            (2, BTreeMap::from([("acc".to_owned(), number(10.0))])),
        ]);
        sort_by_value(&mut experiments, &values, "acc", false);
        assert_eq!(
            experiments.iter().map(|e| e.id).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        sort_by_value(&mut experiments, &values, "acc", true);
        assert_eq!(
            experiments.iter().map(|e| e.id).collect::<Vec<_>>(),
            [2, 1, 3]
        );
    }
}
