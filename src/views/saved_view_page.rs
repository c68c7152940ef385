use crate::api::ApiClient;
use crate::components::{ErrorPanel, LoadingRows};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

/// `/v/:id`: opens a saved view, the dashboard address it holds. (A comparison whose
/// experiments were deleted since says so on the compare page, as any old link does.)
#[component]
pub fn SavedViewPage() -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let params = use_params_map();
    let view = LocalResource::new(move || {
        let client = client.clone();
        let id = params.read().get("id").unwrap_or_default();
        async move { client.get_view(&id).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(view)) = view.get() {
            navigate(
                &view.path,
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
                <ErrorBoundary fallback=move |errors| view! { <ErrorPanel errors retry=move |()| view.refetch()/> }>
                    {move || Suspend::new(async move { view.await.map(|_| view! { <LoadingRows/> }) })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
