//! No clear-text personal data in the audit log.

use super::*;

#[test]
fn the_audit_log_holds_no_clear_text_personal_data() {
    let w = world();
    let owner = w.owner("carol.smith");
    let process = w
        .core
        .processes()
        .start_as_support(&owner.address, &admin())
        .unwrap();
    w.core.processes().approve(&owner, &process.id).unwrap();
    w.clock.advance(Duration::days(15));
    w.core.jobs().run_jobs().unwrap();
    let dump: Vec<String> = diesel::sql_query(
        "SELECT row_to_json(a)::text AS row FROM identity_deletion_process_audit_log a",
    )
    .load::<Row>(&mut w.db.connect())
    .unwrap()
    .into_iter()
    .map(|r| r.row)
    .collect();
    assert!(dump.len() >= 5);
    for row in &dump {
        for secret in [
            owner.address.as_str(),
            owner.device_id.as_str(),
            "carol.smith",
            "carol",
        ] {
            assert!(!row.contains(secret), "{secret} found in {row}");
        }
        let hex_address = hex_of(owner.address.as_str());
        assert!(!row.contains(&hex_address));
    }
    // …and yet the entries are found by typing the address.
    assert!(
        w.core
            .audit_log()
            .audit_log_by_address(&owner.address)
            .unwrap()
            .len()
            >= 5
    );
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    row: String,
}

/// How PostgreSQL's JSON shows a bytea holding this text.
fn hex_of(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}
