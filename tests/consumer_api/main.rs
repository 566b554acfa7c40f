//! The Consumer API (issue 19) over HTTP against the real app and real PostgreSQL: each
//! endpoint's success and each failure it names. One module per capability; what several
//! use is in `helpers`. The platform's own client library runs in `tests/compat.rs`.

#[path = "../common/mod.rs"]
mod common;
mod helpers;

mod bad_input;
mod clients;
mod deletion_processes;
mod erasure;
mod registration;
mod sync;
mod tokens;
