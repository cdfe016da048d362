//! SmartCare Home HTTP API: routes, authentication, error mapping and start-up, on top of
//! the `domain`, `persistence` and `openapi` crates. The `smartcare` binary lives in
//! `main.rs`.

pub mod auth;
pub mod chart_render;
mod conditional;
pub mod config;
mod db;
pub mod demo;
pub mod error;
mod json_body;
mod negotiate;
// Public so the fuzz targets in `fuzz/` can reach the cursor codec.
pub mod pagination;
mod preconditions;
mod query_params;
pub mod rate_limit;
pub mod record_access;
mod record_cache;
pub mod request_id;
mod respond;
pub mod routes;
pub mod spec;
pub mod startup;
pub mod state;
mod unit_directory;
