//! A scatter of the listed runs, any numeric column against any (the filter narrows
//! them): linear or log axes, dots coloured by a third column, the run under the pointer
//! named, a click opening it.

use super::sweep_columns::{column_value, numeric_columns, scatter_points};
use super::SweepValues;
use crate::charts::draw_scatter_on;
use crate::links;
use leptos::html::Canvas;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::collections::HashMap;
use trackboard_api::Experiment;

/// A pointer within this many CSS pixels of a dot is on it.
const REACH: f64 = 10.0;

/// The run whose dot is nearest `(x, y)` (CSS pixels), if one is within reach.
pub fn dot_at(placed: &[(i64, f64, f64)], x: f64, y: f64) -> Option<i64> {
    placed
        .iter()
        .map(|(id, px, py)| (*id, (px - x).hypot(py - y)))
        .filter(|(_, distance)| *distance <= REACH)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

#[component]
pub fn SweepScatter(experiments: Vec<Experiment>, values: SweepValues) -> impl IntoView {
    let columns = numeric_columns(&values);
    if columns.len() < 2 {
        return view! {
            <p class="empty-note">"A scatter needs two numeric columns (VALUE logs or parameters)."</p>
        }
        .into_any();
    }
    let names: HashMap<i64, String> = experiments.iter().map(|e| (e.id, e.name.clone())).collect();
    let shown: Vec<i64> = experiments.iter().map(|e| e.id).collect();
    let x_column = RwSignal::new(columns[0].clone());
    let y_column = RwSignal::new(columns[1].clone());
    let colour_column = RwSignal::new(String::new());
    let (log_x, log_y) = (RwSignal::new(false), RwSignal::new(false));
    let values = StoredValue::new(values);
    let names = StoredValue::new(names);
    let points = Memo::new(move |_| {
        values.with_value(|values| {
            scatter_points(
                values,
                &shown,
                (&x_column.get(), &y_column.get()),
                &colour_column.get(),
                (log_x.get(), log_y.get()),
            )
        })
    });
    let canvas = NodeRef::<Canvas>::new();
    // Each dot's run and place in CSS pixels, from the last drawing.
    let placed = RwSignal::new(Vec::<(i64, f64, f64)>::new());
    let hovered = RwSignal::new(None::<i64>);
    draw_scatter_on(canvas, points, (log_x, log_y), placed);
    let at_pointer = move |event: &web_sys::MouseEvent| {
        dot_at(
            &placed.get_untracked(),
            f64::from(event.offset_x()),
            f64::from(event.offset_y()),
        )
    };
    let navigate = use_navigate();
    let open = move |event: web_sys::MouseEvent| {
        if let Some(id) = at_pointer(&event) {
            navigate(&links::experiment(id), Default::default());
        }
    };
    let readout = move || {
        let id = hovered.get()?;
        let name = names.with_value(|names| names.get(&id).cloned().unwrap_or_default());
        let value = |column: &str| {
            values.with_value(|values| {
                values
                    .iter()
                    .find(|run| run.experiment_id == id)
                    .and_then(|run| column_value(run, column))
                    .map_or("—".to_owned(), |v| v.to_string())
            })
        };
        Some(format!(
            "{name}: {} = {}, {} = {}",
            x_column.get(),
            value(&x_column.get()),
            y_column.get(),
            value(&y_column.get())
        ))
    };
    let options = move |chosen: RwSignal<String>, none: bool| {
        let columns = columns.clone();
        view! {
            {none.then(|| view! { <option value="" selected=move || chosen.get().is_empty()>"none"</option> })}
            {columns.into_iter().map(|column| {
                let (value, label, compared) = (column.clone(), column.clone(), column);
                view! { <option value=value selected=move || chosen.get() == compared>{label}</option> }
            }).collect_view()}
        }
    };
    let summary = move || {
        let count = points.with(Vec::len);
        format!(
            "Scatter of {count} runs: {} against {}",
            y_column.get(),
            x_column.get()
        )
    };
    let data_points = move || {
        let text: Vec<String> = placed
            .get()
            .iter()
            .map(|(id, x, y)| format!("[{id},{x:.1},{y:.1}]"))
            .collect();
        format!("[{}]", text.join(","))
    };
    view! {
        <div class="sweep-scatter">
            <div class="toolbar scatter-controls">
                <label for="scatter-x">"X"</label>
                <select id="scatter-x" on:change=move |e| x_column.set(event_target_value(&e))>{options(x_column, false)}</select>
                <label><input type="checkbox" prop:checked=log_x on:change=move |e| log_x.set(event_target_checked(&e))/>" log X"</label>
                <label for="scatter-y">"Y"</label>
                <select id="scatter-y" on:change=move |e| y_column.set(event_target_value(&e))>{options(y_column, false)}</select>
                <label><input type="checkbox" prop:checked=log_y on:change=move |e| log_y.set(event_target_checked(&e))/>" log Y"</label>
                <label for="scatter-colour">"Colour"</label>
                <select id="scatter-colour" on:change=move |e| colour_column.set(event_target_value(&e))>{options(colour_column, true)}</select>
            </div>
            <canvas node_ref=canvas class="chart-canvas scatter-canvas" role="img" aria-label=summary
                data-points=data_points
                on:mousemove=move |event| hovered.set(at_pointer(&event))
                on:mouseleave=move |_| hovered.set(None)
                on:click=open
                style:cursor=move || if hovered.get().is_some() { "pointer" } else { "default" }></canvas>
            <p class="scatter-readout" aria-live="polite">{move || readout().unwrap_or_else(|| "Point at a dot to name its run; click to open it.".to_owned())}</p>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_dot_within_reach_is_picked() {
        let placed = [(1, 10.0, 10.0), (2, 14.0, 10.0), (3, 100.0, 100.0)];
        assert_eq!(dot_at(&placed, 13.0, 10.0), Some(2));
        assert_eq!(dot_at(&placed, 10.0, 11.0), Some(1));
        assert_eq!(dot_at(&placed, 50.0, 50.0), None);
    }
}
