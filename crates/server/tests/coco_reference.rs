//! The COCO metrics against the reference: generated data sets are evaluated by the
//! server's engine and by pycocotools' `COCOeval` (tests/reference/cocoeval.py, run with
//! the venv `scripts/setup.sh` makes), and every summary number, every class's AP and AR
//! and every point of the precision curves must agree to 1e-6.
//!
//! The sets hold what usually makes implementations differ: ties in score, images
//! without ground truth, classes without detections or without ground truth, more than
//! 100 detections in an image, areas exactly on the range borders, and polygons off the
//! image, non-convex, self-crossing or with repeated points (pycocotools' rasterisation).
//! The mask set adds run-length masks: crowd regions as COCO writes them (uncompressed
//! counts), objects and detections as results files write them (compressed strings),
//! with non-contiguous category ids.

use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Command;
use trackboard_api::compress_runs;
use trackboard_server::evaluation::coco::{
    evaluate, CocoFigures, CocoInput, Detection, GroundTruth, Image, IouKind, Region,
};
use trackboard_server::evaluation::mask::Mask;

const TOLERANCE: f64 = 1e-6;

/// xorshift64*: the same sets on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// A coordinate on a grid of tenths, where pycocotools' rounding has its edges.
    fn tenths(&mut self, low: f64, high: f64) -> f64 {
        (self.range(low, high) * 10.0).round() / 10.0
    }
}

/// Categories: 1–4 ordinary, 5 with ground truth but no detection, 6 with detections
/// but no ground truth, 7 with neither.
const CATEGORIES: [i64; 7] = [1, 2, 3, 4, 5, 6, 7];

/// A box whose area sits exactly on a range border (32² or 96²), or an ordinary one.
fn some_box(rng: &mut Rng, width: f64, height: f64) -> [f64; 4] {
    let (w, h) = match rng.below(6) {
        0 => (32.0, 32.0),
        1 => (16.0, 64.0),
        2 => (96.0, 96.0),
        3 => (48.0, 192.0),
        _ => (rng.tenths(2.0, width / 2.0), rng.tenths(2.0, height / 2.0)),
    };
    let x = rng.tenths(-10.0, width - w / 2.0);
    let y = rng.tenths(-10.0, height - h / 2.0);
    [x, y, w, h]
}

/// A polygon around a box: a star of 3–12 points, sometimes crossing itself or repeating
/// a point.
fn some_polygon(rng: &mut Rng, [x, y, w, h]: [f64; 4]) -> Vec<f64> {
    let corners = 3 + rng.below(10) as usize;
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let mut points = Vec::new();
    for corner in 0..corners {
        let angle = if rng.chance(0.1) {
            rng.range(0.0, std::f64::consts::TAU)
        } else {
            std::f64::consts::TAU * corner as f64 / corners as f64
        };
        let reach = rng.range(0.3, 1.0);
        points.push(((cx + angle.cos() * reach * w / 2.0) * 10.0).round() / 10.0);
        points.push(((cy + angle.sin() * reach * h / 2.0) * 10.0).round() / 10.0);
        if rng.chance(0.05) {
            points.extend_from_within(points.len() - 2..);
        }
    }
    points
}

fn jitter(rng: &mut Rng, [x, y, w, h]: [f64; 4]) -> [f64; 4] {
    let spread = rng.range(0.0, 0.4);
    [
        x + rng.range(-spread, spread) * w,
        y + rng.range(-spread, spread) * h,
        w * rng.range(1.0 - spread, 1.0 + spread),
        h * rng.range(1.0 - spread, 1.0 + spread),
    ]
}

/// Area of polygons by the shoelace formula: what an annotation tool writes.
fn shoelace(polygons: &[Vec<f64>]) -> f64 {
    polygons
        .iter()
        .map(|p| {
            let n = p.len() / 2;
            let twice: f64 = (0..n)
                .map(|i| {
                    let j = (i + 1) % n;
                    p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1]
                })
                .sum();
            twice.abs() / 2.0
        })
        .sum()
}

/// What a generated set's regions are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Boxes,
    Polygons,
    /// Polygons and run-length masks; crowd regions are masks.
    Masks,
}

/// A blob inside `bbox`: in each column a run of rows whose ends wander, so it is no
/// polygon's rasterisation. As COCO's runs on a `width`×`height` image.
fn some_blob(rng: &mut Rng, [x, y, w, h]: [f64; 4], width: u32, height: u32) -> Region {
    let column_range = |start: f64, length: f64, limit: u32| {
        let low = start.max(0.0).floor() as u32;
        let high = ((start + length).max(0.0).ceil() as u32).min(limit);
        (low.min(limit), high)
    };
    let (x0, x1) = column_range(x, w, width);
    let (y0, y1) = column_range(y, h, height);
    let mut mask_columns = Vec::new();
    if rng.chance(0.1) && x0 + 1 < width {
        // A sliver ending at the bottom of one column and going on at the top of the
        // next: one run that wraps, where `toBbox` spans every row.
        let cut = |rng: &mut Rng| 1 + rng.below(u64::from(height - 1)) as u32;
        mask_columns.push((x0, cut(rng), height));
        mask_columns.push((x0 + 1, 0, cut(rng)));
        return runs_of_columns(&mask_columns, width, height);
    }
    let (mut top, mut bottom) = (y0, y1);
    for column in x0..x1 {
        let span = (y1 - y0).max(1);
        top = (top + rng.below(3) as u32)
            .saturating_sub(1)
            .clamp(y0, y0 + span / 2);
        bottom = (bottom + rng.below(3) as u32)
            .saturating_sub(1)
            .clamp(y0 + span / 2, y1);
        if rng.chance(0.03) {
            continue;
        }
        mask_columns.push((column, top, bottom));
    }
    runs_of_columns(&mask_columns, width, height)
}

/// COCO's runs of a mask given as set row ranges `[top, bottom)` per column.
fn runs_of_columns(columns: &[(u32, u32, u32)], width: u32, height: u32) -> Region {
    let mut runs = Vec::new();
    let mut position = 0u64;
    let h = u64::from(height);
    for &(column, top, bottom) in columns {
        if bottom <= top || column >= width {
            continue;
        }
        let start = u64::from(column) * h + u64::from(top);
        let end = u64::from(column) * h + u64::from(bottom.min(height));
        if start == position && !runs.is_empty() {
            // Touching the previous run: extend it.
            let last = runs.len() - 1;
            runs[last] += (end - start) as u32;
        } else {
            runs.push((start - position) as u32);
            runs.push((end - start) as u32);
        }
        position = end;
    }
    runs.push((u64::from(width) * h - position) as u32);
    Region::Runs { height, runs }
}

/// A run-length mask moved by a pixel or two, some columns dropped: a near miss.
fn nudged_runs(rng: &mut Rng, runs: &[u32], width: u32, height: u32) -> Region {
    let mask = Mask::from_runs(runs);
    let shift = rng.below(5) as i64 - 2;
    let pixels = u64::from(width) * u64::from(height);
    let counts = mask.counts(pixels);
    let mut columns = Vec::new();
    let mut position = 0u64;
    for (index, &count) in counts.iter().enumerate() {
        let end = position + u64::from(count);
        if index % 2 == 1 {
            for pixel_column in position / u64::from(height)..=(end.max(1) - 1) / u64::from(height)
            {
                let column_start = pixel_column * u64::from(height);
                let top = position.max(column_start) - column_start;
                let bottom = end.min(column_start + u64::from(height)) - column_start;
                let moved = |row: u64| (row as i64 + shift).clamp(0, i64::from(height)) as u32;
                if !rng.chance(0.05) {
                    columns.push((pixel_column as u32, moved(top), moved(bottom)));
                }
            }
        }
        position = end;
    }
    runs_of_columns(&columns, width, height)
}

/// A generated data set of `image_count` images with regions of `style`.
fn data_set(seed: u64, image_count: i64, style: Style) -> CocoInput {
    let mut rng = Rng(seed);
    let category_ids: Vec<i64> = if style == Style::Masks {
        // Non-contiguous ids, as COCO's own (1–90 with gaps).
        CATEGORIES.iter().map(|c| c * c + 10).collect()
    } else {
        CATEGORIES.to_vec()
    };
    let category = |c: i64| category_ids[(c - 1) as usize];
    let mut input = CocoInput {
        categories: category_ids.clone(),
        ..CocoInput::default()
    };
    for image_id in 1..=image_count {
        let (width, height) = (64 + rng.below(600) as u32, 64 + rng.below(500) as u32);
        input.images.push(Image {
            id: image_id * 3,
            width,
            height,
        });
        let region = |rng: &mut Rng, bbox: [f64; 4], crowd: bool| match style {
            Style::Boxes => Region::Box(bbox),
            Style::Masks if crowd || rng.chance(0.25) => some_blob(rng, bbox, width, height),
            Style::Polygons | Style::Masks => {
                let mut shapes = vec![some_polygon(rng, bbox)];
                if rng.chance(0.1) {
                    let near = jitter(rng, bbox);
                    shapes.push(some_polygon(rng, near));
                }
                Region::Polygons(shapes)
            }
        };
        // One image in ten has no ground truth at all.
        let truths = if rng.chance(0.1) { 0 } else { rng.below(9) };
        for _ in 0..truths {
            let class = [1, 2, 3, 4, 5][rng.below(5) as usize];
            let bbox = some_box(&mut rng, f64::from(width), f64::from(height));
            let region = region(&mut rng, bbox, false);
            let area = match &region {
                Region::Box([_, _, w, h]) => w * h,
                Region::Polygons(p) if rng.chance(0.8) => shoelace(p),
                // The pixels, or (as an annotation tool may write) something near them.
                other => {
                    let pixels = other.mask(width, height).area() as f64;
                    if rng.chance(0.5) {
                        pixels
                    } else {
                        pixels * rng.range(0.9, 1.1)
                    }
                }
            };
            input.ground_truth.push(GroundTruth {
                image_id: image_id * 3,
                category_id: category(class),
                area,
                region: region.clone(),
                crowd: false,
            });
            // Most objects are found, some twice; class 5 never is.
            if class != 5 && rng.chance(0.8) {
                for _ in 0..1 + rng.below(2) {
                    let found = jitter(&mut rng, bbox);
                    let region = match &region {
                        Region::Polygons(_) if rng.chance(0.2) => Region::Box(found),
                        Region::Polygons(shapes) if style == Style::Masks && rng.chance(0.3) => {
                            // A results file's mask of a polygon-like prediction.
                            let nudged: Vec<Vec<f64>> =
                                shapes.iter().map(|s| nudged(&mut rng, s)).collect();
                            let pixels = u64::from(width) * u64::from(height);
                            let runs = Mask::from_polygons(&nudged, width, height).counts(pixels);
                            Region::Runs { height, runs }
                        }
                        Region::Polygons(shapes) => {
                            Region::Polygons(shapes.iter().map(|s| nudged(&mut rng, s)).collect())
                        }
                        Region::Runs { runs, .. } => nudged_runs(&mut rng, runs, width, height),
                        Region::Box(_) => Region::Box(found),
                    };
                    input.detections.push(Detection {
                        area: None,
                        image_id: image_id * 3,
                        category_id: category(class),
                        score: score(&mut rng),
                        region,
                    });
                }
            }
        }
        // A crowd region in about one image in six (polygons, a box or a mask, with
        // several parts at times), and detections on it: neither true nor false positives.
        if rng.chance(0.15) {
            let class = [1, 2, 3, 4][rng.below(4) as usize];
            let bbox = some_box(&mut rng, f64::from(width), f64::from(height));
            let region = region(&mut rng, bbox, true);
            let area = match &region {
                Region::Box([_, _, w, h]) => w * h,
                Region::Polygons(p) => shoelace(p),
                other => other.mask(width, height).area() as f64,
            };
            input.ground_truth.push(GroundTruth {
                image_id: image_id * 3,
                category_id: category(class),
                area,
                region,
                crowd: true,
            });
            for _ in 0..1 + rng.below(3) {
                let [x, y, w, h] = bbox;
                let part = [
                    x + w * rng.range(0.0, 0.5),
                    y + h * rng.range(0.0, 0.5),
                    w * rng.range(0.2, 0.5),
                    h * rng.range(0.2, 0.5),
                ];
                let region = match style {
                    Style::Masks => some_blob(&mut rng, part, width, height),
                    _ => region_like(&mut rng, style, part),
                };
                input.detections.push(Detection {
                    area: None,
                    image_id: image_id * 3,
                    category_id: category(class),
                    score: score(&mut rng),
                    region,
                });
            }
        }
        // False detections, class 6 among them; every 50th image gets 130 of one class.
        let false_ones = if image_id % 50 == 0 {
            130
        } else {
            rng.below(4)
        };
        for _ in 0..false_ones {
            let class = if image_id % 50 == 0 {
                2
            } else {
                [1, 2, 3, 4, 6][rng.below(5) as usize]
            };
            let bbox = some_box(&mut rng, f64::from(width), f64::from(height));
            let region = match style {
                Style::Masks if rng.chance(0.3) => some_blob(&mut rng, bbox, width, height),
                _ => region_like(&mut rng, style, bbox),
            };
            input.detections.push(Detection {
                area: None,
                image_id: image_id * 3,
                category_id: category(class),
                score: score(&mut rng),
                region,
            });
        }
    }
    input
}

/// A polygon with every point moved by up to two pixels: a near miss of the object.
fn nudged(rng: &mut Rng, polygon: &[f64]) -> Vec<f64> {
    let reach = rng.range(0.0, 2.0);
    polygon
        .iter()
        .map(|v| ((v + rng.range(-reach, reach)) * 10.0).round() / 10.0)
        .collect()
}

fn region_like(rng: &mut Rng, style: Style, bbox: [f64; 4]) -> Region {
    match style {
        Style::Boxes => Region::Box(bbox),
        Style::Polygons | Style::Masks => Region::Polygons(vec![some_polygon(rng, bbox)]),
    }
}

/// Scores on a grid of twentieths, so many tie.
fn score(rng: &mut Rng) -> f64 {
    rng.below(21) as f64 / 20.0
}

/// A region as a COCO file spells its segmentation: polygons; a box as its outline;
/// a mask as uncompressed counts (a crowd region, as COCO's own) or a compressed string
/// (as results files and `mask.encode` write).
fn segmentation(region: &Region, crowd: bool) -> Value {
    match region {
        Region::Box([x, y, w, h]) => json!([[x, y, x, y + h, x + w, y + h, x + w, y]]),
        Region::Polygons(polygons) => json!(polygons),
        Region::Runs { height, runs } => {
            let total: u64 = runs.iter().map(|&r| u64::from(r)).sum();
            let size = [*height, (total / u64::from(*height)) as u32];
            if crowd {
                json!({"size": size, "counts": runs})
            } else {
                json!({"size": size, "counts": compress_runs(runs)})
            }
        }
    }
}

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What pycocotools answers for `input`.
fn reference(input: &CocoInput, kind: IouKind) -> Value {
    let segm = kind == IouKind::Segm;
    let images: Vec<Value> = input
        .images
        .iter()
        .map(|i| json!({"id": i.id, "width": i.width, "height": i.height}))
        .collect();
    let categories: Vec<Value> = input
        .categories
        .iter()
        .map(|c| json!({"id": c, "name": format!("class {c}")}))
        .collect();
    let annotations: Vec<Value> = input
        .ground_truth
        .iter()
        .enumerate()
        .map(|(index, g)| {
            json!({
                "id": index + 1, "image_id": g.image_id, "category_id": g.category_id,
                "area": g.area, "iscrowd": i32::from(g.crowd), "bbox": g.region.bbox(),
                "segmentation": segmentation(&g.region, g.crowd),
            })
        })
        .collect();
    let detections: Vec<Value> = input
        .detections
        .iter()
        .map(|d| {
            let mut value =
                json!({"image_id": d.image_id, "category_id": d.category_id, "score": d.score});
            if segm || matches!(d.region, Region::Runs { .. }) {
                // A mask's box for `bbox` is pycocotools' own `toBbox`, as `loadRes`
                // gives a results file's masks.
                value["segmentation"] = segmentation(&d.region, false);
            } else {
                value["bbox"] = json!(d.region.bbox());
            }
            value
        })
        .collect();
    let data = json!({
        "iou_type": if segm { "segm" } else { "bbox" },
        "images": images, "categories": categories,
        "annotations": annotations, "detections": detections,
    });
    let folder = tempfile::tempdir().expect("a temporary folder");
    let file = folder.path().join("data.json");
    std::fs::write(&file, serde_json::to_vec(&data).expect("JSON")).expect("written");
    let python = repository().join(".tools/venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `bash scripts/setup.sh` (it installs pycocotools)",
        python.display()
    );
    let output = Command::new(python)
        .arg(repository().join("crates/server/tests/reference/cocoeval.py"))
        .arg(&file)
        .output()
        .expect("pycocotools runs");
    assert!(
        output.status.success(),
        "pycocotools failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("pycocotools' answer is JSON")
}

fn close(ours: Option<f64>, theirs: f64, what: &str) {
    match ours {
        None => assert_eq!(
            theirs, -1.0,
            "{what}: ours is undefined, pycocotools {theirs}"
        ),
        Some(ours) => assert!(
            (ours - theirs).abs() <= TOLERANCE,
            "{what}: ours {ours}, pycocotools {theirs}"
        ),
    }
}

/// Every number of `ours` against pycocotools' answer; how many were compared.
fn assert_agrees(ours: &CocoFigures, theirs: &Value, name: &str) -> usize {
    let mut compared = 0;
    for (index, value) in ours.summary.iter().enumerate() {
        close(
            *value,
            theirs["stats"][index].as_f64().expect("a number"),
            &format!("{name} stats[{index}]"),
        );
        compared += 1;
    }
    for class in &ours.classes {
        let reference = &theirs["classes"][class.category_id.to_string()];
        let what = format!("{name} class {}", class.category_id);
        close(
            class.average_precision,
            reference["ap"].as_f64().expect("a number"),
            &format!("{what} AP"),
        );
        close(
            class.average_recall,
            reference["ar"].as_f64().expect("a number"),
            &format!("{what} AR"),
        );
        let curve = reference["precision50"].as_array().expect("a curve");
        match &class.precision_at_50 {
            None => assert!(
                curve.iter().all(|v| v.as_f64() == Some(-1.0)),
                "{what}: curve"
            ),
            Some(points) => {
                for (r, point) in points.iter().enumerate() {
                    close(
                        Some(*point),
                        curve[r].as_f64().expect("a number"),
                        &format!("{what} precision[{r}]"),
                    );
                }
            }
        }
        compared += 2 + curve.len();
    }
    compared
}

/// A set meant to exercise the metrics yields a figure for every summary number.
fn assert_every_figure_between_0_and_1(figures: &CocoFigures) {
    assert!(
        figures
            .summary
            .iter()
            .all(|s| s.is_some_and(|s| s > 0.0 && s < 1.0)),
        "{:?}",
        figures.summary
    );
}

fn check(input: &CocoInput, kind: IouKind, name: &str) -> CocoFigures {
    let ours = evaluate(input, kind);
    let compared = assert_agrees(&ours, &reference(input, kind), name);
    assert!(compared > 12, "{name}: compared {compared} numbers");
    ours
}

#[test]
fn box_metrics_equal_pycocotools() {
    let input = data_set(0x5eed_0001, 520, Style::Boxes);
    assert!(
        input.detections.len() > 2_000,
        "{} detections",
        input.detections.len()
    );
    let figures = check(&input, IouKind::Bbox, "bbox");
    // The set is meant to exercise the interesting parts, so it must yield them.
    let class = |id: i64| {
        figures
            .classes
            .iter()
            .find(|c| c.category_id == id)
            .expect("every category has figures")
    };
    assert_eq!(class(5).average_precision, Some(0.0), "found never");
    assert_eq!(class(6).average_precision, None, "no ground truth");
    assert!(figures
        .summary
        .iter()
        .all(|s| s.is_some_and(|s| s > 0.0 && s < 1.0)));
}

#[test]
fn polygon_mask_metrics_equal_pycocotools() {
    let input = data_set(0x5eed_0002, 520, Style::Polygons);
    assert!(
        input.detections.len() > 2_000,
        "{} detections",
        input.detections.len()
    );
    let figures = check(&input, IouKind::Segm, "segm");
    assert_every_figure_between_0_and_1(&figures);
}

#[test]
fn box_metrics_of_polygons_equal_pycocotools() {
    check(
        &data_set(0x5eed_0003, 200, Style::Polygons),
        IouKind::Bbox,
        "bbox of polygons",
    );
}

#[test]
fn run_length_masks_equal_pycocotools() {
    let input = data_set(0x5eed_0004, 400, Style::Masks);
    let masks = |regions: &mut dyn Iterator<Item = &Region>| {
        regions.filter(|r| matches!(r, Region::Runs { .. })).count()
    };
    let crowd_masks = input
        .ground_truth
        .iter()
        .filter(|g| g.crowd && matches!(g.region, Region::Runs { .. }))
        .count();
    let truth_masks = masks(&mut input.ground_truth.iter().map(|g| &g.region));
    let found_masks = masks(&mut input.detections.iter().map(|d| &d.region));
    assert!(
        crowd_masks > 20 && truth_masks > 200 && found_masks > 500,
        "{crowd_masks} crowd masks, {truth_masks} masks of ground truth, {found_masks} found"
    );
    let figures = check(&input, IouKind::Segm, "segm with masks");
    assert_every_figure_between_0_and_1(&figures);
    check(&input, IouKind::Bbox, "bbox of masks");
}

#[test]
fn hand_made_edges_equal_pycocotools() {
    let image = |id| Image {
        id,
        width: 200,
        height: 150,
    };
    let truth = |image_id, category_id, bbox: [f64; 4]| GroundTruth {
        image_id,
        category_id,
        area: bbox[2] * bbox[3],
        region: Region::Box(bbox),
        crowd: false,
    };
    let found = |image_id, category_id, score, bbox| Detection {
        area: None,
        image_id,
        category_id,
        score,
        region: Region::Box(bbox),
    };
    // Every detection ties; two compete for one object; one object sits on 32² exactly
    // and one on 96²; one image has only false detections; one has nothing; on the
    // fourth, a crowd region takes two detections and a third overlaps it and an object.
    let input = CocoInput {
        images: vec![image(1), image(2), image(3), image(4)],
        categories: vec![1, 2],
        ground_truth: vec![
            truth(1, 1, [10.0, 10.0, 32.0, 32.0]),
            truth(1, 1, [60.0, 10.0, 96.0, 96.0]),
            truth(1, 2, [0.0, 0.0, 20.0, 20.0]),
            GroundTruth {
                crowd: true,
                ..truth(4, 1, [0.0, 0.0, 100.0, 100.0])
            },
            truth(4, 1, [10.0, 10.0, 20.0, 20.0]),
        ],
        detections: vec![
            found(1, 1, 0.5, [11.0, 11.0, 32.0, 32.0]),
            found(1, 1, 0.5, [10.0, 10.0, 32.0, 32.0]),
            found(1, 1, 0.5, [60.0, 10.0, 96.0, 96.0]),
            found(2, 1, 0.5, [0.0, 0.0, 10.0, 10.0]),
            found(2, 2, 0.5, [0.0, 0.0, 20.0, 20.0]),
            found(1, 2, 0.5, [1.0, 1.0, 20.0, 20.0]),
            found(4, 1, 0.9, [50.0, 50.0, 20.0, 20.0]),
            found(4, 1, 0.8, [60.0, 60.0, 20.0, 20.0]),
            found(4, 1, 0.7, [11.0, 11.0, 20.0, 20.0]),
        ],
    };
    check(&input, IouKind::Bbox, "edges");
    check(&input, IouKind::Segm, "edges as masks");
    // No detections at all: every AP is 0 where there is ground truth.
    let nothing_found = CocoInput {
        detections: Vec::new(),
        ..input
    };
    let figures = check(&nothing_found, IouKind::Bbox, "nothing found");
    assert_eq!(figures.summary[0], Some(0.0));
}
