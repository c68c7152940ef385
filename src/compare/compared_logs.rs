//! What the compare view's sections read from the loaded experiments: the log names
//! they share, one kind of log per experiment, and the view's state changes.

use super::CompareState;
use crate::experiments::scalar_text;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use std::sync::Arc;
use trackboard_api::{Experiment, Log, LogContent};

/// The compared experiments with their logs, in the chosen order; shared by every
/// section without copying.
pub type Loaded = Arc<Vec<(Experiment, Vec<Log>)>>;

/// A function that moves the view to a new state (the URL is replaced, not pushed:
/// zooming or ticking a box is no step to go back to).
pub fn state_setter() -> impl Fn(CompareState) + Clone {
    let navigate = use_navigate();
    move |next: CompareState| {
        navigate(
            &next.to_url(),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        )
    }
}

/// Each experiment that has a log `name` of the kind `pick` reads, with its name.
pub fn named_logs<T>(
    loaded: &[(Experiment, Vec<Log>)],
    name: &str,
    pick: fn(&LogContent) -> Option<T>,
) -> Vec<(String, T)> {
    loaded
        .iter()
        .filter_map(|(experiment, logs)| {
            logs.iter()
                .find(|log| log.name == name)
                .and_then(|log| pick(&log.content))
                .map(|data| (experiment.name.clone(), data))
        })
        .collect()
}

/// Names of the logs of `kind` that experiments have, the most shared first.
pub fn shared_names(
    loaded: &[(Experiment, Vec<Log>)],
    matches: fn(&LogContent) -> bool,
) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (_, logs) in loaded {
        for log in logs.iter().filter(|log| matches(&log.content)) {
            match counts.iter_mut().find(|(name, _)| *name == log.name) {
                Some((_, count)) => *count += 1,
                None => counts.push((log.name.clone(), 1)),
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts.into_iter().map(|(name, _)| name).collect()
}

/// Each compared experiment's (key, text) entries of one table, in compared order.
pub type ExperimentEntries = Vec<Vec<(String, String)>>;

/// The data of an experiment's HEATMAP log `name`, if it has one.
pub fn heatmap_of<'a>(logs: &'a [Log], name: &str) -> Option<&'a trackboard_api::HeatmapData> {
    logs.iter()
        .find(|log| log.name == name)
        .and_then(|log| match &log.content {
            LogContent::Heatmap(data) => Some(data),
            _ => None,
        })
}

/// The entries of an experiment's TABLE or LABELMAP log `name`, as text.
pub fn keyed_entries(logs: &[Log], name: &str) -> Vec<(String, String)> {
    logs.iter()
        .filter(|log| log.name == name)
        .flat_map(|log| match &log.content {
            LogContent::Table(table) => table
                .iter()
                .map(|(key, value)| (key.clone(), scalar_text(value)))
                .collect(),
            LogContent::Labelmap(labels) => labels
                .iter()
                .map(|(id, label)| (id.clone(), label.clone()))
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}
