//! Small widgets shared by pages.

mod after_first_paint;
mod download;
mod error_panel;
mod form_errors;
mod lazy_details;
mod loading;

pub use after_first_paint::AfterFirstPaint;
pub use download::{blob_url, revoke, save_file, save_url};
pub use error_panel::ErrorPanel;
pub use form_errors::{field_message, form_message};
pub use lazy_details::LazyDetails;
pub use loading::LoadingRows;
