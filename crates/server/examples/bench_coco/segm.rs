//! The segm figures: the same frames with fewer objects (COCO val2017's shape: about
//! 6 objects and 10 detections an image), ground truth as polygons (as COCO's objects
//! come) and detections as compressed run-length masks (as detectron2 and mmdetection
//! write segm results), evaluated by the engine, pycocotools and faster-coco-eval.

use super::{median, Frame, CLASSES, IMAGES};
use serde_json::{json, Value};
use std::path::Path;
use std::time::Instant;
use trackboard_api::compress_runs;
use trackboard_server::evaluation::coco::{
    evaluate, CocoFigures, CocoInput, Detection, GroundTruth, Image, IouKind, Region,
};
use trackboard_server::evaluation::mask::Mask;

/// Objects and detections kept of each frame.
pub const OBJECTS: usize = 6;
pub const DETECTIONS: usize = 10;
const WIDTH: u32 = 640;
const HEIGHT: u32 = 480;

/// The octagon inscribed in a box: an object's outline.
fn octagon([x, y, w, h]: [f64; 4]) -> Vec<f64> {
    let (a, b) = (w * 0.3, h * 0.3);
    vec![
        x + a,
        y,
        x + w - a,
        y,
        x + w,
        y + b,
        x + w,
        y + h - b,
        x + w - a,
        y + h,
        x + a,
        y + h,
        x,
        y + h - b,
        x,
        y + b,
    ]
}

/// The engine's input and the files pycocotools reads, for the same data.
pub fn inputs(frames: &[Frame]) -> (CocoInput, Value, Value) {
    let mut input = CocoInput {
        categories: (0..CLASSES as i64).collect(),
        ..CocoInput::default()
    };
    let (mut annotations, mut results) = (Vec::new(), Vec::new());
    let pixels = u64::from(WIDTH) * u64::from(HEIGHT);
    for (index, (truths, found)) in frames.iter().enumerate() {
        let image_id = index as i64 + 1;
        input.images.push(Image {
            id: image_id,
            width: WIDTH,
            height: HEIGHT,
        });
        for (class, bbox) in &truths[..OBJECTS] {
            let outline = octagon(*bbox);
            let area =
                Mask::from_polygons(std::slice::from_ref(&outline), WIDTH, HEIGHT).area() as f64;
            annotations.push(json!({"id": annotations.len() + 1, "image_id": image_id,
                "category_id": class, "bbox": bbox, "area": area, "iscrowd": 0,
                "segmentation": [outline]}));
            input.ground_truth.push(GroundTruth {
                image_id,
                category_id: *class as i64,
                area,
                region: Region::Polygons(vec![outline]),
                crowd: false,
            });
        }
        for (class, bbox, score) in &found[..DETECTIONS] {
            let runs = Mask::from_polygons(&[octagon(*bbox)], WIDTH, HEIGHT).counts(pixels);
            results.push(
                json!({"image_id": image_id, "category_id": class, "score": score,
                "segmentation": {"size": [HEIGHT, WIDTH], "counts": compress_runs(&runs)}}),
            );
            input.detections.push(Detection {
                image_id,
                category_id: *class as i64,
                score: *score,
                area: None,
                region: Region::Runs {
                    height: HEIGHT,
                    runs,
                },
            });
        }
    }
    let truth = json!({
        "images": (1..=IMAGES).map(|id| json!({"id": id, "width": WIDTH, "height": HEIGHT})).collect::<Vec<_>>(),
        "categories": (0..CLASSES).map(|c| json!({"id": c, "name": format!("class {c}")})).collect::<Vec<_>>(),
        "annotations": annotations,
    });
    (input, truth, Value::Array(results))
}

/// The engine's figures and its median time of three runs.
pub fn engine(input: &CocoInput) -> (CocoFigures, f64) {
    let mut seconds = Vec::new();
    let mut figures = None;
    for _ in 0..3 {
        let started = Instant::now();
        figures = Some(evaluate(input, IouKind::Segm));
        seconds.push(started.elapsed().as_secs_f64());
    }
    eprintln!("segm engine: {seconds:?}");
    (figures.expect("three runs"), median(seconds))
}

/// Writes the files for `scripts/bench_cocoeval.py … segm`.
pub fn write_reference_input(truth: &Value, results: &Value, folder: &Path) -> anyhow::Result<()> {
    std::fs::write(folder.join("truth-segm.json"), serde_json::to_vec(truth)?)?;
    std::fs::write(
        folder.join("detections-segm.json"),
        serde_json::to_vec(results)?,
    )?;
    Ok(())
}
