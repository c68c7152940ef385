//! The compare view's tables: VALUE logs, then every TABLE and LABELMAP log
//! (`parameters` first), key by key side by side, with only the differences on demand
//! (always past a dozen runs, the rows all runs agree on listed once under the table).

use super::compared_logs::{keyed_entries, shared_names, ExperimentEntries, Loaded};
use super::matrix_grid::SMALL_MULTIPLES_PAST;
use super::{compared_rows, visible_rows, CompareState};
use crate::experiments::scalar_text;
use leptos::prelude::*;
use trackboard_api::LogContent;

#[component]
pub fn CompareTables(loaded: Loaded, state: Memo<CompareState>) -> impl IntoView {
    let values: ExperimentEntries = loaded
        .iter()
        .map(|(_, logs)| {
            logs.iter()
                .filter_map(|log| match &log.content {
                    LogContent::Value(scalar) => Some((log.name.clone(), scalar_text(scalar))),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let mut keyed_logs = shared_names(&loaded, |c| {
        matches!(c, LogContent::Table(_) | LogContent::Labelmap(_))
    });
    keyed_logs.sort_by_key(|name| name != "parameters");
    let keyed_tables: Vec<(String, ExperimentEntries)> = keyed_logs
        .into_iter()
        .map(|name| {
            let rows = loaded
                .iter()
                .map(|(_, logs)| keyed_entries(logs, &name))
                .collect();
            (name, rows)
        })
        .collect();
    let headers: Vec<String> = loaded.iter().map(|(e, _)| e.name.clone()).collect();
    // Past a dozen runs a table shows only the rows that differ; the others are listed
    // once, in a line under it, instead of a value repeated in every column.
    let runs = loaded.len();
    let many = runs > SMALL_MULTIPLES_PAST;
    let only_differences = move || many || state.get().only_differences;
    let table = move |title: String, rows: ExperimentEntries| {
        let headers = headers.clone();
        let region_label = format!("{title} table");
        let agreeing: Vec<String> = if many {
            compared_rows(&rows)
                .into_iter()
                .filter(|row| !row.differs())
                .map(|row| {
                    let value = row.values.first().cloned().flatten().unwrap_or_default();
                    format!("{} = {value}", row.name)
                })
                .collect()
        } else {
            Vec::new()
        };
        view! {
            // Many experiments make many columns: the table scrolls in its own box
            // instead of widening the page, a box the keyboard can reach and scroll.
            <div class="table-overflow" tabindex="0" role="region" aria-label=region_label>
            <table class="data-table compare-table">
                <caption>{title}</caption>
                <thead><tr><th scope="col">"Name"</th>{headers.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {move || visible_rows(compared_rows(&rows), only_differences()).into_iter().map(|row| {
                        let differs = row.differs();
                        view! {
                            <tr class:differs=differs>
                                <th scope="row">{row.name.clone()}</th>
                                {row.values.into_iter().map(|v| view! { <td>{v.unwrap_or_else(|| "—".to_owned())}</td> }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            {(!agreeing.is_empty()).then(|| view! {
                <p class="agreeing-rows">{format!("The same in all {runs} runs: {}", agreeing.join(" · "))}</p>
            })}
        }
    };
    view! {
        <div class="table-grid compare-tables">
            {table("Values".to_owned(), values)}
            {keyed_tables.into_iter().map(|(name, rows)| {
                let title = if name == "parameters" { "Parameters".to_owned() } else { name };
                table(title, rows)
            }).collect_view()}
        </div>
    }
}
