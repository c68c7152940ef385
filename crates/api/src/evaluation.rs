//! Assets of dataset versions with their ground truth, an experiment's evaluations
//! (its predictions per asset), the train/test split, and the metrics computed from
//! them (seed 000 `add_evaluation`, `compute_evaluations_metrics`,
//! `run_train_test_split_on_dataset`; seed 001's assets).

use crate::rle::RleCounts;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A box `(x, y)` top-left, in pixels of the asset's image.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RectangleShape {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// One of the dataset version's labels.
    pub label: String,
    /// A prediction's confidence in [0, 1]; absent on ground truth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The object's area as its COCO file gives it (ground truth), or as its results
    /// file implies it (a prediction: `loadRes` gives the box of a segm result its
    /// mask's pixels), which COCOeval's area ranges read; absent: `width × height`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<f64>,
    /// Ground truth only: a crowd region (COCO's `iscrowd: 1`), which COCOeval ignores:
    /// a prediction on it counts neither as a true nor as a false positive.
    #[serde(default, skip_serializing_if = "is_false")]
    pub crowd: bool,
}

/// A polygon of at least three `[x, y]` points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolygonShape {
    pub points: Vec<[f64; 2]>,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The object's area as its COCO file (or results file) gives it, which COCOeval's
    /// area ranges read; absent: the pixels of its mask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<f64>,
    /// Ground truth only: a crowd region (COCO's `iscrowd: 1`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub crowd: bool,
    /// More parts of the same object (an occluded object drawn as several polygons),
    /// each of at least three points: one object for IoU and area.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Vec<[f64; 2]>>,
}

impl PolygonShape {
    /// Every part of the object: `points`, then `parts`.
    pub fn all_parts(&self) -> impl Iterator<Item = &Vec<[f64; 2]>> {
        std::iter::once(&self.points).chain(&self.parts)
    }
}

/// A run-length mask (COCO's RLE) over the whole image: a segmentation as COCO's crowd
/// regions and every results file give it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaskShape {
    /// `[height, width]`: the asset's image's, as COCO spells it.
    pub size: [u32; 2],
    /// Runs of unset and set pixels, column by column, summing to height × width: a
    /// list of numbers or COCO's compressed string, kept as given.
    pub counts: RleCounts,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The object's area as its COCO file (or results file) gives it, which COCOeval's
    /// area ranges read; absent: the pixels set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<f64>,
    /// Ground truth only: a crowd region (COCO's `iscrowd: 1`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub crowd: bool,
}

/// For `skip_serializing_if`: a flag left out when false.
fn is_false(flag: &bool) -> bool {
    !*flag
}

/// A class of the whole image.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassificationShape {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// What is drawn on (or said of) an asset: ground truth, or an experiment's predictions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shapes {
    #[serde(default)]
    pub rectangles: Vec<RectangleShape>,
    #[serde(default)]
    pub polygons: Vec<PolygonShape>,
    /// Segmentations as run-length masks, which segmentation metrics read beside the
    /// polygons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub masks: Vec<MaskShape>,
    #[serde(default)]
    pub classifications: Vec<ClassificationShape>,
}

impl Shapes {
    /// How many shapes of every kind.
    pub fn len(&self) -> usize {
        self.rectangles.len() + self.polygons.len() + self.masks.len() + self.classifications.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every label named, in order, repeats included.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        let rectangles = self.rectangles.iter().map(|s| s.label.as_str());
        let polygons = self.polygons.iter().map(|s| s.label.as_str());
        let masks = self.masks.iter().map(|s| s.label.as_str());
        let classes = self.classifications.iter().map(|s| s.label.as_str());
        rectangles.chain(polygons).chain(masks).chain(classes)
    }
}

/// An image of a dataset version, with its ground truth. Its bytes are at
/// `GET /api/v1/assets/{id}/image`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Asset {
    pub id: i64,
    pub dataset_version_id: i64,
    /// Unique within the version (seed 000 `find_asset(filename)`).
    pub filename: String,
    /// Sniffed from the bytes.
    pub content_type: String,
    /// Bytes.
    pub size: u64,
    /// Pixels, read from the image's header.
    pub width: u32,
    pub height: u32,
    pub annotations: Shapes,
    pub created_at: String,
}

/// Whether a new evaluation of an asset replaces the experiment's earlier one or adds
/// to it (seed 000 `AddEvaluationType`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AddEvaluationType {
    #[default]
    #[serde(alias = "REPLACE")]
    Replace,
    #[serde(alias = "KEEP")]
    Keep,
}

/// Body of `POST /api/v1/experiments/{id}/evaluations` (seed 000 `add_evaluation`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(from = "NewEvaluationFields")]
pub struct NewEvaluation {
    #[serde(deserialize_with = "crate::integral::id")]
    pub asset_id: i64,
    #[serde(default)]
    pub add_type: AddEvaluationType,
    /// Every shape needs a `score` in [0, 1].
    #[serde(flatten)]
    pub shapes: Shapes,
}

// How a `NewEvaluation` is read: its fields side by side, so that a key that is no field
// (`{"asset_id": 1, "boxes": [...]}`) is refused by name instead of dropped with the
// predictions it held (serde cannot refuse unknown keys through `flatten`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewEvaluationFields {
    #[serde(deserialize_with = "crate::integral::id")]
    asset_id: i64,
    #[serde(default)]
    add_type: AddEvaluationType,
    #[serde(default)]
    rectangles: Vec<RectangleShape>,
    #[serde(default)]
    polygons: Vec<PolygonShape>,
    #[serde(default)]
    masks: Vec<MaskShape>,
    #[serde(default)]
    classifications: Vec<ClassificationShape>,
}

impl From<NewEvaluationFields> for NewEvaluation {
    fn from(fields: NewEvaluationFields) -> Self {
        NewEvaluation {
            asset_id: fields.asset_id,
            add_type: fields.add_type,
            shapes: Shapes {
                rectangles: fields.rectangles,
                polygons: fields.polygons,
                masks: fields.masks,
                classifications: fields.classifications,
            },
        }
    }
}

/// Body of `POST /api/v1/experiments/{id}/coco-predictions`: a COCO results file
/// (what detectron2, mmdetection and ultralytics write) as the experiment's evaluations
/// of a dataset version's assets. All or nothing. Read item by item into these types,
/// never as a whole JSON tree, so a large file costs little more than its bytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CocoPredictions {
    /// A version attached to the experiment.
    #[serde(deserialize_with = "crate::integral::id")]
    pub dataset_version_id: i64,
    /// The results.
    pub results: Vec<CocoResult>,
    /// The ground-truth file's images: an image id names the asset of that file name.
    /// Absent: image ids are asset ids (as `GET …/coco` gives them).
    #[serde(default)]
    pub images: Option<Vec<CocoImageName>>,
    /// The ground-truth file's categories: a category id names the label of that name.
    /// Absent: category `n` is the version's `n`th label.
    #[serde(default)]
    pub categories: Option<Vec<CocoCategoryName>>,
}

/// One detection of a COCO results file: a `bbox`, a `segmentation`, or both.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CocoResult {
    pub image_id: i64,
    pub category_id: i64,
    /// In [0, 1].
    pub score: f64,
    /// `[x, y, width, height]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segmentation: Option<CocoSegmentation>,
}

/// A result's segmentation: polygons (flat `x, y` lists, the parts of one object) or a
/// run-length mask.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum CocoSegmentation {
    Polygons(Vec<Vec<f64>>),
    Mask {
        /// `[height, width]`.
        size: [u32; 2],
        counts: RleCounts,
    },
}

/// An image of a COCO file, as far as a results file's ids need it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CocoImageName {
    pub id: i64,
    pub file_name: String,
}

/// A category of a COCO file, as far as a results file's ids need it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CocoCategoryName {
    pub id: i64,
    pub name: String,
}

/// Answer of `POST /api/v1/experiments/{id}/coco-predictions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CocoPredictionsImported {
    /// How many assets got an evaluation (replacing the experiment's earlier one).
    pub evaluations: u64,
    /// How many shapes they hold.
    pub shapes: u64,
}

/// An experiment's predictions on one asset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evaluation {
    pub id: i64,
    pub experiment_id: i64,
    pub asset_id: i64,
    pub filename: String,
    pub dataset_version_id: i64,
    pub predictions: Shapes,
    pub created_at: String,
    pub updated_at: String,
}

/// Body of `POST /api/v1/dataset-versions/{id}/split` (seed 000
/// `run_train_test_split_on_dataset(name, prop, random_seed)`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SplitRequest {
    /// Share of the assets in the train side, strictly between 0 and 1.
    #[cfg_attr(
        feature = "openapi",
        schema(exclusive_minimum = 0.0, exclusive_maximum = 1.0)
    )]
    pub proportion: f64,
    /// The same seed gives the same split; 0 to 9,223,372,036,854,775,807.
    #[serde(default, deserialize_with = "crate::integral::count")]
    #[cfg_attr(feature = "openapi", schema(maximum = 9_223_372_036_854_775_807_u64))]
    pub seed: u64,
}

/// One side of a split.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SplitSide {
    /// Asset ids, ascending.
    pub asset_ids: Vec<i64>,
    /// How many of the side's assets have each label in their ground truth.
    pub label_counts: BTreeMap<String, u64>,
}

/// A train/test split of a version's assets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Split {
    pub train: SplitSide,
    pub test: SplitSide,
}

/// What metrics are computed from (seed 000 `InferenceType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InferenceType {
    /// Rectangles: COCO `bbox`.
    #[serde(alias = "OBJECT_DETECTION")]
    ObjectDetection,
    /// Polygons: COCO `segm`, masks rasterised as pycocotools does.
    #[serde(alias = "SEGMENTATION")]
    Segmentation,
    /// Classifications: the top-scored prediction per asset.
    #[serde(alias = "CLASSIFICATION")]
    Classification,
}

impl InferenceType {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            InferenceType::ObjectDetection => "object_detection",
            InferenceType::Segmentation => "segmentation",
            InferenceType::Classification => "classification",
        }
    }
}

/// Body of `POST /api/v1/experiments/{id}/evaluation-metrics`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComputeMetrics {
    pub inference_type: InferenceType,
}

/// The names of COCOeval's twelve summary numbers, in its order.
pub const COCO_SUMMARY_NAMES: [&str; 12] = [
    "AP @[.50:.95]",
    "AP @.50",
    "AP @.75",
    "AP small",
    "AP medium",
    "AP large",
    "AR @1",
    "AR @10",
    "AR @100",
    "AR small",
    "AR medium",
    "AR large",
];

/// One class's COCO figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassDetectionMetrics {
    pub label: String,
    /// AP at IoU .50:.95 (all areas, 100 detections); `null` without ground truth.
    pub average_precision: Option<f64>,
    pub average_recall: Option<f64>,
    /// Ground-truth shapes and predictions of this class.
    pub ground_truth: u64,
    pub predictions: u64,
    /// Precision at recall 0, 0.01, …, 1 (IoU .50); `null` without ground truth.
    pub precision_curve: Option<Vec<f64>>,
}

/// COCO evaluation figures, equal to pycocotools' `COCOeval`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DetectionMetrics {
    /// `COCOeval.stats` in its order (names in [`COCO_SUMMARY_NAMES`]); `null` where
    /// pycocotools prints -1.
    pub summary: Vec<Option<f64>>,
    pub classes: Vec<ClassDetectionMetrics>,
}

/// One class's classification figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassClassificationMetrics {
    pub label: String,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    /// Assets whose ground truth is this class.
    pub support: u64,
}

/// Classification figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassificationMetrics {
    pub accuracy: Option<f64>,
    pub classes: Vec<ClassClassificationMetrics>,
    /// (N+1)×(N+1): rows ground truth, columns prediction, last row FP, last column FN.
    pub confusion: Vec<Vec<u64>>,
}

/// What an EVALUATION log holds: the latest metrics of one inference type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationMetrics {
    pub inference_type: InferenceType,
    /// Evaluated assets counted.
    pub assets: u64,
    /// The labels, in the order of the classes below.
    pub labels: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detection: Option<DetectionMetrics>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<ClassificationMetrics>,
    pub computed_at: String,
}

impl InferenceType {
    /// The EVALUATION log its metrics are stored as.
    pub fn log_name(self) -> String {
        format!("evaluation/{}", self.as_str())
    }
}

/// How one shape of an evaluated asset fared, at IoU .50 (COCO's greedy matching by
/// score, within its label).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShapeOutcome {
    /// The best IoU with a shape of the same label on the other side (0 if none).
    pub iou: f64,
    /// Matched: a true positive (prediction) or a found object (ground truth).
    pub matched: bool,
    /// A crowd region (ground truth), or a prediction matched to one: COCOeval ignores
    /// it, neither a true nor a false positive.
    #[serde(default, skip_serializing_if = "is_false")]
    pub crowd: bool,
}

/// An evaluated asset as the asset browser shows it: the image's ground truth, the
/// experiment's predictions, and how each shape of the inference type fared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluatedAsset {
    pub asset: Asset,
    pub evaluation_id: i64,
    pub predictions: Shapes,
    /// One per prediction of the inference type (rectangles, or polygons), in order;
    /// empty for classification.
    pub prediction_outcomes: Vec<ShapeOutcome>,
    /// One per ground-truth shape of the inference type, in order.
    pub truth_outcomes: Vec<ShapeOutcome>,
    /// Classification: the top-scored predicted label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicted_label: Option<String>,
}

/// Answer of `POST /api/v1/dataset-versions/{id}/coco-import`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CocoImported {
    /// The new assets' ids, in the file's image order.
    pub asset_ids: Vec<i64>,
}

/// Where a metrics computation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MetricsJobStatus {
    Running,
    /// The metrics are kept as the experiment's EVALUATION log.
    Success,
    /// `message` says why.
    Failed,
}

/// A metrics computation (seed 000: `compute_evaluations_metrics` returns a job to wait
/// for), polled at `GET /api/v1/metric-jobs/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MetricsJob {
    pub id: i64,
    pub experiment_id: i64,
    pub inference_type: InferenceType,
    pub status: MetricsJobStatus,
    /// Steps done of `total` (a COCO evaluation has a step per class).
    pub done: u64,
    pub total: u64,
    /// Why it failed; empty otherwise.
    pub message: String,
    /// The EVALUATION log it writes.
    pub log_name: String,
    pub created_at: String,
    pub updated_at: String,
}
