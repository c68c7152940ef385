//! Checked domain types: wire types are parsed into these at the API boundary, so
//! storage never sees an unchecked value.

mod project;

pub use project::ProjectDraft;
