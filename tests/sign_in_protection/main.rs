//! Sign-in protection (issue 8, `docs/security.md`) over real HTTP against the real app and
//! real PostgreSQL: throttling per pair, network and username with known browsers, the
//! client network behind trusted proxies, the two-step sign-in with TOTP, restricted
//! sessions, the bounded hash queue, and the erasure and retention of the security log
//! (issue 17).
//!
//! One module per feature; helpers used by several of them are in `helpers`.

#[path = "../common/mod.rs"]
mod common;
mod helpers;

mod erasure;
mod flood;
mod hash_queue;
mod lockout;
mod owners;
mod proxy;
mod rechecks;
mod restricted;
mod second_factor;
