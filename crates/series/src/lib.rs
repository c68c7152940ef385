//! What the server and the dashboard both compute over LINE series, kept apart from the
//! wire types (`trackboard-api`, the contract) so that crate stays serde types:
//! - [`m4`]: the M4 reduction of a step range to a pixel width ([`Window`]);
//! - [`tiles`] and [`tile_file`]: a published snapshot's pre-reduced tiles and their
//!   binary files; [`snapshot`]: its index and how a chart reads it back;
//! - [`points_frame`]: the binary points answer (numbers copied, not parsed).
//!
//! Pure and dependency-light: it builds for `wasm32-unknown-unknown` and native.

pub mod m4;
pub mod points_frame;
pub mod snapshot;
#[cfg(test)]
mod test_rng;
pub mod tile_file;
pub mod tiles;
mod window;

pub use points_frame::{
    decode_comparison, decode_comparisons, decode_points, encode_comparison, encode_comparisons,
    encode_points, FrameError, POINTS_MEDIA_TYPE,
};
pub use window::Window;
