//! Where a form shows the server's refusal: at the field it names, or above the buttons
//! when it names none of the form's fields.

use crate::error::AppError;

/// The server's message for `field`, when the error is about it or a part of it
/// (`labels` shows the refusal of `labels[2]`).
pub fn field_message(error: &Option<AppError>, field: &str) -> Option<String> {
    match error {
        Some(AppError::Server {
            field: Some(at),
            message,
            ..
        }) if is_within(at, field) => Some(message.clone()),
        _ => None,
    }
}

/// Whether the server's field path `at` is `field` or lies inside it.
fn is_within(at: &str, field: &str) -> bool {
    at.strip_prefix(field)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

/// The message of an error that none of `fields` shows (no field, or another one).
pub fn form_message(error: &Option<AppError>, fields: &[&str]) -> Option<String> {
    match error {
        Some(AppError::Server {
            field: Some(field), ..
        }) if fields.iter().any(|known| is_within(field, known)) => None,
        Some(other) => Some(other.to_string()),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trackboard_api::ErrorCode;

    fn refusal(field: Option<&str>) -> Option<AppError> {
        Some(AppError::Server {
            status: 409,
            code: ErrorCode::Conflict,
            message: "taken".into(),
            field: field.map(str::to_owned),
        })
    }

    #[test]
    fn a_refusal_shows_at_its_field_and_not_at_the_form() {
        let error = refusal(Some("alias"));
        assert_eq!(field_message(&error, "alias").as_deref(), Some("taken"));
        assert_eq!(field_message(&error, "name"), None);
        assert_eq!(form_message(&error, &["alias"]), None);
    }

    #[test]
    fn a_part_of_a_field_shows_at_the_field() {
        let error = refusal(Some("labels[2]"));
        assert_eq!(field_message(&error, "labels").as_deref(), Some("taken"));
        assert_eq!(field_message(&error, "label"), None);
        assert_eq!(form_message(&error, &["labels"]), None);
        assert_eq!(
            field_message(&refusal(Some("model.name")), "model").as_deref(),
            Some("taken")
        );
    }

    #[test]
    fn a_refusal_without_a_known_field_shows_at_the_form() {
        assert_eq!(
            form_message(&refusal(None), &["alias"]).as_deref(),
            Some("taken")
        );
        assert_eq!(
            form_message(&refusal(Some("other")), &["alias"]).as_deref(),
            Some("taken")
        );
        assert_eq!(form_message(&None, &["alias"]), None);
    }
}
