//! Keeps a scatter's canvas drawn: at its width once on screen, again whenever the points
//! or the axes' scales change, and tells where each dot landed (CSS pixels) for the
//! pointer to find.

use super::canvas::{device_ratio, prefers_dark, sized_backend, watch_canvas};
use super::draw_scatter::draw_scatter;
use super::draw_scatter::ScatterPoint;
use super::theme::ChartTheme;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;

/// Draws `points` on `canvas` (log10 axes as `logs` say) and keeps `placed` at each
/// dot's run and place.
pub fn draw_scatter_on(
    canvas: NodeRef<Canvas>,
    points: Memo<Vec<ScatterPoint>>,
    logs: (RwSignal<bool>, RwSignal<bool>),
    placed: RwSignal<Vec<(i64, f64, f64)>>,
) {
    let width = RwSignal::new(None::<u32>);
    Effect::new(move |_| {
        if let Some(element) = canvas.get() {
            watch_canvas(element, width);
        }
    });
    Effect::new(move |_| {
        let logs = (logs.0.get(), logs.1.get());
        points.with(|points| {
            let (Some(element), Some(_)) = (canvas.get(), width.get()) else {
                return;
            };
            let Some(backend) = sized_backend(&element) else {
                return;
            };
            let root = backend.into_drawing_area();
            let ratio = device_ratio();
            let theme = ChartTheme::new(prefers_dark(), ratio);
            match draw_scatter(&root, points, logs, &theme) {
                Ok(dots) => placed.set(
                    points
                        .iter()
                        .zip(dots)
                        .map(|(point, (x, y))| {
                            (
                                point.experiment_id,
                                f64::from(x) / ratio,
                                f64::from(y) / ratio,
                            )
                        })
                        .collect(),
                ),
                Err(error) => leptos::logging::warn!("could not draw a scatter: {error}"),
            }
        });
    });
}
