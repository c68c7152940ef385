//! M4 reduction: a line drawn W pixel columns wide is drawn exactly from, for each
//! column, its first, lowest, highest and last point. Points arrive in increasing step
//! order and are reduced as they stream, so a series is never held whole in memory.
//! A gap (`None`) in a column is kept too, so the drawn line breaks where it should.

use crate::Window;
use trackboard_api::nan_as_gap;

/// The pixel column of `step` in `window` (clamped into it).
pub fn pixel_column(step: i64, window: Window) -> u32 {
    let Window { from, width, .. } = window;
    let span = window.span();
    if span <= 0 || width == 0 {
        return 0;
    }
    let offset = (i128::from(step) - i128::from(from)).clamp(0, span - 1);
    (offset * i128::from(width) / span) as u32
}

#[derive(Clone, Copy, Debug)]
struct Column {
    index: u32,
    first: (i64, Option<f64>),
    last: (i64, Option<f64>),
    min: Option<(i64, f64)>,
    max: Option<(i64, f64)>,
    gap: Option<i64>,
}

impl Column {
    fn start(index: u32, step: i64, value: Option<f64>) -> Column {
        let mut column = Column {
            index,
            first: (step, value),
            last: (step, value),
            min: None,
            max: None,
            gap: None,
        };
        column.take(step, value);
        column
    }

    fn take(&mut self, step: i64, value: Option<f64>) {
        self.last = (step, value);
        match value {
            None => {
                self.gap.get_or_insert(step);
            }
            Some(v) => {
                if self.min.is_none_or(|(_, m)| v < m) {
                    self.min = Some((step, v));
                }
                if self.max.is_none_or(|(_, m)| v > m) {
                    self.max = Some((step, v));
                }
            }
        }
    }

    /// Takes the values of consecutive steps `first_step, first_step + 1, …`, all in this
    /// column; NaN is a gap. The same as [`Column::take`] on each, in one tight loop.
    fn take_run(&mut self, first_step: i64, values: &[f64]) {
        let Some(&last) = values.last() else { return };
        for (offset, &value) in values.iter().enumerate() {
            if value.is_nan() {
                self.gap.get_or_insert(first_step + offset as i64);
                continue;
            }
            if self.min.is_none_or(|(_, m)| value < m) {
                self.min = Some((first_step + offset as i64, value));
            }
            if self.max.is_none_or(|(_, m)| value > m) {
                self.max = Some((first_step + offset as i64, value));
            }
        }
        let last_step = first_step + values.len() as i64 - 1;
        self.last = (last_step, nan_as_gap(last));
    }

    /// The column's kept points, in step order, each step once.
    fn points(&self) -> Vec<(i64, Option<f64>)> {
        let mut points = vec![self.first, self.last];
        points.extend(self.min.map(|(s, v)| (s, Some(v))));
        points.extend(self.max.map(|(s, v)| (s, Some(v))));
        points.extend(self.gap.map(|s| (s, None)));
        points.sort_by_key(|(step, _)| *step);
        points.dedup_by_key(|(step, _)| *step);
        points
    }
}

/// Reduces a stream of points in `from..=to` for `width` pixel columns. While the
/// stream holds at most 4 × width points they are answered as they are.
#[derive(Debug)]
pub struct M4Reducer {
    window: Window,
    raw: Vec<(i64, Option<f64>)>,
    raw_limit: usize,
    reduced: Vec<(i64, Option<f64>)>,
    column: Option<Column>,
    /// The first step after the current column (beyond `i64`, hence `i128`): until a
    /// step reaches it, a point joins the current column without a division.
    column_end: i128,
    count: u64,
}

/// What a reduction answers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reduced {
    pub steps: Vec<i64>,
    pub values: Vec<Option<f64>>,
    /// Whether the points are the M4 reduction rather than all of them.
    pub reduced: bool,
    /// How many points went in.
    pub count: u64,
}

impl M4Reducer {
    /// A reducer for `window`'s steps drawn across its columns (at least one).
    pub fn new(window: Window) -> M4Reducer {
        let width = window.width.max(1);
        M4Reducer {
            window: Window { width, ..window },
            raw: Vec::new(),
            raw_limit: 4 * width as usize,
            reduced: Vec::new(),
            column: None,
            column_end: i128::MIN,
            count: 0,
        }
    }

    /// Takes the next point; steps must increase.
    pub fn push(&mut self, step: i64, value: Option<f64>) {
        self.count += 1;
        if self.raw.len() <= self.raw_limit {
            self.raw.push((step, value));
        }
        if let Some(column) = &mut self.column {
            if i128::from(step) < self.column_end {
                column.take(step, value);
                return;
            }
        }
        let index = pixel_column(step, self.window);
        match &mut self.column {
            Some(column) if column.index == index => column.take(step, value),
            slot => {
                if let Some(done) = slot.take() {
                    self.reduced.extend(done.points());
                }
                *slot = Some(Column::start(index, step, value));
                self.column_end = self.first_step_of(index + 1);
            }
        }
    }

    /// Takes the values of consecutive steps `first_step, first_step + 1, …` (a dense
    /// block), NaN being a gap: the same as pushing each, but a column's share of the
    /// run is scanned in one loop without per-point bookkeeping.
    pub fn push_consecutive(&mut self, first_step: i64, values: &[f64]) {
        let mut at = 0;
        while at < values.len() {
            let step = first_step + at as i64;
            let in_column = self.column.is_some() && i128::from(step) < self.column_end;
            // Point by point while the raw answer is still being kept, or to open the
            // next column.
            if self.raw.len() <= self.raw_limit || !in_column {
                let value = values[at];
                self.push(step, nan_as_gap(value));
                at += 1;
                continue;
            }
            let column_left = self.column_end - i128::from(step);
            let run = column_left.min((values.len() - at) as i128) as usize;
            if let Some(column) = &mut self.column {
                column.take_run(step, &values[at..at + run]);
            }
            self.count += run as u64;
            at += run;
        }
    }

    /// Takes a summary of `count` points: the M4 points of a run that lies within one
    /// column (a snapshot's tile bucket). The column ends up as if every point had been
    /// pushed, since M4 of M4 points is the same M4; only the raw answer would differ,
    /// so a caller uses summaries only when more than 4 × width points are in range.
    pub fn push_summary(&mut self, points: &[(i64, Option<f64>)], count: u64) {
        for &(step, value) in points {
            self.push(step, value);
        }
        self.count += count.saturating_sub(points.len() as u64);
    }

    /// The lowest step whose column is `index` or later: `from + ⌈index · span / width⌉`.
    fn first_step_of(&self, index: u32) -> i128 {
        let span = self.window.span();
        if span <= 0 || index >= self.window.width {
            return i128::MAX;
        }
        let width = i128::from(self.window.width);
        i128::from(self.window.from) + (i128::from(index) * span + width - 1) / width
    }

    /// The raw points when there were at most 4 × width of them, else the reduction.
    pub fn finish(mut self) -> Reduced {
        let is_reduced = self.count as usize > self.raw_limit;
        let points = if is_reduced {
            if let Some(done) = self.column.take() {
                self.reduced.extend(done.points());
            }
            self.reduced
        } else {
            self.raw
        };
        let (steps, values) = points.into_iter().unzip();
        Reduced {
            steps,
            values,
            reduced: is_reduced,
            count: self.count,
        }
    }
}

impl Reduced {
    /// The answer for series `name`: these points with their count and flag.
    pub fn into_series(self, name: String) -> trackboard_api::SeriesPoints {
        trackboard_api::SeriesPoints {
            name,
            steps: self.steps,
            values: self.values,
            reduced: self.reduced,
            points_in_range: self.count,
        }
    }
}

/// Reduces a whole slice at once (tests and the dashboard).
pub fn m4_reduce(points: &[(i64, Option<f64>)], window: Window) -> Reduced {
    let mut reducer = M4Reducer::new(window);
    for &(step, value) in points {
        reducer.push(step, value);
    }
    reducer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Per pixel column: (min, max) of the values and whether it holds a gap — what a
    /// rasteriser needs to draw the column.
    fn raster(
        points: &[(i64, Option<f64>)],
        from: i64,
        to: i64,
        width: u32,
    ) -> Vec<(f64, f64, bool)> {
        let mut columns = vec![(f64::INFINITY, f64::NEG_INFINITY, false); width as usize];
        for &(step, value) in points {
            let column = &mut columns[pixel_column(step, Window::new(from, to, width)) as usize];
            match value {
                Some(v) => {
                    column.0 = column.0.min(v);
                    column.1 = column.1.max(v);
                }
                None => column.2 = true,
            }
        }
        columns
    }

    type Point = (i64, Option<f64>);

    /// Per column: the first and last point, which fix the segments joining columns.
    fn ends(points: &[Point], from: i64, to: i64, width: u32) -> Vec<Option<(Point, Point)>> {
        let mut columns = vec![None; width as usize];
        for &point in points {
            let slot: &mut Option<(Point, Point)> =
                &mut columns[pixel_column(point.0, Window::new(from, to, width)) as usize];
            match slot {
                None => *slot = Some((point, point)),
                Some((_, last)) => *last = point,
            }
        }
        columns
    }

    use crate::test_rng::Rng;

    fn random_series(rng: &mut Rng, len: usize) -> Vec<(i64, Option<f64>)> {
        let mut step = (rng.next() % 100) as i64 - 50;
        (0..len)
            .map(|_| {
                step += 1 + (rng.next() % 5) as i64;
                let value = if rng.next().is_multiple_of(50) {
                    None
                } else {
                    Some((rng.next() % 10_000) as f64 / 7.0 - 500.0)
                };
                (step, value)
            })
            .collect()
    }

    #[test]
    fn small_series_come_back_untouched() {
        let points = vec![(0, Some(1.0)), (1, None), (5, Some(-2.0))];
        let reduced = m4_reduce(&points, Window::new(0, 5, 1));
        assert!(!reduced.reduced);
        assert_eq!(reduced.steps, vec![0, 1, 5]);
        assert_eq!(reduced.values, vec![Some(1.0), None, Some(-2.0)]);
    }

    #[test]
    fn a_spike_survives_reduction() {
        let mut points: Vec<_> = (0..100_000).map(|s| (s, Some(1.0))).collect();
        points[54_321].1 = Some(1_000.0);
        let reduced = m4_reduce(&points, Window::new(0, 99_999, 100));
        assert!(reduced.reduced);
        assert!(reduced.steps.len() <= 400);
        assert!(reduced.values.contains(&Some(1_000.0)));
        assert!(reduced.steps.contains(&54_321));
    }

    #[test]
    fn reduction_draws_exactly_what_all_points_draw() {
        let mut rng = Rng(0x5eed_1234_abcd_ef01);
        for round in 0..200 {
            let len = 1 + (rng.next() % 5_000) as usize;
            let points = random_series(&mut rng, len);
            let from = points[0].0 - (rng.next() % 10) as i64;
            let to = points[points.len() - 1].0 + (rng.next() % 10) as i64;
            let width = 1 + (rng.next() % 300) as u32;
            let reduced = m4_reduce(&points, Window::new(from, to, width));
            let kept: Vec<_> = reduced
                .steps
                .iter()
                .copied()
                .zip(reduced.values.iter().copied())
                .collect();
            assert_eq!(reduced.count as usize, len);
            assert!(kept.len() <= 5 * width as usize, "round {round}");
            assert!(
                kept.windows(2).all(|w| w[0].0 < w[1].0),
                "round {round}: steps increase"
            );
            assert!(
                kept.iter().all(|p| points.contains(p)),
                "round {round}: only real points"
            );
            assert_eq!(
                raster(&kept, from, to, width),
                raster(&points, from, to, width),
                "round {round}"
            );
            assert_eq!(
                ends(&kept, from, to, width),
                ends(&points, from, to, width),
                "round {round}"
            );
            assert_eq!(reduced.reduced, len > 4 * width as usize, "round {round}");
        }
    }

    #[test]
    fn consecutive_runs_reduce_exactly_as_points_one_by_one() {
        let mut rng = Rng(0xc0ff_ee00_1234_5678);
        for round in 0..300 {
            let len = 1 + (rng.next() % 20_000) as usize;
            let first_step = (rng.next() % 1_000) as i64 - 500;
            let values: Vec<f64> = (0..len)
                .map(|_| match rng.next() % 40 {
                    0 => f64::NAN,
                    // Ties: which of equal extremes is kept must not change.
                    1..=5 => 3.0,
                    _ => (rng.next() % 10_000) as f64 / 7.0 - 500.0,
                })
                .collect();
            let last_step = first_step + len as i64 - 1;
            let from = first_step - (rng.next() % 50) as i64;
            let to = last_step + (rng.next() % 50) as i64;
            let width = 1 + (rng.next() % 2_000) as u32;
            // Fed as blocks of uneven sizes, like a series' blocks.
            let mut bulk = M4Reducer::new(Window::new(from, to, width));
            let mut one_by_one = M4Reducer::new(Window::new(from, to, width));
            let mut start = 0;
            while start < len {
                let end = (start + 1 + (rng.next() % 5_000) as usize).min(len);
                bulk.push_consecutive(first_step + start as i64, &values[start..end]);
                start = end;
            }
            for (offset, &value) in values.iter().enumerate() {
                one_by_one.push(first_step + offset as i64, nan_as_gap(value));
            }
            let (bulk, one_by_one) = (bulk.finish(), one_by_one.finish());
            assert_eq!(bulk.count, one_by_one.count, "round {round}");
            assert_eq!(bulk.reduced, one_by_one.reduced, "round {round}");
            assert_eq!(bulk.steps, one_by_one.steps, "round {round}");
            // NaN never reaches an answer: gaps are `None` on both sides.
            assert_eq!(bulk.values, one_by_one.values, "round {round}");
        }
    }

    #[test]
    fn columns_cover_the_range_evenly() {
        assert_eq!(pixel_column(0, Window::new(0, 999, 10)), 0);
        assert_eq!(pixel_column(99, Window::new(0, 999, 10)), 0);
        assert_eq!(pixel_column(100, Window::new(0, 999, 10)), 1);
        assert_eq!(pixel_column(999, Window::new(0, 999, 10)), 9);
        assert_eq!(
            pixel_column(i64::MAX, Window::new(i64::MIN, i64::MAX, 1000)),
            999
        );
        assert_eq!(pixel_column(5, Window::new(5, 5, 10)), 0);
    }

    #[test]
    fn a_column_starts_exactly_where_pixel_column_says() {
        // The reducer skips the division while a step is before its column's end; that
        // end must be the first step pixel_column puts in the next column (or later).
        for (from, to, width) in [
            (0, 999, 10),
            (-7, 12, 3),
            (5, 5, 10),
            (0, 99, 1000),
            (i64::MIN, i64::MAX, 997),
            (3, 1_000_003, 1000),
        ] {
            let reducer = M4Reducer::new(Window::new(from, to, width));
            for index in 1..width.min(2_000) {
                let start = reducer.first_step_of(index);
                if start > i128::from(to) {
                    continue;
                }
                let start = start as i64;
                // Narrow ranges leave columns empty: the step is in `index` or a later one.
                assert!(
                    pixel_column(start, Window::new(from, to, width)) >= index,
                    "{from}..={to} / {width}: column {index}"
                );
                assert!(
                    pixel_column(start - 1, Window::new(from, to, width)) < index,
                    "{from}..={to} / {width}: before column {index}"
                );
            }
        }
    }
}
