//! The identity owner's pages, driven over HTTP against the real app and PostgreSQL.
//!
//! One module per feature; helpers used by several of them are in `helpers`.

#[path = "../common/mod.rs"]
mod common;
mod helpers;

mod csrf;
mod decisions;
mod german;
mod grace_period_end;
mod initiating;
mod language;
mod receipts;
mod scoping;
mod sign_in;
