//! The migration's lists against the Rust definitions they must match: every CHECK list
//! of statuses and message keys against the generated `ALL` lists, and the partial unique
//! index behind "one open process per identity" against `ProcessStatus::OPEN`. Read from
//! PostgreSQL itself (`pg_get_constraintdef`, `pg_indexes`), so any later migration that
//! changes one side without the other fails here.

mod common;

use std::collections::BTreeSet;

use backbone_admin::domain::accounts::{Realm, Role, SecurityEventKind};
use backbone_admin::domain::{IdentityStatus, MessageKey, ProcessStatus};
use common::fresh_database;
use diesel::prelude::*;
use diesel::sql_types::Text;

#[derive(QueryableByName)]
struct Definition {
    #[diesel(sql_type = Text)]
    def: String,
}

/// The quoted literals of a definition PostgreSQL printed, e.g. the names in
/// `CHECK ((status = ANY (ARRAY['Active'::text, 'Deleting'::text])))`.
fn literals(def: &str) -> BTreeSet<String> {
    def.split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn names<T: ToString>(values: impl IntoIterator<Item = T>) -> BTreeSet<String> {
    values.into_iter().map(|v| v.to_string()).collect()
}

/// The CHECK constraints that involve only `column` of `table`.
fn column_checks(conn: &mut PgConnection, table: &str, column: &str) -> Vec<String> {
    diesel::sql_query(
        "SELECT pg_get_constraintdef(c.oid) AS def \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = c.conkey[1] \
         WHERE c.contype = 'c' AND cardinality(c.conkey) = 1 \
           AND t.relname = $1 AND a.attname = $2 \
         ORDER BY c.conname",
    )
    .bind::<Text, _>(table)
    .bind::<Text, _>(column)
    .load::<Definition>(conn)
    .expect("read constraints")
    .into_iter()
    .map(|d| d.def)
    .collect()
}

/// The one CHECK list of `table.column`, as a set of names.
fn check_list(conn: &mut PgConnection, table: &str, column: &str) -> BTreeSet<String> {
    let checks = column_checks(conn, table, column);
    let lists: Vec<&String> = checks
        .iter()
        .filter(|d| d.contains("ANY (ARRAY["))
        .collect();
    assert_eq!(
        lists.len(),
        1,
        "one list CHECK on {table}.{column}: {checks:?}"
    );
    literals(lists[0])
}

/// The WHERE predicate of a partial index, as a set of the names it lists.
fn index_predicate(conn: &mut PgConnection, index: &str) -> BTreeSet<String> {
    let found = diesel::sql_query(
        "SELECT indexdef AS def FROM pg_indexes WHERE schemaname = 'public' AND indexname = $1",
    )
    .bind::<Text, _>(index)
    .load::<Definition>(conn)
    .expect("read index");
    assert_eq!(found.len(), 1, "index {index} exists");
    let (_, predicate) = found[0]
        .def
        .split_once(" WHERE ")
        .unwrap_or_else(|| panic!("{index} is partial: {}", found[0].def));
    literals(predicate)
}

#[test]
fn status_and_message_key_checks_list_exactly_the_rust_values() {
    let db = fresh_database();
    let mut conn = db.connect();
    let process_statuses = names(ProcessStatus::ALL);
    assert_eq!(
        check_list(&mut conn, "identities", "status"),
        names(IdentityStatus::ALL)
    );
    assert_eq!(
        check_list(&mut conn, "identity_deletion_processes", "status"),
        process_statuses
    );
    let audit = "identity_deletion_process_audit_log";
    for column in ["old_status", "new_status"] {
        assert_eq!(
            check_list(&mut conn, audit, column),
            process_statuses,
            "{column}"
        );
    }
    assert_eq!(
        check_list(&mut conn, audit, "message_key"),
        names(MessageKey::ALL)
    );
}

#[test]
fn account_checks_list_exactly_the_rust_values() {
    let db = fresh_database();
    let mut conn = db.connect();
    let as_names = |values: &[&str]| names(values.iter().copied());
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(
        check_list(&mut conn, "admin_users", "role"),
        as_names(&roles)
    );
    let realms: Vec<&str> = Realm::ALL.iter().map(|r| r.as_str()).collect();
    for table in ["sign_in_failures", "security_events"] {
        assert_eq!(
            check_list(&mut conn, table, "realm"),
            as_names(&realms),
            "{table}"
        );
    }
    let kinds: Vec<&str> = SecurityEventKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(
        check_list(&mut conn, "security_events", "kind"),
        as_names(&kinds)
    );
}

#[test]
fn the_one_open_process_index_covers_exactly_the_open_statuses() {
    let db = fresh_database();
    let mut conn = db.connect();
    assert_eq!(
        index_predicate(
            &mut conn,
            "identity_deletion_processes_one_open_per_identity"
        ),
        names(ProcessStatus::OPEN)
    );
    // Housekeeping's index covers the finished ones: everything that is not open.
    assert_eq!(
        index_predicate(&mut conn, "identity_deletion_processes_finished_idx"),
        names(ProcessStatus::ALL.iter().filter(|s| s.is_finished()))
    );
}

#[test]
fn literals_are_read_from_printed_definitions() {
    let def = "CHECK ((status = ANY (ARRAY['Active'::text, 'ToBeDeleted'::text])))";
    assert_eq!(literals(def), names(["Active", "ToBeDeleted"]));
}

#[test]
fn the_weekly_chart_lists_exactly_its_kinds_and_message_keys() {
    use backbone_admin::domain::activity::ActivityKind;
    let db = fresh_database();
    let mut conn = db.connect();
    assert_eq!(
        check_list(&mut conn, "weekly_activity", "kind"),
        names(ActivityKind::ALL)
    );
    assert_eq!(
        index_predicate(&mut conn, "audit_log_activity_idx"),
        names(ActivityKind::message_keys()),
        "the partial index holds exactly the keys the chart counts"
    );
}
