//! What `base.html` needs on every page: title, navigation, flashes, the CSRF token.

use actix_session::Session;

use super::flash::{self, Flash};
use super::{auth::Principal, csrf};

#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub title: String,
    pub csrf_token: String,
    pub flashes: Vec<Flash>,
    /// Signed-in admin's username: shows the admin navigation.
    pub admin: Option<String>,
    /// Signed-in owner's device username: shows the owner navigation.
    pub owner: Option<String>,
}

impl Layout {
    /// For pages rendered within a session (takes the pending flash messages).
    pub fn new(session: &Session, title: impl Into<String>, principal: Option<&Principal>) -> Self {
        let (admin, owner) = match principal {
            Some(Principal::Admin { username }) => (Some(username.clone()), None),
            Some(Principal::Owner { username, .. }) => (None, Some(username.clone())),
            None => (None, None),
        };
        Self {
            title: title.into(),
            csrf_token: csrf::token(session),
            flashes: flash::take(session),
            admin,
            owner,
        }
    }

    /// For error pages, rendered without a session.
    pub fn bare(title: &str) -> Self {
        Self {
            title: title.to_owned(),
            ..Self::default()
        }
    }
}
