//! Snapshot mode: when `config.json` names a snapshot's index, the dashboard is a
//! read-only copy of one comparison. No API call, no sign-in, no form; a banner says
//! what it is a snapshot of and when it was taken. The app beside [`crate::app::App`]:
//! its client answers from the snapshot's files (`api::SnapshotSource`).

use crate::api::{ApiClient, Banner, SnapshotSource};
use crate::compare::ComparePage;
use crate::layout::ThemeToggle;
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

/// The dashboard of a snapshot: the comparison it holds, and nothing else.
#[component]
pub fn SnapshotApp(source: SnapshotSource, header: Banner) -> impl IntoView {
    let session = Session::new();
    provide_context(session);
    provide_context(ApiClient::snapshot(session, source));
    let view_path = header.view_path.clone();
    let home = view_path.clone();
    view! {
        <Router>
            <header class="top-bar">
                <a class="brand" href=home.clone()>"Trackboard"</a>
                <p class="snapshot-banner" role="note">
                    "Snapshot of " <strong>{header.title.clone()}</strong>
                    " taken at " {crate::format::timestamp(&header.taken_at)}
                    " · read-only"
                </p>
                <ThemeToggle/>
            </header>
            <main id="main">
                <Routes fallback=move || view! { <NotInSnapshot home=home.clone()/> }>
                    <Route path=path!("/") view=move || view! { <Redirect path=view_path.clone()/> }/>
                    <Route path=path!("/compare") view=ComparePage/>
                </Routes>
            </main>
        </Router>
    }
}

/// What a link out of the comparison finds: a snapshot holds only its comparison.
#[component]
fn NotInSnapshot(home: String) -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Not part of this snapshot"</h1>
            <p>
                "This snapshot holds one comparison; this page needs the tracking server. "
                <a href=home>"Back to the comparison"</a>
            </p>
        </section>
    }
}

/// A snapshot whose index could not be read: said plainly, nothing else drawn.
#[component]
pub fn SnapshotProblem(problem: String) -> impl IntoView {
    view! {
        <main id="main">
            <section class="page">
                <h1>"This snapshot cannot be opened"</h1>
                <p class="banner error" role="alert">{problem}</p>
            </section>
        </main>
    }
}
