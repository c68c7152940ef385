//! A LINE log of the listed runs grouped by a parameter: each group one line (mean or
//! median) in a band (min–max, or ±1 std), computed by the server on the chart's pixel
//! columns, with the members' own lines on demand.

use super::grouped_model::{bands_of, member_ids, member_lines, Centre, Spread};
use crate::api::ApiClient;
use crate::charts::{draw_bands_on, SERIES_COLOURS};
use leptos::html::Canvas;
use leptos::prelude::*;
use trackboard_api::LineGroups;

/// The most members drawn at once (what one comparison request takes).
const MOST_MEMBERS: usize = 500;

#[component]
pub fn GroupedLines(project_id: i64, filter: String, fields: Vec<String>) -> impl IntoView {
    let Some(first_field) = fields.first().cloned() else {
        return view! {
            <p class="empty-note">"Grouping needs runs with parameters to group by."</p>
        }
        .into_any();
    };
    let client = expect_context::<ApiClient>();
    let group_by = RwSignal::new(first_field);
    let log = RwSignal::new(String::new());
    let centre = RwSignal::new(Centre::Mean);
    let spread = RwSignal::new(Spread::MinMax);
    let show_members = RwSignal::new(false);
    let width = RwSignal::new(None::<u32>);
    let filter = StoredValue::new(filter);
    let groups_client = client.clone();
    let groups = LocalResource::new(move || {
        let client = groups_client.clone();
        let (group_by, log, width) = (group_by.get(), log.get(), width.get());
        async move {
            let width = width?;
            let filter = filter.get_value();
            Some(
                client
                    .line_groups(project_id, &group_by, &log, &filter, width)
                    .await,
            )
        }
    });
    let answered = move || groups.get().flatten().and_then(Result::ok);
    let members = LocalResource::new(move || {
        let client = client.clone();
        let wanted = show_members.get().then(answered).flatten();
        async move {
            let groups = wanted?;
            let ids = member_ids(&groups, MOST_MEMBERS);
            let range = groups.from.zip(groups.to);
            let found = client
                .line_comparison(&ids, &groups.log_name, range, groups.width)
                .await
                .ok()?;
            Some(member_lines(&groups, &found))
        }
    });
    let picture = Memo::new(move |_| {
        let bands = answered()
            .map(|groups| bands_of(&groups, centre.get(), spread.get()))
            .unwrap_or_default();
        let lines = if show_members.get() {
            members.get().flatten().unwrap_or_default()
        } else {
            Vec::new()
        };
        (bands, lines)
    });
    let canvas = NodeRef::<Canvas>::new();
    draw_bands_on(canvas, picture, width);
    let problem = move || {
        groups
            .get()
            .flatten()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };
    let summary = move || match answered() {
        None => "Grouped chart, loading".to_owned(),
        Some(groups) => format!(
            "{} of {} runs grouped by {}: {} bands",
            groups.log_name,
            groups.runs,
            groups.group_by,
            groups.groups.len()
        ),
    };
    let bands_data = move || {
        picture.with(|(bands, lines)| {
            let bands: Vec<String> = bands
                .iter()
                .map(|band| format!("[{:?},{}]", band.label, band.steps.len()))
                .collect();
            format!(
                "{{\"bands\":[{}],\"members\":{}}}",
                bands.join(","),
                lines.len()
            )
        })
    };
    let legend = move || {
        picture.with(|(bands, _)| {
            bands
                .iter()
                .map(|band| {
                    let colour = SERIES_COLOURS[band.colour % SERIES_COLOURS.len()];
                    let swatch =
                        format!("background: rgb({}, {}, {})", colour.0, colour.1, colour.2);
                    view! { <li><span class="swatch" style=swatch></span>{band.label.clone()}</li> }
                })
                .collect_view()
        })
    };
    let log_options = move || {
        let groups: Option<LineGroups> = answered();
        let (names, chosen) = groups
            .map(|g| (g.line_logs, g.log_name))
            .unwrap_or_default();
        names
            .into_iter()
            .map(|name| {
                let selected = name == chosen;
                view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
            })
            .collect_view()
    };
    let field_options = fields
        .into_iter()
        .map(|field| {
            let compared = field.clone();
            view! { <option value=field.clone() selected=move || group_by.get() == compared>{field.clone()}</option> }
        })
        .collect_view();
    view! {
        <div class="grouped-lines">
            <div class="toolbar grouped-controls">
                <label for="grouped-log">"Log"</label>
                <select id="grouped-log" on:change=move |e| log.set(event_target_value(&e))>{log_options}</select>
                <label for="grouped-by">"Group by"</label>
                <select id="grouped-by" on:change=move |e| group_by.set(event_target_value(&e))>{field_options}</select>
                <label for="grouped-centre">"Line"</label>
                <select id="grouped-centre" on:change=move |e| centre.set(if event_target_value(&e) == "median" { Centre::Median } else { Centre::Mean })>
                    <option value="mean">"Mean"</option>
                    <option value="median">"Median"</option>
                </select>
                <label for="grouped-spread">"Band"</label>
                <select id="grouped-spread" on:change=move |e| spread.set(if event_target_value(&e) == "std" { Spread::Std } else { Spread::MinMax })>
                    <option value="minmax">"Min–max"</option>
                    <option value="std">"±1 std"</option>
                </select>
                <label><input type="checkbox" prop:checked=show_members on:change=move |e| show_members.set(event_target_checked(&e))/>" Show members"</label>
            </div>
            <p class="field-error" role="alert">{problem}</p>
            <canvas node_ref=canvas class="chart-canvas grouped-canvas" role="img" aria-label=summary data-bands=bands_data></canvas>
            <ul class="grouped-legend">{legend}</ul>
        </div>
    }
    .into_any()
}
