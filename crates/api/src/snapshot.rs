//! A published comparison: `trackboard-server snapshot` writes the dashboard plus
//! `snapshot/index.json` (this type) and the files it names, and the dashboard reads
//! them instead of an API when `config.json` says `"snapshot": "snapshot/index.json"`.
//!
//! Files under the snapshot directory:
//! - `index.json`: [`SnapshotIndex`];
//! - `images/{id}.{extension}`: each image of an IMAGE log, as stored;
//! - `series/{n}/{level}/{chunk}.bin`: the tiles of series `n` (see [`crate::tiles`]).

use crate::m4::{M4Reducer, Reduced};
use crate::tiles::{
    bucket_end, bucket_of, bucket_start, build_chunks, chunks_covering, cut_edges, level_for,
    reduce_tiles, stored_levels, Chunk, Point,
};
use crate::ComparedExperiments;
use serde::{Deserialize, Serialize};

/// `snapshot/index.json`: everything about the snapshot but the points and images.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapshotIndex {
    /// What the snapshot shows, for its banner (a saved view's name, or "N experiments").
    pub title: String,
    /// When it was taken, RFC 3339 in UTC.
    pub taken_at: String,
    /// The dashboard address the snapshot opens: `/compare?ids=…` with the view's state.
    pub view_path: String,
    /// The compared experiments with all their logs, as `compared-experiments` answers.
    pub compared: ComparedExperiments,
    /// Every series of every LINE log of those experiments.
    pub series: Vec<SnapshotSeries>,
    /// Every image of their IMAGE logs.
    pub images: Vec<SnapshotImage>,
}

/// One stored series and where its tiles are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapshotSeries {
    pub experiment_id: i64,
    pub log_name: String,
    /// The series' name within its log.
    pub name: String,
    pub first_step: Option<i64>,
    pub last_step: Option<i64>,
    /// Directory of its tiles, relative to the snapshot directory: `series/{n}`.
    pub dir: String,
    /// Each stored level with the chunk indices that hold points.
    pub levels: Vec<SnapshotLevel>,
}

/// The chunks of one level of a series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapshotLevel {
    pub level: u32,
    pub chunks: Vec<i64>,
}

/// An image and its media type (a static host may not know it from the name).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapshotImage {
    pub id: i64,
    pub content_type: String,
    /// Relative to the snapshot directory: `images/{id}.{png|jpg|webp|gif}`. Named
    /// with an extension, so no static host mistakes it for an app route.
    pub file: String,
}

impl SnapshotImage {
    /// The entry of image `id` of type `content_type` (as sniffed at upload).
    pub fn new(id: i64, content_type: &str) -> SnapshotImage {
        let extension = match content_type {
            "image/png" => "png",
            "image/jpeg" => "jpg",
            "image/webp" => "webp",
            "image/gif" => "gif",
            _ => "bin",
        };
        SnapshotImage {
            id,
            content_type: content_type.to_owned(),
            file: format!("images/{id}.{extension}"),
        }
    }
}

impl SnapshotSeries {
    /// The path of a chunk file, relative to the snapshot directory.
    pub fn chunk_path(&self, level: u32, chunk: i64) -> String {
        format!("{}/{level}/{chunk}.bin", self.dir)
    }

    /// The levels stored, in increasing order.
    pub fn level_numbers(&self) -> Vec<u32> {
        self.levels.iter().map(|level| level.level).collect()
    }

    /// The chunk indices stored at `level`.
    pub fn chunks_at(&self, level: u32) -> &[i64] {
        self.levels
            .iter()
            .find(|stored| stored.level == level)
            .map_or(&[], |stored| stored.chunks.as_slice())
    }
}

/// Builds the [`SnapshotSeries`] of `points` (in increasing step order) under `dir`,
/// with the chunk files to write beside it (path relative to the snapshot, chunk).
pub fn tile_series(
    experiment_id: i64,
    log_name: &str,
    name: &str,
    dir: String,
    points: &[Point],
) -> (SnapshotSeries, Vec<(String, Chunk)>) {
    let bounds = points.first().zip(points.last()).map(|(a, b)| (a.0, b.0));
    let mut series = SnapshotSeries {
        experiment_id,
        log_name: log_name.to_owned(),
        name: name.to_owned(),
        first_step: bounds.map(|(first, _)| first),
        last_step: bounds.map(|(_, last)| last),
        dir,
        levels: Vec::new(),
    };
    let mut files = Vec::new();
    if let Some((first, last)) = bounds {
        for level in stored_levels(first, last) {
            let chunks = build_chunks(points, level);
            series.levels.push(SnapshotLevel {
                level,
                chunks: chunks.iter().map(|(index, _)| *index).collect(),
            });
            files.extend(
                chunks
                    .into_iter()
                    .map(|(index, chunk)| (series.chunk_path(level, index), chunk)),
            );
        }
    }
    (series, files)
}

impl SnapshotSeries {
    /// The series over `from..=to` reduced for `width` columns, from its tiles: the
    /// level [`level_for`] picks and its cut edges, then the raw range when the range
    /// holds at most 4 × width points. `fetch` reads a chunk file by relative path.
    pub async fn read<F, Fut, C>(
        &self,
        from: i64,
        to: i64,
        width: u32,
        mut fetch: F,
    ) -> Result<Reduced, String>
    where
        F: FnMut(String) -> Fut,
        Fut: std::future::Future<Output = Result<C, String>>,
        C: std::borrow::Borrow<Chunk>,
    {
        // A bucket holding the series' first or last point is whole on that side even
        // when the range goes past it: nothing lies beyond to read raw.
        let (low, high) = (
            self.first_step.map_or(from, |first| from.max(first)),
            self.last_step.map_or(to, |last| to.min(last)),
        );
        if low > high {
            // No point in range: what the server answers for an empty range.
            return Ok(M4Reducer::new(from, to, width).finish());
        }
        let level = level_for(from, to, width, &self.level_numbers());
        let mut summaries = Vec::new();
        if level > 0 {
            for index in chunks_covering(from, to, level, self.chunks_at(level)) {
                summaries.push((index, fetch(self.chunk_path(level, index)).await?));
            }
        }
        let edges = if level == 0 {
            vec![(from, to)]
        } else {
            // Past the series' first or last point there is nothing: its bucket is whole.
            let low = match self.first_step {
                Some(first) if low == first => bucket_start(bucket_of(low, level), level),
                _ => low,
            };
            let high = match self.last_step {
                Some(last) if high == last => bucket_end(bucket_of(high, level), level),
                _ => high,
            };
            cut_edges(low, high, level)
        };
        let mut raw = Vec::new();
        for index in raw_chunks(self, &edges) {
            raw.push(fetch(self.chunk_path(0, index)).await?);
        }
        let request = (from, to, width);
        if let Some(reduced) = reduce_tiles(request, level, &edges, &summaries, &raw) {
            return Ok(reduced);
        }
        let whole = [(from, to)];
        let mut raw = Vec::new();
        for index in raw_chunks(self, &whole) {
            raw.push(fetch(self.chunk_path(0, index)).await?);
        }
        reduce_tiles::<C>(request, 0, &whole, &[], &raw)
            .ok_or_else(|| "the raw tiles did not answer".to_owned())
    }
}

/// The level-0 chunks covering each of `ranges`, each once.
fn raw_chunks(series: &SnapshotSeries, ranges: &[(i64, i64)]) -> Vec<i64> {
    let mut chunks: Vec<i64> = ranges
        .iter()
        .flat_map(|&(low, high)| chunks_covering(low, high, 0, series.chunks_at(0)))
        .collect();
    chunks.sort_unstable();
    chunks.dedup();
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::m4::{m4_reduce, pixel_column};
    use crate::tiles::bucket_of;
    use std::collections::HashMap;

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    fn random_series(rng: &mut Rng, len: usize, dense: bool) -> Vec<Point> {
        let mut step = (rng.next() % 1000) as i64 - 500;
        (0..len)
            .map(|_| {
                step += if dense {
                    1
                } else {
                    1 + (rng.next() % 7) as i64
                };
                let value = match rng.next() % 60 {
                    0 => None,
                    1..=4 => Some(2.5),
                    _ => Some((rng.next() % 100_000) as f64 / 3.0 - 9_000.0),
                };
                (step, value)
            })
            .collect()
    }

    /// Per column: lowest and highest value.
    fn extremes(
        steps: &[i64],
        values: &[Option<f64>],
        from: i64,
        to: i64,
        width: u32,
    ) -> Vec<(f64, f64)> {
        let mut columns = vec![(f64::INFINITY, f64::NEG_INFINITY); width as usize];
        for (step, value) in steps.iter().zip(values) {
            if let Some(v) = value {
                let column = &mut columns[pixel_column(*step, from, to, width) as usize];
                column.0 = column.0.min(*v);
                column.1 = column.1.max(*v);
            }
        }
        columns
    }

    /// Polls a future that never waits (its chunks come from memory) to its end.
    fn finished<T>(future: impl std::future::Future<Output = T>) -> T {
        let mut context = std::task::Context::from_waker(std::task::Waker::noop());
        let mut future = std::pin::pin!(future);
        match future.as_mut().poll(&mut context) {
            std::task::Poll::Ready(answer) => answer,
            std::task::Poll::Pending => panic!("a chunk read waited"),
        }
    }

    /// Reads `from..=to` at `width` from the tiles of `points` as the dashboard does;
    /// also answers the level read (0 when the raw points were).
    fn from_tiles(points: &[Point], from: i64, to: i64, width: u32) -> (Reduced, u32) {
        let (series, files) = tile_series(1, "loss", "train", "series/0".into(), points);
        let files: HashMap<String, Chunk> = files.into_iter().collect();
        let mut read_levels = Vec::new();
        let reduced = finished(series.read(from, to, width, |path: String| {
            read_levels.push(
                path.split('/')
                    .nth(2)
                    .and_then(|l| l.parse::<u32>().ok())
                    .unwrap_or(99),
            );
            let chunk = files.get(&path).cloned().ok_or(format!("no file {path}"));
            async move { chunk }
        }))
        .expect("reads");
        let summary = read_levels
            .iter()
            .copied()
            .filter(|&l| l > 0)
            .max()
            .unwrap_or(0);
        (reduced.clone(), if reduced.reduced { summary } else { 0 })
    }

    #[test]
    fn tiles_answer_what_the_server_answers_within_a_straddling_bucket() {
        let mut rng = Rng(0x7115_5eed_0000_0001);
        for round in 0..120 {
            let len = 1 + (rng.next() % 60_000) as usize;
            let points = random_series(&mut rng, len, round % 2 == 0);
            let (first, last) = (points[0].0, points[len - 1].0);
            let span = (last - first + 1) as u64;
            let from = first + (rng.next() % span.div_ceil(3)) as i64 - 20;
            let to = (last - (rng.next() % span.div_ceil(3)) as i64 + 20).max(from);
            let width = 1 + (rng.next() % 1_500) as u32;
            let server = m4_reduce(
                &points
                    .iter()
                    .copied()
                    .filter(|(step, _)| (from..=to).contains(step))
                    .collect::<Vec<_>>(),
                from,
                to,
                width,
            );
            let (tiles, level) = from_tiles(&points, from, to, width);
            assert_eq!(tiles.count, server.count, "round {round}: count");
            assert_eq!(tiles.reduced, server.reduced, "round {round}: reduced");
            assert!(tiles.steps.windows(2).all(|w| w[0] < w[1]), "round {round}");
            let real: std::collections::HashMap<i64, Option<f64>> =
                points.iter().copied().collect();
            for (step, value) in tiles.steps.iter().zip(&tiles.values) {
                assert_eq!(
                    real.get(step).map(|v| v.map(f64::to_bits)),
                    Some(value.map(f64::to_bits)),
                    "round {round}: only real points"
                );
            }
            if level == 0 {
                assert_eq!(
                    (&tiles.steps, &tiles.values),
                    (&server.steps, &server.values),
                    "round {round}: raw is exact"
                );
                continue;
            }
            // Columns whose every bucket lies inside them are exact; a column may differ
            // only where a bucket straddles one of its borders.
            let ours = extremes(&tiles.steps, &tiles.values, from, to, width);
            let theirs = extremes(&server.steps, &server.values, from, to, width);
            for column in 0..width {
                let (low, high) = (ours[column as usize], theirs[column as usize]);
                assert!(
                    low.0 >= high.0 && low.1 <= high.1,
                    "round {round} column {column}: never beyond the truth"
                );
                // The column's steps: from + ⌈c · span / width⌉ up to the next one's.
                let span = i128::from(to) - i128::from(from) + 1;
                let first_of = |c: i128| {
                    i128::from(from) + (c * span + i128::from(width) - 1) / i128::from(width)
                };
                let (start, next) = (
                    first_of(i128::from(column)),
                    first_of(i128::from(column) + 1),
                );
                let whole = start < next && {
                    let (start, end) = (start as i64, (next - 1) as i64);
                    (start == from || bucket_of(start, level) != bucket_of(start - 1, level))
                        && (end == to || bucket_of(end, level) != bucket_of(end + 1, level))
                };
                if whole {
                    assert_eq!(
                        low, high,
                        "round {round} column {column}: aligned column is exact"
                    );
                }
            }
        }
    }
}
