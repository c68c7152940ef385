//! Browser unit tests of the experiments table: 10,000 experiments render only the rows
//! in view, scrolling moves them, and a header click sorts.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use support::{element, eventually, mount, texts};
use trackboard::projects::{ExperimentTable, TableSort};
use trackboard_api::{Experiment, ExperimentStatus, JobStatus, Page};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// `count` experiments named `run-00000`…, the newest (highest id) first.
fn experiments(count: i64) -> Page<Experiment> {
    let items = (0..count)
        .rev()
        .map(|id| Experiment {
            id,
            project_id: 1,
            name: format!("run-{id:05}"),
            description: format!("variant {id}"),
            status: if id % 2 == 0 {
                ExperimentStatus::Success
            } else {
                ExperimentStatus::Failed
            },
            base_experiment_id: None,
            base_model_version_id: None,
            job_status: JobStatus::Success,
            created_at: format!(
                "2026-11-22T{:02}:{:02}:{:02}.000Z",
                id / 3600,
                id / 60 % 60,
                id % 60
            ),
            updated_at: "2026-11-22T10:00:00.000Z".into(),
        })
        .collect();
    Page {
        items,
        total: count as u64,
        limit: count as u32,
        offset: 0,
    }
}

fn mount_table(count: i64, sort: RwSignal<TableSort>) -> web_sys::HtmlElement {
    mount("height: 600px", move || {
        view! {
            <ExperimentTable create_url="/api/v1/projects/1/experiments".to_owned() page=std::sync::Arc::new(experiments(count)) values=Default::default() status=String::new()
                sort=sort on_sort=move |new| sort.set(new) chosen_columns=None on_columns=|_| ()/>
        }
    })
}

fn shown_names(root: &web_sys::HtmlElement) -> Vec<String> {
    texts(root, "tbody .experiment-name")
}

#[wasm_bindgen_test]
async fn ten_thousand_experiments_render_only_the_rows_in_view() {
    let sort = RwSignal::new(TableSort::default());
    let root = mount_table(10_000, sort);
    assert!(eventually(|| !shown_names(&root).is_empty()).await);
    let names = shown_names(&root);
    assert!(names.len() < 60, "{} rows rendered", names.len());
    assert_eq!(names[0], "run-09999");
    assert_eq!(
        texts(&root, ".list-summary"),
        ["10,000 of 10,000 experiments"]
    );

    let scroller: web_sys::HtmlElement = element(&root, ".table-scroll");
    // The page's stylesheet is not loaded here: give the box its scrolling styles.
    scroller
        .set_attribute("style", "max-height: 400px; overflow: auto")
        .expect("style");
    scroller.set_scroll_top(41 * 5_000);
    assert!(scroller.scroll_top() > 0, "the table box scrolls");
    scroller
        .dispatch_event(&web_sys::Event::new("scroll").expect("event"))
        .expect("dispatch");
    assert!(eventually(|| !shown_names(&root).contains(&"run-09999".to_owned())).await);
    let names = shown_names(&root);
    assert!(
        names.len() < 60,
        "{} rows rendered after scrolling",
        names.len()
    );
    assert!(
        names.contains(&"run-04999".to_owned()),
        "the middle of the table is shown: {names:?}"
    );
}

#[wasm_bindgen_test]
async fn a_header_click_sorts_and_a_second_click_reverses() {
    let sort = RwSignal::new(TableSort::default());
    let root = mount_table(30, sort);
    assert!(eventually(|| !shown_names(&root).is_empty()).await);
    let name_header: web_sys::HtmlElement = element(&root, "thead th:nth-child(2) button");
    name_header.click();
    assert!(eventually(|| shown_names(&root)[0] == "run-00000").await);
    assert_eq!(sort.get_untracked().to_param(), "name");
    assert_eq!(shown_names(&root)[..2], ["run-00000", "run-00001"]);
    let th: web_sys::Element = element(&root, "thead th:nth-child(2)");
    assert_eq!(th.get_attribute("aria-sort").as_deref(), Some("ascending"));
    name_header.click();
    assert!(
        eventually(|| shown_names(&root)[0] == "run-00029").await,
        "{:?} after sorting by {}",
        shown_names(&root),
        sort.get_untracked().to_param()
    );
    let status_header: web_sys::HtmlElement = element(&root, "thead th:nth-child(3) button");
    status_header.click();
    assert!(eventually(|| texts(&root, "tbody .status-badge")[0] == "failed").await);
    assert_eq!(sort.get_untracked().to_param(), "status");
}
