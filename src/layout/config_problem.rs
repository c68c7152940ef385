use leptos::prelude::*;

/// A banner when `config.json` could not be used (the defaults apply meanwhile).
#[component]
pub fn ConfigProblem(problem: Option<String>) -> impl IntoView {
    problem.map(|problem| {
        view! {
            <div class="banner warning" role="alert">
                <strong>"Configuration problem: "</strong>
                {problem}
                " — using the page's own origin as the API."
            </div>
        }
    })
}
