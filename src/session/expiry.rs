//! Back to sign-in when the session ends, from wherever it ended.

use super::Session;
use crate::links;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

/// Watches the session inside the router: when an API call met a 401 (a page's data,
/// a form, a chart's points, a download), it opens the sign-in page, which says why and
/// returns here, to the same path and query, once a token is accepted.
#[component]
pub fn ReturnToSignIn() -> impl IntoView {
    let session = expect_context::<Session>();
    let navigate = use_navigate();
    let location = use_location();
    Effect::new(move |_| {
        if !session.expired.get() {
            return;
        }
        session.expired.set(false);
        let path = location.pathname.get_untracked();
        if path == "/sign-in" {
            return;
        }
        let back = format!("{path}{}", location.search.get_untracked());
        navigate(&links::sign_in_again(&back), Default::default());
    });
}
