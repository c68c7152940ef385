//! Compression of the API's answers: JSON and CSV above 1 KiB, with brotli or gzip as
//! the client accepts, streamed (a CSV export is compressed as it is written). The binary
//! points frame and files (artifacts, images) are sent as they are: doubles barely
//! compress, and files are often compressed already.

use axum::http::{header, Extensions, HeaderMap, StatusCode, Version};
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;

/// Answers smaller than this are not worth a compressor's setup.
const MIN_BYTES: u16 = 1024;

/// The content types worth compressing on the fly.
fn compressible(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            let essence = value.split(';').next().unwrap_or_default().trim();
            essence == "application/json" || essence == "text/csv"
        })
}

/// The layer for the API router. (An answer of unknown size, a stream, is compressed.)
pub fn layer() -> CompressionLayer<impl Predicate> {
    let compressible =
        |_: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions| compressible(headers);
    CompressionLayer::new()
        .br(true)
        .gzip(true)
        .compress_when(SizeAbove::new(MIN_BYTES).and(compressible))
}
