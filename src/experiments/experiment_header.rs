use crate::format;
use crate::links;
use leptos::prelude::*;
use trackboard_api::{Experiment, ExperimentStatus};

/// A coloured badge for an experiment's status.
#[component]
pub fn StatusBadge(status: ExperimentStatus) -> impl IntoView {
    view! { <span class=format!("status-badge status-{}", status.as_str())>{status.as_str()}</span> }
}

/// Name, status, description, base experiment and dates of an experiment.
#[component]
pub fn ExperimentHeader(experiment: Experiment) -> impl IntoView {
    let base = experiment.base_experiment_id.map(|base| {
        view! { <li>"Based on " <a href=links::experiment(base)>{format!("experiment {base}")}</a></li> }
    });
    let model = experiment
        .base_model_version_id
        .map(|version| view! { <li>{format!("Starts from model version {version}")}</li> });
    view! {
        <header class="experiment-header">
            <p class="breadcrumb"><a href=links::project(experiment.project_id)>"← Project"</a></p>
            <h1>{experiment.name.clone()} " " <StatusBadge status=experiment.status/></h1>
            {(!experiment.description.is_empty()).then(|| view! { <p class="description">{experiment.description.clone()}</p> })}
            <ul class="facts">
                {base}
                {model}
                <li>"Job: " {experiment.job_status.as_str()}</li>
                <li>"Created " <time datetime=experiment.created_at.clone()>{format::timestamp(&experiment.created_at)}</time></li>
                <li>"Updated " <time datetime=experiment.updated_at.clone()>{format::timestamp(&experiment.updated_at)}</time></li>
            </ul>
        </header>
    }
}
