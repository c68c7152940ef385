//! Precision/recall curves of an evaluation's classes (precision at recall 0, 0.01, …,
//! 1, as COCOeval reads them), one line per class, with a picker to show one class.

use super::canvas::{device_ratio, prefers_dark, sized_backend, watch_canvas};
use super::draw_line::{draw_line_chart, LineStyle, XLabels};
use super::line_model::{LineChartModel, SeriesLine};
use super::theme::{series_colour, ChartTheme};
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;

/// The curves to draw: every class (`picked` empty) or the one named, each keeping its
/// colour (its place among all classes).
pub fn precision_recall_model(curves: &[(String, Vec<f64>)], picked: &str) -> LineChartModel {
    let series = curves
        .iter()
        .enumerate()
        .filter(|(_, (label, _))| picked.is_empty() || label == picked)
        .map(|(colour, (label, precision))| {
            let last = precision.len().saturating_sub(1).max(1) as f64;
            SeriesLine {
                name: label.clone(),
                colour,
                segments: vec![precision
                    .iter()
                    .enumerate()
                    .map(|(r, p)| (r as f64 / last, *p))
                    .collect()],
            }
        })
        .collect();
    LineChartModel {
        series,
        x_range: (0.0, 1.0),
        y_range: (0.0, 1.05),
    }
}

/// The chart: a canvas, a class picker and a legend.
#[component]
pub fn PrecisionRecallChart(name: String, curves: Vec<(String, Vec<f64>)>) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let width = RwSignal::new(None::<u32>);
    let picked = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(element) = canvas.get() {
            watch_canvas(element, width);
        }
    });
    let curves = StoredValue::new(curves);
    Effect::new(move |_| {
        let picked = picked.get();
        if let (Some(element), Some(_)) = (canvas.get(), width.get()) {
            if let Some(backend) = sized_backend(&element) {
                let root = backend.into_drawing_area();
                let theme = ChartTheme::new(prefers_dark(), device_ratio());
                let model = curves.with_value(|curves| precision_recall_model(curves, &picked));
                let style = LineStyle {
                    x_labels: XLabels::Values,
                    ..LineStyle::default()
                };
                if let Err(error) = draw_line_chart(&root, &model, &theme, style) {
                    leptos::logging::warn!("could not draw precision/recall curves: {error}");
                }
            }
        }
    });
    let options = curves.with_value(|curves| {
        curves
            .iter()
            .map(|(label, _)| view! { <option value=label.clone()>{label.clone()}</option> })
            .collect_view()
    });
    let legend = curves.with_value(|curves| {
        curves
            .iter()
            .enumerate()
            .map(|(index, (label, _))| {
                let colour = series_colour(index);
                let style = format!("background: rgb({}, {}, {})", colour.0, colour.1, colour.2);
                view! { <li><span class="swatch" style=style></span>{label.clone()}</li> }
            })
            .collect_view()
    });
    let picker_id = format!(
        "pr-class-{}",
        name.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    let label_for = picker_id.clone();
    view! {
        <figure class="chart pr-chart">
            <figcaption>
                {name.clone()}
                <label class="inline-field" for=label_for>"Class "
                    <select id=picker_id on:change=move |event| picked.set(event_target_value(&event))>
                        <option value="">"All classes"</option>
                        {options}
                    </select>
                </label>
            </figcaption>
            <canvas node_ref=canvas class="chart-canvas" role="img"
                aria-label=move || format!("Precision against recall at IoU 0.50 for {}", if picked.get().is_empty() { "every class".to_owned() } else { picked.get() })></canvas>
            <ul class="chart-legend">{legend}</ul>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recall_runs_from_zero_to_one_and_a_pick_keeps_its_colour() {
        let curves = vec![
            ("car".to_owned(), vec![1.0; 101]),
            ("bike".to_owned(), vec![0.5; 101]),
        ];
        let all = precision_recall_model(&curves, "");
        assert_eq!(all.series.len(), 2);
        assert_eq!(all.series[0].segments[0][100], (1.0, 1.0));
        assert_eq!(all.series[0].segments[0][50], (0.5, 1.0));
        let bike = precision_recall_model(&curves, "bike");
        assert_eq!(bike.series.len(), 1);
        assert_eq!(bike.series[0].colour, 1);
    }
}
