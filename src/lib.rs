//! The Trackboard dashboard: a Leptos client-side app that reads the tracking server's
//! REST API. `start` mounts it; the runtime config (`config.json` next to `index.html`)
//! is read before [`app::App`] mounts.

pub mod api;
pub mod app;
pub mod charts;
pub mod compare;
pub mod components;
pub mod config;
pub mod datasets;
pub mod error;
pub mod evaluations;
pub mod experiments;
pub mod format;
pub mod layout;
pub mod links;
pub mod models;
pub mod perf;
pub mod projects;
pub mod session;
pub mod sign_in;
pub mod snapshot_app;
pub mod views;

use leptos::prelude::*;

/// Mounts the dashboard on `<body>` once the runtime config is read (index.html's boot
/// script has usually fetched it already, so there is no loading state to render first).
pub fn start() {
    perf::mark(perf::names::APP_STARTED);
    console_error_panic_hook::set_once();
    session::adopt_token_from_url();
    links::adopt_mlflow_link();
    wasm_bindgen_futures::spawn_local(async {
        let config = config::load().await;
        let Some(index) = config.config.snapshot.clone() else {
            leptos::mount::mount_to_body(move || view! { <app::App config/> });
            return;
        };
        match api::SnapshotSource::load(&index).await {
            Ok((source, header)) => leptos::mount::mount_to_body(
                move || view! { <snapshot_app::SnapshotApp source header/> },
            ),
            Err(problem) => leptos::mount::mount_to_body(
                move || view! { <snapshot_app::SnapshotProblem problem/> },
            ),
        }
    });
}
