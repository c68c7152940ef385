//! Browser unit tests: mount the project list with fixture data in headless Chromium
//! and read the DOM it produced.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use support::texts;
use trackboard::projects::ProjectList;
use trackboard_api::{Page, Project};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn project(id: i64, name: &str) -> Project {
    Project {
        id,
        name: name.to_owned(),
        description: format!("about {name}"),
        created_at: "2026-11-22T10:03:04.123Z".to_owned(),
        updated_at: "2026-11-22T10:03:04.123Z".to_owned(),
    }
}

fn page(items: Vec<Project>, total: u64) -> Page<Project> {
    Page {
        items,
        total,
        limit: 100,
        offset: 0,
    }
}

/// Mounts `ProjectList` into a fresh element of the document; returns the element.
fn mount(page: Page<Project>) -> web_sys::HtmlElement {
    support::mount("", move || {
        view! { <ProjectList page create_url="/api/v1/projects".to_owned()/> }
    })
}

#[wasm_bindgen_test]
fn lists_each_project_with_its_description_and_date() {
    let root = mount(page(
        vec![project(1, "detection"), project(2, "segmentation")],
        2,
    ));
    assert_eq!(
        texts(&root, "tbody .project-name"),
        ["detection", "segmentation"]
    );
    assert_eq!(
        texts(&root, "tbody .project-description"),
        ["about detection", "about segmentation"]
    );
    assert_eq!(
        texts(&root, "tbody time"),
        ["2026-11-22 10:03 UTC", "2026-11-22 10:03 UTC"]
    );
    assert_eq!(texts(&root, ".list-summary"), ["2 projects"]);
    assert!(root
        .query_selector(".empty-state")
        .expect("selector")
        .is_none());
}

#[wasm_bindgen_test]
fn a_partial_page_says_how_many_there_are_in_all() {
    let root = mount(page(vec![project(1, "only")], 250));
    assert_eq!(texts(&root, ".list-summary"), ["Showing 1 of 250 projects"]);
}

#[wasm_bindgen_test]
fn names_are_shown_as_text_never_as_markup() {
    let root = mount(page(vec![project(1, "<img src=x onerror=alert(1)>")], 1));
    assert_eq!(
        texts(&root, "tbody .project-name"),
        ["<img src=x onerror=alert(1)>"]
    );
    assert!(root
        .query_selector("tbody img")
        .expect("selector")
        .is_none());
}

#[wasm_bindgen_test]
fn an_empty_list_shows_how_to_create_a_project() {
    let root = mount(page(vec![], 0));
    assert!(root.query_selector("table").expect("selector").is_none());
    let curl = texts(&root, ".empty-state code").join("");
    let origin = web_sys::window()
        .expect("window")
        .location()
        .origin()
        .expect("origin");
    assert!(
        curl.starts_with(&format!("curl -X POST {origin}/api/v1/projects")),
        "{curl}"
    );
    assert!(curl.contains(r#""name": "my-project""#), "{curl}");
}
