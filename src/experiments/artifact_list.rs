use crate::api::ApiClient;
use crate::components::save_file;
use crate::format;
use leptos::prelude::*;
use trackboard_api::Artifact;

/// The experiment's artifacts: name, file, size and date; download; delete after a
/// confirmation.
#[component]
pub fn ArtifactList(experiment_id: i64) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let upload_url = client.artifacts_url(experiment_id);
    let list_client = client.clone();
    let artifacts = LocalResource::new(move || {
        let client = list_client.clone();
        async move { client.list_artifacts(experiment_id).await }
    });
    let problem = RwSignal::new(None::<String>);
    let download_client = client.clone();
    let download = Action::new_local(move |artifact: &Artifact| {
        let client = download_client.clone();
        let artifact = artifact.clone();
        async move {
            let result = match client.download_artifact(artifact.id).await {
                Ok((bytes, _)) => save_file(&bytes, &artifact.filename),
                Err(error) => Err(error.to_string()),
            };
            problem.set(result.err());
        }
    });
    let delete = Action::new_local(move |artifact: &Artifact| {
        let client = client.clone();
        let id = artifact.id;
        async move {
            match client.delete_artifact(id).await {
                Ok(()) => {
                    problem.set(None);
                    artifacts.refetch();
                }
                Err(error) => problem.set(Some(error.to_string())),
            }
        }
    });
    let confirm_delete = move |artifact: Artifact| {
        let question = format!(
            "Delete the artifact {:?} ({})? This cannot be undone.",
            artifact.name, artifact.filename
        );
        let confirmed = web_sys::window()
            .is_some_and(|window| window.confirm_with_message(&question).unwrap_or(false));
        if confirmed {
            delete.dispatch(artifact);
        }
    };
    let rows = move || {
        match artifacts.get() {
        None => view! { <p class="muted">"Loading artifacts…"</p> }.into_any(),
        Some(Err(error)) => view! { <p class="field-error" role="alert">{error.to_string()}</p> }.into_any(),
        Some(Ok(page)) if page.items.is_empty() => view! {
            <p class="muted">"No artifacts yet. Upload one with "
                <code>{format!("curl -F file=@model.pt -H 'Authorization: Bearer YOUR_TOKEN' {upload_url}")}</code></p>
        }
        .into_any(),
        Some(Ok(page)) => view! {
            <table class="data-table artifact-table">
                <thead><tr>
                    <th scope="col">"Name"</th><th scope="col">"File"</th><th scope="col">"Size"</th>
                    <th scope="col">"Stored"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {page.items.into_iter().map(|artifact| {
                        let for_download = artifact.clone();
                        let for_delete = artifact.clone();
                        view! {
                            <tr data-artifact-id=artifact.id>
                                <td>{artifact.name.clone()}</td>
                                <td class="muted">{artifact.filename.clone()}</td>
                                <td title=format!("{} bytes, sha256 {}", artifact.size, artifact.sha256)>{format::bytes(artifact.size)}</td>
                                <td class="timestamp">{format::timestamp(&artifact.created_at)}</td>
                                <td class="actions">
                                    <button type="button" on:click=move |_| { download.dispatch(for_download.clone()); }>"Download"</button>
                                    <button type="button" class="danger" on:click=move |_| confirm_delete(for_delete.clone())>"Delete"</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any(),
    }
    };
    view! {
        <section class="artifacts" aria-labelledby="artifacts-title">
            <h2 class="section-title" id="artifacts-title">"Artifacts"</h2>
            {rows}
            <p class="field-error" role="alert">{move || problem.get()}</p>
        </section>
    }
}
