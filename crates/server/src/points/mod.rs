//! The points pipeline, between the routes and storage: a checked step range at a
//! pixel width, every series reduced side by side (M4, in `domain::m4`, read as it
//! streams from storage), comparisons regrouped by experiment, and the full-resolution
//! CSV as a stream. No HTTP here: the routes negotiate the answer's format.

mod bands;
mod csv;
mod range;
mod reduce;

pub use bands::{read_bands, Member};
pub use csv::{csv_field, csv_stream, CSV_HEADER};
pub use range::{Range, DEFAULT_WIDTH, MAX_WIDTH};
pub use reduce::{compare, reduce_all};
