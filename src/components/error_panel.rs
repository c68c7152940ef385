use crate::error::AppError;
use leptos::prelude::*;

/// What an `ErrorBoundary` shows: each error's message (the server's own words when it
/// sent them) and a button that loads the data again. A refused token sends the user to
/// the sign-in page instead (the API client ends the session; `ReturnToSignIn` goes).
#[component]
pub fn ErrorPanel(errors: ArcRwSignal<Errors>, #[prop(into)] retry: Callback<()>) -> impl IntoView {
    let errors_for_check = errors.clone();
    let needs_sign_in = move || {
        errors_for_check.get().into_iter().any(|(_, error)| {
            error
                .downcast_ref::<AppError>()
                .is_some_and(AppError::needs_sign_in)
        })
    };
    let messages = move || {
        errors
            .get()
            .into_iter()
            .map(|(_, error)| view! { <li>{error.to_string()}</li> })
            .collect_view()
    };
    view! {
        <div class="error-panel" role="alert">
            <Show
                when=needs_sign_in
                fallback=move || view! { <h2>"Could not load this"</h2> }
            >
                <h2>"Please sign in"</h2>
                <p>"The server needs a valid API token to show this. " <a href="/sign-in">"Sign in"</a></p>
            </Show>
            <ul>{messages}</ul>
            <button type="button" on:click=move |_| retry.run(())>"Try again"</button>
        </div>
    }
}
