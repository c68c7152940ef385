use super::{DatasetCard, NewDatasetForm};
use crate::api::ApiClient;
use crate::components::{ErrorPanel, LoadingRows};
use leptos::prelude::*;

/// The curl line that creates a dataset at `url` (the configured API's).
fn create_dataset_curl(url: &str) -> String {
    format!(
        "curl -X POST {url} -H 'Authorization: Bearer YOUR_TOKEN' -H 'content-type: application/json' -d '{{\"name\": \"street-scenes\"}}'"
    )
}

/// `/datasets`: every dataset with its versions, and forms to create both.
#[component]
pub fn DatasetsPage() -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let create_curl = create_dataset_curl(&client.datasets_url());
    let datasets = LocalResource::new(move || {
        let client = client.clone();
        async move { client.list_datasets().await }
    });
    view! {
        <section class="page datasets-page">
            <h1>"Datasets"</h1>
            <NewDatasetForm created=move |_| datasets.refetch()/>
            <Transition fallback=|| view! { <LoadingRows/> }>
                <ErrorBoundary fallback=move |errors| view! { <ErrorPanel errors retry=move |()| datasets.refetch()/> }>
                    {move || {
                        let create_curl = create_curl.clone();
                        Suspend::new(async move {
                        datasets.await.map(|page| if page.items.is_empty() {
                            view! { <div class="empty-state"><h2>"No datasets yet"</h2>
                                <p>"Create one with the form above (or from a script, as below), add a version, then attach it to an experiment from the experiment's page."</p>
                                <pre><code>{create_curl}</code></pre></div> }.into_any()
                        } else {
                            page.items.into_iter().map(|dataset| view! { <DatasetCard dataset/> }).collect_view().into_any()
                        })
                    })}}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
