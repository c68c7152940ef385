//! The experiment page: header, summary strip, charts and tables of one experiment.

mod experiment_header;
mod experiment_page;
mod log_sections;
mod summary_strip;

pub use experiment_header::{ExperimentHeader, StatusBadge};
pub use experiment_page::ExperimentPage;
pub use log_sections::{LabelmapTable, ScalarTable};
pub use summary_strip::SummaryStrip;
