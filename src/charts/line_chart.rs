//! The line chart component: measures its canvas, asks the server for the points at
//! that width in device pixels, and paints them with [`draw_line_chart`].

use super::canvas::{device_ratio, measure_when_laid_out, prefers_dark, sized_backend};
use super::theme::{series_colour, ChartTheme};
use super::{draw_line_chart, LineChartModel};
use crate::api::ApiClient;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use trackboard_api::LinePoints;

/// A LINE log of an experiment, drawn with a legend of its series.
#[component]
pub fn LineChart(experiment_id: i64, log_name: String) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let canvas = NodeRef::<Canvas>::new();
    let device_width = RwSignal::new(None::<u32>);
    Effect::new(move |_| {
        if let Some(element) = canvas.get() {
            measure_when_laid_out(element, device_width, 0);
        }
    });
    let name = log_name.clone();
    let points = LocalResource::new(move || {
        let client = client.clone();
        let name = name.clone();
        let width = device_width.get();
        async move {
            match width {
                Some(width) => Some(client.line_points(experiment_id, &name, None, width).await),
                None => None,
            }
        }
    });
    Effect::new(move |_| {
        if let (Some(element), Some(Some(Ok(points)))) = (canvas.get(), points.get()) {
            paint(&element, &points);
        }
    });
    let legend = move || {
        match points.get() {
        Some(Some(Ok(points))) => points
            .series
            .iter()
            .enumerate()
            .map(|(index, series)| {
                let colour = series_colour(index);
                let swatch = format!("background: rgb({}, {}, {})", colour.0, colour.1, colour.2);
                let note = series.reduced.then(|| format!(" ({} points, drawn exactly from their M4 reduction)", series.points_in_range));
                view! {
                    <li><span class="swatch" style=swatch></span>{series.name.clone()}<span class="muted">{note}</span></li>
                }
            })
            .collect_view()
            .into_any(),
        Some(Some(Err(error))) => view! { <li class="field-error">{error.to_string()}</li> }.into_any(),
        _ => view! { <li class="muted">"Loading points…"</li> }.into_any(),
    }
    };
    view! {
        <figure class="chart line-chart">
            <figcaption>{log_name.clone()}</figcaption>
            <canvas node_ref=canvas class="chart-canvas" role="img" aria-label=format!("Line chart of {log_name}")></canvas>
            <ul class="chart-legend">{legend}</ul>
        </figure>
    }
}

/// Sizes the canvas to its CSS box × devicePixelRatio and draws the points on it.
fn paint(element: &web_sys::HtmlCanvasElement, points: &LinePoints) {
    let (Some(from), Some(to)) = (points.from, points.to) else {
        return;
    };
    let Some(model) = LineChartModel::new(&points.series, from, to) else {
        return;
    };
    let Some(backend) = sized_backend(element) else {
        return;
    };
    let root = backend.into_drawing_area();
    if let Err(error) = draw_line_chart(
        &root,
        &model,
        &ChartTheme::new(prefers_dark(), device_ratio()),
    ) {
        leptos::logging::warn!("could not draw a chart: {error}");
    }
}
