//! What `base.html` needs on every page: title, navigation, flashes, the CSRF token.

use super::auth::Principal;
use super::flash::Flash;
use super::session::TypedSession;
use crate::domain::accounts::{Permission, Role};
use crate::domain::{AdminUsername, DeviceUsername};

#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub title: String,
    pub csrf_token: String,
    pub flashes: Vec<Flash>,
    /// Signed-in admin's username: shows the admin navigation.
    pub admin: Option<AdminUsername>,
    /// Signed-in owner's device username: shows the owner navigation.
    pub owner: Option<DeviceUsername>,
    /// Signed-in admin's role: which navigation links they see.
    pub role: Option<Role>,
    /// The name in the header and the title: this back office's for admins, the
    /// platform's (`PLATFORM_NAME`) for owners and the public.
    pub brand: String,
    /// Where the brand links to.
    pub home: &'static str,
}

/// This back office's name, on the admins' pages.
pub const ADMIN_BRAND: &str = "Backbone Admin";

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
        let for_admins = matches!(
            principal,
            Some(Principal::Admin { .. } | Principal::AdminSecondFactorPending { .. })
        );
        Self {
            title: title.into(),
            csrf_token: session.csrf_token(),
            flashes: session.take_flashes(),
            admin,
            owner,
            role: None,
            brand: if for_admins {
                ADMIN_BRAND.to_owned()
            } else {
                session.platform_name().to_owned()
            },
            home: if for_admins { "/admin" } else { "/me" },
        }
    }

    /// The admins' frame for a page without a signed-in admin yet (their sign-in steps).
    pub fn for_admins(mut self) -> Self {
        self.brand = ADMIN_BRAND.to_owned();
        self.home = "/admin";
        self
    }

    pub fn with_role(mut self, role: Option<Role>) -> Self {
        self.role = role;
        self
    }

    /// Whether the signed-in admin's role holds `permission` (navigation links).
    pub fn may(&self, permission: &Permission) -> bool {
        self.role.is_some_and(|role| role.may(*permission))
    }

    pub fn may_manage_accounts(&self) -> bool {
        self.may(&Permission::ManageAccounts)
    }

    pub fn may_read_security_events(&self) -> bool {
        self.may(&Permission::ReadSecurityEvents)
    }

    /// For error pages, rendered without a session.
    /// For error pages, which know no session (and not yet the realm: issue 21).
    pub fn bare(title: &str) -> Self {
        Self {
            title: title.to_owned(),
            brand: ADMIN_BRAND.to_owned(),
            home: "/me",
            ..Self::default()
        }
    }
}
