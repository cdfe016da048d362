//! Recurring meetings (`/api/v1/meeting-series`): a series is one RFC 5545 rule whose
//! occurrences become meetings of their own (`/api/v1/meetings/{id}`), where each is cancelled
//! (kept, shown as cancelled) or moved. The rules are [`domain::meeting::series`]'s.

pub mod create;
pub mod get;
