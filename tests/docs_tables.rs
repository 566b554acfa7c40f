//! The tables of `docs/domain.md` that the code knows (errors, statuses, actions, periods,
//! roles, routes) are the ones the code renders now. No database needed.

use backbone_admin::docs_tables::{DOCUMENT, FIX_COMMAND, stale_sections};

#[test]
fn the_generated_tables_of_the_domain_document_match_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DOCUMENT);
    let document = std::fs::read_to_string(&path).expect("docs/domain.md is readable");
    let stale = stale_sections(&document);
    assert!(
        stale.is_empty(),
        "{DOCUMENT} is out of date in its generated section(s) {stale:?}; \
         run `{FIX_COMMAND}` and commit the result"
    );
}
