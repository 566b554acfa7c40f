//! Project-local PostgreSQL cluster (filled in by the harness work).
