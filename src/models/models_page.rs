use crate::api::ApiClient;
use crate::components::{ErrorPanel, LoadingRows};
use crate::format;
use crate::links;
use leptos::prelude::*;

/// `/models`: every model of the registry.
#[component]
pub fn ModelsPage() -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let models = LocalResource::new(move || {
        let client = client.clone();
        async move { client.list_models().await }
    });
    view! {
        <section class="page">
            <h1>"Models"</h1>
            <Transition fallback=|| view! { <LoadingRows/> }>
                <ErrorBoundary fallback=move |errors| view! { <ErrorPanel errors retry=move |()| models.refetch()/> }>
                    {move || Suspend::new(async move {
                        models.await.map(|page| if page.items.is_empty() {
                            view! { <div class="empty-state"><h2>"No models yet"</h2>
                                <p>"Export an experiment from its page to create the first."</p></div> }.into_any()
                        } else {
                            view! {
                                <table class="data-table models-table">
                                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Type"</th><th scope="col">"Framework"</th>
                                        <th scope="col">"Versions"</th><th scope="col">"Updated"</th></tr></thead>
                                    <tbody>{page.items.into_iter().map(|model| view! {
                                        <tr><td><a href=links::model(model.id)>{model.name.clone()}</a></td>
                                            <td>{model.model_type.as_str()}</td><td>{model.framework.clone()}</td>
                                            <td>{model.version_count}</td><td class="timestamp">{format::timestamp(&model.updated_at)}</td></tr>
                                    }).collect_view()}</tbody>
                                </table>
                            }.into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
