//! Reads of LINE points: a step range reduced while it streams (from the series'
//! blocks), and keyset pages for full-resolution exports. Neither ever loads a whole
//! series.

use super::blocks;
use super::logs::SeriesRow;
use super::{Storage, StoreError, StoreResult};
use crate::domain::{pixel_column, M4Reducer, Reduced, Window};
use futures_util::TryStreamExt;
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

    /// The series of the LINE logs named `name` of each experiment, by experiment.
    pub async fn line_series_by_experiment(
        &self,
        experiment_ids: &[i64],
        name: &str,
    ) -> StoreResult<Vec<(i64, SeriesRow)>> {
        let mut found = Vec::new();
        for &experiment_id in experiment_ids {
            if let Some((log_id, LogType::Line)) = self.log_head(experiment_id, name).await? {
                for series in self.line_series(log_id).await? {
                    found.push((experiment_id, series));
                }
            }
        }
        Ok(found)
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
        let mut unread: Vec<i64> = heads
            .iter()
            .filter(|head| !summarised(head))
            .map(|head| head.id)
            .collect();
        unread.reverse();
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
                let take = unread.len().min(BLOCKS_PER_FETCH);
                let ids: Vec<i64> = unread.drain(unread.len() - take..).collect();
                fetched = self.block_data(&ids).await?;
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

    /// The heads of a series' blocks overlapping `window`, in step order, as one row of
    /// text the database writes: a row a block cost ~3.5 µs through the driver, 85 ms
    /// for the 24,414 blocks of a 100,000,000-point series.
    async fn block_heads(&self, series_id: i64, window: Window) -> StoreResult<Vec<BlockHead>> {
        let head = match self.backend() {
            super::Backend::Sqlite => {
                "group_concat(id || ':' || first_step || ':' || last_step || ':' || points \
                 || ':' || COALESCE(hex(summary), '-'), ';' ORDER BY last_step)"
            }
            super::Backend::Postgres => {
                "string_agg(concat_ws(':', id, first_step, last_step, points, \
                 COALESCE(encode(summary, 'hex'), '-')), ';' ORDER BY last_step)"
            }
        };
        let heads: Option<String> = sqlx::query_scalar(&format!(
            "SELECT {head} FROM line_blocks \
             WHERE series_id = $1 AND last_step >= $2 AND first_step <= $3"
        ))
        .bind(series_id)
        .bind(window.from)
        .bind(window.to)
        .fetch_one(&self.pool)
        .await?;
        heads
            .as_deref()
            .unwrap_or_default()
            .split(';')
            .filter(|head| !head.is_empty())
            .map(|head| {
                BlockHead::parse(head).ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "series {series_id}: unreadable block head {head:?}"
                    ))
                })
            })
            .collect()
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

impl BlockHead {
    /// A head as [`Storage::block_heads`] has the database write it:
    /// `id:first_step:last_step:points:summary` (the summary in hex, `-` for none).
    fn parse(text: &str) -> Option<BlockHead> {
        let mut fields = text.split(':');
        let mut number = || fields.next()?.parse::<i64>().ok();
        let (id, first_step, last_step, points) = (number()?, number()?, number()?, number()?);
        let summary = match fields.next()? {
            "-" => None,
            hex => Some(from_hex(hex)?),
        };
        fields.next().is_none().then_some(BlockHead {
            id,
            first_step,
            last_step,
            points,
            summary,
        })
    }
}

/// Bytes from hexadecimal digits (either case), `None` for anything else.
fn from_hex(hex: &str) -> Option<Vec<u8>> {
    let digit = |byte: u8| char::from(byte).to_digit(16);
    let bytes = hex.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks(2)
        .map(|pair| Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8))
        .collect()
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
    fn block_heads_read_as_the_database_writes_them() {
        assert_eq!(
            BlockHead::parse("7:-3:4092:4096:00ff0A"),
            Some(BlockHead {
                id: 7,
                first_step: -3,
                last_step: 4092,
                points: 4096,
                summary: Some(vec![0, 255, 10]),
            })
        );
        assert_eq!(
            BlockHead::parse("8:1:1:1:-").map(|head| head.summary),
            Some(None)
        );
        for broken in [
            "",
            "7:1:2:3",
            "7:1:2:3:0",
            "7:1:2:3:zz",
            "7:1:2:x:00",
            "7:1:2:3:00:9",
        ] {
            assert_eq!(BlockHead::parse(broken), None, "{broken:?}");
        }
    }
}
