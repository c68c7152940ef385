//! LINE points packed in blocks of [`BLOCK_POINTS`] (table `line_blocks`): what a
//! reduced read streams through the M4 reducer. Crossing the database driver costs
//! about a microsecond a row, so a million single-point rows took over a second; a
//! thousand blocks of 1,024 points take milliseconds, and the reducer sees exactly the
//! same points in the same order. Blocks are kept on append, in the same transaction
//! as the rows of `line_points`.

use sqlx::AnyConnection;

/// Points per block: 16 KiB of data, a thousand rows for a million points.
pub(super) const BLOCK_POINTS: usize = 1024;

/// Bytes of one point: its step (i64) and value (f64), little-endian.
const POINT_BYTES: usize = 16;

/// The bytes of `points`; a gap (no value) is stored as a NaN, which JSON cannot carry.
pub(super) fn encode(points: &[(i64, Option<f64>)]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(points.len() * POINT_BYTES);
    for &(step, value) in points {
        bytes.extend_from_slice(&step.to_le_bytes());
        bytes.extend_from_slice(&value.unwrap_or(f64::NAN).to_le_bytes());
    }
    bytes
}

/// The points of a block's bytes, or why they are not a block.
pub(super) fn decode(bytes: &[u8]) -> Result<Vec<(i64, Option<f64>)>, String> {
    points(bytes).map(Iterator::collect)
}

/// The points of a block's bytes one by one (a reduced read never collects them).
pub(super) fn points(
    bytes: &[u8],
) -> Result<impl Iterator<Item = (i64, Option<f64>)> + '_, String> {
    if !bytes.len().is_multiple_of(POINT_BYTES) {
        return Err(format!(
            "a block of {} bytes is not a whole number of points",
            bytes.len()
        ));
    }
    Ok(bytes.chunks_exact(POINT_BYTES).map(|point| {
        let (step, value) = point.split_at(8);
        let step = i64::from_le_bytes(step.try_into().expect("8 bytes"));
        let value = f64::from_le_bytes(value.try_into().expect("8 bytes"));
        (step, (!value.is_nan()).then_some(value))
    }))
}

/// Adds points (steps after the series' last) to the blocks of a series: the last
/// block fills up first, the rest go into new blocks.
pub(super) async fn append(
    connection: &mut AnyConnection,
    series_id: i64,
    steps: &[i64],
    values: &[Option<f64>],
) -> sqlx::Result<()> {
    let mut points: Vec<(i64, Option<f64>)> =
        steps.iter().copied().zip(values.iter().copied()).collect();
    let last: Option<(i64, Vec<u8>)> = sqlx::query_as(
        "SELECT id, data FROM line_blocks WHERE series_id = $1 ORDER BY last_step DESC LIMIT 1",
    )
    .bind(series_id)
    .fetch_optional(&mut *connection)
    .await?;
    if let Some((block_id, data)) = last {
        let mut block = decode(&data).map_err(|message| sqlx::Error::Decode(message.into()))?;
        if block.len() < BLOCK_POINTS {
            let taken = points.len().min(BLOCK_POINTS - block.len());
            block.extend(points.drain(..taken));
            let last_step = block.last().map_or(0, |&(step, _)| step);
            sqlx::query(
                "UPDATE line_blocks SET last_step = $1, points = $2, data = $3 WHERE id = $4",
            )
            .bind(last_step)
            .bind(block.len() as i64)
            .bind(encode(&block))
            .bind(block_id)
            .execute(&mut *connection)
            .await?;
        }
    }
    for block in points.chunks(BLOCK_POINTS) {
        let (Some(&(first_step, _)), Some(&(last_step, _))) = (block.first(), block.last()) else {
            continue;
        };
        sqlx::query(
            "INSERT INTO line_blocks (series_id, first_step, last_step, points, data) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(series_id)
        .bind(first_step)
        .bind(last_step)
        .bind(block.len() as i64)
        .bind(encode(block))
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{decode, encode};

    #[test]
    fn points_round_trip_with_their_gaps_and_extremes() {
        let points = vec![
            (i64::MIN, Some(f64::MAX)),
            (-1, None),
            (0, Some(-0.0)),
            (7, Some(f64::MIN_POSITIVE)),
            (i64::MAX, Some(-1e300)),
        ];
        let bytes = encode(&points);
        assert_eq!(bytes.len(), 5 * 16);
        let decoded = decode(&bytes).expect("decodes");
        assert_eq!(decoded.len(), points.len());
        for (got, want) in decoded.iter().zip(&points) {
            assert_eq!(got.0, want.0);
            assert_eq!(got.1.map(f64::to_bits), want.1.map(f64::to_bits));
        }
    }

    #[test]
    fn a_cut_block_is_an_error_not_a_guess() {
        let bytes = encode(&[(1, Some(2.0))]);
        assert!(decode(&bytes[..15]).expect_err("cut").contains("15 bytes"));
        assert_eq!(decode(&[]).expect("empty"), Vec::new());
    }
}
