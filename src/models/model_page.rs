use crate::api::ApiClient;
use crate::components::{ErrorPanel, LoadingRows};
use crate::error::AppError;
use crate::format;
use crate::links;
use leptos::prelude::*;

/// `/models/:id`: a model and its versions, each linking to its source experiment.
#[component]
pub fn ModelPage() -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let model_id = links::id_param("model");
    let data = LocalResource::new(move || {
        let client = client.clone();
        let id = model_id();
        async move {
            let id = id?;
            Ok::<_, AppError>((
                client.get_model(id).await?,
                client.list_model_versions(id).await?,
            ))
        }
    });
    view! {
        <section class="page">
            <p class="breadcrumb"><a href="/models">"← Models"</a></p>
            <Transition fallback=|| view! { <LoadingRows/> }>
                <ErrorBoundary fallback=move |errors| view! { <ErrorPanel errors retry=move |()| data.refetch()/> }>
                    {move || Suspend::new(async move {
                        data.await.map(|(model, versions)| view! {
                            <h1>{model.name.clone()}</h1>
                            <ul class="facts">
                                <li>{format!("Type: {}", model.model_type.as_str())}</li>
                                {(!model.framework.is_empty()).then(|| view! { <li>{format!("Framework: {}", model.framework)}</li> })}
                                {(!model.tags.is_empty()).then(|| view! { <li>{format!("Tags: {}", model.tags.join(", "))}</li> })}
                            </ul>
                            {(!model.description.is_empty()).then(|| view! { <p class="description">{model.description.clone()}</p> })}
                            <table class="data-table versions-table">
                                <thead><tr><th scope="col">"Version"</th><th scope="col">"From experiment"</th><th scope="col">"Labels"</th>
                                    <th scope="col">"Files"</th><th scope="col">"Created"</th></tr></thead>
                                <tbody>{versions.items.into_iter().map(|version| view! {
                                    <tr data-version=version.version>
                                        <td>{format!("v{}", version.version)}</td>
                                        <td>{match version.source_experiment_id {
                                            Some(id) => view! { <a href=links::experiment(id)>{format!("experiment {id}")}</a> }.into_any(),
                                            None => view! { <span class="muted">"deleted"</span> }.into_any(),
                                        }}</td>
                                        <td>{version.labelmap.values().cloned().collect::<Vec<_>>().join(", ")}</td>
                                        <td>{version.files.iter().map(|f| format!("{} ({})", f.name, format::bytes(f.size))).collect::<Vec<_>>().join(", ")}</td>
                                        <td class="timestamp">{format::timestamp(&version.created_at)}</td>
                                    </tr>
                                }).collect_view()}</tbody>
                            </table>
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
