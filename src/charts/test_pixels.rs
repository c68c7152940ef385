//! A pixel-buffer plotters backend for the native tests of the draw functions.

use plotters::prelude::*;
use plotters_backend::{BackendColor, BackendCoord, DrawingErrorKind};
use std::cell::RefCell;
use std::convert::Infallible;
use std::rc::Rc;

/// The colour last painted at each pixel, shared so a test can read it after plotters
/// has consumed the backend.
#[derive(Clone)]
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    pub colours: Rc<RefCell<Vec<(u8, u8, u8)>>>,
    /// Text is recorded rather than rasterised (native builds carry no fonts).
    pub texts: Rc<RefCell<Vec<String>>>,
}

impl Pixels {
    /// A black buffer of `width` × `height`.
    pub fn new(width: u32, height: u32) -> Pixels {
        Pixels {
            width,
            height,
            colours: Rc::new(RefCell::new(vec![(0, 0, 0); (width * height) as usize])),
            texts: Rc::default(),
        }
    }

    /// The colour at a pixel.
    pub fn at(&self, x: u32, y: u32) -> (u8, u8, u8) {
        self.colours.borrow()[(y * self.width + x) as usize]
    }

    /// The pixel columns holding at least one pixel of `colour`.
    pub fn columns_with(&self, colour: RGBColor) -> Vec<u32> {
        (0..self.width)
            .filter(|x| (0..self.height).any(|y| self.at(*x, y) == (colour.0, colour.1, colour.2)))
            .collect()
    }
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
