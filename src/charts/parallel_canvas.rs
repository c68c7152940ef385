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
    // The first draw happens at once. A redraw (a brush moved, a column chosen) waits
    // until the frame after next, so that the table's rows, updated in this same turn,
    // are painted first, rather than after ~10,000 lines are rasterized; the redraws of
    // a drag come together, one per frame, each of the latest brushes.
    let drawn_once = StoredValue::new(false);
    let pending = StoredValue::new(false);
    Effect::new(move |_| {
        // Nothing is computed while the canvas is unseen (a closed section).
        if canvas.get().is_none() || width.get().is_none() {
            return;
        }
        brushes.track();
        kept.track();
        model.track();
        if !drawn_once.get_value() {
            drawn_once.set_value(true);
            draw_now(canvas, model, kept, brushes, placed);
        } else if !pending.get_value() {
            pending.set_value(true);
            request_animation_frame(move || {
                request_animation_frame(move || {
                    // Gone before then (the user navigated on): nothing to draw.
                    if pending.try_set_value(false).is_none() {
                        draw_now(canvas, model, kept, brushes, placed);
                    }
                })
            });
        }
    });
}

/// Draws the current picture, untracked; nothing once the chart is gone.
fn draw_now(
    canvas: NodeRef<Canvas>,
    model: Memo<(Vec<Axis>, Vec<RunLine>)>,
    kept: Memo<HashSet<i64>>,
    brushes: RwSignal<Vec<(usize, f64, f64)>>,
    placed: RwSignal<AxesOnScreen>,
) {
    let (Some(element), Some(brushes)) = (canvas.get_untracked(), brushes.try_get_untracked())
    else {
        return;
    };
    let Some(backend) = sized_backend(&element) else {
        return;
    };
    let drawn = kept.try_with_untracked(|kept| {
        model.with_untracked(|(axes, lines)| {
            let root = backend.into_drawing_area();
            let theme = ChartTheme::new(prefers_dark(), device_ratio());
            let mut stroke = stroke_together(&element);
            draw_parallel(&root, axes, lines, kept, &brushes, &theme, &mut *stroke)
        })
    });
    match drawn {
        Some(Ok(place)) => {
            crate::perf::mark(crate::perf::names::PARALLEL_DRAWN);
            let ratio = device_ratio();
            placed.set(AxesOnScreen {
                xs: place.xs.iter().map(|x| f64::from(*x) / ratio).collect(),
                top: f64::from(place.top) / ratio,
                bottom: f64::from(place.bottom) / ratio,
            })
        }
        Some(Err(error)) => {
            leptos::logging::warn!("could not draw parallel coordinates: {error}")
        }
        None => {}
    }
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
