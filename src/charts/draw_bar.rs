//! Draws bars on any plotters backend: for each category, one bar per series side by
//! side (one for a single BAR log), labels under the groups.

use super::bar_groups::BarGroups;
use super::theme::{series_colour, ChartTheme};
use crate::format;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Paints `groups` on the whole area.
pub fn draw_bar_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    groups: &BarGroups,
    theme: &ChartTheme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&theme.background)?;
    let count = groups.labels.len().max(1);
    let (low, high) = groups.range();
    let font = ("sans-serif", f64::from(theme.px(12.0)))
        .into_font()
        .color(&theme.text);
    let mut chart = ChartBuilder::on(root)
        .margin(theme.px(8.0))
        .x_label_area_size(theme.px(24.0))
        .y_label_area_size(theme.px(60.0))
        .build_cartesian_2d(0.0..count as f64, low..high)?;
    let labels = groups.labels.clone();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(theme.grid)
        .axis_style(theme.axis)
        .label_style(font)
        .x_labels(count.min(30) * 2 + 1)
        .y_labels(5)
        .x_label_formatter(&|x| {
            // Labels sit at group centres (k + 0.5); other tick positions stay blank.
            let centre = x - x.floor();
            if (centre - 0.5).abs() < 1e-6 {
                labels.get(x.floor() as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|value| format::value(*value))
        .draw()?;
    // Each category's slot [k, k + 1]: 70 % of it holds the bars, one per series.
    let width = 0.7 / groups.series.len().max(1) as f64;
    for (series_index, (_, values)) in groups.series.iter().enumerate() {
        let colour = series_colour(series_index);
        chart.draw_series(values.iter().enumerate().filter_map(|(index, value)| {
            let left = index as f64 + 0.15 + width * series_index as f64;
            value.map(|value| Rectangle::new([(left, 0.0), (left + width, value)], colour.filled()))
        }))?;
    }
    root.present()
}
