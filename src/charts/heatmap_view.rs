//! A confusion matrix as an HTML grid: real text in every cell (crisp, selectable,
//! read by screen readers), a colour per cell, a legend and a counts/normalised toggle.

use super::canvas::{device_ratio, prefers_dark};
use super::chart_actions::ChartActions;
use super::draw_heatmap::{draw_heatmap, heatmap_size};
use super::export::matrix_csv;
use super::heatmap_model::{cell_colour, cell_text, CellMode, HeatmapModel};
use super::theme::ChartTheme;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use trackboard_api::HeatmapData;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

/// The matrix drawn on a new canvas (not in the page), for the PNG export.
fn matrix_canvas(model: &HeatmapModel, mode: CellMode, title: &str) -> Option<HtmlCanvasElement> {
    let theme = ChartTheme::new(prefers_dark(), device_ratio());
    let (width, height) = heatmap_size(model.rows.len(), model.columns.len(), &theme);
    let canvas: HtmlCanvasElement = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(width);
    canvas.set_height(height);
    let root = CanvasBackend::with_canvas_object(canvas.clone())?.into_drawing_area();
    match draw_heatmap(&root, model, mode, title, &theme) {
        Ok(()) => Some(canvas),
        Err(error) => {
            leptos::logging::warn!("could not draw a confusion matrix: {error}");
            None
        }
    }
}

/// A HEATMAP log, drawn as a labelled matrix.
#[component]
pub fn Heatmap(name: String, data: HeatmapData) -> impl IntoView {
    let mode = RwSignal::new(CellMode::Counts);
    let data = StoredValue::new(data);
    let model = move || data.with_value(|data| HeatmapModel::new(data, mode.get()));
    let export_title = name.clone();
    let export_csv = move |()| match model() {
        Ok(model) => matrix_csv(&model, mode.get_untracked()),
        Err(problem) => problem,
    };
    let export_png = move |()| {
        model()
            .ok()
            .and_then(|model| matrix_canvas(&model, mode.get_untracked(), &export_title))
    };
    let matrix = move || match model() {
        Err(problem) => view! { <p class="field-error">{problem}</p> }.into_any(),
        Ok(model) => {
            let mode = mode.get();
            let max = model.max;
            let (low, _) = cell_colour(0.0, max);
            let (high, _) = cell_colour(max, max);
            view! {
                <table class="heatmap">
                    <thead>
                        <tr>
                            <th scope="col" class="corner">"truth ↓ / predicted →"</th>
                            {model.columns.iter().map(|label| view! { <th scope="col">{label.clone()}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {model.rows.iter().zip(&model.cells).map(|(label, row)| view! {
                            <tr>
                                <th scope="row">{label.clone()}</th>
                                {row.iter().map(|value| {
                                    let ((r, g, b), light) = cell_colour(*value, max);
                                    let style = format!("background: rgb({r}, {g}, {b}); color: {}", if light { "#fff" } else { "#1c2430" });
                                    view! { <td style=style>{cell_text(*value, mode)}</td> }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <p class="heatmap-legend">
                    <span>{cell_text(0.0, mode)}</span>
                    <span class="legend-ramp" style=format!(
                        "background: linear-gradient(to right, rgb({}, {}, {}), rgb({}, {}, {}))",
                        low.0, low.1, low.2, high.0, high.1, high.2
                    )></span>
                    <span>{cell_text(max, mode)}</span>
                </p>
            }
            .into_any()
        }
    };
    view! {
        <figure class="chart heatmap-chart">
            <figcaption>
                {name.clone()}
                <span class="toggle" role="group" aria-label="Cell values">
                    <button type="button" aria-pressed=move || (mode.get() == CellMode::Counts).to_string()
                        on:click=move |_| mode.set(CellMode::Counts)>"Counts"</button>
                    <button type="button" aria-pressed=move || (mode.get() == CellMode::RowNormalised).to_string()
                        on:click=move |_| mode.set(CellMode::RowNormalised)>"Row %"</button>
                </span>
            </figcaption>
            {matrix}
            <ChartActions name csv=export_csv png=export_png/>
        </figure>
    }
}
