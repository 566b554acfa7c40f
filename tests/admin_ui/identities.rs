//! The identity list: search by username, address prefix and status; pagination. An
//! identity's page of processes.

use crate::common::app::*;
use crate::helpers::*;
use backbone_admin::clock::Clock;
use backbone_admin::domain::identity::BASIC_TIER;
use backbone_admin::domain::{Identity, IdentityAddress, IdentityStatus};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use reqwest::StatusCode;

#[tokio::test]
async fn search_finds_identities_by_username_or_address_prefix_and_status() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let alice = app.create_owner("alice.smith");
    let alicia = app.create_owner("alicia");
    let bob = app.create_owner("bob");
    app.core
        .processes()
        .start_as_support(&alicia.address, &admin_username())
        .unwrap();

    let (_, html) = app.get_html(&client, "/admin/identities?q=alic").await;
    let mut found = texts(&html, "#identities a.address");
    found.sort();
    let mut expected = vec![alice.address.to_string(), alicia.address.to_string()];
    expected.sort();
    assert_eq!(found, expected);
    let rows = texts(&html, "#identities tbody tr");
    let alicia_row = rows
        .iter()
        .find(|r| r.contains(alicia.address.as_str()))
        .unwrap();
    assert!(
        alicia_row.contains("WaitingForApproval") && alicia_row.contains("Active"),
        "{alicia_row}"
    );

    let prefix = &bob.address.as_str()[..bob.address.as_str().len() - 4];
    let (_, html) = app
        .get_html(&client, &format!("/admin/identities?q={prefix}"))
        .await;
    assert_eq!(
        texts(&html, "#identities a.address"),
        [bob.address.to_string()]
    );

    let (_, html) = app
        .get_html(&client, "/admin/identities?q=alic&status=ToBeDeleted")
        .await;
    assert!(texts(&html, "#identities a.address").is_empty());
    assert_eq!(texts(&html, "main p.muted"), ["No identity matches."]);

    let (status, html) = app.get_html(&client, "/admin/identities?status=Gone").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        texts(&html, ".lead")[0].contains("'Gone' is not one of Active, ToBeDeleted, Deleting")
    );
}

/// Inserts identities directly (creating them through the facade hashes passwords);
/// several share a creation time, so the keyset's tie-break is exercised.
fn insert_identities(app: &TestApp, count: usize) -> Vec<String> {
    let mut conn = app.db.connect();
    let base = Utc::now() - Duration::days(1);
    let rows: Vec<Identity> = (0..count)
        .map(|i| Identity {
            address: IdentityAddress::generate("localhost"),
            client_id: "bulk".into(),
            created_at: base + Duration::seconds((i / 7) as i64),
            status: IdentityStatus::Active,
            tier_id: BASIC_TIER.into(),
            tier_id_before_deletion: None,
            deletion_grace_period_ends_at: None,
            address_hash: vec![0; 32],
        })
        .collect();
    diesel::insert_into(backbone_admin::schema::identities::table)
        .values(&rows)
        .execute(&mut conn)
        .expect("identities inserted");
    rows.into_iter().map(|r| r.address.to_string()).collect()
}

#[tokio::test]
async fn pagination_walks_250_identities_with_no_row_missing_or_repeated() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let mut expected = insert_identities(&app, 250);
    let mut seen = Vec::new();
    let mut page = "/admin/identities".to_owned();
    let mut pages = 0;
    loop {
        let (status, html) = app.get_html(&client, &page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let rows = texts(&html, "#identities a.address");
        assert!(rows.len() <= 50);
        seen.extend(rows);
        pages += 1;
        if pages == 1 {
            // A newer identity arriving meanwhile does not shift the following pages.
            app.create_owner("late-arrival");
        }
        match next_page_link(&html) {
            Some(next) => page = next,
            None => break,
        }
    }
    assert_eq!(pages, 5);
    assert_eq!(seen.len(), 250, "no row repeated");
    seen.sort();
    expected.sort();
    assert_eq!(seen, expected, "no row missing");
}

/// `count` processes of the owner, cancelled one after another (two of them each time the
/// clock moves, so that the keyset's tie-break is exercised): their creation times and IDs.
fn cancelled_processes(
    app: &TestApp,
    owner: &TestOwner,
    count: usize,
) -> Vec<(DateTime<Utc>, String)> {
    use backbone_admin::schema::identity_deletion_processes as processes;
    let mut conn = app.db.connect();
    (0..count)
        .map(|i| {
            if i % 2 == 0 {
                app.clock.advance(Duration::minutes(1));
            }
            let process = app
                .core
                .processes()
                .start_as_support(&owner.address, &admin_username())
                .expect("started");
            diesel::update(processes::table.find(&process.id))
                .set((
                    processes::status.eq("Cancelled"),
                    processes::cancelled_at.eq(app.clock.now()),
                ))
                .execute(&mut conn)
                .expect("cancelled");
            (process.created_at, process.id.to_string())
        })
        .collect()
}

/// The process IDs on each page of an identity's processes, following "Next page", and
/// whether each page offers to start a process.
async fn process_pages(
    app: &TestApp,
    client: &reqwest::Client,
    owner: &TestOwner,
) -> Vec<(Vec<String>, bool)> {
    let mut pages = Vec::new();
    let mut page = identity_path(&owner.address);
    loop {
        let (status, html) = app.get_html(client, &page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let ids = texts(&html, "#processes tbody td:first-child");
        let can_start = !texts(&html, "a#start-deletion").is_empty();
        pages.push((ids, can_start));
        match next_page_link(&html) {
            Some(next) => page = next,
            None => return pages,
        }
    }
}

#[tokio::test]
async fn an_identity_page_shows_its_processes_a_page_at_a_time_and_knows_the_open_one() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let owner = app.create_owner("many-processes");
    let mut expected = cancelled_processes(&app, &owner, 44);
    app.clock.advance(Duration::minutes(1));
    let open = app
        .core
        .processes()
        .start_as_support(&owner.address, &admin_username())
        .expect("started");
    expected.push((open.created_at, open.id.to_string()));
    expected.sort();
    let expected: Vec<String> = expected.into_iter().rev().map(|(_, id)| id).collect();

    let pages = process_pages(&app, &client, &owner).await;
    let sizes: Vec<usize> = pages.iter().map(|(ids, _)| ids.len()).collect();
    assert_eq!(sizes, [20, 20, 5]);
    let seen: Vec<String> = pages.iter().flat_map(|(ids, _)| ids.clone()).collect();
    assert_eq!(seen, expected, "newest first, none missing or repeated");
    assert!(
        pages.iter().all(|(_, can_start)| !can_start),
        "the open process is known on pages that do not show it"
    );

    app.core
        .processes()
        .approve(&owner.owner(), &open.id)
        .expect("approved");
    app.core
        .processes()
        .cancel_as_support(&owner.address, &open.id, &admin_username())
        .expect("cancelled");
    let pages = process_pages(&app, &client, &owner).await;
    assert_eq!(pages.len(), 3);
    assert!(
        pages.iter().all(|(_, can_start)| *can_start),
        "none is open"
    );

    let (status, _) = app
        .get_html(
            &client,
            &format!("{}?after=garbage", identity_path(&owner.address)),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
