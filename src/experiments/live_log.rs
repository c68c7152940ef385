use crate::api::ApiClient;
use leptos::prelude::*;
use std::time::Duration;
use trackboard_api::{JobLogLine, JobStatus};

/// How often a running job's log is polled.
const POLL_EVERY: Duration = Duration::from_secs(2);
/// Lines asked for per read.
const PAGE_LINES: u32 = 1_000;
/// How many times a job that has not started is checked (2, 4, 8… seconds apart, about
/// two minutes in all) before the page stops asking; a reload looks again.
const PENDING_CHECKS: u32 = 6;

/// What to do after a read of the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextRead {
    /// The page was full: more lines are waiting, read them now.
    Now,
    /// Ask again after this long.
    After(Duration),
    /// Nothing more will come (the job ended), or the job never started.
    Stop,
}

/// The next read after one that returned `lines` lines of a job in `status`, when
/// `pending_checks` reads have already found it not started.
pub fn next_read(status: JobStatus, lines: usize, pending_checks: u32) -> NextRead {
    if lines >= PAGE_LINES as usize {
        return NextRead::Now;
    }
    match status {
        JobStatus::Running => NextRead::After(POLL_EVERY),
        JobStatus::Pending if pending_checks < PENDING_CHECKS => {
            NextRead::After(POLL_EVERY * 2u32.pow(pending_checks))
        }
        _ => NextRead::Stop,
    }
}

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
    let pending_checks = StoredValue::new(0u32);
    Effect::new(move |_| {
        tick.track();
        let client = client.clone();
        let after = lines.with_untracked(|lines| lines.last().map(|line| line.line_number));
        leptos::task::spawn_local(async move {
            match client.job_log(experiment_id, after, PAGE_LINES).await {
                Ok(log) => {
                    let next = next_read(log.status, log.lines.len(), pending_checks.get_value());
                    if log.status == JobStatus::Pending {
                        pending_checks.update_value(|checks| *checks += 1);
                    }
                    let _ = status.try_set(Some(log.status));
                    let _ = problem.try_set(None);
                    if !log.lines.is_empty() {
                        let _ = lines.try_update(|all| all.extend(log.lines));
                    }
                    let read_again = move || {
                        let _ = tick.try_update(|t| *t += 1);
                    };
                    match next {
                        NextRead::Now => read_again(),
                        NextRead::After(wait) => set_timeout(read_again, wait),
                        NextRead::Stop => {}
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
    fn a_full_page_is_followed_at_once_whatever_the_status() {
        for status in [JobStatus::Success, JobStatus::Running, JobStatus::Pending] {
            assert_eq!(next_read(status, PAGE_LINES as usize, 0), NextRead::Now);
        }
    }

    #[test]
    fn running_jobs_are_polled_and_ended_ones_are_not() {
        assert_eq!(
            next_read(JobStatus::Running, 3, 0),
            NextRead::After(POLL_EVERY)
        );
        assert_eq!(next_read(JobStatus::Success, 3, 0), NextRead::Stop);
        assert_eq!(next_read(JobStatus::Failed, 0, 0), NextRead::Stop);
    }

    #[test]
    fn a_job_that_never_starts_is_checked_less_and_less_then_left() {
        assert_eq!(
            next_read(JobStatus::Pending, 0, 0),
            NextRead::After(POLL_EVERY)
        );
        assert_eq!(
            next_read(JobStatus::Pending, 0, 3),
            NextRead::After(POLL_EVERY * 8)
        );
        assert_eq!(
            next_read(JobStatus::Pending, 0, PENDING_CHECKS),
            NextRead::Stop
        );
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
