//! The buttons under a bar chart or a confusion matrix: the table view and the CSV and
//! PNG exports, and the browser side of saving a chart as PNG.

use super::export::file_stem;
use crate::components::{save_file, save_url};
use leptos::prelude::*;
use web_sys::HtmlCanvasElement;

/// Saves what `canvas` shows as `<stem>.png`.
pub fn save_canvas_png(canvas: &HtmlCanvasElement, name: &str) -> Result<(), String> {
    let url = canvas
        .to_data_url()
        .map_err(|_| "the browser refused to read the chart's pixels".to_owned())?;
    save_url(&url, &format!("{}.png", file_stem(name)))
}

/// "Table" (when the chart has a table view), "CSV" and "PNG" for a chart called `name`.
/// `csv` makes the file's text; `png` hands over a canvas holding the picture.
#[component]
pub fn ChartActions(
    name: String,
    #[prop(optional)] show_table: Option<RwSignal<bool>>,
    #[prop(into)] csv: Callback<(), String>,
    #[prop(into)] png: Callback<(), Option<HtmlCanvasElement>>,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let csv_name = name.clone();
    let export_csv = move |_| {
        let text = csv.run(());
        problem.set(save_file(text.as_bytes(), &format!("{}.csv", file_stem(&csv_name))).err());
    };
    let export_png = move |_| {
        let saved = match png.run(()) {
            Some(canvas) => save_canvas_png(&canvas, &name),
            None => Err("the chart is not drawn yet".to_owned()),
        };
        problem.set(saved.err());
    };
    view! {
        <div class="chart-controls">
            {show_table.map(|shown| view! {
                <button type="button" aria-pressed=move || shown.get().to_string()
                    on:click=move |_| shown.update(|on| *on = !*on)>"Table"</button>
            })}
            <button type="button" on:click=export_csv>"CSV"</button>
            <button type="button" on:click=export_png>"PNG"</button>
            <span class="field-error" role="alert">{move || problem.get()}</span>
        </div>
    }
}
