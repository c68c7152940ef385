//! The experiment page: header, summary strip, charts and tables of one experiment.

mod artifact_list;
mod checkpoint_table;
mod edit_form;
mod experiment_header;
mod experiment_page;
mod export_form;
mod image_gallery;
mod image_urls;
mod live_log;
mod log_sections;
mod summary_strip;

pub use artifact_list::ArtifactList;
pub use checkpoint_table::CheckpointTable;
pub use edit_form::{patch_between, EditExperimentForm};
pub use experiment_header::{ExperimentHeader, StatusBadge};
pub use experiment_page::ExperimentPage;
pub use export_form::ExportForm;
pub use image_gallery::{caption_of, move_with_arrow_keys, step_index, ImageGallery};
pub use image_urls::{fetch_asset_image, fetch_image, image_urls, ImageUrls};
pub use live_log::{by_chapter, LiveLog};
pub use log_sections::{LabelmapTable, ScalarTable};
pub use summary_strip::{scalar_text, SummaryStrip};
