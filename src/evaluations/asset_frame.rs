//! An evaluated asset's image with its outlines drawn over it on a canvas of exactly
//! the image's displayed size, so a box lands on the pixels it names.

use super::overlay::{draw_outlines, outlines};
use crate::experiments::ImageUrls;
use crate::perf;
use leptos::html::Canvas;
use leptos::prelude::*;
use trackboard_api::{EvaluatedAsset, InferenceType};
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

/// The largest `(width, height)` with the image's proportions inside `max_width` ×
/// `max_height` CSS pixels.
pub fn fitted(width: u32, height: u32, max_width: f64, max_height: f64) -> (f64, f64) {
    let (w, h) = (f64::from(width.max(1)), f64::from(height.max(1)));
    let scale = (max_width / w).min(max_height / h);
    ((w * scale).floor().max(1.0), (h * scale).floor().max(1.0))
}

/// The image (its `blob:` URL from `urls`, once fetched) and the canvas over it.
#[component]
pub fn AssetFrame(
    evaluated: EvaluatedAsset,
    kind: InferenceType,
    labels: Vec<String>,
    min_score: Signal<f64>,
    urls: ImageUrls,
    max_width: f64,
    max_height: f64,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let (width, height) = fitted(
        evaluated.asset.width,
        evaluated.asset.height,
        max_width,
        max_height,
    );
    let id = evaluated.asset.id;
    let image_width = f64::from(evaluated.asset.width.max(1));
    let evaluated = StoredValue::new(evaluated);
    let labels = StoredValue::new(labels);
    Effect::new(move |_| {
        let min_score = min_score.get();
        let Some(element) = canvas.get() else { return };
        let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        element.set_width((width * ratio).round() as u32);
        element.set_height((height * ratio).round() as u32);
        let Some(context) = element
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        context.clear_rect(0.0, 0.0, width * ratio, height * ratio);
        let shapes = evaluated.with_value(|e| outlines(e, kind, min_score));
        let scale = width * ratio / image_width;
        let line = (2.0 * ratio).round().max(1.0);
        labels.with_value(|labels| draw_outlines(&context, &shapes, labels, scale, line));
        perf::mark(perf::names::ASSET_DRAWN);
    });
    let alt = evaluated.with_value(|e| e.asset.filename.clone());
    let size = format!("width: {width}px; height: {height}px");
    let (image_size, canvas_size) = (size.clone(), size.clone());
    view! {
        <div class="asset-frame" style=size>
            <img src=move || urls.url(id) alt=alt style=image_size/>
            <canvas node_ref=canvas class="asset-overlay" style=canvas_size aria-hidden="true"></canvas>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_keeps_its_proportions_inside_the_box() {
        assert_eq!(fitted(160, 120, 216.0, 162.0), (216.0, 162.0));
        assert_eq!(fitted(100, 400, 216.0, 162.0), (40.0, 162.0));
        assert_eq!(fitted(1000, 100, 216.0, 162.0), (216.0, 21.0));
    }
}
