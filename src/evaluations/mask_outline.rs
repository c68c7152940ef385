//! A run-length mask (COCO's RLE) as what the overlay draws: the set pixels as row
//! ranges per column (to fill and to clip a crowd region's hatching) and the border
//! between set and unset pixels as line segments (to stroke, solid or dashed, like a
//! polygon's outline).

use std::collections::BTreeMap;

/// The set rows `[top, bottom)` of one column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnRun {
    pub column: u32,
    pub top: u32,
    pub bottom: u32,
}

/// A straight piece of border, in image pixels: from `(x, y)` to `(x, y)`.
pub type Edge = ((f64, f64), (f64, f64));

/// The set pixels of `runs` (unset first, column-major) on a `height`-row image, as
/// row ranges per column, in column then row order.
pub fn column_runs(runs: &[u32], height: u32) -> Vec<ColumnRun> {
    let mut columns = Vec::new();
    if height == 0 {
        return columns;
    }
    let h = u64::from(height);
    let mut position = 0u64;
    for (index, &count) in runs.iter().enumerate() {
        let end = position + u64::from(count);
        if index % 2 == 1 {
            let mut at = position;
            while at < end {
                let column = at / h;
                let column_end = ((column + 1) * h).min(end);
                columns.push(ColumnRun {
                    column: column as u32,
                    top: (at - column * h) as u32,
                    bottom: (column_end - column * h) as u32,
                });
                at = column_end;
            }
        }
        position = end;
    }
    columns
}

/// The border of the set pixels: a horizontal edge above and below each column's run
/// (joined across columns where they line up), and a vertical edge at each column's
/// left where the rows set differ from the column before.
pub fn mask_edges(columns: &[ColumnRun]) -> Vec<Edge> {
    let mut by_column: BTreeMap<u32, Vec<(u32, u32)>> = BTreeMap::new();
    for run in columns {
        by_column
            .entry(run.column)
            .or_default()
            .push((run.top, run.bottom));
    }
    let mut edges = Vec::new();
    // Horizontal: for each row line, the columns whose run starts or ends there.
    let mut rows: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for run in columns {
        rows.entry(run.top).or_default().push(run.column);
        rows.entry(run.bottom).or_default().push(run.column);
    }
    for (row, mut at) in rows {
        at.sort_unstable();
        at.dedup();
        let y = f64::from(row);
        let mut start = 0;
        for index in 1..=at.len() {
            if index == at.len() || at[index] != at[index - 1] + 1 {
                edges.push(((f64::from(at[start]), y), (f64::from(at[index - 1] + 1), y)));
                start = index;
            }
        }
    }
    // Vertical: at x = c, the rows set in exactly one of columns c − 1 and c.
    let mut lines: Vec<u32> = by_column.keys().flat_map(|&c| [c, c + 1]).collect();
    lines.sort_unstable();
    lines.dedup();
    let empty = Vec::new();
    for x in lines {
        let left = x
            .checked_sub(1)
            .and_then(|c| by_column.get(&c))
            .unwrap_or(&empty);
        let right = by_column.get(&x).unwrap_or(&empty);
        for (top, bottom) in differing_rows(left, right) {
            let x = f64::from(x);
            edges.push(((x, f64::from(top)), (x, f64::from(bottom))));
        }
    }
    edges
}

/// The row ranges covered by exactly one of two sorted, disjoint range lists.
fn differing_rows(a: &[(u32, u32)], b: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut cuts: Vec<u32> = a.iter().chain(b).flat_map(|&(t, e)| [t, e]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let covers = |ranges: &[(u32, u32)], row: u32| ranges.iter().any(|&(t, e)| t <= row && row < e);
    let mut differing: Vec<(u32, u32)> = Vec::new();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if covers(a, from) == covers(b, from) {
            continue;
        }
        match differing.last_mut() {
            Some(last) if last.1 == from => last.1 = to,
            _ => differing.push((from, to)),
        }
    }
    differing
}

#[cfg(test)]
mod tests {
    use super::*;

    fn length(edges: &[Edge]) -> f64 {
        edges
            .iter()
            .map(|((x0, y0), (x1, y1))| (x1 - x0).abs() + (y1 - y0).abs())
            .sum()
    }

    #[test]
    fn a_square_has_four_sides() {
        // Rows 1–2 of columns 1–2 on a 4×4 image.
        let columns = column_runs(&[5, 2, 2, 2, 5], 4);
        assert_eq!(
            columns,
            [
                ColumnRun {
                    column: 1,
                    top: 1,
                    bottom: 3
                },
                ColumnRun {
                    column: 2,
                    top: 1,
                    bottom: 3
                }
            ]
        );
        let mut edges = mask_edges(&columns);
        edges.sort_by(|a, b| a.partial_cmp(b).expect("numbers"));
        assert_eq!(
            edges,
            [
                ((1.0, 1.0), (1.0, 3.0)),
                ((1.0, 1.0), (3.0, 1.0)),
                ((1.0, 3.0), (3.0, 3.0)),
                ((3.0, 1.0), (3.0, 3.0)),
            ]
        );
    }

    #[test]
    fn a_run_across_columns_is_split_and_a_step_is_bordered() {
        // From column 0's row 2 into column 1's row 1: a staircase of 4 pixels.
        let columns = column_runs(&[2, 4, 10], 4);
        assert_eq!(columns.len(), 2);
        assert_eq!((columns[1].top, columns[1].bottom), (0, 2));
        // The border is as long as the unshared sides: two upright pairs of pixels that
        // touch only at a corner, 6 each.
        assert_eq!(length(&mask_edges(&columns)), 12.0);
        assert!(mask_edges(&[]).is_empty());
    }
}
