//! Parallel coordinates of the listed runs: an axis per chosen numeric column, lines
//! coloured by a chosen metric. Dragging along an axis brushes it (the runs whose value
//! lies in the stretch are kept, and the table shows only them); a click on an axis
//! clears its brush; a click on a line opens its run.

use super::parallel_model::{brushed, parallel_lines};
use super::sweep_columns::{column_kinds, ColumnKinds};
use super::SweepValues;
use crate::charts::{draw_parallel_on, AxesOnScreen};
use crate::links;
use leptos::html::Canvas;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::collections::HashSet;
use trackboard_api::Experiment;

/// A pointer within this many CSS pixels of an axis brushes it.
const AXIS_REACH: f64 = 16.0;
/// A pointer within this many CSS pixels of a line picks it.
const LINE_REACH: f64 = 5.0;

/// The axis nearest `x` (CSS pixels) within reach.
pub fn axis_at(place: &AxesOnScreen, x: f64) -> Option<usize> {
    place
        .xs
        .iter()
        .enumerate()
        .map(|(index, ax)| (index, (ax - x).abs()))
        .filter(|(_, distance)| *distance <= AXIS_REACH)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(index, _)| index)
}

/// A height (0 bottom, 1 top) from a y in CSS pixels, clamped to the axes.
pub fn height_at(place: &AxesOnScreen, y: f64) -> f64 {
    let span = place.bottom - place.top;
    if span <= 0.0 {
        return 0.0;
    }
    ((place.bottom - y) / span).clamp(0.0, 1.0)
}

/// Distance from `(x, y)` to the segment `a`–`b`.
fn to_segment((x, y): (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = dx * dx + dy * dy;
    let t = if length > 0.0 {
        (((x - a.0) * dx + (y - a.1) * dy) / length).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (x - (a.0 + t * dx)).hypot(y - (a.1 + t * dy))
}

#[component]
pub fn ParallelCoordinates(
    experiments: Vec<Experiment>,
    values: SweepValues,
    /// The runs the brushes keep (`None`: no brush).
    #[prop(into)]
    on_brush: Callback<Option<Vec<i64>>>,
) -> impl IntoView {
    let ColumnKinds { numeric, texts } = column_kinds(&values);
    // A column with numbers and texts is categorical; the rest numeric.
    let mut columns: Vec<String> = numeric
        .iter()
        .filter(|c| !texts.contains(c))
        .cloned()
        .collect();
    columns.extend(texts.iter().cloned());
    if columns.len() < 2 {
        return view! {
            <p class="empty-note">"Parallel coordinates need two columns (VALUE logs or parameters)."</p>
        }
        .into_any();
    }
    // Parameters first (what was varied), then metrics (what came of it), six at most,
    // the last a metric when there is one: a sweep of twenty parameters would otherwise
    // show no result at all.
    let of_kind = |prefix: &str| -> Vec<String> {
        columns
            .iter()
            .filter(|c| c.starts_with(prefix))
            .cloned()
            .collect()
    };
    let metrics = of_kind("metrics.");
    let parameter_axes = if metrics.is_empty() { 6 } else { 5 };
    let mut defaults: Vec<String> = of_kind("params.")
        .into_iter()
        .take(parameter_axes)
        .collect();
    defaults.extend(metrics.into_iter().take(6 - defaults.len()));
    let colour_default = defaults
        .iter()
        .rev()
        .find(|c| numeric.contains(c) && !texts.contains(c))
        .cloned()
        .unwrap_or_default();
    let chosen = RwSignal::new(defaults);
    let colour = RwSignal::new(colour_default);
    let logged = RwSignal::new(Vec::<String>::new());
    let shown: Vec<i64> = experiments.iter().map(|e| e.id).collect();
    let values = StoredValue::new(values);
    let model = Memo::new(move |_| {
        let chosen = chosen.get();
        let logged = logged.get();
        values.with_value(|values| parallel_lines(values, &shown, &chosen, &colour.get(), &logged))
    });
    let brushes = RwSignal::new(Vec::<(usize, f64, f64)>::new());
    let kept = Memo::new(move |_| {
        model.with(|(_, lines)| {
            brushed(lines, &brushes.get())
                .into_iter()
                .collect::<HashSet<i64>>()
        })
    });
    Effect::new(move |_| {
        let active = !brushes.with(Vec::is_empty);
        let ids: Vec<i64> = model.with(|(_, lines)| {
            kept.with(|kept| {
                lines
                    .iter()
                    .map(|l| l.experiment_id)
                    .filter(|id| kept.contains(id))
                    .collect()
            })
        });
        on_brush.run(active.then_some(ids));
    });
    let canvas = NodeRef::<Canvas>::new();
    let placed = RwSignal::new(AxesOnScreen::default());
    draw_parallel_on(canvas, model, kept, brushes, placed);
    // A drag in progress: its axis, where it started and where it is.
    let drag = RwSignal::new(None::<(usize, f64, f64)>);
    let start = move |event: web_sys::MouseEvent| {
        let place = placed.get_untracked();
        let (x, y) = (f64::from(event.offset_x()), f64::from(event.offset_y()));
        if let Some(axis) = axis_at(&place, x) {
            let height = height_at(&place, y);
            drag.set(Some((axis, height, height)));
        }
    };
    let move_drag = move |event: web_sys::MouseEvent| {
        if let Some((axis, from, _)) = drag.get_untracked() {
            let height = height_at(&placed.get_untracked(), f64::from(event.offset_y()));
            drag.set(Some((axis, from, height)));
            brushes.update(|all| {
                all.retain(|(a, _, _)| *a != axis);
                all.push((axis, from, height));
            });
        }
    };
    let navigate = use_navigate();
    let end = move |event: web_sys::MouseEvent| {
        let place = placed.get_untracked();
        let (x, y) = (f64::from(event.offset_x()), f64::from(event.offset_y()));
        match drag.get_untracked() {
            // A click on an axis (no drag) clears its brush.
            Some((axis, from, to)) if (from - to).abs() < 0.01 => {
                brushes.update(|all| all.retain(|(a, _, _)| *a != axis));
            }
            Some(_) => {}
            None => {
                // A click elsewhere opens the run of the nearest line within reach.
                let nearest = model.with_untracked(|(_, lines)| {
                    lines
                        .iter()
                        .filter_map(|line| {
                            let points: Vec<(f64, f64)> = line
                                .heights
                                .iter()
                                .enumerate()
                                .filter_map(|(i, h)| {
                                    let h = (*h)?;
                                    let px = *place.xs.get(i)?;
                                    Some((px, place.bottom - h * (place.bottom - place.top)))
                                })
                                .collect();
                            let distance = points
                                .windows(2)
                                .map(|pair| to_segment((x, y), pair[0], pair[1]))
                                .fold(f64::INFINITY, f64::min);
                            (distance <= LINE_REACH).then_some((line.experiment_id, distance))
                        })
                        .min_by(|a, b| a.1.total_cmp(&b.1))
                        .map(|(id, _)| id)
                });
                if let Some(id) = nearest {
                    navigate(&links::experiment(id), Default::default());
                }
            }
        }
        drag.set(None);
    };
    let toggle = move |column: String, on: bool| {
        brushes.set(Vec::new());
        chosen.update(|chosen| {
            chosen.retain(|c| *c != column);
            if on {
                chosen.push(column);
            }
        });
    };
    let toggle_log = move |column: String, on: bool| {
        brushes.set(Vec::new());
        logged.update(|logged| {
            logged.retain(|c| *c != column);
            if on {
                logged.push(column);
            }
        });
    };
    let pickers = columns
        .iter()
        .map(|column| {
            let (name, checked_name) = (column.clone(), column.clone());
            // A numeric axis may be log-scaled; a categorical one lists its values.
            let log = (!texts.contains(column)).then(|| {
                let (name, checked_name) = (column.clone(), column.clone());
                view! {
                    <label class="axis-log">
                        <input type="checkbox" aria-label=format!("{name} on a log scale") prop:checked=move || logged.with(|l| l.contains(&checked_name))
                            on:change=move |e| toggle_log(name.clone(), event_target_checked(&e))/>
                        " log"
                    </label>
                }
            });
            view! {
                <span class="axis-choice">
                    <label>
                        <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&checked_name))
                            on:change=move |e| toggle(name.clone(), event_target_checked(&e))/>
                        {column.clone()}
                    </label>
                    {log}
                </span>
            }
        })
        .collect_view();
    let colour_options = numeric
        .iter()
        .map(|column| {
            let (value, compared) = (column.clone(), column.clone());
            view! { <option value=value selected=move || colour.get() == compared>{column.clone()}</option> }
        })
        .collect_view();
    let count = move || {
        let total = model.with(|(_, lines)| lines.len());
        let kept = kept.with(HashSet::len);
        if brushes.with(Vec::is_empty) {
            format!("{total} runs; drag along an axis to keep a stretch of it.")
        } else {
            format!("{kept} of {total} runs kept; click an axis to clear its brush.")
        }
    };
    let compare = move || {
        let ids: Vec<String> = kept.with(|kept| {
            model.with(|(_, lines)| {
                lines
                    .iter()
                    .map(|l| l.experiment_id)
                    .filter(|id| kept.contains(id))
                    .map(|id| id.to_string())
                    .collect()
            })
        });
        (!brushes.with(Vec::is_empty) && ids.len() >= 2).then(|| {
            let href = format!("/compare?ids={}", ids.join(","));
            view! { <a class="button-link" href=href>{format!("Compare the {} kept runs", ids.len())}</a> }
        })
    };
    let axes_data = move || {
        let place = placed.get();
        let xs: Vec<String> = place.xs.iter().map(|x| format!("{x:.1}")).collect();
        format!(
            "{{\"xs\":[{}],\"top\":{:.1},\"bottom\":{:.1}}}",
            xs.join(","),
            place.top,
            place.bottom
        )
    };
    view! {
        <div class="parallel-coords">
            <fieldset class="axis-choices">
                <legend>"Axes"</legend>
                {pickers}
            </fieldset>
            <div class="toolbar">
                <label for="parallel-colour">"Colour"</label>
                <select id="parallel-colour" on:change=move |e| colour.set(event_target_value(&e))>{colour_options}</select>
            </div>
            <canvas node_ref=canvas class="chart-canvas parallel-canvas" role="img"
                aria-label=move || format!("Parallel coordinates of {}", chosen.get().join(", "))
                data-axes=axes_data
                on:mousedown=start on:mousemove=move_drag on:mouseup=end></canvas>
            <p class="scatter-readout" aria-live="polite">{count} " " {compare}</p>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pointer_finds_axes_heights_and_lines() {
        let place = AxesOnScreen {
            xs: vec![50.0, 150.0, 250.0],
            top: 20.0,
            bottom: 220.0,
        };
        assert_eq!(axis_at(&place, 145.0), Some(1));
        assert_eq!(axis_at(&place, 100.0), None);
        assert_eq!(height_at(&place, 20.0), 1.0);
        assert_eq!(height_at(&place, 120.0), 0.5);
        assert_eq!(height_at(&place, 400.0), 0.0);
        assert_eq!(to_segment((5.0, 3.0), (0.0, 0.0), (10.0, 0.0)), 3.0);
        assert_eq!(to_segment((13.0, 4.0), (0.0, 0.0), (10.0, 0.0)), 5.0);
    }
}
