use super::{compared_ids, without_ids};
use crate::api::{ApiClient, ApiError};
use crate::components::{ErrorPanel, LoadingRows};
use futures_util::future::join_all;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use trackboard_api::SavedView;

/// What opening a saved view found.
#[derive(Clone, Debug)]
enum Opened {
    /// Everything it shows exists: go there.
    Ready(String),
    /// A comparison some of whose experiments were deleted since it was saved.
    Incomplete { view: SavedView, gone: Vec<i64> },
}

/// Which of a comparison's experiments no longer exist.
async fn deleted_experiments(client: &ApiClient, ids: &[i64]) -> Vec<i64> {
    if ids.is_empty() || client.compared_experiments(ids).await.is_ok() {
        return Vec::new();
    }
    let found = join_all(ids.iter().map(|&id| client.get_experiment(id))).await;
    ids.iter()
        .zip(found)
        .filter(|(_, found)| matches!(found, Err(ApiError::Server { status: 404, .. })))
        .map(|(id, _)| *id)
        .collect()
}

/// `/v/:id`: opens a saved view (the address it holds); a comparison whose experiments
/// were deleted says which are gone and offers the rest.
#[component]
pub fn SavedViewPage() -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let params = use_params_map();
    let opened = LocalResource::new(move || {
        let client = client.clone();
        let id = params.read().get("id").unwrap_or_default();
        async move {
            let view = client.get_view(&id).await?;
            let gone = deleted_experiments(&client, &compared_ids(&view.path)).await;
            Ok::<_, ApiError>(match gone.is_empty() {
                true => Opened::Ready(view.path),
                false => Opened::Incomplete { view, gone },
            })
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(Opened::Ready(path))) = opened.get() {
            navigate(
                &path,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    view! {
        <section class="page saved-view-page">
            <Transition fallback=|| view! { <LoadingRows/> }>
                <ErrorBoundary fallback=move |errors| view! { <ErrorPanel errors retry=move |()| opened.refetch()/> }>
                    {move || Suspend::new(async move {
                        opened.await.map(|opened| match opened {
                            Opened::Ready(_) => view! { <LoadingRows/> }.into_any(),
                            Opened::Incomplete { view, gone } => {
                                let rest = without_ids(&view.path, &gone);
                                let left = compared_ids(&rest).len();
                                let gone_text = gone.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
                                view! {
                                    <h1>{view.name.clone()}</h1>
                                    <div class="empty-state" role="alert">
                                        <h2>"Some experiments of this view were deleted"</h2>
                                        <p>{format!("Gone since it was saved: experiment {gone_text}.")}</p>
                                        {(left >= 2).then(|| view! {
                                            <p><a href=rest.clone()>{format!("Open it with the {left} that remain")}</a></p>
                                        })}
                                    </div>
                                }.into_any()
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
