//! The dashboard's own addresses, built and read in one place: every link to a page
//! comes from here, and pages that name a resource by id read it with [`id_param`].

use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use trackboard_api::encode_component;

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
pub fn id_param(what: &'static str) -> impl Fn() -> Result<i64, AppError> + Copy {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .ok_or_else(|| AppError::BadAddress(format!("this address names no {what}")))
    }
}

/// Where a link in MLflow's own form leads here. MLflow's client prints runs as
/// `<server>/#/experiments/<experiment id>/runs/<run id>`; a run id is its Trackboard
/// experiment's id in 32 hex digits and an MLflow experiment id a project's id (docs/MLFLOW.md).
pub fn mlflow_link_target(hash: &str) -> Option<String> {
    let rest = hash.strip_prefix("#/experiments/")?;
    let mut parts = rest.trim_end_matches('/').split('/');
    let mlflow_experiment = parts.next()?;
    match (parts.next(), parts.next(), parts.next()) {
        (Some("runs"), Some(run), None) if run.len() == 32 => u64::from_str_radix(run, 16)
            .ok()
            .and_then(|id| i64::try_from(id).ok())
            .filter(|id| *id > 0)
            .map(experiment),
        (None, _, _) if mlflow_experiment != "0" => {
            mlflow_experiment.parse::<i64>().ok().map(project)
        }
        _ => None,
    }
}

/// At start: an address in MLflow's form (see [`mlflow_link_target`]) is replaced by
/// the page it means, before the router reads it.
pub fn adopt_mlflow_link() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hash = window.location().hash().unwrap_or_default();
    if let (Some(target), Ok(history)) = (mlflow_link_target(&hash), window.history()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&target));
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
    fn mlflow_run_links_open_the_experiment_page() {
        let run = format!("{:032x}", 42);
        assert_eq!(
            mlflow_link_target(&format!("#/experiments/3/runs/{run}")),
            Some("/experiments/42".to_owned())
        );
        assert_eq!(
            mlflow_link_target("#/experiments/3"),
            Some("/projects/3".to_owned())
        );
        assert_eq!(mlflow_link_target("#/experiments/0"), None);
        assert_eq!(mlflow_link_target("#/experiments/3/runs/abc"), None);
        assert_eq!(
            mlflow_link_target(&format!("#/experiments/3/runs/{}", "f".repeat(32))),
            None
        );
        assert_eq!(mlflow_link_target("#token=tb_abc"), None);
    }

    #[test]
    fn a_sign_in_returns_only_inside_the_app() {
        assert_eq!(return_path(Some("/experiments/3".into())), "/experiments/3");
        assert_eq!(return_path(Some("//evil.example".into())), "/");
        assert_eq!(return_path(Some("https://evil.example".into())), "/");
        assert_eq!(return_path(None), "/");
    }
}
