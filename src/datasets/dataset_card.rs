use super::{NewVersionForm, VersionAssets};
use crate::api::ApiClient;
use crate::format;
use leptos::prelude::*;
use trackboard_api::Dataset;

/// One dataset: its description, its versions (newest first) and a form to add one.
#[component]
pub fn DatasetCard(dataset: Dataset) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let dataset_id = dataset.id;
    let versions = LocalResource::new(move || {
        let client = client.clone();
        async move { client.list_dataset_versions(dataset_id).await }
    });
    let adding = RwSignal::new(false);
    // The version whose assets form is open.
    let open = RwSignal::new(None::<trackboard_api::DatasetVersion>);
    let rows = move || {
        match versions.get() {
        None => view! { <p class="muted">"Loading versions…"</p> }.into_any(),
        Some(Err(error)) => view! { <p class="field-error" role="alert">{error.to_string()}</p> }.into_any(),
        Some(Ok(page)) if page.items.is_empty() => view! { <p class="muted">"No versions yet."</p> }.into_any(),
        Some(Ok(page)) => view! {
            <table class="data-table versions-table">
                <thead><tr><th scope="col">"Version"</th><th scope="col">"Description"</th><th scope="col">"Assets"</th>
                    <th scope="col">"Labels"</th><th scope="col">"Created"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                <tbody>{page.items.into_iter().map(|version| {
                    let shown = version.clone();
                    let id = version.id;
                    view! {
                        <tr data-version-id=version.id>
                            <td class="version-name">{version.version.clone()}</td>
                            <td>{version.description.clone()}</td>
                            <td>{format::count(version.asset_count, "asset", "assets")}</td>
                            <td>{version.labels.join(", ")}</td>
                            <td class="timestamp">{format::timestamp(&version.created_at)}</td>
                            <td><button type="button" class="secondary"
                                aria-expanded=move || open.with(|o| o.as_ref().is_some_and(|v| v.id == id)).to_string()
                                on:click=move |_| open.update(|o| *o = if o.as_ref().is_some_and(|v| v.id == id) { None } else { Some(shown.clone()) })>
                                {format!("Assets of {}", version.version)}
                            </button></td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table>
        }.into_any(),
    }
    };
    view! {
        <article class="dataset-card" data-dataset-id=dataset_id aria-labelledby=format!("dataset-{dataset_id}")>
            <h2 id=format!("dataset-{dataset_id}")>{dataset.name.clone()}</h2>
            {(!dataset.description.is_empty()).then(|| view! { <p class="description">{dataset.description.clone()}</p> })}
            {rows}
            {move || open.get().map(|version| view! { <VersionAssets version changed=move |()| versions.refetch()/> })}
            <button type="button" class="secondary" aria-expanded=move || adding.get().to_string()
                on:click=move |_| adding.update(|open| *open = !*open)>
                {move || if adding.get() { "Close the version form" } else { "Add a version" }}
            </button>
            <Show when=move || adding.get()>
                <NewVersionForm dataset_id created=move |_| versions.refetch()/>
            </Show>
        </article>
    }
}
