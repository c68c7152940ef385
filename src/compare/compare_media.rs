//! The compare view's BAR logs (categories grouped, a bar per experiment), IMAGE logs
//! (step by step across the experiments) and EVALUATION logs (figure by figure, with
//! differences from the first experiment).

use super::compared_logs::{named_logs, shared_names, Loaded};
use super::ImageSteps;
use crate::api::ApiClient;
use crate::charts::{BarChart, BarGroups};
use crate::evaluations::EvaluationComparison;
use leptos::prelude::*;
use trackboard_api::{EvaluationMetrics, LogContent};

#[component]
pub fn CompareBars(loaded: Loaded) -> impl IntoView {
    let charts: Vec<_> = shared_names(&loaded, |c| matches!(c, LogContent::Bar(_)))
        .into_iter()
        .map(|name| {
            let logs = named_logs(&loaded, &name, |content| match content {
                LogContent::Bar(data) => Some(data.clone()),
                _ => None,
            });
            view! { <BarChart name groups=BarGroups::compare(&logs)/> }
        })
        .collect();
    (!charts.is_empty()).then(|| {
        view! {
            <h2 class="section-title">"Bars"</h2>
            <div class="chart-grid">{charts}</div>
        }
    })
}

#[component]
pub fn CompareImages(loaded: Loaded) -> impl IntoView {
    let sections: Vec<_> = shared_names(&loaded, |c| matches!(c, LogContent::Image(_)))
        .into_iter()
        .map(|name| {
            let galleries = named_logs(&loaded, &name, |content| match content {
                LogContent::Image(gallery) => Some(gallery.images.clone()),
                _ => None,
            });
            view! { <ImageSteps name galleries/> }
        })
        .collect();
    (!sections.is_empty()).then(|| {
        view! {
            <h2 class="section-title">"Images"</h2>
            {sections}
        }
    })
}

#[component]
pub fn CompareEvaluations(loaded: Loaded) -> impl IntoView {
    let evaluated: Vec<(i64, String, Vec<EvaluationMetrics>)> = loaded
        .iter()
        .map(|(experiment, logs)| {
            let metrics = logs
                .iter()
                .filter_map(|log| match &log.content {
                    LogContent::Evaluation(metrics) => Some(metrics.clone()),
                    _ => None,
                })
                .collect();
            (experiment.id, experiment.name.clone(), metrics)
        })
        .collect();
    let snapshot = expect_context::<ApiClient>().is_snapshot();
    evaluated.iter().any(|(_, _, m)| !m.is_empty()).then(|| {
        view! {
            <h2 class="section-title">"Evaluations"</h2>
            <EvaluationComparison experiments=evaluated snapshot/>
        }
    })
}
