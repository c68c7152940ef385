//! Keeps a grouped chart's canvas drawn: at its width once on screen (which the caller
//! reads to ask the server for bands that many columns wide), and again whenever the
//! bands or the members shown change.

use super::canvas::{device_ratio, prefers_dark, sized_backend, watch_canvas};
use super::draw_bands::{draw_bands, Band, MemberLine};
use super::theme::ChartTheme;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;

/// Draws `picture` (bands over members) on `canvas`, keeping `width` at the canvas's
/// width in device pixels.
pub fn draw_bands_on(
    canvas: NodeRef<Canvas>,
    picture: Memo<(Vec<Band>, Vec<MemberLine>)>,
    width: RwSignal<Option<u32>>,
) {
    Effect::new(move |_| {
        if let Some(element) = canvas.get() {
            watch_canvas(element, width);
        }
    });
    Effect::new(move |_| {
        picture.with(|(bands, members)| {
            let (Some(element), Some(_)) = (canvas.get(), width.get()) else {
                return;
            };
            let Some(backend) = sized_backend(&element) else {
                return;
            };
            let theme = ChartTheme::new(prefers_dark(), device_ratio());
            match draw_bands(&backend.into_drawing_area(), bands, members, &theme) {
                Ok(()) if !bands.is_empty() => crate::perf::mark(crate::perf::names::BANDS_DRAWN),
                Ok(()) => {}
                Err(error) => leptos::logging::warn!("could not draw a grouped chart: {error}"),
            }
        });
    });
}
