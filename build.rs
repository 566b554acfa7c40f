//! Rebuilds the crate when a migration or a message file is added or changed:
//! `embed_migrations!` (src/db.rs) and Fluent's `static_loader!` (src/web/i18n.rs) read those
//! directories while compiling, which Cargo does not otherwise know.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=locales");
}
