//! The county's municipalities: fixed reference data, read only.

pub mod get;
pub mod list;
