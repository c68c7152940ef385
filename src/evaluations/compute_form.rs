//! Computing an experiment's metrics from the page (seed 000
//! `compute_evaluations_metrics`): how many evaluations it has, an inference type and a
//! button; the page reloads its logs when the metrics are kept.

use super::browser_query::inference_type;
use super::evaluation_section::inference_title;
use crate::api::ApiClient;
use crate::format;
use leptos::prelude::*;
use trackboard_api::InferenceType;

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
    let compute = Action::new_local(move |kind: &InferenceType| {
        let (client, kind) = (client.clone(), *kind);
        async move { client.compute_metrics(experiment_id, kind).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = compute.value().get() {
            computed.run(());
        }
    });
    let problem = move || {
        compute
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };
    let form = move |total: u64| {
        view! {
            {with_heading.then(|| view! { <h2 class="section-title" id="evaluation">"Evaluation"</h2> })}
            <form class="compute-form toolbar" aria-label="Compute metrics" on:submit=move |event| {
                event.prevent_default();
                compute.dispatch(kind.get_untracked());
            }>
                <span class="muted">{format!("{} of assets", format::count(total, "evaluation", "evaluations"))}</span>
                <label for=format!("compute-kind-{experiment_id}")>"Metrics of"</label>
                <select id=format!("compute-kind-{experiment_id}") on:change=move |e| {
                    if let Some(k) = inference_type(&event_target_value(&e)) { kind.set(k) }
                }>
                    {KINDS.into_iter().map(|k| view! { <option value=k.as_str()>{inference_title(k)}</option> }).collect_view()}
                </select>
                <button type="submit" disabled=move || compute.pending().get()>
                    {move || if compute.pending().get() { "Computing…" } else { "Compute metrics" }}
                </button>
                <span class="field-error" role="alert">{problem}</span>
            </form>
        }
    };
    move || match count.get() {
        Some(Ok(total)) if total > 0 => Some(form(total).into_any()),
        _ => None,
    }
}
