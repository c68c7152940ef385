//! What a chart exports: CSV text of its data and a safe file name. Pure, so tested
//! natively; the browser side (saving) is in `chart_actions.rs`.

use super::heatmap_model::{cell_text, CellMode, HeatmapModel};

/// A log name as a file name: letters, digits, `-` and `_`.
pub fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() {
        "chart".to_owned()
    } else {
        stem
    }
}

/// One CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180).
/// A leading `=`, `+`, `-` or `@` gets a `'` so spreadsheets never run it as a formula.
pub fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The full-resolution CSVs of one LINE log of several experiments (`series,step,value`
/// each, as the server sends them) as one file with an `experiment` column first.
pub fn merge_experiment_csvs(parts: &[(String, String)]) -> String {
    let mut csv = String::from("experiment,series,step,value\n");
    for (experiment, text) in parts {
        let label = csv_field(experiment);
        for line in text.lines().skip(1).filter(|line| !line.is_empty()) {
            csv.push_str(&label);
            csv.push(',');
            csv.push_str(line);
            csv.push('\n');
        }
    }
    csv
}

/// A confusion matrix with its labels: a header of predicted classes, then a row per
/// true class. Counts exactly as logged; ratios between 0 and 1.
pub fn matrix_csv(model: &HeatmapModel, mode: CellMode) -> String {
    let mut csv = String::from("truth \\ predicted");
    for column in &model.columns {
        csv.push(',');
        csv.push_str(&csv_field(column));
    }
    csv.push('\n');
    for (label, row) in model.rows.iter().zip(&model.cells) {
        csv.push_str(&csv_field(label));
        for value in row {
            csv.push(',');
            match mode {
                CellMode::Counts => csv.push_str(&cell_text(*value, mode)),
                CellMode::RowNormalised => csv.push_str(&value.to_string()),
            }
        }
        csv.push('\n');
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::HeatmapData;

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(file_stem("Loss/total loss"), "Loss_total_loss");
        assert_eq!(file_stem(""), "chart");
    }

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(csv_field("car"), "car");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("-3.5"), "-3.5");
    }

    #[test]
    fn experiment_csvs_merge_under_one_header_with_their_names() {
        let parts = vec![
            (
                "run, a".to_owned(),
                "series,step,value\ntrain,0,1.5\ntrain,1,\n".to_owned(),
            ),
            (
                "run-b".to_owned(),
                "series,step,value\nval,0,2\n".to_owned(),
            ),
        ];
        assert_eq!(
            merge_experiment_csvs(&parts),
            "experiment,series,step,value\n\"run, a\",train,0,1.5\n\"run, a\",train,1,\nrun-b,val,0,2\n"
        );
    }

    #[test]
    fn a_matrix_keeps_its_fp_and_fn_labels() {
        let data = HeatmapData {
            categories: vec!["car".into()],
            values: vec![vec![3.0, 1.0], vec![2.0, 0.0]],
        };
        let model = HeatmapModel::new(&data, CellMode::Counts).expect("2×2");
        assert_eq!(
            matrix_csv(&model, CellMode::Counts),
            "truth \\ predicted,car,FN\ncar,3,1\nFP,2,0\n"
        );
        let ratios = HeatmapModel::new(&data, CellMode::RowNormalised).expect("2×2");
        assert_eq!(
            matrix_csv(&ratios, CellMode::RowNormalised),
            "truth \\ predicted,car,FN\ncar,0.75,0.25\nFP,1,0\n"
        );
    }
}
