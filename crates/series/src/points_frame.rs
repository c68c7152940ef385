//! The binary form of a points answer ([`LinePoints`], [`LineComparison`]), sent when
//! a client asks for [`POINTS_MEDIA_TYPE`]. A wide comparison holds hundreds of
//! thousands of points: as JSON that is ~10 MB of decimal text the dashboard's
//! WebAssembly spends hundreds of milliseconds parsing; as fixed-width numbers it is
//! copied, not parsed.
//!
//! Layout, every number little-endian:
//!
//! ```text
//! frame      = "TBP1" · kind: u8 (1 = points, 2 = comparison, 3 = comparisons) · body
//! comparisons = count: u32 · count × (byte length: u32 · a comparison's whole frame)
//! points     = experiment_id: i64 · log_name: string · range · width: u32 · series_list
//! comparison = log_name: string · range · width: u32
//!              · experiments: u32 · experiments × (experiment_id: i64 · series_list)
//! range      = from: optional · to: optional        optional = u8 0, or u8 1 · i64
//! series_list = count: u32 · count × series
//! series     = name: string · reduced: u8 (0/1) · points_in_range: u64 · n: u32
//!              · n × step: i64 · n × value: f64 (NaN = a gap: stored values are finite)
//! string     = byte length: u32 · UTF-8
//! ```

use trackboard_api::{
    gap_as_nan, nan_as_gap, ComparedLine, LineComparison, LineComparisons, LinePoints, SeriesPoints,
};

/// The media type of a points frame, for `Accept` and `Content-Type`.
pub const POINTS_MEDIA_TYPE: &str = "application/vnd.trackboard.points";

const MAGIC: &[u8; 4] = b"TBP1";
const KIND_POINTS: u8 = 1;
const KIND_COMPARISON: u8 = 2;
const KIND_COMPARISONS: u8 = 3;

/// Why bytes are not a points frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameError(pub String);

impl std::fmt::Display for FrameError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "not a points frame: {}", self.0)
    }
}

impl std::error::Error for FrameError {}

/// The frame of one experiment's points.
pub fn encode_points(points: &LinePoints) -> Vec<u8> {
    let mut out = Writer::for_series(&points.series);
    out.header(KIND_POINTS);
    out.i64(points.experiment_id);
    out.string(&points.log_name);
    out.range(points.from, points.to, points.width);
    out.series_list(&points.series);
    out.0
}

/// The frame of a comparison.
pub fn encode_comparison(comparison: &LineComparison) -> Vec<u8> {
    let mut out = Writer::for_series(comparison.experiments.iter().flat_map(|e| &e.series));
    out.header(KIND_COMPARISON);
    out.string(&comparison.log_name);
    out.range(comparison.from, comparison.to, comparison.width);
    out.u32(comparison.experiments.len() as u32);
    for experiment in &comparison.experiments {
        out.i64(experiment.experiment_id);
        out.series_list(&experiment.series);
    }
    out.0
}

/// The frame of several comparisons: each one's own frame, length-prefixed, so a
/// reader can hand every chart its comparison without copying the others.
pub fn encode_comparisons(batch: &LineComparisons) -> Vec<u8> {
    let frames: Vec<Vec<u8>> = batch.comparisons.iter().map(encode_comparison).collect();
    let mut out = Writer(Vec::with_capacity(
        16 + frames.iter().map(|frame| 4 + frame.len()).sum::<usize>(),
    ));
    out.header(KIND_COMPARISONS);
    out.u32(frames.len() as u32);
    for frame in &frames {
        out.u32(frame.len() as u32);
        out.0.extend_from_slice(frame);
    }
    out.0
}

/// One experiment's points from their frame.
pub fn decode_points(bytes: &[u8]) -> Result<LinePoints, FrameError> {
    let mut input = Reader { bytes, at: 0 };
    input.header(KIND_POINTS)?;
    let experiment_id = input.i64()?;
    let log_name = input.string()?;
    let (from, to, width) = input.range()?;
    let series = input.series_list()?;
    input.end()?;
    Ok(LinePoints {
        experiment_id,
        log_name,
        from,
        to,
        width,
        series,
    })
}

/// A comparison from its frame.
pub fn decode_comparison(bytes: &[u8]) -> Result<LineComparison, FrameError> {
    let mut input = Reader { bytes, at: 0 };
    input.header(KIND_COMPARISON)?;
    let log_name = input.string()?;
    let (from, to, width) = input.range()?;
    let count = input.count(8 + 4)?;
    let mut experiments = Vec::with_capacity(count);
    for _ in 0..count {
        experiments.push(ComparedLine {
            experiment_id: input.i64()?,
            series: input.series_list()?,
        });
    }
    input.end()?;
    Ok(LineComparison {
        log_name,
        from,
        to,
        width,
        experiments,
    })
}

/// Several comparisons from their frame.
pub fn decode_comparisons(bytes: &[u8]) -> Result<LineComparisons, FrameError> {
    let mut input = Reader { bytes, at: 0 };
    input.header(KIND_COMPARISONS)?;
    let count = input.count(4)?;
    let mut comparisons = Vec::with_capacity(count);
    for _ in 0..count {
        let length = input.count(1)?;
        comparisons.push(decode_comparison(input.take(length)?)?);
    }
    input.end()?;
    Ok(LineComparisons { comparisons })
}

struct Writer(Vec<u8>);

impl Writer {
    /// A writer with room for the frame of `series`, so it never reallocates.
    fn for_series<'a>(series: impl IntoIterator<Item = &'a SeriesPoints>) -> Writer {
        let size: usize = series
            .into_iter()
            .map(|s| 32 + s.name.len() + 16 * s.steps.len())
            .sum();
        Writer(Vec::with_capacity(64 + size))
    }

    fn header(&mut self, kind: u8) {
        self.0.extend_from_slice(MAGIC);
        self.0.push(kind);
    }

    fn u32(&mut self, value: u32) {
        self.0.extend_from_slice(&value.to_le_bytes());
    }

    fn i64(&mut self, value: i64) {
        self.0.extend_from_slice(&value.to_le_bytes());
    }

    fn string(&mut self, text: &str) {
        self.u32(text.len() as u32);
        self.0.extend_from_slice(text.as_bytes());
    }

    fn optional(&mut self, value: Option<i64>) {
        match value {
            None => self.0.push(0),
            Some(value) => {
                self.0.push(1);
                self.i64(value);
            }
        }
    }

    fn range(&mut self, from: Option<i64>, to: Option<i64>, width: u32) {
        self.optional(from);
        self.optional(to);
        self.u32(width);
    }

    fn series_list(&mut self, list: &[SeriesPoints]) {
        self.u32(list.len() as u32);
        for series in list {
            self.string(&series.name);
            self.0.push(u8::from(series.reduced));
            self.0
                .extend_from_slice(&series.points_in_range.to_le_bytes());
            // Steps and values are paired; a value missing from the end is a gap.
            self.u32(series.steps.len() as u32);
            for step in &series.steps {
                self.i64(*step);
            }
            for index in 0..series.steps.len() {
                let value = series.values.get(index).copied().flatten();
                self.0.extend_from_slice(&gap_as_nan(value).to_le_bytes());
            }
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, length: usize) -> Result<&'a [u8], FrameError> {
        let end = self
            .at
            .checked_add(length)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| {
                FrameError(format!(
                    "it ends at byte {} where {length} more were expected",
                    self.bytes.len()
                ))
            })?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], FrameError> {
        let mut array = [0; N];
        array.copy_from_slice(self.take(N)?);
        Ok(array)
    }

    fn header(&mut self, kind: u8) -> Result<(), FrameError> {
        if self.take(4)? != MAGIC {
            return Err(FrameError("it does not start with TBP1".into()));
        }
        let found = self.array::<1>()?[0];
        if found != kind {
            return Err(FrameError(format!("kind {found}, expected {kind}")));
        }
        Ok(())
    }

    fn u32(&mut self) -> Result<u32, FrameError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn i64(&mut self) -> Result<i64, FrameError> {
        Ok(i64::from_le_bytes(self.array()?))
    }

    /// A count of items at least `item_size` bytes each: never more than the bytes
    /// left could hold, so a corrupt count cannot make a huge allocation.
    fn count(&mut self, item_size: usize) -> Result<usize, FrameError> {
        let count = self.u32()? as usize;
        let left = self.bytes.len() - self.at;
        if count.saturating_mul(item_size) > left {
            return Err(FrameError(format!(
                "it counts {count} items but only {left} bytes are left"
            )));
        }
        Ok(count)
    }

    fn string(&mut self) -> Result<String, FrameError> {
        let length = self.u32()? as usize;
        let bytes = self.take(length)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| FrameError("a name is not UTF-8".into()))
    }

    fn optional(&mut self) -> Result<Option<i64>, FrameError> {
        match self.array::<1>()?[0] {
            0 => Ok(None),
            1 => Ok(Some(self.i64()?)),
            other => Err(FrameError(format!("an optional is marked {other}"))),
        }
    }

    fn range(&mut self) -> Result<(Option<i64>, Option<i64>, u32), FrameError> {
        Ok((self.optional()?, self.optional()?, self.u32()?))
    }

    fn series_list(&mut self) -> Result<Vec<SeriesPoints>, FrameError> {
        let count = self.count(4 + 1 + 8 + 4)?;
        let mut list = Vec::with_capacity(count);
        for _ in 0..count {
            let name = self.string()?;
            let reduced = match self.array::<1>()?[0] {
                0 => false,
                1 => true,
                other => return Err(FrameError(format!("reduced is {other}"))),
            };
            let points_in_range = u64::from_le_bytes(self.array()?);
            let length = self.count(16)?;
            let steps = self
                .take(8 * length)?
                .chunks_exact(8)
                .map(|chunk| i64::from_le_bytes(chunk.try_into().unwrap_or_default()))
                .collect();
            let values = self
                .take(8 * length)?
                .chunks_exact(8)
                .map(|chunk| nan_as_gap(f64::from_le_bytes(chunk.try_into().unwrap_or_default())))
                .collect();
            list.push(SeriesPoints {
                name,
                steps,
                values,
                reduced,
                points_in_range,
            });
        }
        Ok(list)
    }

    fn end(&self) -> Result<(), FrameError> {
        match self.bytes.len() - self.at {
            0 => Ok(()),
            extra => Err(FrameError(format!("{extra} bytes follow its end"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(name: &str, points: &[(i64, Option<f64>)]) -> SeriesPoints {
        SeriesPoints {
            name: name.into(),
            steps: points.iter().map(|p| p.0).collect(),
            values: points.iter().map(|p| p.1).collect(),
            reduced: points.len() > 2,
            points_in_range: 7 * points.len() as u64,
        }
    }

    fn comparison() -> LineComparison {
        LineComparison {
            log_name: "loss · 損失".into(),
            from: Some(-5),
            to: None,
            width: 1_234,
            experiments: vec![
                ComparedLine {
                    experiment_id: 3,
                    series: vec![
                        series("train", &[(-5, Some(0.5)), (0, None), (9, Some(-1e300))]),
                        series("", &[]),
                    ],
                },
                ComparedLine {
                    experiment_id: i64::MAX,
                    series: vec![],
                },
                ComparedLine {
                    experiment_id: 8,
                    series: vec![series("val", &[(i64::MIN, Some(f64::MIN_POSITIVE))])],
                },
            ],
        }
    }

    #[test]
    fn a_comparison_comes_back_exactly() {
        let sent = comparison();
        assert_eq!(decode_comparison(&encode_comparison(&sent)), Ok(sent));
    }

    #[test]
    fn points_come_back_exactly() {
        let sent = LinePoints {
            experiment_id: 42,
            log_name: "accuracy".into(),
            from: None,
            to: Some(i64::MAX),
            width: 1,
            series: comparison().experiments.swap_remove(0).series,
        };
        assert_eq!(decode_points(&encode_points(&sent)), Ok(sent));
    }

    #[test]
    fn a_batch_of_comparisons_comes_back_exactly_and_truncations_are_refused() {
        let mut other = comparison();
        other.log_name = "accuracy".into();
        other.from = None;
        let sent = LineComparisons {
            comparisons: vec![comparison(), other],
        };
        let bytes = encode_comparisons(&sent);
        assert_eq!(decode_comparisons(&bytes), Ok(sent));
        assert_eq!(
            decode_comparisons(&encode_comparisons(&LineComparisons {
                comparisons: vec![]
            })),
            Ok(LineComparisons {
                comparisons: vec![]
            })
        );
        for length in 0..bytes.len() {
            assert!(decode_comparisons(&bytes[..length]).is_err(), "{length}");
        }
        assert!(decode_comparison(&bytes)
            .expect_err("a batch is not one comparison")
            .0
            .contains("kind 3"));
    }

    #[test]
    fn every_truncation_is_refused_not_misread() {
        let bytes = encode_comparison(&comparison());
        for length in 0..bytes.len() {
            assert!(
                decode_comparison(&bytes[..length]).is_err(),
                "{length} of {} bytes were accepted",
                bytes.len()
            );
        }
    }

    #[test]
    fn the_wrong_kind_trailing_bytes_and_huge_counts_are_refused() {
        let bytes = encode_comparison(&comparison());
        assert!(decode_points(&bytes)
            .expect_err("a comparison is not points")
            .0
            .contains("kind 2"));
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode_comparison(&longer)
            .expect_err("trailing bytes")
            .0
            .contains("1 bytes follow"));
        // The experiment count sits after magic, kind, name, range and width.
        let at = 5 + 4 + "loss · 損失".len() + 9 + 1 + 4;
        let mut huge = bytes;
        huge[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode_comparison(&huge)
            .expect_err("a huge count")
            .0
            .contains("items"));
    }
}
