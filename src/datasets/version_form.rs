use crate::api::ApiClient;
use crate::components::{field_message, form_message};
use leptos::prelude::*;
use trackboard_api::{DatasetVersion, NewDatasetVersion};

/// Label names typed as a comma-separated list, trimmed, empty ones dropped.
pub fn parse_labels(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|label| !label.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Adds a version to a dataset: its name, description, asset count and labels. The
/// server's refusal shows at its field.
#[component]
pub fn NewVersionForm(
    dataset_id: i64,
    #[prop(into)] created: Callback<DatasetVersion>,
) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let version = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let assets = RwSignal::new("0".to_owned());
    let labels = RwSignal::new(String::new());
    let assets_problem = RwSignal::new(None::<String>);
    let create = Action::new_local(move |draft: &NewDatasetVersion| {
        let client = client.clone();
        let draft = draft.clone();
        async move { client.create_dataset_version(dataset_id, &draft).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(created_version)) = create.value().get() {
            version.set(String::new());
            description.set(String::new());
            labels.set(String::new());
            created.run(created_version);
        }
    });
    let error = move || create.value().get().and_then(Result::err);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Ok(asset_count) = assets.get_untracked().trim().parse::<u64>() else {
            assets_problem.set(Some("asset count must be a whole number, 0 or more".into()));
            return;
        };
        assets_problem.set(None);
        create.dispatch(NewDatasetVersion {
            version: version.get_untracked(),
            description: description.get_untracked(),
            asset_count,
            labels: parse_labels(&labels.get_untracked()),
        });
    };
    let id = move |field: &str| format!("version-{field}-{dataset_id}");
    let assets_message = move || {
        assets_problem
            .get()
            .or_else(|| field_message(&error(), "asset_count"))
    };
    view! {
        <form class="edit-form version-form" on:submit=submit aria-label="New version">
            <h3 class="form-title">"New version"</h3>
            <label for=id("name")>"Version"</label>
            <input id=id("name") placeholder="v2" prop:value=move || version.get()
                on:input=move |e| version.set(event_target_value(&e))
                aria-invalid=move || field_message(&error(), "version").is_some().to_string()/>
            <p class="field-error">{move || field_message(&error(), "version")}</p>
            <label for=id("description")>"Description"</label>
            <input id=id("description") prop:value=move || description.get()
                on:input=move |e| description.set(event_target_value(&e))/>
            <label for=id("assets")>"Assets"</label>
            <input id=id("assets") inputmode="numeric" prop:value=move || assets.get()
                on:input=move |e| assets.set(event_target_value(&e))
                aria-invalid=move || assets_message().is_some().to_string()/>
            <p class="field-error">{assets_message}</p>
            <label for=id("labels")>"Labels (comma-separated)"</label>
            <input id=id("labels") placeholder="car, pedestrian, cyclist" prop:value=move || labels.get()
                on:input=move |e| labels.set(event_target_value(&e))
                aria-invalid=move || field_message(&error(), "labels").is_some().to_string()/>
            <p class="field-error">{move || field_message(&error(), "labels")}</p>
            <p class="field-error" role="alert">{move || form_message(&error(), &["version", "labels", "asset_count"])}</p>
            <div class="form-buttons">
                <button type="submit" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Adding…" } else { "Add version" }}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_split_at_commas_and_trimmed() {
        assert_eq!(
            parse_labels(" car, pedestrian ,,cyclist "),
            ["car", "pedestrian", "cyclist"]
        );
        assert!(parse_labels(" , ").is_empty());
    }
}
