//! A confusion matrix as an HTML grid: real text in every cell (crisp, selectable,
//! read by screen readers), a colour per cell, a legend and a counts/normalised toggle.

use super::canvas::{device_ratio, prefers_dark};
use super::chart_actions::ChartActions;
use super::draw_heatmap::{draw_heatmap, heatmap_size};
use super::export::matrix_csv;
use super::heatmap_model::{
    cell_colour, cell_text, delta_colour, delta_text, CellMode, HeatmapModel,
};
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

/// One cell as shown: its text, its fill and whether its text must be light.
struct Cell {
    text: String,
    colour: (u8, u8, u8),
    light: bool,
}

/// A grid ready to render: labels, each cell, and the legend's ends.
struct Grid {
    rows: Vec<String>,
    columns: Vec<String>,
    cells: Vec<Vec<Cell>>,
    legend: [(String, (u8, u8, u8)); 2],
    /// A difference: the legend runs from less through no change to more.
    diverging: bool,
    /// Where each cell leads (its assets), if anywhere.
    links: Option<Vec<Vec<String>>>,
}

impl Grid {
    /// The model's cells as counts or ratios, or (`diverging`) as signed differences.
    fn new(
        model: &HeatmapModel,
        mode: CellMode,
        diverging: bool,
        links: Option<Vec<Vec<String>>>,
    ) -> Grid {
        let max = model.max;
        let paint = |value: f64| {
            let ((colour, light), text) = if diverging {
                (delta_colour(value, max), delta_text(value, mode))
            } else {
                (cell_colour(value, max), cell_text(value, mode))
            };
            Cell {
                text,
                colour,
                light,
            }
        };
        let low = if diverging { -max } else { 0.0 };
        let [low_cell, high_cell] = [paint(low), paint(max)];
        Grid {
            rows: model.rows.clone(),
            columns: model.columns.clone(),
            cells: model
                .cells
                .iter()
                .map(|row| row.iter().map(|v| paint(*v)).collect())
                .collect(),
            legend: [
                (low_cell.text, low_cell.colour),
                (high_cell.text, high_cell.colour),
            ],
            diverging,
            links,
        }
    }

    fn view(self) -> impl IntoView {
        let rgb = |(r, g, b): (u8, u8, u8)| format!("rgb({r}, {g}, {b})");
        let [(low_text, low), (high_text, high)] = self.legend;
        let ramp = if self.diverging {
            let (none, _) = delta_colour(0.0, 1.0);
            format!(
                "background: linear-gradient(to right, {}, {}, {})",
                rgb(low),
                rgb(none),
                rgb(high)
            )
        } else {
            format!(
                "background: linear-gradient(to right, {}, {})",
                rgb(low),
                rgb(high)
            )
        };
        view! {
            <table class="heatmap">
                <thead>
                    <tr>
                        <th scope="col" class="corner">"truth ↓ / predicted →"</th>
                        {self.columns.into_iter().map(|label| view! { <th scope="col">{label}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {self.rows.into_iter().zip(self.cells).enumerate().map(|(r, (label, row))| {
                        let links = self.links.as_ref().and_then(|links| links.get(r).cloned());
                        view! {
                            <tr>
                                <th scope="row">{label}</th>
                                {row.into_iter().enumerate().map(|(c, cell)| {
                                    let style = format!("background: {}; color: {}", rgb(cell.colour), if cell.light { "#fff" } else { "#000" });
                                    match links.as_ref().and_then(|row| row.get(c)) {
                                        Some(href) => {
                                            let link_style = style.clone();
                                            view! { <td style=style><a class="cell-link" href=href.clone() style=link_style>{cell.text}</a></td> }.into_any()
                                        }
                                        None => view! { <td style=style>{cell.text}</td> }.into_any(),
                                    }
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <p class="heatmap-legend">
                <span>{low_text}</span>
                <span class="legend-ramp" style=ramp></span>
                <span>{high_text}</span>
            </p>
        }
    }
}

/// A HEATMAP log, drawn as a labelled matrix. With a `baseline` (another experiment's
/// matrix of the same log, and that experiment's name), a toggle shows the difference
/// against it, cell by cell. With `cell_links`, each cell links where its items are.
#[component]
pub fn Heatmap(
    name: String,
    data: HeatmapData,
    #[prop(optional)] baseline: Option<(String, HeatmapData)>,
    #[prop(optional)] cell_links: Option<Vec<Vec<String>>>,
) -> impl IntoView {
    let mode = RwSignal::new(CellMode::Counts);
    let against_baseline = RwSignal::new(false);
    let data = StoredValue::new(data);
    let baseline = StoredValue::new(baseline);
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
    let matrix = move || {
        let mode = mode.get();
        let grid = match baseline.get_value().filter(|_| against_baseline.get()) {
            Some((_, base)) => data
                .with_value(|data| HeatmapModel::difference(data, &base, mode))
                .map(|difference| Grid::new(&difference, mode, true, None)),
            None => model().map(|model| Grid::new(&model, mode, false, cell_links.clone())),
        };
        match grid {
            Ok(grid) => grid.view().into_any(),
            Err(problem) => view! { <p class="field-error">{problem}</p> }.into_any(),
        }
    };
    let difference_toggle = baseline.get_value().map(|(base_name, _)| {
        view! {
            <button type="button" class="difference-toggle" aria-pressed=move || against_baseline.get().to_string()
                on:click=move |_| against_baseline.update(|on| *on = !*on)>
                {format!("Δ vs {base_name}")}
            </button>
        }
    });
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
                {difference_toggle}
            </figcaption>
            {matrix}
            <ChartActions name csv=export_csv png=export_png/>
        </figure>
    }
}
