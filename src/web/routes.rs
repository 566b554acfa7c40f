//! The URL map as data: every route the server registers (`admin::routes`,
//! `owner::routes`, `assets::routes`, `health.rs` and `/` in `build_server`), with who may
//! use it. `docs/domain.md` renders its route table from [`ROUTES`]; the test
//! `tests/fuzz_http/documented_routes.rs` requests each entry and checks that the server
//! knows it, and that every route the fuzzer covers is listed here.

use std::fmt;

use crate::domain::accounts::Permission;

/// The HTTP methods the app answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// Who may use a route (anyone else is sent to a sign-in page or gets 403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Nobody needs to be signed in.
    Anyone,
    /// An admin who passed the password step and still owes the second factor.
    AdminSigningIn,
    /// Any signed-in admin, whatever the role.
    AnyAdmin,
    /// A signed-in admin whose role holds this permission.
    Admin(Permission),
    /// A signed-in identity owner (only their own identity's processes).
    Owner,
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Access::Anyone => f.write_str("anyone"),
            Access::AdminSigningIn => f.write_str("admin between password and second factor"),
            Access::AnyAdmin => f.write_str("any signed-in admin"),
            Access::Admin(permission) => write!(f, "admin who may {permission}"),
            Access::Owner => f.write_str("signed-in owner"),
        }
    }
}

/// One registered route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: Method,
    /// The actix pattern, `{name}` for a path segment.
    pub path: &'static str,
    pub access: Access,
    /// What it is for, in a few words.
    pub purpose: &'static str,
}

const fn route(method: Method, path: &'static str, access: Access, purpose: &'static str) -> Route {
    Route {
        method,
        path,
        access,
        purpose,
    }
}

use Access::{Admin, AdminSigningIn, AnyAdmin, Anyone, Owner};
use Method::{Get, Post};
use Permission::{CancelDeletion, ManageAccounts, Read, ReadSecurityEvents, StartDeletion};

/// Every route, in the order the server registers them.
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    route(Get, "/healthz", Anyone, "liveness probe (no database)"),
    route(Get, "/readyz", Anyone, "readiness probe (database reachable)"),
    route(Get, "/static/{name}", Anyone, "embedded stylesheet and images"),
    route(Get, "/docs/v1/openapi.json", Anyone, "the APIs' OpenAPI document (their endpoints are listed there)"),
    route(Get, "/admin", Admin(Read), "dashboard"),
    route(Get, "/admin/login", Anyone, "admin sign-in form"),
    route(Post, "/admin/login", Anyone, "admin sign-in: password step"),
    route(Get, "/admin/login/second-factor", AdminSigningIn, "second-factor form"),
    route(Post, "/admin/login/second-factor", AdminSigningIn, "second-factor check"),
    route(Post, "/admin/logout", AnyAdmin, "sign out"),
    route(Get, "/admin/identities", Admin(Read), "search identities"),
    route(Get, "/admin/identities/{address}", Admin(Read), "an identity, its devices and processes"),
    route(Get, "/admin/identities/{address}/deletion-processes/new", Admin(StartDeletion), "confirm starting a process"),
    route(Post, "/admin/identities/{address}/deletion-processes", Admin(StartDeletion), "start a process"),
    route(Get, "/admin/identities/{address}/deletion-processes/{id}", Admin(Read), "a process and its audit log"),
    route(Get, "/admin/identities/{address}/deletion-processes/{id}/cancel", Admin(CancelDeletion), "confirm cancelling"),
    route(Post, "/admin/identities/{address}/deletion-processes/{id}/cancel", Admin(CancelDeletion), "cancel an approved process"),
    route(Get, "/admin/deletion-processes", Admin(Read), "all processes, by status"),
    route(Get, "/admin/audit-logs", Admin(Read), "audit entries of an address"),
    route(Get, "/admin/clients", Admin(ManageAccounts), "OAuth clients of the Consumer API"),
    route(Post, "/admin/clients", Admin(ManageAccounts), "create a client (its secret shown once)"),
    route(Get, "/admin/clients/{client_id}/delete", Admin(ManageAccounts), "confirm deleting a client"),
    route(Post, "/admin/clients/{client_id}/delete", Admin(ManageAccounts), "delete a client"),
    route(Get, "/admin/api", AnyAdmin, "how to use the Admin API, its endpoints with curl examples"),
    route(Get, "/admin/accounts", Admin(ManageAccounts), "admin accounts"),
    route(Post, "/admin/accounts", Admin(ManageAccounts), "create an account"),
    route(Get, "/admin/accounts/{username}", Admin(ManageAccounts), "an account: details, recent sign-ins, actions, API keys"),
    route(Get, "/admin/accounts/{username}/api-keys/{key}/revoke", Admin(ManageAccounts), "confirm revoking an account's API key"),
    route(Post, "/admin/accounts/{username}/api-keys/{key}/revoke", Admin(ManageAccounts), "revoke an account's API key"),
    route(Get, "/admin/accounts/{username}/role", Admin(ManageAccounts), "confirm a role change"),
    route(Post, "/admin/accounts/{username}/role", Admin(ManageAccounts), "change the role"),
    route(Get, "/admin/accounts/{username}/disable", Admin(ManageAccounts), "confirm disabling"),
    route(Post, "/admin/accounts/{username}/disable", Admin(ManageAccounts), "disable the account"),
    route(Post, "/admin/accounts/{username}/enable", Admin(ManageAccounts), "enable the account"),
    route(Get, "/admin/accounts/{username}/reset-password", Admin(ManageAccounts), "confirm a password reset"),
    route(Post, "/admin/accounts/{username}/reset-password", Admin(ManageAccounts), "reset the password"),
    route(Get, "/admin/account", AnyAdmin, "own account, API keys, recent sign-ins"),
    route(Post, "/admin/account/api-keys", AnyAdmin, "create an own API key (shown once)"),
    route(Get, "/admin/account/api-keys/{key}/revoke", AnyAdmin, "confirm revoking an own API key"),
    route(Post, "/admin/account/api-keys/{key}/revoke", AnyAdmin, "revoke an own API key"),
    route(Get, "/admin/account/password", AnyAdmin, "own password form"),
    route(Post, "/admin/account/password", AnyAdmin, "change own password"),
    route(Get, "/admin/account/second-factor", AnyAdmin, "own second factor"),
    route(Post, "/admin/account/second-factor/enrolment", AnyAdmin, "begin enrolment"),
    route(Post, "/admin/account/second-factor/confirm", AnyAdmin, "confirm enrolment"),
    route(Get, "/admin/account/second-factor/off", AnyAdmin, "confirm turning it off"),
    route(Post, "/admin/account/second-factor/off", AnyAdmin, "turn it off"),
    route(Get, "/admin/security-events", Admin(ReadSecurityEvents), "security event log"),
    route(Get, "/login", Anyone, "owner sign-in form"),
    route(Post, "/login", Anyone, "owner sign-in"),
    route(Post, "/logout", Owner, "sign out"),
    route(Get, "/me", Owner, "what will happen, and the actions possible now"),
    route(Get, "/me/deletion-processes", Owner, "history of own processes"),
    route(Post, "/me/deletion-processes", Owner, "start a deletion (approved at once)"),
    route(Get, "/me/deletion-processes/new", Owner, "confirm starting a deletion"),
    route(Get, "/me/deletion-processes/{id}", Owner, "one own process"),
    route(Get, "/me/deletion-processes/{id}/receipt", Owner, "printable deletion receipt (approved processes)"),
    route(Get, "/me/deletion-processes/{id}/{decision}", Owner, "confirm approve, reject or cancel"),
    route(Post, "/me/deletion-processes/{id}/{decision}", Owner, "approve, reject or cancel"),
    route(Get, "/receipts/verify", Anyone, "check a deletion receipt's code against an address"),
    route(Post, "/receipts/verify", Anyone, "the check (counted per network)"),
    route(Post, "/language", Anyone, "the header's language switch (a cookie)"),
    route(Get, "/", Anyone, "redirects to /me"),
];

impl Route {
    /// Whether `path` (without query) is one this route's pattern matches.
    pub fn matches(&self, path: &str) -> bool {
        let pattern: Vec<&str> = self.path.split('/').collect();
        let actual: Vec<&str> = path.split('/').collect();
        pattern.len() == actual.len()
            && pattern
                .iter()
                .zip(&actual)
                .all(|(p, a)| (p.starts_with('{') && p.ends_with('}') && !a.is_empty()) || p == a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_is_listed_once() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert!(
                    (a.method, a.path) != (b.method, b.path),
                    "{} {} twice",
                    a.method.as_str(),
                    a.path
                );
            }
        }
    }

    #[test]
    fn patterns_match_paths() {
        let cancel = ROUTES
            .iter()
            .find(|r| r.path.ends_with("{id}/cancel"))
            .unwrap();
        assert!(cancel.matches("/admin/identities/a/deletion-processes/b/cancel"));
        assert!(!cancel.matches("/admin/identities/a/deletion-processes/b"));
        assert!(!cancel.matches("/admin/identities//deletion-processes/b/cancel"));
    }
}
