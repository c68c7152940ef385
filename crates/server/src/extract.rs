//! Extractors whose rejections are answered in the error envelope, not axum's plain text.

use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::StatusCode;

/// `axum::Json`, rejecting bad bodies with a 400 (or 413) in the envelope.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

/// `axum::extract::Query`, rejecting bad query strings with a 400 in the envelope.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// `axum::extract::Path`, rejecting unparsable ids with a 400 in the envelope.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::BadRequest(format!("invalid path: {}", rejection.body_text()))
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match &rejection {
            JsonRejection::JsonDataError(error) => match field_path(error) {
                Some(field) => ApiError::validation(field, rejection.body_text()),
                None => ApiError::BadRequest(rejection.body_text()),
            },
            JsonRejection::MissingJsonContentType(_) => {
                ApiError::UnsupportedMediaType(rejection.body_text())
            }
            _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(
                format!("request body too large: {}", rejection.body_text()),
            ),
            _ => ApiError::BadRequest(format!("invalid JSON body: {}", rejection.body_text())),
        }
    }
}

/// The path of the field a JSON body failed on (`name`, `values[3]`), when it is not the root.
fn field_path(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut source = Some(error);
    while let Some(current) = source {
        if let Some(path_error) =
            current.downcast_ref::<serde_path_to_error::Error<serde_json::Error>>()
        {
            let path = path_error.path().to_string();
            return (path != ".").then_some(path);
        }
        source = current.source();
    }
    None
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::BadRequest(format!("invalid query string: {}", rejection.body_text()))
    }
}
