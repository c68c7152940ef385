//! Charts: pure models and draw functions (tested natively) behind thin components.

mod bands_canvas;
mod bar_chart;
mod bar_groups;
mod canvas;
mod chart_actions;
mod draw_bands;
mod draw_bar;
mod draw_heatmap;
mod draw_line;
mod draw_parallel;
mod draw_scatter;
mod export;
mod heatmap_model;
mod heatmap_view;
mod keyboard;
mod line_chart;
mod line_controls;
mod line_model;
mod live_tail;
mod parallel_canvas;
mod plane;
mod points_batch;
mod points_source;
mod pr_chart;
mod scatter_canvas;
mod scopes;
mod smoothing;
#[cfg(test)]
mod test_pixels;
mod theme;
mod time_axis;

pub use bands_canvas::draw_bands_on;
pub use bar_chart::BarChart;
pub use bar_groups::BarGroups;
pub use chart_actions::{save_canvas_png, ChartActions};
pub use draw_bands::{draw_bands, Band, MemberLine};
pub use draw_bar::draw_bar_chart;
pub use draw_heatmap::{draw_heatmap, heatmap_size};
pub use draw_line::{draw_line_chart, LineStyle, PlotFrame, XLabels};
pub use draw_parallel::{Axis, AxisScale, RunLine};
pub use draw_scatter::ScatterPoint;
pub use export::{csv_field, file_stem, matrix_csv, merge_experiment_csvs};
pub use heatmap_model::{
    cell_colour, cell_text, delta_colour, delta_text, row_normalised, CellMode, HeatmapModel,
};
pub use heatmap_view::Heatmap;
pub use keyboard::{chart_key, zoom_in, ChartKey};
pub use line_chart::LineChart;
pub use line_model::{gap_segments, nearest, value_bounds, LineChartModel, SeriesLine};
pub use parallel_canvas::{draw_parallel_on, AxesOnScreen};
pub use points_batch::when_points_settled;
pub use points_source::{flatten_comparison, PointsSource};
pub use pr_chart::{precision_recall_model, PrecisionRecallChart};
pub use scatter_canvas::draw_scatter_on;
pub use scopes::{grouped_by_scope, line_scopes, scope_title, without_system_metrics};
pub use smoothing::ema;
pub use theme::{ChartTheme, SERIES_COLOURS};
