//! Reads for a project's grouped LINE chart: the LINE log names of its runs, the series
//! of one log across all of them in one query, and their blocks streamed in one query a
//! few hundred series (not a query a series: a grouped chart reads a thousand).

use super::blocks;
use super::logs::SeriesRow;
use super::{Storage, StoreResult};
use crate::domain::Window;
use futures_util::TryStreamExt;

/// Series whose blocks one query reads.
const SERIES_PER_QUERY: usize = 400;

/// A block's points inside a window, as a grouped read hands them over.
pub enum BlockPoints<'a> {
    /// Values of consecutive steps from `first_step` (NaN: a gap).
    Consecutive { first_step: i64, values: &'a [f64] },
    /// Points of a sparse block, each with its step.
    Sparse(&'a [(i64, Option<f64>)]),
}

/// A series with its experiment.
#[derive(sqlx::FromRow)]
struct RunSeries {
    experiment_id: i64,
    #[sqlx(flatten)]
    series: SeriesRow,
}

impl Storage {
    /// Every LINE log name of the project's experiments, sorted.
    pub async fn project_line_logs(&self, project_id: i64) -> StoreResult<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT l.name FROM logs l JOIN experiments e ON e.id = l.experiment_id \
             WHERE e.project_id = $1 AND l.type = 'LINE' ORDER BY l.name",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The series of the LINE log `name` of every experiment of the project, by
    /// experiment id then series id; older series get their blocks first.
    pub async fn project_line_series(
        &self,
        project_id: i64,
        name: &str,
    ) -> StoreResult<Vec<(i64, SeriesRow)>> {
        let rows: Vec<RunSeries> = sqlx::query_as(
            "SELECT l.experiment_id, s.id, s.name, s.points, s.first_step, s.last_step, \
             s.last_value, s.blocked FROM logs l JOIN experiments e ON e.id = l.experiment_id \
             JOIN line_series s ON s.log_id = l.id \
             WHERE e.project_id = $1 AND l.name = $2 AND l.type = 'LINE' \
             ORDER BY l.experiment_id, s.id",
        )
        .bind(project_id)
        .bind(name)
        .fetch_all(&self.pool)
        .await?;
        let mut found = Vec::with_capacity(rows.len());
        for RunSeries {
            experiment_id,
            mut series,
        } in rows
        {
            if series.blocked == 0 {
                if !self.build_blocks(series.id).await? {
                    continue;
                }
                series.blocked = 1;
            }
            found.push((experiment_id, series));
        }
        Ok(found)
    }

    /// The points of each of `series` inside `window`, handed to `visit` block by block
    /// with the series' id: a series' blocks in step order, one series after another.
    pub async fn visit_series_points(
        &self,
        series: &[i64],
        window: Window,
        mut visit: impl FnMut(i64, BlockPoints<'_>),
    ) -> StoreResult<()> {
        let Window { from, to, .. } = window;
        let mut values = Vec::with_capacity(blocks::BLOCK_POINTS);
        let mut sparse = Vec::with_capacity(blocks::BLOCK_POINTS);
        for chunk in series.chunks(SERIES_PER_QUERY) {
            let select = format!(
                "SELECT series_id, first_step, points, data FROM line_blocks \
                 WHERE last_step >= $1 AND first_step <= $2 AND series_id IN ({}) \
                 ORDER BY series_id, last_step",
                super::id_list(chunk)
            );
            let mut rows = sqlx::query_as::<_, (i64, i64, i64, Vec<u8>)>(&select)
                .bind(from)
                .bind(to)
                .fetch(&self.pool);
            while let Some((series_id, first_step, count, data)) = rows.try_next().await? {
                if blocks::dense_values(count as usize, &data, &mut values) {
                    let offset =
                        |step: i64| (step.saturating_sub(first_step)).clamp(0, count) as usize;
                    let (start, end) = (offset(from), offset(to.saturating_add(1)));
                    if start < end {
                        let points = BlockPoints::Consecutive {
                            first_step: first_step + start as i64,
                            values: &values[start..end],
                        };
                        visit(series_id, points);
                    }
                    continue;
                }
                sparse.clear();
                sparse.extend(
                    blocks::points(first_step, count as usize, &data)
                        .map_err(|message| sqlx::Error::Decode(message.into()))?
                        .filter(|(step, _)| (from..=to).contains(step)),
                );
                visit(series_id, BlockPoints::Sparse(&sparse));
            }
        }
        Ok(())
    }
}
