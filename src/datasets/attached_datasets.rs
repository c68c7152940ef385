use super::AttachForm;
use crate::api::ApiClient;
use leptos::prelude::*;

/// The dataset versions an experiment used, by alias, each with a detach button, and
/// the form that attaches another.
#[component]
pub fn AttachedDatasets(experiment_id: i64) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let list_client = client.clone();
    let listed = LocalResource::new(move || {
        let client = list_client.clone();
        async move { client.attached_datasets(experiment_id).await }
    });
    let problem = RwSignal::new(None::<String>);
    let adding = RwSignal::new(false);
    let detach = Action::new_local(move |alias: &String| {
        let client = client.clone();
        let alias = alias.clone();
        async move {
            match client.detach_dataset(experiment_id, &alias).await {
                Ok(()) => {
                    problem.set(None);
                    listed.refetch();
                }
                Err(error) => problem.set(Some(error.to_string())),
            }
        }
    });
    let confirm_detach = move |alias: String| {
        let question = format!(
            "Detach the dataset version used as {alias:?}? The version itself stays in the registry."
        );
        let confirmed = web_sys::window()
            .is_some_and(|window| window.confirm_with_message(&question).unwrap_or(false));
        if confirmed {
            detach.dispatch(alias);
        }
    };
    let rows = move || {
        match listed.get().transpose() {
        Ok(None) => view! { <p class="muted">"Loading datasets…"</p> }.into_any(),
        Err(error) => view! { <p class="field-error" role="alert">{error.to_string()}</p> }.into_any(),
        Ok(Some(list)) if list.is_empty() => view! {
            <p class="muted">"No dataset version is attached yet."</p>
        }.into_any(),
        Ok(Some(list)) => view! {
            <ul class="attached-datasets">
                {list.into_iter().map(|attached| {
                    let alias = attached.alias.clone();
                    let label = format!("Detach {}", attached.alias);
                    view! {
                        <li data-alias=attached.alias.clone()>
                            <strong class="alias">{attached.alias.clone()}</strong>
                            <span>{format!("{} · {}", attached.version.dataset_name, attached.version.version)}</span>
                            <span class="muted">{crate::format::count(attached.version.asset_count, "asset", "assets")}</span>
                            <button type="button" class="link-button danger" aria-label=label
                                on:click=move |_| confirm_detach(alias.clone())>"Detach"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }.into_any(),
    }
    };
    view! {
        <section class="datasets" aria-labelledby="datasets-title">
            <h2 class="section-title" id="datasets-title">"Datasets"</h2>
            {rows}
            <p class="field-error" role="alert">{move || problem.get()}</p>
            <button type="button" class="secondary" aria-expanded=move || adding.get().to_string()
                on:click=move |_| adding.update(|open| *open = !*open)>
                {move || if adding.get() { "Close the attach form" } else { "Attach a dataset version" }}
            </button>
            <Show when=move || adding.get()>
                <AttachForm experiment_id attached=move |_| listed.refetch()/>
            </Show>
        </section>
    }
}
