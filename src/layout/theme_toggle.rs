//! The colour-scheme toggle: follow the OS, or force light or dark. The choice is kept
//! in local storage and applied as `data-theme` on `<html>` (the stylesheet and the
//! charts read it).

use leptos::prelude::*;

const STORAGE_KEY: &str = "trackboard.theme";

/// The three choices, in the order the button cycles through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeChoice {
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeChoice::System => "system",
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
        }
    }

    /// The choice spelled `text`; anything else follows the system.
    pub fn parse(text: &str) -> ThemeChoice {
        match text {
            "light" => ThemeChoice::Light,
            "dark" => ThemeChoice::Dark,
            _ => ThemeChoice::System,
        }
    }

    /// The next choice of the cycle.
    pub fn next(self) -> ThemeChoice {
        match self {
            ThemeChoice::System => ThemeChoice::Light,
            ThemeChoice::Light => ThemeChoice::Dark,
            ThemeChoice::Dark => ThemeChoice::System,
        }
    }

    fn label(self) -> &'static str {
        match self {
            ThemeChoice::System => "Theme: system",
            ThemeChoice::Light => "Theme: light",
            ThemeChoice::Dark => "Theme: dark",
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads the stored choice and applies it to the page; call once at start.
pub fn apply_stored_theme() -> ThemeChoice {
    let choice = storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .map_or(ThemeChoice::System, |text| ThemeChoice::parse(&text));
    apply(choice);
    choice
}

fn apply(choice: ThemeChoice) {
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element());
    if let Some(root) = root {
        let _ = match choice {
            ThemeChoice::System => root.remove_attribute("data-theme"),
            other => root.set_attribute("data-theme", other.as_str()),
        };
    }
    if let Some(storage) = storage() {
        let _ = storage.set_item(STORAGE_KEY, choice.as_str());
    }
}

/// A button that cycles system → light → dark. Charts repaint on the next data change.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let choice = RwSignal::new(apply_stored_theme());
    view! {
        <button type="button" class="link-button theme-toggle"
            on:click=move |_| {
                let next = choice.get_untracked().next();
                apply(next);
                choice.set(next);
            }>
            {move || choice.get().label()}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_toggle_cycles_and_parses_back() {
        let mut choice = ThemeChoice::System;
        let mut seen = Vec::new();
        for _ in 0..3 {
            choice = choice.next();
            seen.push(choice);
            assert_eq!(ThemeChoice::parse(choice.as_str()), choice);
        }
        assert_eq!(
            seen,
            [ThemeChoice::Light, ThemeChoice::Dark, ThemeChoice::System]
        );
        assert_eq!(ThemeChoice::parse("purple"), ThemeChoice::System);
    }
}
