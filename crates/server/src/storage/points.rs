//! Reads of LINE points: a step range reduced while it streams (from the series'
//! blocks), and keyset pages for full-resolution exports. Neither ever loads a whole
//! series.

use super::blocks;
use super::logs::SeriesRow;
use super::{Storage, StoreError, StoreResult};
use crate::domain::{pixel_column, M4Reducer, Reduced, Window};
use futures_util::{StreamExt, TryStreamExt};
use std::collections::HashMap;
use trackboard_api::{LogType, SeriesTimes};

impl Storage {
    /// The id and type of an experiment's log named `name`.
    pub async fn log_head(
        &self,
        experiment_id: i64,
        name: &str,
    ) -> StoreResult<Option<(i64, LogType)>> {
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT id, type FROM logs WHERE experiment_id = $1 AND name = $2")
                .bind(experiment_id)
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.and_then(|(id, text)| LogType::parse(&text).map(|log_type| (id, log_type))))
    }

    /// The `line_times` rows of each of `series`, in step order (see [`SeriesTimes`]).
    pub async fn series_times(&self, series: &[&SeriesRow]) -> StoreResult<Vec<SeriesTimes>> {
        let mut answer = Vec::with_capacity(series.len());
        for row in series {
            let rows: Vec<(i64, f64)> = sqlx::query_as(
                "SELECT step, time FROM line_times WHERE series_id = $1 ORDER BY step",
            )
            .bind(row.id)
            .fetch_all(&self.pool)
            .await?;
            let (steps, times) = rows.into_iter().unzip();
            answer.push(SeriesTimes {
                name: row.name.clone(),
                steps,
                times,
            });
        }
        Ok(answer)
    }

    /// The series of the LINE logs named `name` of each experiment, by experiment, in
    /// the order of `experiment_ids`. One query: two a run, one after another, cost a
    /// comparison of 100 runs ~200 round trips through the driver.
    pub async fn line_series_by_experiment(
        &self,
        experiment_ids: &[i64],
        name: &str,
    ) -> StoreResult<Vec<(i64, SeriesRow)>> {
        if experiment_ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<ExperimentSeries> = sqlx::query_as(&format!(
            "SELECT l.experiment_id, s.id, s.name, s.points, s.first_step, s.last_step, \
             s.last_value, s.blocked FROM logs l JOIN line_series s ON s.log_id = l.id \
             WHERE l.experiment_id IN ({}) AND l.name = $1 AND l.type = $2 ORDER BY s.id",
            super::id_list(experiment_ids)
        ))
        .bind(name)
        .bind(LogType::Line.as_str())
        .fetch_all(&self.pool)
        .await?;
        let mut by_experiment: HashMap<i64, Vec<SeriesRow>> = HashMap::new();
        for row in rows {
            by_experiment
                .entry(row.experiment_id)
                .or_default()
                .push(row.series);
        }
        Ok(experiment_ids
            .iter()
            .flat_map(|id| {
                let series = by_experiment.get(id).cloned().unwrap_or_default();
                series.into_iter().map(move |row| (*id, row))
            })
            .collect())
    }

    /// The points of a series with steps in `from..=to`, reduced for `width` columns
    /// as they stream from its blocks (made on the spot for an older series). A block
    /// that lies within one pixel column is taken from its summary without reading its
    /// points, whenever those blocks alone hold more than the 4 × width points an
    /// unreduced answer may have: a read then costs the blocks a column border cuts, not
    /// the series' length.
    pub async fn reduce_series(&self, series: &SeriesRow, window: Window) -> StoreResult<Reduced> {
        let mut reducer = M4Reducer::new(window);
        if series.blocked == 0 && !self.build_blocks(series.id).await? {
            // Deleted while this request ran: nothing to draw.
            return Ok(reducer.finish());
        }
        if series.points <= 4 * i64::from(window.width) {
            // Too few points for summaries to matter (a comparison's usual series).
            return self.reduce_every_block(series.id, window, reducer).await;
        }
        let heads = self.block_heads(series.id, window).await?;
        let summarised = |head: &BlockHead| {
            head.summary.is_some()
                && window.from <= head.first_step
                && head.last_step <= window.to
                && pixel_column(head.first_step, window) == pixel_column(head.last_step, window)
        };
        let covered: i64 = heads
            .iter()
            .filter(|h| summarised(h))
            .map(|h| h.points)
            .sum();
        if covered <= 4 * i64::from(window.width) {
            return self.reduce_every_block(series.id, window, reducer).await;
        }
        let unread: Vec<i64> = heads
            .iter()
            .filter(|head| !summarised(head))
            .map(|head| head.id)
            .collect();
        // Two fetches in flight: the next blocks are read (on the database's side) while
        // these are reduced; ~7 ms of ~60 for a 100,000,000-point series.
        let chunks: Vec<Vec<i64>> = unread
            .chunks(BLOCKS_PER_FETCH)
            .map(<[i64]>::to_vec)
            .collect();
        let mut fetches = futures_util::stream::iter(chunks)
            .map(|ids| async move { self.block_data(&ids).await })
            .buffered(2);
        let mut fetched: HashMap<i64, (i64, i64, Vec<u8>)> = HashMap::new();
        let mut values = Vec::with_capacity(blocks::BLOCK_POINTS);
        for head in &heads {
            if summarised(head) {
                if let Some(summary) = &head.summary {
                    let points = blocks::summary_points(summary)
                        .map_err(|message| sqlx::Error::Decode(message.into()))?;
                    reducer.push_summary(&points, head.points as u64);
                }
                continue;
            }
            if fetched.is_empty() {
                fetched = fetches.try_next().await?.unwrap_or_default();
            }
            let Some((first_step, count, data)) = fetched.remove(&head.id) else {
                return Err(StoreError::Corrupt(format!(
                    "block {} went while series {} was read",
                    head.id, series.id
                )));
            };
            push_block(
                &mut reducer,
                window,
                (first_step, count, &data),
                &mut values,
            )?;
        }
        Ok(reducer.finish())
    }

    /// The heads of a series' blocks overlapping `window`, in step order, in one row the
    /// database writes: a list of each field, and the summaries' bytes end to end. For
    /// the 24,414 blocks of a 100,000,000-point series a row a block cost 85 ms through
    /// the driver, one text of every head (summaries in hex) ~48 ms, these lists ~14 ms.
    /// The aggregates take no `ORDER BY` (each one sorted the rows again: 50 ms); they
    /// are fed the same rows in the same order, so the lists line up, and are sorted here.
    async fn block_heads(&self, series_id: i64, window: Window) -> StoreResult<Vec<BlockHead>> {
        let (list, bytes) = match self.backend() {
            super::Backend::Sqlite => (
                "group_concat(COLUMN, ',')",
                // Blobs go through group_concat byte for byte.
                "CAST(group_concat(summary, '') AS BLOB)",
            ),
            super::Backend::Postgres => (
                "string_agg((COLUMN)::text, ',')",
                "string_agg(summary, ''::bytea)",
            ),
        };
        let lists: Vec<String> = [
            "id",
            "first_step",
            "last_step",
            "points",
            "COALESCE(length(summary), -1)",
        ]
        .iter()
        .map(|column| list.replace("COLUMN", column))
        .collect();
        let row: HeadLists = sqlx::query_as(&format!(
            "SELECT {}, {bytes} FROM line_blocks \
             WHERE series_id = $1 AND last_step >= $2 AND first_step <= $3",
            lists.join(", ")
        ))
        .bind(series_id)
        .bind(window.from)
        .bind(window.to)
        .fetch_one(&self.pool)
        .await?;
        let mut heads = BlockHead::unpack(row).map_err(|problem| {
            StoreError::Corrupt(format!(
                "series {series_id}: unreadable block heads: {problem}"
            ))
        })?;
        heads.sort_unstable_by_key(|head| head.last_step);
        Ok(heads)
    }

    /// Every block's points in the window into `reducer`, streamed in one query.
    async fn reduce_every_block(
        &self,
        series_id: i64,
        window: Window,
        mut reducer: M4Reducer,
    ) -> StoreResult<Reduced> {
        let mut blocks = sqlx::query_as::<_, (i64, i64, Vec<u8>)>(
            "SELECT first_step, points, data FROM line_blocks \
             WHERE series_id = $1 AND last_step >= $2 AND first_step <= $3 ORDER BY last_step",
        )
        .bind(series_id)
        .bind(window.from)
        .bind(window.to)
        .fetch(&self.pool);
        let mut values = Vec::with_capacity(blocks::BLOCK_POINTS);
        while let Some((first_step, count, data)) = blocks.try_next().await? {
            push_block(
                &mut reducer,
                window,
                (first_step, count, &data),
                &mut values,
            )?;
        }
        Ok(reducer.finish())
    }

    /// The first step, points and bytes of each of the blocks `ids`, by id. Unordered:
    /// sorting rows that carry their bytes made SQLite copy them through a temporary
    /// B-tree (1,000 blocks took 140 ms instead of 20).
    async fn block_data(&self, ids: &[i64]) -> StoreResult<HashMap<i64, (i64, i64, Vec<u8>)>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let select = format!(
            "SELECT id, first_step, points, data FROM line_blocks WHERE id IN ({})",
            super::id_list(ids)
        );
        let rows = sqlx::query_as::<_, (i64, i64, i64, Vec<u8>)>(&select)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, first_step, count, data)| (id, (first_step, count, data)))
            .collect())
    }

    /// Packs the points of a series made before `line_blocks` existed into blocks, once
    /// (the first reduced read after an upgrade pays for it); answers whether the series
    /// now has blocks. Under the write lock, so no append slips between the copy and the
    /// flag.
    pub(super) async fn build_blocks(&self, series_id: i64) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let blocked: Option<i64> =
            sqlx::query_scalar("SELECT blocked FROM line_series WHERE id = $1")
                .bind(series_id)
                .fetch_optional(&mut *tx)
                .await?;
        match blocked {
            None => return Ok(false),
            Some(0) => {}
            Some(_) => return Ok(true),
        }
        let mut after: Option<i64> = None;
        loop {
            let page: Vec<(i64, Option<f64>)> = sqlx::query_as(
                "SELECT step, value FROM line_points WHERE series_id = $1 AND step > $2 ORDER BY step LIMIT $3",
            )
            .bind(series_id)
            .bind(after.unwrap_or(i64::MIN))
            .bind(blocks::BLOCK_POINTS as i64)
            .fetch_all(&mut *tx)
            .await?;
            let Some(&(last, _)) = page.last() else { break };
            let (steps, values): (Vec<i64>, Vec<Option<f64>>) = page.into_iter().unzip();
            blocks::append(&mut tx, series_id, &steps, &values).await?;
            after = Some(last);
        }
        sqlx::query("UPDATE line_series SET blocked = 1 WHERE id = $1")
            .bind(series_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Up to `limit` points of a series after `after_step`, in step order.
    pub async fn points_after(
        &self,
        series_id: i64,
        after_step: Option<i64>,
        limit: u32,
    ) -> StoreResult<Vec<(i64, Option<f64>)>> {
        // Two statements rather than `$2 IS NULL OR …`, so each is a plain index range.
        let query = match after_step {
            Some(after) => sqlx::query_as(
                "SELECT step, value FROM line_points WHERE series_id = $1 AND step > $2 ORDER BY step LIMIT $3",
            )
            .bind(series_id)
            .bind(after),
            None => sqlx::query_as(
                "SELECT step, value FROM line_points WHERE series_id = $1 ORDER BY step LIMIT $2",
            )
            .bind(series_id),
        };
        query
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::from)
    }
}

/// Blocks whose points one query of a reduced read fetches (~2 MiB).
const BLOCKS_PER_FETCH: usize = 64;

/// A block as a reduced read plans it: where it lies, and its summary.
#[derive(Debug, PartialEq)]
struct BlockHead {
    id: i64,
    first_step: i64,
    last_step: i64,
    points: i64,
    summary: Option<Vec<u8>>,
}

/// A series with the experiment whose log holds it.
#[derive(sqlx::FromRow)]
struct ExperimentSeries {
    experiment_id: i64,
    #[sqlx(flatten)]
    series: SeriesRow,
}

/// What [`Storage::block_heads`] reads: ids, first steps, last steps, point counts and
/// summary lengths (`-1`: none) as comma-separated lists (`None` when no block
/// overlaps), and the summaries' bytes end to end.
type HeadLists = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<Vec<u8>>,
);

impl BlockHead {
    /// The heads in [`HeadLists`], or what does not add up.
    fn unpack(
        (ids, firsts, lasts, points, lengths, bytes): HeadLists,
    ) -> Result<Vec<BlockHead>, String> {
        let numbers = |list: Option<String>| -> Result<Vec<i64>, String> {
            list.as_deref()
                .unwrap_or_default()
                .split(',')
                .filter(|field| !field.is_empty())
                .map(|field| field.parse().map_err(|_| format!("{field:?} is no number")))
                .collect()
        };
        let (ids, firsts, lasts) = (numbers(ids)?, numbers(firsts)?, numbers(lasts)?);
        let (points, lengths) = (numbers(points)?, numbers(lengths)?);
        let count = ids.len();
        if [firsts.len(), lasts.len(), points.len(), lengths.len()] != [count; 4] {
            return Err("lists of different lengths".to_owned());
        }
        let bytes = bytes.unwrap_or_default();
        let mut at = 0;
        let mut heads = Vec::with_capacity(count);
        for index in 0..count {
            let summary = match usize::try_from(lengths[index]) {
                Err(_) => None,
                Ok(length) => {
                    let part = bytes
                        .get(at..at + length)
                        .ok_or("summaries shorter than their lengths")?;
                    at += length;
                    Some(part.to_vec())
                }
            };
            heads.push(BlockHead {
                id: ids[index],
                first_step: firsts[index],
                last_step: lasts[index],
                points: points[index],
                summary,
            });
        }
        if at != bytes.len() {
            return Err("summaries longer than their lengths".to_owned());
        }
        Ok(heads)
    }
}

/// The points of one block (`first_step`, `count`, its bytes) inside `window` into
/// `reducer`; `values` is scratch space.
fn push_block(
    reducer: &mut M4Reducer,
    window: Window,
    (first_step, count, data): (i64, i64, &[u8]),
    values: &mut Vec<f64>,
) -> StoreResult<()> {
    let Window { from, to, .. } = window;
    if blocks::dense_values(count as usize, data, values) {
        // Consecutive steps: the part inside the range goes in as one run.
        let offset = |step: i64| (step.saturating_sub(first_step)).clamp(0, count) as usize;
        let (start, end) = (offset(from), offset(to.saturating_add(1)));
        if start < end {
            reducer.push_consecutive(first_step + start as i64, &values[start..end]);
        }
        return Ok(());
    }
    let points = blocks::points(first_step, count as usize, data)
        .map_err(|message| sqlx::Error::Decode(message.into()))?;
    for (step, value) in points {
        if (from..=to).contains(&step) {
            reducer.push(step, value);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_heads_unpack_from_the_lists_the_database_writes() {
        let text = |t: &str| Some(t.to_owned());
        let heads = BlockHead::unpack((
            text("7,8,9"),
            text("-3,4093,5000"),
            text("4092,4999,5000"),
            text("4096,907,1"),
            text("3,-1,0"),
            Some(vec![0, 255, 10]),
        ))
        .expect("heads");
        let head = |id, first_step, last_step, points, summary| BlockHead {
            id,
            first_step,
            last_step,
            points,
            summary,
        };
        assert_eq!(
            heads,
            vec![
                head(7, -3, 4092, 4096, Some(vec![0, 255, 10])),
                head(8, 4093, 4999, 907, None),
                head(9, 5000, 5000, 1, Some(Vec::new())),
            ]
        );
        assert_eq!(
            BlockHead::unpack((None, None, None, None, None, None)),
            Ok(Vec::new()),
            "no block overlaps"
        );
        let one = |lengths: &str, bytes: Vec<u8>| {
            BlockHead::unpack((
                text("1"),
                text("0"),
                text("0"),
                text("1"),
                text(lengths),
                Some(bytes),
            ))
        };
        assert!(one("2", vec![1, 2]).is_ok());
        for (lengths, bytes) in [
            ("3", vec![1, 2]),
            ("1", vec![1, 2]),
            ("x", vec![]),
            ("1,1", vec![1, 2]),
        ] {
            assert!(one(lengths, bytes.clone()).is_err(), "{lengths} {bytes:?}");
        }
    }
}
