//! A dataset version's ground truth as a COCO annotation file (seed 001's
//! `dl_annotations`), so that import → export → pycocotools gives the numbers the
//! original file gives.
//!
//! Images keep their asset ids and file names; categories are the version's labels in
//! order (ids from 1). The COCO import stores an annotation as a rectangle (its `bbox`)
//! and a polygon or a run-length mask (its `segmentation`) side by side; [`objects`]
//! pairs them again, and shapes that do not pair are annotations of their own (a
//! segmentation's `bbox` is then its extent, or `toBbox` of a mask). Every annotation
//! carries `area` (the given one, else `width × height` or the mask's pixels, as the
//! metrics read it) and `iscrowd`; an object's parts are its segmentation's polygons,
//! and a mask keeps the counts it was given, in their spelling.

use super::coco::Region;
use super::metrics::{flat_parts, mask_region};
use serde_json::{json, Value};
use trackboard_api::{Asset, MaskShape, PolygonShape, RectangleShape};

/// The COCO file of `assets` (with their ground truth) on a version labelled `labels`.
pub fn coco_file(labels: &[String], assets: &[Asset]) -> Value {
    let category = |label: &str| labels.iter().position(|l| l == label).map(|i| i + 1);
    let mut annotations = Vec::new();
    for asset in assets {
        let shapes = &asset.annotations;
        for (rectangle, outline) in objects(&shapes.rectangles, &shapes.polygons, &shapes.masks) {
            let label = rectangle.map_or_else(|| outline.map(Outline::label), |r| Some(&r.label));
            let Some(category_id) = label.and_then(|label| category(label)) else {
                continue;
            };
            let region = outline.map(Outline::region);
            let bbox = match (rectangle, &region) {
                (Some(r), _) => [r.x, r.y, r.width, r.height],
                (None, Some(region)) => region.bbox(),
                (None, None) => continue,
            };
            let given = rectangle
                .and_then(|r| r.area)
                .or(outline.and_then(Outline::area));
            let area = given.unwrap_or_else(|| match &region {
                Some(region) => region.mask(asset.width, asset.height).area() as f64,
                None => bbox[2] * bbox[3],
            });
            let crowd = rectangle.is_some_and(|r| r.crowd) || outline.is_some_and(Outline::crowd);
            let mut annotation = json!({
                "id": annotations.len() + 1,
                "image_id": asset.id,
                "category_id": category_id,
                "bbox": bbox,
                "area": area,
                "iscrowd": u8::from(crowd),
            });
            match outline {
                Some(Outline::Polygon(polygon)) => {
                    annotation["segmentation"] = json!(flat_parts(polygon));
                }
                Some(Outline::Mask(mask)) => {
                    annotation["segmentation"] = json!({"size": mask.size, "counts": mask.counts});
                }
                None => {}
            }
            annotations.push(annotation);
        }
    }
    json!({
        "images": assets.iter().map(|a| json!({
            "id": a.id, "file_name": a.filename, "width": a.width, "height": a.height,
        })).collect::<Vec<_>>(),
        "categories": labels.iter().enumerate().map(|(index, name)| json!({
            "id": index + 1, "name": name,
        })).collect::<Vec<_>>(),
        "annotations": annotations,
    })
}

/// An object's segmentation: polygons or a run-length mask.
#[derive(Clone, Copy)]
enum Outline<'a> {
    Polygon(&'a PolygonShape),
    Mask(&'a MaskShape),
}

impl<'a> Outline<'a> {
    fn label(self) -> &'a String {
        match self {
            Outline::Polygon(p) => &p.label,
            Outline::Mask(m) => &m.label,
        }
    }
    fn area(self) -> Option<f64> {
        match self {
            Outline::Polygon(p) => p.area,
            Outline::Mask(m) => m.area,
        }
    }
    fn crowd(self) -> bool {
        match self {
            Outline::Polygon(p) => p.crowd,
            Outline::Mask(m) => m.crowd,
        }
    }
    fn region(self) -> Region {
        match self {
            Outline::Polygon(p) => Region::Polygons(flat_parts(p)),
            Outline::Mask(m) => mask_region(m),
        }
    }
}

/// An asset's objects. The import stores each annotation's box as a rectangle and its
/// segmentation (if any) as a polygon or a mask, each kind in the file's order. When
/// every annotation had a segmentation (as many rectangles as segmentations), each
/// rectangle in order takes the next polygon or the next mask of its label and crowd
/// flag. Otherwise a rectangle only takes one whose box is its box (COCO's `bbox` is
/// the segmentation's extent, to a pixel). Either way the nearer box wins when both
/// could; a rectangle without a segmentation, and a segmentation left over, is an
/// object of its own.
fn objects<'a>(
    rectangles: &'a [RectangleShape],
    polygons: &'a [PolygonShape],
    masks: &'a [MaskShape],
) -> Vec<(Option<&'a RectangleShape>, Option<Outline<'a>>)> {
    if rectangles.len() == polygons.len() + masks.len() {
        let paired = pair_in_order(rectangles, polygons, masks, None);
        if paired.iter().all(|(_, outline)| outline.is_some()) {
            return paired;
        }
    }
    pair_in_order(rectangles, polygons, masks, Some(1.0))
}

/// Each rectangle in order with the next polygon or mask that can be its segmentation
/// (see [`gap`]; `slack` in pixels, `None` for any box), then the segmentations left.
fn pair_in_order<'a>(
    rectangles: &'a [RectangleShape],
    polygons: &'a [PolygonShape],
    masks: &'a [MaskShape],
    slack: Option<f64>,
) -> Vec<(Option<&'a RectangleShape>, Option<Outline<'a>>)> {
    let mut polygon_queue = polygons.iter().map(Outline::Polygon).peekable();
    let mut mask_queue = masks.iter().map(Outline::Mask).peekable();
    let mut objects = Vec::with_capacity(rectangles.len());
    for rectangle in rectangles {
        let gap = |outline: &Outline| gap(*outline, rectangle, slack);
        let polygon = polygon_queue.peek().map(gap).filter(|g| g.is_finite());
        let mask = mask_queue.peek().map(gap).filter(|g| g.is_finite());
        let outline = match (polygon, mask) {
            (Some(p), Some(m)) if m < p => mask_queue.next(),
            (Some(_), _) => polygon_queue.next(),
            (None, Some(_)) => mask_queue.next(),
            (None, None) => None,
        };
        objects.push((Some(rectangle), outline));
    }
    objects.extend(polygon_queue.chain(mask_queue).map(|o| (None, Some(o))));
    objects
}

/// How far an outline's box is from a rectangle (the sum of their coordinates' gaps),
/// or infinity when it cannot be that rectangle's segmentation: another label or crowd
/// flag, or (with a `slack`) a coordinate off by more than the slack and 2 % of the box.
fn gap(outline: Outline, rectangle: &RectangleShape, slack: Option<f64>) -> f64 {
    if outline.label() != &rectangle.label || outline.crowd() != rectangle.crowd {
        return f64::INFINITY;
    }
    let bbox = outline.region().bbox();
    let of_rectangle = [rectangle.x, rectangle.y, rectangle.width, rectangle.height];
    let allowed = slack.map_or(f64::INFINITY, |pixels| {
        pixels + 0.02 * rectangle.width.max(rectangle.height)
    });
    let gaps = bbox.iter().zip(of_rectangle).map(|(a, b)| (a - b).abs());
    gaps.map(|g| if g <= allowed { g } else { f64::INFINITY })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::{compress_runs, RleCounts, Shapes};

    fn asset(id: i64, shapes: Shapes) -> Asset {
        Asset {
            id,
            dataset_version_id: 1,
            filename: format!("{id}.png"),
            content_type: "image/png".into(),
            size: 1,
            width: 40,
            height: 30,
            annotations: shapes,
            created_at: String::new(),
        }
    }

    fn rectangle(label: &str, area: Option<f64>, crowd: bool) -> RectangleShape {
        RectangleShape {
            x: 1.0,
            y: 2.0,
            width: 10.0,
            height: 5.0,
            label: label.into(),
            score: None,
            area,
            crowd,
        }
    }

    fn polygon(label: &str, parts: Vec<Vec<[f64; 2]>>, crowd: bool) -> PolygonShape {
        PolygonShape {
            points: vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]],
            label: label.into(),
            score: None,
            area: None,
            crowd,
            parts,
        }
    }

    #[test]
    fn pairs_become_one_annotation_with_bbox_segmentation_area_and_crowd() {
        let labels = vec!["car".to_owned(), "person".to_owned()];
        let paired = Shapes {
            rectangles: vec![
                rectangle("person", Some(40.5), false),
                rectangle("car", None, true),
            ],
            polygons: vec![
                polygon(
                    "person",
                    vec![vec![[20.0, 20.0], [25.0, 20.0], [25.0, 25.0]]],
                    false,
                ),
                polygon("car", Vec::new(), true),
            ],
            ..Shapes::default()
        };
        let file = coco_file(&labels, &[asset(7, paired)]);
        let annotations = file["annotations"].as_array().expect("annotations");
        assert_eq!(annotations.len(), 2);
        assert_eq!(annotations[0]["category_id"], 2);
        assert_eq!(annotations[0]["bbox"], json!([1.0, 2.0, 10.0, 5.0]));
        assert_eq!(annotations[0]["area"], 40.5);
        assert_eq!(
            annotations[0]["segmentation"],
            json!([
                [0.0, 0.0, 10.0, 0.0, 10.0, 10.0],
                [20.0, 20.0, 25.0, 20.0, 25.0, 25.0]
            ])
        );
        assert_eq!(annotations[1]["iscrowd"], 1);
        // No area given: the mask's pixels, as the metrics count them.
        let mask = Region::Polygons(flat_parts(&polygon("car", Vec::new(), true))).mask(40, 30);
        assert_eq!(annotations[1]["area"], mask.area() as f64);
        assert_eq!(
            file["images"][0],
            json!({"id": 7, "file_name": "7.png", "width": 40, "height": 30})
        );
        assert_eq!(file["categories"][1], json!({"id": 2, "name": "person"}));
    }

    #[test]
    fn shapes_that_do_not_pair_are_annotations_of_their_own() {
        let labels = vec!["car".to_owned()];
        let unpaired = Shapes {
            rectangles: vec![rectangle("car", None, false)],
            polygons: vec![
                polygon("car", Vec::new(), false),
                polygon("car", Vec::new(), false),
            ],
            ..Shapes::default()
        };
        let file = coco_file(&labels, &[asset(1, unpaired)]);
        let annotations = file["annotations"].as_array().expect("annotations");
        assert_eq!(annotations.len(), 3);
        assert_eq!(annotations[0]["area"], 50.0, "a box's area is w × h");
        assert!(annotations[0].get("segmentation").is_none());
        assert_eq!(
            annotations[1]["bbox"],
            json!([0.0, 0.0, 10.0, 10.0]),
            "a polygon's extent"
        );
    }

    #[test]
    fn masks_pair_with_their_boxes_in_the_files_order_and_keep_their_counts() {
        let labels = vec!["car".to_owned(), "person".to_owned()];
        // The file's order: a person polygon, a crowd of cars as a mask, a car polygon,
        // a car mask (compressed); rectangles in that order, masks and polygons apart.
        let mask = |label: &str, counts: RleCounts, crowd| MaskShape {
            size: [30, 40],
            counts,
            label: label.into(),
            score: None,
            area: None,
            crowd,
        };
        let crowd_runs = RleCounts::Runs(vec![32, 3, 1165]);
        let car_runs = RleCounts::Compressed(compress_runs(&[302, 4, 26, 4, 864]));
        let shapes = Shapes {
            rectangles: vec![
                rectangle("person", None, false),
                RectangleShape {
                    x: 1.0,
                    y: 2.0,
                    width: 1.0,
                    height: 3.0,
                    ..rectangle("car", None, true)
                },
                rectangle("car", None, false),
                RectangleShape {
                    x: 10.0,
                    y: 2.0,
                    width: 2.0,
                    height: 4.0,
                    ..rectangle("car", None, false)
                },
            ],
            polygons: vec![
                polygon("person", Vec::new(), false),
                polygon("car", Vec::new(), false),
            ],
            masks: vec![
                mask("car", crowd_runs.clone(), true),
                mask("car", car_runs.clone(), false),
            ],
            ..Shapes::default()
        };
        let file = coco_file(&labels, &[asset(3, shapes)]);
        let annotations = file["annotations"].as_array().expect("annotations");
        assert_eq!(annotations.len(), 4, "{annotations:?}");
        let segmentation = |i: usize| annotations[i]["segmentation"].clone();
        assert!(segmentation(0).is_array());
        assert_eq!(
            segmentation(1),
            json!({"size": [30, 40], "counts": [32, 3, 1165]})
        );
        assert_eq!(annotations[1]["iscrowd"], 1);
        assert_eq!(annotations[1]["area"], 3.0, "the mask's pixels");
        assert!(segmentation(2).is_array());
        assert_eq!(
            segmentation(3),
            json!({"size": [30, 40], "counts": compress_runs(&[302, 4, 26, 4, 864])})
        );
        assert_eq!(annotations[3]["bbox"], json!([10.0, 2.0, 2.0, 4.0]));
    }
}
