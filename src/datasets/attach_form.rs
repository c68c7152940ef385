use crate::api::ApiClient;
use crate::components::{field_message, form_message};
use leptos::prelude::*;
use trackboard_api::{AttachDataset, AttachedDataset};

/// Attaches a dataset version to an experiment: choose the dataset, then one of its
/// versions, then the alias it is used under. The server's refusal shows at its field;
/// `attached` gets every attachment after a success.
#[component]
pub fn AttachForm(
    experiment_id: i64,
    #[prop(into)] attached: Callback<Vec<AttachedDataset>>,
) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let datasets_client = client.clone();
    let datasets = LocalResource::new(move || {
        let client = datasets_client.clone();
        async move { client.list_datasets().await }
    });
    let dataset = RwSignal::new(None::<i64>);
    let version = RwSignal::new(None::<i64>);
    let alias = RwSignal::new(String::new());
    let missing_version = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(page)) = datasets.get() {
            if dataset.get_untracked().is_none() {
                dataset.set(page.items.first().map(|d| d.id));
            }
        }
    });
    let versions_client = client.clone();
    let versions = LocalResource::new(move || {
        let client = versions_client.clone();
        let chosen = dataset.get();
        async move {
            match chosen {
                Some(id) => Some(client.list_dataset_versions(id).await),
                None => None,
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Some(Ok(page))) = versions.get() {
            let current = version.get_untracked();
            if !current.is_some_and(|id| page.items.iter().any(|v| v.id == id)) {
                version.set(page.items.first().map(|v| v.id));
            }
        }
    });
    let attach = Action::new_local(move |request: &AttachDataset| {
        let client = client.clone();
        let request = request.clone();
        async move { client.attach_dataset(experiment_id, &request).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(all)) = attach.value().get() {
            alias.set(String::new());
            attached.run(all);
        }
    });
    let error = move || attach.value().get().and_then(Result::err);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(dataset_version_id) = version.get_untracked() else {
            missing_version.set(true);
            return;
        };
        missing_version.set(false);
        attach.dispatch(AttachDataset {
            alias: alias.get_untracked(),
            dataset_version_id,
        });
    };
    let dataset_options = move || {
        match datasets.get() {
        None => view! { <option value="">"Loading datasets…"</option> }.into_any(),
        Some(Err(error)) => view! { <option value="">{error.to_string()}</option> }.into_any(),
        Some(Ok(page)) if page.items.is_empty() => view! { <option value="">"No datasets yet"</option> }.into_any(),
        Some(Ok(page)) => page.items.into_iter().map(|d| {
            view! { <option value=d.id.to_string() selected=move || dataset.get() == Some(d.id)>{d.name.clone()}</option> }
        }).collect_view().into_any(),
    }
    };
    let version_options = move || {
        match versions.get() {
        None | Some(None) => view! { <option value="">"—"</option> }.into_any(),
        Some(Some(Err(error))) => view! { <option value="">{error.to_string()}</option> }.into_any(),
        Some(Some(Ok(page))) if page.items.is_empty() => view! { <option value="">"No versions yet"</option> }.into_any(),
        Some(Some(Ok(page))) => page.items.into_iter().map(|v| {
            let label = format!("{} ({})", v.version, crate::format::count(v.asset_count, "asset", "assets"));
            view! { <option value=v.id.to_string() selected=move || version.get() == Some(v.id)>{label}</option> }
        }).collect_view().into_any(),
    }
    };
    let version_message = move || {
        missing_version
            .get()
            .then(|| "choose a dataset version; create one on the Datasets page".to_owned())
            .or_else(|| field_message(&error(), "dataset_version_id"))
    };
    view! {
        <form class="edit-form attach-form" on:submit=submit aria-label="Attach a dataset version">
            <h3 class="form-title">"Attach a dataset version"</h3>
            <label for="attach-dataset">"Dataset"</label>
            <select id="attach-dataset" on:change=move |e| {
                dataset.set(event_target_value(&e).parse().ok());
                version.set(None);
            }>{dataset_options}</select>
            <label for="attach-version">"Version"</label>
            <select id="attach-version" on:change=move |e| version.set(event_target_value(&e).parse().ok())
                aria-invalid=move || version_message().is_some().to_string()>{version_options}</select>
            <p class="field-error">{version_message}</p>
            <label for="attach-alias">"Alias"</label>
            <input id="attach-alias" placeholder="training" prop:value=move || alias.get()
                on:input=move |e| alias.set(event_target_value(&e))
                aria-invalid=move || field_message(&error(), "alias").is_some().to_string()
                aria-describedby="attach-alias-error"/>
            <p class="field-error" id="attach-alias-error">{move || field_message(&error(), "alias")}</p>
            <p class="field-error" role="alert">{move || form_message(&error(), &["alias", "dataset_version_id"])}</p>
            <div class="form-buttons">
                <button type="submit" disabled=move || attach.pending().get()>
                    {move || if attach.pending().get() { "Attaching…" } else { "Attach" }}
                </button>
            </div>
        </form>
    }
}
