//! Admin accounts: roles checked here (the acting account's role is read from the database
//! in the same transaction), the password policy, one-time passwords, and the rule that the
//! last enabled administrator can be neither disabled nor demoted.
//!
//! Every change takes one transaction-scoped advisory lock first, so account changes are
//! serialised across app instances: two concurrent demotions of the last two
//! administrators cannot both see "another administrator remains".

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::security_events::{self, ClientInfo};
use super::sign_in::{Recheck, recheck_claim, recheck_password, require_live_session};
use super::unique_as_invalid;
use crate::domain::AdminUsername;
use crate::domain::DomainError;
use crate::domain::accounts::password::generate_one_time_password;
use crate::domain::accounts::{
    AccountError, Permission, Role, SecurityEventKind, UsernameKey, check_admin_password,
};
use crate::facade::FacadeResult;
use crate::facade::sessions::{SessionId, end_admin_sessions_on};
use crate::passwords::hash_password;
use crate::schema::admin_users;

/// Key of the advisory lock that serialises admin-account changes.
const ACCOUNTS_LOCK: i64 = 0x0ba0_ac00_0001;

/// An admin account as the account pages show it (never its hashes or secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminAccount {
    pub username: AdminUsername,
    pub role: Role,
    pub enabled: bool,
    /// Signed in with a one-time password: must choose its own before anything else.
    pub must_change_password: bool,
    /// TOTP turned on.
    pub second_factor: bool,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A new account and its one-time password, shown once.
#[derive(Debug, Clone)]
pub struct CreatedAccount {
    pub username: AdminUsername,
    pub one_time_password: String,
}

/// Where a change comes from: the client (for the security event) and the session making
/// it, which stays signed in when an account changes itself.
#[derive(Debug, Clone, Default)]
pub struct ChangeContext {
    pub client: ClientInfo,
    pub session: Option<SessionId>,
}

type AccountRow = (
    AdminUsername,
    String,
    bool,
    bool,
    bool,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
);

pub(crate) fn load_account(
    conn: &mut PgConnection,
    username: &str,
) -> FacadeResult<Option<AdminAccount>> {
    let row: Option<AccountRow> = admin_users::table
        .find(username)
        .select(columns())
        .first(conn)
        .optional()?;
    Ok(row.map(to_account))
}

#[allow(clippy::type_complexity)]
fn columns() -> (
    admin_users::username,
    admin_users::role,
    admin_users::enabled,
    admin_users::must_change_password,
    diesel::dsl::IsNotNull<admin_users::totp_secret>,
    admin_users::last_sign_in_at,
    admin_users::created_at,
) {
    (
        admin_users::username,
        admin_users::role,
        admin_users::enabled,
        admin_users::must_change_password,
        admin_users::totp_secret.is_not_null(),
        admin_users::last_sign_in_at,
        admin_users::created_at,
    )
}

fn to_account(row: AccountRow) -> AdminAccount {
    let (username, role, enabled, must_change_password, second_factor, last_sign_in_at, created_at) =
        row;
    AdminAccount {
        username,
        // The CHECK allows only the three names; an unknown one gets the least rights.
        role: Role::parse(&role).unwrap_or(Role::Auditor),
        enabled,
        must_change_password,
        second_factor,
        last_sign_in_at,
        created_at,
    }
}

/// The acting account, if it exists, is enabled and its role holds `permission`.
pub(crate) fn require(
    conn: &mut PgConnection,
    actor: &str,
    permission: Permission,
) -> FacadeResult<AdminAccount> {
    match load_account(conn, actor)? {
        Some(account) if account.enabled && account.role.may(permission) => Ok(account),
        _ => Err(AccountError::Forbidden(permission).into()),
    }
}

fn lock_accounts(conn: &mut PgConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
        .bind::<BigInt, _>(ACCOUNTS_LOCK)
        .execute(conn)?;
    Ok(())
}

fn target(conn: &mut PgConnection, username: &str) -> FacadeResult<AdminAccount> {
    load_account(conn, username)?.ok_or_else(|| DomainError::RecordNotFound("admin account").into())
}

/// Refuses a change that would leave no enabled administrator.
fn keep_an_administrator(conn: &mut PgConnection, account: &AdminAccount) -> FacadeResult<()> {
    if account.role != Role::Administrator || !account.enabled {
        return Ok(());
    }
    let others: i64 = admin_users::table
        .filter(admin_users::role.eq(Role::Administrator.as_str()))
        .filter(admin_users::enabled)
        .filter(admin_users::username.ne(&account.username))
        .count()
        .get_result(conn)?;
    if others == 0 {
        Err(AccountError::LastAdministrator.into())
    } else {
        Ok(())
    }
}

/// Records an account change and ends the account's sessions because of it, in the caller's
/// transaction. `actor` is the administrator who made the change when it was not the account
/// itself (`None`: the account changed itself, and its acting session is kept).
pub(crate) fn account_changed(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    kind: SecurityEventKind,
    username: &str,
    actor: Option<&str>,
    context: &ChangeContext,
    details: serde_json::Value,
) -> FacadeResult<()> {
    security_events::record(
        conn,
        now,
        kind,
        &UsernameKey::admin(username),
        actor,
        &context.client,
        details,
    )?;
    end_sessions(conn, now, username, actor, context, kind)
}

/// Ends the account's sessions (all, or all but the acting session when an account changes
/// itself) and records that when any ended.
pub(crate) fn end_sessions(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    username: &str,
    actor: Option<&str>,
    context: &ChangeContext,
    reason: SecurityEventKind,
) -> FacadeResult<()> {
    let own = actor.is_none_or(|actor| actor == username);
    let keep = if own { context.session.as_ref() } else { None };
    let ended = end_admin_sessions_on(conn, username, keep)?;
    if ended > 0 {
        security_events::record(
            conn,
            now,
            SecurityEventKind::SessionsEnded,
            &UsernameKey::admin(username),
            actor,
            &context.client,
            serde_json::json!({ "sessions": ended, "because": reason.as_str() }),
        )?;
    }
    Ok(())
}

fn policy(username: &str, password: &str) -> Result<(), AccountError> {
    check_admin_password(username, password).map_err(AccountError::WeakPassword)
}

#[derive(Insertable)]
#[diesel(table_name = admin_users)]
struct NewAdmin<'a> {
    username: &'a str,
    password_hash: String,
    created_at: DateTime<Utc>,
    role: &'static str,
    enabled: bool,
    must_change_password: bool,
}

use_case_type! {
    /// Admin accounts: creating them, their roles, passwords and whether they are enabled.
    accounts => Accounts
}

impl Accounts<'_> {
    /// Creates an account from the command line (no acting admin), with a password that
    /// must pass the admin policy.
    pub fn create_admin_with_role(
        &self,
        username: &AdminUsername,
        role: Role,
        password: &str,
    ) -> FacadeResult<()> {
        policy(username, password)?;
        let password_hash = hash_password(password)?;
        let now = self.core.now();
        self.core.transaction(|conn| {
            insert_admin(conn, username, role, password_hash, now, false)?;
            security_events::record(
                conn,
                now,
                SecurityEventKind::AccountCreated,
                &UsernameKey::admin(username),
                None,
                &ClientInfo::default(),
                serde_json::json!({ "role": role.as_str(), "via": "command line" }),
            )?;
            Ok(())
        })
    }

    /// An administrator creates an account; its one-time password is returned once and must
    /// be changed at the first sign-in.
    pub fn create_admin_account(
        &self,
        actor: &AdminUsername,
        username: &AdminUsername,
        role: Role,
        context: &ChangeContext,
    ) -> FacadeResult<CreatedAccount> {
        let one_time_password = generate_one_time_password();
        let password_hash = hash_password(&one_time_password)?;
        let now = self.core.now();
        self.managing_accounts(actor, |conn| {
            insert_admin(conn, username, role, password_hash, now, true)?;
            security_events::record(
                conn,
                now,
                SecurityEventKind::AccountCreated,
                &UsernameKey::admin(username),
                Some(actor),
                &context.client,
                serde_json::json!({ "role": role.as_str() }),
            )?;
            Ok(())
        })?;
        Ok(CreatedAccount {
            username: username.to_owned(),
            one_time_password,
        })
    }

    /// Every admin account, for administrators.
    pub fn list_admin_accounts(&self, actor: &AdminUsername) -> FacadeResult<Vec<AdminAccount>> {
        let mut conn = self.core.conn()?;
        require(&mut conn, actor, Permission::ManageAccounts)?;
        let rows: Vec<AccountRow> = admin_users::table
            .select(columns())
            .order(admin_users::username)
            .load(&mut *conn)?;
        Ok(rows.into_iter().map(to_account).collect())
    }

    /// An account by username, for an account that manages accounts (the account's page).
    pub fn managed_account(
        &self,
        actor: &AdminUsername,
        username: &AdminUsername,
    ) -> FacadeResult<Option<AdminAccount>> {
        let mut conn = self.core.conn()?;
        require(&mut conn, actor, Permission::ManageAccounts)?;
        load_account(&mut conn, username)
    }

    /// An account by username (for the web layer's per-request checks and own-account page).
    pub fn admin_account(&self, username: &AdminUsername) -> FacadeResult<Option<AdminAccount>> {
        load_account(&mut *self.core.conn()?, username)
    }

    /// The acting account if it is enabled and may do `permission`; else `Forbidden`.
    /// Pages and use cases outside this module (start and cancel deletion) call it.
    pub fn require_permission(
        &self,
        actor: &AdminUsername,
        permission: Permission,
    ) -> FacadeResult<AdminAccount> {
        require(&mut *self.core.conn()?, actor, permission)
    }

    pub fn change_admin_role(
        &self,
        actor: &AdminUsername,
        username: &AdminUsername,
        role: Role,
        context: &ChangeContext,
    ) -> FacadeResult<()> {
        let now = self.core.now();
        self.managing_accounts(actor, |conn| {
            let account = target(conn, username)?;
            if account.role == role {
                return Ok(());
            }
            if role != Role::Administrator {
                keep_an_administrator(conn, &account)?;
            }
            diesel::update(admin_users::table.find(username))
                .set(admin_users::role.eq(role.as_str()))
                .execute(conn)?;
            account_changed(
                conn,
                now,
                SecurityEventKind::RoleChanged,
                username,
                Some(actor),
                context,
                serde_json::json!({ "from": account.role.as_str(), "to": role.as_str() }),
            )
        })
    }

    /// Disables or enables an account. A disabled account cannot sign in and its sessions
    /// end; an administrator cannot disable their own account.
    pub fn set_admin_enabled(
        &self,
        actor: &AdminUsername,
        username: &AdminUsername,
        enabled: bool,
        context: &ChangeContext,
    ) -> FacadeResult<()> {
        if actor == username && !enabled {
            return Err(AccountError::NotOnOwnAccount.into());
        }
        let now = self.core.now();
        self.managing_accounts(actor, |conn| {
            let account = target(conn, username)?;
            if account.enabled == enabled {
                return Ok(());
            }
            if !enabled {
                keep_an_administrator(conn, &account)?;
            }
            diesel::update(admin_users::table.find(username))
                .set(admin_users::enabled.eq(enabled))
                .execute(conn)?;
            let kind = if enabled {
                SecurityEventKind::AccountEnabled
            } else {
                SecurityEventKind::AccountDisabled
            };
            security_events::record(
                conn,
                now,
                kind,
                &UsernameKey::admin(username),
                Some(actor),
                &context.client,
                serde_json::json!({}),
            )?;
            if enabled {
                Ok(())
            } else {
                end_sessions(conn, now, username, Some(actor), context, kind)
            }
        })
    }

    /// Gives an account a new one-time password (returned once); it must choose its own at
    /// the next sign-in, and its sessions end.
    pub fn reset_admin_password(
        &self,
        actor: &AdminUsername,
        username: &AdminUsername,
        context: &ChangeContext,
    ) -> FacadeResult<String> {
        if actor == username {
            return Err(AccountError::NotOnOwnAccount.into());
        }
        let one_time_password = generate_one_time_password();
        let password_hash = hash_password(&one_time_password)?;
        let now = self.core.now();
        self.managing_accounts(actor, |conn| {
            target(conn, username)?;
            diesel::update(admin_users::table.find(username))
                .set((
                    admin_users::password_hash.eq(&password_hash),
                    admin_users::must_change_password.eq(true),
                ))
                .execute(conn)?;
            account_changed(
                conn,
                now,
                SecurityEventKind::PasswordReset,
                username,
                Some(actor),
                context,
                serde_json::json!({}),
            )
        })?;
        Ok(one_time_password)
    }

    /// An account changes its own password: the new one must pass the policy and differ
    /// from the current one (so a one-time password cannot be kept), and the current one is
    /// checked as a sign-in attempt (throttled, counted, logged; the fifth wrong answer ends
    /// the session, `AccountError::SignedOutAfterWrongAnswers`). The account's other
    /// sessions end.
    pub fn change_own_password(
        &self,
        username: &AdminUsername,
        current: &str,
        new: &str,
        context: &ChangeContext,
    ) -> FacadeResult<()> {
        policy(username, new)?;
        let claim = recheck_claim(username, context, Recheck::ChangePassword);
        recheck_password(self.core, &claim, current)?;
        if new == current {
            return Err(AccountError::SamePassword.into());
        }
        let password_hash = hash_password(new)?;
        let now = self.core.now();
        self.core.transaction(|conn| {
            require_live_session(conn, context)?;
            let changed = diesel::update(admin_users::table.find(username))
                .filter(admin_users::enabled)
                .set((
                    admin_users::password_hash.eq(&password_hash),
                    admin_users::must_change_password.eq(false),
                ))
                .execute(conn)?;
            if changed == 0 {
                return Err(AccountError::WrongCurrentPassword.into());
            }
            account_changed(
                conn,
                now,
                SecurityEventKind::PasswordChanged,
                username,
                None,
                context,
                serde_json::json!({}),
            )
        })
    }

    /// Runs an administrator's change to the accounts in one transaction, under the accounts
    /// lock (so that two changes cannot both remove the last administrator) and after
    /// checking that `actor` may manage accounts.
    fn managing_accounts<T>(
        &self,
        actor: &str,
        change: impl FnOnce(&mut PgConnection) -> FacadeResult<T>,
    ) -> FacadeResult<T> {
        self.core.transaction(|conn| {
            lock_accounts(conn)?;
            require(conn, actor, Permission::ManageAccounts)?;
            change(conn)
        })
    }
}

fn insert_admin(
    conn: &mut PgConnection,
    username: &str,
    role: Role,
    password_hash: String,
    now: DateTime<Utc>,
    must_change_password: bool,
) -> FacadeResult<()> {
    diesel::insert_into(admin_users::table)
        .values(NewAdmin {
            username,
            password_hash,
            created_at: now,
            role: role.as_str(),
            enabled: true,
            must_change_password,
        })
        .execute(conn)
        .map_err(|e| {
            unique_as_invalid(e, "username", "an admin with this username already exists")
        })?;
    Ok(())
}
