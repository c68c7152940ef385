//! Exports that stream: a project's results table as CSV, one row per experiment,
//! every VALUE log (and one-series LINE log's last value) and every parameter a column
//! (seed 004's "results as a DataFrame").
//! No HTTP here: the route names the file.

use crate::points::csv_field;
use crate::storage::{ResultRow, ResultsOf, Storage, StoreError};
use bytes::Bytes;
use futures_util::Stream;
use trackboard_api::Scalar;

/// Experiments read per page while streaming.
const PAGE: u32 = 500;
/// The prefix of parameter columns, so a parameter and a VALUE log may share a name.
pub const PARAMETER_PREFIX: &str = "parameters.";

/// The CSV of a project's results (or of those of its experiments that used a dataset
/// version): `experiment_id,name,status,created_at`, each VALUE log
/// name (or one-series LINE log's, by its last value), then `parameters.` + each parameter name; an empty cell is a value the
/// experiment did not log.
pub async fn results_csv(
    storage: Storage,
    of: ResultsOf,
) -> Result<impl Stream<Item = Result<Bytes, StoreError>>, StoreError> {
    let (values, parameters) = storage.result_columns(of).await?;
    let mut header: Vec<String> = ["experiment_id", "name", "status", "created_at"]
        .iter()
        .map(|column| (*column).to_owned())
        .collect();
    header.extend(values.iter().cloned());
    header.extend(
        parameters
            .iter()
            .map(|key| format!("{PARAMETER_PREFIX}{key}")),
    );
    let first = Bytes::from(line(header.iter().map(String::as_str)));
    let head = futures_util::stream::once(async move { Ok(first) });
    let rows = futures_util::stream::try_unfold(Some(0_i64), move |after| {
        let storage = storage.clone();
        let (values, parameters) = (values.clone(), parameters.clone());
        async move {
            let Some(after) = after else {
                return Ok(None);
            };
            let page = storage.result_rows(of, after, PAGE).await?;
            let next =
                (page.len() == PAGE as usize).then(|| page.last().map_or(after, |row| row.id));
            if page.is_empty() {
                return Ok(None);
            }
            let chunk: String = page
                .iter()
                .map(|row| row_line(row, &values, &parameters))
                .collect();
            Ok(Some((Bytes::from(chunk), next)))
        }
    });
    Ok(futures_util::StreamExt::chain(head, rows))
}

fn row_line(row: &ResultRow, values: &[String], parameters: &[String]) -> String {
    let id = row.id.to_string();
    let mut cells: Vec<String> = vec![
        id,
        row.name.clone(),
        row.status.clone(),
        row.created_at.clone(),
    ];
    cells.extend(values.iter().map(|name| cell(row.values.get(name))));
    cells.extend(parameters.iter().map(|key| cell(row.parameters.get(key))));
    line(cells.iter().map(String::as_str))
}

fn cell(scalar: Option<&Scalar>) -> String {
    match scalar {
        None => String::new(),
        Some(Scalar::Bool(flag)) => flag.to_string(),
        Some(Scalar::Number(number)) => number.to_string(),
        Some(Scalar::Text(text)) => text.clone(),
    }
}

fn line<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let mut text = cells.map(csv_field).collect::<Vec<_>>().join(",");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_numbers_exact_and_quote_text() {
        let number = serde_json::Number::from_f64(-0.21899245768679843).expect("finite");
        assert_eq!(cell(Some(&Scalar::Number(number))), "-0.21899245768679843");
        assert_eq!(cell(None), "");
        assert_eq!(
            line(["a,b", "say \"hi\"", ""].into_iter()),
            "\"a,b\",\"say \"\"hi\"\"\",\n"
        );
    }
}
