//! The dashboard's own addresses, built and read in one place: every link to a page
//! comes from here, and pages that name a resource by id read it with [`id_param`].

use crate::api::{encode_component, ApiError};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The compare view; its state follows in the query (`compare::CompareState`).
pub const COMPARE: &str = "/compare";

/// `/projects/{id}`.
pub fn project(id: i64) -> String {
    format!("/projects/{id}")
}

/// `/experiments/{id}`.
pub fn experiment(id: i64) -> String {
    format!("/experiments/{id}")
}

/// `/models/{id}`.
pub fn model(id: i64) -> String {
    format!("/models/{id}")
}

/// The sign-in page after the server refused the session's token, returning to `back`
/// (a path of this app, with its query) once signed in again.
pub fn sign_in_again(back: &str) -> String {
    format!("/sign-in?expired=1&next={}", encode_component(back))
}

/// Where a sign-in returns to: `next` when it is a path of this app, else the start.
pub fn return_path(next: Option<String>) -> String {
    next.filter(|next| next.starts_with('/') && !next.starts_with("//"))
        .unwrap_or_else(|| "/".to_owned())
}

/// The page's `:id` parameter as a number, or the error that says this address names
/// no `what` (shown by the page's error boundary).
pub fn id_param(what: &'static str) -> impl Fn() -> Result<i64, ApiError> + Copy {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .ok_or_else(|| ApiError::BadAddress(format!("this address names no {what}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_name_the_routes_of_the_app() {
        assert_eq!(project(3), "/projects/3");
        assert_eq!(experiment(12), "/experiments/12");
        assert_eq!(model(7), "/models/7");
        assert_eq!(
            sign_in_again("/compare?ids=1,2&log=loss"),
            "/sign-in?expired=1&next=%2Fcompare%3Fids%3D1%2C2%26log%3Dloss"
        );
    }

    #[test]
    fn a_sign_in_returns_only_inside_the_app() {
        assert_eq!(return_path(Some("/experiments/3".into())), "/experiments/3");
        assert_eq!(return_path(Some("//evil.example".into())), "/");
        assert_eq!(return_path(Some("https://evil.example".into())), "/");
        assert_eq!(return_path(None), "/");
    }
}
