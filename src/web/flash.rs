//! One-time messages shown on the page a POST redirects to.

use actix_session::Session;
use serde::{Deserialize, Serialize};

const KEY: &str = "flash";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Success,
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub level: Level,
    pub text: String,
}

impl Flash {
    pub fn css_class(&self) -> &'static str {
        match self.level {
            Level::Success => "flash flash-success",
            Level::Info => "flash flash-info",
            Level::Error => "flash flash-error",
        }
    }

    /// Errors are announced at once to screen readers; the rest politely.
    pub fn role(&self) -> &'static str {
        match self.level {
            Level::Error => "alert",
            _ => "status",
        }
    }
}

pub fn push(session: &Session, level: Level, text: impl Into<String>) {
    let mut all: Vec<Flash> = session.get(KEY).ok().flatten().unwrap_or_default();
    all.push(Flash {
        level,
        text: text.into(),
    });
    // A session that cannot be written loses the message, not the action.
    let _ = session.insert(KEY, all);
}

pub fn success(session: &Session, text: impl Into<String>) {
    push(session, Level::Success, text);
}

pub fn error(session: &Session, text: impl Into<String>) {
    push(session, Level::Error, text);
}

/// The pending messages, removed from the session.
pub fn take(session: &Session) -> Vec<Flash> {
    // `remove` marks the session changed even when the key is absent, and a changed session
    // is written back to PostgreSQL: without this check every page view cost an UPDATE.
    if !session.contains_key(KEY) {
        return Vec::new();
    }
    session
        .remove_as::<Vec<Flash>>(KEY)
        .and_then(Result::ok)
        .unwrap_or_default()
}
