//! The experiment page's Evaluation section: for each EVALUATION log, the COCO summary
//! numbers, per-class AP (a sortable table and a bar chart) and precision/recall curves;
//! or, for classification, accuracy, per-class scores and the confusion matrix. Rows
//! and cells link to the asset browser filtered to them.

use super::browser_query::BrowserQuery;
use super::compute_form::ComputeMetricsForm;
use crate::charts::{BarChart, BarGroups, Heatmap, PrecisionRecallChart};
use crate::format;
use leptos::prelude::*;
use trackboard_api::{
    BarData, ClassificationMetrics, DetectionMetrics, EvaluationMetrics, HeatmapData,
    InferenceType, COCO_SUMMARY_NAMES,
};

/// A metric as shown: three decimals, or a dash where there was nothing to measure.
pub fn metric_text(value: Option<f64>) -> String {
    value.map_or("—".to_owned(), |v| format!("{v:.3}"))
}

/// What an inference type is called on the page.
pub fn inference_title(kind: InferenceType) -> &'static str {
    match kind {
        InferenceType::ObjectDetection => "Object detection",
        InferenceType::Segmentation => "Segmentation",
        InferenceType::Classification => "Classification",
    }
}

/// One row of a per-class table: its label and its numbers, in column order.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassRow {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

/// A table cell: a metric with three decimals, or a count as a whole number.
pub fn cell_text(value: Option<f64>, count: bool) -> String {
    match value {
        Some(v) if count => format::grouped(v as u64),
        _ => metric_text(value),
    }
}

/// Rows ordered by `column` (0 is the label), missing numbers last either way.
pub fn sorted_rows(mut rows: Vec<ClassRow>, column: usize, descending: bool) -> Vec<ClassRow> {
    rows.sort_by(|a, b| {
        if column == 0 {
            let order = a.label.cmp(&b.label);
            return if descending { order.reverse() } else { order };
        }
        match (a.values[column - 1], b.values[column - 1]) {
            (Some(x), Some(y)) => {
                let order = x.total_cmp(&y);
                if descending {
                    order.reverse()
                } else {
                    order
                }
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
    });
    rows
}

/// Every EVALUATION log of the experiment, one panel each.
#[component]
pub fn EvaluationSection(
    experiment_id: i64,
    metrics: Vec<EvaluationMetrics>,
    /// Reloads the page's logs once metrics are computed again.
    #[prop(into)]
    refresh: Callback<()>,
) -> impl IntoView {
    view! {
        <h2 class="section-title" id="evaluation">"Evaluation"</h2>
        <ComputeMetricsForm experiment_id computed=refresh/>
        {metrics.into_iter().map(|metrics| view! { <EvaluationPanel experiment_id metrics/> }).collect_view()}
    }
}

#[component]
fn EvaluationPanel(experiment_id: i64, metrics: EvaluationMetrics) -> impl IntoView {
    let kind = metrics.inference_type;
    let browse = BrowserQuery {
        inference_type: kind,
        ..BrowserQuery::default()
    };
    let browse_all = browse.page_path(experiment_id);
    let heading = inference_title(kind);
    let facts = format!(
        "{} · computed {}",
        format::count(metrics.assets, "asset", "assets"),
        format::timestamp(&metrics.computed_at)
    );
    let body = match (metrics.detection, metrics.classification) {
        (Some(detection), _) => view! { <DetectionPanel experiment_id kind detection/> }.into_any(),
        (_, Some(classification)) => {
            view! { <ClassificationPanel experiment_id labels=metrics.labels classification/> }
                .into_any()
        }
        _ => view! { <p class="muted">"No figures in this log."</p> }.into_any(),
    };
    view! {
        <section class="evaluation-panel" aria-label=format!("{heading} evaluation")>
            <header class="evaluation-header">
                <h3>{heading}</h3>
                <span class="muted">{facts}</span>
                <a class="button secondary" href=browse_all>"Browse the evaluated assets"</a>
            </header>
            {body}
        </section>
    }
}

/// A sortable per-class table; each label links to the browser filtered to it.
#[component]
fn ClassTable(
    caption: String,
    columns: Vec<&'static str>,
    rows: Vec<ClassRow>,
    experiment_id: i64,
    kind: InferenceType,
    /// Values from this column on are counts.
    counts_from: usize,
) -> impl IntoView {
    let sort = RwSignal::new((1usize, true));
    let rows = StoredValue::new(rows);
    let headers = columns
        .iter()
        .enumerate()
        .map(|(index, title)| {
            let title = *title;
            let aria = move || match sort.get() {
                (column, true) if column == index => "descending",
                (column, false) if column == index => "ascending",
                _ => "none",
            };
            view! {
                <th scope="col" aria-sort=aria>
                    <button type="button" class="sort-button"
                        on:click=move |_| sort.update(|(column, descending)| {
                            if *column == index { *descending = !*descending } else { *column = index; *descending = index != 0; }
                        })>{title}</button>
                </th>
            }
        })
        .collect_view();
    let body = move || {
        let (column, descending) = sort.get();
        sorted_rows(rows.get_value(), column, descending)
            .into_iter()
            .map(|row| {
                let href = BrowserQuery {
                    inference_type: kind,
                    label: row.label.clone(),
                    ..BrowserQuery::default()
                }
                .page_path(experiment_id);
                view! {
                    <tr>
                        <th scope="row"><a href=href>{row.label.clone()}</a></th>
                        {row.values.iter().enumerate().map(|(i, v)| view! { <td class="number">{cell_text(*v, i + 1 >= counts_from)}</td> }).collect_view()}
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <table class="data-table class-table">
            <caption>{caption}</caption>
            <thead><tr>{headers}</tr></thead>
            <tbody>{body}</tbody>
        </table>
    }
}

#[component]
fn DetectionPanel(
    experiment_id: i64,
    kind: InferenceType,
    detection: DetectionMetrics,
) -> impl IntoView {
    let summary = COCO_SUMMARY_NAMES
        .iter()
        .zip(&detection.summary)
        .map(|(name, value)| view! { <div><dt>{*name}</dt><dd>{metric_text(*value)}</dd></div> })
        .collect_view();
    let rows: Vec<ClassRow> = detection
        .classes
        .iter()
        .map(|class| ClassRow {
            label: class.label.clone(),
            values: vec![
                class.average_precision,
                class.average_recall,
                Some(class.ground_truth as f64),
                Some(class.predictions as f64),
            ],
        })
        .collect();
    let measured: Vec<_> = detection
        .classes
        .iter()
        .filter_map(|c| c.average_precision.map(|ap| (c.label.clone(), ap)))
        .collect();
    let bars = BarData {
        x: measured.iter().map(|(label, _)| label.clone()).collect(),
        y: measured.iter().map(|(_, ap)| *ap).collect(),
    };
    let curves: Vec<(String, Vec<f64>)> = detection
        .classes
        .iter()
        .filter_map(|c| {
            c.precision_curve
                .clone()
                .map(|curve| (c.label.clone(), curve))
        })
        .collect();
    view! {
        <dl class="coco-summary">{summary}</dl>
        <ClassTable caption="Per class (IoU .50:.95, all areas, 100 detections)".to_owned()
            columns=vec!["Class", "AP", "AR", "Ground truth", "Predictions"] rows experiment_id kind counts_from=3/>
        <div class="chart-grid">
            <BarChart name="AP per class".to_owned() groups=BarGroups::single(&bars)/>
            <PrecisionRecallChart name="Precision / recall (IoU .50)".to_owned() curves/>
        </div>
    }
}

#[component]
fn ClassificationPanel(
    experiment_id: i64,
    labels: Vec<String>,
    classification: ClassificationMetrics,
) -> impl IntoView {
    let kind = InferenceType::Classification;
    let rows: Vec<ClassRow> = classification
        .classes
        .iter()
        .map(|class| ClassRow {
            label: class.label.clone(),
            values: vec![
                class.precision,
                class.recall,
                class.f1,
                Some(class.support as f64),
            ],
        })
        .collect();
    // Each cell opens the assets of that (truth, prediction); the FP row has no truth
    // and the FN column no prediction.
    let n = labels.len();
    let name_at = |index: usize| labels.get(index).cloned().unwrap_or_default();
    let cell_links: Vec<Vec<String>> = (0..=n)
        .map(|row| {
            (0..=n)
                .map(|column| {
                    let query = BrowserQuery {
                        inference_type: kind,
                        truth: Some(name_at(row)),
                        predicted: Some(name_at(column)),
                        ..BrowserQuery::default()
                    };
                    query.page_path(experiment_id)
                })
                .collect()
        })
        .collect();
    let data = HeatmapData {
        categories: labels.clone(),
        values: classification
            .confusion
            .iter()
            .map(|row| row.iter().map(|v| *v as f64).collect())
            .collect(),
    };
    view! {
        <dl class="coco-summary"><div><dt>"Accuracy"</dt><dd>{metric_text(classification.accuracy)}</dd></div></dl>
        <ClassTable caption="Per class".to_owned() columns=vec!["Class", "Precision", "Recall", "F1", "Support"]
            rows experiment_id kind counts_from=4/>
        <div class="chart-grid">
            <Heatmap name="Confusion matrix".to_owned() data cell_links/>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, ap: Option<f64>) -> ClassRow {
        ClassRow {
            label: label.into(),
            values: vec![ap],
        }
    }

    #[test]
    fn rows_sort_by_a_column_with_missing_numbers_last() {
        let rows = vec![row("b", Some(0.2)), row("a", None), row("c", Some(0.9))];
        let labels = |rows: Vec<ClassRow>| rows.into_iter().map(|r| r.label).collect::<Vec<_>>();
        assert_eq!(labels(sorted_rows(rows.clone(), 1, true)), ["c", "b", "a"]);
        assert_eq!(labels(sorted_rows(rows.clone(), 1, false)), ["b", "c", "a"]);
        assert_eq!(labels(sorted_rows(rows, 0, false)), ["a", "b", "c"]);
        assert_eq!(metric_text(Some(0.51234)), "0.512");
        assert_eq!(metric_text(None), "—");
        assert_eq!(cell_text(Some(1200.0), true), "1,200");
        assert_eq!(cell_text(Some(0.25), false), "0.250");
    }
}
