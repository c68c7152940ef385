//! Keeps a parallel-coordinates canvas drawn: at its width once on screen, again when
//! the lines, the kept runs or the brushes change, and tells where the axes landed (CSS
//! pixels) for the pointer to brush.

use super::canvas::{device_ratio, prefers_dark, sized_backend, watch_canvas};
use super::draw_parallel::{draw_parallel, stroke_each, Stroke};
use super::draw_parallel::{Axis, RunLine};
use super::theme::ChartTheme;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use std::collections::HashSet;

/// The axes' places in CSS pixels: each axis's x, and the y of heights 1 and 0.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AxesOnScreen {
    pub xs: Vec<f64>,
    pub top: f64,
    pub bottom: f64,
}

/// Draws `model` on `canvas` with `kept` runs in colour and `brushes`, keeping
/// `placed` at the axes' places.
pub fn draw_parallel_on(
    canvas: NodeRef<Canvas>,
    model: Memo<(Vec<Axis>, Vec<RunLine>)>,
    kept: Memo<HashSet<i64>>,
    brushes: RwSignal<Vec<(usize, f64, f64)>>,
    placed: RwSignal<AxesOnScreen>,
) {
    let width = RwSignal::new(None::<u32>);
    Effect::new(move |_| {
        if let Some(element) = canvas.get() {
            watch_canvas(element, width);
        }
    });
    Effect::new(move |_| {
        let brushes = brushes.get();
        kept.with(|kept| {
            model.with(|(axes, lines)| {
                let (Some(element), Some(_)) = (canvas.get(), width.get()) else {
                    return;
                };
                let Some(backend) = sized_backend(&element) else {
                    return;
                };
                let root = backend.into_drawing_area();
                let ratio = device_ratio();
                let theme = ChartTheme::new(prefers_dark(), ratio);
                let mut stroke = stroke_together(&element);
                match draw_parallel(&root, axes, lines, kept, &brushes, &theme, &mut *stroke) {
                    Ok(place) => {
                        crate::perf::mark(crate::perf::names::PARALLEL_DRAWN);
                        placed.set(AxesOnScreen {
                            xs: place.xs.iter().map(|x| f64::from(*x) / ratio).collect(),
                            top: f64::from(place.top) / ratio,
                            bottom: f64::from(place.bottom) / ratio,
                        })
                    }
                    Err(error) => {
                        leptos::logging::warn!("could not draw parallel coordinates: {error}")
                    }
                }
            })
        });
    });
}

/// Strokes polylines on the canvas as one path (see [`super::draw_parallel::Stroke`]),
/// or one by one through plotters when the canvas has no 2D context.
fn stroke_together(
    element: &web_sys::HtmlCanvasElement,
) -> Box<Stroke<'static, plotters_canvas::CanvasBackend>> {
    use plotters::style::Color;
    use wasm_bindgen::JsCast;
    let context = element
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|context| context.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
    Box::new(move |root, style, parts| {
        let Some(context) = &context else {
            return stroke_each(root, style, parts);
        };
        let (r, g, b) = style.color.rgb();
        context.set_stroke_style_str(&format!("rgba({r},{g},{b},{})", style.color.alpha()));
        context.set_line_width(f64::from(style.stroke_width));
        context.begin_path();
        for part in parts {
            for (index, &(x, y)) in part.iter().enumerate() {
                if index == 0 {
                    context.move_to(f64::from(x), f64::from(y));
                } else {
                    context.line_to(f64::from(x), f64::from(y));
                }
            }
        }
        context.stroke();
        Ok(())
    })
}
