//! A `<details>` section whose content is built when it is first opened, and kept after.
//! The project page's sweep views each read every run's values: built while closed, they
//! delayed the table's first paint of a 10,000-run sweep for views nobody had opened.

use leptos::prelude::*;

#[component]
pub fn LazyDetails(
    class: &'static str,
    #[prop(into)] summary: String,
    children: Children,
) -> impl IntoView {
    let opened = RwSignal::new(false);
    let children = StoredValue::new_local(Some(children));
    // Every toggle after the first (closing, opening again) keeps what was built.
    let on_toggle = move |_| {
        if !opened.get_untracked() {
            opened.set(true);
        }
    };
    view! {
        <details class=class on:toggle=on_toggle>
            <summary>{summary}</summary>
            {move || {
                opened.get().then(|| {
                    // Untracked: a signal read while building must not build it again.
                    untrack(|| children.try_update_value(Option::take).flatten().map(|build| build()))
                })
            }}
        </details>
    }
}
