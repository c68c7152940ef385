use super::ThemeToggle;
use crate::api::ApiClient;
use crate::session::Session;
use leptos::prelude::*;

/// The top bar: the product's name, the navigation and whether the API answers.
#[component]
pub fn Header() -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let session = expect_context::<Session>();
    let account = move || {
        if session.signed_in.get() {
            view! {
                <button type="button" class="link-button" on:click=move |_| session.sign_out()>
                    "Sign out"
                </button>
            }
            .into_any()
        } else {
            view! { <a href="/sign-in">"Sign in"</a> }.into_any()
        }
    };
    let health = LocalResource::new(move || {
        let client = client.clone();
        async move { client.health().await }
    });
    let status = move || {
        match health.get() {
        None => view! { <span class="api-status pending">"connecting…"</span> }.into_any(),
        Some(Ok(health)) => view! {
            <span class="api-status ok" title="The tracking server answers">{format!("server v{}", health.version)}</span>
        }
        .into_any(),
        Some(Err(error)) => view! {
            <span class="api-status down" title=error.to_string()>"server unreachable"</span>
        }
        .into_any(),
    }
    };
    view! {
        <header class="top-bar">
            <a class="brand" href="/">"Trackboard"</a>
            <nav aria-label="Main">
                <a href="/projects">"Projects"</a>
                <a href="/datasets">"Datasets"</a>
                <a href="/models">"Models"</a>
            </nav>
            <div class="top-bar-status" aria-live="polite">{status}</div>
            <ThemeToggle/>
            <div class="top-bar-account">{account}</div>
        </header>
    }
}
