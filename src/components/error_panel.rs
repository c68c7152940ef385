use leptos::prelude::*;

/// What an `ErrorBoundary` shows: each error's message (the server's own words when it
/// sent them) and a button that loads the data again.
#[component]
pub fn ErrorPanel(errors: ArcRwSignal<Errors>, #[prop(into)] retry: Callback<()>) -> impl IntoView {
    let messages = move || {
        errors
            .get()
            .into_iter()
            .map(|(_, error)| view! { <li>{error.to_string()}</li> })
            .collect_view()
    };
    view! {
        <div class="error-panel" role="alert">
            <h2>"Could not load this"</h2>
            <ul>{messages}</ul>
            <button type="button" on:click=move |_| retry.run(())>"Try again"</button>
        </div>
    }
}
