//! What a saved view may hold: a name, and a dashboard address of this project's kind of
//! view. The address is opened by the dashboard as it is, so it must be an app path on
//! the same origin (never `//host` or a scheme) and name no other project.

use super::{checked_name, Refusal};
use trackboard_api::VIEW_PATH_MAX_CHARS;

/// The characters of a saved view's short id.
const ID_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
/// The length of a short id: 36^10 ≈ 3.7 × 10^15 ids, so a collision is never met in
/// practice (and is refused by the primary key if it ever is).
pub const VIEW_ID_CHARS: usize = 10;

/// A checked saved view's name.
pub fn checked_view_name(name: &str) -> Result<String, Refusal> {
    checked_name("name", name, 200)
}

/// `path` if it is `/compare?…` or `/projects/{project_id}` with an optional query,
/// at most [`VIEW_PATH_MAX_CHARS`] characters, without control characters.
pub fn checked_view_path(project_id: i64, path: &str) -> Result<String, Refusal> {
    let refuse = |why: String| Err(Refusal::invalid("path", why));
    if path.chars().count() > VIEW_PATH_MAX_CHARS {
        return refuse(format!(
            "path must be at most {VIEW_PATH_MAX_CHARS} characters"
        ));
    }
    if path.chars().any(char::is_control) {
        return refuse("path must not contain control characters".into());
    }
    if path.starts_with("/compare?") {
        return Ok(path.to_owned());
    }
    let Some(rest) = path.strip_prefix("/projects/") else {
        return refuse(format!(
            "path must be a dashboard view: /compare?… or /projects/{project_id}…, got {path:?}"
        ));
    };
    let id = rest.split_once('?').map_or(rest, |(id, _)| id);
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return refuse(format!(
            "path must name a project as /projects/{project_id}, got {path:?}"
        ));
    }
    if id.parse::<i64>().ok() != Some(project_id) {
        return refuse(format!(
            "path shows project {id}; a view is saved in the project it shows ({project_id})"
        ));
    }
    Ok(path.to_owned())
}

/// A new short id from `random` bytes (one character per byte).
pub fn view_id(random: [u8; VIEW_ID_CHARS]) -> String {
    random
        .iter()
        .map(|byte| ID_ALPHABET[usize::from(*byte) % ID_ALPHABET.len()] as char)
        .collect()
}

/// Whether `id` could be a short id (so a malformed one is a 404 without a query).
pub fn looks_like_view_id(id: &str) -> bool {
    id.len() == VIEW_ID_CHARS && id.bytes().all(|b| ID_ALPHABET.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_of_the_dashboard_are_kept_and_anything_else_refused() {
        for kept in [
            "/compare?ids=1,2&log=loss&baseline=1",
            "/projects/7",
            "/projects/7?cols=accuracy%0Aloss&sort=-accuracy",
        ] {
            assert_eq!(checked_view_path(7, kept).as_deref(), Ok(kept));
        }
        for refused in [
            "",
            "/compare",
            "//evil.example.com/compare?ids=1",
            "https://evil.example.com/compare?ids=1",
            "javascript:alert(1)",
            "/projects/8",
            "/projects/7abc",
            "/projects/",
            "/projects/7/../../x",
            "/experiments/3",
            "/compare?ids=1\n2",
        ] {
            assert!(checked_view_path(7, refused).is_err(), "{refused:?}");
        }
        let long = format!("/compare?ids={}", "1".repeat(VIEW_PATH_MAX_CHARS));
        assert!(checked_view_path(7, &long).is_err());
    }

    #[test]
    fn ids_are_short_lowercase_and_recognised() {
        let id = view_id([0, 35, 36, 255, 7, 8, 9, 10, 11, 12]);
        assert_eq!(id, "a9adhijklm");
        assert!(looks_like_view_id(&id));
        for not_an_id in ["", "A9ad7hijkl", "a9ad7hijk", "a9ad7hijkl0", "a9ad7-ijkl"] {
            assert!(!looks_like_view_id(not_an_id), "{not_an_id:?}");
        }
    }
}
