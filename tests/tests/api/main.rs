//! Black-box HTTP tests of the SmartCare API, on SQLite by default and on PostgreSQL when
//! `TEST_DATABASE_URL` is set (see the `tests` crate's harness).

// Test code: a failed step should stop the test with its message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod access;
mod access_log;
mod action_items;
mod auth;
mod calendars;
mod care_plans;
mod care_units;
mod case_conferences;
mod coaches;
mod conditional;
mod contract;
mod coordination;
mod demo;
mod errors;
mod esther_cafe;
mod health;
mod identity_numbers;
mod import;
mod improvement_projects;
mod indicators;
mod measure_charts;
mod meeting_participants;
mod meeting_records;
mod meetings;
mod municipalities;
mod network_indicators;
mod organizations;
mod persons;
mod record_support;
mod search_scope;
mod snapshot;
mod staff;
mod worklists;
