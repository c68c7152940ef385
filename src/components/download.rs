//! Saving bytes fetched with the bearer token as a file, and showing fetched images:
//! both go through a `Blob` URL, because a plain link cannot carry the token.

use wasm_bindgen::JsCast;

/// A `blob:` URL for `bytes` of `content_type`; revoke it with [`revoke`] when done.
pub fn blob_url(bytes: &[u8], content_type: &str) -> Option<String> {
    web_sys::Url::create_object_url_with_blob(&crate::api::blob_of(bytes, content_type)?).ok()
}

/// Frees a URL made by [`blob_url`].
pub fn revoke(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}

/// Makes the browser save `bytes` as `filename`.
pub fn save_file(bytes: &[u8], filename: &str) -> Result<(), String> {
    let url =
        blob_url(bytes, "application/octet-stream").ok_or("the browser refused to make a file")?;
    let saved = save_url(&url, filename);
    revoke(&url);
    saved
}

/// Makes the browser save what `url` (a `blob:` or `data:` URL) holds as `filename`.
pub fn save_url(url: &str, filename: &str) -> Result<(), String> {
    let anchor = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.create_element("a").ok())
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or("no document to save from")?;
    anchor.set_href(url);
    anchor.set_download(filename);
    anchor.click();
    Ok(())
}
