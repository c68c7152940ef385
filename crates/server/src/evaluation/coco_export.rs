//! A dataset version's ground truth as a COCO annotation file (seed 001's
//! `dl_annotations`), so that import → export → pycocotools gives the numbers the
//! original file gives.
//!
//! Images keep their asset ids and file names; categories are the version's labels in
//! order (ids from 1). The COCO import stores an annotation as a rectangle (its `bbox`)
//! and a polygon (its `segmentation`) side by side. When an asset has as many of each
//! with the same labels in the same order, each pair is one annotation again; otherwise
//! each shape is an annotation of its own (a polygon's `bbox` is its extent). Every
//! annotation carries `area` (the given one, else `width × height` or the mask's
//! pixels, as the metrics read it) and `iscrowd`; an object's parts are its
//! segmentation's polygons.

use super::coco::Region;
use super::mask::Mask;
use super::metrics::flat_parts;
use serde_json::{json, Value};
use trackboard_api::{Asset, PolygonShape, RectangleShape};

/// The COCO file of `assets` (with their ground truth) on a version labelled `labels`.
pub fn coco_file(labels: &[String], assets: &[Asset]) -> Value {
    let category = |label: &str| labels.iter().position(|l| l == label).map(|i| i + 1);
    let mut annotations = Vec::new();
    for asset in assets {
        for (rectangle, polygon) in
            objects(&asset.annotations.rectangles, &asset.annotations.polygons)
        {
            let label = rectangle.map_or_else(|| polygon.map(|p| &p.label), |r| Some(&r.label));
            let Some(category_id) = label.and_then(|label| category(label)) else {
                continue;
            };
            let segmentation = polygon.map(flat_parts);
            let bbox = match (rectangle, &segmentation) {
                (Some(r), _) => [r.x, r.y, r.width, r.height],
                (None, Some(parts)) => Region::Polygons(parts.clone()).bbox(),
                (None, None) => continue,
            };
            let given = rectangle
                .and_then(|r| r.area)
                .or(polygon.and_then(|p| p.area));
            let area = given.unwrap_or_else(|| match &segmentation {
                Some(parts) => Mask::from_polygons(parts, asset.width, asset.height).area() as f64,
                None => bbox[2] * bbox[3],
            });
            let crowd = rectangle.is_some_and(|r| r.crowd) || polygon.is_some_and(|p| p.crowd);
            let mut annotation = json!({
                "id": annotations.len() + 1,
                "image_id": asset.id,
                "category_id": category_id,
                "bbox": bbox,
                "area": area,
                "iscrowd": u8::from(crowd),
            });
            if let Some(parts) = segmentation {
                annotation["segmentation"] = json!(parts);
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

/// An asset's objects: its rectangles and polygons paired in order when they pair up
/// (as many of each, the same labels), else each on its own.
fn objects<'a>(
    rectangles: &'a [RectangleShape],
    polygons: &'a [PolygonShape],
) -> Vec<(Option<&'a RectangleShape>, Option<&'a PolygonShape>)> {
    let paired = rectangles.len() == polygons.len()
        && rectangles
            .iter()
            .zip(polygons)
            .all(|(r, p)| r.label == p.label);
    if paired {
        return rectangles
            .iter()
            .zip(polygons)
            .map(|(r, p)| (Some(r), Some(p)))
            .collect();
    }
    rectangles
        .iter()
        .map(|r| (Some(r), None))
        .chain(polygons.iter().map(|p| (None, Some(p))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::Shapes;

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
        let mask = Mask::from_polygons(&flat_parts(&polygon("car", Vec::new(), true)), 40, 30);
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
}
