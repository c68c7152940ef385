//! A comparison naming experiments that no longer exist (a saved view or a shared link
//! from before they were deleted): which ones are gone, and the same view without them.

use super::CompareState;
use crate::api::ApiClient;
use crate::error::AppError;
use futures_util::future::join_all;
use leptos::prelude::*;

/// Which of `ids` no longer exist; asked only after the comparison was refused.
pub async fn deleted_experiments(client: &ApiClient, ids: &[i64]) -> Vec<i64> {
    let found = join_all(ids.iter().map(|&id| client.get_experiment(id))).await;
    ids.iter()
        .zip(found)
        .filter(|(_, found)| matches!(found, Err(AppError::Server { status: 404, .. })))
        .map(|(id, _)| *id)
        .collect()
}

/// Says which experiments are gone and links to the comparison of those that remain.
#[component]
pub fn MissingExperiments(gone: Vec<i64>, state: CompareState) -> impl IntoView {
    let rest = CompareState {
        ids: state
            .ids
            .iter()
            .copied()
            .filter(|id| !gone.contains(id))
            .collect(),
        ..state
    };
    let left = rest.ids.len();
    let gone_text = gone
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <div class="empty-state" role="alert">
            <h2>"Some experiments of this comparison were deleted"</h2>
            <p>{format!("No longer there: experiment {gone_text}.")}</p>
            {(left >= 2).then(|| view! {
                <p><a href=rest.to_url()>{format!("Open it with the {left} that remain")}</a></p>
            })}
        </div>
    }
}
