//! Reducing many series at once, on several tasks, and regrouping a comparison's
//! series by experiment.

use crate::domain::Window;
use crate::storage::{SeriesRow, Storage, StoreError, StoreResult};
use futures_util::StreamExt;
use trackboard_api::{ComparedLine, SeriesPoints};

/// Series reduced at once by one request: enough for every core, few enough that
/// one request leaves database connections for the others.
const PARALLEL_REDUCTIONS: usize = 4;

/// Each series reduced over `window` (none: the range holds no point), in their order. Series are
/// reduced on up to [`PARALLEL_REDUCTIONS`] tasks at once, so a comparison of many
/// experiments uses every core; dropping the future stops them all.
pub async fn reduce_all(
    storage: &Storage,
    series: &[&SeriesRow],
    window: Option<Window>,
) -> StoreResult<Vec<SeriesPoints>> {
    let owned: Vec<(Storage, SeriesRow)> = series
        .iter()
        .map(|&row| (storage.clone(), row.clone()))
        .collect();
    let reductions = owned
        .into_iter()
        .map(move |(storage, row)| AbortOnDrop(tokio::spawn(reduce_one(storage, row, window))));
    let mut answered = Vec::with_capacity(series.len());
    let mut done = futures_util::stream::iter(reductions).buffered(PARALLEL_REDUCTIONS);
    while let Some(joined) = done.next().await {
        let points = joined
            .map_err(|error| StoreError::Corrupt(format!("a reduction task failed: {error}")))??;
        answered.push(points);
    }
    Ok(answered)
}

/// One LINE log across experiments: every experiment's series reduced in one batch
/// (so different experiments reduce side by side), then regrouped under `ids` in
/// their order; an experiment without the log gets no series.
pub async fn compare(
    storage: &Storage,
    ids: &[i64],
    found: &[(i64, SeriesRow)],
    window: Option<Window>,
) -> StoreResult<Vec<ComparedLine>> {
    let every: Vec<&SeriesRow> = found.iter().map(|(_, series)| series).collect();
    let reduced = reduce_all(storage, &every, window).await?;
    let experiments = ComparedLine::grouped(
        ids,
        found
            .iter()
            .zip(reduced)
            .map(|((experiment_id, _), points)| (*experiment_id, points)),
    );
    Ok(experiments)
}

async fn reduce_one(
    storage: Storage,
    row: SeriesRow,
    window: Option<Window>,
) -> StoreResult<SeriesPoints> {
    let Some(window) = window else {
        return Ok(SeriesPoints {
            name: row.name,
            ..SeriesPoints::default()
        });
    };
    let reduced = storage.reduce_series(&row, window).await?;
    Ok(reduced.into_series(row.name))
}

/// A spawned task aborted when its handle is dropped: when a client gives up on a
/// comparison (a quick zoom sends a new one), its reductions stop instead of running on.
pub(super) struct AbortOnDrop<T>(pub(super) tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T> std::future::Future for AbortOnDrop<T> {
    type Output = Result<T, tokio::task::JoinError>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        context: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        std::pin::Pin::new(&mut self.0).poll(context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_dropped_reduction_stops() {
        let (alive, gone) = tokio::sync::oneshot::channel::<()>();
        let task = AbortOnDrop(tokio::spawn(async move {
            let _alive = alive;
            std::future::pending::<()>().await;
        }));
        drop(task);
        // Aborting drops the task's future, and with it the sender it holds.
        let closed = tokio::time::timeout(std::time::Duration::from_secs(10), gone).await;
        assert!(
            matches!(closed, Ok(Err(_))),
            "the task still runs: {closed:?}"
        );
    }
}
