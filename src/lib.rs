//! Backbone Admin: the back office for IdentityDeletionProcesses.
//!
//! Layers, top to bottom: `web` (handlers) → `facade` (use cases, the only writer)
//! → `domain` (pure rules) → `schema`/Diesel → PostgreSQL.

pub mod application;
pub mod bootstrap;
pub mod clock;
pub mod config;
pub mod db;
pub mod docs_tables;
pub mod domain;
pub mod facade;
pub mod key_files;
pub mod metrics;
pub mod passwords;
#[cfg(feature = "local-postgres")]
pub mod pg_local;
pub mod pseudonyms;
pub mod schema;
pub mod serve;
pub mod shutdown;
pub mod telemetry;
pub mod web;
