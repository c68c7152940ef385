//! Small widgets shared by pages.

mod download;
mod error_panel;
mod loading;

pub use download::{blob_url, revoke, save_file};
pub use error_panel::ErrorPanel;
pub use loading::LoadingRows;
