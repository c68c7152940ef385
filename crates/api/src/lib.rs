//! Wire types of the Trackboard REST API (`/api/v1`).
//!
//! This crate is the contract between the tracking server and the dashboard: both
//! depend on it and never on each other. It holds only serde types, their docs and a
//! few small pure helpers of their spelling, so it compiles for `wasm32-unknown-unknown`
//! as well as natively. Algorithms over series (M4, tiles, the binary points frame)
//! live in `trackboard-series`.
//!
//! Conventions (see `docs/API-DESIGN.md`): field names are `snake_case`, timestamps are
//! RFC 3339 strings in UTC, ids are positive integers, and every list is a [`Page`].

mod artifact;
mod asset_filter;
mod checkpoint;
mod dataset;
mod encoding;
mod error;
mod evaluation;
mod experiment;
mod gap;
mod heatmap;
mod image_link;
mod integral;
mod job;
mod line_groups;
mod log;
mod log_decode;
mod model;
#[cfg(feature = "openapi")]
pub mod names;
mod pagination;
mod project;
mod rle;
mod saved_view;
mod token;

pub use artifact::{Artifact, RegisteredArtifact};
pub use asset_filter::{AssetOutcome, EvaluatedAssetFilter};
pub use checkpoint::{Checkpoint, CheckpointMetrics};
pub use dataset::{
    AttachDataset, AttachedDataset, Dataset, DatasetVersion, NewDataset, NewDatasetVersion,
};
pub use encoding::encode_component;
pub use error::{ErrorBody, ErrorCode, ErrorDetails, ErrorEnvelope};
pub use evaluation::{
    AddEvaluationType, Asset, ClassClassificationMetrics, ClassDetectionMetrics,
    ClassificationMetrics, ClassificationShape, CocoCategoryName, CocoImageName, CocoImported,
    CocoPredictions, CocoPredictionsImported, CocoResult, CocoSegmentation, ComputeMetrics,
    DetectionMetrics, EvaluatedAsset, Evaluation, EvaluationMetrics, InferenceType, MaskShape,
    MetricsJob, MetricsJobStatus, NewEvaluation, PolygonShape, RectangleShape, ShapeOutcome,
    Shapes, Split, SplitRequest, SplitSide, COCO_SUMMARY_NAMES,
};
pub use experiment::{
    ComparedExperiments, Experiment, ExperimentPatch, ExperimentStatus, ExperimentWithLogs,
    NewExperiment, EXPERIMENT_NAME_MAX_CHARS,
};
pub use gap::{gap_as_nan, nan_as_gap};
pub use heatmap::{
    expected_shape, heatmap_labels, HeatmapLabels, FALSE_NEGATIVE_LABEL, FALSE_POSITIVE_LABEL,
};
pub use image_link::{ImageLink, ImageLinks};
pub use integral::integer_of;
pub use job::{JobLog, JobLogLine, JobStatus, JobStatusUpdate, NewJobLogLines};
pub use line_groups::{LineGroup, LineGroups};
pub use log::{
    BarData, ChartScope, ComparedLine, ExperimentValues, HeatmapData, ImageGallery, LineComparison,
    LineComparisons, LinePoints, LineSeriesSummary, LineSummary, LineTimes, Log, LogContent,
    LogPatch, LogType, LoggedImage, NewLog, RewindLine, Rewound, Scalar, SeriesPoints, SeriesTimes,
    LOG_NAME_MAX_CHARS,
};
pub use model::{ExportExperiment, Model, ModelFile, ModelType, ModelVersion, NewModel};
pub use pagination::{Page, DEFAULT_LIMIT, MAX_LIMIT};
pub use project::{NewProject, Project, ProjectPatch, PROJECT_NAME_MAX_CHARS};
pub use rle::{compress_runs, runs_area, runs_bbox, runs_total, RleCounts, RleError};
pub use saved_view::{NewSavedView, SavedView, SavedViewPatch, VIEW_PATH_MAX_CHARS};
pub use token::{CreatedToken, NewToken, Token, TokenScope};

use serde::{Deserialize, Serialize};

/// The path prefix under which every API route lives.
pub const API_PREFIX: &str = "/api/v1";

/// Answer of `GET /api/v1/health`: the server is up and its database answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `"ok"` when the server could reach its database.
    pub status: String,
    /// The server's version (its crate version).
    pub version: String,
}
