use crate::format;
use leptos::prelude::*;
use trackboard_api::{Log, LogContent, Scalar};

/// A scalar as shown to people: numbers formatted, text as it is.
pub fn scalar_text(scalar: &Scalar) -> String {
    match scalar {
        Scalar::Bool(flag) => flag.to_string(),
        Scalar::Number(number) => match number.as_i64() {
            Some(integer) => integer.to_string(),
            None => number
                .as_f64()
                .map(format::value)
                .unwrap_or_else(|| number.to_string()),
        },
        Scalar::Text(text) => text.clone(),
    }
}

/// The VALUE logs of an experiment, side by side at the top of its page (seed 002).
#[component]
pub fn SummaryStrip(logs: Vec<Log>) -> impl IntoView {
    let values: Vec<(String, String)> = logs
        .into_iter()
        .filter_map(|log| match &log.content {
            LogContent::Value(scalar) => Some((log.name.clone(), scalar_text(scalar))),
            _ => None,
        })
        .collect();
    (!values.is_empty()).then(|| {
        view! {
            <dl class="summary-strip">
                {values.into_iter().map(|(name, value)| view! {
                    <div class="summary-item"><dt>{name}</dt><dd>{value}</dd></div>
                }).collect_view()}
            </dl>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_naturally() {
        assert_eq!(
            scalar_text(&Scalar::Number(serde_json::Number::from(30))),
            "30"
        );
        let float = serde_json::Number::from_f64(0.912_345).expect("finite");
        assert_eq!(scalar_text(&Scalar::Number(float)), "0.9123");
        assert_eq!(scalar_text(&Scalar::Bool(true)), "true");
        assert_eq!(
            scalar_text(&Scalar::Text("<b>adam</b>".into())),
            "<b>adam</b>"
        );
    }
}
