//! The root component: services in context, the page frame and the routes.

use crate::api::ApiClient;
use crate::compare::ComparePage;
use crate::config::{self, LoadedConfig};
use crate::datasets::DatasetsPage;
use crate::evaluations::AssetBrowserPage;
use crate::experiments::ExperimentPage;
use crate::layout::{ConfigProblem, Header};
use crate::models::{ModelPage, ModelsPage};
use crate::projects::{ProjectPage, ProjectsPage};
use crate::session::{ReturnToSignIn, Session};
use crate::sign_in::SignInPage;
use crate::views::SavedViewPage;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The whole dashboard, for a loaded runtime config.
#[component]
pub fn App(config: LoadedConfig) -> impl IntoView {
    let session = Session::new();
    provide_context(session);
    provide_context(ApiClient::new(&config::api_base(&config.config), session));
    view! {
        <Router>
            <ReturnToSignIn/>
            <Header/>
            <ConfigProblem problem=config.problem/>
            <main id="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=ProjectsPage/>
                    <Route path=path!("/projects") view=ProjectsPage/>
                    <Route path=path!("/projects/:id") view=ProjectPage/>
                    <Route path=path!("/experiments/:id") view=ExperimentPage/>
                    <Route path=path!("/experiments/:id/evaluation") view=AssetBrowserPage/>
                    <Route path=path!("/compare") view=ComparePage/>
                    <Route path=path!("/datasets") view=DatasetsPage/>
                    <Route path=path!("/models") view=ModelsPage/>
                    <Route path=path!("/models/:id") view=ModelPage/>
                    <Route path=path!("/sign-in") view=SignInPage/>
                    <Route path=path!("/v/:id") view=SavedViewPage/>
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>"Nothing lives at this address. " <a href="/">"Back to the projects"</a></p>
        </section>
    }
}
