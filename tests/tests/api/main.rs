//! Black-box HTTP tests of the SmartCare API, on SQLite by default and on PostgreSQL when
//! `TEST_DATABASE_URL` is set (see the `tests` crate's harness).

// Test code: a failed step should stop the test with its message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod access;
mod access_log;
mod auth;
mod care_plans;
mod care_units;
mod coaches;
mod contract;
mod coordination;
mod demo;
mod errors;
mod health;
mod import;
mod improvement_projects;
mod measure_charts;
mod meeting_participants;
mod meetings;
mod municipalities;
mod organizations;
mod persons;
mod record_support;
mod search_scope;
mod snapshot;
mod staff;
