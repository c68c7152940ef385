use super::view_link;
use crate::api::ApiClient;
use crate::components::{field_message, form_message};
use crate::format::iso_date;
use leptos::prelude::*;
use trackboard_api::{NewSavedView, SavedView};

/// The dashboard address on screen: path and query, the whole state of the view.
fn current_path() -> String {
    web_sys::window()
        .map(|window| {
            let location = window.location();
            format!(
                "{}{}",
                location.pathname().unwrap_or_default(),
                location.search().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// Saves the view on screen under a name, in `project_id`; then shows its short link.
#[component]
pub fn SaveViewForm(
    project_id: i64,
    /// Told of each view saved (a list on the page refreshes).
    #[prop(optional, into)]
    saved: Option<Callback<SavedView>>,
) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let name = RwSignal::new(String::new());
    let save = Action::new_local(move |view: &NewSavedView| {
        let client = client.clone();
        let view = view.clone();
        async move { client.save_view(project_id, &view).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(view)) = save.value().get() {
            name.set(String::new());
            if let Some(saved) = saved {
                saved.run(view);
            }
        }
    });
    let error = move || save.value().get().and_then(Result::err);
    let done = move || save.value().get().and_then(Result::ok);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save.dispatch(NewSavedView {
            name: name.get_untracked(),
            path: current_path(),
        });
    };
    view! {
        <form class="save-view-form" on:submit=submit aria-label="Save this view">
            <label for="save-view-name">"Save view as"</label>
            <input id="save-view-name" placeholder=todays_review_name() prop:value=move || name.get()
                on:input=move |e| name.set(event_target_value(&e))
                aria-invalid=move || field_message(&error(), "name").is_some().to_string()
                aria-describedby="save-view-error"/>
            <button type="submit" disabled=move || save.pending().get()>
                {move || if save.pending().get() { "Saving…" } else { "Save view" }}
            </button>
            <p class="field-error" id="save-view-error" role="alert">
                {move || field_message(&error(), "name").or_else(|| form_message(&error(), &["name"]))}
            </p>
            {move || done().map(|view| {
                let link = view_link(&view.id);
                view! {
                    <p class="saved-view-link" role="status">
                        "Saved as " <strong>{view.name}</strong> ": " <a href=link.clone()>{link.clone()}</a>
                    </p>
                }
            })}
        </form>
    }
}

/// The name a view saved today would have by default: "review" and the viewer's date.
fn todays_review_name() -> String {
    let today = js_sys::Date::new_0();
    format!(
        "review {}",
        iso_date(
            today.get_full_year(),
            today.get_month() + 1,
            today.get_date()
        )
    )
}
