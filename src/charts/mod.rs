//! Charts: pure models and draw functions (tested natively) behind thin components.

mod draw_line;
mod line_chart;
mod line_model;
mod theme;

pub use draw_line::draw_line_chart;
pub use line_chart::LineChart;
pub use line_model::{gap_segments, value_bounds, LineChartModel, SeriesLine};
pub use theme::{ChartTheme, SERIES_COLOURS};
