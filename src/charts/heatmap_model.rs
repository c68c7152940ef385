//! Confusion matrices: labels (FP/FN from the api crate), row normalisation and the
//! colour of each cell, computed without drawing anything.

use trackboard_api::{heatmap_labels, HeatmapData};

/// What a heatmap cell shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellMode {
    /// The logged counts.
    Counts,
    /// Each row divided by its sum (recall per ground-truth class).
    RowNormalised,
}

/// A matrix ready to show: labels, the numbers in the chosen mode and their maximum.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatmapModel {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub cells: Vec<Vec<f64>>,
    /// The largest cell, for the colour scale (at least a tiny positive number).
    pub max: f64,
}

/// Each row divided by its sum; an all-zero row stays zero.
pub fn row_normalised(values: &[Vec<f64>]) -> Vec<Vec<f64>> {
    values
        .iter()
        .map(|row| {
            let sum: f64 = row.iter().sum();
            row.iter()
                .map(|v| if sum > 0.0 { v / sum } else { 0.0 })
                .collect()
        })
        .collect()
}

impl HeatmapModel {
    /// The model of a HEATMAP log, or the shape error the server would also give.
    pub fn new(data: &HeatmapData, mode: CellMode) -> Result<HeatmapModel, String> {
        let size = data.values.len();
        let labels = heatmap_labels(&data.categories, size)?;
        if let Some((index, row)) = data
            .values
            .iter()
            .enumerate()
            .find(|(_, row)| row.len() != size)
        {
            return Err(format!(
                "row {index} has {} values; the matrix must be {size}×{size}",
                row.len()
            ));
        }
        let cells = match mode {
            CellMode::Counts => data.values.clone(),
            CellMode::RowNormalised => row_normalised(&data.values),
        };
        let max = cells
            .iter()
            .flatten()
            .copied()
            .fold(f64::MIN_POSITIVE, f64::max);
        Ok(HeatmapModel {
            rows: labels.rows,
            columns: labels.columns,
            cells,
            max,
        })
    }
}

/// WCAG's relative luminance of a colour.
fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// Whether white text reads better than black on `fill` (the one with the higher
/// contrast; one of the two always reaches WCAG's 4.5:1).
pub fn light_text_on(fill: (u8, u8, u8)) -> bool {
    let l = luminance(fill);
    1.05 / (l + 0.05) > (l + 0.05) / 0.05
}

/// The fill of a cell holding `value` on a scale up to `max`: from the page's surface
/// to a saturated blue, and whether its text must be white to stay readable.
pub fn cell_colour(value: f64, max: f64) -> ((u8, u8, u8), bool) {
    let t = if max > 0.0 {
        (value / max).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |from: f64, to: f64| (from + (to - from) * t).round() as u8;
    let fill = (mix(239.0, 8.0), mix(246.0, 69.0), mix(255.0, 148.0));
    (fill, light_text_on(fill))
}

/// A cell's text: counts as integers when they are, ratios as percentages.
pub fn cell_text(value: f64, mode: CellMode) -> String {
    match mode {
        CellMode::Counts if value.fract() == 0.0 => format!("{value:.0}"),
        CellMode::Counts => crate::format::value(value),
        CellMode::RowNormalised => format!("{:.1} %", value * 100.0),
    }
}

impl HeatmapModel {
    /// `data` minus `baseline`, cell by cell, in the same mode (counts, or row
    /// percentages): what changed between two experiments. Its `max` is the largest
    /// change either way. Refused when their labels differ (the cells would not mean
    /// the same classes).
    pub fn difference(
        data: &HeatmapData,
        baseline: &HeatmapData,
        mode: CellMode,
    ) -> Result<HeatmapModel, String> {
        let ours = HeatmapModel::new(data, mode)?;
        let theirs = HeatmapModel::new(baseline, mode)?;
        if ours.rows != theirs.rows || ours.columns != theirs.columns {
            return Err(format!(
                "the baseline's classes ({}) differ from these ({}); no cell-by-cell difference",
                theirs.rows.join(", "),
                ours.rows.join(", ")
            ));
        }
        let cells: Vec<Vec<f64>> = ours
            .cells
            .iter()
            .zip(&theirs.cells)
            .map(|(row, base)| row.iter().zip(base).map(|(a, b)| a - b).collect())
            .collect();
        let max = cells
            .iter()
            .flatten()
            .map(|delta| delta.abs())
            .fold(f64::MIN_POSITIVE, f64::max);
        Ok(HeatmapModel {
            rows: ours.rows,
            columns: ours.columns,
            cells,
            max,
        })
    }
}

/// The fill of a difference cell: blue for more than the baseline, orange for less
/// (a pair told apart without red–green vision), stronger with the size of the change;
/// and whether its text must be light.
pub fn delta_colour(delta: f64, max_change: f64) -> ((u8, u8, u8), bool) {
    let t = if max_change > 0.0 {
        (delta.abs() / max_change).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (to_r, to_g, to_b) = if delta >= 0.0 {
        (8.0, 69.0, 148.0)
    } else {
        (166.0, 54.0, 3.0)
    };
    let mix = |from: f64, to: f64| (from + (to - from) * t).round() as u8;
    let fill = (mix(246.0, to_r), mix(247.0, to_g), mix(249.0, to_b));
    (fill, light_text_on(fill))
}

/// A difference cell's text, signed: `+3`, `−2`, `0`; row percentages in points.
pub fn delta_text(delta: f64, mode: CellMode) -> String {
    let sign = if delta > 0.0 {
        "+"
    } else if delta < 0.0 {
        "−"
    } else {
        ""
    };
    let size = delta.abs();
    match mode {
        CellMode::Counts if size.fract() == 0.0 => format!("{sign}{size:.0}"),
        CellMode::Counts => format!("{sign}{}", crate::format::value(size)),
        CellMode::RowNormalised => format!("{sign}{:.1} pt", size * 100.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn confusion() -> HeatmapData {
        HeatmapData {
            categories: vec!["car".into(), "pedestrian".into()],
            values: vec![
                vec![33.0, 0.0, 13.0],
                vec![2.0, 7.0, 16.0],
                vec![10.0, 0.0, 0.0],
            ],
        }
    }

    #[test]
    fn an_extra_row_and_column_are_labelled_fp_and_fn() {
        let model = HeatmapModel::new(&confusion(), CellMode::Counts).expect("3×3");
        assert_eq!(model.rows, ["car", "pedestrian", "FP"]);
        assert_eq!(model.columns, ["car", "pedestrian", "FN"]);
        assert_eq!(model.max, 33.0);
    }

    #[test]
    fn rows_normalise_to_one_and_empty_rows_stay_zero() {
        let rows = row_normalised(&[vec![1.0, 3.0], vec![0.0, 0.0]]);
        assert_eq!(rows, vec![vec![0.25, 0.75], vec![0.0, 0.0]]);
        let model = HeatmapModel::new(&confusion(), CellMode::RowNormalised).expect("3×3");
        assert!((model.cells[0].iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_wrong_shape_is_explained() {
        let mut data = confusion();
        data.values.pop();
        let error = HeatmapModel::new(&data, CellMode::Counts).expect_err("2 rows of 3");
        assert_eq!(error, "row 0 has 3 values; the matrix must be 2×2");
        data.categories.push("cyclist".into());
        data.categories.push("bus".into());
        let error = HeatmapModel::new(&data, CellMode::Counts).expect_err("4 categories, 2 rows");
        assert!(error.contains("4×4") && error.contains("5×5"), "{error}");
    }

    #[test]
    fn differences_are_cell_by_cell_with_their_labels() {
        let mut later = confusion();
        later.values[0][0] = 40.0;
        later.values[2][0] = 4.0;
        let difference =
            HeatmapModel::difference(&later, &confusion(), CellMode::Counts).expect("same classes");
        assert_eq!(difference.rows, ["car", "pedestrian", "FP"]);
        assert_eq!(difference.columns, ["car", "pedestrian", "FN"]);
        assert_eq!(difference.cells[0], vec![7.0, 0.0, 0.0]);
        assert_eq!(difference.cells[2], vec![-6.0, 0.0, 0.0]);
        assert_eq!(difference.max, 7.0);
        let rows = HeatmapModel::difference(&later, &confusion(), CellMode::RowNormalised)
            .expect("same classes");
        assert!((rows.cells[0][0] - (40.0 / 53.0 - 33.0 / 46.0)).abs() < 1e-12);
        let mut other = confusion();
        other.categories[1] = "cyclist".into();
        let refused = HeatmapModel::difference(&other, &confusion(), CellMode::Counts)
            .expect_err("other classes");
        assert!(refused.contains("differ"), "{refused}");
    }

    #[test]
    fn differences_are_coloured_and_written_by_sign() {
        assert_eq!(delta_text(3.0, CellMode::Counts), "+3");
        assert_eq!(delta_text(-2.0, CellMode::Counts), "−2");
        assert_eq!(delta_text(0.0, CellMode::Counts), "0");
        assert_eq!(delta_text(-0.015, CellMode::RowNormalised), "−1.5 pt");
        let (more, _) = delta_colour(5.0, 5.0);
        let (less, light) = delta_colour(-5.0, 5.0);
        assert_eq!(more, (8, 69, 148));
        assert_eq!(less, (166, 54, 3));
        assert!(light);
        assert_eq!(delta_colour(0.0, 5.0), ((246, 247, 249), false));
    }

    /// The contrast ratio of the text chosen by [`light_text_on`] on `fill`.
    fn text_contrast(fill: (u8, u8, u8)) -> f64 {
        let l = luminance(fill);
        f64::max(1.05 / (l + 0.05), (l + 0.05) / 0.05)
    }

    #[test]
    fn every_cell_text_meets_wcag_contrast() {
        for step in 0..=200 {
            let value = f64::from(step) / 100.0 - 1.0;
            let (fill, _) = cell_colour(value.abs(), 1.0);
            assert!(
                text_contrast(fill) >= 4.5,
                "{fill:?}: {}",
                text_contrast(fill)
            );
            let (fill, _) = delta_colour(value, 1.0);
            assert!(
                text_contrast(fill) >= 4.5,
                "{fill:?}: {}",
                text_contrast(fill)
            );
        }
        assert!(light_text_on((8, 69, 148)));
        assert!(
            !light_text_on((107, 145, 194)),
            "the mid blue axe-core flagged takes black"
        );
    }

    #[test]
    fn colours_and_texts_follow_the_value() {
        assert_eq!(cell_colour(0.0, 10.0), ((239, 246, 255), false));
        assert_eq!(cell_colour(10.0, 10.0), ((8, 69, 148), true));
        assert_eq!(cell_text(13.0, CellMode::Counts), "13");
        assert_eq!(cell_text(0.25, CellMode::RowNormalised), "25.0 %");
    }
}
