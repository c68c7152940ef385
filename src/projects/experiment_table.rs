use super::table_sort::{sort_experiments, SortColumn, SortContext, TableSort};
use super::virtual_rows::{visible_rows, ROW_HEIGHT};
use super::{Cells, SweepValues};
use crate::experiments::{scalar_text, StatusBadge};
use crate::format;
use crate::links;
use crate::perf;
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use trackboard_api::{Experiment, ExperimentValues, Page};

/// How many VALUE logs become columns when nobody chose (the column picker shows more).
pub const DEFAULT_VALUE_COLUMNS: usize = 8;

/// The prefix of a parameter's column (as in the results CSV), so a parameter and a
/// VALUE log may share a name.
pub const PARAMETER_PREFIX: &str = "parameters.";

/// Every column the project's experiments have (VALUE logs, then parameters), each
/// kind the most common first, then by name.
pub fn value_names(values: &[ExperimentValues]) -> Vec<String> {
    // Counted by name as logged (a parameter flagged), written out once at the end.
    let mut counted: HashMap<(bool, &str), usize> = HashMap::new();
    for experiment in values {
        let logs = experiment.values.keys().map(|name| (false, name.as_str()));
        let parameters = experiment
            .parameters
            .keys()
            .map(|name| (true, name.as_str()));
        for key in logs.chain(parameters) {
            *counted.entry(key).or_default() += 1;
        }
    }
    // A VALUE log may be named like a parameter's column: one column for both.
    let mut counts: HashMap<String, usize> = HashMap::new();
    for ((parameter, name), count) in counted {
        let name = if parameter {
            format!("{PARAMETER_PREFIX}{name}")
        } else {
            name.to_owned()
        };
        *counts.entry(name).or_default() += count;
    }
    let mut names: Vec<(String, usize)> = counts.into_iter().collect();
    names.sort_by(|a, b| {
        let parameter = |name: &str| name.starts_with(PARAMETER_PREFIX);
        parameter(&a.0)
            .cmp(&parameter(&b.0))
            .then(b.1.cmp(&a.1))
            .then_with(|| a.0.cmp(&b.0))
    });
    names.into_iter().map(|(name, _)| name).collect()
}

/// The columns shown: the chosen ones that exist, in `all`'s order; without a choice,
/// the first [`DEFAULT_VALUE_COLUMNS`] VALUE logs (parameters only when chosen).
pub fn shown_columns(all: &[String], chosen: Option<&[String]>) -> Vec<String> {
    match chosen {
        Some(chosen) => all
            .iter()
            .filter(|name| chosen.contains(name))
            .cloned()
            .collect(),
        None => all
            .iter()
            .filter(|name| !name.starts_with(PARAMETER_PREFIX))
            .take(DEFAULT_VALUE_COLUMNS)
            .cloned()
            .collect(),
    }
}

/// `shown` with `name` turned on or off, in `all`'s order.
pub fn toggled_columns(all: &[String], shown: &[String], name: &str, on: bool) -> Vec<String> {
    all.iter()
        .filter(|candidate| {
            if candidate.as_str() == name {
                on
            } else {
                shown.contains(candidate)
            }
        })
        .cloned()
        .collect()
}

/// The experiments of `page` whose status is `status` (all when empty).
pub fn with_status(page: &Page<Experiment>, status: &str) -> Vec<Experiment> {
    page.items
        .iter()
        .filter(|experiment| status.is_empty() || experiment.status.as_str() == status)
        .cloned()
        .collect()
}

/// The columns a click on a header sorts by, in table order, with their titles.
fn fixed_columns() -> [(SortColumn, &'static str); 4] {
    [
        (SortColumn::Name, "Name"),
        (SortColumn::Status, "Status"),
        (SortColumn::Description, "Description"),
        (SortColumn::Base, "Based on"),
    ]
}

/// A sortable column header: a button that reports the new sort, and `aria-sort`.
#[component]
fn SortHeader(
    column: SortColumn,
    label: String,
    sort: Signal<TableSort>,
    on_sort: Callback<TableSort>,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    let marked = column.clone();
    // The arrow is the stylesheet's, drawn from `aria-sort` (as every sortable table's).
    view! {
        <th scope="col" class=class aria-sort=move || sort.get().aria_sort(&marked)>
            <button type="button" class="sort-button" on:click=move |_| on_sort.run(sort.get_untracked().clicked(column.clone()))>
                {label}
            </button>
        </th>
    }
}

/// A project's experiments as a table sorted by any column (every header is a button),
/// rendering only the rows scrolled into view; or an empty state with the curl line that
/// creates the first experiment.
#[component]
pub fn ExperimentTable(
    /// The full URL of `POST /projects/{id}/experiments`, for the curl line.
    create_url: String,
    page: Arc<Page<Experiment>>,
    values: SweepValues,
    status: String,
    /// The runs the parallel coordinates' brushes keep (`None`: every run).
    #[prop(optional, into)]
    kept: Signal<Option<Vec<i64>>>,
    #[prop(into)] sort: Signal<TableSort>,
    #[prop(into)] on_sort: Callback<TableSort>,
    /// The VALUE columns someone chose (from the URL); `None`: the default ones.
    chosen_columns: Option<Vec<String>>,
    /// Called with the new choice when a column is turned on or off.
    #[prop(into)]
    on_columns: Callback<Vec<String>>,
    /// Whether a name search or filter narrowed the list (an empty one is then no
    /// invitation to create the first experiment).
    #[prop(optional)]
    narrowed: bool,
) -> impl IntoView {
    if page.items.is_empty() && narrowed {
        return view! {
            <div class="empty-state">
                <h2>"No experiment matches"</h2>
                <p>"Change the search or the filter above to see more."</p>
            </div>
        }
        .into_any();
    }
    if page.items.is_empty() {
        let curl = format!(
            "curl -X POST {create_url} -H 'Authorization: Bearer YOUR_TOKEN' -H 'content-type: application/json' -d '{{\"name\": \"first-run\"}}'"
        );
        return view! {
            <div class="empty-state">
                <h2>"No experiments here yet"</h2>
                <p>"Create one from the training script, then log to it:"</p>
                <pre><code>{curl}</code></pre>
            </div>
        }
        .into_any();
    }
    let names: HashMap<i64, String> = page.items.iter().map(|e| (e.id, e.name.clone())).collect();
    let shown = with_status(&page, &status);
    let all_columns = value_names(&values);
    let columns = shown_columns(&all_columns, chosen_columns.as_deref());
    let picker = column_picker(all_columns, columns.clone(), on_columns);
    let values = Cells::new(values);
    let column_count = 7 + columns.len();
    // Sorted once per order; a brush only filters the sorted rows.
    let sorted = Memo::new({
        let (names, values) = (names.clone(), values.clone());
        move |_| {
            let mut rows = shown.clone();
            let context = SortContext {
                names: &names,
                values: &values,
            };
            sort_experiments(&mut rows, &sort.get(), &context);
            rows
        }
    });
    let ordered = Memo::new(move |_| {
        kept.with(|kept| match kept {
            None => sorted.get(),
            Some(ids) => {
                let ids: HashSet<i64> = ids.iter().copied().collect();
                sorted.with(|rows| {
                    rows.iter()
                        .filter(|e| ids.contains(&e.id))
                        .cloned()
                        .collect()
                })
            }
        })
    });
    let count = Memo::new(move |_| ordered.with(Vec::len));
    let total = page.total;
    let summary = move || {
        format!(
            "{} of {}",
            format::grouped(count.get() as u64),
            format::count(total, "experiment", "experiments")
        )
    };
    // Once the rows are in the page, the next frame shows them: that is "painted".
    Effect::new(move |_| {
        request_animation_frame(|| {
            perf::measure_since(perf::names::TABLE_PAINTED, perf::names::EXPERIMENTS_LOADED)
        })
    });
    let selected = RwSignal::new(Vec::<i64>::new());
    let scroll_top = RwSignal::new(0.0);
    let viewport = RwSignal::new(800.0);
    let scroller = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(element) = scroller.get() {
            if element.client_height() > 0 {
                viewport.set(f64::from(element.client_height()));
            }
        }
    });
    let window =
        Memo::new(move |_| visible_rows(count.get(), scroll_top.get(), viewport.get(), ROW_HEIGHT));
    let compare = move || {
        let ids = selected.get();
        if ids.len() >= 2 {
            let state = crate::compare::CompareState {
                ids: ids.clone(),
                ..Default::default()
            };
            view! { <a class="button" href=state.to_url()>{format!("Compare {} experiments", ids.len())}</a> }.into_any()
        } else {
            view! { <button type="button" disabled>"Select two or more to compare"</button> }
                .into_any()
        }
    };
    let spacer = move |rows: usize| {
        (rows > 0).then(|| view! {
            <tr class="spacer" aria-hidden="true" style=format!("height: {}px", rows as f64 * ROW_HEIGHT)>
                <td colspan=column_count></td>
            </tr>
        })
    };
    let row_columns = columns.clone();
    // Runs on every scroll: it reads the lookups in place and copies only the rows in view.
    let rows = move || {
        let range = window.get();
        let visible: Vec<Experiment> = ordered.with(|rows| rows[range.clone()].to_vec());
        view! {
            {spacer(range.start)}
            {visible.into_iter().map(|experiment| experiment_row(experiment, &names, &row_columns, &values, selected)).collect_view()}
            {spacer(count.get_untracked() - range.end)}
        }
    };
    view! {
        <div class="table-actions"><p class="list-summary">{summary}</p>{picker}{compare}</div>
        <div class="table-scroll" node_ref=scroller on:scroll=move |event| {
            let target = event_target::<web_sys::HtmlElement>(&event);
            scroll_top.set(f64::from(target.scroll_top()));
            viewport.set(f64::from(target.client_height()));
        }>
        <table class="data-table experiments-table" aria-rowcount=move || count.get() + 1>
            <thead>
                <tr>
                    <th scope="col"><span class="visually-hidden">"Select"</span></th>
                    {fixed_columns().into_iter().map(|(column, label)| view! {
                        <SortHeader column label=label.to_owned() sort on_sort/>
                    }).collect_view()}
                    {columns.iter().map(|column| view! {
                        <SortHeader column=SortColumn::Value(column.clone()) label=column.clone() sort on_sort class="value-column"/>
                    }).collect_view()}
                    <SortHeader column=SortColumn::Created label="Created".to_owned() sort on_sort/>
                    <SortHeader column=SortColumn::Updated label="Updated".to_owned() sort on_sort/>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        </div>
    }
    .into_any()
}

/// The "Columns" menu: a checkbox per VALUE log of the project.
fn column_picker(
    all: Vec<String>,
    shown: Vec<String>,
    on_columns: Callback<Vec<String>>,
) -> Option<impl IntoView> {
    if all.is_empty() {
        return None;
    }
    let count = format!("Columns ({} of {})", shown.len(), all.len());
    let boxes = all
        .iter()
        .map(|name| {
            let label = name.clone();
            let (all, shown, name) = (all.clone(), shown.clone(), name.clone());
            let checked = shown.contains(&name);
            view! {
                <li><label>
                    <input type="checkbox" prop:checked=checked on:change=move |event| {
                        on_columns.run(toggled_columns(&all, &shown, &name, event_target_checked(&event)));
                    }/>
                    " " {label}
                </label></li>
            }
        })
        .collect_view();
    Some(view! {
        <details class="column-picker">
            <summary>{count}</summary>
            <ul>{boxes}</ul>
        </details>
    })
}

/// One experiment's row: a compare checkbox, its fields and its VALUE columns.
fn experiment_row(
    experiment: Experiment,
    names: &HashMap<i64, String>,
    columns: &[String],
    values: &Cells,
    selected: RwSignal<Vec<i64>>,
) -> impl IntoView {
    let id = experiment.id;
    let base = experiment.base_experiment_id.map(|base| {
        let label = names
            .get(&base)
            .cloned()
            .unwrap_or_else(|| format!("experiment {base}"));
        view! { <a href=links::experiment(base)>{label}</a> }
    });
    let cells: Vec<_> = columns
        .iter()
        .map(|column| {
            let text = values.get(id, column).map(scalar_text);
            view! { <td class="value-cell">{text.unwrap_or_default()}</td> }
        })
        .collect();
    let label = format!("Select {} to compare", experiment.name);
    view! {
        <tr data-experiment-id=id>
            <td>
                <input type="checkbox" aria-label=label prop:checked=move || selected.with(|s| s.contains(&id))
                    on:change=move |event| {
                        let on = event_target_checked(&event);
                        selected.update(|s| { s.retain(|x| *x != id); if on { s.push(id) } });
                    }/>
            </td>
            <td class="experiment-name"><a href=links::experiment(id)>{experiment.name.clone()}</a></td>
            <td><StatusBadge status=experiment.status/></td>
            <td class="project-description" title=experiment.description.clone()>{experiment.description.clone()}</td>
            <td>{base}</td>
            {cells}
            <td class="timestamp"><time datetime=experiment.created_at.clone()>{format::timestamp(&experiment.created_at)}</time></td>
            <td class="timestamp"><time datetime=experiment.updated_at.clone()>{format::timestamp(&experiment.updated_at)}</time></td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::Scalar;

    fn number(value: f64) -> Scalar {
        Scalar::Number(serde_json::Number::from_f64(value).expect("finite"))
    }

    #[test]
    fn a_choice_of_columns_keeps_the_projects_order_and_drops_unknown_names() {
        let all: Vec<String> = ["loss", "acc", "f1"].map(String::from).to_vec();
        assert_eq!(shown_columns(&all, None), all);
        let chosen = ["f1".to_owned(), "gone".to_owned(), "loss".to_owned()];
        assert_eq!(shown_columns(&all, Some(&chosen)), ["loss", "f1"]);
        assert!(shown_columns(&all, Some(&[])).is_empty());
        let many: Vec<String> = (0..12).map(|i| format!("v{i:02}")).collect();
        assert_eq!(shown_columns(&many, None).len(), DEFAULT_VALUE_COLUMNS);
        assert_eq!(
            toggled_columns(&all, &["f1".to_owned()], "loss", true),
            ["loss", "f1"]
        );
        assert_eq!(toggled_columns(&all, &all, "acc", false), ["loss", "f1"]);
    }

    #[test]
    fn value_columns_put_the_most_common_first_then_parameters() {
        let values = vec![
            ExperimentValues {
                experiment_id: 1,
                values: [("b".to_owned(), number(1.0)), ("a".to_owned(), number(2.0))].into(),
                parameters: [("lr".to_owned(), number(0.1))].into(),
            },
            ExperimentValues {
                experiment_id: 2,
                values: [("b".to_owned(), number(3.0))].into(),
                parameters: [
                    ("lr".to_owned(), number(0.2)),
                    ("a".to_owned(), number(4.0)),
                ]
                .into(),
            },
        ];
        let all = value_names(&values);
        assert_eq!(all, ["b", "a", "parameters.lr", "parameters.a"]);
        // Parameters show when chosen, never by default.
        assert_eq!(shown_columns(&all, None), ["b", "a"]);
        assert_eq!(
            shown_columns(&all, Some(&["parameters.a".to_owned()])),
            ["parameters.a"]
        );
        let id = values[1].experiment_id;
        let cells = Cells::new(std::sync::Arc::new(values));
        assert_eq!(
            cells.get(id, "a"),
            None,
            "a parameter is not the VALUE log of its name"
        );
        assert_eq!(cells.get(id, "parameters.a"), Some(&number(4.0)));
    }
}
