//! Answers to requests the page's boot script (in `index.html`) started before the
//! WebAssembly was compiled: `config.json`, and for a compare or experiment page the
//! data it opens with. Each is taken once, by the first call that would have sent the
//! same request; anything that does not match exactly (another token, another API
//! root) is left alone and the call sends its own request.

use gloo_net::http::Response;
use js_sys::{Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What a request's send answers.
pub type Sent = Result<Response, gloo_net::Error>;

/// `window.trackboardEarly`, when the boot script ran.
fn early() -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &"trackboardEarly".into())
        .ok()
        .filter(|early| early.is_object())
}

/// `parent[key]`, removed so it is used once.
fn take(parent: &JsValue, key: &str) -> Option<JsValue> {
    let value = Reflect::get(parent, &key.into()).ok()?;
    if value.is_undefined() {
        return None;
    }
    Reflect::delete_property(parent.unchecked_ref::<js_sys::Object>(), &key.into()).ok()?;
    Some(value)
}

/// The awaited answer of a fetch promise.
async fn settled(promise: Promise) -> Sent {
    match JsFuture::from(promise).await {
        Ok(answer) => answer
            .dyn_into::<web_sys::Response>()
            .map(Response::from)
            .map_err(|_| gloo_net::Error::GlooError("the early answer is not a Response".into())),
        Err(error) => Err(gloo_net::Error::GlooError(
            error
                .as_string()
                .or_else(|| {
                    error
                        .dyn_ref::<js_sys::Error>()
                        .map(|e| String::from(e.message()))
                })
                .unwrap_or_else(|| "the request failed".into()),
        )),
    }
}

/// The boot script's fetch of `config.json`, if it started one.
pub async fn take_config() -> Option<Sent> {
    let promise = take(&early()?, "config")?.dyn_into::<Promise>().ok()?;
    Some(settled(promise).await)
}

/// The boot script's answer to `GET url` (`path` under the API root) sent with
/// `token`, if it sent exactly that request.
pub async fn take_api(path: &str, url: &str, token: Option<&str>) -> Option<Sent> {
    let api = Reflect::get(&early()?, &"api".into()).ok()?;
    let entry = take(&api, path)?;
    let sent_token = Reflect::get(&entry, &"token".into()).ok()?.as_string();
    if sent_token.as_deref() != token {
        return None;
    }
    let promise = Reflect::get(&entry, &"answer".into())
        .ok()?
        .dyn_into::<Promise>()
        .ok()?;
    let sent = settled(promise).await;
    // Sent to another API root than this client's (a config the boot script read
    // differently): not this request's answer.
    match &sent {
        Ok(response) if !same_url(&response.url(), url) => None,
        _ => Some(sent),
    }
}

/// Whether `answered` (absolute) is `asked` (absolute, or relative to the page).
fn same_url(answered: &str, asked: &str) -> bool {
    let page = web_sys::window().and_then(|window| window.location().href().ok());
    page.and_then(|page| web_sys::Url::new_with_base(asked, &page).ok())
        .is_some_and(|asked| asked.href() == answered)
}
