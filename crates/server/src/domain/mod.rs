//! Checked domain types: wire types are parsed into these at the API boundary, so
//! storage never sees an unchecked value.

mod asset_draft;
mod checkpoint;
mod coco_file;
pub mod coco_results;
mod experiment;
mod idempotency;
mod image_size;
mod line_bands;
mod log_data;
mod log_write;
mod object_key;

pub mod mlflow;
pub mod mlflow_search;
mod parameters;
mod project;
mod refusal;
pub mod saved_view;
mod shapes;
mod split;
mod steps;

pub use asset_draft::{coco_asset_drafts, AssetDraft, UploadedImage, ASSET_FILENAME_MAX_CHARS};
pub use checkpoint::{CheckedCheckpoint, MAX_CHECKPOINT_METRICS};
pub use coco_file::{parse_coco, CocoImageTruth, CocoTruth};
pub use experiment::{ExperimentChanges, ExperimentDraft};
pub use idempotency::{IdempotencyKey, Once, IDEMPOTENCY_HEADER, MAX_KEY_CHARS};
pub use image_size::{image_size, image_type};
pub use line_bands::{GroupBand, MemberColumns};
pub use log_data::{
    parse_log_data, with_wall_times, LineBatch, LogData, SeriesBatch, MAX_POINTS_PER_REQUEST,
};
pub use log_write::{plan_write, WritePlan};
pub use object_key::{registered_object_key, MANAGED_FOLDERS, OBJECT_KEY_MAX_CHARS};
pub use parameters::{flatten_parameters, MAX_PARAMETERS, PARAMETERS_LOG};
pub use project::{ProjectChanges, ProjectDraft};
pub use refusal::{Refusal, RefusalKind};
pub use shapes::{checked_shapes, ShapeRole, MAX_SHAPES};
pub use split::{checked_proportion, split_assets};
pub use steps::appended_steps;
pub use trackboard_series::m4::{m4_reduce, pixel_column, M4Reducer, Reduced};
pub use trackboard_series::Window;

/// A display name: trimmed, non-empty, at most `max_chars` characters, no control
/// characters. Refusals name `field`.
pub fn checked_name(field: &str, name: &str, max_chars: usize) -> Result<String, Refusal> {
    // The length counts what was sent, white space included, as the OpenAPI document's
    // `maxLength` does (`trackboard_api::names`).
    if name.chars().count() > max_chars {
        return Err(Refusal::invalid(
            field,
            format!("{field} must be at most {max_chars} characters"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(Refusal::invalid(
            field,
            format!("{field} must not contain control characters"),
        ));
    }
    let name = name.trim();
    if name.is_empty() {
        return Err(Refusal::invalid(
            field,
            format!("{field} must not be empty"),
        ));
    }
    Ok(name.to_owned())
}
