//! The bar chart component: a canvas sized once laid out, painted by [`draw_bar_chart`].

use super::canvas::{device_ratio, measure_when_laid_out, prefers_dark, sized_backend};
use super::draw_bar::draw_bar_chart;
use super::theme::ChartTheme;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use trackboard_api::BarData;

/// A BAR log.
#[component]
pub fn BarChart(name: String, data: BarData) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let width = RwSignal::new(None::<u32>);
    Effect::new(move |_| {
        if let Some(element) = canvas.get() {
            measure_when_laid_out(element, width, 0);
        }
    });
    let bars = data.clone();
    Effect::new(move |_| {
        if let (Some(element), Some(_)) = (canvas.get(), width.get()) {
            if let Some(backend) = sized_backend(&element) {
                let root = backend.into_drawing_area();
                if let Err(error) = draw_bar_chart(
                    &root,
                    &bars,
                    &ChartTheme::new(prefers_dark(), device_ratio()),
                ) {
                    leptos::logging::warn!("could not draw a bar chart: {error}");
                }
            }
        }
    });
    let summary = data
        .x
        .iter()
        .zip(&data.y)
        .map(|(label, value)| format!("{label}: {}", crate::format::value(*value)))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <figure class="chart">
            <figcaption>{name.clone()}</figcaption>
            <canvas node_ref=canvas class="chart-canvas" role="img" aria-label=format!("Bar chart of {name}: {summary}")></canvas>
        </figure>
    }
}
