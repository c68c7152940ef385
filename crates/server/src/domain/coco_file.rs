//! A COCO annotation file read into assets' ground truth: each annotation's box becomes
//! a rectangle and its segmentation a polygon (its parts kept together) or a run-length
//! mask (COCO's RLE, compressed or not, as its crowd regions come), each labelled with
//! its category's name and keeping `area` and `iscrowd`. Refusals name the file's item
//! (`annotations[3].bbox`).

use super::Refusal;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use trackboard_api::{MaskShape, PolygonShape, RectangleShape, RleCounts, Shapes};

#[derive(Deserialize)]
struct CocoFile {
    images: Vec<CocoImage>,
    #[serde(default)]
    annotations: Vec<CocoAnnotation>,
    categories: Vec<CocoCategory>,
}

#[derive(Deserialize)]
struct CocoImage {
    id: i64,
    file_name: String,
    width: Option<u32>,
    height: Option<u32>,
}

#[derive(Deserialize)]
struct CocoCategory {
    id: i64,
    name: String,
}

#[derive(Deserialize)]
struct CocoAnnotation {
    image_id: i64,
    category_id: i64,
    bbox: Option<Vec<f64>>,
    segmentation: Option<serde_json::Value>,
    /// What COCOeval's area ranges read; kept with the object's shapes.
    area: Option<f64>,
    #[serde(default)]
    iscrowd: u8,
}

/// One image of the file: its name, the size it declares and its ground truth.
#[derive(Clone, Debug, PartialEq)]
pub struct CocoImageTruth {
    pub file_name: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub shapes: Shapes,
}

/// What a COCO file holds, per image in the file's order.
#[derive(Clone, Debug, PartialEq)]
pub struct CocoTruth {
    pub images: Vec<CocoImageTruth>,
}

/// A run-length segmentation as COCO writes it.
#[derive(Deserialize)]
struct CocoRle {
    size: [u32; 2],
    counts: RleCounts,
}

/// Reads `text` as a COCO file whose categories must all be among `labels`.
pub fn parse_coco(text: &str, labels: &[String]) -> Result<CocoTruth, Refusal> {
    let file: CocoFile = serde_json::from_str(text).map_err(|error| {
        Refusal::invalid(
            "annotations",
            format!("not a COCO annotation file: {error}"),
        )
    })?;
    let mut names = HashMap::new();
    for (index, category) in file.categories.iter().enumerate() {
        if !labels.contains(&category.name) {
            return Err(Refusal::invalid(
                format!("annotations.categories[{index}].name"),
                format!(
                    "{:?} is not a label of the dataset version (its labels: {})",
                    category.name,
                    labels.join(", ")
                ),
            ));
        }
        names.insert(category.id, category.name.clone());
    }
    let mut images: BTreeMap<i64, usize> = BTreeMap::new();
    let mut truth: Vec<CocoImageTruth> = Vec::with_capacity(file.images.len());
    for (index, image) in file.images.iter().enumerate() {
        if images.insert(image.id, index).is_some()
            || truth.iter().any(|t| t.file_name == image.file_name)
        {
            return Err(Refusal::invalid(
                format!("annotations.images[{index}]"),
                format!(
                    "image id {} or file name {:?} appears twice",
                    image.id, image.file_name
                ),
            ));
        }
        truth.push(CocoImageTruth {
            file_name: image.file_name.clone(),
            width: image.width,
            height: image.height,
            shapes: Shapes::default(),
        });
    }
    for (index, annotation) in file.annotations.iter().enumerate() {
        let at = format!("annotations.annotations[{index}]");
        let Some(&image) = images.get(&annotation.image_id) else {
            return Err(Refusal::invalid(
                format!("{at}.image_id"),
                format!("no image with id {} in the file", annotation.image_id),
            ));
        };
        let Some(label) = names.get(&annotation.category_id) else {
            return Err(Refusal::invalid(
                format!("{at}.category_id"),
                format!("no category with id {} in the file", annotation.category_id),
            ));
        };
        let crowd = annotation.iscrowd != 0;
        let shapes = &mut truth[image].shapes;
        if let Some(bbox) = &annotation.bbox {
            let [x, y, width, height] = bbox[..] else {
                return Err(Refusal::invalid(
                    format!("{at}.bbox"),
                    "a bbox is [x, y, width, height]",
                ));
            };
            shapes.rectangles.push(RectangleShape {
                x,
                y,
                width,
                height,
                label: label.clone(),
                score: None,
                area: annotation.area,
                crowd,
            });
        }
        if let Some(rle @ serde_json::Value::Object(_)) = &annotation.segmentation {
            // The image's size is checked with the rest of the shapes, against the file.
            let mask = CocoRle::deserialize(rle).map_err(|error| {
                Refusal::invalid(
                    format!("{at}.segmentation"),
                    format!("a run-length segmentation is {{\"size\": [height, width], \"counts\": …}}: {error}"),
                )
            })?;
            shapes.masks.push(MaskShape {
                size: mask.size,
                counts: mask.counts,
                label: label.clone(),
                score: None,
                area: annotation.area,
                crowd,
            });
        }
        if let Some(serde_json::Value::Array(polygons)) = &annotation.segmentation {
            // Several polygons are the parts of one object (an occluded one): one shape,
            // one area, as COCOeval merges them into one mask.
            let mut outlines = Vec::with_capacity(polygons.len());
            for (part, polygon) in polygons.iter().enumerate() {
                let numbers: Option<Vec<f64>> = polygon
                    .as_array()
                    .map(|values| values.iter().map(serde_json::Value::as_f64).collect())
                    .unwrap_or(None);
                let Some(numbers) = numbers.filter(|n| n.len() % 2 == 0) else {
                    return Err(Refusal::invalid(
                        format!("{at}.segmentation[{part}]"),
                        "a polygon is a flat list of x, y numbers",
                    ));
                };
                outlines.push(numbers.chunks_exact(2).map(|p| [p[0], p[1]]).collect());
            }
            let mut outlines = outlines.into_iter();
            if let Some(points) = outlines.next() {
                shapes.polygons.push(PolygonShape {
                    points,
                    label: label.clone(),
                    score: None,
                    area: annotation.area,
                    crowd,
                    parts: outlines.collect(),
                });
            }
        }
    }
    Ok(CocoTruth { images: truth })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels() -> Vec<String> {
        vec!["car".into(), "person".into()]
    }

    #[test]
    fn boxes_polygons_and_masks_land_on_their_images() {
        let file = json!({
            "images": [{"id": 7, "file_name": "a.png", "width": 40, "height": 30}, {"id": 9, "file_name": "b.png"}],
            "categories": [{"id": 1, "name": "car"}, {"id": 2, "name": "person"}],
            "annotations": [
                {"id": 1, "image_id": 7, "category_id": 2, "bbox": [1, 2, 3, 4], "segmentation": [[0, 0, 4, 0, 2, 3], [5, 5, 6, 5, 6, 6]], "area": 6, "iscrowd": 0},
                {"id": 2, "image_id": 9, "category_id": 1, "bbox": [0.5, 0, 1, 1]},
                {"id": 3, "image_id": 9, "category_id": 1, "segmentation": {"counts": [1, 2, 1], "size": [2, 2]}, "area": 2, "iscrowd": 1},
                {"id": 5, "image_id": 9, "category_id": 2, "segmentation": {"counts": "52203", "size": [4, 4]}},
                {"id": 4, "image_id": 9, "category_id": 2, "bbox": [0, 0, 9, 9], "segmentation": [[0, 0, 9, 0, 9, 9]], "area": 40, "iscrowd": 1},
            ],
        });
        let truth = parse_coco(&file.to_string(), &labels()).expect("read");
        assert_eq!(truth.images[0].file_name, "a.png");
        assert_eq!(truth.images[0].width, Some(40));
        assert_eq!(truth.images[0].shapes.rectangles[0].label, "person");
        // Two polygons of one annotation are one object in two parts, with its area.
        assert_eq!(truth.images[0].shapes.polygons.len(), 1);
        let object = &truth.images[0].shapes.polygons[0];
        assert_eq!(object.points[2], [2.0, 3.0]);
        assert_eq!(object.parts, vec![vec![[5.0, 5.0], [6.0, 5.0], [6.0, 6.0]]]);
        assert_eq!(object.area, Some(6.0));
        assert!(!object.crowd);
        assert_eq!(truth.images[1].shapes.rectangles[0].x, 0.5);
        // Run-length masks are kept as given, crowd or not, with their areas.
        let masks = &truth.images[1].shapes.masks;
        assert_eq!(masks.len(), 2);
        assert_eq!(masks[0].counts, RleCounts::Runs(vec![1, 2, 1]));
        assert_eq!(
            (masks[0].size, masks[0].crowd, masks[0].area),
            ([2, 2], true, Some(2.0))
        );
        assert_eq!(masks[1].counts, RleCounts::Compressed("52203".into()));
        assert_eq!((masks[1].label.as_str(), masks[1].crowd), ("person", false));
        // A crowd region is kept as one, its polygon too.
        let crowds: Vec<bool> = truth.images[1]
            .shapes
            .rectangles
            .iter()
            .map(|r| r.crowd)
            .collect();
        assert_eq!(crowds, [false, true]);
        assert!(truth.images[1].shapes.polygons[0].crowd);
    }

    #[test]
    fn bad_files_are_refused_naming_the_item() {
        let base = |annotation: serde_json::Value, category: &str| {
            json!({
                "images": [{"id": 1, "file_name": "a.png"}],
                "categories": [{"id": 1, "name": category}],
                "annotations": [annotation],
            })
            .to_string()
        };
        let ok = json!({"image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1]});
        let refused = |text: String| parse_coco(&text, &labels()).expect_err("refused").field;
        assert_eq!(
            refused(base(ok.clone(), "truck")),
            "annotations.categories[0].name"
        );
        assert_eq!(
            refused(base(json!({"image_id": 5, "category_id": 1}), "car")),
            "annotations.annotations[0].image_id"
        );
        assert_eq!(
            refused(base(json!({"image_id": 1, "category_id": 4}), "car")),
            "annotations.annotations[0].category_id"
        );
        assert_eq!(
            refused(base(
                json!({"image_id": 1, "category_id": 1, "bbox": [0, 0, 1]}),
                "car"
            )),
            "annotations.annotations[0].bbox"
        );
        assert_eq!(
            refused(base(
                json!({"image_id": 1, "category_id": 1, "segmentation": [[0, 0, 1]]}),
                "car"
            )),
            "annotations.annotations[0].segmentation[0]"
        );
        assert_eq!(
            refused(base(
                json!({"image_id": 1, "category_id": 1, "segmentation": {"counts": [1]}}),
                "car"
            )),
            "annotations.annotations[0].segmentation"
        );
        assert_eq!(refused("{\"images\": 3}".into()), "annotations");
    }
}
