//! Care units: wards, primary care centres, home care groups and other units.

pub mod create;
pub mod get;
pub mod list;
pub mod update;
