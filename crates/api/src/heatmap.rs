//! Confusion-matrix labelling (seed 002): a HEATMAP of N categories holds either an N×N
//! matrix or an (N+1)×(N+1) one whose last row is labelled FP (false positives: predicted,
//! but no such ground truth) and last column FN (false negatives: ground truth missed).
//! Server and dashboard both label through [`heatmap_labels`], so they always agree.

/// Label of the extra last row of an (N+1)×(N+1) matrix.
pub const FALSE_POSITIVE_LABEL: &str = "FP";
/// Label of the extra last column of an (N+1)×(N+1) matrix.
pub const FALSE_NEGATIVE_LABEL: &str = "FN";

/// Row and column labels of a square matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeatmapLabels {
    /// One per row, top to bottom (ground truth).
    pub rows: Vec<String>,
    /// One per column, left to right (prediction).
    pub columns: Vec<String>,
}

/// The labels of a `size`×`size` matrix over `categories`, or a sentence stating the
/// shapes that would be accepted.
pub fn heatmap_labels(categories: &[String], size: usize) -> Result<HeatmapLabels, String> {
    let n = categories.len();
    if size == n {
        Ok(HeatmapLabels {
            rows: categories.to_vec(),
            columns: categories.to_vec(),
        })
    } else if size == n + 1 {
        let with = |extra: &str| {
            let mut labels = categories.to_vec();
            labels.push(extra.to_owned());
            labels
        };
        Ok(HeatmapLabels {
            rows: with(FALSE_POSITIVE_LABEL),
            columns: with(FALSE_NEGATIVE_LABEL),
        })
    } else {
        Err(expected_shape(n, size))
    }
}

/// The sentence stating which shapes `n` categories accept.
pub fn expected_shape(n: usize, got: usize) -> String {
    format!(
        "with {n} categories the values must be {n}×{n}, or {m}×{m} with FP and FN as the last row and column; got {got} rows",
        m = n + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_square_matrix_is_labelled_by_its_categories() {
        let labels = heatmap_labels(&names(&["car", "person"]), 2).expect("2×2");
        assert_eq!(labels.rows, names(&["car", "person"]));
        assert_eq!(labels.columns, names(&["car", "person"]));
    }

    #[test]
    fn the_extra_row_is_fp_and_the_extra_column_is_fn() {
        let labels = heatmap_labels(&names(&["car", "person"]), 3).expect("3×3");
        assert_eq!(labels.rows, names(&["car", "person", "FP"]));
        assert_eq!(labels.columns, names(&["car", "person", "FN"]));
    }

    #[test]
    fn other_sizes_state_the_expected_shape() {
        let error = heatmap_labels(&names(&["car", "person"]), 4).expect_err("4 is wrong");
        assert!(
            error.contains("2×2") && error.contains("3×3") && error.contains("got 4"),
            "{error}"
        );
        assert!(heatmap_labels(&[], 0).is_ok());
        assert!(heatmap_labels(&names(&["a"]), 0).is_err());
    }
}
