//! An experiment's evaluations in the dashboard: the Evaluation section of the
//! experiment page (metrics, per-class tables and charts) and the asset browser (a
//! virtual grid of evaluated assets with their outlines, filtered from its address).

mod asset_browser;
mod asset_detail;
mod asset_frame;
mod browser_query;
mod compute_form;
mod evaluation_compare;
mod evaluation_section;
mod grid;
mod mask_outline;
mod overlay;

pub use asset_browser::AssetBrowserPage;
pub use asset_detail::{listed_shapes, ListedShape};
pub use asset_frame::fitted;
pub use browser_query::{inference_type, BrowserQuery, Outcome};
pub use compute_form::ComputeMetricsForm;
pub use evaluation_compare::{
    compared_figures, difference_text, ComparedFigure, EvaluationComparison,
};
pub use evaluation_section::{
    inference_title, metric_text, sorted_rows, ClassRow, EvaluationSection,
};
pub use grid::{columns, grid_height, pages_of, tile_position, visible_tiles};
pub use overlay::{draw_outlines, label_colour, outlines, Outline};
