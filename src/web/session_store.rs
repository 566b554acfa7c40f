//! Sessions kept in PostgreSQL, so that signing out ends a session for good (a replayed
//! cookie finds nothing) and every app instance sees the same sessions.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use chrono::Utc;
use diesel::prelude::*;

use crate::db::DbPool;
use crate::domain::ids::random_alphanumeric;
use crate::schema::web_sessions;

type State = HashMap<String, String>;

const ANONYMOUS_TTL: Duration = Duration::hours(1);

#[derive(Clone)]
pub struct PgSessionStore {
    pool: DbPool,
}

impl PgSessionStore {
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }

    /// Runs blocking Diesel work off the async executor.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut PgConnection) -> Result<T, anyhow::Error> + Send + 'static,
    ) -> Result<T, anyhow::Error> {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await?
    }
}

fn expires_at(ttl: &Duration) -> chrono::DateTime<Utc> {
    Utc::now() + chrono::Duration::seconds(ttl.whole_seconds())
}

impl SessionStore for PgSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        let id = key.as_ref().to_owned();
        let row: Option<serde_json::Value> = self
            .blocking(move |conn| {
                Ok(web_sessions::table
                    .filter(web_sessions::id.eq(id))
                    .filter(web_sessions::expires_at.gt(Utc::now()))
                    .select(web_sessions::state)
                    .first(conn)
                    .optional()?)
            })
            .await
            .map_err(LoadError::Other)?;
        row.map(serde_json::from_value)
            .transpose()
            .map_err(|e| LoadError::Deserialization(e.into()))
    }

    async fn save(&self, state: State, ttl: &Duration) -> Result<SessionKey, SaveError> {
        let value = serde_json::to_value(&state).map_err(|e| SaveError::Serialization(e.into()))?;
        let id = random_alphanumeric(64);
        // A visitor who only opened a sign-in form keeps a row for an hour, not twelve.
        let ttl = if state.contains_key(super::auth::SIGNED_IN) {
            *ttl
        } else {
            (*ttl).min(ANONYMOUS_TTL)
        };
        let expires = expires_at(&ttl);
        let stored = id.clone();
        self.blocking(move |conn| {
            diesel::insert_into(web_sessions::table)
                .values((
                    web_sessions::id.eq(stored),
                    web_sessions::state.eq(value),
                    web_sessions::expires_at.eq(expires),
                ))
                .execute(conn)?;
            // Expired sessions are swept as a side effect, a few at a time.
            diesel::sql_query(
                "DELETE FROM web_sessions WHERE id IN \
                 (SELECT id FROM web_sessions WHERE expires_at < now() LIMIT 100 FOR UPDATE SKIP LOCKED)",
            )
            .execute(conn)?;
            Ok(())
        })
        .await
        .map_err(SaveError::Other)?;
        SessionKey::try_from(id).map_err(|e| SaveError::Other(e.into()))
    }

    async fn update(
        &self,
        key: SessionKey,
        state: State,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        let value =
            serde_json::to_value(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let id = key.as_ref().to_owned();
        let expires = expires_at(ttl);
        let updated = self
            .blocking(move |conn| {
                Ok(diesel::update(web_sessions::table.find(id))
                    .set((
                        web_sessions::state.eq(value),
                        web_sessions::expires_at.eq(expires),
                    ))
                    .execute(conn)?)
            })
            .await
            .map_err(UpdateError::Other)?;
        if updated == 1 {
            Ok(key)
        } else {
            // The session was deleted meanwhile (signed out in another tab, expired): a
            // request that loaded it before must not bring the sign-in back. Start anew
            // with what is not a sign-in (the CSRF token).
            let mut state = state;
            state.retain(|name, _| name == super::csrf::KEY);
            self.save(state, ttl)
                .await
                .map_err(|e| UpdateError::Other(e.into()))
        }
    }

    async fn update_ttl(&self, key: &SessionKey, ttl: &Duration) -> Result<(), anyhow::Error> {
        let id = key.as_ref().to_owned();
        let expires = expires_at(ttl);
        self.blocking(move |conn| {
            diesel::update(web_sessions::table.find(id))
                .set(web_sessions::expires_at.eq(expires))
                .execute(conn)?;
            Ok(())
        })
        .await
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        let id = key.as_ref().to_owned();
        self.blocking(move |conn| {
            diesel::delete(web_sessions::table.find(id)).execute(conn)?;
            Ok(())
        })
        .await
    }
}
