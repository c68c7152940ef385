//! Keys of objects a script put in the artifact store itself (seed 000
//! `create_artifact`), checked before the server reads or records them.

use super::refusal::Refusal;

/// The folders the server writes its own objects under (`Objects::put_stream`'s
/// kinds). A registered key may not point into them: it would let one experiment claim,
/// and on deletion remove, another's bytes.
pub const MANAGED_FOLDERS: [&str; 3] = ["artifacts", "images", "assets"];

/// The most characters of a registered key.
pub const OBJECT_KEY_MAX_CHARS: usize = 1024;

/// `text` as a registered object's key: `/`-separated segments, none empty, `.` or `..`,
/// no control characters, outside [`MANAGED_FOLDERS`].
pub fn registered_object_key(text: &str) -> Result<String, Refusal> {
    let refuse = |why: String| Err(Refusal::invalid("object_name", why));
    if text.is_empty() || text.chars().count() > OBJECT_KEY_MAX_CHARS {
        return refuse(format!(
            "object_name must be 1 to {OBJECT_KEY_MAX_CHARS} characters"
        ));
    }
    if text.chars().any(char::is_control) {
        return refuse("object_name must not hold control characters".to_owned());
    }
    for segment in text.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." {
            return refuse(format!(
                "object_name {text:?} has an empty, . or .. segment; give the key as the store names it, e.g. checkpoints/run-7/model.pt"
            ));
        }
    }
    let first = text.split('/').next().unwrap_or_default();
    if MANAGED_FOLDERS.contains(&first) {
        return refuse(format!(
            "object_name {text:?} is in the folder {first}/, which the server writes itself; register objects stored elsewhere"
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_outside_the_managed_folders_are_taken_as_they_are() {
        assert_eq!(
            registered_object_key("checkpoints/run 7/model.pt").as_deref(),
            Ok("checkpoints/run 7/model.pt")
        );
        assert_eq!(
            registered_object_key("some_file_in_s3.png").as_deref(),
            Ok("some_file_in_s3.png")
        );
        // A folder that merely starts like a managed one is not one.
        assert!(registered_object_key("artifacts-mine/x").is_ok());
    }

    #[test]
    fn traversal_empty_segments_control_characters_and_managed_folders_are_refused() {
        for bad in [
            "",
            "../etc/passwd",
            "a/../b",
            "a//b",
            "/abs",
            "a/./b",
            "trailing/",
            "tab\there",
            "artifacts/3f00",
            "images/x.png",
            "assets/1",
        ] {
            let refusal = registered_object_key(bad).expect_err(bad);
            assert_eq!(refusal.field, "object_name", "{bad}");
        }
        assert!(registered_object_key(&"k".repeat(OBJECT_KEY_MAX_CHARS + 1)).is_err());
        assert!(registered_object_key(&"k".repeat(OBJECT_KEY_MAX_CHARS)).is_ok());
    }
}
