use crate::api::ApiClient;
use crate::components::{field_message, form_message};
use crate::links;
use leptos::prelude::*;
use trackboard_api::{ExportExperiment, ModelType, NewModel};

/// Exports the experiment to the model registry: as a new model (name, type, framework,
/// description) or as the next version of an existing one chosen from a list. On success
/// it links to the new version's model.
#[component]
pub fn ExportForm(experiment_id: i64) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let list_client = client.clone();
    let models = LocalResource::new(move || {
        let client = list_client.clone();
        async move { client.list_models().await }
    });
    let into_existing = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let model_type = RwSignal::new(ModelType::Other);
    let framework = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<i64>);
    let export = Action::new_local(move |request: &ExportExperiment| {
        let client = client.clone();
        let request = request.clone();
        async move { client.export_experiment(experiment_id, &request).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = export.value().get() {
            models.refetch();
        }
    });
    let error = move || export.value().get().and_then(Result::err);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let request = if into_existing.get_untracked() {
            ExportExperiment {
                model: None,
                model_id: chosen.get_untracked(),
            }
        } else {
            ExportExperiment {
                model: Some(NewModel {
                    name: name.get_untracked(),
                    description: description.get_untracked(),
                    model_type: model_type.get_untracked(),
                    framework: framework.get_untracked(),
                    tags: Vec::new(),
                }),
                model_id: None,
            }
        };
        export.dispatch(request);
    };
    let existing_options = move || match models.get() {
        Some(Ok(page)) if page.items.is_empty() => {
            view! { <option value="">"No models yet"</option> }.into_any()
        }
        Some(Ok(page)) => {
            if chosen.get_untracked().is_none() {
                chosen.set(page.items.first().map(|m| m.id));
            }
            page.items
                .into_iter()
                .map(|model| view! { <option value=model.id.to_string()>{format!("{} ({} versions)", model.name, model.version_count)}</option> })
                .collect_view()
                .into_any()
        }
        Some(Err(error)) => view! { <option value="">{error.to_string()}</option> }.into_any(),
        None => view! { <option value="">"Loading models…"</option> }.into_any(),
    };
    let outcome = move || {
        match export.value().get() {
        Some(Ok(version)) => Some(view! {
            <p class="success" role="status">"Exported as "
                <a href=links::model(version.model_id)>{format!("{} version {}", version.model_name, version.version)}</a></p>
        }.into_any()),
        Some(Err(error)) => form_message(&Some(error), &["model.name", "model.framework"])
            .map(|message| view! { <p class="field-error" role="alert">{message}</p> }.into_any()),
        None => None,
    }
    };
    view! {
        <section class="export" aria-labelledby="export-title">
            <h2 class="section-title" id="export-title">"Export to the model registry"</h2>
            <form class="edit-form" on:submit=submit>
                <fieldset class="choice">
                    <legend class="visually-hidden">"Into"</legend>
                    <label><input type="radio" name="export-into" prop:checked=move || !into_existing.get()
                        on:change=move |_| into_existing.set(false)/>" A new model"</label>
                    <label><input type="radio" name="export-into" prop:checked=move || into_existing.get()
                        on:change=move |_| into_existing.set(true)/>" An existing model"</label>
                </fieldset>
                <Show when=move || !into_existing.get() fallback=move || view! {
                    <label for="export-model">"Model"</label>
                    <select id="export-model" on:change=move |e| chosen.set(event_target_value(&e).parse().ok())>{existing_options}</select>
                }>
                    <label for="export-name">"Model name"</label>
                    <input id="export-name" required prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e))
                        aria-invalid=move || field_message(&error(), "model.name").is_some().to_string()/>
                    <p class="field-error">{move || field_message(&error(), "model.name")}</p>
                    <label for="export-type">"Type"</label>
                    <select id="export-type" on:change=move |e| {
                        if let Some(t) = ModelType::parse(&event_target_value(&e)) { model_type.set(t) }
                    }>
                        {ModelType::ALL.iter().map(|t| view! { <option value=t.as_str() selected=move || model_type.get() == *t>{t.as_str()}</option> }).collect_view()}
                    </select>
                    <label for="export-framework">"Framework"</label>
                    <input id="export-framework" placeholder="pytorch" prop:value=move || framework.get() on:input=move |e| framework.set(event_target_value(&e))/>
                    <p class="field-error">{move || field_message(&error(), "model.framework")}</p>
                    <label for="export-description">"Description"</label>
                    <textarea id="export-description" rows="2" prop:value=move || description.get() on:input=move |e| description.set(event_target_value(&e))></textarea>
                </Show>
                <div class="form-buttons">
                    <button type="submit" disabled=move || export.pending().get()>{move || if export.pending().get() { "Exporting…" } else { "Export" }}</button>
                </div>
                {outcome}
            </form>
        </section>
    }
}
