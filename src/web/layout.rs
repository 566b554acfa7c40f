//! What `base.html` needs on every page: title, navigation, flashes, the CSRF token.

use super::auth::Principal;
use super::flash::Flash;
use super::session::TypedSession;

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
    pub fn new(
        session: &TypedSession,
        title: impl Into<String>,
        principal: Option<&Principal>,
    ) -> Self {
        let (admin, owner) = match principal {
            Some(Principal::Admin { username }) => (Some(username.clone()), None),
            Some(Principal::Owner { username, .. }) => (None, Some(username.clone())),
            Some(Principal::AdminSecondFactorPending { .. }) | None => (None, None),
        };
        Self {
            title: title.into(),
            csrf_token: session.csrf_token(),
            flashes: session.take_flashes(),
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
