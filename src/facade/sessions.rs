//! Signed-in sessions: the only code that reads or writes `web_sessions`, on the facade's
//! clock.
//!
//! A row exists only from sign-in to sign-out or expiry, and names its principal by foreign
//! key: an admin, or an owner (identity and device). Deleting the admin, the identity or the
//! device deletes its sessions in the same transaction. Anonymous visitors have no row.
//! The browser's cookie holds the random [`SessionId`]; the table holds only its SHA-256,
//! so the table alone opens no session.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use pbkdf2::sha2::{Digest, Sha256};

use super::{FacadeResult, Owner};
use crate::domain::accounts::Role;
use crate::domain::ids::random_alphanumeric;
use crate::domain::{AdminUsername, DeviceId, DeviceUsername, Identity, IdentityAddress};
use crate::schema::{admin_users, devices, identities, web_sessions};

/// A session ends after this long without a request…
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// …and this long after sign-in, whatever happens.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often, so reading pages rarely writes.
pub const LAST_SEEN_RESOLUTION: Duration = Duration::minutes(1);
/// Expired rows removed per sign-in.
const SWEEP_BATCH: i64 = 100;
const ID_LENGTH: usize = 43;

/// The secret that names a session (about 256 random bits). Only the encrypted cookie
/// holds it; it is never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionId(String);

impl SessionId {
    fn generate() -> Self {
        Self(random_alphanumeric(ID_LENGTH))
    }

    /// A session ID as the cookie carries it; anything else is none.
    pub fn parse(text: &str) -> Option<Self> {
        (text.len() == ID_LENGTH && text.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then(|| Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.0.as_bytes()).to_vec()
    }
}

impl std::fmt::Debug for SessionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionId(…)")
    }
}

/// Who a session belongs to. A session holds exactly one principal, so an owner session
/// never opens an admin page and an admin session never acts as an owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Admin {
        username: AdminUsername,
    },
    /// An admin who passed the password step; the second factor is due by `until`. No admin
    /// page opens in this state.
    AdminSecondFactorPending {
        username: AdminUsername,
        until: DateTime<Utc>,
    },
    /// An identity owner, acting through one device (`username` is the device's).
    Owner {
        owner: Owner,
        username: DeviceUsername,
    },
}

/// A live session.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: SessionId,
    pub principal: Principal,
    pub signed_in_at: DateTime<Utc>,
    /// For an admin, the account as it is now (read in the same query).
    pub account: Option<AdminAccountState>,
}

/// What every admin request needs to know of its account: the role (for the pages'
/// buttons; the facade checks again) and what sign-in still requires of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdminAccountState {
    pub role: Role,
    pub must_change_password: bool,
    pub second_factor: bool,
}

/// Why a session ended when it was next used (its row is deleted then).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Idle too long, signed in too long ago, or the second factor not given in time.
    TimedOut,
    /// The owner's identity may no longer be used (past its grace period, being deleted).
    IdentityUnusable,
}

/// What became of the session a cookie names.
#[derive(Debug, Clone)]
pub enum Resumed {
    Live(Session),
    Ended(Ended),
    /// No such session: signed out, swept, or its principal deleted.
    Unknown,
}

#[derive(Queryable)]
struct Row {
    admin_username: Option<AdminUsername>,
    identity_address: Option<IdentityAddress>,
    device_id: Option<DeviceId>,
    second_factor_due_by: Option<DateTime<Utc>>,
    signed_in_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    identity: Option<Identity>,
    device_username: Option<DeviceUsername>,
    account: Option<(String, bool, bool)>,
}

impl Row {
    /// For an admin session, the account as it is now (none when disabled or gone).
    fn account_state(&self) -> Option<AdminAccountState> {
        self.account
            .clone()
            .map(|(role, must_change_password, second_factor)| {
                AdminAccountState {
                    // The CHECK allows only the three names; an unknown one gets the least rights.
                    role: Role::parse(&role).unwrap_or(Role::Auditor),
                    must_change_password,
                    second_factor,
                }
            })
    }

    fn principal(self) -> Option<(Principal, Option<Identity>)> {
        let principal = match (self.admin_username, self.identity_address, self.device_id) {
            (Some(username), None, None) => match self.second_factor_due_by {
                None => Principal::Admin { username },
                Some(until) => Principal::AdminSecondFactorPending { username, until },
            },
            (None, Some(address), Some(device_id)) => Principal::Owner {
                owner: Owner { address, device_id },
                username: self.device_username?,
            },
            _ => return None,
        };
        Some((principal, self.identity))
    }
}

fn row_is_admin(principal: &Principal) -> bool {
    matches!(
        principal,
        Principal::Admin { .. } | Principal::AdminSecondFactorPending { .. }
    )
}

fn expires_at(signed_in_at: DateTime<Utc>, last_seen_at: DateTime<Utc>) -> DateTime<Utc> {
    (last_seen_at + IDLE_TIMEOUT).min(signed_in_at + ABSOLUTE_TIMEOUT)
}

/// Why the session must end now, if it must.
fn ending(
    principal: &Principal,
    identity: Option<&Identity>,
    signed_in_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<Ended> {
    let timed_out = now - last_seen_at >= IDLE_TIMEOUT
        || now - signed_in_at >= ABSOLUTE_TIMEOUT
        || matches!(principal, Principal::AdminSecondFactorPending { until, .. } if now >= *until);
    if timed_out {
        return Some(Ended::TimedOut);
    }
    let usable = match principal {
        Principal::Owner { .. } => identity.is_some_and(|i| i.owner_may_sign_in(now)),
        _ => true,
    };
    (!usable).then_some(Ended::IdentityUnusable)
}

use_case_type! {
    /// Sign-in sessions of admins and owners: start, resume, end.
    sessions => Sessions
}

impl Sessions<'_> {
    /// Starts a session for `principal` (a sign-in) and ends `replacing`, the browser's
    /// previous session if it had one. Also removes a few expired sessions.
    pub fn start_session(
        &self,
        principal: &Principal,
        replacing: Option<&SessionId>,
    ) -> FacadeResult<SessionId> {
        let now = self.core.now();
        let id = SessionId::generate();
        let (admin, address, device, due) = match principal {
            Principal::Admin { username } => (Some(username), None, None, None),
            Principal::AdminSecondFactorPending { username, until } => {
                (Some(username), None, None, Some(*until))
            }
            Principal::Owner { owner, .. } => {
                (None, Some(&owner.address), Some(&owner.device_id), None)
            }
        };
        let mut conn = self.core.conn()?;
        if let Some(old) = replacing {
            end(&mut conn, old)?;
        }
        diesel::insert_into(web_sessions::table)
            .values((
                web_sessions::id_hash.eq(id.hash()),
                web_sessions::admin_username.eq(admin),
                web_sessions::identity_address.eq(address),
                web_sessions::device_id.eq(device),
                web_sessions::second_factor_due_by.eq(due),
                web_sessions::signed_in_at.eq(now),
                web_sessions::last_seen_at.eq(now),
                web_sessions::expires_at.eq(expires_at(now, now)),
            ))
            .execute(&mut *conn)?;
        diesel::sql_query(
            "DELETE FROM web_sessions WHERE id_hash IN (SELECT id_hash FROM web_sessions \
             WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)",
        )
        .bind::<diesel::sql_types::Timestamptz, _>(now)
        .bind::<diesel::sql_types::BigInt, _>(SWEEP_BATCH)
        .execute(&mut *conn)?;
        Ok(id)
    }

    /// The session `id` names, if it is still live: one query, plus a write at most once a
    /// [`LAST_SEEN_RESOLUTION`]. A session that has to end now is deleted.
    pub fn resume_session(&self, id: &SessionId) -> FacadeResult<Resumed> {
        let now = self.core.now();
        let hash = id.hash();
        let mut conn = self.core.conn()?;
        let Some(row) = load_session(&mut conn, &hash)? else {
            return Ok(Resumed::Unknown);
        };
        let (signed_in_at, last_seen_at) = (row.signed_in_at, row.last_seen_at);
        let account = row.account_state();
        let Some((principal, identity)) = row.principal() else {
            return Ok(Resumed::Unknown);
        };
        // A disabled admin has no sessions (disabling ends them); should one remain, it
        // opens nothing.
        if row_is_admin(&principal) && account.is_none() {
            end(&mut conn, id)?;
            return Ok(Resumed::Unknown);
        }
        if let Some(why) = ending(
            &principal,
            identity.as_ref(),
            signed_in_at,
            last_seen_at,
            now,
        ) {
            end(&mut conn, id)?;
            return Ok(Resumed::Ended(why));
        }
        if now - last_seen_at >= LAST_SEEN_RESOLUTION {
            seen(&mut conn, &hash, signed_in_at, now)?;
        }
        Ok(Resumed::Live(Session {
            id: id.clone(),
            principal,
            signed_in_at,
            account,
        }))
    }

    /// Signs out: the session is gone, so its cookie opens nothing any more.
    pub fn end_session(&self, id: &SessionId) -> FacadeResult<()> {
        end(&mut *self.core.conn()?, id)
    }

    /// Ends every session of an admin account except `keep` (the one making the change);
    /// returns how many ended.
    pub fn end_admin_sessions(
        &self,
        username: &AdminUsername,
        keep: Option<&SessionId>,
    ) -> FacadeResult<usize> {
        end_admin_sessions_on(&mut *self.core.conn()?, username, keep)
    }

    /// Ends every session of an identity's owner; returns how many ended. (Deleting the
    /// identity deletes them anyway, through the foreign key.)
    pub fn end_identity_sessions(&self, address: &IdentityAddress) -> FacadeResult<usize> {
        Ok(
            diesel::delete(web_sessions::table.filter(web_sessions::identity_address.eq(address)))
                .execute(&mut *self.core.conn()?)?,
        )
    }
}

/// [`Core::end_admin_sessions`] on the caller's connection, so an
/// account change (`facade::accounts`) ends the sessions in its own transaction.
pub(crate) fn end_admin_sessions_on(
    conn: &mut PgConnection,
    username: &str,
    keep: Option<&SessionId>,
) -> FacadeResult<usize> {
    let keep = keep.map(SessionId::hash).unwrap_or_default();
    Ok(diesel::delete(
        web_sessions::table
            .filter(web_sessions::admin_username.eq(username))
            .filter(web_sessions::id_hash.ne(keep)),
    )
    .execute(conn)?)
}

/// Wrong answers to re-checks (the current password or a code, asked again before a change)
/// after which a session ends.
pub const RECHECK_LIMIT: i16 = 5;

/// Counts an answer to a re-check on session `id` before it is checked, so that answers in
/// flight count too (a right one is taken off again, [`uncount_recheck`]). The new count,
/// or `None` when the session is gone.
pub(crate) fn count_recheck(conn: &mut PgConnection, id: &SessionId) -> FacadeResult<Option<i16>> {
    Ok(diesel::update(web_sessions::table.find(id.hash()))
        .set(web_sessions::failed_rechecks.eq(web_sessions::failed_rechecks + 1))
        .returning(web_sessions::failed_rechecks)
        .get_result(conn)
        .optional()?)
}

/// Takes a right answer off the count.
pub(crate) fn uncount_recheck(conn: &mut PgConnection, id: &SessionId) -> FacadeResult<()> {
    diesel::update(web_sessions::table.find(id.hash()))
        .filter(web_sessions::failed_rechecks.gt(0))
        .set(web_sessions::failed_rechecks.eq(web_sessions::failed_rechecks - 1))
        .execute(conn)?;
    Ok(())
}

/// Ends session `id` once [`RECHECK_LIMIT`] wrong answers are counted: `Some(true)` when it
/// ended now, `Some(false)` when it goes on, `None` when it was gone already.
pub(crate) fn end_if_rechecks_spent(
    conn: &mut PgConnection,
    id: &SessionId,
) -> FacadeResult<Option<bool>> {
    let count: Option<i16> = web_sessions::table
        .find(id.hash())
        .select(web_sessions::failed_rechecks)
        .first(conn)
        .optional()?;
    match count {
        Some(count) if count < RECHECK_LIMIT => Ok(Some(false)),
        Some(_) => end(conn, id).map(|()| Some(true)),
        None => Ok(None),
    }
}

/// Whether session `id` still exists (a change confirmed by a re-check needs it to).
pub(crate) fn session_exists(conn: &mut PgConnection, id: &SessionId) -> FacadeResult<bool> {
    Ok(
        diesel::select(diesel::dsl::exists(web_sessions::table.find(id.hash())))
            .get_result(conn)?,
    )
}

/// The session row with the `hash` of its ID, with its identity, device and admin account
/// (if any) as they are now: one query.
fn load_session(conn: &mut PgConnection, hash: &[u8]) -> QueryResult<Option<Row>> {
    web_sessions::table
        .left_join(
            identities::table.on(identities::address
                .nullable()
                .eq(web_sessions::identity_address)),
        )
        .left_join(devices::table.on(devices::id.nullable().eq(web_sessions::device_id)))
        .left_join(
            admin_users::table.on(admin_users::username
                .nullable()
                .eq(web_sessions::admin_username)
                .and(admin_users::enabled)),
        )
        .filter(web_sessions::id_hash.eq(hash))
        .select((
            web_sessions::admin_username,
            web_sessions::identity_address,
            web_sessions::device_id,
            web_sessions::second_factor_due_by,
            web_sessions::signed_in_at,
            web_sessions::last_seen_at,
            <Option<Identity>>::as_select(),
            devices::username.nullable(),
            (
                admin_users::role,
                admin_users::must_change_password,
                admin_users::totp_secret.is_not_null(),
            )
                .nullable(),
        ))
        .first(conn)
        .optional()
}

/// Notes that the session was used `now`, which moves its idle expiry.
fn seen(
    conn: &mut PgConnection,
    hash: &[u8],
    signed_in_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> FacadeResult<()> {
    diesel::update(web_sessions::table.find(hash))
        .set((
            web_sessions::last_seen_at.eq(now),
            web_sessions::expires_at.eq(expires_at(signed_in_at, now)),
        ))
        .execute(conn)?;
    Ok(())
}

fn end(conn: &mut PgConnection, id: &SessionId) -> FacadeResult<()> {
    diesel::delete(web_sessions::table.find(id.hash())).execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin() -> Principal {
        Principal::Admin {
            username: AdminUsername::parse("a").unwrap(),
        }
    }

    #[test]
    fn session_ids_are_random_and_parse_only_their_own_shape() {
        let id = SessionId::generate();
        assert_ne!(id, SessionId::generate());
        assert_eq!(SessionId::parse(id.as_str()), Some(id.clone()));
        assert_eq!(format!("{id:?}"), "SessionId(…)", "never logged");
        for bad in ["", "short", &format!("{}!", &id.as_str()[1..])] {
            assert_eq!(SessionId::parse(bad), None, "{bad}");
        }
        assert_eq!(id.hash().len(), 32);
    }

    #[test]
    fn sessions_time_out_when_idle_or_old() {
        let start = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let at = |minutes| start + Duration::minutes(minutes);
        assert_eq!(ending(&admin(), None, start, start, at(29)), None);
        assert_eq!(
            ending(&admin(), None, start, start, at(30)),
            Some(Ended::TimedOut)
        );
        // Seen a minute ago, but signed in 12 hours ago.
        assert_eq!(
            ending(&admin(), None, start, at(719), at(720)),
            Some(Ended::TimedOut)
        );
        assert_eq!(expires_at(start, at(700)), at(720));
        assert_eq!(expires_at(start, start), at(30));
        let pending = Principal::AdminSecondFactorPending {
            username: AdminUsername::parse("a").unwrap(),
            until: at(5),
        };
        assert_eq!(ending(&pending, None, start, start, at(4)), None);
        assert_eq!(
            ending(&pending, None, start, at(4), at(5)),
            Some(Ended::TimedOut)
        );
    }

    #[test]
    fn an_owner_session_needs_a_usable_identity() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let owner = Principal::Owner {
            owner: Owner {
                address: IdentityAddress::generate("localhost"),
                device_id: DeviceId::generate(),
            },
            username: DeviceUsername::parse("o").unwrap(),
        };
        assert_eq!(
            ending(&owner, None, now, now, now),
            Some(Ended::IdentityUnusable)
        );
    }
}
