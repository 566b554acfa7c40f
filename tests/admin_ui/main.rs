//! The admin web UI driven over HTTP against the real app and real PostgreSQL (issue 3).
//!
//! One module per feature; helpers used by several of them are in `helpers`.

#[path = "../common/mod.rs"]
mod common;
mod helpers;

mod audit_log;
mod bad_urls;
mod csrf;
mod dashboard;
mod database_outage;
mod deletion_processes;
mod headers;
mod identities;
mod in_german;
mod process_timeline;
mod sign_in;
