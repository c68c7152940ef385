//! What an asset's ground truth or an experiment's predictions may hold: labels of the
//! asset's dataset version, finite coordinates of a sensible size, polygons of at
//! least three points, and a score in [0, 1] on every prediction (none on ground truth).
//! A refusal names the item, e.g. `rectangles[3].score`.

use super::Refusal;
use trackboard_api::{runs_total, MaskShape, Shapes};

/// The largest coordinate magnitude accepted, in pixels: far beyond any image, small
/// enough that rasterising a polygon stays cheap.
pub const MAX_COORDINATE: f64 = 1_000_000.0;
/// The most shapes one asset's ground truth or one evaluation may hold.
pub const MAX_SHAPES: usize = 10_000;
/// The most points one polygon (or one part of it) may have.
pub const MAX_POLYGON_POINTS: usize = 10_000;
/// The most parts one object's polygon may have beside its first.
pub const MAX_POLYGON_PARTS: usize = 1_000;

/// Whether the shapes are ground truth (no scores) or predictions (a score each).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShapeRole {
    GroundTruth,
    Prediction,
}

/// `shapes` if every item is acceptable on an image of `image` (width, height) pixels
/// of a version labelled `labels`; the prefix (`annotations.` or empty) starts every
/// refused field's path.
pub fn checked_shapes(
    shapes: Shapes,
    labels: &[String],
    image: (u32, u32),
    role: ShapeRole,
    prefix: &str,
) -> Result<Shapes, Refusal> {
    if shapes.len() > MAX_SHAPES {
        return Err(Refusal::too_large(
            prefix.trim_end_matches('.'),
            format!(
                "at most {MAX_SHAPES} shapes per asset, got {}",
                shapes.len()
            ),
        ));
    }
    let item = |kind: &str, index: usize| format!("{prefix}{kind}[{index}]");
    for (index, shape) in shapes.rectangles.iter().enumerate() {
        let at = item("rectangles", index);
        check_label(&shape.label, labels, &at)?;
        check_score(shape.score, role, &at)?;
        check_area(shape.area, &at)?;
        check_crowd(shape.crowd, role, &at)?;
        for (name, value) in [("x", shape.x), ("y", shape.y)] {
            check_coordinate(value, &format!("{at}.{name}"))?;
        }
        for (name, value) in [("width", shape.width), ("height", shape.height)] {
            check_coordinate(value, &format!("{at}.{name}"))?;
            if value < 0.0 {
                return Err(Refusal::invalid(
                    format!("{at}.{name}"),
                    format!("{name} must not be negative, got {value}"),
                ));
            }
        }
    }
    for (index, shape) in shapes.polygons.iter().enumerate() {
        let at = item("polygons", index);
        check_label(&shape.label, labels, &at)?;
        check_score(shape.score, role, &at)?;
        check_area(shape.area, &at)?;
        check_crowd(shape.crowd, role, &at)?;
        check_outline(&shape.points, &format!("{at}.points"))?;
        if shape.parts.len() > MAX_POLYGON_PARTS {
            return Err(Refusal::invalid(
                format!("{at}.parts"),
                format!(
                    "an object has at most {MAX_POLYGON_PARTS} more parts, got {}",
                    shape.parts.len()
                ),
            ));
        }
        for (part, points) in shape.parts.iter().enumerate() {
            check_outline(points, &format!("{at}.parts[{part}]"))?;
        }
    }
    for (index, shape) in shapes.masks.iter().enumerate() {
        let at = item("masks", index);
        check_label(&shape.label, labels, &at)?;
        check_score(shape.score, role, &at)?;
        check_area(shape.area, &at)?;
        check_crowd(shape.crowd, role, &at)?;
        check_mask(shape, image, &at)?;
    }
    for (index, shape) in shapes.classifications.iter().enumerate() {
        let at = item("classifications", index);
        check_label(&shape.label, labels, &at)?;
        check_score(shape.score, role, &at)?;
    }
    Ok(shapes)
}

/// One outline: 3 to [`MAX_POLYGON_POINTS`] points of sensible coordinates.
fn check_outline(points: &[[f64; 2]], field: &str) -> Result<(), Refusal> {
    let count = points.len();
    if !(3..=MAX_POLYGON_POINTS).contains(&count) {
        return Err(Refusal::invalid(
            field,
            format!("a polygon has 3 to {MAX_POLYGON_POINTS} points, got {count}"),
        ));
    }
    for (p, [x, y]) in points.iter().enumerate() {
        check_coordinate(*x, &format!("{field}[{p}][0]"))?;
        check_coordinate(*y, &format!("{field}[{p}][1]"))?;
    }
    Ok(())
}

/// The most runs one mask may have: far beyond any object's outline, small enough that
/// every mask of an asset stays cheap to compare.
pub const MAX_MASK_RUNS: usize = 1_000_000;

/// A mask covers its image exactly: `size` is the image's `[height, width]` and the
/// counts read (either spelling) and sum to height × width, as pycocotools needs.
fn check_mask(mask: &MaskShape, (width, height): (u32, u32), at: &str) -> Result<(), Refusal> {
    if mask.size != [height, width] {
        return Err(Refusal::invalid(
            format!("{at}.size"),
            format!(
                "a mask's size is its image's [height, width], [{height}, {width}]; got {:?}",
                mask.size
            ),
        ));
    }
    let field = format!("{at}.counts");
    let runs = mask.counts.runs().map_err(|error| {
        Refusal::invalid(&field, format!("not COCO run-length counts: {error}"))
    })?;
    if runs.len() > MAX_MASK_RUNS {
        return Err(Refusal::invalid(
            &field,
            format!(
                "a mask has at most {MAX_MASK_RUNS} runs, got {}",
                runs.len()
            ),
        ));
    }
    let pixels = u64::from(width) * u64::from(height);
    let covered = runs_total(&runs);
    if covered != pixels {
        return Err(Refusal::invalid(
            field,
            format!(
                "the runs cover {covered} pixels, but the image has {height} × {width} = {pixels}"
            ),
        ));
    }
    Ok(())
}

/// A crowd region is ground truth's only (COCO's `iscrowd`).
fn check_crowd(crowd: bool, role: ShapeRole, at: &str) -> Result<(), Refusal> {
    if crowd && role == ShapeRole::Prediction {
        return Err(Refusal::invalid(
            format!("{at}.crowd"),
            "a prediction is never a crowd region; crowd regions are ground truth (COCO's iscrowd)",
        ));
    }
    Ok(())
}

fn check_label(label: &str, labels: &[String], at: &str) -> Result<(), Refusal> {
    if labels.iter().any(|known| known == label) {
        return Ok(());
    }
    let known = if labels.is_empty() {
        "it has none; create the version with its labels".to_owned()
    } else {
        format!("its labels: {}", labels.join(", "))
    };
    Err(Refusal::invalid(
        format!("{at}.label"),
        format!("{label:?} is not a label of the asset's dataset version ({known})"),
    ))
}

/// The most square pixels an object's given area may hold (a 10⁶ × 10⁶ image).
const MAX_AREA: f64 = 1e12;

/// A given area, finite and within [0, 10¹²]: ground truth's as its COCO file gives
/// it, or a prediction's as its results file implies it (`loadRes` gives the boxes of a
/// segm results file their masks' pixels); COCOeval's area ranges read either.
fn check_area(area: Option<f64>, at: &str) -> Result<(), Refusal> {
    match area {
        None => Ok(()),
        Some(area) if (0.0..=MAX_AREA).contains(&area) => Ok(()),
        Some(area) => Err(Refusal::invalid(
            format!("{at}.area"),
            format!("an area is a number of square pixels in [0, {MAX_AREA:e}], got {area}"),
        )),
    }
}

fn check_score(score: Option<f64>, role: ShapeRole, at: &str) -> Result<(), Refusal> {
    let field = format!("{at}.score");
    match (role, score) {
        (ShapeRole::GroundTruth, None) => Ok(()),
        (ShapeRole::GroundTruth, Some(_)) => Err(Refusal::invalid(
            field,
            "ground truth has no score; scores belong to an experiment's evaluations",
        )),
        (ShapeRole::Prediction, None) => Err(Refusal::invalid(
            field,
            "every prediction needs a score in [0, 1]",
        )),
        (ShapeRole::Prediction, Some(score)) if (0.0..=1.0).contains(&score) => Ok(()),
        (ShapeRole::Prediction, Some(score)) => Err(Refusal::invalid(
            field,
            format!("a score is in [0, 1], got {score}"),
        )),
    }
}

fn check_coordinate(value: f64, field: &str) -> Result<(), Refusal> {
    if value.is_finite() && value.abs() <= MAX_COORDINATE {
        Ok(())
    } else {
        Err(Refusal::invalid(
            field,
            format!("a coordinate is a finite number of at most {MAX_COORDINATE} in magnitude, got {value}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::{ClassificationShape, PolygonShape, RectangleShape, RleCounts};

    fn labels() -> Vec<String> {
        vec!["cat".into(), "dog".into()]
    }

    fn rectangle(label: &str, score: Option<f64>) -> RectangleShape {
        RectangleShape {
            x: 1.0,
            y: 2.0,
            width: 3.0,
            height: 4.0,
            label: label.into(),
            score,
            area: None,
            crowd: false,
        }
    }

    /// The image every test's shapes are on: 6 wide, 4 high.
    const IMAGE: (u32, u32) = (6, 4);

    fn refused(shapes: Shapes, role: ShapeRole) -> Refusal {
        checked_shapes(shapes, &labels(), IMAGE, role, "").expect_err("refused")
    }

    #[test]
    fn a_given_area_is_kept_on_ground_truth_and_predictions_alike() {
        let with_area = |area: f64, score: Option<f64>| Shapes {
            rectangles: vec![RectangleShape {
                area: Some(area),
                ..rectangle("cat", score)
            }],
            ..Shapes::default()
        };
        let kept = checked_shapes(
            with_area(812.5, None),
            &labels(),
            IMAGE,
            ShapeRole::GroundTruth,
            "",
        );
        assert_eq!(kept.expect("taken").rectangles[0].area, Some(812.5));
        for bad in [-1.0, f64::INFINITY, f64::NAN, 1e13] {
            let refusal = refused(with_area(bad, None), ShapeRole::GroundTruth);
            assert_eq!(refusal.field, "rectangles[0].area", "{bad}");
        }
        let prediction = checked_shapes(
            with_area(10.0, Some(0.5)),
            &labels(),
            IMAGE,
            ShapeRole::Prediction,
            "",
        );
        assert_eq!(prediction.expect("taken").rectangles[0].area, Some(10.0));
        let bad = refused(with_area(-2.0, Some(0.5)), ShapeRole::Prediction);
        assert_eq!(bad.field, "rectangles[0].area");
    }

    #[test]
    fn good_shapes_pass_unchanged() {
        let shapes = Shapes {
            rectangles: vec![rectangle("cat", Some(0.0)), rectangle("dog", Some(1.0))],
            polygons: vec![PolygonShape {
                points: vec![[0.0, 0.0], [1.0, 0.0], [0.5, -MAX_COORDINATE]],
                label: "dog".into(),
                score: Some(0.5),
                area: None,
                crowd: false,
                parts: Vec::new(),
            }],
            masks: Vec::new(),
            classifications: vec![ClassificationShape {
                label: "cat".into(),
                score: Some(0.25),
            }],
        };
        let checked = checked_shapes(shapes.clone(), &labels(), IMAGE, ShapeRole::Prediction, "");
        assert_eq!(checked, Ok(shapes));
    }

    #[test]
    fn each_bad_item_is_named() {
        let one = |r: RectangleShape| Shapes {
            rectangles: vec![rectangle("cat", Some(0.5)), r],
            ..Shapes::default()
        };
        let cases = [
            (one(rectangle("cow", Some(0.5))), "rectangles[1].label"),
            (one(rectangle("dog", Some(1.5))), "rectangles[1].score"),
            (one(rectangle("dog", Some(-0.0001))), "rectangles[1].score"),
            (one(rectangle("dog", None)), "rectangles[1].score"),
            (
                one(RectangleShape {
                    x: f64::NAN,
                    ..rectangle("dog", Some(0.5))
                }),
                "rectangles[1].x",
            ),
            (
                one(RectangleShape {
                    y: f64::INFINITY,
                    ..rectangle("dog", Some(0.5))
                }),
                "rectangles[1].y",
            ),
            (
                one(RectangleShape {
                    width: -1.0,
                    ..rectangle("dog", Some(0.5))
                }),
                "rectangles[1].width",
            ),
            (
                one(RectangleShape {
                    height: 2e6,
                    ..rectangle("dog", Some(0.5))
                }),
                "rectangles[1].height",
            ),
        ];
        for (shapes, field) in cases {
            assert_eq!(refused(shapes, ShapeRole::Prediction).field, field);
        }
        let two_points = Shapes {
            polygons: vec![PolygonShape {
                points: vec![[0.0, 0.0], [1.0, 1.0]],
                label: "cat".into(),
                score: None,
                area: None,
                crowd: false,
                parts: Vec::new(),
            }],
            ..Shapes::default()
        };
        assert_eq!(
            refused(two_points, ShapeRole::GroundTruth).field,
            "polygons[0].points"
        );
        let nan_point = Shapes {
            polygons: vec![PolygonShape {
                points: vec![[0.0, 0.0], [1.0, 1.0], [2.0, f64::NAN]],
                label: "cat".into(),
                score: None,
                area: None,
                crowd: false,
                parts: Vec::new(),
            }],
            ..Shapes::default()
        };
        assert_eq!(
            refused(nan_point, ShapeRole::GroundTruth).field,
            "polygons[0].points[2][1]"
        );
        let scored_truth = Shapes {
            classifications: vec![ClassificationShape {
                label: "cat".into(),
                score: Some(1.0),
            }],
            ..Shapes::default()
        };
        assert_eq!(
            refused(scored_truth, ShapeRole::GroundTruth).field,
            "classifications[0].score"
        );
    }

    #[test]
    fn crowd_regions_are_ground_truth_and_every_part_of_an_object_is_checked() {
        let square = vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]];
        let object = |parts: Vec<Vec<[f64; 2]>>, crowd: bool| Shapes {
            polygons: vec![PolygonShape {
                points: square.clone(),
                label: "cat".into(),
                score: None,
                area: None,
                crowd,
                parts,
            }],
            ..Shapes::default()
        };
        let two_parts = object(vec![vec![[9.0, 9.0], [12.0, 9.0], [12.0, 12.0]]], true);
        let kept = checked_shapes(
            two_parts.clone(),
            &labels(),
            IMAGE,
            ShapeRole::GroundTruth,
            "",
        );
        assert_eq!(kept, Ok(two_parts));
        let short_part = object(vec![square.clone(), vec![[1.0, 1.0], [2.0, 2.0]]], false);
        assert_eq!(
            refused(short_part, ShapeRole::GroundTruth).field,
            "polygons[0].parts[1]"
        );
        let far_part = object(vec![vec![[0.0, 0.0], [1.0, 1.0], [2e6, 0.0]]], false);
        assert_eq!(
            refused(far_part, ShapeRole::GroundTruth).field,
            "polygons[0].parts[0][2][0]"
        );
        let crowd_prediction = Shapes {
            rectangles: vec![RectangleShape {
                crowd: true,
                ..rectangle("cat", Some(0.5))
            }],
            ..Shapes::default()
        };
        assert_eq!(
            refused(crowd_prediction, ShapeRole::Prediction).field,
            "rectangles[0].crowd"
        );
    }

    #[test]
    fn masks_cover_their_image_in_either_spelling_and_bad_ones_are_named() {
        let mask = |size: [u32; 2], counts: RleCounts| MaskShape {
            size,
            counts,
            label: "cat".into(),
            score: Some(0.5),
            area: None,
            crowd: false,
        };
        let shapes = |m: MaskShape| Shapes {
            masks: vec![m],
            ..Shapes::default()
        };
        // 24 pixels: as numbers, and compressed ("52203" covers 16: a 4×4 image).
        let good = shapes(mask([4, 6], RleCounts::Runs(vec![5, 2, 17])));
        let checked = checked_shapes(good.clone(), &labels(), IMAGE, ShapeRole::Prediction, "");
        assert_eq!(checked, Ok(good));
        let compressed = shapes(mask([4, 4], RleCounts::Compressed("52203".into())));
        let square = checked_shapes(compressed, &labels(), (4, 4), ShapeRole::Prediction, "");
        assert!(square.is_ok());
        let field = |m: MaskShape| refused(shapes(m), ShapeRole::Prediction).field;
        // The size is [height, width]: the image's the other way round is refused.
        assert_eq!(
            field(mask([6, 4], RleCounts::Runs(vec![24]))),
            "masks[0].size"
        );
        assert_eq!(
            field(mask([4, 6], RleCounts::Runs(vec![5, 2]))),
            "masks[0].counts"
        );
        assert_eq!(
            field(mask([4, 6], RleCounts::Runs(vec![20, 5]))),
            "masks[0].counts"
        );
        let bad_text = RleCounts::Compressed("52 03".into());
        assert_eq!(field(mask([4, 6], bad_text)), "masks[0].counts");
        let crowd = MaskShape {
            crowd: true,
            ..mask([4, 6], RleCounts::Runs(vec![24]))
        };
        assert_eq!(field(crowd), "masks[0].crowd");
        let unscored = MaskShape {
            score: None,
            ..mask([4, 6], RleCounts::Runs(vec![24]))
        };
        assert_eq!(field(unscored), "masks[0].score");
    }
}
