use crate::api::ApiClient;
use crate::error::AppError;
use crate::links;
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// `/sign-in`: paste a token; it is checked against the server before it is kept.
#[component]
pub fn SignInPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let client = expect_context::<ApiClient>();
    let token = RwSignal::new(String::new());
    let navigate = use_navigate();
    let query = use_query_map();
    let expired = move || query.read().get("expired").is_some();
    // Only a path of this app is a place to return to.
    let next = move || links::return_path(query.read().get("next"));
    let check = Action::new_local(move |candidate: &String| {
        let client = client.clone();
        let candidate = candidate.trim().to_owned();
        async move { client.check_token(&candidate).await.map(|()| candidate) }
    });
    Effect::new(move |_| {
        if let Some(Ok(accepted)) = check.value().get() {
            session.sign_in(&accepted);
            navigate(&next(), Default::default());
        }
    });
    let problem = move || match check.value().get() {
        Some(Err(AppError::Server { status: 401, .. })) => {
            Some("The server does not know this token, or it was revoked.".to_owned())
        }
        Some(Err(error)) => Some(error.to_string()),
        _ => None,
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let candidate = token.get_untracked();
        if !candidate.trim().is_empty() {
            check.dispatch(candidate);
        }
    };
    view! {
        <section class="page sign-in">
            <h1>"Sign in"</h1>
            {move || expired().then(|| view! {
                <p class="banner-inline" role="alert">"The server refused the stored token (missing, unknown or revoked). Sign in again to continue."</p>
            })}
            <p>
                "Paste an API token. The server printed an admin token and a sign-in link at its first start; "
                "more come from " <code>"trackboard-server token create --name NAME --scope read"</code> "."
            </p>
            <form on:submit=submit>
                <label for="token-input">"API token"</label>
                <input
                    id="token-input"
                    type="password"
                    autocomplete="off"
                    required
                    prop:value=move || token.get()
                    on:input=move |event| token.set(event_target_value(&event))
                    aria-invalid=move || problem().is_some().to_string()
                    aria-describedby="token-problem"
                />
                <p id="token-problem" class="field-error" role="alert">{problem}</p>
                <button type="submit" disabled=move || check.pending().get()>
                    {move || if check.pending().get() { "Checking…" } else { "Sign in" }}
                </button>
            </form>
        </section>
    }
}
