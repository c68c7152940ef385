//! Computing an experiment's metrics from the page (seed 000
//! `compute_evaluations_metrics`): how many evaluations it has, an inference type and a
//! button; the page reloads its logs when the metrics are kept.

use super::browser_query::inference_type;
use super::evaluation_section::inference_title;
use crate::api::ApiClient;
use crate::format;
use leptos::prelude::*;
use std::time::Duration;
use trackboard_api::{InferenceType, MetricsJobStatus};

const KINDS: [InferenceType; 3] = [
    InferenceType::ObjectDetection,
    InferenceType::Segmentation,
    InferenceType::Classification,
];

/// The form, shown when the experiment has evaluations (`computed` runs once the
/// server has kept the metrics).
#[component]
pub fn ComputeMetricsForm(
    experiment_id: i64,
    #[prop(into)] computed: Callback<()>,
    /// Whether to title it (when the page has no Evaluation section yet).
    #[prop(optional)]
    with_heading: bool,
) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let count_client = client.clone();
    let count = LocalResource::new(move || {
        let client = count_client.clone();
        async move { client.evaluation_count(experiment_id).await }
    });
    let kind = RwSignal::new(InferenceType::ObjectDetection);
    // The job's state in words while it runs, or why it failed.
    let progress = RwSignal::new(None::<Result<String, String>>);
    let running = RwSignal::new(false);
    let start = Callback::new(move |kind: InferenceType| {
        let client = client.clone();
        running.set(true);
        progress.set(Some(Ok("Starting…".into())));
        leptos::task::spawn_local(async move {
            let outcome = follow(&client, experiment_id, kind, progress).await;
            running.set(false);
            match outcome {
                Ok(()) => {
                    progress.set(None);
                    computed.run(());
                }
                Err(problem) => progress.set(Some(Err(problem))),
            }
        });
    });
    let form = move |total: u64| {
        view! {
            {with_heading.then(|| view! { <h2 class="section-title" id="evaluation">"Evaluation"</h2> })}
            <form class="compute-form toolbar" aria-label="Compute metrics" on:submit=move |event| {
                event.prevent_default();
                start.run(kind.get_untracked());
            }>
                <span class="muted">{format!("{} of assets", format::count(total, "evaluation", "evaluations"))}</span>
                <label for=format!("compute-kind-{experiment_id}")>"Metrics of"</label>
                <select id=format!("compute-kind-{experiment_id}") on:change=move |e| {
                    if let Some(k) = inference_type(&event_target_value(&e)) { kind.set(k) }
                }>
                    {KINDS.into_iter().map(|k| view! { <option value=k.as_str()>{inference_title(k)}</option> }).collect_view()}
                </select>
                <button type="submit" disabled=move || running.get()>"Compute metrics"</button>
                {move || progress.get().map(|state| match state {
                    Ok(text) => view! { <span class="muted" role="status">{text}</span> }.into_any(),
                    Err(text) => view! { <span class="field-error" role="alert">{text}</span> }.into_any(),
                })}
            </form>
        }
    };
    move || match count.get() {
        Some(Ok(total)) if total > 0 => Some(form(total).into_any()),
        _ => None,
    }
}

/// Starts the computation and follows its job until it ends, saying its progress.
async fn follow(
    client: &ApiClient,
    experiment_id: i64,
    kind: InferenceType,
    progress: RwSignal<Option<Result<String, String>>>,
) -> Result<(), String> {
    let mut job = client
        .compute_metrics(experiment_id, kind)
        .await
        .map_err(|error| error.to_string())?;
    loop {
        match job.status {
            MetricsJobStatus::Success => return Ok(()),
            MetricsJobStatus::Failed => return Err(job.message),
            MetricsJobStatus::Running => {
                let (one, many) = if kind == InferenceType::Classification {
                    ("step", "steps")
                } else {
                    ("class", "classes")
                };
                progress.set(Some(Ok(format!(
                    "Computing… {} of {} done",
                    job.done,
                    format::count(job.total, one, many)
                ))));
            }
        }
        pause(Duration::from_millis(400)).await;
        job = client
            .metric_job(job.id)
            .await
            .map_err(|error| error.to_string())?;
    }
}

/// Resolves after `wait`.
async fn pause(wait: Duration) {
    let (sender, receiver) = futures_channel::oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = sender.send(());
        },
        wait,
    );
    let _ = receiver.await;
}
