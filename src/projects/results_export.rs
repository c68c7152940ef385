//! The project's results as a CSV file (seed 004's "results as a DataFrame"): one row
//! per experiment, every VALUE log and parameter a column, as the server streams it.

use crate::api::ApiClient;
use crate::charts::file_stem;
use crate::components::save_file;
use leptos::prelude::*;

/// A button that downloads `GET /projects/{id}/results.csv` as `<project>-results.csv`.
#[component]
pub fn ResultsExport(project_id: i64, project_name: String) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let problem = RwSignal::new(None::<String>);
    let filename = format!("{}-results.csv", file_stem(&project_name));
    let export = Action::new_local(move |_: &()| {
        let client = client.clone();
        let filename = filename.clone();
        async move {
            let saved = match client.results_csv(project_id).await {
                Ok(bytes) => save_file(&bytes, &filename),
                Err(error) => Err(error.to_string()),
            };
            problem.set(saved.err().map(|why| format!("The export failed: {why}")));
        }
    });
    let busy = export.pending();
    view! {
        <div class="results-export">
            <button type="button" class="secondary" on:click=move |_| { export.dispatch(()); } disabled=busy
                title="Every experiment with its values and parameters, as CSV">
                {move || if busy.get() { "Exporting…" } else { "Export CSV" }}
            </button>
            <span class="field-error" role="alert" hidden=move || problem.with(Option::is_none)>{move || problem.get()}</span>
        </div>
    }
}
