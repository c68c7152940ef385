//! Draws a BAR log on any plotters backend: one bar per label, labels under the bars.

use super::theme::{series_colour, ChartTheme};
use crate::format;
use plotters::coord::Shift;
use plotters::prelude::*;
use trackboard_api::BarData;

/// The value range of a bar chart: from 0 (or the lowest negative bar) to the highest
/// bar, with 5 % headroom.
pub fn bar_range(data: &BarData) -> (f64, f64) {
    let low = data.y.iter().copied().fold(0.0, f64::min);
    let high = data.y.iter().copied().fold(0.0, f64::max);
    let span = (high - low).max(f64::MIN_POSITIVE);
    let low = if low < 0.0 { low - span * 0.05 } else { 0.0 };
    let high = if high > 0.0 { high + span * 0.05 } else { 1.0 };
    (low, high)
}

/// Paints the bars of `data` on the whole area.
pub fn draw_bar_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &BarData,
    theme: &ChartTheme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&theme.background)?;
    let count = data.x.len().max(1);
    let (low, high) = bar_range(data);
    let font = ("sans-serif", f64::from(theme.px(12.0)))
        .into_font()
        .color(&theme.text);
    let mut chart = ChartBuilder::on(root)
        .margin(theme.px(8.0))
        .x_label_area_size(theme.px(24.0))
        .y_label_area_size(theme.px(60.0))
        .build_cartesian_2d(0.0..count as f64, low..high)?;
    let labels = data.x.clone();
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
            // Labels sit at bar centres (k + 0.5); other tick positions stay blank.
            let centre = x - x.floor();
            if (centre - 0.5).abs() < 1e-6 {
                labels.get(x.floor() as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|value| format::value(*value))
        .draw()?;
    let colour = series_colour(0);
    chart.draw_series(data.y.iter().enumerate().map(|(index, value)| {
        let left = index as f64 + 0.15;
        let right = index as f64 + 0.85;
        Rectangle::new([(left, 0.0), (right, *value)], colour.filled())
    }))?;
    root.present()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_start_at_zero_with_headroom() {
        let data = BarData {
            x: vec!["a".into(), "b".into()],
            y: vec![5.0, 10.0],
        };
        assert_eq!(bar_range(&data), (0.0, 10.5));
        let negative = BarData {
            x: vec!["a".into()],
            y: vec![-4.0],
        };
        assert_eq!(bar_range(&negative), (-4.2, 1.0));
        let empty = BarData {
            x: vec![],
            y: vec![],
        };
        assert_eq!(bar_range(&empty), (0.0, 1.0));
    }
}
