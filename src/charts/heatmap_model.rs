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

/// The fill of a cell holding `value` on a scale up to `max`: from the page's surface
/// to a saturated blue, and whether its text must be light to stay readable.
pub fn cell_colour(value: f64, max: f64) -> ((u8, u8, u8), bool) {
    let t = if max > 0.0 {
        (value / max).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |from: f64, to: f64| (from + (to - from) * t).round() as u8;
    (
        (mix(239.0, 8.0), mix(246.0, 69.0), mix(255.0, 148.0)),
        t > 0.5,
    )
}

/// A cell's text: counts as integers when they are, ratios as percentages.
pub fn cell_text(value: f64, mode: CellMode) -> String {
    match mode {
        CellMode::Counts if value.fract() == 0.0 => format!("{value:.0}"),
        CellMode::Counts => crate::format::value(value),
        CellMode::RowNormalised => format!("{:.1} %", value * 100.0),
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
    fn colours_and_texts_follow_the_value() {
        assert_eq!(cell_colour(0.0, 10.0), ((239, 246, 255), false));
        assert_eq!(cell_colour(10.0, 10.0), ((8, 69, 148), true));
        assert_eq!(cell_text(13.0, CellMode::Counts), "13");
        assert_eq!(cell_text(0.25, CellMode::RowNormalised), "25.0 %");
    }
}
