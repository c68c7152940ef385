//! The dataset registry: the datasets page with its forms (versions, their assets and
//! split), and the datasets attached to an experiment with the attach form.

mod attach_form;
mod attached_datasets;
mod dataset_card;
mod dataset_form;
mod datasets_page;
mod version_assets;
mod version_form;

pub use attach_form::AttachForm;
pub use attached_datasets::AttachedDatasets;
pub use dataset_card::DatasetCard;
pub use dataset_form::NewDatasetForm;
pub use datasets_page::DatasetsPage;
pub use version_assets::{side_text, VersionAssets};
pub use version_form::{parse_labels, NewVersionForm};
