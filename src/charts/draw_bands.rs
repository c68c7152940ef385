//! Draws grouped runs as bands on any plotters backend: each group a translucent band
//! (a polygon through its columns' upper and lower ends, edged by lines through every
//! one of them and closed at both ends, so each column's extremes are on screen), its
//! centre line over it, and, when asked, its members as thin lines beneath.

use super::plane::{draw_mesh, plane};
use super::theme::{series_colour, ChartTheme};
use crate::format;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One group's band of one series: per column, its step (x), centre, low and high.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Band {
    pub label: String,
    /// The group's place in the palette.
    pub colour: usize,
    pub steps: Vec<f64>,
    pub centre: Vec<f64>,
    pub low: Vec<f64>,
    pub high: Vec<f64>,
}

/// A member's line, drawn thin in its group's colour.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MemberLine {
    pub colour: usize,
    pub points: Vec<(f64, f64)>,
}

/// The lowest and highest finite value (a flat or empty range widened).
fn span(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (low, high) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
    match (low.is_finite(), high > low) {
        (false, _) => (0.0, 1.0),
        (true, false) => (low - 1.0, high + 1.0),
        (true, true) => (low, high),
    }
}

/// The x and y ranges holding every band and member point, y padded by 5 %.
fn ranges(bands: &[Band], members: &[MemberLine]) -> ((f64, f64), (f64, f64)) {
    let x = span(
        bands
            .iter()
            .flat_map(|band| band.steps.iter().copied())
            .chain(members.iter().flat_map(|m| m.points.iter().map(|p| p.0))),
    );
    let y = span(
        bands
            .iter()
            .flat_map(|band| band.low.iter().chain(&band.high).copied())
            .chain(members.iter().flat_map(|m| m.points.iter().map(|p| p.1))),
    );
    let pad = (y.1 - y.0) * 0.05;
    (x, (y.0 - pad, y.1 + pad))
}

/// Paints `bands` over `members` on `root`.
pub fn draw_bands<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    bands: &[Band],
    members: &[MemberLine],
    theme: &ChartTheme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&theme.background)?;
    let (x_range, y_range) = ranges(bands, members);
    let mut chart = plane(root, theme, x_range, y_range)?;
    let number = |value: &f64| format::value(*value);
    draw_mesh(&mut chart, theme, (&number, &number))?;
    let thin = theme.px(1.0);
    for member in members {
        let colour = series_colour(member.colour).mix(0.35);
        chart.draw_series(LineSeries::new(
            member.points.iter().copied(),
            colour.stroke_width(thin),
        ))?;
    }
    for band in bands {
        let colour = series_colour(band.colour);
        let upper = band.steps.iter().copied().zip(band.high.iter().copied());
        let lower = band.steps.iter().copied().zip(band.low.iter().copied());
        let outline: Vec<(f64, f64)> = upper.chain(lower.rev()).collect();
        chart.draw_series(std::iter::once(Polygon::new(outline, colour.mix(0.18))))?;
        // The edges pass through every column's extremes, closed by a stroke at each end
        // (a line leaves its last pixel out; a lone column is only that stroke).
        let edge = colour.mix(0.5).stroke_width(thin);
        for ends in [&band.high, &band.low] {
            let line = band.steps.iter().copied().zip(ends.iter().copied());
            chart.draw_series(LineSeries::new(line, edge))?;
        }
        let ends = [0, band.steps.len().saturating_sub(1)];
        chart.draw_series(ends.iter().filter(|i| **i < band.steps.len()).map(|&i| {
            PathElement::new(
                vec![(band.steps[i], band.low[i]), (band.steps[i], band.high[i])],
                edge,
            )
        }))?;
    }
    for band in bands {
        let colour = series_colour(band.colour);
        let line = band.steps.iter().copied().zip(band.centre.iter().copied());
        chart.draw_series(LineSeries::new(line, colour.stroke_width(theme.px(2.0))))?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_pixels::Pixels;
    use super::*;

    /// Two groups far apart, each with spikes a mean would hide: at every column, the
    /// pixels of its true minimum and maximum are painted in the group's colour.
    #[test]
    fn each_band_holds_its_groups_min_and_max_at_every_column() {
        let steps: Vec<f64> = (0..40).map(f64::from).collect();
        let band = |colour: usize, base: f64| {
            let low: Vec<f64> = steps
                .iter()
                .map(|s| base - 1.0 - (s * 0.7).sin().abs() * 3.0)
                .collect();
            let high: Vec<f64> = steps
                .iter()
                .enumerate()
                .map(|(i, s)| base + 1.0 + if i % 9 == 4 { 6.0 } else { s.cos().abs() })
                .collect();
            let centre = low.iter().zip(&high).map(|(l, h)| (l + h) / 2.0).collect();
            Band {
                label: format!("group {colour}"),
                colour,
                steps: steps.clone(),
                centre,
                low,
                high,
            }
        };
        let bands = [band(0, 0.0), band(1, 20.0)];
        let pixels = Pixels::new(640, 360);
        let root = pixels.clone().into_drawing_area();
        let theme = ChartTheme::new(false, 1.0);
        draw_bands(&root, &bands, &[], &theme).expect("drawn");
        // Where the chart puts a value: the same plane over the same ranges.
        let (x_range, y_range) = ranges(&bands, &[]);
        let chart = plane(&root, &theme, x_range, y_range).expect("chart");
        for band in &bands {
            let colour = series_colour(band.colour);
            for (index, x) in band.steps.iter().enumerate() {
                for y in [band.low[index], band.high[index]] {
                    let (px, py) = chart.backend_coord(&(*x, y));
                    assert_eq!(
                        pixels.at(px as u32, py as u32),
                        (colour.0, colour.1, colour.2),
                        "{} at step {x}: value {y} not painted",
                        band.label
                    );
                }
            }
            // Above the group's highest extreme nothing of it is painted.
            let top = band.high.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let (px, py) = chart.backend_coord(&(band.steps[20], top));
            assert_ne!(
                pixels.at(px as u32, (py - 12).max(0) as u32),
                (colour.0, colour.1, colour.2),
                "{} painted above its maximum",
                band.label
            );
        }
    }
}
