//! Sign-in throttling with its state in PostgreSQL, so every app instance sees the same
//! counters. The rules are `domain::accounts::throttle`; this reads the recent failures
//! they need and records failures and successes. The order in which a sign-in uses them is
//! the sign-in use case's (`super::sign_in`).

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::security_events::{self, ClientInfo};
use crate::domain::accounts::throttle::{
    self, ACCOUNT_FETCH, ACCOUNT_WINDOW_MINUTES, BROWSER_FETCH, BROWSER_WINDOW_MINUTES,
    NETWORK_FETCH, NETWORK_WINDOW_MINUTES, PAIR_FETCH, PAIR_WINDOW_MINUTES, RecentFailures,
    ThrottleRule,
};
use crate::domain::accounts::{
    ClientNetwork, KnownBrowser, Realm, SecurityEventKind, ThrottleDecision, UsernameKey,
};
use crate::facade::FacadeResult;
use crate::schema::{admin_users, sign_in_failures as failures};

/// One sign-in attempt as the throttling sees it.
#[derive(Debug, Clone)]
pub struct SignInAttempt {
    /// The account tried (owners: the hash of the device username).
    pub account: UsernameKey,
    pub network: ClientNetwork,
    /// The browser's known-browser cookie, if it verified for this account.
    pub browser: Option<KnownBrowser>,
    pub user_agent: Option<String>,
}

impl SignInAttempt {
    pub(crate) fn client(&self) -> ClientInfo {
        ClientInfo {
            network: Some(self.network),
            user_agent: self.user_agent.clone(),
        }
    }

    fn realm(&self) -> &'static str {
        self.account.realm().as_str()
    }
}

/// What was wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    Password,
    SecondFactor,
}

/// Failures older than the longest window are of no use.
const KEEP_MINUTES: i64 = ACCOUNT_WINDOW_MINUTES;

fn recent(
    conn: &mut PgConnection,
    attempt: &SignInAttempt,
    now: DateTime<Utc>,
) -> QueryResult<RecentFailures> {
    let network = latest(
        conn,
        of_realm(attempt).filter(failures::client_network.eq(attempt.network.as_cidr())),
        now - Duration::minutes(NETWORK_WINDOW_MINUTES),
        NETWORK_FETCH,
    )?;
    // A username no account can have counts for its network only: there is no account to
    // protect, and its key is shared by every such attempt from everywhere.
    if attempt.account.names_no_account() {
        return Ok(RecentFailures {
            network,
            ..RecentFailures::default()
        });
    }
    Ok(RecentFailures {
        network,
        ..recent_of_account(conn, attempt, now)?
    })
}

/// The failures of an attempt's account: from its network, from unknown browsers, and from
/// its browser (`network`, the failures of the network alone, is left empty).
fn recent_of_account(
    conn: &mut PgConnection,
    attempt: &SignInAttempt,
    now: DateTime<Utc>,
) -> QueryResult<RecentFailures> {
    let since = |minutes| now - Duration::minutes(minutes);
    let of_account =
        || of_realm(attempt).filter(failures::username_key.eq(attempt.account.as_str()));
    let pair = latest(
        conn,
        of_account().filter(failures::client_network.eq(attempt.network.as_cidr())),
        since(PAIR_WINDOW_MINUTES),
        PAIR_FETCH,
    )?;
    let account_unknown_browsers = latest(
        conn,
        of_account().filter(failures::browser_id.is_null()),
        since(ACCOUNT_WINDOW_MINUTES),
        ACCOUNT_FETCH,
    )?;
    let browser = match &attempt.browser {
        None => Vec::new(),
        Some(browser) => latest(
            conn,
            of_account().filter(failures::browser_id.eq(&browser.id)),
            since(BROWSER_WINDOW_MINUTES),
            BROWSER_FETCH,
        )?,
    };
    Ok(RecentFailures {
        pair,
        account_unknown_browsers,
        browser,
        ..RecentFailures::default()
    })
}

/// The failures of the attempt's realm (admin or owner).
fn of_realm(attempt: &SignInAttempt) -> failures::BoxedQuery<'_, diesel::pg::Pg> {
    failures::table
        .filter(failures::realm.eq(attempt.realm()))
        .into_boxed()
}

/// The details of a sign-in's event: whether it came from a known browser, and for a
/// re-check the change it was asked for (`during`).
fn sign_in_details(attempt: &SignInAttempt, during: Option<&str>) -> serde_json::Value {
    let mut details = serde_json::json!({ "knownBrowser": attempt.browser.is_some() });
    if let Some(during) = during {
        details["during"] = during.into();
    }
    details
}

/// The security event of a sign-in attempt, with its account and client.
fn record_attempt(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    kind: SecurityEventKind,
    attempt: &SignInAttempt,
    details: serde_json::Value,
) -> QueryResult<()> {
    security_events::record(
        conn,
        now,
        kind,
        &attempt.account,
        None,
        &attempt.client(),
        details,
    )
}

/// Counts the attempt as a failure (the row the throttling reads); returns the row's ID.
/// The sign-in use case counts an attempt this way before its hash, so that attempts in
/// flight are counted too, and takes the row back when the password was right.
pub(crate) fn count_failure(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    attempt: &SignInAttempt,
) -> QueryResult<i64> {
    let id = diesel::insert_into(failures::table)
        .values((
            failures::at.eq(now),
            failures::realm.eq(attempt.realm()),
            failures::username_key.eq(attempt.account.as_str()),
            failures::client_network.eq(attempt.network.as_cidr()),
            failures::browser_id.eq(attempt.browser.as_ref().map(|b| b.id.as_str())),
        ))
        .returning(failures::id)
        .get_result(conn)?;
    diesel::delete(failures::table.filter(failures::at.lt(now - Duration::minutes(KEEP_MINUTES))))
        .execute(conn)?;
    Ok(id)
}

/// Takes back a failure counted by [`count_failure`].
pub(crate) fn uncount_failure(conn: &mut PgConnection, id: i64) -> QueryResult<()> {
    diesel::delete(failures::table.find(id)).execute(conn)?;
    Ok(())
}

/// The security event of a failure (counted with [`count_failure`]).
pub(crate) fn record_failure_event(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    attempt: &SignInAttempt,
    kind: FailureKind,
    during: Option<&str>,
) -> QueryResult<()> {
    let event = match kind {
        FailureKind::Password => SecurityEventKind::SignInFailed,
        FailureKind::SecondFactor => SecurityEventKind::SecondFactorFailed,
    };
    record_attempt(conn, now, event, attempt, sign_in_details(attempt, during))
}

/// Records a throttled attempt, at most once a minute per account and network, or per
/// network alone when the network rule refused it (a flood tries many usernames, and each
/// would otherwise add a row).
fn record_throttled(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    attempt: &SignInAttempt,
    rule: ThrottleRule,
    seconds: u32,
) -> QueryResult<()> {
    let kind = SecurityEventKind::SignInThrottled;
    let account = (rule != ThrottleRule::Network).then(|| attempt.account.as_str());
    let minute_ago = now - Duration::minutes(1);
    let realm = attempt.account.realm();
    if security_events::recorded_since(conn, kind, realm, account, &attempt.network, minute_ago)? {
        return Ok(());
    }
    let details = serde_json::json!({ "rule": rule.as_str(), "waitSeconds": seconds });
    record_attempt(conn, now, kind, attempt, details)
}

/// Deletes the failures of deleted owners (`accounts`: hex of their username hashes), which
/// hold their client networks. Returns how many.
pub(crate) fn forget_owners(conn: &mut PgConnection, accounts: &[String]) -> QueryResult<usize> {
    diesel::delete(
        failures::table
            .filter(failures::realm.eq(Realm::Owner.as_str()))
            .filter(failures::username_key.eq_any(accounts)),
    )
    .execute(conn)
}

/// The times of the newest `fetch` failures that `query` selects, since `since`.
fn latest(
    conn: &mut PgConnection,
    query: failures::BoxedQuery<'_, diesel::pg::Pg>,
    since: DateTime<Utc>,
    fetch: usize,
) -> QueryResult<Vec<DateTime<Utc>>> {
    query
        .filter(failures::at.gt(since))
        .order(failures::at.desc())
        .limit(fetch as i64)
        .select(failures::at)
        .load(conn)
}

use_case_type! {
    /// Failed sign-ins: how long a username or network must wait before the next try.
    sign_in_throttle => SignInThrottle
}

impl SignInThrottle<'_> {
    /// May this attempt go ahead? A `Wait` is recorded as a `SignInThrottled` event (see
    /// [`record_throttled`]).
    pub fn check_sign_in(&self, attempt: &SignInAttempt) -> FacadeResult<ThrottleDecision> {
        let now = self.core.now();
        let mut conn = self.core.conn()?;
        let decision = throttle::decide(
            &recent(&mut conn, attempt, now)?,
            attempt.browser.is_some(),
            now,
        );
        if let ThrottleDecision::Wait { seconds, rule } = decision {
            record_throttled(&mut conn, now, attempt, rule, seconds)?;
        }
        Ok(decision)
    }

    /// Counts a wrong password or second-factor code, and records the event.
    pub fn record_sign_in_failure(
        &self,
        attempt: &SignInAttempt,
        kind: FailureKind,
    ) -> FacadeResult<()> {
        let now = self.core.now();
        self.core.transaction(|conn| {
            count_failure(conn, now, attempt)?;
            Ok(record_failure_event(conn, now, attempt, kind, None)?)
        })
    }

    /// A complete sign-in: clears the failures of this (username, network) pair and of this
    /// known browser, notes an admin's last sign-in, and records the event.
    pub fn record_sign_in_success(&self, attempt: &SignInAttempt) -> FacadeResult<()> {
        let now = self.core.now();
        self.core.transaction(|conn| {
            let account = failures::table
                .filter(failures::realm.eq(attempt.realm()))
                .filter(failures::username_key.eq(attempt.account.as_str()));
            diesel::delete(account.filter(failures::client_network.eq(attempt.network.as_cidr())))
                .execute(conn)?;
            if let Some(browser) = &attempt.browser {
                diesel::delete(account.filter(failures::browser_id.eq(&browser.id)))
                    .execute(conn)?;
            }
            if let UsernameKey::Admin(username) = &attempt.account {
                diesel::update(admin_users::table.find(username))
                    .set(admin_users::last_sign_in_at.eq(now))
                    .execute(conn)?;
            }
            Ok(record_attempt(
                conn,
                now,
                SecurityEventKind::SignInSucceeded,
                attempt,
                sign_in_details(attempt, None),
            )?)
        })
    }
}
