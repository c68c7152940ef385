//! What every canvas chart needs from the browser: its size once laid out, the device
//! pixel ratio and the colour scheme.

use leptos::prelude::*;
use plotters_canvas::CanvasBackend;
use send_wrapper::SendWrapper;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{
    HtmlCanvasElement, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit,
    ResizeObserver,
};

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

/// Keeps `width` at the canvas's width in device pixels: set the first time the canvas
/// comes near the screen (a chart below the fold is neither fetched nor drawn until
/// scrolled to) and again whenever its CSS width changes (a resized window), so the chart
/// redraws, and refetches its points, at the new width. Stops when the owner is cleaned up.
pub fn watch_canvas(element: HtmlCanvasElement, width: RwSignal<Option<u32>>) {
    let seen = Rc::new(Cell::new(false));
    let update = {
        let (element, seen) = (element.clone(), seen.clone());
        move || {
            if seen.get() && element.client_width() > 0 {
                let device = device_pixels(element.client_width());
                // Gone meanwhile (the chart left the page): nothing to size.
                if width
                    .try_get_untracked()
                    .is_some_and(|now| now != Some(device))
                {
                    width.set(Some(device));
                }
            }
        }
    };
    let on_intersect = Closure::<dyn FnMut(js_sys::Array)>::new({
        let (update, seen) = (update.clone(), seen.clone());
        move |entries: js_sys::Array| {
            let visible = entries.iter().any(|entry| {
                entry
                    .unchecked_into::<IntersectionObserverEntry>()
                    .is_intersecting()
            });
            if visible {
                seen.set(true);
                update();
            }
        }
    });
    let on_resize = Closure::<dyn FnMut()>::new({
        let update = update.clone();
        move || update()
    });
    let options = IntersectionObserverInit::new();
    options.set_root_margin(&format!("{NEAR_SCREEN_PX}px"));
    let intersection =
        IntersectionObserver::new_with_options(on_intersect.as_ref().unchecked_ref(), &options)
            .ok();
    let resize = ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
    match &intersection {
        Some(observer) => observer.observe(&element),
        // Without the observer (an old browser) every chart draws at once.
        None => {
            seen.set(true);
            update();
        }
    }
    if let Some(observer) = &resize {
        observer.observe(&element);
    }
    // On screen in the first frame: sized then, not on the observer's first report,
    // which came after the next frame's callbacks. A compare view of 100 runs builds its
    // sections below the charts in that frame (~0.3 s), and its points request waited.
    request_animation_frame({
        let element = element.clone();
        move || {
            if near_screen(&element) {
                seen.set(true);
                update();
            }
        }
    });
    let observers = SendWrapper::new((intersection, resize, on_intersect, on_resize));
    on_cleanup(move || {
        let (intersection, resize, _, _) = observers.take();
        if let Some(observer) = intersection {
            observer.disconnect();
        }
        if let Some(observer) = resize {
            observer.disconnect();
        }
    });
}

/// How near the screen a canvas counts as seen (CSS pixels, every side).
const NEAR_SCREEN_PX: f64 = 200.0;

/// Whether `element` is laid out within [`NEAR_SCREEN_PX`] of the visible part of the page.
fn near_screen(element: &HtmlCanvasElement) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let size = |length: Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>| {
        length
            .ok()
            .and_then(|length| length.as_f64())
            .unwrap_or(0.0)
    };
    let (height, width) = (size(window.inner_height()), size(window.inner_width()));
    let rect = element.get_bounding_client_rect();
    rect.width() > 0.0
        && rect.bottom() > -NEAR_SCREEN_PX
        && rect.top() < height + NEAR_SCREEN_PX
        && rect.right() > -NEAR_SCREEN_PX
        && rect.left() < width + NEAR_SCREEN_PX
}

/// Sizes the canvas to its CSS box × devicePixelRatio and hands back a backend on it.
pub fn sized_backend(element: &HtmlCanvasElement) -> Option<CanvasBackend> {
    element.set_width(device_pixels(element.client_width()));
    element.set_height(device_pixels(element.client_height()));
    CanvasBackend::with_canvas_object(element.clone())
}
