//! Saved views: save the view on screen under a name, list a project's saved views
//! (rename, delete), and open one by its short link `/v/{id}`.

mod save_view_form;
mod saved_view_page;
mod saved_views_list;

pub use save_view_form::SaveViewForm;
pub use saved_view_page::SavedViewPage;
pub use saved_views_list::SavedViewsList;

/// The short link of a saved view.
pub fn view_link(id: &str) -> String {
    format!("/v/{id}")
}
