//! Browser unit tests of the bar chart and the confusion matrix: mounted with fixture
//! data in headless Chromium, their DOM read and their canvas's pixels counted.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use support::{canvas_colours, element, eventually, mount, texts};
use trackboard::charts::{BarChart, BarGroups, Heatmap};
use trackboard_api::{BarData, HeatmapData};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_bar_chart_paints_its_canvas_and_shows_its_data_as_a_table() {
    let data = BarData {
        x: vec!["car".into(), "pedestrian".into(), "<b>bus</b>".into()],
        y: vec![5210.0, 1800.5, 12.0],
    };
    let root = mount("width: 480px", move || {
        view! { <BarChart name="class counts".to_owned() groups=BarGroups::single(&data)/> }
    });
    let canvas: web_sys::HtmlCanvasElement = element(&root, "canvas");
    assert!(
        eventually(|| canvas_colours(&canvas) > 2).await,
        "the bars are painted ({} colours)",
        canvas_colours(&canvas)
    );
    let ratio = web_sys::window().expect("window").device_pixel_ratio();
    assert_eq!(
        f64::from(canvas.width()),
        (f64::from(canvas.client_width()) * ratio).round(),
        "canvas sized to CSS × devicePixelRatio"
    );
    assert!(root.query_selector("table").expect("selector").is_none());
    let table_button: web_sys::HtmlElement = element(&root, ".chart-controls button");
    assert_eq!(table_button.text_content().as_deref(), Some("Table"));
    table_button.click();
    assert!(eventually(|| !texts(&root, ".bar-table tbody tr").is_empty()).await);
    assert_eq!(
        texts(&root, ".bar-table tbody th"),
        ["car", "pedestrian", "<b>bus</b>"]
    );
    assert_eq!(
        texts(&root, ".bar-table tbody td"),
        ["5210", "1800.5", "12"]
    );
    assert_eq!(
        table_button.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
}

#[wasm_bindgen_test]
async fn a_confusion_matrix_labels_its_extra_row_fp_and_column_fn() {
    let data = HeatmapData {
        categories: vec!["car".into(), "pedestrian".into()],
        values: vec![
            vec![33.0, 0.0, 13.0],
            vec![2.0, 7.0, 16.0],
            vec![10.0, 0.0, 0.0],
        ],
    };
    let root = mount("width: 480px", move || {
        view! { <Heatmap name="confusion".to_owned() data/> }
    });
    assert_eq!(texts(&root, "thead th")[1..], ["car", "pedestrian", "FN"]);
    assert_eq!(texts(&root, "tbody th"), ["car", "pedestrian", "FP"]);
    assert_eq!(
        texts(&root, "tbody td"),
        ["33", "0", "13", "2", "7", "16", "10", "0", "0"]
    );
    let row_percent: web_sys::HtmlElement = element(&root, "button[aria-pressed='false']");
    assert_eq!(row_percent.text_content().as_deref(), Some("Row %"));
    row_percent.click();
    assert!(eventually(|| texts(&root, "tbody td")[0] == "71.7 %").await);
    assert_eq!(texts(&root, "tbody td")[..3], ["71.7 %", "0.0 %", "28.3 %"]);
    let buttons = texts(&root, ".chart-controls button");
    assert_eq!(buttons, ["CSV", "PNG"]);
}
