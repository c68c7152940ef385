//! Compression of the API's answers: JSON, CSV and the binary points frame above 1 KiB,
//! with zstd, brotli or gzip as the client accepts (in that order), streamed (a CSV
//! export is compressed as it is written). Browsers accept zstd, the fastest of the
//! three: a compare view's 2.9 MB frame (its steps are mostly zero bytes) becomes
//! ~0.3 MB in a few milliseconds, where brotli's quality 4 took ~70 ms here. Files
//! (artifacts, images) are sent as they are: they are often compressed already.

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
            essence == "application/json"
                || essence == "text/csv"
                || essence == trackboard_series::POINTS_MEDIA_TYPE
        })
}

/// The layer for the API router. (An answer of unknown size, a stream, is compressed.)
pub fn layer() -> CompressionLayer<impl Predicate> {
    let compressible =
        |_: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions| compressible(headers);
    CompressionLayer::new()
        .zstd(true)
        .br(true)
        .gzip(true)
        .compress_when(SizeAbove::new(MIN_BYTES).and(compressible))
}
