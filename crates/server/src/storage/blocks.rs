//! LINE points packed in blocks of [`BLOCK_POINTS`] (table `line_blocks`): what a
//! reduced read streams through the M4 reducer. Crossing the database driver costs
//! about a microsecond a row, so a million single-point rows took over a second; a
//! few hundred blocks of 4,096 points take milliseconds, and the reducer sees exactly the
//! same points in the same order. Blocks are kept on append, in the same transaction
//! as the rows of `line_points`.

use super::StoreResult;
use crate::domain::{m4_reduce, Window};
use sqlx::AnyConnection;
use trackboard_api::{gap_as_nan, nan_as_gap};

/// Points per block: 32 KiB (dense) to 64 KiB of data, 245 rows for a million points.
/// Measured against 1,024: a million-point read at 1,000 px took 16.6 ms median / 25.1 ms
/// p95 instead of 19.6 / 29.1 (fewer rows handed across the driver's thread).
pub(super) const BLOCK_POINTS: usize = 4096;

/// The layouts of a block's bytes, told apart by their length (`points` is stored):
/// dense, when the steps are `first_step, first_step + 1, …` (the common case: steps
/// counted by the server), holds only the values, 8 bytes each; sparse holds each
/// point's step and value, 16 bytes. Numbers are little-endian; a gap (no value) is
/// a NaN, which JSON cannot carry.
const VALUE_BYTES: usize = 8;
const POINT_BYTES: usize = 16;

/// The bytes of `points`, dense when their steps are consecutive.
pub(super) fn encode(points: &[(i64, Option<f64>)]) -> Vec<u8> {
    let dense = points
        .windows(2)
        .all(|pair| pair[0].0.checked_add(1) == Some(pair[1].0));
    let mut bytes =
        Vec::with_capacity(points.len() * if dense { VALUE_BYTES } else { POINT_BYTES });
    for &(step, value) in points {
        if !dense {
            bytes.extend_from_slice(&step.to_le_bytes());
        }
        bytes.extend_from_slice(&gap_as_nan(value).to_le_bytes());
    }
    bytes
}

/// A block's summary: its M4 points as one pixel column draws them (first, lowest,
/// highest, last and first gap, each step once, in step order), each as its step and
/// value (NaN: the gap), 16 bytes a point. Pushing these into an M4 reducer leaves a
/// column exactly as pushing all the block's points would (M4 of M4 is the same M4), so
/// a read takes a block that lies within one column from its summary alone.
pub(super) fn summary(points: &[(i64, Option<f64>)]) -> Vec<u8> {
    let (Some(&(first, _)), Some(&(last, _))) = (points.first(), points.last()) else {
        return Vec::new();
    };
    let reduced = m4_reduce(points, Window::new(first, last, 1));
    let mut bytes = Vec::with_capacity(reduced.steps.len() * POINT_BYTES);
    for (step, value) in reduced.steps.iter().zip(&reduced.values) {
        bytes.extend_from_slice(&step.to_le_bytes());
        bytes.extend_from_slice(&gap_as_nan(*value).to_le_bytes());
    }
    bytes
}

/// The points of a summary's bytes, or why they are not a summary.
pub(super) fn summary_points(bytes: &[u8]) -> Result<Vec<(i64, Option<f64>)>, String> {
    if !bytes.len().is_multiple_of(POINT_BYTES) {
        return Err(format!("a block summary of {} bytes", bytes.len()));
    }
    decode(0, bytes.len() / POINT_BYTES, bytes)
}

/// The points of a block of `count` points starting at `first_step`, or why its bytes
/// are not such a block.
pub(super) fn decode(
    first_step: i64,
    count: usize,
    bytes: &[u8],
) -> Result<Vec<(i64, Option<f64>)>, String> {
    points(first_step, count, bytes).map(Iterator::collect)
}

/// The values of a dense block (NaN = a gap) into `out`, replacing what it held;
/// `false` (and `out` untouched) when the block is sparse.
pub(super) fn dense_values(count: usize, bytes: &[u8], out: &mut Vec<f64>) -> bool {
    if bytes.len() != count * VALUE_BYTES {
        return false;
    }
    out.clear();
    out.extend(
        bytes
            .chunks_exact(VALUE_BYTES)
            .map(|chunk| f64::from_le_bytes(chunk.try_into().unwrap_or_default())),
    );
    true
}

/// The points of a block one by one (a reduced read never collects them).
pub(super) fn points(
    first_step: i64,
    count: usize,
    bytes: &[u8],
) -> Result<impl Iterator<Item = (i64, Option<f64>)> + '_, String> {
    let dense = bytes.len() == count * VALUE_BYTES;
    if !dense && bytes.len() != count * POINT_BYTES {
        return Err(format!(
            "a block of {} bytes cannot hold {count} points",
            bytes.len()
        ));
    }
    let number = |at: usize| -> [u8; 8] { bytes[at..at + 8].try_into().expect("8 bytes") };
    Ok((0..count).map(move |index| {
        let (step, value) = if dense {
            (
                first_step + index as i64,
                f64::from_le_bytes(number(index * VALUE_BYTES)),
            )
        } else {
            let at = index * POINT_BYTES;
            (
                i64::from_le_bytes(number(at)),
                f64::from_le_bytes(number(at + 8)),
            )
        };
        (step, nan_as_gap(value))
    }))
}

/// Adds points (steps after the series' last) to the blocks of a series: the last
/// block fills up first, the rest go into new blocks.
pub(super) async fn append(
    connection: &mut AnyConnection,
    series_id: i64,
    steps: &[i64],
    values: &[Option<f64>],
) -> StoreResult<()> {
    let mut points: Vec<(i64, Option<f64>)> =
        steps.iter().copied().zip(values.iter().copied()).collect();
    let last: Option<(i64, i64, i64, Vec<u8>)> = sqlx::query_as(
        "SELECT id, first_step, points, data FROM line_blocks WHERE series_id = $1 ORDER BY last_step DESC LIMIT 1",
    )
    .bind(series_id)
    .fetch_optional(&mut *connection)
    .await?;
    if let Some((block_id, first_step, count, data)) = last {
        let mut block = decode(first_step, count as usize, &data)
            .map_err(|message| sqlx::Error::Decode(message.into()))?;
        if block.len() < BLOCK_POINTS {
            let taken = points.len().min(BLOCK_POINTS - block.len());
            block.extend(points.drain(..taken));
            rewrite(connection, block_id, first_step, &block).await?;
        }
    }
    for block in points.chunks(BLOCK_POINTS) {
        let (Some(&(first_step, _)), Some(&(last_step, _))) = (block.first(), block.last()) else {
            continue;
        };
        sqlx::query(
            "INSERT INTO line_blocks (series_id, first_step, last_step, points, data, summary) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(series_id)
        .bind(first_step)
        .bind(last_step)
        .bind(block.len() as i64)
        .bind(encode(block))
        .bind(summary(block))
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}

/// Drops a series' packed points at and after `from_step`: whole blocks go, the block
/// that straddles it keeps its earlier points.
pub(super) async fn truncate(
    connection: &mut AnyConnection,
    series_id: i64,
    from_step: i64,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM line_blocks WHERE series_id = $1 AND first_step >= $2")
        .bind(series_id)
        .bind(from_step)
        .execute(&mut *connection)
        .await?;
    let straddling: Option<(i64, i64, i64, Vec<u8>)> = sqlx::query_as(
        "SELECT id, first_step, points, data FROM line_blocks WHERE series_id = $1 AND last_step >= $2",
    )
    .bind(series_id)
    .bind(from_step)
    .fetch_optional(&mut *connection)
    .await?;
    if let Some((block_id, first_step, count, data)) = straddling {
        let kept: Vec<(i64, Option<f64>)> = decode(first_step, count as usize, &data)
            .map_err(|message| sqlx::Error::Decode(message.into()))?
            .into_iter()
            .filter(|&(step, _)| step < from_step)
            .collect();
        rewrite(connection, block_id, first_step, &kept).await?;
    }
    Ok(())
}

/// Stores `points` as block `block_id` (which starts at `first_step`): its bytes, its
/// last step, its count and its summary together, so they never disagree.
async fn rewrite(
    connection: &mut AnyConnection,
    block_id: i64,
    first_step: i64,
    points: &[(i64, Option<f64>)],
) -> StoreResult<()> {
    let last_step = points.last().map_or(first_step, |&(step, _)| step);
    sqlx::query(
        "UPDATE line_blocks SET last_step = $1, points = $2, data = $3, summary = $4 \
         WHERE id = $5",
    )
    .bind(last_step)
    .bind(points.len() as i64)
    .bind(encode(points))
    .bind(summary(points))
    .bind(block_id)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{decode, dense_values, encode};

    fn same(got: &[(i64, Option<f64>)], want: &[(i64, Option<f64>)]) {
        assert_eq!(got.len(), want.len());
        for (got, want) in got.iter().zip(want) {
            assert_eq!(got.0, want.0);
            assert_eq!(got.1.map(f64::to_bits), want.1.map(f64::to_bits));
        }
    }

    #[test]
    fn scattered_steps_round_trip_with_their_gaps_and_extremes() {
        let points = vec![
            (i64::MIN, Some(f64::MAX)),
            (-1, None),
            (0, Some(-0.0)),
            (7, Some(f64::MIN_POSITIVE)),
            (i64::MAX, Some(-1e300)),
        ];
        let bytes = encode(&points);
        assert_eq!(bytes.len(), 5 * 16, "sparse: a step and a value each");
        same(&decode(i64::MIN, 5, &bytes).expect("decodes"), &points);
    }

    #[test]
    fn consecutive_steps_keep_only_their_values() {
        let points: Vec<(i64, Option<f64>)> = (41..46)
            .map(|step| (step, (step != 43).then_some(step as f64 / 3.0)))
            .collect();
        let bytes = encode(&points);
        assert_eq!(bytes.len(), 5 * 8, "dense: values only");
        same(&decode(41, 5, &bytes).expect("decodes"), &points);
        let mut values = vec![99.0];
        assert!(dense_values(5, &bytes, &mut values));
        assert_eq!(values.len(), 5, "replaced, not appended");
        assert!(values[2].is_nan(), "the gap is a NaN");
        assert_eq!(values[4], 45.0 / 3.0);
        let sparse = encode(&[(1, Some(2.0)), (5, Some(3.0))]);
        assert!(!dense_values(2, &sparse, &mut values));
        assert_eq!(values.len(), 5, "a sparse block leaves the buffer alone");
        // Steps that would overflow are never taken for consecutive.
        let edge = [(i64::MAX - 1, Some(1.0)), (i64::MAX, Some(2.0))];
        same(
            &decode(i64::MAX - 1, 2, &encode(&edge)).expect("decodes"),
            &edge,
        );
    }

    #[test]
    fn bytes_that_fit_neither_layout_are_an_error_not_a_guess() {
        let bytes = encode(&[(1, Some(2.0)), (5, Some(3.0))]);
        assert!(decode(1, 2, &bytes[..31])
            .expect_err("cut")
            .contains("31 bytes"));
        assert!(
            decode(1, 3, &bytes).is_err(),
            "32 bytes are neither 3 × 8 nor 3 × 16"
        );
        assert_eq!(decode(0, 0, &[]).expect("empty"), Vec::new());
    }
}
