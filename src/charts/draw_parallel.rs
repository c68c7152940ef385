//! Draws parallel coordinates on any plotters backend: the axes with their names and
//! ranges, each run's line (coloured along the blue-to-orange ramp when kept by the
//! brushes, faint grey when not), and the brushes. Answers where the axes landed.

use super::draw_scatter::ramp_colour;
use super::theme::ChartTheme;
use crate::format;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::collections::HashSet;

/// Which of the [`COLOUR_STEPS`] colours `value` takes in `range` (the last one for
/// a run without a value).
fn colour_step(value: Option<f64>, range: Option<(f64, f64)>) -> usize {
    match (value, range) {
        (Some(value), Some((low, high))) if value.is_finite() => {
            let t = if high > low {
                (value - low) / (high - low)
            } else {
                0.5
            };
            (t.clamp(0.0, 1.0) * (COLOUR_STEPS - 1) as f64).round() as usize
        }
        _ => COLOUR_STEPS,
    }
}

/// The colour of step `step` of `range`.
fn step_colour(step: usize, range: Option<(f64, f64)>) -> RGBColor {
    match range {
        Some((low, high)) if step < COLOUR_STEPS => {
            let t = step as f64 / (COLOUR_STEPS - 1) as f64;
            ramp_colour(Some(low + (high - low) * t), Some((low, high)))
        }
        _ => ramp_colour(None, None),
    }
}

/// A run's place on every axis, from 0 (bottom) to 1 (top); `None` where it has no
/// value in that column.
#[derive(Clone, Debug, PartialEq)]
pub struct RunLine {
    pub experiment_id: i64,
    pub heights: Vec<Option<f64>>,
    /// The value it is coloured by, if any.
    pub colour: Option<f64>,
}

/// An axis: its column, the range its heights span, and how values map onto it.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub column: String,
    /// The lowest and highest value (their log10 on a log axis; unused for categories).
    pub low: f64,
    pub high: f64,
    pub scale: AxisScale,
}

/// How an axis places values.
#[derive(Clone, Debug, PartialEq)]
pub enum AxisScale {
    Linear,
    /// log10 of the values (positive ones only).
    Log,
    /// Texts, evenly spaced from the bottom in this order.
    Categories(Vec<String>),
}

impl AxisScale {
    /// The height (0 to 1) of category `index` of `count`.
    pub fn category_height(index: usize, count: usize) -> f64 {
        if count <= 1 {
            0.5
        } else {
            index as f64 / (count - 1) as f64
        }
    }
}

/// Where the axes are, in device pixels: each axis's x, and the y of heights 1 and 0.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AxesPlace {
    pub xs: Vec<i32>,
    pub top: i32,
    pub bottom: i32,
}

/// Kept lines take one of this many colours of the ramp (plus one for lines without a
/// colour value), so that lines of one colour are stroked together.
const COLOUR_STEPS: usize = 32;

/// Strokes polylines (backend pixels) in one style. [`stroke_each`] works on any
/// backend; a canvas strokes them as one path instead (`parallel_canvas.rs`): Chromium's
/// software raster took ~300 ms to show 10,000 lines stroked one by one, ~110 ms as 32
/// paths.
pub type Stroke<'a, DB> = dyn FnMut(
        &DrawingArea<DB, Shift>,
        ShapeStyle,
        &[Vec<(i32, i32)>],
    ) -> Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>
    + 'a;

/// Strokes each polyline as its own path element.
pub fn stroke_each<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    style: ShapeStyle,
    parts: &[Vec<(i32, i32)>],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    for part in parts {
        root.draw(&PathElement::new(part.clone(), style))?;
    }
    Ok(())
}

/// Paints the axes, the lines (`kept` in colour, the rest faint) and the brushes
/// `(axis, from, to)` in heights, the lines through `stroke`.
pub fn draw_parallel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    axes: &[Axis],
    lines: &[RunLine],
    kept: &HashSet<i64>,
    brushes: &[(usize, f64, f64)],
    theme: &ChartTheme,
    stroke: &mut Stroke<'_, DB>,
) -> Result<AxesPlace, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&theme.background)?;
    let last = axes.len().saturating_sub(1).max(1) as f64;
    let chart = ChartBuilder::on(root)
        .margin_left(theme.px(48.0))
        .margin_right(theme.px(48.0))
        .margin_top(theme.px(36.0))
        .margin_bottom(theme.px(24.0))
        .build_cartesian_2d(-0.0..last, 0.0..1.0)?;
    let mut chart = chart;
    let colours: Vec<f64> = lines.iter().filter_map(|l| l.colour).collect();
    let range = colours.first().map(|_| {
        colours
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
                (l.min(*v), h.max(*v))
            })
    });
    // Each run's stretches between missing values, in backend pixels.
    let segments = |line: &RunLine| -> Vec<Vec<(i32, i32)>> {
        let mut parts = vec![Vec::new()];
        for (axis, height) in line.heights.iter().enumerate() {
            match height {
                Some(h) => parts
                    .last_mut()
                    .map_or((), |p| p.push(chart.backend_coord(&(axis as f64, *h)))),
                None => parts.push(Vec::new()),
            }
        }
        parts.into_iter().filter(|p| p.len() > 1).collect()
    };
    let faint: Vec<Vec<(i32, i32)>> = lines
        .iter()
        .filter(|l| !kept.contains(&l.experiment_id))
        .flat_map(segments)
        .collect();
    stroke(
        root,
        theme.grid.mix(0.9).stroke_width(theme.px(1.0)),
        &faint,
    )?;
    let mut by_colour: Vec<Vec<Vec<(i32, i32)>>> = vec![Vec::new(); COLOUR_STEPS + 1];
    for line in lines.iter().filter(|l| kept.contains(&l.experiment_id)) {
        by_colour[colour_step(line.colour, range)].extend(segments(line));
    }
    // Low values first, so the highest end on top.
    for (step, parts) in by_colour.iter().enumerate() {
        if parts.is_empty() {
            continue;
        }
        let colour = step_colour(step, range);
        // One CSS pixel: Skia's software raster draws a line that thin as a hairline,
        // ~10× faster than a 1.5 px stroke (10,000 lines: ~0.15 s against ~2 s).
        stroke(root, colour.mix(0.8).stroke_width(theme.px(1.0)), parts)?;
    }
    for &(axis, from, to) in brushes {
        let x = axis as f64;
        let (low, high) = if from <= to { (from, to) } else { (to, from) };
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.03 * last, low), (x + 0.03 * last, high)],
            theme.text.mix(0.15).filled(),
        )))?;
    }
    let font = ("sans-serif", f64::from(theme.px(12.0)))
        .into_font()
        .color(&theme.text);
    let small = ("sans-serif", f64::from(theme.px(11.0)))
        .into_font()
        .color(&theme.text);
    let mut place = AxesPlace::default();
    let canvas_width = i32::try_from(root.dim_in_pixel().0).unwrap_or(i32::MAX);
    for (index, axis) in axes.iter().enumerate() {
        let x = index as f64;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x, 0.0), (x, 1.0)],
            theme.axis.stroke_width(theme.px(1.5)),
        )))?;
        let (px, top) = chart.backend_coord(&(x, 1.0));
        let (_, bottom) = chart.backend_coord(&(x, 0.0));
        // Centred on the axis, but kept inside the canvas (the outer axes' long names).
        let centred = |text: &str, size: f64| {
            let half = (text.chars().count() as f64 * size * 0.3) as i32;
            (px - half).clamp(0, (canvas_width - 2 * half).max(0))
        };
        let name = &axis.column;
        root.draw_text(
            name,
            &font,
            (
                centred(name, 12.0 * theme.scale),
                top - theme.px(30.0) as i32,
            ),
        )?;
        match &axis.scale {
            AxisScale::Categories(names) => {
                // Each category beside its place on the axis.
                for (index, name) in names.iter().enumerate() {
                    let height = AxisScale::category_height(index, names.len());
                    let (_, y) = chart.backend_coord(&(x, height));
                    let at = (px + theme.px(5.0) as i32, y - theme.px(6.0) as i32);
                    root.draw_text(name, &small, at)?;
                }
            }
            scale => {
                let label = |value: f64| match scale {
                    AxisScale::Log => format::value(10f64.powf(value)),
                    _ => format::value(value),
                };
                let high = label(axis.high);
                let at = (
                    centred(&high, 11.0 * theme.scale),
                    top - theme.px(15.0) as i32,
                );
                root.draw_text(&high, &small, at)?;
                let low = label(axis.low);
                let at = (
                    centred(&low, 11.0 * theme.scale),
                    bottom + theme.px(4.0) as i32,
                );
                root.draw_text(&low, &small, at)?;
            }
        }
        if axis.scale == AxisScale::Log {
            let at = (px + theme.px(5.0) as i32, bottom - theme.px(14.0) as i32);
            root.draw_text("log", &small, at)?;
        }
        place.xs.push(px);
        place.top = top;
        place.bottom = bottom;
    }
    root.present()?;
    Ok(place)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_lines_take_one_of_the_ramp_steps_ends_included() {
        let range = Some((2.0, 4.0));
        assert_eq!(colour_step(Some(2.0), range), 0);
        assert_eq!(colour_step(Some(4.0), range), COLOUR_STEPS - 1);
        assert_eq!(colour_step(Some(3.0), range), 16, "the middle rounds up");
        assert_eq!(colour_step(Some(9.0), range), COLOUR_STEPS - 1, "clamped");
        assert_eq!(colour_step(None, range), COLOUR_STEPS);
        assert_eq!(colour_step(Some(f64::NAN), range), COLOUR_STEPS);
        assert_eq!(step_colour(0, range), ramp_colour(Some(2.0), range));
        assert_eq!(
            step_colour(COLOUR_STEPS - 1, range),
            ramp_colour(Some(4.0), range)
        );
        assert_eq!(step_colour(COLOUR_STEPS, range), ramp_colour(None, None));
    }
}
