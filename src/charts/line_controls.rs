//! The controls under a line chart: smoothing, x axis, log scale, table view and exports.

use super::chart_actions::save_canvas_png;
use super::export::{file_stem, merge_experiment_csvs};
use super::time_axis::XAxis;
use crate::api::ApiClient;
use crate::components::save_file;
use crate::error::AppError;
use leptos::html::Canvas;
use leptos::prelude::*;

/// Smoothing slider, log-scale switch, "table" toggle, CSV (full resolution, from the
/// server) and PNG (what is on screen) exports.
#[component]
pub fn LineControls(
    /// The experiments drawn, with their labels (empty for a single experiment).
    experiments: Vec<(i64, String)>,
    log_name: String,
    smoothing: RwSignal<f64>,
    log_y: RwSignal<bool>,
    show_table: RwSignal<bool>,
    canvas: NodeRef<Canvas>,
    /// The x axis choice; `None` where there are no times (a snapshot).
    x_axis: Option<RwSignal<XAxis>>,
) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let problem = RwSignal::new(None::<String>);
    let csv_name = log_name.clone();
    let csv_parts = experiments.clone();
    let export_csv = Action::new_local(move |(): &()| {
        let client = client.clone();
        let (name, parts) = (csv_name.clone(), csv_parts.clone());
        async move {
            let result = match full_resolution_csv(&client, &parts, &name).await {
                Ok(csv) => save_file(csv.as_bytes(), &format!("{}.csv", file_stem(&name))),
                Err(error) => Err(error.to_string()),
            };
            problem.set(result.err());
        }
    });
    let png_name = log_name.clone();
    let export_png = move |_| {
        let saved = match canvas.get() {
            Some(element) => save_canvas_png(&element, &png_name),
            None => Err("the chart is not drawn yet".to_owned()),
        };
        problem.set(saved.err());
    };
    let slider_id = format!(
        "smoothing-{}-{}",
        experiments.first().map_or(0, |(id, _)| *id),
        file_stem(&log_name)
    );
    view! {
        <div class="chart-controls">
            <label for=slider_id.clone()>"Smoothing"</label>
            <input id=slider_id type="range" min="0" max="0.99" step="0.01"
                prop:value=move || smoothing.get().to_string()
                on:input=move |event| smoothing.set(event_target_value(&event).parse().unwrap_or(0.0))/>
            <span class="muted">{move || format!("{:.2}", smoothing.get())}</span>
            {x_axis.map(|x_axis| view! {
                <label>"X axis "
                    <select on:change=move |event| x_axis.set(XAxis::from_key(&event_target_value(&event)))
                        prop:value=move || x_axis.get().key()>
                        {XAxis::ALL.map(|axis| view! { <option value=axis.key()>{axis.label()}</option> })}
                    </select>
                </label>
            })}
            <label><input type="checkbox" prop:checked=move || log_y.get()
                on:change=move |event| log_y.set(event_target_checked(&event))/>" Log scale"</label>
            <button type="button" aria-pressed=move || show_table.get().to_string()
                on:click=move |_| show_table.update(|shown| *shown = !*shown)>"Table"</button>
            <button type="button" on:click=move |_| { export_csv.dispatch(()); }>"CSV"</button>
            <button type="button" on:click=export_png>"PNG"</button>
            <span class="field-error" role="alert">{move || problem.get()}</span>
        </div>
    }
}

/// Every point of the log: the server's CSV for one experiment, or the CSVs of each
/// experiment merged under one header with an `experiment` column.
async fn full_resolution_csv(
    client: &ApiClient,
    experiments: &[(i64, String)],
    log_name: &str,
) -> Result<String, AppError> {
    if let [(id, _)] = experiments {
        return client.line_points_csv(*id, log_name).await;
    }
    let mut parts = Vec::with_capacity(experiments.len());
    for (id, label) in experiments {
        parts.push((label.clone(), client.line_points_csv(*id, log_name).await?));
    }
    Ok(merge_experiment_csvs(&parts))
}
