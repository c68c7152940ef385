//! What the browser unit tests share: mounting a view into the document, reading its
//! text, waiting for the browser, and counting a canvas's colours.
#![allow(dead_code)]

use leptos::prelude::*;
use std::collections::HashSet;
use wasm_bindgen::JsCast;

/// Mounts `view` into a fresh `<div>` of the document (with an optional inline style)
/// and answers the div.
pub fn mount<V: IntoView + 'static>(
    style: &str,
    view: impl FnOnce() -> V + 'static,
) -> web_sys::HtmlElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let container: web_sys::HtmlElement = document
        .create_element("div")
        .expect("create div")
        .dyn_into()
        .expect("a div is an HtmlElement");
    container.set_attribute("style", style).expect("style");
    let body = document.body().expect("a body");
    body.insert_before(&container, body.first_child().as_ref())
        .expect("insert");
    leptos::mount::mount_to(container.clone(), view).forget();
    container
}

/// The text of every element matching `selector` under `root`.
pub fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).expect("valid selector");
    (0..nodes.length())
        .filter_map(|index| nodes.item(index))
        .map(|node| node.text_content().unwrap_or_default())
        .collect()
}

/// The first element matching `selector`, which must exist.
pub fn element<T: JsCast>(root: &web_sys::HtmlElement, selector: &str) -> T {
    root.query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into()
        .unwrap_or_else(|_| panic!("{selector} has another type"))
}

/// Lets the browser run timers, observers and animation frames for `ms` milliseconds.
pub async fn pause(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("timer");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer fired");
}

/// Waits (up to about 3 s) until `ready` holds; answers whether it did.
pub async fn eventually(mut ready: impl FnMut() -> bool) -> bool {
    for _ in 0..60 {
        if ready() {
            return true;
        }
        pause(50).await;
    }
    ready()
}

/// How many distinct colours a canvas holds (a blank canvas has one).
pub fn canvas_colours(canvas: &web_sys::HtmlCanvasElement) -> usize {
    if canvas.width() == 0 || canvas.height() == 0 {
        return 0;
    }
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .expect("context")
        .expect("2d")
        .dyn_into()
        .expect("2d context");
    let data = context
        .get_image_data(
            0.0,
            0.0,
            f64::from(canvas.width()),
            f64::from(canvas.height()),
        )
        .expect("pixels")
        .data();
    data.chunks(4)
        .step_by(4)
        .map(|p| (p[0], p[1], p[2]))
        .collect::<HashSet<_>>()
        .len()
}
