use crate::api::ApiClient;
use crate::components::{field_message, form_message};
use leptos::prelude::*;
use trackboard_api::{Experiment, ExperimentPatch, ExperimentStatus};

/// The changes between `before` and the form's values, so a save sends only those.
pub fn patch_between(
    before: &Experiment,
    name: &str,
    description: &str,
    status: ExperimentStatus,
) -> ExperimentPatch {
    ExperimentPatch {
        name: (name != before.name).then(|| name.to_owned()),
        description: (description != before.description).then(|| description.to_owned()),
        status: (status != before.status).then_some(status),
        ..ExperimentPatch::default()
    }
}

/// Edits an experiment's name, description and status; the server's refusal is shown
/// at the field it names. `saved` gets the updated experiment.
#[component]
pub fn EditExperimentForm(
    experiment: Experiment,
    #[prop(into)] saved: Callback<Experiment>,
    #[prop(into)] cancel: Callback<()>,
) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let name = RwSignal::new(experiment.name.clone());
    let description = RwSignal::new(experiment.description.clone());
    let status = RwSignal::new(experiment.status);
    let before = StoredValue::new(experiment);
    let save = Action::new_local(move |patch: &ExperimentPatch| {
        let client = client.clone();
        let patch = patch.clone();
        let id = before.with_value(|e| e.id);
        async move { client.update_experiment(id, &patch).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(updated)) = save.value().get() {
            saved.run(updated);
        }
    });
    let error = move || save.value().get().and_then(Result::err);
    let general = move || form_message(&error(), &["name", "description", "status"]);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let patch = before.with_value(|e| {
            patch_between(
                e,
                &name.get_untracked(),
                &description.get_untracked(),
                status.get_untracked(),
            )
        });
        save.dispatch(patch);
    };
    view! {
        <form class="edit-form" on:submit=submit aria-label="Edit experiment">
            <label for="edit-name">"Name"</label>
            <input id="edit-name" required prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e))
                aria-invalid=move || field_message(&error(), "name").is_some().to_string() aria-describedby="edit-name-error"/>
            <p id="edit-name-error" class="field-error">{move || field_message(&error(), "name")}</p>
            <label for="edit-description">"Description"</label>
            <textarea id="edit-description" rows="3" prop:value=move || description.get()
                on:input=move |e| description.set(event_target_value(&e))></textarea>
            <p class="field-error">{move || field_message(&error(), "description")}</p>
            <label for="edit-status">"Status"</label>
            <select id="edit-status" on:change=move |e| {
                if let Some(chosen) = ExperimentStatus::parse(&event_target_value(&e)) { status.set(chosen) }
            }>
                {ExperimentStatus::ALL.iter().map(|s| view! {
                    <option value=s.as_str() selected=move || status.get() == *s>{s.as_str()}</option>
                }).collect_view()}
            </select>
            <p class="field-error">{move || field_message(&error(), "status")}</p>
            <p class="field-error" role="alert">{general}</p>
            <div class="form-buttons">
                <button type="submit" disabled=move || save.pending().get()>{move || if save.pending().get() { "Saving…" } else { "Save" }}</button>
                <button type="button" class="secondary" on:click=move |_| cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn experiment() -> Experiment {
        Experiment {
            id: 1,
            project_id: 1,
            name: "run".into(),
            description: "d".into(),
            status: ExperimentStatus::Running,
            base_experiment_id: None,
            base_model_version_id: None,
            job_status: trackboard_api::JobStatus::Running,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn only_changed_fields_are_sent() {
        let patch = patch_between(&experiment(), "run", "new words", ExperimentStatus::Running);
        assert_eq!(patch.name, None);
        assert_eq!(patch.description.as_deref(), Some("new words"));
        assert_eq!(patch.status, None);
        let patch = patch_between(&experiment(), "run-2", "d", ExperimentStatus::Success);
        assert_eq!(
            (patch.name.as_deref(), patch.status),
            (Some("run-2"), Some(ExperimentStatus::Success))
        );
    }
}
