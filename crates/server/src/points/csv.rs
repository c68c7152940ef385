//! Every point of a LINE log as CSV (`series,step,value`, an empty value a gap),
//! streamed page by page so a series is never held whole in memory.

use crate::storage::{SeriesRow, Storage, StoreError};
use bytes::Bytes;
use futures_util::Stream;

/// The first line of the CSV.
pub const CSV_HEADER: &[u8] = b"series,step,value\n";
/// Points per database read while streaming.
const CSV_PAGE: u32 = 10_000;

/// The CSV of `series`, header first, one chunk per page of points.
pub fn csv_stream(
    storage: Storage,
    series: Vec<SeriesRow>,
) -> impl Stream<Item = Result<Bytes, StoreError>> {
    let header = futures_util::stream::once(async { Ok(Bytes::from_static(CSV_HEADER)) });
    let rows = futures_util::stream::try_unfold((0usize, None::<i64>), move |(index, after)| {
        let storage = storage.clone();
        let series = series.clone();
        async move {
            let mut index = index;
            let mut after = after;
            while let Some(row) = series.get(index) {
                let page = storage.points_after(row.id, after, CSV_PAGE).await?;
                let Some(&(last, _)) = page.last() else {
                    index += 1;
                    after = None;
                    continue;
                };
                return Ok(Some((csv_chunk(&row.name, &page), (index, Some(last)))));
            }
            Ok(None)
        }
    });
    futures_util::StreamExt::chain(header, rows)
}

fn csv_chunk(series: &str, page: &[(i64, Option<f64>)]) -> Bytes {
    let name = csv_field(series);
    let mut chunk = String::with_capacity(page.len() * 24);
    for (step, value) in page {
        chunk.push_str(&name);
        chunk.push(',');
        chunk.push_str(&step.to_string());
        chunk.push(',');
        if let Some(value) = value {
            chunk.push_str(&value.to_string());
        }
        chunk.push('\n');
    }
    Bytes::from(chunk)
}

/// A CSV field, quoted when it holds a comma, quote or line break.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_field("train"), "train");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn a_chunk_writes_gaps_as_empty_values() {
        let chunk = csv_chunk("a,b", &[(1, Some(0.5)), (2, None)]);
        assert_eq!(&chunk[..], b"\"a,b\",1,0.5\n\"a,b\",2,\n");
    }
}
