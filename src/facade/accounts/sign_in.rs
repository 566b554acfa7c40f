//! Sign-in as one use case (`docs/architecture.md`, `docs/security.md`), for both sign-in pages and for every password
//! or code an admin is asked for again before a change. Always in this order:
//!
//! 1. **Well-formed input.** A username that cannot name an account (empty, too long, a
//!    character no username has) is refused at once, like a wrong password, and counts as a
//!    failure of its network.
//! 2. **The throttling decision**, from the counters in PostgreSQL (429 with the wait).
//! 3. **A place in the hash queue**, in the attempt's lane (`passwords::Lane`: a known browser
//!    has places of its own, one network at most two; 503 beyond that).
//! 4. **The hash**: argon2id, against a dummy hash for an unknown or disabled account, so that
//!    it takes as long.
//! 5. **The outcome recorded**: a failure is counted and logged; a re-check's failure also
//!    counts against the session, which ends at the fifth (`sessions::RECHECK_LIMIT`).
//!
//! Nothing costly happens before step 2: an account's throttling key is read, not derived.
//! An owner's is the stored PBKDF2 hash of the device username; a device username that does
//! not exist gets a keyed HMAC instead (`KnownBrowserKey::unknown_owner_key`), which counts
//! like any account without telling what was typed.
//!
//! The sign-in pages await the hash ([`SignIns::check_password`]) without holding a thread;
//! the re-checks run inside a blocking use case (`change_own_password`,
//! `turn_off_own_second_factor`) and block on it ([`recheck_password`]).

use diesel::PgConnection;

use super::security_events::{self, ClientInfo};
use super::throttle::{
    FailureKind, SignInAttempt, count_failure, record_failure_event, uncount_failure,
};
use super::{AdminAccount, ChangeContext, SecondFactorCheck};
use crate::domain::accounts::{
    AccountError, ClientNetwork, KnownBrowserKey, Realm, SecurityEventKind, ThrottleDecision,
    UsernameKey,
};
use crate::domain::{AdminUsername, DeviceUsername, username};
use crate::facade::sessions::{
    Principal, RECHECK_LIMIT, SessionId, count_recheck, end_if_rechecks_spent, session_exists,
    uncount_recheck,
};
use crate::facade::{Core, FacadeError, FacadeResult, Owner};
use crate::passwords::{Lane, dummy_password_hash, verify_password, verify_password_async};

/// Where an attempt comes from.
#[derive(Debug, Clone)]
pub struct Client {
    pub network: ClientNetwork,
    pub user_agent: Option<String>,
    /// The browser's known-browser cookie for this realm, not yet verified.
    pub known_browser_token: Option<String>,
}

impl Client {
    /// A client as an account change records it (re-checks): no known-browser cookie, and
    /// without a network (the command line, tests) the unspecified address.
    pub fn of_change(client: &ClientInfo) -> Self {
        let unspecified = std::net::Ipv4Addr::UNSPECIFIED.into();
        Self {
            network: client
                .network
                .unwrap_or_else(|| ClientNetwork::of(unspecified)),
            user_agent: client.user_agent.clone(),
            known_browser_token: None,
        }
    }
}

/// The change a signed-in admin confirms with the password or a code again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recheck {
    ChangePassword,
    TurnOffSecondFactor,
}

impl Recheck {
    /// As the security event's `during` detail.
    fn as_str(self) -> &'static str {
        match self {
            Self::ChangePassword => "changePassword",
            Self::TurnOffSecondFactor => "turnOffSecondFactor",
        }
    }
}

/// Why a password or code is checked.
#[derive(Debug, Clone)]
pub enum Purpose {
    /// A sign-in page.
    SignIn,
    /// A signed-in admin confirming `change`; `session` (if any) ends at the fifth wrong
    /// answer.
    Recheck {
        session: Option<SessionId>,
        change: Recheck,
    },
}

/// Someone claiming to be an account.
#[derive(Debug, Clone)]
pub struct Claim {
    pub realm: Realm,
    /// As typed (surrounding spaces are ignored).
    pub username: String,
    pub client: Client,
    pub purpose: Purpose,
}

/// The account a password was right for.
#[derive(Debug, Clone)]
pub enum Account {
    Admin(AdminAccount),
    /// An owner, through the device that signed in.
    Owner {
        owner: Owner,
        device: DeviceUsername,
    },
}

/// The answer to a password or code.
#[derive(Debug)]
pub enum Checked<T> {
    /// Right. `attempt` completes the sign-in ([`SignIns::succeeded`]) or counts a wrong
    /// second step.
    Passed { value: T, attempt: SignInAttempt },
    /// Wrong, unknown, malformed or no longer usable: counted and logged already.
    /// `session_ended`: a re-check's fifth wrong answer ended the asking session.
    Refused { session_ended: bool },
}

/// What steps 1 and 2 leave for the hash.
enum Prepared {
    Refused { session_ended: bool },
    Hash(ToHash),
}

/// An attempt that may go on to the hash.
struct ToHash {
    attempt: SignInAttempt,
    /// The failure row that counts it while it is in flight (taken back if right).
    counted: i64,
    /// The stored argon2id hash; none for an unknown or disabled account.
    stored: Option<String>,
    account: Option<Account>,
}

impl ToHash {
    /// What the password is checked against: the stored hash, or the dummy one.
    fn hash(&self) -> String {
        self.stored
            .clone()
            .unwrap_or_else(|| dummy_password_hash().to_owned())
    }

    /// The attempt, its failure row, and its account if the password `matches` one that
    /// exists.
    fn outcome(self, matches: bool) -> (SignInAttempt, i64, Option<Account>) {
        let known = self.stored.is_some();
        let account = self.account.filter(|_| matches && known);
        (self.attempt, self.counted, account)
    }
}

/// The sign-in use case with the key that signs known-browser cookies (it verifies them
/// and derives the keys of unknown owners' usernames).
#[derive(Clone)]
pub struct SignIns {
    core: Core,
    known_browsers: Option<KnownBrowserKey>,
}

impl SignIns {
    pub fn new(core: Core, known_browsers: KnownBrowserKey) -> Self {
        Self {
            core,
            known_browsers: Some(known_browsers),
        }
    }

    /// For re-checks: admins only, whose key is their username, and no cookie.
    fn for_rechecks(core: &Core) -> Self {
        Self {
            core: core.clone(),
            known_browsers: None,
        }
    }

    /// Steps 1 to 5 for a password, awaiting the hash queue.
    pub async fn check_password(
        &self,
        claim: Claim,
        password: String,
    ) -> FacadeResult<Checked<Account>> {
        let this = self.clone();
        let asked = claim.clone();
        let to_hash = match on_pool(move || this.prepare(&asked)).await? {
            Prepared::Refused { session_ended } => return Ok(Checked::Refused { session_ended }),
            Prepared::Hash(to_hash) => to_hash,
        };
        let lane = lane(&to_hash.attempt);
        let this = self.clone();
        let matches = match verify_password_async(password, to_hash.hash(), lane).await {
            Ok(matches) => matches,
            Err(busy) => {
                let (asked, counted) = (claim.clone(), to_hash.counted);
                on_pool(move || this.core.transaction(|c| uncount(c, &asked, counted))).await?;
                return Err(busy.into());
            }
        };
        let (attempt, counted, account) = to_hash.outcome(matches);
        on_pool(move || this.conclude(&claim, attempt, counted, account)).await
    }

    /// The second step of an admin's sign-in: throttled like the password, then the code
    /// (a TOTP code or a recovery code; no hash queue, both are cheap to check).
    pub async fn check_code(
        &self,
        claim: Claim,
        code: String,
    ) -> FacadeResult<Checked<SecondFactorCheck>> {
        let this = self.clone();
        on_pool(move || {
            this.core
                .on_one_connection(|core| this.code_on(core, &claim, code.trim()))
        })
        .await
    }

    /// A complete sign-in: clears the attempt's counters, records it, and starts a session
    /// for `principal`, ending the browser's `previous` one.
    pub async fn succeeded(
        &self,
        attempt: SignInAttempt,
        principal: Principal,
        previous: Option<SessionId>,
    ) -> FacadeResult<SessionId> {
        let core = self.core.clone();
        on_pool(move || {
            core.on_one_connection(|core| {
                core.sign_in_throttle().record_sign_in_success(&attempt)?;
                core.sessions().start_session(&principal, previous.as_ref())
            })
        })
        .await
    }

    /// Steps 1 and 2, and the lookup of what the password is checked against, on one
    /// connection.
    fn prepare(&self, claim: &Claim) -> FacadeResult<Prepared> {
        self.core.on_one_connection(|core| {
            let name = claim.username.trim();
            if username::check(name).is_err() {
                let attempt = self.attempt(claim, UsernameKey::not_a_username(claim.realm), false);
                go_ahead(core, &attempt)?;
                let refused = refuse(core, claim, &attempt, FailureKind::Password, false)?;
                return Ok(Prepared::Refused {
                    session_ended: refused,
                });
            }
            let found = self.look_up(core, claim.realm, name)?;
            let attempt = self.attempt(claim, found.key, true);
            go_ahead(core, &attempt)?;
            let Some(counted) = count_in_flight(core, claim, &attempt)? else {
                return Ok(Prepared::Refused {
                    session_ended: true,
                });
            };
            Ok(Prepared::Hash(ToHash {
                attempt,
                counted,
                stored: found.stored,
                account: found.account,
            }))
        })
    }

    /// Step 5 after the hash: a right password for a usable account passes, and what
    /// counted it while in flight is taken back (a wrong one stays counted).
    fn conclude(
        &self,
        claim: &Claim,
        attempt: SignInAttempt,
        counted: i64,
        account: Option<Account>,
    ) -> FacadeResult<Checked<Account>> {
        self.core.on_one_connection(|core| {
            let usable = match account {
                Some(Account::Owner { owner, device }) => core
                    .credentials()
                    .owner_may_continue(&owner)?
                    .then_some(Account::Owner { owner, device }),
                other => other,
            };
            let Some(value) = usable else {
                return Ok(Checked::Refused {
                    session_ended: refuse(core, claim, &attempt, FailureKind::Password, true)?,
                });
            };
            core.transaction(|conn| uncount(conn, claim, counted))?;
            Ok(Checked::Passed { value, attempt })
        })
    }

    fn code_on(
        &self,
        core: &Core,
        claim: &Claim,
        code: &str,
    ) -> FacadeResult<Checked<SecondFactorCheck>> {
        // The code step's claim names the account whose password step passed.
        let username = AdminUsername::parse(claim.username.trim())?;
        let attempt = self.attempt(claim, UsernameKey::admin(&username), true);
        go_ahead(core, &attempt)?;
        let client = ClientInfo {
            network: Some(attempt.network),
            user_agent: attempt.user_agent.clone(),
        };
        match core
            .second_factor()
            .verify_second_factor(&username, code, &client)?
        {
            SecondFactorCheck::Refused => Ok(Checked::Refused {
                session_ended: refuse(core, claim, &attempt, FailureKind::SecondFactor, false)?,
            }),
            value => Ok(Checked::Passed { value, attempt }),
        }
    }

    /// The attempt on `account` from the claim's client; a known-browser cookie counts only
    /// on a sign-in page and only for an account that `can_be_known`.
    fn attempt(&self, claim: &Claim, account: UsernameKey, can_be_known: bool) -> SignInAttempt {
        let now = self.core.now().timestamp();
        let browser = match (&claim.purpose, &self.known_browsers) {
            (Purpose::SignIn, Some(keys)) if can_be_known => claim
                .client
                .known_browser_token
                .as_deref()
                .and_then(|token| keys.verify(token, &account, now)),
            _ => None,
        };
        SignInAttempt {
            account,
            network: claim.client.network,
            browser,
            user_agent: claim.client.user_agent.clone(),
        }
    }

    /// The account `name` may be, its key and stored hash.
    /// `name` passed the username rule already.
    fn look_up(&self, core: &Core, realm: Realm, name: &str) -> FacadeResult<Found> {
        match realm {
            Realm::Admin => {
                let name = AdminUsername::parse(name)?;
                let stored = core.credentials().admin_password_hash(&name)?;
                let account = match stored {
                    Some(_) => core.accounts().admin_account(&name)?.map(Account::Admin),
                    None => None,
                };
                Ok(Found {
                    key: UsernameKey::admin(&name),
                    stored,
                    account,
                })
            }
            Realm::Owner => {
                let device = DeviceUsername::parse(name)?;
                match core.credentials().device_for_sign_in(&device)? {
                    Some((owner, stored, username_hash)) => Ok(Found {
                        key: UsernameKey::owner_from_hash(&username_hash),
                        stored: Some(stored),
                        account: Some(Account::Owner { owner, device }),
                    }),
                    None => Ok(Found {
                        key: self.unknown_owner(&device),
                        stored: None,
                        account: None,
                    }),
                }
            }
        }
    }

    fn unknown_owner(&self, name: &str) -> UsernameKey {
        match &self.known_browsers {
            Some(keys) => keys.unknown_owner_key(name),
            // Only re-checks lack the key, and they are for admins.
            None => UsernameKey::not_a_username(Realm::Owner),
        }
    }
}

/// What a username names.
struct Found {
    key: UsernameKey,
    stored: Option<String>,
    account: Option<Account>,
}

/// Step 2: an error carrying the wait when the attempt is throttled.
fn go_ahead(core: &Core, attempt: &SignInAttempt) -> FacadeResult<()> {
    match core.sign_in_throttle().check_sign_in(attempt)? {
        ThrottleDecision::Allow => Ok(()),
        ThrottleDecision::Wait { seconds, .. } => Err(FacadeError::Throttled { seconds }),
    }
}

/// The hash queue's lane of an attempt.
fn lane(attempt: &SignInAttempt) -> Lane {
    match attempt.browser {
        Some(_) => Lane::KnownBrowser(attempt.network),
        None => Lane::Network(attempt.network),
    }
}

/// The session a re-check counts against, and the change it was asked for.
fn recheck_of(claim: &Claim) -> (Option<&SessionId>, Option<&'static str>) {
    match &claim.purpose {
        Purpose::SignIn => (None, None),
        Purpose::Recheck { session, change } => (session.as_ref(), Some(change.as_str())),
    }
}

/// Counts an attempt before its hash: a failure row, and for a re-check an answer against
/// its session. The row's ID, or `None` when the re-check's session has no answers left
/// (it ended, and the attempt is refused without a hash).
fn count_in_flight(
    core: &Core,
    claim: &Claim,
    attempt: &SignInAttempt,
) -> FacadeResult<Option<i64>> {
    let now = core.now();
    let (session, during) = recheck_of(claim);
    core.transaction(|conn| {
        let counted = count_failure(conn, now, attempt)?;
        let Some(session) = session else {
            return Ok(Some(counted));
        };
        match count_recheck(conn, session)? {
            Some(count) if count <= RECHECK_LIMIT => Ok(Some(counted)),
            _ => {
                record_failure_event(conn, now, attempt, FailureKind::Password, during)?;
                end_if_spent(conn, now, attempt, session)?;
                Ok(None)
            }
        }
    })
}

/// Takes back what [`count_in_flight`] counted: the password was right, or never checked.
fn uncount(conn: &mut PgConnection, claim: &Claim, counted: i64) -> FacadeResult<()> {
    uncount_failure(conn, counted)?;
    match recheck_of(claim).0 {
        Some(session) => uncount_recheck(conn, session),
        None => Ok(()),
    }
}

/// Logs a wrong answer, counting it first unless [`count_in_flight`] did; for a re-check
/// the fifth ends the session. Returns whether the session is gone.
fn refuse(
    core: &Core,
    claim: &Claim,
    attempt: &SignInAttempt,
    kind: FailureKind,
    counted: bool,
) -> FacadeResult<bool> {
    let now = core.now();
    let (session, during) = recheck_of(claim);
    core.transaction(|conn| {
        if !counted {
            count_failure(conn, now, attempt)?;
        }
        record_failure_event(conn, now, attempt, kind, during)?;
        let Some(session) = session else {
            return Ok(false);
        };
        if !counted {
            count_recheck(conn, session)?;
        }
        end_if_spent(conn, now, attempt, session)
    })
}

/// Ends the session once its wrong answers are spent, and logs that; whether it is gone.
fn end_if_spent(
    conn: &mut PgConnection,
    now: chrono::DateTime<chrono::Utc>,
    attempt: &SignInAttempt,
    session: &SessionId,
) -> FacadeResult<bool> {
    let Some(ended_now) = end_if_rechecks_spent(conn, session)? else {
        return Ok(true);
    };
    if ended_now {
        security_events::record(
            conn,
            now,
            SecurityEventKind::SessionsEnded,
            &attempt.account,
            None,
            &attempt.client(),
            serde_json::json!({ "sessions": 1, "because": "wrongAnswers" }),
        )?;
    }
    Ok(ended_now)
}

/// A change confirmed by a re-check goes ahead only while the asking session lives (a
/// wrong answer in flight may have ended it meanwhile).
pub(crate) fn require_live_session(
    conn: &mut PgConnection,
    context: &ChangeContext,
) -> FacadeResult<()> {
    match &context.session {
        Some(session) if !session_exists(conn, session)? => {
            Err(AccountError::SignedOutAfterWrongAnswers.into())
        }
        _ => Ok(()),
    }
}

/// A re-check of an admin's password inside a blocking use case: steps 1 to 5, blocking on
/// the hash queue. `Ok(())` when right; otherwise the error the change answers with.
pub(crate) fn recheck_password(core: &Core, claim: &Claim, password: &str) -> FacadeResult<()> {
    let sign_ins = SignIns::for_rechecks(core);
    let to_hash = match sign_ins.prepare(claim)? {
        Prepared::Refused { session_ended } => return Err(wrong_answer(session_ended)),
        Prepared::Hash(to_hash) => to_hash,
    };
    let matches = match verify_password(password, &to_hash.hash(), lane(&to_hash.attempt)) {
        Ok(matches) => matches,
        Err(busy) => {
            core.transaction(|conn| uncount(conn, claim, to_hash.counted))?;
            return Err(busy.into());
        }
    };
    let (attempt, counted, account) = to_hash.outcome(matches);
    match sign_ins.conclude(claim, attempt, counted, account)? {
        Checked::Passed { .. } => Ok(()),
        Checked::Refused { session_ended } => Err(wrong_answer(session_ended)),
    }
}

/// A re-check of an admin's second-factor code (or a recovery code, then spent).
pub(crate) fn recheck_code(core: &Core, claim: &Claim, code: &str) -> FacadeResult<()> {
    let sign_ins = SignIns::for_rechecks(core);
    match sign_ins.code_on(core, claim, code.trim())? {
        Checked::Passed { .. } => Ok(()),
        Checked::Refused {
            session_ended: true,
        } => Err(wrong_answer(true)),
        Checked::Refused { .. } => Err(AccountError::WrongCode.into()),
    }
}

fn wrong_answer(session_ended: bool) -> FacadeError {
    if session_ended {
        AccountError::SignedOutAfterWrongAnswers.into()
    } else {
        AccountError::WrongCurrentPassword.into()
    }
}

/// A re-check's claim: the signed-in admin `username`, from the change's client and session.
pub(crate) fn recheck_claim(username: &str, context: &ChangeContext, change: Recheck) -> Claim {
    Claim {
        realm: Realm::Admin,
        username: username.to_owned(),
        client: Client::of_change(&context.client),
        purpose: Purpose::Recheck {
            session: context.session.clone(),
            change,
        },
    }
}

/// Runs blocking work (Diesel) on the blocking pool, inside the caller's tracing span.
pub(crate) async fn on_pool<T: Send + 'static>(
    work: impl FnOnce() -> FacadeResult<T> + Send + 'static,
) -> FacadeResult<T> {
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(work))
        .await
        .map_err(|error| FacadeError::Internal(error.to_string()))?
}
