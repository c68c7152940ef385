//! The line chart component: measures its canvas, asks the server for the points at
//! that width in device pixels (for the zoomed step range, if any), paints them with
//! [`draw_line_chart`], and turns the mouse into hover read-outs and zooms.

use super::canvas::{device_ratio, prefers_dark, sized_backend, watch_canvas};
use super::keyboard::{chart_key, zoom_in, ChartKey};
use super::line_controls::LineControls;
use super::live_tail::{tail_range, with_tail, Tail, LIVE_EVERY};
use super::theme::{series_colour, ChartTheme};
use super::time_axis::{fetch_clocks, nearest_placed, placed, steps_between, XAxis};
use super::{
    draw_line_chart, nearest, LineChartModel, LineStyle, PlotFrame, PointsSource, XLabels,
};
use crate::api::ApiClient;
use crate::format;
use crate::perf;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use std::sync::Arc;
use trackboard_api::LinePoints;

/// A drag narrower than this (CSS pixels) is a click, not a zoom.
const MIN_DRAG: f64 = 4.0;

/// Each series' points as (x, step, value) on a time axis (`time_axis::placed`).
type Placed = Arc<Vec<Vec<(f64, i64, Option<f64>)>>>;

/// A LINE log (of one experiment, or across experiments), drawn with a legend, hover
/// read-out, drag-to-zoom (double-click resets), smoothing, log scale, a table view and
/// exports. `zoom` and `smoothing` may come from the caller (the compare view keeps them
/// in the URL); otherwise the chart keeps its own.
#[component]
pub fn LineChart(
    source: PointsSource,
    #[prop(optional)] zoom: Option<RwSignal<Option<(i64, i64)>>>,
    #[prop(optional)] smoothing: Option<RwSignal<f64>>,
    /// While true (something drawn is running), the unzoomed chart asks for new steps
    /// every few seconds and appends them.
    #[prop(optional, into)]
    live: Option<Signal<bool>>,
) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let snapshot = client.is_snapshot();
    let canvas = NodeRef::<Canvas>::new();
    let device_width = RwSignal::new(None::<u32>);
    let zoom = zoom.unwrap_or_else(|| RwSignal::new(None));
    let smoothing = smoothing.unwrap_or_else(|| RwSignal::new(0.0));
    let log_name = source.log_name().to_owned();
    let experiments = source.experiments();
    let log_y = RwSignal::new(false);
    let show_table = RwSignal::new(false);
    let frame = RwSignal::new(None::<PlotFrame>);
    let hover = RwSignal::new(None::<f64>);
    let drag = RwSignal::new(None::<(f64, f64)>);
    let x_axis = RwSignal::new(XAxis::Step);
    // On a time axis: where the points landed (hover, zoom), set as they are painted.
    let placement = RwSignal::new(None::<Placed>);
    let (clock_client, clock_source) = (client.clone(), source.clone());
    let clocks = LocalResource::new(move || {
        let (client, source, axis) = (clock_client.clone(), clock_source.clone(), x_axis.get());
        async move {
            match axis {
                XAxis::Step => None,
                _ => Some(fetch_clocks(&client, &source).await.map(Arc::new)),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(element) = canvas.get() {
            watch_canvas(element, device_width);
        }
    });
    let (live_client, live_source) = (client.clone(), source.clone());
    let points = LocalResource::new(move || {
        let client = client.clone();
        let source = source.clone();
        let (width, range) = (device_width.get(), zoom.get());
        async move {
            match width {
                // Shared, not copied: the paint effect, legend, hover read-out and table
                // all read it, and a wide comparison holds ~10 MB of points.
                Some(width) => Some(source.fetch(&client, range, width).await.map(Arc::new)),
                None => None,
            }
        }
    });
    // The points with the live tail appended since the range was read; cleared when
    // the range is read again.
    let grown = RwSignal::new(None::<Arc<LinePoints>>);
    Effect::new(move |_| {
        points.track();
        grown.set(None);
    });
    let shown = move || match grown.get() {
        Some(points) => Some(Ok(points)),
        None => points.get().flatten(),
    };
    Effect::new(move |_| {
        let axis = x_axis.get();
        let style = LineStyle {
            smoothing: smoothing.get(),
            log_y: log_y.get(),
            x_labels: match axis {
                XAxis::Step => XLabels::Steps,
                XAxis::WallTime => XLabels::Clock,
                XAxis::Relative => XLabels::Duration,
            },
        };
        let (Some(element), Some(Ok(points))) = (canvas.get(), shown()) else {
            return;
        };
        if axis == XAxis::Step {
            placement.set(None);
            let model = points
                .from
                .zip(points.to)
                .and_then(|(from, to)| LineChartModel::new(&points.series, from, to));
            frame.set(model.and_then(|model| paint(&element, &model, style)));
            return;
        }
        if let Some(Ok(clocks)) = clocks.get().flatten() {
            let placed: Placed = Arc::new(placed(&points, &clocks, axis));
            let names = points.series.iter().map(|series| series.name.clone());
            let model = LineChartModel::from_placed(&placed, names);
            frame.set(model.and_then(|model| paint(&element, &model, style)));
            placement.set(Some(placed));
        }
    });
    // What a time axis says under the chart: loading, why it failed, or that the
    // points have no times.
    let time_note = move || {
        if x_axis.get() == XAxis::Step {
            return None;
        }
        Some(match clocks.get().flatten() {
            None => "Loading when the points were logged…".to_owned(),
            Some(Err(error)) => format!("Wall times unavailable: {error}"),
            Some(Ok(_)) => match placement.get() {
                Some(placed) if placed.iter().all(Vec::is_empty) => {
                    "These points have no wall times: they were logged before Trackboard kept them."
                        .to_owned()
                }
                _ => return None,
            },
        })
    };
    let loaded = move || match shown() {
        Some(Ok(points)) => Some(points),
        _ => None,
    };
    if let Some(live) = live {
        let (client, source) = (live_client, live_source);
        let poll = move || {
            if !live.get_untracked() || zoom.get_untracked().is_some() {
                return;
            }
            let have = grown
                .get_untracked()
                .or_else(|| points.get_untracked().flatten().and_then(Result::ok));
            let (Some(width), Some(have)) = (device_width.get_untracked(), have) else {
                return;
            };
            let Some(range) = tail_range(&have) else {
                return;
            };
            let (client, source) = (client.clone(), source.clone());
            leptos::task::spawn_local(async move {
                let Ok(tail) = source.fetch(&client, Some(range), width).await else {
                    return;
                };
                // The chart left the page while the tail was on its way.
                if grown.is_disposed() {
                    return;
                }
                // Zoomed, resized or reloaded meanwhile: this tail is not for what is shown.
                let current = grown
                    .get_untracked()
                    .or_else(|| points.get_untracked().flatten().and_then(Result::ok));
                if !current.is_some_and(|current| Arc::ptr_eq(&current, &have)) {
                    return;
                }
                match with_tail(&have, &tail, width) {
                    Tail::Unchanged => {}
                    Tail::Appended(more) => grown.set(Some(Arc::new(more))),
                    Tail::Reload => points.refetch(),
                }
            });
        };
        if let Ok(handle) = set_interval_with_handle(poll, LIVE_EVERY) {
            on_cleanup(move || handle.clear());
        }
    }
    // The x under a CSS pixel column: a step, or a time on a time axis.
    let x_at = move |css_x: f64| {
        frame
            .get()
            .map(|frame| frame.step_at(css_x * device_ratio()))
    };
    // The step under a CSS pixel column: on a time axis, the nearest point's.
    let step_at = move |css_x: f64| {
        let x = x_at(css_x)?;
        match placement.get() {
            None => Some(x),
            Some(placed) => placed
                .iter()
                .find_map(|points| nearest_placed(points, x).map(|at| points[at].1 as f64)),
        }
    };
    let on_up = move |event: leptos::ev::MouseEvent| {
        if let Some((start, _)) = drag.get_untracked() {
            let end = f64::from(event.offset_x());
            if (end - start).abs() >= MIN_DRAG {
                if let (Some(a), Some(b)) = (x_at(start), x_at(end)) {
                    let range = match placement.get_untracked() {
                        Some(placed) => steps_between(&placed, a, b),
                        None => {
                            let (from, to) = (a.min(b).floor() as i64, a.max(b).ceil() as i64);
                            (from < to).then_some((from, to))
                        }
                    };
                    if let Some(range) = range {
                        zoom.set(Some(range));
                    }
                }
            }
        }
        drag.set(None);
    };
    // The keyboard moves the same cursor the mouse does, and zooms around it.
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        let Some(action) = chart_key(&event.key(), event.shift_key()) else {
            return;
        };
        let Some(element) = canvas.get_untracked() else {
            return;
        };
        event.prevent_default();
        let css_width = f64::from(element.client_width());
        match action {
            ChartKey::Move(fraction) => hover.update(|x| {
                let at = x.unwrap_or(css_width / 2.0) + fraction * css_width;
                *x = Some(at.clamp(0.0, css_width));
            }),
            ChartKey::ZoomIn => {
                let range = loaded().and_then(|points| Some((points.from?, points.to?)));
                let centre = step_at(hover.get_untracked().unwrap_or(css_width / 2.0));
                if let (Some(range), Some(centre)) = (range, centre) {
                    if let Some(narrower) = zoom_in(range, centre) {
                        zoom.set(Some(narrower));
                    }
                }
            }
            ChartKey::Reset => zoom.set(None),
        }
    };
    let readout = move || {
        let (x, points) = (hover.get()?, loaded()?);
        if let Some(placed) = placement.get() {
            let at = x_at(x)?;
            let rows: Vec<_> = points
                .series
                .iter()
                .zip(placed.iter())
                .enumerate()
                .filter_map(|(index, (series, placed))| {
                    let (time, step, value) = placed[nearest_placed(placed, at)?];
                    let value = value.map_or("gap".to_owned(), format::value);
                    let when = match x_axis.get() {
                        XAxis::WallTime => format::clock_tick(time),
                        _ => format::duration_tick(time),
                    };
                    Some(view! {
                        <li><span class="swatch" style=swatch(index)></span>
                            {format!("{}: {value} at step {step}, {when}", series.name)}</li>
                    })
                })
                .collect();
            return Some(
                view! { <ul class="chart-readout" style=format!("left: {x}px")>{rows}</ul> }
                    .into_any(),
            );
        }
        let step = step_at(x)?;
        let rows: Vec<_> = points
            .series
            .iter()
            .enumerate()
            .filter_map(|(index, series)| {
                let at = nearest(&series.steps, step)?;
                let value = series.values[at].map_or("gap".to_owned(), format::value);
                Some(view! {
                    <li><span class="swatch" style=swatch(index)></span>
                        {format!("{}: {value} at step {}", series.name, series.steps[at])}</li>
                })
            })
            .collect();
        Some(
            view! { <ul class="chart-readout" style=format!("left: {x}px")>{rows}</ul> }.into_any(),
        )
    };
    let selection = move || {
        drag.get().map(|(start, now)| {
            view! { <div class="chart-selection" style=format!("left: {}px; width: {}px", start.min(now), (now - start).abs())></div> }
        })
    };
    let legend = move || {
        match shown() {
        Some(Ok(points)) => points
            .series
            .iter()
            .enumerate()
            .map(|(index, series)| {
                let note = series.reduced.then(|| format!(" ({} points)", format::grouped(series.points_in_range)));
                view! { <li><span class="swatch" style=swatch(index)></span>{series.name.clone()}<span class="muted">{note}</span></li> }
            })
            .collect_view()
            .into_any(),
        Some(Err(error)) => view! { <li class="field-error">{error.to_string()}</li> }.into_any(),
        _ => view! { <li class="muted">"Loading points…"</li> }.into_any(),
    }
    };
    view! {
        <figure class="chart line-chart">
            <figcaption>
                {log_name.clone()}
                {move || zoom.get().map(|(from, to)| view! {
                    <button type="button" class="link-button" on:click=move |_| zoom.set(None)>
                        {format!("Steps {from}–{to} · reset zoom")}
                    </button>
                })}
            </figcaption>
            <div class="chart-stage">
                <canvas node_ref=canvas class="chart-canvas" role="img"
                    tabindex="0"
                    aria-label=format!("Line chart of {log_name}; drag or press + to zoom, double-click or Escape to reset, arrow keys to read values")
                    on:keydown=on_key
                    on:focus=move |_| if hover.get_untracked().is_none() {
                        hover.set(canvas.get_untracked().map(|c| f64::from(c.client_width()) / 2.0));
                    }
                    on:blur=move |_| hover.set(None)
                    on:mousemove=move |event| {
                        let x = f64::from(event.offset_x());
                        hover.set(Some(x));
                        drag.update(|drag| if let Some((_, now)) = drag { *now = x });
                    }
                    on:mousedown=move |event| drag.set(Some((f64::from(event.offset_x()), f64::from(event.offset_x()))))
                    on:mouseup=on_up
                    on:mouseleave=move |_| { hover.set(None); drag.set(None); }
                    on:dblclick=move |_| zoom.set(None)></canvas>
                {selection}
                {readout}
            </div>
            <ul class="chart-legend">{legend}</ul>
            // Said once, not per line: a comparison may hold a hundred reduced lines.
            {move || matches!(shown(), Some(Ok(points)) if points.series.iter().any(|s| s.reduced))
                .then(|| view! { <p class="chart-note muted">{reduction_note(snapshot)}</p> })}
            {move || time_note().map(|note| view! { <p class="chart-note muted" role="status">{note}</p> })}
            <LineControls experiments log_name=log_name.clone() smoothing log_y show_table canvas
                x_axis=(!snapshot).then_some(x_axis)/>
            {move || show_table.get().then(|| loaded().map(|points| view! { <PointsTable points/> }))}
        </figure>
    }
}

fn swatch(index: usize) -> String {
    let colour = series_colour(index);
    format!("background: rgb({}, {}, {})", colour.0, colour.1, colour.2)
}

/// The chart's data as an accessible table: one row per step, one column per series.
#[component]
fn PointsTable(points: Arc<LinePoints>) -> impl IntoView {
    let mut steps: Vec<i64> = points
        .series
        .iter()
        .flat_map(|s| s.steps.iter().copied())
        .collect();
    steps.sort_unstable();
    steps.dedup();
    let shown = steps.len().min(1_000);
    view! {
        <div class="points-table">
            <table class="data-table">
                <caption>{format!("{} of the {} steps drawn (the CSV export holds every point)", shown, steps.len())}</caption>
                <thead><tr><th scope="col">"Step"</th>
                    {points.series.iter().map(|s| view! { <th scope="col">{s.name.clone()}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {steps.into_iter().take(shown).map(|step| view! {
                        <tr><th scope="row">{step}</th>
                            {points.series.iter().map(|s| {
                                let value = s.steps.binary_search(&step).ok().map(|i| s.values[i].map_or("gap".to_owned(), format::value));
                                view! { <td>{value.unwrap_or_default()}</td> }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Sizes the canvas to its CSS box × devicePixelRatio and draws the model on it;
/// answers where the plot landed, in CSS-independent device pixels.
fn paint(
    element: &web_sys::HtmlCanvasElement,
    model: &LineChartModel,
    style: LineStyle,
) -> Option<PlotFrame> {
    let backend = sized_backend(element)?;
    let root = backend.into_drawing_area();
    perf::mark(perf::names::LINE_DRAW_START);
    let drawn = draw_line_chart(
        &root,
        model,
        &ChartTheme::new(prefers_dark(), device_ratio()),
        style,
    );
    perf::measure_since(perf::names::LINE_DRAW, perf::names::LINE_DRAW_START);
    match drawn {
        Ok(frame) => Some(frame),
        Err(error) => {
            leptos::logging::warn!("could not draw a chart: {error}");
            None
        }
    }
}

/// How a reduced line was drawn: exactly from the server's per-column M4, or in a
/// snapshot from tiles whose buckets may straddle a column's border.
fn reduction_note(snapshot: bool) -> &'static str {
    if snapshot {
        "Lines with more points than pixels are drawn from this snapshot's tiles: the first, lowest, highest and last point of buckets of at most half a pixel, so a column's edge can differ from the live chart by a pixel. Zoom in for every point."
    } else {
        "Lines with more points than pixels are drawn exactly from their M4 reduction: the first, lowest, highest and last point of every pixel column."
    }
}
