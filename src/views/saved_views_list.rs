use super::view_link;
use crate::api::ApiClient;
use crate::components::ErrorPanel;
use crate::format;
use leptos::prelude::*;
use trackboard_api::SavedView;

/// A project's saved views: each with who saved it and when, renamed in place or
/// deleted after a confirmation. `version` changes when a view is saved elsewhere on
/// the page, so the list reloads.
#[component]
pub fn SavedViewsList(project_id: i64, #[prop(into)] version: Signal<u32>) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let views = LocalResource::new(move || {
        let client = client.clone();
        version.track();
        async move { client.list_views(project_id).await.map(|page| page.items) }
    });
    view! {
        <section class="saved-views" aria-label="Saved views">
            <Transition fallback=|| ()>
                <ErrorBoundary fallback=move |errors| view! { <ErrorPanel errors retry=move |()| views.refetch()/> }>
                    {move || Suspend::new(async move {
                        views.await.map(|items| view! {
                            <h2>"Saved views"</h2>
                            {items.is_empty().then(|| view! {
                                <p class="empty-note">"No saved views yet: set up a comparison or this table, then Save view."</p>
                            })}
                            <ul class="saved-view-list">
                                {items.into_iter().map(|view| view! {
                                    <SavedViewItem view changed=Callback::new(move |()| views.refetch())/>
                                }).collect_view()}
                            </ul>
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// One saved view: its link, who saved it and when; rename and delete.
#[component]
fn SavedViewItem(view: SavedView, #[prop(into)] changed: Callback<()>) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let editing = RwSignal::new(false);
    let name = RwSignal::new(view.name.clone());
    let id = view.id.clone();
    let rename = Action::new_local({
        let (client, id) = (client.clone(), id.clone());
        move |name: &String| {
            let (client, id, name) = (client.clone(), id.clone(), name.clone());
            async move { client.rename_view(&id, &name).await }
        }
    });
    let delete = Action::new_local({
        let id = id.clone();
        move |(): &()| {
            let (client, id) = (client.clone(), id.clone());
            async move { client.delete_view(&id).await }
        }
    });
    Effect::new(move |_| {
        let renamed = matches!(rename.value().get(), Some(Ok(_)));
        let deleted = matches!(delete.value().get(), Some(Ok(())));
        if renamed || deleted {
            editing.set(false);
            changed.run(());
        }
    });
    let error = move || {
        rename
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| delete.value().get().and_then(Result::err))
            .map(|error| error.to_string())
    };
    let on_delete = {
        let label = view.name.clone();
        move |_| {
            let sure = web_sys::window()
                .and_then(|window| {
                    window
                        .confirm_with_message(&format!("Delete the saved view {label:?}?"))
                        .ok()
                })
                .unwrap_or(false);
            if sure {
                delete.dispatch(());
            }
        }
    };
    let link = view_link(&view.id);
    let when = format::timestamp(&view.created_at);
    let label = view.name.clone();
    view! {
        <li class="saved-view">
            {move || if editing.get() {
                view! {
                    <form class="rename-view" aria-label="Rename saved view" on:submit=move |event: leptos::ev::SubmitEvent| {
                        event.prevent_default();
                        rename.dispatch(name.get_untracked());
                    }>
                        <label class="visually-hidden" for=format!("rename-{}", id)>"New name"</label>
                        <input id=format!("rename-{}", id) prop:value=move || name.get()
                            on:input=move |e| name.set(event_target_value(&e))/>
                        <button type="submit">"Save name"</button>
                        <button type="button" on:click=move |_| editing.set(false)>"Cancel"</button>
                    </form>
                }.into_any()
            } else {
                view! { <a class="saved-view-name" href=link.clone()>{label.clone()}</a> }.into_any()
            }}
            <span class="saved-view-meta">{format!("saved by {} · {when}", view.saved_by)}</span>
            <button type="button" class="link-button" on:click=move |_| editing.set(true)
                aria-label=format!("Rename {}", view.name)>"Rename"</button>
            <button type="button" class="link-button danger" on:click=on_delete
                aria-label=format!("Delete {}", view.name)>"Delete"</button>
            <p class="field-error" role="alert">{error}</p>
        </li>
    }
}
