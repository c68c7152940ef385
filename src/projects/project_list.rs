use crate::format;
use crate::links;
use leptos::prelude::*;
use trackboard_api::{Page, Project};

/// A page of projects as a table, or an empty state that shows how to create the first.
/// `create_url` is the full URL of `POST /projects`, for the curl line.
#[component]
pub fn ProjectList(page: Page<Project>, create_url: String) -> impl IntoView {
    if page.items.is_empty() {
        let curl = format!(
            "curl -X POST {} -H 'Authorization: Bearer YOUR_TOKEN' -H 'content-type: application/json' -d '{{\"name\": \"my-project\"}}'",
            absolute(&create_url)
        );
        return view! {
            <div class="empty-state">
                <h2>"No projects yet"</h2>
                <p>"Create one from a terminal, then log experiments into it:"</p>
                <pre><code>{curl}</code></pre>
            </div>
        }
        .into_any();
    }
    let shown = page.items.len() as u64;
    let summary = if shown < page.total {
        format!(
            "Showing {} of {}",
            format::grouped(shown),
            format::count(page.total, "project", "projects")
        )
    } else {
        format::count(page.total, "project", "projects")
    };
    view! {
        <p class="list-summary">{summary}</p>
        <table class="data-table projects-table">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Description"</th>
                    <th scope="col">"Created"</th>
                </tr>
            </thead>
            <tbody>
                {page
                    .items
                    .into_iter()
                    .map(|project| {
                        view! {
                            <tr data-project-id=project.id>
                                <td class="project-name">
                                    <a href=links::project(project.id)>{project.name}</a>
                                </td>
                                <td class="project-description">{project.description}</td>
                                <td class="timestamp">
                                    <time datetime=project.created_at.clone()>{format::timestamp(&project.created_at)}</time>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// `url` made absolute against the page's origin when it is a path (same-origin API).
fn absolute(url: &str) -> String {
    if url.starts_with('/') {
        let origin = web_sys::window()
            .and_then(|window| window.location().origin().ok())
            .unwrap_or_default();
        format!("{origin}{url}")
    } else {
        url.to_owned()
    }
}
