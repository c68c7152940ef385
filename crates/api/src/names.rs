//! The rule every name of the API follows, written once for the OpenAPI document: a
//! string of 1 to N characters holding something other than white space, without
//! control characters. (The server checks the same rule in `domain::checked_name`.)

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

/// At least one character that is neither white space nor a control character, and
/// no control character anywhere (U+0000–U+001F, U+007F–U+009F).
pub const NAME_PATTERN: &str = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$";

fn name_schema(max_chars: usize) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(max_chars))
        .pattern(Some(NAME_PATTERN))
        .description(Some(format!(
            "A name: 1 to {max_chars} characters, not only white space, no control characters"
        )))
        .into()
}

/// A name of up to 200 characters (projects, experiments, logs, datasets, versions,
/// labels, models, tokens, chapters).
pub struct Name200;

impl utoipa::PartialSchema for Name200 {
    fn schema() -> RefOr<Schema> {
        name_schema(200)
    }
}

impl utoipa::ToSchema for Name200 {}

/// A line of a job's live log: 1 to 10,000 characters.
pub struct LogLine;

impl utoipa::PartialSchema for LogLine {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(10_000))
            .description(Some(
                "A line of the live log (line breaks split it into several)",
            ))
            .into()
    }
}

impl utoipa::ToSchema for LogLine {}

/// A name of up to 100 characters (aliases, model tags).
pub struct Name100;

impl utoipa::PartialSchema for Name100 {
    fn schema() -> RefOr<Schema> {
        name_schema(100)
    }
}

impl utoipa::ToSchema for Name100 {}
