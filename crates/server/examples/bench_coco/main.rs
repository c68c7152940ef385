//! `make bench`: COCO metrics of 5,000 images × 20 boxes against 5,000 × 100
//! detections, by the server and by pycocotools in the same run, and of masks (`segm`,
//! in `segm.rs`), written into BENCHMARKS.md. Run alone with:
//!   cargo run --release -p trackboard-server --example bench_coco
//!
//! Three figures: the engine alone (`evaluation::coco::evaluate`), what the metrics
//! route does (read every evaluation from SQLite, compute, in one process), and
//! pycocotools' `loadRes` + `evaluate` + `accumulate` + `summarize`.

mod segm;

use serde_json::{json, Value};
use std::path::Path;
use std::time::Instant;
use trackboard_api::CocoPredictions;
use trackboard_api::{InferenceType, RectangleShape, Shapes};
use trackboard_server::domain::coco_results::checked_predictions;
use trackboard_server::domain::{AssetDraft, ExperimentDraft, ProjectDraft};
use trackboard_server::evaluation::coco::{
    evaluate, CocoInput, Detection, GroundTruth, Image, IouKind, Region,
};
use trackboard_server::evaluation::metrics::evaluation_metrics;
use trackboard_server::json_body::parse_typed;
use trackboard_server::storage::VersionDraft;
use trackboard_server::Storage;

const IMAGES: i64 = 5_000;
const TRUTHS: usize = 20;
const DETECTIONS: usize = 100;
const CLASSES: usize = 10;

struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Per image: its boxes (label index, [x, y, w, h]) and the detections (with scores).
type Frame = (Vec<(usize, [f64; 4])>, Vec<(usize, [f64; 4], f64)>);

fn frames() -> Vec<Frame> {
    let mut rng = Rng(0x00c0_c0be_ac40);
    (0..IMAGES)
        .map(|_| {
            let truths: Vec<(usize, [f64; 4])> = (0..TRUTHS)
                .map(|_| {
                    let (w, h) = (8.0 + rng.unit() * 150.0, 8.0 + rng.unit() * 150.0);
                    let class = (rng.unit() * CLASSES as f64) as usize % CLASSES;
                    (
                        class,
                        [rng.unit() * (640.0 - w), rng.unit() * (480.0 - h), w, h],
                    )
                })
                .collect();
            let detections = (0..DETECTIONS)
                .map(|d| {
                    let score = (rng.unit() * 1000.0).round() / 1000.0;
                    if d < TRUTHS * 3 {
                        let (class, [x, y, w, h]) = truths[d % TRUTHS];
                        let shift = |rng: &mut Rng, size: f64| (rng.unit() - 0.5) * 0.4 * size;
                        (
                            class,
                            [x + shift(&mut rng, w), y + shift(&mut rng, h), w, h],
                            score,
                        )
                    } else {
                        let class = (rng.unit() * CLASSES as f64) as usize % CLASSES;
                        (
                            class,
                            [rng.unit() * 600.0, rng.unit() * 440.0, 40.0, 40.0],
                            score,
                        )
                    }
                })
                .collect();
            (truths, detections)
        })
        .collect()
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn engine_input(frames: &[Frame]) -> CocoInput {
    let mut input = CocoInput {
        categories: (0..CLASSES as i64).collect(),
        ..CocoInput::default()
    };
    for (index, (truths, detections)) in frames.iter().enumerate() {
        let image_id = index as i64 + 1;
        input.images.push(Image {
            id: image_id,
            width: 640,
            height: 480,
        });
        for (class, bbox) in truths {
            input.ground_truth.push(GroundTruth {
                image_id,
                category_id: *class as i64,
                area: bbox[2] * bbox[3],
                region: Region::Box(*bbox),
                crowd: false,
            });
        }
        for (class, bbox, score) in detections {
            input.detections.push(Detection {
                area: None,
                image_id,
                category_id: *class as i64,
                score: *score,
                region: Region::Box(*bbox),
            });
        }
    }
    input
}

fn write_reference_input(frames: &[Frame], folder: &Path) -> anyhow::Result<()> {
    let mut annotations = Vec::new();
    let mut detections = Vec::new();
    for (index, (truths, found)) in frames.iter().enumerate() {
        let image_id = index + 1;
        for (class, bbox) in truths {
            annotations.push(
                json!({"id": annotations.len() + 1, "image_id": image_id, "category_id": class,
                "bbox": bbox, "area": bbox[2] * bbox[3], "iscrowd": 0}),
            );
        }
        for (class, bbox, score) in found {
            detections.push(
                json!({"image_id": image_id, "category_id": class, "bbox": bbox, "score": score}),
            );
        }
    }
    let truth = json!({
        "images": (1..=IMAGES).map(|id| json!({"id": id, "width": 640, "height": 480})).collect::<Vec<_>>(),
        "categories": (0..CLASSES).map(|c| json!({"id": c, "name": format!("class {c}")})).collect::<Vec<_>>(),
        "annotations": annotations,
    });
    std::fs::write(folder.join("truth.json"), serde_json::to_vec(&truth)?)?;
    std::fs::write(
        folder.join("detections.json"),
        serde_json::to_vec(&detections)?,
    )?;
    Ok(())
}

/// A new experiment in a new project.
async fn new_experiment(
    storage: &Storage,
    project: &str,
    name: &str,
) -> anyhow::Result<trackboard_api::Experiment> {
    let project = storage
        .create_project(&ProjectDraft {
            name: project.into(),
            description: String::new(),
        })
        .await?;
    let draft = ExperimentDraft {
        name: name.into(),
        description: String::new(),
        status: Default::default(),
        base_experiment_id: None,
        base_model_version_id: None,
        copy_base_parameters: false,
    };
    Ok(storage.create_experiment(project.id, &draft).await?)
}

/// Stores the frames as assets and one experiment's evaluations; answers the
/// experiment's id and the version's.
async fn stored(
    storage: &Storage,
    frames: &[Frame],
    labels: &[String],
) -> anyhow::Result<(i64, i64)> {
    let experiment = new_experiment(storage, "bench", "detector").await?;
    let dataset = storage.create_dataset("bench", "").await?;
    let version = storage
        .create_dataset_version(
            dataset.id,
            &VersionDraft {
                version: "v1".into(),
                description: String::new(),
                asset_count: 0,
                labels: labels.to_vec(),
            },
        )
        .await?;
    let rectangle =
        |class: usize, [x, y, width, height]: [f64; 4], score: Option<f64>| RectangleShape {
            x,
            y,
            width,
            height,
            label: labels[class].clone(),
            score,
            area: None,
            crowd: false,
        };
    for (chunk_index, chunk) in frames.chunks(500).enumerate() {
        let drafts: Vec<AssetDraft> = chunk
            .iter()
            .enumerate()
            .map(|(i, (truths, _))| AssetDraft {
                dataset_version_id: version.id,
                filename: format!("frame-{}.png", chunk_index * 500 + i),
                object_key: format!("assets/bench-{}", chunk_index * 500 + i),
                content_type: "image/png".into(),
                size: 1,
                width: 640,
                height: 480,
                annotations: Shapes {
                    rectangles: truths
                        .iter()
                        .map(|(c, b)| rectangle(*c, *b, None))
                        .collect(),
                    ..Shapes::default()
                },
            })
            .collect();
        let assets = storage
            .create_assets(&drafts)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        for (asset, (_, found)) in assets.iter().zip(chunk) {
            let predictions = Shapes {
                rectangles: found
                    .iter()
                    .map(|(c, b, s)| rectangle(*c, *b, Some(*s)))
                    .collect(),
                ..Shapes::default()
            };
            storage
                .add_evaluation(experiment.id, asset.id, predictions, Default::default())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    Ok((experiment.id, version.id))
}

/// What `POST /experiments/{id}/coco-predictions` does with a results file of every
/// detection (image ids are asset ids, as `GET …/coco` gives them), HTTP aside: parse
/// the body, read the results, check the shapes, store them in one transaction.
/// Answers the seconds it took, the process' peak resident memory meanwhile and what it
/// held before (the bench's own data, and memory its allocator kept), and the body's
/// size, in MiB.
async fn results_import(
    storage: &Storage,
    frames: &[Frame],
    labels: &[String],
    version_id: i64,
) -> anyhow::Result<(f64, f64, f64, f64)> {
    let assets = storage.version_assets_sized(version_id).await?;
    let results: Vec<serde_json::Value> = frames
        .iter()
        .zip(&assets)
        .flat_map(|((_, found), asset)| {
            found.iter().map(move |(class, bbox, score)| {
                json!({"image_id": asset.id, "category_id": class + 1, "bbox": bbox, "score": score})
            })
        })
        .collect();
    let body = serde_json::to_vec(&json!({"dataset_version_id": version_id, "results": results}))?;
    drop(results);
    let experiment = new_experiment(storage, "import", "from a results file").await?;
    // Linux: 5 resets the peak RSS, so VmHWM says what the import alone reached.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = memory_mib("VmRSS:");
    let started = Instant::now();
    let request: CocoPredictions = parse_typed(&body).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let (checked, _) =
        checked_predictions(&request, &assets, labels).map_err(|e| anyhow::anyhow!("{e}"))?;
    let stored = storage.replace_evaluations(experiment.id, checked).await?;
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(stored == assets.len() as u64, "{stored} evaluations stored");
    let body_mib = body.len() as f64 / (1024.0 * 1024.0);
    Ok((seconds, memory_mib("VmHWM:"), before, body_mib))
}

/// A memory figure of the process from `/proc/self/status` (`VmRSS:` now, `VmHWM:` the
/// peak since the last reset), in MiB.
fn memory_mib(line: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|text| text.strip_prefix(line))
        .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let frames = frames();
    let labels: Vec<String> = (0..CLASSES).map(|c| format!("class {c}")).collect();
    let folder = tempfile::tempdir()?;

    let input = engine_input(&frames);
    let mut engine = Vec::new();
    let mut ours = None;
    for _ in 0..3 {
        let started = Instant::now();
        ours = Some(evaluate(&input, IouKind::Bbox));
        engine.push(started.elapsed().as_secs_f64());
    }
    let ours = ours.expect("three runs");
    eprintln!("engine: {:?}", engine);

    let storage = Storage::open(&format!(
        "sqlite://{}",
        folder.path().join("bench.db").display()
    ))
    .await?;
    let (experiment_id, version_id) = stored(&storage, &frames, &labels).await?;
    let (import_seconds, import_rss, rss_before, body_mib) =
        results_import(&storage, &frames, &labels, version_id).await?;
    eprintln!("results import: {import_seconds:.2} s, peak RSS {import_rss:.0} MiB (before: {rss_before:.0} MiB)");
    let mut route = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let evaluated = storage.evaluated_assets(experiment_id).await?;
        let metrics = evaluation_metrics(
            InferenceType::ObjectDetection,
            &labels,
            &evaluated,
            String::new(),
        );
        route.push(started.elapsed().as_secs_f64());
        assert_eq!(
            metrics.detection.map(|d| d.summary),
            Some(ours.summary.to_vec())
        );
    }
    eprintln!("read + compute: {:?}", route);

    write_reference_input(&frames, folder.path())?;
    let bbox_reference = reference(&root, folder.path(), "bbox")?;
    let pycocotools = bbox_reference["seconds"].as_f64().unwrap_or(f64::NAN);
    ensure_equal(
        &ours.summary,
        &bbox_reference["stats"],
        "pycocotools (bbox)",
    )?;
    let faster = faster_row(&bbox_reference["faster"], &ours.summary, pycocotools);

    let (segm_input, segm_truth, segm_results) = segm::inputs(&frames);
    let (segm_ours, segm_engine) = segm::engine(&segm_input);
    segm::write_reference_input(&segm_truth, &segm_results, folder.path())?;
    let segm_reference = reference(&root, folder.path(), "segm")?;
    let segm_pycocotools = segm_reference["seconds"].as_f64().unwrap_or(f64::NAN);
    ensure_equal(
        &segm_ours.summary,
        &segm_reference["stats"],
        "pycocotools (segm)",
    )?;
    let segm_faster = faster_row(
        &segm_reference["faster"],
        &segm_ours.summary,
        segm_pycocotools,
    );
    let segm_table = format!(
        "| {IMAGES} images × {} polygons vs × {} compressed RLE detections, {CLASSES} classes (segm) | seconds | vs pycocotools |\n\
         |---|---|---|\n\
         | pycocotools 2.0.11 (`loadRes` + `evaluate` + `accumulate` + `summarize`) | {segm_pycocotools:.2} | 1 × |\n\
         {segm_faster}\
         | Trackboard engine (`evaluation::coco::evaluate`, median of 3) | {segm_engine:.2} | **{:.0} × faster** |",
        segm::OBJECTS,
        segm::DETECTIONS,
        segm_pycocotools / segm_engine,
    );

    let (engine, route) = (median(engine), median(route));
    let detections = IMAGES as usize * DETECTIONS;
    let table = format!(
        "| {IMAGES} images × {TRUTHS} boxes vs × {DETECTIONS} detections, {CLASSES} classes (bbox) | seconds | vs pycocotools |\n\
         |---|---|---|\n\
         | pycocotools 2.0.11 (`loadRes` + `evaluate` + `accumulate` + `summarize`) | {pycocotools:.2} | 1 × |\n\
         {faster}\
         | Trackboard engine (`evaluation::coco::evaluate`, median of 3) | {engine:.2} | **{:.0} × faster** |\n\
         | Trackboard metrics route's work (read 5,000 evaluations from SQLite + compute, median of 3) | {route:.2} | **{:.0} × faster** |\n\n\
         The twelve summary numbers of Trackboard and pycocotools agree to 1e-6 in the same run.\n\n\
         Storing the same {detections} detections from a COCO results file (what `POST /experiments/{{id}}/coco-predictions` does, HTTP aside: parse the body, read, check, store in one transaction): **{import_seconds:.2} s**; peak RSS meanwhile {import_rss:.0} MiB, of which the bench process held {rss_before:.0} MiB before the import began (its own data, and memory its allocator kept); the request body is {body_mib:.0} MiB.\n\n\
         {segm_table}\n\n\
         The segm summary numbers agree with pycocotools' to 1e-6 too.",
        pycocotools / engine,
        pycocotools / route,
    );
    let file = root.join("BENCHMARKS.md");
    let text = std::fs::read_to_string(&file)?;
    let (start, end) = ("<!-- coco:start -->", "<!-- coco:end -->");
    let block = format!("{start}\n{table}\n{end}");
    let updated = match (text.find(start), text.find(end)) {
        (Some(a), Some(b)) => format!("{}{block}{}", &text[..a], &text[b + end.len()..]),
        _ => format!(
            "{}\n\n## COCO metrics against pycocotools\n\n{block}\n",
            text.trim_end()
        ),
    };
    std::fs::write(&file, updated)?;
    println!("{table}\n\nwritten to BENCHMARKS.md");
    Ok(())
}

/// pycocotools' (and faster-coco-eval's, when installed) answer for the files of
/// `kind` in `folder`, from `scripts/bench_cocoeval.py`.
fn reference(root: &Path, folder: &Path, kind: &str) -> anyhow::Result<Value> {
    // pycocotools beside faster-coco-eval when bench_tools.sh installed them together.
    let coco_python = [".tools/coco-venv/bin/python", ".tools/venv/bin/python"]
        .map(|python| root.join(python))
        .into_iter()
        .find(|python| python.exists())
        .unwrap_or_else(|| root.join(".tools/venv/bin/python"));
    let output = std::process::Command::new(coco_python)
        .arg(root.join("scripts/bench_cocoeval.py"))
        .arg(folder)
        .arg(kind)
        .output()?;
    anyhow::ensure!(
        output.status.success(),
        "pycocotools: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(serde_json::from_slice(&output.stdout)?)
}

/// Fails unless `ours` equals the reference's `stats` to 1e-6.
fn ensure_equal(ours: &[Option<f64>], theirs: &Value, whose: &str) -> anyhow::Result<()> {
    for (index, value) in ours.iter().enumerate() {
        let theirs = theirs[index].as_f64().unwrap_or(f64::NAN);
        anyhow::ensure!(
            (value.unwrap_or(-1.0) - theirs).abs() <= 1e-6,
            "stats[{index}] differ from {whose}: {value:?} vs {theirs}"
        );
    }
    Ok(())
}

/// faster-coco-eval's row of a table, saying so if its numbers differ from ours.
fn faster_row(faster: &Value, ours: &[Option<f64>], pycocotools: f64) -> String {
    if faster.is_null() {
        return "| faster-coco-eval | not installed (scripts/bench_tools.sh) | |\n".to_owned();
    }
    let seconds = faster["seconds"].as_f64().unwrap_or(f64::NAN);
    let note = match ensure_equal(ours, &faster["stats"], "faster-coco-eval") {
        Ok(()) => String::new(),
        Err(differs) => format!(" ({differs})"),
    };
    format!("| faster-coco-eval 1.8.0 (`COCOeval_faster`, C++; the same four steps){note} | {seconds:.2} | {:.0} × |\n", pycocotools / seconds)
}
