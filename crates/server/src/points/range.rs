//! The step range and pixel width a points request asks for, checked.

use crate::domain::{Refusal, Window};
use crate::storage::SeriesRow;

/// The widest chart a request may ask points for, in device pixels.
pub const MAX_WIDTH: u32 = 10_000;
/// Width when none is given.
pub const DEFAULT_WIDTH: u32 = 1_000;

/// A checked range request; `from`/`to` absent mean the data's own bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub width: u32,
}

impl Range {
    /// The range `from..=to` at `width` pixels: width in `1..=MAX_WIDTH` (default
    /// [`DEFAULT_WIDTH`]), `to` not before `from`.
    pub fn checked(
        from: Option<i64>,
        to: Option<i64>,
        width: Option<i64>,
    ) -> Result<Range, Refusal> {
        let width = match width {
            None => DEFAULT_WIDTH,
            Some(width) if (1..=i64::from(MAX_WIDTH)).contains(&width) => width as u32,
            Some(width) => {
                return Err(Refusal::invalid(
                    "width",
                    format!("width must be between 1 and {MAX_WIDTH} pixels, got {width}"),
                ))
            }
        };
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                return Err(Refusal::invalid(
                    "to",
                    format!("to ({to}) must not be before from ({from})"),
                ));
            }
        }
        Ok(Range { from, to, width })
    }

    /// The window read: absent ends filled from the series' bounds; `None` when empty.
    pub fn resolve<'a>(
        &self,
        series: impl Iterator<Item = &'a SeriesRow> + Clone,
    ) -> Option<Window> {
        let from = self
            .from
            .or_else(|| series.clone().filter_map(|s| s.first_step).min())?;
        let to = self
            .to
            .or_else(|| series.filter_map(|s| s.last_step).max())?;
        (from <= to).then_some(Window::new(from, to, self.width))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(first: i64, last: i64) -> SeriesRow {
        SeriesRow {
            id: 1,
            name: "train".to_owned(),
            points: last - first + 1,
            first_step: Some(first),
            last_step: Some(last),
            last_value: None,
            blocked: 1,
        }
    }

    #[test]
    fn width_and_order_are_checked() {
        assert_eq!(
            Range::checked(None, None, None).map(|r| r.width),
            Ok(DEFAULT_WIDTH)
        );
        assert_eq!(
            Range::checked(None, None, Some(i64::from(MAX_WIDTH))).map(|r| r.width),
            Ok(MAX_WIDTH)
        );
        for width in [0, -1, i64::from(MAX_WIDTH) + 1] {
            assert_eq!(
                Range::checked(None, None, Some(width)).map_err(|r| r.field),
                Err("width".to_owned())
            );
        }
        assert_eq!(
            Range::checked(Some(5), Some(4), None).map_err(|r| r.field),
            Err("to".to_owned())
        );
        assert!(Range::checked(Some(5), Some(5), None).is_ok());
    }

    #[test]
    fn open_ends_come_from_the_series() {
        let rows = [series(3, 9), series(-2, 4)];
        let open = Range::checked(None, None, None).expect("valid");
        assert_eq!(
            open.resolve(rows.iter()),
            Some(Window::new(-2, 9, DEFAULT_WIDTH))
        );
        let half = Range::checked(Some(5), None, None).expect("valid");
        assert_eq!(
            half.resolve(rows.iter()),
            Some(Window::new(5, 9, DEFAULT_WIDTH))
        );
        let beyond = Range::checked(Some(20), None, None).expect("valid");
        assert_eq!(beyond.resolve(rows.iter()), None);
        assert_eq!(open.resolve([].iter()), None);
    }
}
