//! The bar chart component: a canvas painted by [`draw_bar_chart`] once on screen (and
//! again at each new width), a table view and CSV/PNG exports.

use super::canvas::{device_ratio, prefers_dark, sized_backend, watch_canvas};
use super::chart_actions::ChartActions;
use super::draw_bar::draw_bar_chart;
use super::export::bars_csv;
use super::theme::ChartTheme;
use crate::format;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use trackboard_api::BarData;

/// A BAR log.
#[component]
pub fn BarChart(name: String, data: BarData) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let width = RwSignal::new(None::<u32>);
    let show_table = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(element) = canvas.get() {
            watch_canvas(element, width);
        }
    });
    let bars = data.clone();
    Effect::new(move |_| {
        if let (Some(element), Some(_)) = (canvas.get(), width.get()) {
            if let Some(backend) = sized_backend(&element) {
                let root = backend.into_drawing_area();
                let theme = ChartTheme::new(prefers_dark(), device_ratio());
                if let Err(error) = draw_bar_chart(&root, &bars, &theme) {
                    leptos::logging::warn!("could not draw a bar chart: {error}");
                }
            }
        }
    });
    let summary = data
        .x
        .iter()
        .zip(&data.y)
        .map(|(label, value)| format!("{label}: {}", format::value(*value)))
        .collect::<Vec<_>>()
        .join(", ");
    // The table shows every value exactly, not rounded like the axis labels.
    let rows = data.clone();
    let table = move || {
        show_table.get().then(|| {
            view! {
                <table class="data-table bar-table">
                    <caption class="visually-hidden">{format!("The bars of {}", rows.x.len())}</caption>
                    <thead><tr><th scope="col">"Label"</th><th scope="col">"Value"</th></tr></thead>
                    <tbody>{rows.x.iter().zip(&rows.y).map(|(label, value)| view! {
                        <tr><th scope="row">{label.clone()}</th><td>{value.to_string()}</td></tr>
                    }).collect_view()}</tbody>
                </table>
            }
        })
    };
    view! {
        <figure class="chart bar-chart">
            <figcaption>{name.clone()}</figcaption>
            <canvas node_ref=canvas class="chart-canvas" role="img" aria-label=format!("Bar chart of {name}: {summary}")></canvas>
            <ChartActions name show_table csv=move |()| bars_csv(&data) png=move |()| canvas.get()/>
            {table}
        </figure>
    }
}
