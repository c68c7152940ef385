//! Charts that ask for points in the same turn of the event loop share one request.
//! A compare view's ten charts (or an experiment page's LINE logs) become visible and
//! sized together; each asks for its own log, and the asks with the same experiments,
//! step range and width go out as one `GET /line-comparisons`. Every chart still gets
//! its log reduced for its own width and range: asks that differ are separate batches.

use crate::api::ApiClient;
use crate::error::AppError;
use futures_channel::oneshot;
use leptos::prelude::set_timeout;
use leptos::task::spawn_local;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::time::Duration;
use trackboard_api::{LineComparison, LineComparisons};

/// The most log names one batch names (the server's limit).
const MAX_BATCH_LOGS: usize = 100;

/// What asks must share to be answered by one request.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
struct BatchKey {
    ids: Vec<i64>,
    range: Option<(i64, i64)>,
    width: u32,
}

/// One chart waiting for its log.
struct Ask {
    log: String,
    reply: oneshot::Sender<Result<LineComparison, AppError>>,
}

thread_local! {
    static WAITING: RefCell<HashMap<BatchKey, Vec<Ask>>> = RefCell::new(HashMap::new());
    /// Batches asked and not yet handed out.
    static IN_FLIGHT: Cell<usize> = const { Cell::new(0) };
    /// What runs once no batch is in flight.
    static ON_SETTLED: RefCell<Vec<Box<dyn FnOnce()>>> = RefCell::new(Vec::new());
}

/// Runs `then` once every points request asked so far has been answered and its charts
/// have drawn (at once when none is in flight). A page's slower sections wait for this:
/// built while the answer is on its way, they held the answer ~0.1 s before the charts
/// could draw it.
pub fn when_points_settled(then: impl FnOnce() + 'static) {
    if IN_FLIGHT.with(Cell::get) == 0 {
        then();
    } else {
        ON_SETTLED.with(|waiting| waiting.borrow_mut().push(Box::new(then)));
    }
}

/// Counts a batch out; the last one answered lets the waiters run, after a zero timeout
/// so that the charts it answered draw first.
fn batch_finished() {
    let left = IN_FLIGHT.with(|count| {
        count.set(count.get().saturating_sub(1));
        count.get()
    });
    if left == 0 {
        let waiting = ON_SETTLED.with(|waiting| std::mem::take(&mut *waiting.borrow_mut()));
        if !waiting.is_empty() {
            set_timeout(
                move || waiting.into_iter().for_each(|then| then()),
                Duration::ZERO,
            );
        }
    }
}

/// The comparison of `log` across `ids`, asked together with every other chart's ask
/// made before the event loop turns.
pub async fn batched_comparison(
    client: &ApiClient,
    ids: &[i64],
    log: &str,
    range: Option<(i64, i64)>,
    width: u32,
) -> Result<LineComparison, AppError> {
    let key = BatchKey {
        ids: ids.to_vec(),
        range,
        width,
    };
    let (reply, answer) = oneshot::channel();
    let first = WAITING.with(|waiting| {
        let mut waiting = waiting.borrow_mut();
        let asks = waiting.entry(key.clone()).or_default();
        asks.push(Ask {
            log: log.to_owned(),
            reply,
        });
        asks.len() == 1
    });
    if first {
        crate::perf::mark(crate::perf::names::POINTS_ASKED);
        IN_FLIGHT.with(|count| count.set(count.get() + 1));
        // A zero timeout runs after every chart sized in this frame has asked.
        let client = client.clone();
        set_timeout(move || spawn_local(send_batch(client, key)), Duration::ZERO);
    }
    answer
        .await
        .unwrap_or_else(|_| Err(AppError::Network("the points request was dropped".into())))
}

/// Sends the asks waiting under `key` (at most [`MAX_BATCH_LOGS`] names a request) and
/// hands each chart its comparison.
async fn send_batch(client: ApiClient, key: BatchKey) {
    let asks = WAITING.with(|waiting| waiting.borrow_mut().remove(&key).unwrap_or_default());
    let names = distinct_names(&asks);
    let mut asks = asks;
    for chunk in names.chunks(MAX_BATCH_LOGS) {
        let answer = client
            .line_comparisons(&key.ids, chunk, key.range, key.width)
            .await;
        let (these, rest): (Vec<Ask>, Vec<Ask>) =
            asks.into_iter().partition(|ask| chunk.contains(&ask.log));
        asks = rest;
        hand_out(these, answer);
    }
    batch_finished();
}

/// Gives each ask its log's comparison: moved, not copied (a wide comparison holds
/// megabytes), unless two asks want the same log.
fn hand_out(asks: Vec<Ask>, answer: Result<LineComparisons, AppError>) {
    let mut by_name: HashMap<String, LineComparison> = match answer {
        Ok(batch) => batch
            .comparisons
            .into_iter()
            .map(|comparison| (comparison.log_name.clone(), comparison))
            .collect(),
        Err(error) => {
            for ask in asks {
                let _ = ask.reply.send(Err(error.clone()));
            }
            return;
        }
    };
    let wanted_again: Vec<bool> = (0..asks.len())
        .map(|index| {
            asks[index + 1..]
                .iter()
                .any(|later| later.log == asks[index].log)
        })
        .collect();
    for (ask, wanted_again) in asks.into_iter().zip(wanted_again) {
        let comparison = if wanted_again {
            by_name.get(&ask.log).cloned()
        } else {
            by_name.remove(&ask.log)
        };
        let reply = comparison.ok_or_else(|| AppError::Unreadable {
            status: 200,
            detail: format!("the answer has no comparison of {:?}", ask.log),
        });
        // A chart gone from the page no longer listens; nothing to do then.
        let _ = ask.reply.send(reply);
    }
}

/// The logs asked for, each once, in the order first asked.
fn distinct_names(asks: &[Ask]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for ask in asks {
        if !names.contains(&ask.log) {
            names.push(ask.log.clone());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_asked_once_in_first_asked_order() {
        let ask = |log: &str| Ask {
            log: log.into(),
            reply: oneshot::channel().0,
        };
        let asks = [ask("loss"), ask("acc"), ask("loss"), ask("lr")];
        assert_eq!(distinct_names(&asks), ["loss", "acc", "lr"]);
    }
}
