//! What `base.html` needs on every page: title, navigation, flashes, the CSRF token.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest};

use super::auth::Principal;
use super::flash::Flash;
use super::i18n::{Arg, Count, Lang};
use super::session::{TypedSession, page_address, platform_name};
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
    /// The visitor's language: `<html lang>` and every word on the page.
    pub lang: Lang,
    /// This page's address, for the language switch to come back to; empty (no switch) for
    /// a page that answers a POST, which has no address of its own.
    pub path: String,
    /// A page the admin must get through first (a forced password change): the header
    /// keeps only the brand, the language switch and sign-out.
    pub sign_out_only: bool,
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
        let (admin, owner) = names(principal);
        let for_admins = matches!(
            principal,
            Some(Principal::Admin { .. } | Principal::AdminSecondFactorPending { .. })
        );
        let (brand, home) = realm(for_admins, session.platform_name());
        Self {
            title: title.into(),
            csrf_token: session.csrf_token(),
            flashes: session.take_flashes(),
            admin,
            owner,
            role: None,
            brand,
            home,
            lang: session.lang(),
            path: session.path().to_owned(),
            sign_out_only: false,
        }
    }

    /// The message `key` in the page's language (templates: `{{ layout.t("key") }}`).
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        self.lang
            .t_args(key, &[(name, Arg::Text(value.to_string()))])
    }

    /// The message `key` for a count: `$count` picks the plural, `$n` is the number.
    pub fn tn(&self, key: &str, count: impl Count) -> String {
        self.lang.count(key, count.count())
    }

    /// A number written the local way ("1,234" / "1.234").
    pub fn number(&self, number: impl Count) -> String {
        self.lang.number(number.count())
    }

    /// For a page titled by message `key`.
    pub fn titled(session: &TypedSession, key: &str, principal: Option<&Principal>) -> Self {
        Self::new(session, session.lang().t(key), principal)
    }

    /// The admins' frame for a page without a signed-in admin yet (their sign-in steps).
    pub fn for_admins(mut self) -> Self {
        self.brand = ADMIN_BRAND.to_owned();
        self.home = "/admin";
        self
    }

    /// The header without navigation, for a page the admin must get through first.
    pub fn sign_out_only(mut self) -> Self {
        self.sign_out_only = true;
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

    /// An error page's first frame, before the request is known (English).
    pub fn bare(brand: &str, home: &'static str) -> Self {
        Self {
            brand: brand.to_owned(),
            home,
            ..Self::default()
        }
    }

    /// An error page's frame: the visitor's language, and the realm the address belongs
    /// to, with its navigation when the request got as far as knowing who is signed in.
    pub fn for_error(req: &HttpRequest) -> Self {
        let (brand, home) = realm(req.path().starts_with("/admin"), &platform_name(req));
        let mut layout = Self {
            lang: Lang::of_request(req),
            path: page_address(req),
            brand,
            home,
            ..Self::default()
        };
        if let Some(frame) = req.extensions().get::<PageFrame>() {
            (layout.admin, layout.owner) = names(frame.principal.as_ref());
            layout.role = frame.role;
            layout.sign_out_only = frame.sign_out_only;
            layout.csrf_token = frame.csrf_token.clone();
        }
        layout
    }
}

/// The signed-in admin's or owner's username, for the navigation.
fn names(principal: Option<&Principal>) -> (Option<AdminUsername>, Option<DeviceUsername>) {
    match principal {
        Some(Principal::Admin { username }) => (Some(username.clone()), None),
        Some(Principal::Owner { username, .. }) => (None, Some(username.clone())),
        Some(Principal::AdminSecondFactorPending { .. }) | None => (None, None),
    }
}

/// The brand and where it links: this back office's for admins, the platform's for owners
/// and the public.
fn realm(for_admins: bool, platform: &str) -> (String, &'static str) {
    if for_admins {
        (ADMIN_BRAND.to_owned(), "/admin")
    } else {
        (platform.to_owned(), "/me")
    }
}

/// Who a request turned out to be signed in as (`auth.rs`), and the session's form token,
/// kept on the request so that an error page drawn after the session middleware still shows
/// that person's navigation and the language switch.
#[derive(Debug, Clone)]
pub struct PageFrame {
    pub principal: Option<Principal>,
    pub role: Option<Role>,
    /// A restriction holds: the header offers only signing out ([`Layout::sign_out_only`]).
    pub sign_out_only: bool,
    pub csrf_token: String,
}

/// Inside the session middleware: an error answered without a signed-in user still keeps
/// the session's form token for its page ([`PageFrame`]), so the language switch works.
pub async fn keep_frame_for_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let status = res.status();
    if (status.is_client_error() || status.is_server_error())
        && res.request().extensions().get::<PageFrame>().is_none()
    {
        let session = TypedSession::of(res.request());
        res.request().extensions_mut().insert(PageFrame {
            principal: None,
            role: None,
            sign_out_only: false,
            csrf_token: session.csrf_token(),
        });
    }
    Ok(res)
}
