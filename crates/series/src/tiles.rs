//! A series stored as tiles, so a static snapshot can answer any zoom and width
//! without a server.
//!
//! Level 0 holds the raw points; level `k` ≥ [`FIRST_SUMMARY_LEVEL`] holds, for every
//! bucket of 2^k steps aligned to step 0, its M4 points (first, lowest, highest, last,
//! first gap) and how many points it had. Levels 1 and 2 are never stored: an M4 of at
//! most 4 points is the points themselves. Each level is cut into chunks of
//! [`CHUNK_BUCKETS`] buckets, one file each, so a chart fetches only what its range
//! covers.
//!
//! A chart `width` pixels wide over `from..=to` reads the coarsest level with at least
//! two buckets per pixel column, the raw points of the two buckets the range cuts, and
//! feeds them to the same [`M4Reducer`] the server uses. Points, count and `reduced` flag
//! equal the server's, with one bounded difference: a bucket that straddles a pixel
//! column's border contributes its own M4 points, so a column can miss an extreme that
//! the server's per-column M4 would keep (the bucket is at most half a pixel wide). When
//! the range holds at most 4 × width points, the raw points are read and the answer is
//! the server's exactly.
//!
//! A chunk's file format is in [`crate::tile_file`].

use crate::m4::{M4Reducer, Reduced};
use crate::Window;
use std::borrow::{Borrow, Cow};

/// Buckets per chunk file (raw points per file at level 0).
pub const CHUNK_BUCKETS: i128 = 4096;
/// The finest summarised level: buckets of 8 steps.
pub const FIRST_SUMMARY_LEVEL: u32 = 3;
/// Buckets of the coarsest stored level: fewer than two a column for any chart wider
/// than 32 pixels, so none reads past it.
const COARSEST_BUCKETS: i128 = 64;
/// Buckets per pixel column at least, when a summary level is read.
const BUCKETS_PER_COLUMN: i128 = 2;

/// A point: its step and value (`None` is a gap).
pub type Point = (i64, Option<f64>);

/// One chunk of a level.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chunk {
    /// In increasing step order.
    pub points: Vec<Point>,
    /// Non-empty buckets: (offset of the bucket within the chunk, points it held).
    /// Empty at level 0.
    pub buckets: Vec<(u32, u64)>,
}

/// The bucket of `step` at `level` (floor division by 2^level).
pub fn bucket_of(step: i64, level: u32) -> i128 {
    i128::from(step) >> level
}

/// The chunk holding `step` at `level`.
pub fn chunk_of(step: i64, level: u32) -> i64 {
    (bucket_of(step, level).div_euclid(CHUNK_BUCKETS)) as i64
}

/// The first step of `bucket` at `level`, clamped to `i64`.
pub(crate) fn bucket_start(bucket: i128, level: u32) -> i64 {
    (bucket << level).clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// The last step of `bucket` at `level`, clamped to `i64`.
pub(crate) fn bucket_end(bucket: i128, level: u32) -> i64 {
    (((bucket + 1) << level) - 1).clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// The levels worth storing for a series over `first..=last`: 0, then summaries up to
/// the first level with fewer than [`COARSEST_BUCKETS`] buckets, so a chart of any
/// width reads about as many points as it has columns, not more. Each level is at
/// most half the one below, so all of them together are at most the finest one again.
pub fn stored_levels(first: i64, last: i64) -> Vec<u32> {
    let mut levels = vec![0];
    for level in FIRST_SUMMARY_LEVEL..64 {
        levels.push(level);
        if bucket_of(last, level) - bucket_of(first, level) < COARSEST_BUCKETS {
            break;
        }
    }
    levels
}

/// The level a chart reads: the coarsest stored one with at least two buckets per
/// column, or 0 (raw) when none is that fine.
pub fn level_for(window: Window, stored: &[u32]) -> u32 {
    let wanted = window.span() / (BUCKETS_PER_COLUMN * i128::from(window.width.max(1)));
    stored
        .iter()
        .copied()
        .filter(|&level| level == 0 || (1i128 << level) <= wanted)
        .max()
        .unwrap_or(0)
}

/// Chunk indices of `level` that hold steps in `from..=to`, among those stored.
pub fn chunks_covering(from: i64, to: i64, level: u32, stored: &[i64]) -> Vec<i64> {
    let (first, last) = (chunk_of(from, level), chunk_of(to, level));
    stored
        .iter()
        .copied()
        .filter(|chunk| (first..=last).contains(chunk))
        .collect()
}

/// What a chart at `level` needs beyond the level's own chunks: the raw steps of the
/// buckets the range cuts through (none at level 0, none for a whole bucket).
pub fn cut_edges(from: i64, to: i64, level: u32) -> Vec<(i64, i64)> {
    if level == 0 {
        return Vec::new();
    }
    let (first, last) = (bucket_of(from, level), bucket_of(to, level));
    let mut edges = Vec::new();
    let first_cut =
        bucket_start(first, level) != from || (first == last && bucket_end(last, level) != to);
    if first_cut {
        edges.push((from, bucket_end(first, level).min(to)));
    }
    if last != first && bucket_end(last, level) != to {
        edges.push((bucket_start(last, level), to));
    }
    edges
}

/// The M4 of `from..=to` at `width` from tiles: `summaries` are the level's chunks
/// (index, chunk) covering the range, `edges` the step ranges of the buckets the range
/// cuts ([`cut_edges`]) and `raw` the level-0 chunks covering them (at level 0: the
/// whole range). `None` when the range holds at most 4 × width points and was read
/// from summaries: read the raw chunks of the range then.
pub fn reduce_tiles<C: Borrow<Chunk>>(
    window: Window,
    level: u32,
    edges: &[(i64, i64)],
    summaries: &[(i64, C)],
    raw: &[C],
) -> Option<Reduced> {
    let Window { from, to, width } = window;
    let mut reducer = M4Reducer::new(window);
    let raw_in = |low: i64, high: i64| {
        raw.iter()
            .flat_map(|chunk| chunk.borrow().points.iter().copied())
            .filter(move |(step, _)| (low..=high).contains(step))
    };
    if level == 0 {
        let mut points: Vec<Point> = raw_in(from, to).collect();
        points.sort_by_key(|(step, _)| *step);
        points.dedup_by_key(|(step, _)| *step);
        for (step, value) in points {
            reducer.push(step, value);
        }
        return Some(reducer.finish());
    }
    let cut = |bucket: i128| {
        edges
            .iter()
            .any(|&(low, _)| bucket_of(low, level) == bucket)
    };
    // (first step, points, how many points they summarise): edges read raw, whole
    // buckets as their summaries, borrowed from the chunk.
    let mut pieces: Vec<(i64, Cow<'_, [Point]>, u64)> = Vec::new();
    for &(low, high) in edges {
        let mut points: Vec<Point> = raw_in(low, high).collect();
        points.sort_by_key(|(step, _)| *step);
        points.dedup_by_key(|(step, _)| *step);
        let count = points.len() as u64;
        pieces.push((low, Cow::Owned(points), count));
    }
    let (first, last) = (bucket_of(from, level), bucket_of(to, level));
    for (index, chunk) in summaries {
        let chunk: &Chunk = chunk.borrow();
        let chunk_first = i128::from(*index) * CHUNK_BUCKETS;
        let mut at = 0;
        for &(offset, count) in &chunk.buckets {
            let bucket = chunk_first + i128::from(offset);
            let end = bucket_end(bucket, level);
            let start = at;
            while chunk.points.get(at).is_some_and(|&(step, _)| step <= end) {
                at += 1;
            }
            if (first..=last).contains(&bucket) && !cut(bucket) {
                let kept = &chunk.points[start..at];
                pieces.push((bucket_start(bucket, level), Cow::Borrowed(kept), count));
            }
        }
    }
    pieces.sort_by_key(|(start, _, _)| *start);
    let total: u64 = pieces.iter().map(|(_, _, count)| count).sum();
    if total <= 4 * u64::from(width.max(1)) {
        return None;
    }
    for (_, points, count) in pieces {
        reducer.push_summary(&points, count);
    }
    Some(reducer.finish())
}

/// The chunks of `level` for a series' points (in increasing step order).
pub fn build_chunks(points: &[Point], level: u32) -> Vec<(i64, Chunk)> {
    let mut chunks: Vec<(i64, Chunk)> = Vec::new();
    let mut at = 0;
    while at < points.len() {
        let bucket = bucket_of(points[at].0, level);
        let end = points[at..]
            .iter()
            .position(|(step, _)| bucket_of(*step, level) != bucket)
            .map_or(points.len(), |length| at + length);
        let chunk_index = bucket.div_euclid(CHUNK_BUCKETS) as i64;
        if chunks.last().is_none_or(|(index, _)| *index != chunk_index) {
            chunks.push((chunk_index, Chunk::default()));
        }
        let Some((_, chunk)) = chunks.last_mut() else {
            break;
        };
        if level == 0 {
            chunk.points.extend_from_slice(&points[at..end]);
        } else {
            let reduced = summary_of(&points[at..end], level, bucket);
            chunk.points.extend(reduced);
            let offset = bucket.rem_euclid(CHUNK_BUCKETS) as u32;
            chunk.buckets.push((offset, (end - at) as u64));
        }
        at = end;
    }
    chunks
}

/// The M4 points of one bucket, as the server's reducer would keep them with the
/// bucket as one column.
fn summary_of(points: &[Point], level: u32, bucket: i128) -> Vec<Point> {
    let mut reducer = M4Reducer::new(Window::new(
        bucket_start(bucket, level),
        bucket_end(bucket, level),
        1,
    ));
    // Past its raw limit, so the reducer answers the column's M4 points.
    reducer.push_summary(&[], 5);
    for &(step, value) in points {
        reducer.push(step, value);
    }
    let reduced = reducer.finish();
    reduced.steps.into_iter().zip(reduced.values).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_stop_once_a_series_fits_one_chunk() {
        assert_eq!(stored_levels(0, 99), vec![0, 3]);
        let levels = stored_levels(0, 99_999);
        assert_eq!(levels.first(), Some(&0));
        assert_eq!(levels.last(), Some(&11), "100,000 / 2^11 < 64");
        assert_eq!(level_for(Window::new(0, 99_999, 1000), &levels), 5);
        assert_eq!(level_for(Window::new(0, 99_999, 6000), &levels), 3);
        assert_eq!(
            level_for(Window::new(0, 9_999, 1000), &levels),
            0,
            "5 steps a column: raw"
        );
    }

    #[test]
    fn edges_are_the_cut_buckets_only() {
        assert_eq!(cut_edges(0, 15, 3), vec![]);
        assert_eq!(cut_edges(3, 15, 3), vec![(3, 7)]);
        assert_eq!(cut_edges(3, 12, 3), vec![(3, 7), (8, 12)]);
        assert_eq!(cut_edges(3, 5, 3), vec![(3, 5)]);
        assert_eq!(cut_edges(-8, -1, 3), vec![]);
    }
}
