//! How answers leave the server, shared by the routes: content negotiation between
//! JSON and the binary points frame, and downloads with safe file names.

use axum::body::Body;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use trackboard_series::POINTS_MEDIA_TYPE;

/// The binary points frame (documentation only; its layout is in docs/API.md).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
#[schema(value_type = String, format = Binary)]
pub struct PointsFrame(Vec<u8>);

/// Whether the client's `Accept` asks for the binary points frame (named, and not
/// refused with `q=0`).
fn wants_frame(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|media| {
            let mut parts = media.split(';').map(str::trim);
            parts.next() == Some(POINTS_MEDIA_TYPE)
                && !parts.any(|parameter| {
                    parameter
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                        == Some(0.0)
                })
        })
}

/// The answer as the binary points frame when the client asked for it, JSON otherwise;
/// `Vary: Accept` keeps caches from mixing the two.
pub fn negotiated<T: serde::Serialize>(
    headers: &HeaderMap,
    answer: T,
    encode: fn(&T) -> Vec<u8>,
) -> Response {
    let vary = (header::VARY, header::ACCEPT.as_str());
    if wants_frame(headers) {
        let body = encode(&answer);
        ([(header::CONTENT_TYPE, POINTS_MEDIA_TYPE), vary], body).into_response()
    } else {
        ([vary], axum::Json(answer)).into_response()
    }
}

/// A file download: generic type, attachment disposition with an ASCII-safe name
/// (and the UTF-8 name encoded), never sniffed by the browser.
pub fn attachment(filename: &str, size: u64, body: Body) -> Response {
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_LENGTH, size.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}\"; filename*=UTF-8''{encoded}",
                    safe_filename(filename)
                ),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// A streamed CSV download named `filename` (made safe).
pub fn csv_attachment(filename: &str, body: Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", safe_filename(filename)),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// A file name safe in a `Content-Disposition` header: ASCII letters, digits, `-`, `_`, `.`.
fn safe_filename(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    let trimmed = cleaned.trim_matches('.');
    if trimmed.is_empty() {
        "download".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_accept_naming_the_frame_gets_it() {
        let accept = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT, value.parse().expect("a header value"));
            wants_frame(&headers)
        };
        assert!(accept("application/vnd.trackboard.points"));
        assert!(accept(
            "application/json;q=0.5, application/vnd.trackboard.points;q=1"
        ));
        assert!(!accept("application/json"));
        assert!(!accept("*/*"));
        assert!(!accept("application/vnd.trackboard.points2"));
        assert!(!accept(
            "application/json, application/vnd.trackboard.points; q=0"
        ));
        assert!(accept("application/vnd.trackboard.points; q=0.1"));
        assert!(!wants_frame(&HeaderMap::new()));
    }

    #[test]
    fn filenames_keep_only_safe_characters() {
        assert_eq!(
            safe_filename("experiment-1-Loss/total.csv"),
            "experiment-1-Loss_total.csv"
        );
        assert_eq!(safe_filename("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_filename("..."), "download");
        assert_eq!(safe_filename("a\"b\r\nc"), "a_b__c");
    }
}
