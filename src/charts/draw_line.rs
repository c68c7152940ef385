//! Draws a [`LineChartModel`] on any plotters backend: a canvas in the browser, a pixel
//! buffer in native tests.

use super::theme::{series_colour, ChartTheme};
use super::LineChartModel;
use crate::format;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Paints the whole area: background, grid with labelled axes, and every series (each
/// run between gaps as its own line; a lone point as a dot).
pub fn draw_line_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    model: &LineChartModel,
    theme: &ChartTheme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&theme.background)?;
    let font = ("sans-serif", f64::from(theme.px(12.0)))
        .into_font()
        .color(&theme.text);
    let mut chart = ChartBuilder::on(root)
        .margin(theme.px(8.0))
        .x_label_area_size(theme.px(24.0))
        .y_label_area_size(theme.px(60.0))
        .build_cartesian_2d(
            model.x_range.0..model.x_range.1,
            model.y_range.0..model.y_range.1,
        )?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(theme.grid)
        .axis_style(theme.axis)
        .label_style(font)
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&|step| format::step(*step))
        .y_label_formatter(&|value| format::value(*value))
        .draw()?;
    for series in &model.series {
        let colour = series_colour(series.colour);
        let line = ShapeStyle::from(&colour).stroke_width(theme.px(1.5));
        for segment in &series.segments {
            if let [only] = segment.as_slice() {
                chart.draw_series(std::iter::once(Circle::new(
                    *only,
                    theme.px(2.0),
                    colour.filled(),
                )))?;
            } else {
                chart.draw_series(LineSeries::new(segment.iter().copied(), line))?;
            }
        }
    }
    root.present()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::SeriesLine;
    use plotters_backend::{BackendColor, BackendCoord, DrawingErrorKind};
    use std::cell::RefCell;
    use std::convert::Infallible;
    use std::rc::Rc;

    /// A pixel buffer backend: the colour last painted at each pixel, shared so the test
    /// can read it after plotters has consumed the backend.
    #[derive(Clone)]
    struct Pixels {
        width: u32,
        height: u32,
        colours: Rc<RefCell<Vec<(u8, u8, u8)>>>,
        /// Text is recorded rather than rasterised (native builds carry no fonts).
        texts: Rc<RefCell<Vec<String>>>,
    }

    impl DrawingBackend for Pixels {
        type ErrorType = Infallible;

        fn get_size(&self) -> (u32, u32) {
            (self.width, self.height)
        }

        fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
            Ok(())
        }

        fn present(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
            Ok(())
        }

        fn draw_text<S: plotters_backend::BackendTextStyle>(
            &mut self,
            text: &str,
            _style: &S,
            _position: BackendCoord,
        ) -> Result<(), DrawingErrorKind<Infallible>> {
            self.texts.borrow_mut().push(text.to_owned());
            Ok(())
        }

        fn estimate_text_size<S: plotters_backend::BackendTextStyle>(
            &self,
            text: &str,
            _style: &S,
        ) -> Result<(u32, u32), DrawingErrorKind<Infallible>> {
            Ok((text.chars().count() as u32 * 7, 12))
        }

        fn draw_pixel(
            &mut self,
            (x, y): BackendCoord,
            colour: BackendColor,
        ) -> Result<(), DrawingErrorKind<Infallible>> {
            let inside = x >= 0 && y >= 0 && (x as u32) < self.width && (y as u32) < self.height;
            if inside && colour.alpha > 0.0 {
                self.colours.borrow_mut()[(y as u32 * self.width + x as u32) as usize] = colour.rgb;
            }
            Ok(())
        }
    }

    /// The pixel columns holding at least one pixel of `colour`.
    fn columns_with(buffer: &Pixels, colour: RGBColor) -> Vec<u32> {
        let colours = buffer.colours.borrow();
        (0..buffer.width)
            .filter(|x| {
                (0..buffer.height).any(|y| {
                    colours[(y * buffer.width + x) as usize] == (colour.0, colour.1, colour.2)
                })
            })
            .collect()
    }

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
        let buffer = Pixels {
            width: 400,
            height: 200,
            colours: Rc::new(RefCell::new(vec![(0, 0, 0); 400 * 200])),
            texts: Rc::default(),
        };
        let root = buffer.clone().into_drawing_area();
        draw_line_chart(&root, &model, &ChartTheme::new(false, 1.0)).expect("draws");

        let train = columns_with(&buffer, series_colour(0));
        assert!(
            train.len() > 250,
            "the train line crosses the plot: {} columns",
            train.len()
        );
        let val = columns_with(&buffer, series_colour(1));
        assert!(val.len() > 150, "{} columns", val.len());
        let (left, right) = (train[0], train[train.len() - 1]);
        let gap_middle = left + (right - left) / 2;
        assert!(
            !val.contains(&gap_middle),
            "the gap between steps 40 and 60 is not bridged"
        );
        let background = ChartTheme::new(false, 1.0).background;
        assert!(
            !columns_with(&buffer, background).is_empty(),
            "the background is painted"
        );
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
