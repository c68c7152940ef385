//! Keeps a parallel-coordinates canvas drawn: at its width once on screen, again when
//! the lines, the kept runs or the brushes change, and tells where the axes landed (CSS
//! pixels) for the pointer to brush.

use super::canvas::{device_ratio, prefers_dark, sized_backend, watch_canvas};
use super::draw_parallel::draw_parallel;
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
                match draw_parallel(&root, axes, lines, kept, &brushes, &theme) {
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
