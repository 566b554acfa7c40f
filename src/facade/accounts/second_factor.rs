//! The TOTP second factor: enrolment (a pending secret that turns on only after a correct
//! code), sign-in verification with replay refusal, single-use recovery codes, and turning
//! it off.
//!
//! The secret is stored as plain bytes in `admin_users.totp_secret`. Encrypting it with a key
//! the app holds (the session key, say) would only protect against a database dump taken
//! without the app's configuration, at the price of locking every admin out when that key
//! is rotated or lost; the database's own access control and backups' encryption are the
//! protection here. It never leaves the facade except in the enrolment page's URI/QR code,
//! and `TotpSecret`'s `Debug` is redacted so it cannot reach a log line.

use diesel::prelude::*;

use super::management::{ChangeContext, account_changed};
use super::security_events::{self, ClientInfo};
use super::sign_in::{
    Recheck, recheck_claim, recheck_code, recheck_password, require_live_session,
};
use crate::domain::AdminUsername;
use crate::domain::DomainError;
use crate::domain::accounts::recovery::{hash_code, looks_like_recovery_code};
use crate::domain::accounts::{
    AccountError, RecoveryCode, SecurityEventKind, TotpSecret, TotpStep, UsernameKey,
};
use crate::facade::FacadeResult;
use crate::schema::{admin_recovery_codes, admin_users};

/// What the enrolment page shows: the secret for typing, the URI and its QR code.
#[derive(Debug, Clone)]
pub struct TotpEnrolment {
    pub secret_base32: String,
    pub otpauth_uri: String,
    /// An `<svg>` element (no script) to embed in the page.
    pub qr_svg: String,
}

impl TotpEnrolment {
    fn of(secret: &TotpSecret, username: &str) -> Self {
        Self {
            secret_base32: secret.to_base32(),
            otpauth_uri: secret.otpauth_uri(username),
            qr_svg: secret.qr_svg(username),
        }
    }
}

/// The answer to a second-factor code at sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactorCheck {
    /// A fresh TOTP code.
    Accepted,
    /// An unused recovery code, now spent; `remaining` are left.
    RecoveryCodeUsed { remaining: i64 },
    /// Wrong, replayed, too old, or no second factor: count it as a failed sign-in.
    Refused,
}

type TotpRow = (Option<Vec<u8>>, Option<Vec<u8>>, Option<i64>);

fn lock_totp(conn: &mut PgConnection, username: &str) -> FacadeResult<TotpRow> {
    admin_users::table
        .find(username)
        .filter(admin_users::enabled)
        .select((
            admin_users::totp_secret,
            admin_users::totp_pending_secret,
            admin_users::totp_last_step,
        ))
        .for_update()
        .first(conn)
        .optional()?
        .ok_or_else(|| DomainError::RecordNotFound("admin account").into())
}

fn replace_recovery_codes(
    conn: &mut PgConnection,
    username: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> QueryResult<Vec<RecoveryCode>> {
    diesel::delete(admin_recovery_codes::table.filter(admin_recovery_codes::username.eq(username)))
        .execute(conn)?;
    let codes = RecoveryCode::generate_set();
    let rows: Vec<_> = codes
        .iter()
        .map(|code| {
            (
                admin_recovery_codes::username.eq(username),
                admin_recovery_codes::code_hash.eq(code.hash(username)),
                admin_recovery_codes::created_at.eq(now),
            )
        })
        .collect();
    diesel::insert_into(admin_recovery_codes::table)
        .values(&rows)
        .execute(conn)?;
    Ok(codes)
}

fn unix_seconds(at: chrono::DateTime<chrono::Utc>) -> i64 {
    at.timestamp()
}

use_case_type! {
    /// An admin's second factor: TOTP enrolment, codes and recovery codes.
    second_factor => SecondFactor
}

impl SecondFactor<'_> {
    /// Starts (or restarts) enrolment: a new pending secret, not yet in force.
    pub fn begin_totp_enrolment(&self, username: &AdminUsername) -> FacadeResult<TotpEnrolment> {
        let secret = TotpSecret::generate();
        self.core.transaction(|conn| {
            let (active, _, _) = lock_totp(conn, username)?;
            if active.is_some() {
                return Err(AccountError::SecondFactorAlreadyOn.into());
            }
            diesel::update(admin_users::table.find(username))
                .set(admin_users::totp_pending_secret.eq(secret.as_bytes()))
                .execute(conn)?;
            Ok(())
        })?;
        Ok(TotpEnrolment::of(&secret, username))
    }

    /// The enrolment in progress, to show the page again (after a wrong code, a reload).
    pub fn pending_totp_enrolment(
        &self,
        username: &AdminUsername,
    ) -> FacadeResult<Option<TotpEnrolment>> {
        let pending: Option<Option<Vec<u8>>> = admin_users::table
            .find(username)
            .select(admin_users::totp_pending_secret)
            .first(&mut *self.core.conn()?)
            .optional()?;
        Ok(pending
            .flatten()
            .map(|bytes| TotpEnrolment::of(&TotpSecret::from_bytes(bytes), username)))
    }

    /// Turns the second factor on with a correct code for the pending secret; returns the
    /// 10 recovery codes, shown once (only their hashes are kept).
    pub fn confirm_totp_enrolment(
        &self,
        username: &AdminUsername,
        code: &str,
        context: &ChangeContext,
    ) -> FacadeResult<Vec<RecoveryCode>> {
        let now = self.core.now();
        self.core.transaction(|conn| {
            let (active, pending, _) = lock_totp(conn, username)?;
            if active.is_some() {
                return Err(AccountError::SecondFactorAlreadyOn.into());
            }
            let secret = TotpSecret::from_bytes(pending.ok_or(AccountError::NoEnrolmentStarted)?);
            let step = secret
                .verify(code, unix_seconds(now), None)
                .ok_or(AccountError::WrongCode)?;
            diesel::update(admin_users::table.find(username))
                .set((
                    admin_users::totp_secret.eq(secret.as_bytes()),
                    admin_users::totp_pending_secret.eq(None::<Vec<u8>>),
                    admin_users::totp_last_step.eq(step.0),
                ))
                .execute(conn)?;
            let codes = replace_recovery_codes(conn, username, now)?;
            security_events::record(
                conn,
                now,
                SecurityEventKind::SecondFactorEnrolled,
                &UsernameKey::admin(username),
                None,
                &context.client,
                serde_json::json!({ "recoveryCodes": codes.len() }),
            )?;
            Ok(codes)
        })
    }

    /// Checks the second step of a sign-in: a TOTP code of a step later than the last one
    /// accepted (compared under the account's row lock, so a code works once even when sent
    /// twice at the same time), or an unused recovery code, spent here. A refusal is not
    /// recorded here: the web layer records it as a failed sign-in (`FailureKind::
    /// SecondFactor`), which also throttles guessing.
    pub fn verify_second_factor(
        &self,
        username: &AdminUsername,
        code: &str,
        client: &ClientInfo,
    ) -> FacadeResult<SecondFactorCheck> {
        let now = self.core.now();
        self.core.transaction(|conn| {
            let Ok((Some(secret), _, last)) = lock_totp(conn, username) else {
                return Ok(SecondFactorCheck::Refused);
            };
            let account = UsernameKey::admin(username);
            if looks_like_recovery_code(code) {
                let spent = diesel::update(
                    admin_recovery_codes::table
                        .filter(admin_recovery_codes::username.eq(username))
                        .filter(admin_recovery_codes::code_hash.eq(hash_code(username, code)))
                        .filter(admin_recovery_codes::used_at.is_null()),
                )
                .set(admin_recovery_codes::used_at.eq(now))
                .execute(conn)?;
                if spent == 0 {
                    return Ok(SecondFactorCheck::Refused);
                }
                let remaining: i64 = admin_recovery_codes::table
                    .filter(admin_recovery_codes::username.eq(username))
                    .filter(admin_recovery_codes::used_at.is_null())
                    .count()
                    .get_result(conn)?;
                security_events::record(
                    conn,
                    now,
                    SecurityEventKind::RecoveryCodeUsed,
                    &account,
                    None,
                    client,
                    serde_json::json!({ "remaining": remaining }),
                )?;
                return Ok(SecondFactorCheck::RecoveryCodeUsed { remaining });
            }
            let secret = TotpSecret::from_bytes(secret);
            match secret.verify(code, unix_seconds(now), last.map(TotpStep)) {
                Some(step) => {
                    diesel::update(admin_users::table.find(username))
                        .set(admin_users::totp_last_step.eq(step.0))
                        .execute(conn)?;
                    Ok(SecondFactorCheck::Accepted)
                }
                None => Ok(SecondFactorCheck::Refused),
            }
        })
    }

    /// An account turns its own second factor off, with its password and a current code (or
    /// a recovery code), each checked as a sign-in attempt: throttled, counted, logged, and
    /// the fifth wrong answer ends the session. Its other sessions end.
    pub fn turn_off_own_second_factor(
        &self,
        username: &AdminUsername,
        password: &str,
        code: &str,
        context: &ChangeContext,
    ) -> FacadeResult<()> {
        // Asking for a code an account cannot have would only spend its answers.
        if !self
            .core
            .accounts()
            .admin_account(username)?
            .is_some_and(|account| account.second_factor)
        {
            return Err(AccountError::SecondFactorOff.into());
        }
        let claim = recheck_claim(username, context, Recheck::TurnOffSecondFactor);
        recheck_password(self.core, &claim, password)?;
        recheck_code(self.core, &claim, code)?;
        self.turn_off(username, context)
    }

    /// Turns the second factor off: its recovery codes go, and the account's other sessions
    /// end.
    fn turn_off(&self, username: &str, context: &ChangeContext) -> FacadeResult<()> {
        let now = self.core.now();
        self.core.transaction(|conn| {
            require_live_session(conn, context)?;
            let (active, _, _) = lock_totp(conn, username)?;
            if active.is_none() {
                return Err(AccountError::SecondFactorOff.into());
            }
            diesel::update(admin_users::table.find(username))
                .set((
                    admin_users::totp_secret.eq(None::<Vec<u8>>),
                    admin_users::totp_pending_secret.eq(None::<Vec<u8>>),
                    admin_users::totp_last_step.eq(None::<i64>),
                ))
                .execute(conn)?;
            diesel::delete(
                admin_recovery_codes::table.filter(admin_recovery_codes::username.eq(username)),
            )
            .execute(conn)?;
            account_changed(
                conn,
                now,
                SecurityEventKind::SecondFactorTurnedOff,
                username,
                None,
                context,
                serde_json::json!({}),
            )
        })
    }

    /// Unused recovery codes left (the own-account page warns when few remain).
    pub fn remaining_recovery_codes(&self, username: &AdminUsername) -> FacadeResult<i64> {
        Ok(admin_recovery_codes::table
            .filter(admin_recovery_codes::username.eq(username))
            .filter(admin_recovery_codes::used_at.is_null())
            .count()
            .get_result(&mut *self.core.conn()?)?)
    }
}
