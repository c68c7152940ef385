//! Small widgets shared by pages.

mod error_panel;
mod loading;

pub use error_panel::ErrorPanel;
pub use loading::LoadingRows;
