use crate::api::ApiClient;
use leptos::prelude::*;
use std::time::Duration;
use trackboard_api::{JobLogLine, JobStatus};

/// How often a running job's log is polled.
const POLL_EVERY: Duration = Duration::from_secs(2);

/// Lines grouped by chapter, chapters in order of their first line.
pub fn by_chapter(lines: &[JobLogLine]) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for line in lines {
        match groups
            .iter_mut()
            .find(|(chapter, _)| *chapter == line.chapter)
        {
            Some((_, texts)) => texts.push(line.text.clone()),
            None => groups.push((line.chapter.clone(), vec![line.text.clone()])),
        }
    }
    groups
}

/// The job's live log: chapters, and a tail that follows new lines while it runs.
#[component]
pub fn LiveLog(experiment_id: i64) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let lines = RwSignal::new(Vec::<JobLogLine>::new());
    let status = RwSignal::new(None::<JobStatus>);
    let problem = RwSignal::new(None::<String>);
    let tick = RwSignal::new(0u32);
    Effect::new(move |_| {
        tick.track();
        let client = client.clone();
        let after = lines.with_untracked(|lines| lines.last().map(|line| line.line_number));
        leptos::task::spawn_local(async move {
            match client.job_log(experiment_id, after).await {
                Ok(log) => {
                    let live = log.status.is_live();
                    let _ = status.try_set(Some(log.status));
                    let _ = problem.try_set(None);
                    if !log.lines.is_empty() {
                        let _ = lines.try_update(|all| all.extend(log.lines));
                    }
                    if live {
                        set_timeout(
                            move || {
                                let _ = tick.try_update(|t| *t += 1);
                            },
                            POLL_EVERY,
                        );
                    }
                }
                Err(error) => {
                    let _ = problem.try_set(Some(error.to_string()));
                }
            }
        });
    });
    let tail = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        lines.track();
        if let Some(element) = tail.get() {
            element.set_scroll_top(element.scroll_height());
        }
    });
    let body = move || {
        let groups = lines.with(|lines| by_chapter(lines));
        if groups.is_empty() {
            return view! { <p class="muted">"No log lines yet."</p> }.into_any();
        }
        groups
            .into_iter()
            .map(|(chapter, texts)| {
                let title = if chapter.is_empty() { "(before any chapter)".to_owned() } else { chapter };
                view! {
                    <details open class="log-chapter">
                        <summary>{title} <span class="muted">{format!(" {} lines", texts.len())}</span></summary>
                        <pre>{texts.join("\n")}</pre>
                    </details>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="live-log" aria-labelledby="live-log-title">
            <h2 class="section-title" id="live-log-title">
                "Live log "
                <span class="muted">{move || status.get().map(|s| format!("job {}", s.as_str())).unwrap_or_default()}</span>
            </h2>
            <div class="log-tail" node_ref=tail aria-live="polite">{body}</div>
            <p class="field-error" role="alert">{move || problem.get()}</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(number: u64, chapter: &str, text: &str) -> JobLogLine {
        JobLogLine {
            line_number: number,
            chapter: chapter.into(),
            text: text.into(),
            created_at: String::new(),
        }
    }

    #[test]
    fn lines_group_by_chapter_in_first_seen_order() {
        let groups = by_chapter(&[
            line(0, "Setup", "a"),
            line(1, "Training", "b"),
            line(2, "Setup", "c"),
        ]);
        assert_eq!(
            groups,
            vec![
                ("Setup".to_owned(), vec!["a".to_owned(), "c".to_owned()]),
                ("Training".to_owned(), vec!["b".to_owned()])
            ]
        );
        assert!(by_chapter(&[]).is_empty());
    }
}
