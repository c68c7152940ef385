//! The token in local storage, and the `#token=` fragment that delivers one.

const STORAGE_KEY: &str = "trackboard.token";

/// The token in a URL fragment such as `#token=tb_…` (other fragments: `None`).
pub fn token_in_fragment(fragment: &str) -> Option<String> {
    fragment
        .trim_start_matches('#')
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The stored token, if any.
pub fn stored_token() -> Option<String> {
    local_storage()?
        .get_item(STORAGE_KEY)
        .ok()
        .flatten()
        .filter(|token| !token.is_empty())
}

/// Keeps `token` for later visits.
pub fn store_token(token: &str) {
    if let Some(storage) = local_storage() {
        // A browser refusing storage (private mode quotas) leaves the user signed out.
        let _ = storage.set_item(STORAGE_KEY, token.trim());
    }
}

/// Signs out.
pub fn forget_token() {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
}

/// At start: a `#token=` fragment is stored and removed from the address bar, so the
/// secret neither stays on screen nor lands in bookmarks.
pub fn adopt_token_from_url() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(token) = window
        .location()
        .hash()
        .ok()
        .as_deref()
        .and_then(token_in_fragment)
    else {
        return;
    };
    store_token(&token);
    let location = window.location();
    let clean = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_the_fragment() {
        assert_eq!(
            token_in_fragment("#token=tb_abc").as_deref(),
            Some("tb_abc")
        );
        assert_eq!(
            token_in_fragment("#x=1&token=tb_abc").as_deref(),
            Some("tb_abc")
        );
        assert_eq!(token_in_fragment("token=tb_abc").as_deref(), Some("tb_abc"));
    }

    #[test]
    fn other_fragments_hold_no_token() {
        assert_eq!(token_in_fragment(""), None);
        assert_eq!(token_in_fragment("#token="), None);
        assert_eq!(token_in_fragment("#section-2"), None);
    }
}
