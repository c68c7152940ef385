//! The demo's evaluated detection set: generated frames whose ground-truth boxes are
//! the objects drawn on them, each demo experiment's predictions (better experiments
//! find more, more tightly), and the COCO metrics computed from them.

use super::data::Noise;
use super::png;
use crate::domain::AssetDraft;
use crate::evaluation::metrics::evaluation_metrics;
use crate::objects::Objects;
use crate::storage::{Storage, VersionDraft};
use crate::timestamp;
use anyhow::Context;
use trackboard_api::{Asset, InferenceType, RectangleShape, Shapes};

/// Frames in the evaluation set.
const FRAMES: u32 = 24;
const WIDTH: u32 = 160;
const HEIGHT: u32 = 120;
/// Each class's colour on the frames.
const COLOURS: [[u8; 3]; 3] = [[230, 70, 60], [60, 200, 110], [70, 120, 235]];

/// A version of `dataset_id` holding the evaluation frames with their boxes.
pub async fn seed_evaluation_set(
    storage: &Storage,
    objects: &Objects,
    dataset_id: i64,
    labels: &[String],
) -> anyhow::Result<(i64, Vec<Asset>)> {
    let version = storage
        .create_dataset_version(
            dataset_id,
            &VersionDraft {
                version: "eval-2026-11".to_owned(),
                description: "Held-out frames for evaluation, with their boxes.".to_owned(),
                asset_count: 0,
                labels: labels.to_vec(),
            },
        )
        .await?;
    let mut noise = Noise::new(97);
    let mut drafts = Vec::new();
    for frame in 0..FRAMES {
        let boxes = frame_boxes(&mut noise, labels);
        let picture = png::encode_rgb(WIDTH, HEIGHT, &draw(&boxes, labels));
        let size = picture.len() as u64;
        let object = objects
            .put_stream("assets", super::body(picture), u64::MAX)
            .await
            .context("storing a demo evaluation frame")?;
        drafts.push(AssetDraft {
            dataset_version_id: version.id,
            filename: format!("frame-{:03}.png", frame + 1),
            object_key: object.key,
            content_type: "image/png".to_owned(),
            size,
            width: WIDTH,
            height: HEIGHT,
            annotations: Shapes {
                rectangles: boxes,
                ..Shapes::default()
            },
        });
    }
    let assets = storage
        .create_assets(&drafts)
        .await
        .map_err(|error| anyhow::anyhow!("demo evaluation frames: {error}"))?;
    Ok((version.id, assets))
}

/// One to four objects per frame, on the road, of random classes.
fn frame_boxes(noise: &mut Noise, labels: &[String]) -> Vec<RectangleShape> {
    let count = 1 + ((noise.next() + 1.0) * 2.0) as usize;
    (0..count)
        .map(|_| {
            let width = (18.0 + 14.0 * (noise.next() + 1.0)).round();
            let height = (14.0 + 10.0 * (noise.next() + 1.0)).round();
            let x = ((noise.next() + 1.0) / 2.0 * (f64::from(WIDTH) - width)).round();
            let y =
                (50.0 + (noise.next() + 1.0) / 2.0 * (f64::from(HEIGHT) - 50.0 - height)).round();
            let class = ((noise.next() + 1.0) / 2.0 * labels.len() as f64) as usize % labels.len();
            RectangleShape {
                x,
                y,
                width,
                height,
                label: labels[class].clone(),
                score: None,
                area: None,
                crowd: false,
            }
        })
        .collect()
}

/// A frame: sky, road, and each object as a filled block of its class's colour.
fn draw(boxes: &[RectangleShape], labels: &[String]) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((WIDTH * HEIGHT * 3) as usize);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            let mut colour = if y < 45 {
                [150, 190, 235]
            } else {
                [78, 80, 86]
            };
            for shape in boxes {
                let (fx, fy) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
                if fx > shape.x
                    && fx < shape.x + shape.width
                    && fy > shape.y
                    && fy < shape.y + shape.height
                {
                    let class = labels.iter().position(|l| *l == shape.label).unwrap_or(0);
                    colour = COLOURS[class % COLOURS.len()];
                }
            }
            pixels.extend_from_slice(&colour);
        }
    }
    pixels
}

/// One experiment's predictions on the frames: each object found with probability
/// `recall`, its box off by up to `slack` of its size; a few false detections.
pub async fn seed_predictions(
    storage: &Storage,
    experiment_id: i64,
    assets: &[Asset],
    labels: &[String],
    (recall, slack, seed): (f64, f64, u64),
) -> anyhow::Result<()> {
    let mut noise = Noise::new(seed);
    for asset in assets {
        let mut found = Vec::new();
        for truth in &asset.annotations.rectangles {
            if (noise.next() + 1.0) / 2.0 > recall {
                continue;
            }
            let jitter = |noise: &mut Noise, size: f64| (noise.next() * slack * size).round();
            found.push(RectangleShape {
                x: truth.x + jitter(&mut noise, truth.width),
                y: truth.y + jitter(&mut noise, truth.height),
                width: truth.width + jitter(&mut noise, truth.width),
                height: truth.height + jitter(&mut noise, truth.height),
                label: truth.label.clone(),
                score: Some(score(0.55 + 0.45 * (noise.next() + 1.0) / 2.0)),
                area: None,
                crowd: false,
            });
        }
        if noise.next() > 0.5 {
            let class = ((noise.next() + 1.0) / 2.0 * labels.len() as f64) as usize % labels.len();
            found.push(RectangleShape {
                x: ((noise.next() + 1.0) * 60.0).round(),
                y: 60.0,
                width: 20.0,
                height: 16.0,
                label: labels[class].clone(),
                score: Some(score(0.1 + 0.5 * (noise.next() + 1.0) / 2.0)),
                area: None,
                crowd: false,
            });
        }
        let shapes = Shapes {
            rectangles: found,
            ..Shapes::default()
        };
        storage
            .add_evaluation(experiment_id, asset.id, shapes, Default::default())
            .await
            .map_err(|error| anyhow::anyhow!("demo evaluation: {error}"))?;
    }
    let evaluated = storage.evaluated_assets(experiment_id).await?;
    let metrics = evaluation_metrics(
        InferenceType::ObjectDetection,
        labels,
        &evaluated,
        timestamp::now(),
    );
    storage
        .write_log(
            experiment_id,
            &InferenceType::ObjectDetection.log_name(),
            &crate::domain::LogData::Evaluation(metrics),
            None,
            None,
        )
        .await
        .map_err(|error| anyhow::anyhow!("demo evaluation metrics: {error}"))?;
    Ok(())
}

/// A score with two decimals, as a model's output is usually shown.
fn score(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
