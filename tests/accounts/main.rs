//! Admin accounts, the second factor, sign-in throttling and security events against real
//! PostgreSQL (`docs/security.md`), plus the control-character filter through the real server.
//! One module per capability; the world and helpers they share are here.

#[path = "../common/mod.rs"]
mod common;

mod control_characters;
mod event_log;
mod roles;
mod second_factor;
mod sessions;
mod throttling;

use std::sync::{Arc, Barrier};

use crate::common::admin_name;
use backbone_admin::clock::{Clock, ManualClock};
use backbone_admin::domain::accounts::throttle::ThrottleRule;
use backbone_admin::domain::accounts::{
    AccountError, ClientNetwork, KnownBrowserKey, Permission, Role, SecurityEventKind,
    ThrottleDecision, TotpSecret, TotpStep, UsernameKey,
};
use backbone_admin::domain::{AdminUsername, Periods};
use backbone_admin::facade::accounts::{
    ChangeContext, ClientInfo, FailureKind, SecondFactorCheck, SecurityEventFilter, SignInAttempt,
};
use backbone_admin::facade::{Core, FacadeError};
use backbone_admin::pseudonyms::audit_hash;
use backbone_admin::schema::{admin_users, security_events};
use chrono::{Duration, TimeZone, Utc};
use common::{TestDatabase, fresh_database};
use diesel::prelude::*;

const ROOT: &str = "root";
const ROOT_PASSWORD: &str = "velvet tractor anthem glacier";

pub(crate) struct World {
    db: TestDatabase,
    core: Core,
    clock: ManualClock,
}

fn world() -> World {
    let db = fresh_database();
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap());
    let core = facade_on(&db, &clock);
    core.accounts()
        .create_admin(&admin_name(ROOT), ROOT_PASSWORD)
        .unwrap();
    World { db, core, clock }
}

fn facade_on(db: &TestDatabase, clock: &ManualClock) -> Core {
    Core::new(db.pool(4), Arc::new(clock.clone()), Periods::default())
}

fn ctx() -> ChangeContext {
    ChangeContext {
        client: ClientInfo {
            network: Some(ClientNetwork::of("198.51.100.1".parse().unwrap())),
            user_agent: Some("test-agent/1.0".into()),
        },
        session: None,
    }
}

/// An admin username as the deletion use cases take it.
fn admin(name: &str) -> AdminUsername {
    AdminUsername::parse(name).unwrap()
}

fn account_error(result: Result<impl std::fmt::Debug, FacadeError>) -> AccountError {
    match result {
        Err(FacadeError::Account(error)) => error,
        other => panic!("expected an account error, got {other:?}"),
    }
}

fn enabled_administrators(db: &TestDatabase) -> Vec<String> {
    admin_users::table
        .filter(admin_users::role.eq("administrator"))
        .filter(admin_users::enabled)
        .select(admin_users::username)
        .order(admin_users::username)
        .load(&mut db.connect())
        .unwrap()
}

fn code_at(secret: &TotpSecret, clock: &ManualClock, steps_from_now: i64) -> String {
    secret.code_at_step(TotpStep(clock.now().timestamp() / 30 + steps_from_now))
}

fn attempt(account: UsernameKey, network: &str) -> SignInAttempt {
    SignInAttempt {
        account,
        network: ClientNetwork::of(network.parse().unwrap()),
        browser: None,
        user_agent: Some("curl/8".into()),
    }
}

#[derive(QueryableByName)]
struct TextRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    text: String,
}
