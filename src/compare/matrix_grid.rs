//! Past a dozen runs the compare view draws each confusion matrix once per run in
//! miniature, in one grid (small multiples) instead of a full heatmap a run: sortable by
//! a chosen cell, highest first, with that cell's value under each run's name.

use crate::charts::{cell_colour, cell_text, CellMode, HeatmapModel};
use crate::links;
use leptos::prelude::*;

/// More runs than this: matrices as small multiples, tables as their differences.
pub const SMALL_MULTIPLES_PAST: usize = 12;

/// The width of a miniature in CSS pixels.
const MINI_WIDTH: f64 = 132.0;

/// The order runs are shown in: as compared, or by the value of `cell` (row, column),
/// highest first, runs without that cell last.
pub fn order_by_cell(models: &[&HeatmapModel], cell: Option<(usize, usize)>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..models.len()).collect();
    if let Some((row, column)) = cell {
        let value = |index: usize| {
            models[index]
                .cells
                .get(row)
                .and_then(|cells| cells.get(column))
                .copied()
        };
        order.sort_by(|a, b| match (value(*a), value(*b)) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    }
    order
}

/// A matrix in miniature: a cell a unit, coloured as the full heatmap colours it, the
/// chosen cell outlined.
fn miniature(model: &HeatmapModel, chosen: Option<(usize, usize)>) -> impl IntoView {
    let (rows, columns) = (model.rows.len().max(1), model.columns.len().max(1));
    let height = MINI_WIDTH * rows as f64 / columns as f64;
    let cells = model
        .cells
        .iter()
        .enumerate()
        .flat_map(|(r, row)| {
            row.iter().enumerate().map(move |(c, value)| {
                let ((red, green, blue), _) = cell_colour(*value, model.max);
                let fill = format!("rgb({red},{green},{blue})");
                view! { <rect x=c.to_string() y=r.to_string() width="1" height="1" fill=fill/> }
            })
        })
        .collect_view();
    let outline = chosen.map(|(r, c)| {
        view! { <rect class="mini-chosen" x=c.to_string() y=r.to_string() width="1" height="1"/> }
    });
    view! {
        <svg class="matrix-mini" viewBox=format!("0 0 {columns} {rows}") width=MINI_WIDTH.to_string()
            height=format!("{height:.0}") preserveAspectRatio="none" aria-hidden="true">
            {cells}{outline}
        </svg>
    }
}

#[component]
pub fn MatrixGrid(
    name: String,
    /// The section's place on the page (its controls' ids).
    position: usize,
    runs: Vec<(i64, String, HeatmapModel)>,
) -> impl IntoView {
    let Some((_, _, first)) = runs.first() else {
        return ().into_any();
    };
    let cell_options = first
        .rows
        .iter()
        .enumerate()
        .flat_map(|(r, row)| {
            first.columns.iter().enumerate().map(move |(c, column)| {
                let label = format!("{row} → {column}");
                view! { <option value=format!("{r},{c}")>{label}</option> }
            })
        })
        .collect_view();
    let chosen = RwSignal::new(None::<(usize, usize)>);
    let runs = StoredValue::new(runs);
    let select_id = format!("matrix-sort-{position}");
    let grid = move || {
        let chosen = chosen.get();
        runs.with_value(|runs| {
            let models: Vec<&HeatmapModel> = runs.iter().map(|(_, _, model)| model).collect();
            order_by_cell(&models, chosen)
                .into_iter()
                .map(|index| {
                    let (id, run_name, model) = &runs[index];
                    let value = chosen.and_then(|(r, c)| model.cells.get(r)?.get(c).copied());
                    let caption = value.map(|v| format!(": {}", cell_text(v, CellMode::Counts)));
                    view! {
                        <figure class="matrix-small" data-experiment-id=id.to_string()>
                            {miniature(model, chosen)}
                            <figcaption><a href=links::experiment(*id)>{run_name.clone()}</a>{caption}</figcaption>
                        </figure>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="matrix-grid-section">
            <h3>{name.clone()}</h3>
            <div class="toolbar">
                <label for=select_id.clone()>"Sort by cell"</label>
                <select id=select_id on:change=move |event| {
                    let value = event_target_value(&event);
                    let cell = value.split_once(',').and_then(|(r, c)| Some((r.parse().ok()?, c.parse().ok()?)));
                    chosen.set(cell);
                }>
                    <option value="">"run order"</option>
                    {cell_options}
                </select>
            </div>
            <div class="matrix-grid">{grid}</div>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(cells: Vec<Vec<f64>>) -> HeatmapModel {
        HeatmapModel {
            rows: vec!["a".into(), "b".into()],
            columns: vec!["a".into(), "b".into()],
            cells,
            max: 10.0,
        }
    }

    #[test]
    fn runs_sort_by_the_chosen_cell_highest_first() {
        let owned = [
            model(vec![vec![1.0, 5.0], vec![0.0, 2.0]]),
            model(vec![vec![9.0, 1.0], vec![3.0, 2.0]]),
            model(vec![vec![4.0]]),
        ];
        let models: Vec<&HeatmapModel> = owned.iter().collect();
        assert_eq!(order_by_cell(&models, None), [0, 1, 2]);
        assert_eq!(order_by_cell(&models, Some((0, 0))), [1, 2, 0]);
        // Run 2 has no cell (0, 1): last.
        assert_eq!(order_by_cell(&models, Some((0, 1))), [0, 1, 2]);
        assert_eq!(order_by_cell(&models, Some((1, 0))), [1, 0, 2]);
    }
}
