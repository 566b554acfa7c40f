//! One-time messages shown on the page a POST redirects to. They wait in the session
//! cookie ([`super::session::TypedSession::flash`]).

use serde::{Deserialize, Serialize};

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
