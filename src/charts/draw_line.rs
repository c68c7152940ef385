//! Draws a [`LineChartModel`] on any plotters backend: a canvas in the browser, a pixel
//! buffer in native tests.

use super::plane::draw_mesh;
use super::smoothing::ema;
use super::theme::{series_colour, ChartTheme};
use super::LineChartModel;
use crate::format;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// How a line chart is drawn, beside its data.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LineStyle {
    /// EMA weight in [0, 1): above 0 the raw line is drawn faint with the EMA over it.
    pub smoothing: f64,
    /// A logarithmic value axis (values ≤ 0 cannot be shown and are left out).
    pub log_y: bool,
    /// What the x axis measures, for its tick labels.
    pub x_labels: XLabels,
}

/// How the x axis' ticks read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum XLabels {
    /// Whole steps.
    #[default]
    Steps,
    /// Values (recall, on a precision/recall curve).
    Values,
    /// A UTC clock, from seconds since the Unix epoch.
    Clock,
    /// A duration, from seconds.
    Duration,
}

impl Default for LineStyle {
    fn default() -> Self {
        LineStyle {
            smoothing: 0.0,
            log_y: false,
            x_labels: XLabels::Steps,
        }
    }
}

/// Where the plot landed, in device pixels, with the ranges it shows: what the component
/// needs to turn a mouse position into a step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotFrame {
    pub left: i32,
    pub right: i32,
    pub top: i32,
    pub bottom: i32,
    pub x_range: (f64, f64),
}

impl PlotFrame {
    /// The step under device pixel column `x` (clamped to the plot).
    pub fn step_at(&self, x: f64) -> f64 {
        let width = f64::from((self.right - self.left).max(1));
        let t = ((x - f64::from(self.left)) / width).clamp(0.0, 1.0);
        self.x_range.0 + t * (self.x_range.1 - self.x_range.0)
    }
}

/// The positive value range of the model, for a log axis.
fn positive_range(model: &LineChartModel) -> Option<(f64, f64)> {
    let (low, high) = model
        .series
        .iter()
        .flat_map(|s| s.segments.iter().flatten())
        .map(|&(_, v)| v)
        .filter(|v| *v > 0.0)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
    (low <= high).then(|| {
        if low == high {
            (low / 2.0, high * 2.0)
        } else {
            (low / 1.1, high * 1.1)
        }
    })
}

/// Paints the whole area: background, grid with labelled axes, and every series (each
/// run between gaps as its own line; a lone point as a dot). Answers the plot's frame.
pub fn draw_line_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    model: &LineChartModel,
    theme: &ChartTheme,
    style: LineStyle,
) -> Result<PlotFrame, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&theme.background)?;
    let mut builder = ChartBuilder::on(root);
    builder
        .margin(theme.px(8.0))
        .x_label_area_size(theme.px(24.0))
        .y_label_area_size(theme.px(60.0));
    let x = model.x_range.0..model.x_range.1;
    let frame = match (style.log_y, positive_range(model)) {
        (true, Some((low, high))) => {
            let mut chart = builder.build_cartesian_2d(x, (low..high).log_scale())?;
            paint_series(&mut chart, model, theme, style, true)?
        }
        _ => {
            let mut chart = builder.build_cartesian_2d(x, model.y_range.0..model.y_range.1)?;
            paint_series(&mut chart, model, theme, style, false)?
        }
    };
    root.present()?;
    Ok(PlotFrame {
        x_range: model.x_range,
        ..frame
    })
}

/// Series past which a chart is dense (a compare view of many runs).
const DENSE_SERIES: usize = 12;

/// The width of a series' line, in CSS pixels: one device pixel in a dense chart, where
/// thicker lines only smear into each other and the browser rasterises a one-pixel line
/// (a hairline) several times faster than a wider one (100 runs × 2,000 points: ~220 ms
/// of a software canvas's frame at two pixels).
fn raw_line_width(series: usize) -> f64 {
    if series > DENSE_SERIES {
        1.0
    } else {
        1.5
    }
}

fn paint_series<DB, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, Y>>,
    model: &LineChartModel,
    theme: &ChartTheme,
    style: LineStyle,
    positive_only: bool,
) -> Result<PlotFrame, DrawingAreaErrorKind<DB::ErrorType>>
where
    DB: DrawingBackend,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let x_label = |x: &f64| match style.x_labels {
        XLabels::Steps => format::step_tick(*x),
        XLabels::Values => format::value(*x),
        XLabels::Clock => format::clock_tick(*x),
        XLabels::Duration => format::duration_tick(*x),
    };
    let y_label = |value: &f64| format::value(*value);
    draw_mesh(chart, theme, (&x_label, &y_label))?;
    let smoothing = style.smoothing > 0.0;
    let raw_width = raw_line_width(model.series.len());
    for series in &model.series {
        let colour = series_colour(series.colour);
        let raw_colour = if smoothing {
            colour.mix(0.25)
        } else {
            colour.to_rgba()
        };
        let raw = ShapeStyle::from(&raw_colour).stroke_width(theme.px(raw_width));
        for segment in &series.segments {
            let segment: Vec<(f64, f64)> = segment
                .iter()
                .copied()
                .filter(|p| !positive_only || p.1 > 0.0)
                .collect();
            if let [only] = segment.as_slice() {
                chart.draw_series(std::iter::once(Circle::new(
                    *only,
                    theme.px(2.0),
                    colour.filled(),
                )))?;
                continue;
            }
            chart.draw_series(LineSeries::new(segment.iter().copied(), raw))?;
            if smoothing {
                let smooth = ShapeStyle::from(&colour).stroke_width(theme.px(2.0));
                chart.draw_series(LineSeries::new(ema(&segment, style.smoothing), smooth))?;
            }
        }
    }
    let (columns, rows) = chart.plotting_area().get_pixel_range();
    Ok(PlotFrame {
        left: columns.start,
        right: columns.end,
        top: rows.start,
        bottom: rows.end,
        x_range: (0.0, 0.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_pixels::Pixels;
    use crate::charts::SeriesLine;

    #[test]
    fn every_series_is_painted_in_its_colour_and_gaps_stay_open() {
        let model = LineChartModel {
            series: vec![
                SeriesLine {
                    name: "train".into(),
                    colour: 0,
                    segments: vec![(0..=100)
                        .map(|s| (f64::from(s), f64::from(s) / 100.0))
                        .collect()],
                },
                SeriesLine {
                    name: "val".into(),
                    colour: 1,
                    segments: vec![
                        vec![(0.0, 0.9), (40.0, 0.8)],
                        vec![(60.0, 0.7), (100.0, 0.6)],
                    ],
                },
            ],
            x_range: (0.0, 100.0),
            y_range: (0.0, 1.0),
        };
        let buffer = Pixels::new(400, 200);
        let root = buffer.clone().into_drawing_area();
        let frame = draw_line_chart(
            &root,
            &model,
            &ChartTheme::new(false, 1.0),
            LineStyle::default(),
        )
        .expect("draws");

        let train = buffer.columns_with(series_colour(0));
        assert!(
            train.len() > 250,
            "the train line crosses the plot: {} columns",
            train.len()
        );
        let val = buffer.columns_with(series_colour(1));
        assert!(val.len() > 150, "{} columns", val.len());
        let (left, right) = (train[0], train[train.len() - 1]);
        let gap_middle = left + (right - left) / 2;
        assert!(
            !val.contains(&gap_middle),
            "the gap between steps 40 and 60 is not bridged"
        );
        let background = ChartTheme::new(false, 1.0).background;
        assert!(
            !buffer.columns_with(background).is_empty(),
            "the background is painted"
        );
        assert_eq!(
            frame.left as u32, left,
            "the frame starts where the line does"
        );
        assert!(
            (frame.right as u32).abs_diff(right) <= 2,
            "the frame ends where the line does, to a pixel"
        );
        assert!((frame.step_at(f64::from(left)) - 0.0).abs() < 1e-9);
        assert!((frame.step_at(f64::from(frame.right)) - 100.0).abs() < 1e-9);
        let texts = buffer.texts.borrow();
        assert!(
            texts.iter().any(|t| t == "100"),
            "the last step is labelled: {texts:?}"
        );
        assert!(
            texts.iter().any(|t| t == "0.5"),
            "values are labelled: {texts:?}"
        );
    }
}
