use crate::experiments::StatusBadge;
use crate::format;
use leptos::prelude::*;
use std::collections::HashMap;
use trackboard_api::{Experiment, Page};

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
pub fn ExperimentTable(project_id: i64, page: Page<Experiment>, status: String) -> impl IntoView {
    let names: HashMap<i64, String> = page.items.iter().map(|e| (e.id, e.name.clone())).collect();
    let shown = with_status(&page, &status);
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
        <table class="data-table experiments-table">
            <thead>
                <tr>
                    <th scope="col"><span class="visually-hidden">"Select"</span></th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Description"</th>
                    <th scope="col">"Based on"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col">"Updated"</th>
                </tr>
            </thead>
            <tbody>
                {shown.into_iter().map(|experiment| {
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
                            <td class="timestamp"><time datetime=experiment.created_at.clone()>{format::timestamp(&experiment.created_at)}</time></td>
                            <td class="timestamp"><time datetime=experiment.updated_at.clone()>{format::timestamp(&experiment.updated_at)}</time></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
