//! Staff members of the care units.

pub mod create;
pub mod get;
pub mod list;
pub mod update;
