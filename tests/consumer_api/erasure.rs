//! What the Consumer API keeps of an identity (tokens, challenges it asked for, sync runs,
//! external events) is deleted with it.

use chrono::Duration;
use diesel::prelude::*;
use serde_json::json;

use crate::common::app::*;
use crate::helpers::*;

#[tokio::test]
async fn the_deletion_takes_tokens_challenges_sync_runs_and_events_along() {
    use backbone_admin::schema::{api_tokens, challenges, external_events, sync_runs};
    let api = api();
    let (app, token) = api.signed_in().await;
    let (_, staying_token) = api.signed_in().await;
    for token in [&token, &staying_token] {
        api.post_json("/api/v1/Challenges", Some(token), &json!({}))
            .await;
        let upgrade = json!({ "type": "DatawalletVersionUpgrade" });
        api.post_json("/api/v1/SyncRuns", Some(token), &upgrade)
            .await;
    }
    let started = api
        .app
        .core
        .processes()
        .start_as_support(&app.address, &admin_username())
        .unwrap();
    api.app
        .core
        .processes()
        .approve(&owner_of(&app), &started.id)
        .unwrap();
    api.app.clock.advance(Duration::days(15));
    let report = api.app.core.jobs().run_jobs().unwrap();
    assert_eq!(report.identities_deleted, 1);

    let mut conn = api.app.db.connect();
    let of_identity = app.address.as_str();
    let tokens: i64 = api_tokens::table
        .filter(api_tokens::identity_address.eq(of_identity))
        .count()
        .get_result(&mut conn)
        .unwrap();
    let asked: i64 = challenges::table
        .filter(challenges::created_by.eq(of_identity))
        .count()
        .get_result(&mut conn)
        .unwrap();
    let runs: i64 = sync_runs::table
        .filter(sync_runs::identity_address.eq(of_identity))
        .count()
        .get_result(&mut conn)
        .unwrap();
    let events: i64 = external_events::table
        .filter(external_events::identity_address.eq(of_identity))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!((tokens, asked, runs, events), (0, 0, 0, 0));
    let others: i64 = sync_runs::table.count().get_result(&mut conn).unwrap();
    assert_eq!(others, 1, "the other identity's sync run stays");
}
