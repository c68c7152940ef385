use super::ProjectList;
use crate::api::ApiClient;
use crate::components::{ErrorPanel, LoadingRows};
use leptos::prelude::*;

/// `/projects`: every project the server holds.
#[component]
pub fn ProjectsPage() -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let create_url = client.projects_url();
    let projects = LocalResource::new(move || {
        let client = client.clone();
        async move { client.list_projects().await }
    });
    view! {
        <section class="page">
            <h1>"Projects"</h1>
            <Transition fallback=|| view! { <LoadingRows/> }>
                <ErrorBoundary fallback=move |errors| {
                    view! { <ErrorPanel errors retry=move |()| projects.refetch()/> }
                }>
                    {move || {
                        let create_url = create_url.clone();
                        Suspend::new(async move {
                            projects
                                .await
                                .map(|page| view! { <ProjectList page create_url/> })
                        })
                    }}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
