//! Draws a scatter of runs on any plotters backend: one dot a run, coloured along a
//! blue-to-orange ramp by a third column (or all alike), axes labelled in the values'
//! units (powers of ten on a log axis). Answers where each dot landed.

use super::plane::{draw_mesh, plane};
use super::theme::{series_colour, ChartTheme};
use crate::format;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One run placed on a scatter: its axes' values (log-scaled when asked) and the value
/// it is coloured by, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterPoint {
    pub experiment_id: i64,
    pub x: f64,
    pub y: f64,
    pub colour: Option<f64>,
}

/// The ends of the colour ramp: low values blue, high values orange.
const LOW: (f64, f64, f64) = (37.0, 99.0, 235.0);
const HIGH: (f64, f64, f64) = (234.0, 88.0, 12.0);

/// A dot's (or a line's) colour: the ramp at `value`'s place in `range`, or the first
/// series colour.
pub fn ramp_colour(value: Option<f64>, range: Option<(f64, f64)>) -> RGBColor {
    match (value, range) {
        (Some(value), Some((low, high))) => {
            let t = if high > low {
                (value - low) / (high - low)
            } else {
                0.5
            };
            let mix = |a: f64, b: f64| (a + (b - a) * t.clamp(0.0, 1.0)).round() as u8;
            RGBColor(mix(LOW.0, HIGH.0), mix(LOW.1, HIGH.1), mix(LOW.2, HIGH.2))
        }
        _ => series_colour(0),
    }
}

/// A range holding every value, padded by 5 % (a single value gets ±1).
fn padded(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
        (l.min(v), h.max(v))
    });
    if !low.is_finite() {
        return (0.0, 1.0);
    }
    let pad = if high > low { (high - low) * 0.05 } else { 1.0 };
    (low - pad, high + pad)
}

/// Paints `points` (`logs`: each axis holds log10 values) and answers each dot's place
/// in device pixels, in the points' order.
pub fn draw_scatter<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    points: &[ScatterPoint],
    logs: (bool, bool),
    theme: &ChartTheme,
) -> Result<Vec<(i32, i32)>, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&theme.background)?;
    let x_range = padded(points.iter().map(|p| p.x));
    let y_range = padded(points.iter().map(|p| p.y));
    let colours = points.iter().filter_map(|p| p.colour);
    let colour_range = colours.clone().next().map(|_| {
        colours.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        })
    });
    let mut chart = plane(root, theme, x_range, y_range)?;
    let label = |log: bool| {
        move |value: &f64| {
            if log {
                format!("1e{}", format::value(*value))
            } else {
                format::value(*value)
            }
        }
    };
    let (x_label, y_label) = (label(logs.0), label(logs.1));
    draw_mesh(&mut chart, theme, (&x_label, &y_label))?;
    let radius = theme.px(4.0) as i32;
    chart.draw_series(points.iter().map(|point| {
        let colour = ramp_colour(point.colour, colour_range);
        Circle::new((point.x, point.y), radius, colour.mix(0.85).filled())
    }))?;
    let placed = points
        .iter()
        .map(|point| chart.backend_coord(&(point.x, point.y)))
        .collect();
    root.present()?;
    Ok(placed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ramp_runs_from_blue_to_orange_and_ranges_are_padded() {
        assert_eq!(
            ramp_colour(Some(0.0), Some((0.0, 1.0))),
            RGBColor(37, 99, 235)
        );
        assert_eq!(
            ramp_colour(Some(1.0), Some((0.0, 1.0))),
            RGBColor(234, 88, 12)
        );
        assert_eq!(ramp_colour(None, Some((0.0, 1.0))), series_colour(0));
        assert_eq!(padded([1.0, 3.0].into_iter()), (0.9, 3.1));
        assert_eq!(padded([2.0].into_iter()), (1.0, 3.0));
        assert_eq!(padded(std::iter::empty()), (0.0, 1.0));
    }
}
