//! A group of runs' LINE series as one band on a chart's pixel columns (the shared step
//! grid): for each column, each member's value there is the mean of its points in that
//! column; the group's line is the mean or median of those member values, its band
//! their ±1 standard deviation, or the lowest and highest *point* of any member in the
//! column. The extremes are taken over every point, never over reduced ones, so the
//! min–max band holds each group's true minimum and maximum at every column.
//!
//! Points stream in (a member at a time, in step order) and are summed per column as
//! they pass: a member costs one cell per column, a group one value per member and
//! column. A non-finite value (a gap, or an infinity) is left out of every figure.

use super::{pixel_column, Window};
use trackboard_api::LineGroup;

/// One member's points in one column.
#[derive(Clone, Copy, Debug)]
struct Cell {
    count: u32,
    sum: f64,
    min: f64,
    max: f64,
    first_step: i64,
    last_step: i64,
}

impl Cell {
    const EMPTY: Cell = Cell {
        count: 0,
        sum: 0.0,
        min: f64::INFINITY,
        max: f64::NEG_INFINITY,
        first_step: i64::MAX,
        last_step: i64::MIN,
    };

    /// Takes the values of consecutive steps from `first_step`, all in this column.
    fn take_run(&mut self, first_step: i64, values: &[f64]) {
        let (mut first, mut last) = (None, None);
        for (offset, &value) in values.iter().enumerate() {
            if value.is_finite() {
                self.count += 1;
                self.sum += value;
                self.min = self.min.min(value);
                self.max = self.max.max(value);
                first.get_or_insert(offset);
                last = Some(offset);
            }
        }
        if let (Some(first), Some(last)) = (first, last) {
            self.first_step = self.first_step.min(first_step + first as i64);
            self.last_step = self.last_step.max(first_step + last as i64);
        }
    }

    fn take(&mut self, step: i64, value: f64) {
        if !value.is_finite() {
            return;
        }
        self.count += 1;
        self.sum += value;
        self.min = self.min.min(value);
        self.max = self.max.max(value);
        self.first_step = self.first_step.min(step);
        self.last_step = self.last_step.max(step);
    }
}

/// One member's points summed per pixel column of `window`, as they stream.
pub struct MemberColumns {
    window: Window,
    cells: Vec<Cell>,
}

impl MemberColumns {
    pub fn new(window: Window) -> MemberColumns {
        MemberColumns {
            window,
            cells: vec![Cell::EMPTY; window.width as usize],
        }
    }

    /// Takes one point; one outside the window is ignored.
    pub fn push(&mut self, step: i64, value: f64) {
        if (self.window.from..=self.window.to).contains(&step) {
            let column = pixel_column(step, self.window) as usize;
            self.cells[column].take(step, value);
        }
    }

    /// Takes the values of consecutive steps from `first_step` (those outside the
    /// window ignored), a column's run at a time rather than a division a point.
    pub fn push_consecutive(&mut self, first_step: i64, values: &[f64]) {
        let Window { from, to, width } = self.window;
        let span = self.window.span();
        let mut step = i128::from(first_step.max(from));
        let end = (i128::from(first_step) + values.len() as i128).min(i128::from(to) + 1);
        while step < end {
            let column = pixel_column(step as i64, self.window);
            // The first offset of the next column: ceil((column + 1) × span / width).
            let next_offset =
                ((i128::from(column) + 1) * span + i128::from(width) - 1) / i128::from(width);
            let stop = (i128::from(from) + next_offset).min(end);
            let offset = |at: i128| (at - i128::from(first_step)) as usize;
            self.cells[column as usize].take_run(step as i64, &values[offset(step)..offset(stop)]);
            step = stop;
        }
    }
}

/// A group's columns as its members arrive.
struct Column {
    /// Each member's mean in this column.
    means: Vec<f64>,
    min: f64,
    max: f64,
    first_step: i64,
    last_step: i64,
}

/// One group of one series: its members folded in one by one, then its band.
pub struct GroupBand {
    columns: Vec<Column>,
    experiment_ids: Vec<i64>,
}

impl GroupBand {
    pub fn new(window: Window) -> GroupBand {
        GroupBand {
            columns: (0..window.width)
                .map(|_| Column {
                    means: Vec::new(),
                    min: f64::INFINITY,
                    max: f64::NEG_INFINITY,
                    first_step: i64::MAX,
                    last_step: i64::MIN,
                })
                .collect(),
            experiment_ids: Vec::new(),
        }
    }

    /// Folds in one member's columns (a member without a finite point is no member).
    pub fn add(&mut self, experiment_id: i64, member: &MemberColumns) {
        let mut any = false;
        for (column, cell) in self.columns.iter_mut().zip(&member.cells) {
            if cell.count == 0 {
                continue;
            }
            any = true;
            column.means.push(cell.sum / f64::from(cell.count));
            column.min = column.min.min(cell.min);
            column.max = column.max.max(cell.max);
            column.first_step = column.first_step.min(cell.first_step);
            column.last_step = column.last_step.max(cell.last_step);
        }
        if any {
            self.experiment_ids.push(experiment_id);
        }
    }

    /// Takes in the members of `other` (the same window), after this one's.
    pub fn merge(&mut self, other: GroupBand) {
        for (column, more) in self.columns.iter_mut().zip(other.columns) {
            column.means.extend(more.means);
            column.min = column.min.min(more.min);
            column.max = column.max.max(more.max);
            column.first_step = column.first_step.min(more.first_step);
            column.last_step = column.last_step.max(more.last_step);
        }
        self.experiment_ids.extend(other.experiment_ids);
    }

    /// The band of the columns any member reached; `None` when no member had a point.
    pub fn finish(self, key: Option<String>, series: String) -> Option<LineGroup> {
        if self.experiment_ids.is_empty() {
            return None;
        }
        let mut experiment_ids = self.experiment_ids;
        experiment_ids.sort_unstable();
        experiment_ids.dedup();
        let mut group = LineGroup {
            key,
            series,
            experiment_ids,
            ..LineGroup::default()
        };
        for mut column in self.columns {
            if column.means.is_empty() {
                continue;
            }
            let count = column.means.len() as f64;
            let mean = column.means.iter().sum::<f64>() / count;
            let variance = column
                .means
                .iter()
                .map(|value| (value - mean) * (value - mean))
                .sum::<f64>()
                / count;
            column.means.sort_unstable_by(f64::total_cmp);
            let middle = column.means.len() / 2;
            let median = if column.means.len() % 2 == 1 {
                column.means[middle]
            } else {
                (column.means[middle - 1] + column.means[middle]) / 2.0
            };
            group.first_step.push(column.first_step);
            group.last_step.push(column.last_step);
            group.members.push(column.means.len() as u32);
            group.mean.push(mean);
            group.median.push(median);
            group.std.push(variance.sqrt());
            group.min.push(column.min);
            group.max.push(column.max);
        }
        Some(group)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A band of `members` (each a list of points) over `window`.
    fn band_of(window: Window, members: &[Vec<(i64, f64)>]) -> LineGroup {
        let mut band = GroupBand::new(window);
        for (id, points) in members.iter().enumerate() {
            let mut columns = MemberColumns::new(window);
            for &(step, value) in points {
                columns.push(step, value);
            }
            band.add(id as i64 + 1, &columns);
        }
        band.finish(Some("g".into()), "train".into())
            .expect("members")
    }

    #[test]
    fn one_step_a_column_gives_each_step_its_statistics() {
        let window = Window::new(0, 2, 10);
        let group = band_of(
            window,
            &[
                vec![(0, 1.0), (1, 2.0), (2, 3.0)],
                vec![(0, 3.0), (1, 6.0)],
                vec![(0, 8.0), (2, f64::NAN)],
            ],
        );
        assert_eq!(group.first_step, [0, 1, 2]);
        assert_eq!(group.members, [3, 2, 1]);
        assert_eq!(group.mean, [4.0, 4.0, 3.0]);
        assert_eq!(group.median, [3.0, 4.0, 3.0]);
        assert_eq!(group.min, [1.0, 2.0, 3.0]);
        assert_eq!(group.max, [8.0, 6.0, 3.0]);
        assert_eq!(group.std[1], 2.0);
        assert_eq!(group.std[2], 0.0);
        assert_eq!(group.experiment_ids, [1, 2, 3]);
    }

    #[test]
    fn a_column_of_many_steps_keeps_the_extremes_of_every_point() {
        // 100 steps on 10 columns: a spike inside a column survives as its max, while
        // the member's value there is its mean.
        let window = Window::new(0, 99, 10);
        let mut spiky: Vec<(i64, f64)> = (0..100).map(|s| (s, 1.0)).collect();
        spiky[37].1 = 50.0;
        let group = band_of(window, &[spiky]);
        assert_eq!(group.max[3], 50.0);
        assert_eq!(group.min[3], 1.0);
        assert_eq!(group.mean[3], (9.0 + 50.0) / 10.0);
        assert_eq!((group.first_step[3], group.last_step[3]), (30, 39));
    }

    #[test]
    fn consecutive_runs_equal_points_one_by_one() {
        for (from, to, width, first, count) in [
            (0, 999, 7, 0, 1000),
            (-50, 10_000, 333, -80, 3000),
            (5, 5, 1, 0, 10),
            (0, 9, 1000, 3, 4),
            (100, 200, 10, 0, 50),
        ] {
            let window = Window::new(from, to, width);
            let values: Vec<f64> = (0..count)
                .map(|i| ((i * 7919) % 101) as f64 - 50.0)
                .collect();
            let mut by_run = MemberColumns::new(window);
            by_run.push_consecutive(first, &values);
            let mut by_point = MemberColumns::new(window);
            for (offset, value) in values.iter().enumerate() {
                by_point.push(first + offset as i64, *value);
            }
            for (a, b) in by_run.cells.iter().zip(&by_point.cells) {
                assert_eq!(
                    (a.count, a.sum, a.min, a.max, a.first_step, a.last_step),
                    (b.count, b.sum, b.min, b.max, b.first_step, b.last_step),
                    "window {window:?}"
                );
            }
        }
    }

    #[test]
    fn a_group_without_a_finite_point_has_no_band() {
        let window = Window::new(0, 3, 4);
        let mut band = GroupBand::new(window);
        let mut columns = MemberColumns::new(window);
        columns.push(1, f64::INFINITY);
        band.add(1, &columns);
        assert!(band.finish(None, "train".into()).is_none());
    }
}
