use crate::api::ApiClient;
use crate::components::revoke;
use leptos::ev;
use leptos::prelude::*;
use std::collections::HashMap;
use trackboard_api::LoggedImage;

/// The next index after `current` in a list of `len` moving by `delta`, wrapping around.
pub fn step_index(current: usize, len: usize, delta: isize) -> usize {
    if len == 0 {
        return 0;
    }
    (current as isize + delta).rem_euclid(len as isize) as usize
}

/// While a full view is open (`selected` is the index shown, of `count`), the arrow
/// keys move to the next or previous one, wrapping around, and Escape closes it.
pub fn move_with_arrow_keys(selected: RwSignal<Option<usize>>, count: usize) {
    let keys = window_event_listener(ev::keydown, move |event| {
        if let Some(current) = selected.get_untracked() {
            match event.key().as_str() {
                "ArrowRight" => selected.set(Some(step_index(current, count, 1))),
                "ArrowLeft" => selected.set(Some(step_index(current, count, -1))),
                "Escape" => selected.set(None),
                _ => {}
            }
        }
    });
    on_cleanup(move || keys.remove());
}

/// Image ids to `blob:` URLs of their bytes (fetched with the token, which a plain `src`
/// cannot carry), one signal an image: an arriving image updates its own `<img>` only
/// (with one signal for the whole map, each of 100 arrivals re-ran all 100 `src`s).
/// The URLs are revoked when the owner goes away.
#[derive(Clone, Copy)]
pub struct ImageUrls(StoredValue<HashMap<i64, ArcRwSignal<Option<String>>>, LocalStorage>);

impl ImageUrls {
    /// The `blob:` URL of image `id` once fetched (`""` until then), tracked.
    pub fn url(self, id: i64) -> String {
        self.signal(id).get().unwrap_or_default()
    }

    /// The signal of image `id`, made on first use: `None` until its fetch starts, then
    /// `""` until it arrives.
    fn signal(self, id: i64) -> ArcRwSignal<Option<String>> {
        self.0
            .try_update_value(|urls| urls.entry(id).or_default().clone())
            .unwrap_or_default()
    }

    /// Whether image `id` was fetched or is on its way.
    fn started(self, id: i64) -> bool {
        self.0
            .try_with_value(|urls| {
                urls.get(&id)
                    .is_some_and(|url| url.with_untracked(Option::is_some))
            })
            .unwrap_or(true)
    }
}

/// A new, empty [`ImageUrls`], its URLs revoked with the current owner.
pub fn image_urls() -> ImageUrls {
    let urls = ImageUrls(StoredValue::new_local(HashMap::new()));
    on_cleanup(move || {
        urls.0.try_with_value(|all| {
            all.values()
                .filter_map(|url| url.try_get_untracked().flatten())
                .filter(|url| !url.is_empty())
                .for_each(|url| revoke(&url));
        });
    });
    urls
}

/// Fetches logged image `id` into `urls` unless it is there (or on its way) already.
pub fn fetch_image(urls: ImageUrls, id: i64) {
    fetch_into(
        urls,
        id,
        move |client| async move { client.image(id).await },
    );
}

/// Fetches the image of asset `id` into `urls`, as [`fetch_image`] does.
pub fn fetch_asset_image(urls: ImageUrls, id: i64) {
    fetch_into(urls, id, move |client| async move {
        client.asset_image(id).await
    });
}

/// Fetches the image `fetch` answers into `urls` under `id`, once.
fn fetch_into<F, Fut>(urls: ImageUrls, id: i64, fetch: F)
where
    F: FnOnce(ApiClient) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<web_sys::Blob, crate::error::AppError>> + 'static,
{
    if urls.started(id) {
        return;
    }
    let slot = urls.signal(id);
    // A placeholder marks the fetch as started, so a rerun does not fetch again.
    slot.update_untracked(|url| *url = Some(String::new()));
    let client = expect_context::<ApiClient>();
    leptos::task::spawn_local(async move {
        let Ok(blob) = fetch(client).await else {
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
            return;
        };
        // The view went away meanwhile: nobody will revoke it, so do it now.
        if urls.0.try_with_value(|_| ()).is_none() {
            revoke(&url);
            return;
        }
        slot.set(Some(url));
    });
}

/// An image's caption and step, as shown under it.
pub fn caption_of(image: &LoggedImage) -> String {
    match (image.caption.is_empty(), image.step) {
        (false, Some(step)) => format!("{} · step {step}", image.caption),
        (false, None) => image.caption.clone(),
        (true, Some(step)) => format!("step {step}"),
        (true, None) => String::new(),
    }
}

/// The images of an IMAGE log: thumbnails with captions and steps; a click opens one
/// full size, the arrow keys move through them and Escape closes.
#[component]
pub fn ImageGallery(name: String, images: Vec<LoggedImage>) -> impl IntoView {
    let urls = image_urls();
    for image in &images {
        fetch_image(urls, image.id);
    }
    let selected = RwSignal::new(None::<usize>);
    let count = images.len();
    move_with_arrow_keys(selected, count);
    let all = StoredValue::new(images.clone());
    let lightbox = move || {
        selected.get().and_then(|index| all.with_value(|images| images.get(index).cloned())).map(|image| {
            let caption = caption_of(&image);
            view! {
                <div class="lightbox" role="dialog" aria-modal="true" aria-label=format!("Image {} of {count}", selected.get().unwrap_or(0) + 1)
                    on:click=move |_| selected.set(None)>
                    <img src=move || urls.url(image.id) alt=caption.clone()/>
                    <p>{caption.clone()} <span class="muted">" — ← → to move, Esc to close"</span></p>
                </div>
            }
        })
    };
    view! {
        <figure class="chart gallery">
            <figcaption>{name}</figcaption>
            <ul class="thumbnails">
                {images.into_iter().enumerate().map(|(index, image)| {
                    let caption = caption_of(&image);
                    let id = image.id;
                    view! {
                        <li>
                            <button type="button" class="thumbnail" on:click=move |_| selected.set(Some(index))
                                aria-label=format!("Open image {}: {caption}", index + 1)>
                                <img src=move || urls.url(id) alt=caption.clone()/>
                            </button>
                            <span class="thumbnail-caption">{caption.clone()}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {lightbox}
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_wrap_around_the_gallery() {
        assert_eq!(step_index(0, 3, 1), 1);
        assert_eq!(step_index(2, 3, 1), 0);
        assert_eq!(step_index(0, 3, -1), 2);
        assert_eq!(step_index(0, 0, 1), 0);
    }

    #[test]
    fn captions_join_text_and_step() {
        let mut image = LoggedImage {
            id: 1,
            caption: "frame".into(),
            step: Some(10),
            content_type: "image/png".into(),
            size: 1,
            created_at: String::new(),
        };
        assert_eq!(caption_of(&image), "frame · step 10");
        image.caption.clear();
        assert_eq!(caption_of(&image), "step 10");
        image.step = None;
        assert_eq!(caption_of(&image), "");
    }
}
