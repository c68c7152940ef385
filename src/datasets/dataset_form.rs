use crate::api::ApiClient;
use crate::components::{field_message, form_message};
use leptos::prelude::*;
use trackboard_api::{Dataset, NewDataset};

/// Creates a dataset (name and description); the server's refusal shows at its field.
#[component]
pub fn NewDatasetForm(#[prop(into)] created: Callback<Dataset>) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let create = Action::new_local(move |dataset: &NewDataset| {
        let client = client.clone();
        let dataset = dataset.clone();
        async move { client.create_dataset(&dataset).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(dataset)) = create.value().get() {
            name.set(String::new());
            description.set(String::new());
            created.run(dataset);
        }
    });
    let error = move || create.value().get().and_then(Result::err);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        create.dispatch(NewDataset {
            name: name.get_untracked(),
            description: description.get_untracked(),
        });
    };
    view! {
        <form class="edit-form dataset-form" on:submit=submit aria-label="New dataset">
            <h2 class="form-title">"New dataset"</h2>
            <label for="dataset-name">"Name"</label>
            <input id="dataset-name" placeholder="street-scenes" prop:value=move || name.get()
                on:input=move |e| name.set(event_target_value(&e))
                aria-invalid=move || field_message(&error(), "name").is_some().to_string()
                aria-describedby="dataset-name-error"/>
            <p class="field-error" id="dataset-name-error">{move || field_message(&error(), "name")}</p>
            <label for="dataset-description">"Description"</label>
            <textarea id="dataset-description" rows="2" prop:value=move || description.get()
                on:input=move |e| description.set(event_target_value(&e))></textarea>
            <p class="field-error" role="alert">{move || form_message(&error(), &["name"])}</p>
            <div class="form-buttons">
                <button type="submit" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Creating…" } else { "Create dataset" }}
                </button>
            </div>
        </form>
    }
}
