//! The Trackboard dashboard: a Leptos client-side app that reads the tracking server's
//! REST API. `start` mounts it; the runtime config (`config.json` next to `index.html`)
//! loads before [`app::App`] renders.

pub mod api;
pub mod app;
pub mod charts;
pub mod compare;
pub mod components;
pub mod config;
pub mod datasets;
pub mod experiments;
pub mod format;
pub mod layout;
pub mod links;
pub mod models;
pub mod perf;
pub mod projects;
pub mod session;

use leptos::prelude::*;

/// Mounts the dashboard on `<body>`: the runtime config loads first, then the app.
pub fn start() {
    perf::mark(perf::names::APP_STARTED);
    console_error_panic_hook::set_once();
    session::adopt_token_from_url();
    links::adopt_mlflow_link();
    leptos::mount::mount_to_body(Root);
}

/// Waits for `config.json`, then renders the app with it.
#[component]
fn Root() -> impl IntoView {
    let config = LocalResource::new(config::load);
    view! {
        <Suspense fallback=|| view! { <components::LoadingRows/> }>
            {move || Suspend::new(async move {
                let config = config.await;
                view! { <app::App config/> }
            })}
        </Suspense>
    }
}
