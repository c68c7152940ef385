//! What every canvas chart needs from the browser: its size once laid out, the device
//! pixel ratio and the colour scheme.

use leptos::prelude::*;
use plotters_canvas::CanvasBackend;

/// `css` pixels in device pixels on this screen.
pub fn device_pixels(css: i32) -> u32 {
    (f64::from(css.max(1)) * device_ratio()).round() as u32
}

/// Device pixels per CSS pixel (2 on most HiDPI screens).
pub fn device_ratio() -> f64 {
    web_sys::window().map_or(1.0, |window| window.device_pixel_ratio())
}

/// Whether the page is in dark mode (the OS preference, or the header's toggle).
pub fn prefers_dark() -> bool {
    let forced = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
        .and_then(|root| root.get_attribute("data-theme"));
    match forced.as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => web_sys::window()
            .and_then(|window| {
                window
                    .match_media("(prefers-color-scheme: dark)")
                    .ok()
                    .flatten()
            })
            .is_some_and(|query| query.matches()),
    }
}

/// Sets `width` to the canvas's width in device pixels once the browser has laid it out
/// (a view is built before it is attached, when its width is still 0). Retries on the
/// next frames, for about a second at most.
pub fn measure_when_laid_out(
    element: web_sys::HtmlCanvasElement,
    width: RwSignal<Option<u32>>,
    attempt: u32,
) {
    if element.client_width() > 0 {
        width.set(Some(device_pixels(element.client_width())));
    } else if attempt < 60 {
        request_animation_frame(move || measure_when_laid_out(element, width, attempt + 1));
    }
}

/// Sizes the canvas to its CSS box × devicePixelRatio and hands back a backend on it.
pub fn sized_backend(element: &web_sys::HtmlCanvasElement) -> Option<CanvasBackend> {
    element.set_width(device_pixels(element.client_width()));
    element.set_height(device_pixels(element.client_height()));
    CanvasBackend::with_canvas_object(element.clone())
}
