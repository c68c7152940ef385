//! A COCO results file (`image_id`, `category_id`, `score`, `bbox` and/or a
//! `segmentation` per item: polygons or a run-length mask, compressed as detectron2 and
//! mmdetection write it) read as predictions per asset. A mask without a `bbox` also
//! gets its box (`toBbox`), as pycocotools' `loadRes` gives it; and in a file of masks
//! (its first item without a bbox) each box's area is its mask's pixels, as there too.
//! Image ids name assets through the ground-truth file's images (their file names) or
//! are asset ids; category ids name labels through its categories or are label
//! positions from 1. Every refusal names the item: `results[17].category_id`.

use super::{checked_shapes, Refusal, ShapeRole};
use std::collections::{BTreeMap, HashMap};
use trackboard_api::{
    runs_area, runs_bbox, CocoCategoryName, CocoImageName, CocoPredictions, CocoResult,
    CocoSegmentation, MaskShape, PolygonShape, RectangleShape, Shapes,
};

/// The most results one request may carry (COCO val2017 at 100 detections an image).
pub const MAX_RESULTS: usize = 1_000_000;

/// Where the results' ids lead: image id → asset id, category id → label.
pub struct ResultIds {
    pub assets: HashMap<i64, i64>,
    pub labels: HashMap<i64, String>,
}

impl ResultIds {
    /// The ids as the request gives them: `images` (id, file_name) mapped onto the
    /// version's assets by file name, else asset ids; `categories` (id, name) mapped
    /// onto `labels` by name, else label positions from 1.
    pub fn of(
        images: Option<&[CocoImageName]>,
        categories: Option<&[CocoCategoryName]>,
        assets: &[(i64, String)],
        labels: &[String],
    ) -> Result<ResultIds, Refusal> {
        let by_name: HashMap<&str, i64> = assets.iter().map(|(id, n)| (n.as_str(), *id)).collect();
        let image_assets = match images {
            None => assets.iter().map(|(id, _)| (*id, *id)).collect(),
            Some(images) => {
                let mut found = HashMap::new();
                for (index, image) in images.iter().enumerate() {
                    let name = &image.file_name;
                    let asset = by_name.get(name.as_str()).ok_or_else(|| {
                        Refusal::invalid(
                            format!("images[{index}].file_name"),
                            format!("no asset of the dataset version is named {name:?}"),
                        )
                    })?;
                    found.insert(image.id, *asset);
                }
                found
            }
        };
        let category_labels = match categories {
            None => (1..).zip(labels.iter().cloned()).collect(),
            Some(categories) => {
                let mut found = HashMap::new();
                for (index, category) in categories.iter().enumerate() {
                    let name = &category.name;
                    if !labels.contains(name) {
                        return Err(Refusal::invalid(
                            format!("categories[{index}].name"),
                            format!(
                                "{name:?} is not a label of the dataset version (its labels: {})",
                                labels.join(", ")
                            ),
                        ));
                    }
                    found.insert(category.id, name.clone());
                }
                found
            }
        };
        Ok(ResultIds {
            assets: image_assets,
            labels: category_labels,
        })
    }
}

/// The predictions of each asset the results name, in asset id order.
pub fn predictions_by_asset(
    results: &[CocoResult],
    ids: &ResultIds,
) -> Result<BTreeMap<i64, Shapes>, Refusal> {
    if results.len() > MAX_RESULTS {
        return Err(Refusal::too_large(
            "results",
            format!(
                "at most {MAX_RESULTS} results a request, got {}",
                results.len()
            ),
        ));
    }
    // pycocotools' `loadRes` reads the file as boxes when its first item has a bbox,
    // else as segmentations (then each box's area is its mask's pixels).
    let segm_file = results
        .first()
        .is_some_and(|first| first.bbox.as_ref().is_none_or(Vec::is_empty));
    let mut by_asset: BTreeMap<i64, Shapes> = BTreeMap::new();
    for (index, item) in results.iter().enumerate() {
        let at = format!("results[{index}]");
        let asset = *ids.assets.get(&item.image_id).ok_or_else(|| {
            Refusal::invalid(
                format!("{at}.image_id"),
                format!("no image with id {}", item.image_id),
            )
        })?;
        let label = ids.labels.get(&item.category_id).ok_or_else(|| {
            Refusal::invalid(
                format!("{at}.category_id"),
                format!("no category with id {}", item.category_id),
            )
        })?;
        let score = item.score;
        if !(0.0..=1.0).contains(&score) {
            return Err(Refusal::invalid(
                format!("{at}.score"),
                format!("a score is a number in [0, 1], got {score}"),
            ));
        }
        let shapes = by_asset.entry(asset).or_default();
        let rectangle = |[x, y, width, height]: [f64; 4], area| RectangleShape {
            x,
            y,
            width,
            height,
            label: label.clone(),
            score: Some(score),
            area,
            crowd: false,
        };
        let mut boxed = None;
        // An empty bbox is none, as `loadRes` reads it.
        if let Some(bbox) = item.bbox.as_ref().filter(|bbox| !bbox.is_empty()) {
            let &[x, y, w, h] = &bbox[..] else {
                return Err(Refusal::invalid(
                    format!("{at}.bbox"),
                    "a bbox is [x, y, width, height]",
                ));
            };
            boxed = Some([x, y, w, h]);
        }
        match &item.segmentation {
            None => {}
            Some(CocoSegmentation::Polygons(polygons)) => {
                let mut outlines = Vec::with_capacity(polygons.len());
                for (part, flat) in polygons.iter().enumerate() {
                    if flat.len() % 2 != 0 || flat.len() < 6 {
                        return Err(Refusal::invalid(
                            format!("{at}.segmentation[{part}]"),
                            "a polygon is a flat list of at least three x, y pairs",
                        ));
                    }
                    outlines.push(flat.chunks_exact(2).map(|p| [p[0], p[1]]).collect());
                }
                let mut outlines = outlines.into_iter();
                let Some(points) = outlines.next() else {
                    return Err(Refusal::invalid(
                        format!("{at}.segmentation"),
                        "a segmentation has at least one polygon",
                    ));
                };
                shapes.polygons.push(PolygonShape {
                    points,
                    label: label.clone(),
                    score: Some(score),
                    area: None,
                    crowd: false,
                    parts: outlines.collect(),
                });
            }
            Some(CocoSegmentation::Mask { size, counts }) => {
                let runs = counts.runs().map_err(|error| {
                    Refusal::invalid(
                        format!("{at}.segmentation.counts"),
                        format!("not COCO run-length counts: {error}"),
                    )
                })?;
                // As `loadRes` does: a mask without a box gets the mask's box, and in a
                // file of masks every box's area is its mask's pixels.
                let bbox = boxed.unwrap_or_else(|| runs_bbox(&runs, size[0]));
                let area = segm_file.then(|| runs_area(&runs) as f64);
                shapes.rectangles.push(rectangle(bbox, area));
                boxed = None;
                shapes.masks.push(MaskShape {
                    size: *size,
                    counts: counts.clone(),
                    label: label.clone(),
                    score: Some(score),
                    area: None,
                    crowd: false,
                });
            }
        }
        if let Some(bbox) = boxed {
            shapes.rectangles.push(rectangle(bbox, None));
        } else if item.segmentation.is_none() {
            return Err(Refusal::invalid(
                at,
                "a result needs a bbox or a segmentation (polygons or a run-length mask)",
            ));
        }
    }
    Ok(by_asset)
}

/// An asset of the version the results are read onto: its id, file name and image size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionAsset {
    pub id: i64,
    pub filename: String,
    pub width: u32,
    pub height: u32,
}

/// The results of `request` as checked predictions per asset of `assets` (a version
/// labelled `labels`), in asset id order, with how many shapes they hold.
pub fn checked_predictions(
    request: &CocoPredictions,
    assets: &[VersionAsset],
    labels: &[String],
) -> Result<(Vec<(i64, Shapes)>, u64), Refusal> {
    let names: Vec<(i64, String)> = assets.iter().map(|a| (a.id, a.filename.clone())).collect();
    let sizes: HashMap<i64, (u32, u32)> =
        assets.iter().map(|a| (a.id, (a.width, a.height))).collect();
    let ids = ResultIds::of(
        request.images.as_deref(),
        request.categories.as_deref(),
        &names,
        labels,
    )?;
    let mut checked = Vec::new();
    let mut shapes = 0;
    for (asset_id, predictions) in predictions_by_asset(&request.results, &ids)? {
        let prefix = format!("results of asset {asset_id}: ");
        let image = sizes.get(&asset_id).copied().unwrap_or_default();
        let predictions =
            checked_shapes(predictions, labels, image, ShapeRole::Prediction, &prefix)?;
        shapes += predictions.len() as u64;
        checked.push((asset_id, predictions));
    }
    Ok((checked, shapes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};
    use trackboard_api::RleCounts;

    fn labels() -> Vec<String> {
        vec!["car".into(), "person".into()]
    }

    fn assets() -> Vec<(i64, String)> {
        vec![(11, "a.png".into()), (12, "b.png".into())]
    }

    /// JSON as the request's types read it.
    fn typed<T: serde::de::DeserializeOwned>(value: Value) -> T {
        serde_json::from_value(value).expect("the request's shape")
    }

    #[test]
    fn results_land_on_their_assets_by_file_name_or_asset_id() {
        let images: Vec<CocoImageName> =
            typed(json!([{"id": 1, "file_name": "b.png", "width": 4}]));
        let categories: Vec<CocoCategoryName> = typed(json!([{"id": 7, "name": "person"}]));
        let ids =
            ResultIds::of(Some(&images), Some(&categories), &assets(), &labels()).expect("ids");
        let results: Vec<CocoResult> = typed(json!([
            {"image_id": 1, "category_id": 7, "score": 0.5, "bbox": [1, 2, 3, 4],
             "segmentation": [[0, 0, 4, 0, 4, 4], [9, 9, 12, 9, 12, 12]]},
        ]));
        let found = predictions_by_asset(&results, &ids).expect("read");
        let shapes = &found[&12];
        assert_eq!(shapes.rectangles[0].label, "person");
        assert_eq!(shapes.rectangles[0].score, Some(0.5));
        assert_eq!(
            shapes.polygons[0].parts.len(),
            1,
            "two polygons: one object"
        );
        let plain = ResultIds::of(None, None, &assets(), &labels()).expect("ids");
        let by_id: Vec<CocoResult> =
            typed(json!([{"image_id": 11, "category_id": 1, "score": 1, "bbox": [0, 0, 1, 1]}]));
        let found = predictions_by_asset(&by_id, &plain).expect("read");
        assert_eq!(found[&11].rectangles[0].label, "car");
    }

    #[test]
    fn a_mask_is_kept_as_written_and_gets_its_box_when_it_has_none() {
        let ids = ResultIds::of(None, None, &assets(), &labels()).expect("ids");
        // Rows 1–2 of columns 1–2 of a 4×4 image, as `mask.encode` writes it.
        let rle = json!({"size": [4, 4], "counts": "52203"});
        let results: Vec<CocoResult> = typed(json!([
            {"image_id": 11, "category_id": 2, "score": 0.25, "segmentation": rle},
            {"image_id": 12, "category_id": 1, "score": 0.5, "segmentation": rle,
             "bbox": [0, 0, 9, 9]},
        ]));
        let found = predictions_by_asset(&results, &ids).expect("read");
        let mask = &found[&11].masks[0];
        assert_eq!(mask.counts, RleCounts::Compressed("52203".into()));
        assert_eq!((mask.size, mask.score), ([4, 4], Some(0.25)));
        let boxed = &found[&11].rectangles[0];
        assert_eq!(
            [boxed.x, boxed.y, boxed.width, boxed.height],
            [1.0, 1.0, 2.0, 2.0]
        );
        assert_eq!(found[&12].rectangles[0].width, 9.0, "a given bbox is kept");
        assert_eq!(found[&12].rectangles.len(), 1);
        // A file of masks: every box's area is its mask's pixels, as `loadRes` sets it.
        assert_eq!(boxed.area, Some(4.0));
        assert_eq!(found[&12].rectangles[0].area, Some(4.0));
        // A file of boxes (its first item has one): boxes keep width × height.
        let boxes_first = [results[1].clone(), results[0].clone()];
        let found = predictions_by_asset(&boxes_first, &ids).expect("read");
        assert_eq!(found[&11].rectangles[0].area, None);
        assert_eq!(found[&12].rectangles[0].area, None);
    }

    #[test]
    fn a_refusal_names_the_item() {
        let ids = ResultIds::of(None, None, &assets(), &labels()).expect("ids");
        let ok = json!({"image_id": 11, "category_id": 1, "score": 0.5, "bbox": [0, 0, 1, 1]});
        let field = |bad: Value| {
            predictions_by_asset(&typed::<Vec<CocoResult>>(json!([ok.clone(), bad])), &ids)
                .expect_err("refused")
                .field
        };
        let with = |key: &str, value: Value| {
            let mut item = ok.clone();
            item[key] = value;
            item
        };
        assert_eq!(field(with("image_id", json!(99))), "results[1].image_id");
        assert_eq!(
            field(with("category_id", json!(3))),
            "results[1].category_id"
        );
        assert_eq!(field(with("score", json!(1.5))), "results[1].score");
        assert_eq!(field(with("bbox", json!([0, 0, 1]))), "results[1].bbox");
        let mut unreadable = with("segmentation", json!({"size": [2, 2], "counts": "0 4"}));
        unreadable.as_object_mut().map(|item| item.remove("bbox"));
        assert_eq!(field(unreadable), "results[1].segmentation.counts");
        assert_eq!(
            field(with("segmentation", json!([[0, 0, 1, 1]]))),
            "results[1].segmentation[0]"
        );
        assert_eq!(
            field(with("segmentation", json!([]))),
            "results[1].segmentation"
        );
        let bare = json!({"image_id": 11, "category_id": 1, "score": 0.5});
        assert_eq!(field(bare), "results[1]");
        let images: Vec<CocoImageName> = typed(json!([{"id": 1, "file_name": "zzz.png"}]));
        let refused = ResultIds::of(Some(&images), None, &assets(), &labels());
        assert_eq!(
            refused.err().map(|r| r.field),
            Some("images[0].file_name".to_owned())
        );
        let categories: Vec<CocoCategoryName> = typed(json!([{"id": 1, "name": "truck"}]));
        let refused = ResultIds::of(None, Some(&categories), &assets(), &labels());
        assert_eq!(
            refused.err().map(|r| r.field),
            Some("categories[0].name".to_owned())
        );
    }
}
