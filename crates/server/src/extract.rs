//! Extractors whose rejections are answered in the error envelope, not axum's plain text.

use crate::error::ApiError;
use crate::json_body::{self, BodyError};
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

/// A JSON object body read strictly (`json_body::parse`: exact numbers, no repeated
/// keys, an object at the root), refused in the envelope: 415 without a JSON content
/// type, 413 over the route's limit, 400 when malformed, 422 naming the field at fault.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = json_bytes(request, state).await?;
        answered(json_body::parse(&bytes)).map(Json)
    }
}

/// A JSON object body read into `T` item by item (`json_body::parse_typed`), without
/// the whole tree [`Json`] builds: for large bodies of typed items. Refused as [`Json`]
/// refuses.
#[derive(Debug)]
pub struct TypedJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for TypedJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = json_bytes(request, state).await?;
        answered(json_body::parse_typed(&bytes)).map(TypedJson)
    }
}

/// The body's bytes, if it says it is JSON and fits the route's limit.
async fn json_bytes<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, ApiError> {
    if !has_json_content_type(request.headers()) {
        return Err(ApiError::UnsupportedMediaType(
            "Expected request with `Content-Type: application/json`".into(),
        ));
    }
    Bytes::from_request(request, state)
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge(format!(
                    "request body too large: {}",
                    rejection.body_text()
                ))
            } else {
                ApiError::BadRequest(format!(
                    "the body could not be read: {}",
                    rejection.body_text()
                ))
            }
        })
}

/// A parse's refusal in the envelope: 400 when malformed, 422 naming the field.
fn answered<T>(parsed: Result<T, BodyError>) -> Result<T, ApiError> {
    parsed.map_err(|error| match error {
        BodyError::Malformed(message) => ApiError::BadRequest(message),
        BodyError::Field { field, message } => ApiError::validation(field, message),
    })
}

/// `application/json`, or a `+json` type, with any parameters.
fn has_json_content_type(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|essence| essence.trim().to_ascii_lowercase())
        .is_some_and(|essence| {
            essence == "application/json"
                || (essence.starts_with("application/") && essence.ends_with("+json"))
        })
}

/// `axum::extract::Multipart`, refusing a body that is not `multipart/form-data` with a
/// boundary (a JSON body, no content type) with a 415 in the envelope.
#[derive(Debug)]
pub struct Multipart(pub axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for Multipart {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        axum::extract::Multipart::from_request(request, state)
            .await
            .map(Multipart)
            .map_err(|rejection| {
                ApiError::UnsupportedMediaType(format!(
                    "send the upload as multipart/form-data with a boundary: {}",
                    rejection.body_text()
                ))
            })
    }
}

/// `axum::extract::Query`, rejecting bad query strings with a 400 in the envelope,
/// including percent-escapes that do not decode to UTF-8 (`%FF`), which would otherwise
/// become U+FFFD silently.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        if let Some(query) = parts.uri.query() {
            strict_query(query)?;
        }
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Query(value))
    }
}

/// Refuses a query string whose names or values do not percent-decode to UTF-8.
fn strict_query(query: &str) -> Result<(), ApiError> {
    for pair in query.split('&') {
        let mut decoded = Vec::with_capacity(pair.len());
        let mut bytes = pair.bytes();
        while let Some(byte) = bytes.next() {
            match byte {
                b'%' => {
                    let high = bytes.next().and_then(|b| (b as char).to_digit(16));
                    let low = bytes.next().and_then(|b| (b as char).to_digit(16));
                    match (high, low) {
                        (Some(high), Some(low)) => decoded.push((high * 16 + low) as u8),
                        _ => {
                            return Err(ApiError::BadRequest(format!(
                            "invalid query string: {pair:?} has a % not followed by two hex digits"
                        )))
                        }
                    }
                }
                b'+' => decoded.push(b' '),
                other => decoded.push(other),
            }
        }
        if std::str::from_utf8(&decoded).is_err() {
            return Err(ApiError::BadRequest(format!(
                "invalid query string: {pair:?} does not decode to UTF-8 text"
            )));
        }
    }
    Ok(())
}

/// `axum::extract::Path`, rejecting unparsable ids with a 400 in the envelope.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::BadRequest(format!("invalid path: {}", rejection.body_text()))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::BadRequest(format!("invalid query string: {}", rejection.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_must_decode_to_utf8() {
        for good in [
            "name=caf%C3%A9",
            "name=a+b&limit=10",
            "series=%E2%9C%93",
            "",
        ] {
            assert!(strict_query(good).is_ok(), "{good}");
        }
        for bad in ["name=%FF", "name=%C3", "x=%ZZ", "x=%4", "%FE%FF=1"] {
            assert!(
                matches!(strict_query(bad), Err(ApiError::BadRequest(_))),
                "{bad}"
            );
        }
    }
}
