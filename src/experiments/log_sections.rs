use super::summary_strip::scalar_text;
use leptos::prelude::*;
use trackboard_api::{Log, LogContent};

/// A TABLE log (parameters included) as a two-column table.
#[component]
pub fn ScalarTable(log: Log) -> impl IntoView {
    let rows: Vec<(String, String)> = match &log.content {
        LogContent::Table(table) => table
            .iter()
            .map(|(key, value)| (key.clone(), scalar_text(value)))
            .collect(),
        _ => Vec::new(),
    };
    view! {
        <table class="data-table log-table">
            <caption>{log.name.clone()}</caption>
            <thead><tr><th scope="col">"Name"</th><th scope="col">"Value"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|(key, value)| view! { <tr><th scope="row">{key}</th><td>{value}</td></tr> }).collect_view()}
            </tbody>
        </table>
    }
}

/// A LABELMAP log as id → name, ids in numeric order.
#[component]
pub fn LabelmapTable(log: Log) -> impl IntoView {
    let mut rows: Vec<(i64, String)> = match &log.content {
        LogContent::Labelmap(labels) => labels
            .iter()
            .filter_map(|(id, name)| id.parse::<i64>().ok().map(|id| (id, name.clone())))
            .collect(),
        _ => Vec::new(),
    };
    rows.sort();
    view! {
        <table class="data-table log-table">
            <caption>{log.name.clone()}</caption>
            <thead><tr><th scope="col">"Id"</th><th scope="col">"Label"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|(id, name)| view! { <tr><td>{id}</td><td>{name}</td></tr> }).collect_view()}
            </tbody>
        </table>
    }
}
