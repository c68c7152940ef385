//! The numeric plane the scatter and the grouped chart draw on (the same margins and
//! label areas, so their tests find a value's pixel the same way), and the mesh every
//! numeric chart draws, the line chart's included.

use super::theme::ChartTheme;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// A chart over `x` × `y` on `root`, with room for the axes' labels.
pub type Plane<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// How an axis spells its values.
pub type AxisLabel<'a> = &'a dyn Fn(&f64) -> String;

/// The plane over `x` × `y` (the mesh not drawn).
pub fn plane<'a, DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &ChartTheme,
    x: (f64, f64),
    y: (f64, f64),
) -> Result<Plane<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    ChartBuilder::on(root)
        .margin(theme.px(10.0))
        .x_label_area_size(theme.px(24.0))
        .y_label_area_size(theme.px(60.0))
        .build_cartesian_2d(x.0..x.1, y.0..y.1)
}

/// Draws a chart's grid, axes and labels (`labels` spell the x and y values), the same
/// for every numeric chart: the plane's, and the line chart's (whose y may be log).
pub fn draw_mesh<DB, Y>(
    plane: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, Y>>,
    theme: &ChartTheme,
    labels: (AxisLabel<'_>, AxisLabel<'_>),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    DB: DrawingBackend,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let font = ("sans-serif", f64::from(theme.px(12.0)))
        .into_font()
        .color(&theme.text);
    plane
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(theme.grid)
        .axis_style(theme.axis)
        .label_style(font)
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(labels.0)
        .y_label_formatter(labels.1)
        .draw()
}
