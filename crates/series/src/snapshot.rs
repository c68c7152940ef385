//! A published comparison: `trackboard-server snapshot` writes the dashboard plus
//! `snapshot/index.json` (this type) and the files it names, and the dashboard reads
//! them instead of an API when `config.json` says `"snapshot": "snapshot/index.json"`.
//!
//! Files under the snapshot directory:
//! - `index.json`: [`SnapshotIndex`];
//! - `images/{id}.{extension}`: each image of an IMAGE log, as stored;
//! - `logs/{n}/{level}/{chunk}.bin`: the tiles of every series of LINE log `n` (a
//!   chart draws them together, so one file serves it: see [`crate::tiles`] and
//!   [`crate::tile_file`]).

use crate::m4::{M4Reducer, Reduced};
use crate::tiles::{
    bucket_end, bucket_of, bucket_start, build_chunks, chunks_covering, cut_edges, level_for,
    reduce_tiles, stored_levels, Chunk, Point,
};
use crate::Window;
use serde::{Deserialize, Serialize};
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use trackboard_api::ComparedExperiments;

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
    /// Every LINE log name of those experiments, with its series and tiles.
    pub lines: Vec<SnapshotLine>,
    /// Every image of their IMAGE logs.
    pub images: Vec<SnapshotImage>,
}

/// One LINE log name across the snapshot's experiments: its series (in experiment order,
/// then the server's series order) and the chunks stored at each level. A chunk file
/// holds the chunk of every series, so a chart reads one file per chunk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapshotLine {
    pub log_name: String,
    /// Directory of its tiles, relative to the snapshot directory: `logs/{n}`.
    pub dir: String,
    pub series: Vec<SnapshotSeries>,
    /// Each stored level with the chunk indices that hold points of any series.
    pub levels: Vec<SnapshotLevel>,
}

/// One series of a LINE log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapshotSeries {
    pub experiment_id: i64,
    /// The series' name within its log.
    pub name: String,
    pub first_step: Option<i64>,
    pub last_step: Option<i64>,
}

/// The chunks of one level.
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

/// A series' points (in increasing step order) with where they belong.
pub struct SeriesPoints<'a> {
    pub experiment_id: i64,
    pub name: &'a str,
    pub points: &'a [Point],
}

/// Builds the [`SnapshotLine`] of a log's series under `dir`, with the files to write
/// beside it: (path relative to the snapshot, one chunk per series, empty where a
/// series has no point in it).
pub fn tile_line(
    log_name: &str,
    dir: String,
    every: &[SeriesPoints<'_>],
) -> (SnapshotLine, Vec<(String, Vec<Chunk>)>) {
    let mut line = SnapshotLine {
        log_name: log_name.to_owned(),
        dir,
        series: every
            .iter()
            .map(|series| SnapshotSeries {
                experiment_id: series.experiment_id,
                name: series.name.to_owned(),
                first_step: series.points.first().map(|p| p.0),
                last_step: series.points.last().map(|p| p.0),
            })
            .collect(),
        levels: Vec::new(),
    };
    let first = line.series.iter().filter_map(|s| s.first_step).min();
    let last = line.series.iter().filter_map(|s| s.last_step).max();
    let mut files = Vec::new();
    let (Some(first), Some(last)) = (first, last) else {
        return (line, files);
    };
    for level in stored_levels(first, last) {
        let mut chunks: BTreeMap<i64, Vec<Chunk>> = BTreeMap::new();
        for (position, series) in every.iter().enumerate() {
            for (index, chunk) in build_chunks(series.points, level) {
                chunks
                    .entry(index)
                    .or_insert_with(|| vec![Chunk::default(); every.len()])[position] = chunk;
            }
        }
        line.levels.push(SnapshotLevel {
            level,
            chunks: chunks.keys().copied().collect(),
        });
        for (index, pack) in chunks {
            files.push((line.chunk_path(level, index), pack));
        }
    }
    (line, files)
}

impl SnapshotLine {
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

    /// Series `wanted` (positions in [`SnapshotLine::series`]) over `from..=to`, each
    /// reduced for `width` columns from the tiles, as the server reduces it: the level
    /// [`level_for`] picks and the raw points of the buckets the range cuts, then the
    /// raw range for a series with at most 4 × width points in it. `fetch` reads a
    /// chunk file (every series' chunk) by relative path; each file is read once.
    pub async fn read<F, Fut, P>(
        &self,
        wanted: &[usize],
        window: Window,
        mut fetch: F,
    ) -> Result<Vec<Reduced>, String>
    where
        F: FnMut(String) -> Fut,
        Fut: std::future::Future<Output = Result<P, String>>,
        P: std::ops::Deref<Target = [Chunk]>,
    {
        let Window { from, to, .. } = window;
        let level = level_for(window, &self.level_numbers());
        let plans: Vec<Option<Vec<(i64, i64)>>> = wanted
            .iter()
            .map(|&position| {
                self.series
                    .get(position)
                    .and_then(|s| s.edges(from, to, level))
            })
            .collect();
        let mut files: BTreeMap<String, P> = BTreeMap::new();
        let summary_chunks = if level > 0 {
            chunks_covering(from, to, level, self.chunks_at(level))
        } else {
            Vec::new()
        };
        let every_edge: Vec<(i64, i64)> = plans.iter().flatten().flatten().copied().collect();
        let raw_chunks = self.raw_chunks(&every_edge);
        for path in summary_chunks
            .iter()
            .map(|&index| self.chunk_path(level, index))
            .chain(raw_chunks.iter().map(|&index| self.chunk_path(0, index)))
        {
            if let Entry::Vacant(slot) = files.entry(path) {
                let pack = fetch(slot.key().clone()).await?;
                slot.insert(pack);
            }
        }
        let mut answers: Vec<Option<Reduced>> = Vec::with_capacity(wanted.len());
        for (&position, plan) in wanted.iter().zip(&plans) {
            answers.push(match plan {
                // No point in range: what the server answers for an empty range.
                None => Some(M4Reducer::new(window).finish()),
                Some(edges) => {
                    let summaries = if level > 0 {
                        self.picked(&files, level, &summary_chunks, position)?
                    } else {
                        Vec::new()
                    };
                    let raw = self.picked(&files, 0, &self.raw_chunks(edges), position)?;
                    let raw: Vec<&Chunk> = raw.into_iter().map(|(_, chunk)| chunk).collect();
                    reduce_tiles(window, level, edges, &summaries, &raw)
                }
            });
        }
        // A series with at most 4 × width points in range is answered raw, as the
        // server answers it: its raw range is read now.
        let whole = [(from, to)];
        let indices = self.raw_chunks(&whole);
        if answers.iter().any(Option::is_none) {
            for index in &indices {
                let path = self.chunk_path(0, *index);
                if let Entry::Vacant(slot) = files.entry(path) {
                    let pack = fetch(slot.key().clone()).await?;
                    slot.insert(pack);
                }
            }
        }
        wanted
            .iter()
            .zip(answers)
            .map(|(&position, answer)| match answer {
                Some(reduced) => Ok(reduced),
                None => {
                    let raw = self.picked(&files, 0, &indices, position)?;
                    let raw: Vec<&Chunk> = raw.into_iter().map(|(_, chunk)| chunk).collect();
                    reduce_tiles(window, 0, &whole, &[], &raw)
                        .ok_or_else(|| "the raw tiles did not answer".to_owned())
                }
            })
            .collect()
    }

    /// Series `position`'s chunk of each of `indices` at `level`, from files read.
    fn picked<'a, P: std::ops::Deref<Target = [Chunk]>>(
        &self,
        files: &'a BTreeMap<String, P>,
        level: u32,
        indices: &[i64],
        position: usize,
    ) -> Result<Vec<(i64, &'a Chunk)>, String> {
        indices
            .iter()
            .map(|&index| {
                let path = self.chunk_path(level, index);
                let pack = files
                    .get(&path)
                    .ok_or_else(|| format!("{path} was not read"))?;
                let chunk = pack
                    .get(position)
                    .ok_or_else(|| format!("{path} holds no series {position}"))?;
                Ok((index, chunk))
            })
            .collect()
    }

    /// The level-0 chunks covering each of `ranges`, each once.
    fn raw_chunks(&self, ranges: &[(i64, i64)]) -> Vec<i64> {
        let mut chunks: Vec<i64> = ranges
            .iter()
            .flat_map(|&(low, high)| chunks_covering(low, high, 0, self.chunks_at(0)))
            .collect();
        chunks.sort_unstable();
        chunks.dedup();
        chunks
    }
}

impl SnapshotSeries {
    /// The step ranges this series needs read raw for `from..=to` at `level`: the
    /// buckets the range cuts within the series (at level 0, the range itself); `None`
    /// when the series has no point in range.
    fn edges(&self, from: i64, to: i64, level: u32) -> Option<Vec<(i64, i64)>> {
        let (first, last) = (self.first_step?, self.last_step?);
        let (low, high) = (from.max(first), to.min(last));
        if low > high {
            return None;
        }
        if level == 0 {
            return Some(vec![(from, to)]);
        }
        // Past the series' first or last point there is nothing: its bucket is whole.
        let low = if low == first {
            bucket_start(bucket_of(low, level), level)
        } else {
            low
        };
        let high = if high == last {
            bucket_end(bucket_of(high, level), level)
        } else {
            high
        };
        Some(cut_edges(low, high, level))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::m4::{m4_reduce, pixel_column};
    use crate::tiles::bucket_of;
    use std::collections::HashMap;

    use crate::test_rng::Rng;

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
                let column =
                    &mut columns[pixel_column(*step, Window::new(from, to, width)) as usize];
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

    /// Reads `from..=to` at `width` from the tiles of `points` as the dashboard does,
    /// the series packed with another; also answers the level read (0 when raw).
    fn from_tiles(points: &[Point], from: i64, to: i64, width: u32) -> (Reduced, u32) {
        let other: Vec<Point> = points.iter().step_by(3).map(|&(s, v)| (s + 1, v)).collect();
        let every = [
            SeriesPoints {
                experiment_id: 1,
                name: "other",
                points: &other,
            },
            SeriesPoints {
                experiment_id: 2,
                name: "train",
                points,
            },
        ];
        let (line, files) = tile_line("loss", "logs/0".into(), &every);
        let files: HashMap<String, Vec<Chunk>> = files.into_iter().collect();
        let mut read_levels = Vec::new();
        let reduced = finished(
            line.read(&[1], Window::new(from, to, width), |path: String| {
                read_levels.push(
                    path.split('/')
                        .nth(2)
                        .and_then(|l| l.parse::<u32>().ok())
                        .unwrap_or(99),
                );
                let pack = files.get(&path).cloned().ok_or(format!("no file {path}"));
                async move { pack }
            }),
        )
        .expect("reads")
        .pop()
        .expect("one series");
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
                Window::new(from, to, width),
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
