use leptos::prelude::*;

/// Grey placeholder rows while a list loads, shaped like what will replace them.
#[component]
pub fn LoadingRows(#[prop(default = 3)] rows: usize) -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true" aria-label="Loading">
            {(0..rows).map(|_| view! { <div class="skeleton-row"></div> }).collect_view()}
        </div>
    }
}
