//! The hook that ends an admin account's sessions when the account changes (SPEC: "Sessions
//! follow the account"): disabling it, changing its role or password, or turning off its
//! second factor.
//!
//! STUB, to be replaced by the sessions stream's implementation, which knows how sessions
//! are stored and keyed to their principal. Every account-changing facade function already
//! calls this inside its transaction and records a `SessionsEnded` security event when it
//! returns more than zero, so the replacement only has to fill in the body.

use diesel::prelude::*;

/// Deletes every live session of admin `username` except the one whose ID is `except` (the
/// session making the change, when the account changes itself); returns how many ended.
pub fn end_admin_sessions(
    conn: &mut PgConnection,
    username: &str,
    except: Option<&str>,
) -> QueryResult<usize> {
    // TODO(sessions): delete the account's session rows here (sessions are keyed to their
    // principal in the new store). Until then nothing is ended.
    let _ = (conn, username, except);
    Ok(0)
}
