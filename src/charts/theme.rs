//! Chart colours for light and dark pages, and the series palette.

use plotters::style::RGBColor;

/// Series colours (Okabe–Ito, with blue first): distinguishable with colour-blindness and
/// readable on both the light and the dark background.
pub const SERIES_COLOURS: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
    RGBColor(150, 150, 150),
];

/// What a chart is painted with, and how large its text is in device pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartTheme {
    pub background: RGBColor,
    pub text: RGBColor,
    pub grid: RGBColor,
    pub axis: RGBColor,
    /// Device pixels per CSS pixel, so text and lines keep their size on HiDPI screens.
    pub scale: f64,
}

impl ChartTheme {
    /// The light or dark theme at `scale` device pixels per CSS pixel.
    pub fn new(dark: bool, scale: f64) -> ChartTheme {
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        };
        if dark {
            ChartTheme {
                background: RGBColor(26, 32, 41),
                text: RGBColor(230, 233, 238),
                grid: RGBColor(44, 52, 64),
                axis: RGBColor(154, 165, 180),
                scale,
            }
        } else {
            ChartTheme {
                background: RGBColor(255, 255, 255),
                text: RGBColor(28, 36, 48),
                grid: RGBColor(232, 236, 241),
                axis: RGBColor(91, 102, 117),
                scale,
            }
        }
    }

    /// `css` pixels in device pixels.
    pub fn px(&self, css: f64) -> u32 {
        (css * self.scale).round().max(1.0) as u32
    }
}

/// The colour of series number `index`.
pub fn series_colour(index: usize) -> RGBColor {
    SERIES_COLOURS[index % SERIES_COLOURS.len()]
}
