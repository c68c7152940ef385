//! Where each shown image loads from. A logged image from the server loads from a
//! signed link (`/image-links`), so a plain `<img src>` fetches, decodes and caches it
//! off the page's main thread; a compare view's 100 links come in one request. Images a
//! link cannot reach (a published snapshot's, an asset's, a server without links) are
//! fetched with the token and shown from a `blob:` URL.

use crate::api::ApiClient;
use crate::components::revoke;
use leptos::prelude::*;
use std::collections::HashMap;

/// Image ids to the URLs their `<img>` loads, one signal an image: an arriving URL
/// updates its own `<img>` only (with one signal for the whole map, each of 100
/// arrivals re-ran all 100 `src`s). `blob:` URLs are revoked when the owner goes away.
#[derive(Clone, Copy)]
pub struct ImageUrls {
    urls: StoredValue<HashMap<i64, ArcRwSignal<Option<String>>>, LocalStorage>,
    /// Ids waiting for the one request that asks links for all of them.
    unlinked: StoredValue<Vec<i64>, LocalStorage>,
}

impl ImageUrls {
    /// The URL of image `id` once known (`""` until then), tracked.
    pub fn url(self, id: i64) -> String {
        self.signal(id).get().unwrap_or_default()
    }

    /// The signal of image `id`, made on first use: `None` until it is asked for, then
    /// `""` until its URL is known.
    fn signal(self, id: i64) -> ArcRwSignal<Option<String>> {
        self.urls
            .try_update_value(|urls| urls.entry(id).or_default().clone())
            .unwrap_or_default()
    }

    /// Marks image `id` as asked for; false when it was already (or the owner is gone).
    fn start(self, id: i64) -> bool {
        let asked = self
            .urls
            .try_with_value(|urls| {
                urls.get(&id)
                    .is_some_and(|url| url.with_untracked(Option::is_some))
            })
            .unwrap_or(true);
        if !asked {
            self.signal(id)
                .update_untracked(|url| *url = Some(String::new()));
        }
        !asked
    }

    fn gone(self) -> bool {
        self.urls.try_with_value(|_| ()).is_none()
    }
}

/// A new, empty [`ImageUrls`], its `blob:` URLs revoked with the current owner.
pub fn image_urls() -> ImageUrls {
    let urls = ImageUrls {
        urls: StoredValue::new_local(HashMap::new()),
        unlinked: StoredValue::new_local(Vec::new()),
    };
    on_cleanup(move || {
        urls.urls.try_with_value(|all| {
            all.values()
                .filter_map(|url| url.try_get_untracked().flatten())
                .filter(|url| url.starts_with("blob:"))
                .for_each(|url| revoke(&url));
        });
    });
    urls
}

/// Asks for logged image `id` unless it was asked for already: its signed link, in one
/// request with every other image asked in the same turn of the event loop.
pub fn fetch_image(urls: ImageUrls, id: i64) {
    if !urls.start(id) {
        return;
    }
    let client = expect_context::<ApiClient>();
    if client.is_snapshot() {
        fetch_blob(client, urls, id, move |client| async move {
            client.image(id).await
        });
        return;
    }
    let first = urls
        .unlinked
        .try_update_value(|ids| {
            ids.push(id);
            ids.len() == 1
        })
        .unwrap_or(false);
    if first {
        // Runs after the current turn, when every image of the view has been asked for.
        leptos::task::spawn_local(link_all(client, urls));
    }
}

/// Fetches the image of asset `id` into `urls` with the token, once.
pub fn fetch_asset_image(urls: ImageUrls, id: i64) {
    if urls.start(id) {
        let client = expect_context::<ApiClient>();
        fetch_blob(client, urls, id, move |client| async move {
            client.asset_image(id).await
        });
    }
}

/// Links for every id waiting in `urls`, a request per [`MAX_LINKS`]; ids whose links
/// could not be had (an older server, a network failure) are fetched with the token.
async fn link_all(client: ApiClient, urls: ImageUrls) {
    let ids = urls
        .unlinked
        .try_update_value(std::mem::take)
        .unwrap_or_default();
    for chunk in ids.chunks(MAX_LINKS) {
        let linked = client.image_links(chunk).await;
        if urls.gone() {
            return;
        }
        match linked {
            Ok(answer) => {
                for link in answer.links {
                    urls.signal(link.image_id)
                        .set(Some(client.linked_url(&link.path)));
                }
            }
            Err(_) => {
                for &id in chunk {
                    fetch_blob(client.clone(), urls, id, move |client| async move {
                        client.image(id).await
                    });
                }
            }
        }
    }
}

/// The most images one `/image-links` request may name.
const MAX_LINKS: usize = 500;

/// Fetches the image `fetch` answers with the token and shows it from a `blob:` URL.
fn fetch_blob<F, Fut>(client: ApiClient, urls: ImageUrls, id: i64, fetch: F)
where
    F: FnOnce(ApiClient) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<web_sys::Blob, crate::error::AppError>> + 'static,
{
    leptos::task::spawn_local(async move {
        let Ok(blob) = fetch(client).await else {
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
            return;
        };
        // The view went away meanwhile: nobody will revoke it, so do it now.
        if urls.gone() {
            revoke(&url);
            return;
        }
        urls.signal(id).set(Some(url));
    });
}
