//! The bar chart component: a canvas painted by [`draw_bar_chart`] once on screen (and
//! again at each new width), a legend when several series share it, a table view and
//! CSV/PNG exports.

use super::bar_groups::BarGroups;
use super::canvas::{device_ratio, prefers_dark, sized_backend, watch_canvas};
use super::chart_actions::ChartActions;
use super::draw_bar::draw_bar_chart;
use super::theme::{series_colour, ChartTheme};
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;

/// A BAR log (`BarGroups::single`), or one BAR log of several experiments grouped by
/// category (`BarGroups::compare`).
#[component]
pub fn BarChart(name: String, groups: BarGroups) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let width = RwSignal::new(None::<u32>);
    let show_table = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(element) = canvas.get() {
            watch_canvas(element, width);
        }
    });
    let groups = StoredValue::new(groups);
    Effect::new(move |_| {
        if let (Some(element), Some(_)) = (canvas.get(), width.get()) {
            if let Some(backend) = sized_backend(&element) {
                let root = backend.into_drawing_area();
                let theme = ChartTheme::new(prefers_dark(), device_ratio());
                let drawn = groups.with_value(|groups| draw_bar_chart(&root, groups, &theme));
                if let Err(error) = drawn {
                    leptos::logging::warn!("could not draw a bar chart: {error}");
                }
            }
        }
    });
    let summary = groups.with_value(BarGroups::summary);
    let legend = groups.with_value(|groups| {
        (groups.series.len() > 1).then(|| {
            let items = groups
                .series
                .iter()
                .enumerate()
                .map(|(index, (series, _))| {
                    let colour = series_colour(index);
                    let style = format!("background: rgb({}, {}, {})", colour.0, colour.1, colour.2);
                    view! { <li><span class="swatch bar-swatch" style=style></span>{series.clone()}</li> }
                })
                .collect_view();
            view! { <ul class="chart-legend">{items}</ul> }
        })
    });
    // The table shows every value exactly, not rounded like the axis labels.
    let table = move || {
        show_table.get().then(|| {
            groups.with_value(|groups| {
                let named = groups.series.len() > 1;
                view! {
                    <table class="data-table bar-table">
                        <caption class="visually-hidden">{format!("The bars of {}", groups.labels.len())}</caption>
                        <thead><tr>
                            <th scope="col">"Label"</th>
                            {groups.series.iter().map(|(series, _)| {
                                let title = if named { series.clone() } else { "Value".to_owned() };
                                view! { <th scope="col">{title}</th> }
                            }).collect_view()}
                        </tr></thead>
                        <tbody>{groups.labels.iter().enumerate().map(|(index, label)| view! {
                            <tr>
                                <th scope="row">{label.clone()}</th>
                                {groups.series.iter().map(|(_, values)| view! {
                                    <td>{values[index].map_or("—".to_owned(), |value| value.to_string())}</td>
                                }).collect_view()}
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                }
            })
        })
    };
    view! {
        <figure class="chart bar-chart">
            <figcaption>{name.clone()}</figcaption>
            <canvas node_ref=canvas class="chart-canvas" role="img" aria-label=format!("Bar chart of {name}: {summary}")></canvas>
            {legend}
            <ChartActions name show_table csv=move |()| groups.with_value(BarGroups::csv) png=move |()| canvas.get()/>
            {table}
        </figure>
    }
}
