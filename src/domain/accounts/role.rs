//! Roles and what each may do, as one table.

use std::fmt;

/// One role per admin account (column `admin_users.role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Auditor,
    Support,
    Administrator,
}

/// Something an admin page or facade function needs the acting account to be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Dashboard, identities, processes, audit log.
    Read,
    /// The security-event page (administrators and auditors).
    ReadSecurityEvents,
    StartDeletion,
    CancelDeletion,
    /// The account pages: create, change role, disable/enable, reset password.
    ManageAccounts,
}

/// The whole permission table: which roles hold each permission. Pages draw their buttons
/// from [`Role::may`], and the facade enforces the same answer.
///
/// Support may do what an auditor may, except read the security events: that page is for
/// administrators and auditors only (`docs/domain.md`, "Roles and permissions").
const TABLE: &[(Permission, &[Role])] = &[
    (
        Permission::Read,
        &[Role::Auditor, Role::Support, Role::Administrator],
    ),
    (
        Permission::ReadSecurityEvents,
        &[Role::Auditor, Role::Administrator],
    ),
    (
        Permission::StartDeletion,
        &[Role::Support, Role::Administrator],
    ),
    (
        Permission::CancelDeletion,
        &[Role::Support, Role::Administrator],
    ),
    (Permission::ManageAccounts, &[Role::Administrator]),
];

impl Permission {
    /// Every permission, in the order of the permission table.
    pub const ALL: [Permission; 5] = [
        Permission::Read,
        Permission::ReadSecurityEvents,
        Permission::StartDeletion,
        Permission::CancelDeletion,
        Permission::ManageAccounts,
    ];
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Auditor, Role::Support, Role::Administrator];

    pub fn may(self, permission: Permission) -> bool {
        TABLE
            .iter()
            .any(|(p, roles)| *p == permission && roles.contains(&self))
    }

    /// The stored and displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Auditor => "auditor",
            Role::Support => "support",
            Role::Administrator => "administrator",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Role::parse(text).ok_or_else(|| "use auditor, support or administrator".to_owned())
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Permission::Read => "read",
            Permission::ReadSecurityEvents => "read security events",
            Permission::StartDeletion => "start deletion processes",
            Permission::CancelDeletion => "cancel deletion processes",
            Permission::ManageAccounts => "manage admin accounts",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_may_what_spec_says() {
        use Permission::*;
        let auditor = [Read, ReadSecurityEvents];
        for p in [
            Read,
            ReadSecurityEvents,
            StartDeletion,
            CancelDeletion,
            ManageAccounts,
        ] {
            assert_eq!(Role::Auditor.may(p), auditor.contains(&p), "auditor {p}");
            assert_eq!(
                Role::Support.may(p),
                matches!(p, Read | StartDeletion | CancelDeletion),
                "support {p}"
            );
            assert!(Role::Administrator.may(p), "administrator {p}");
        }
    }

    #[test]
    fn the_lists_are_complete() {
        // Adding a variant breaks these matches until it is added to `ALL` as well.
        let role_index = |role: Role| match role {
            Role::Auditor => 0,
            Role::Support => 1,
            Role::Administrator => 2,
        };
        let permission_index = |permission: Permission| match permission {
            Permission::Read => 0,
            Permission::ReadSecurityEvents => 1,
            Permission::StartDeletion => 2,
            Permission::CancelDeletion => 3,
            Permission::ManageAccounts => 4,
        };
        let roles: Vec<usize> = Role::ALL.into_iter().map(role_index).collect();
        assert_eq!(roles, [0, 1, 2]);
        let permissions: Vec<usize> = Permission::ALL.into_iter().map(permission_index).collect();
        assert_eq!(permissions, [0, 1, 2, 3, 4]);
        for permission in Permission::ALL {
            assert!(TABLE.iter().any(|(p, _)| *p == permission), "{permission}");
        }
    }

    #[test]
    fn names_round_trip_and_match_the_migration() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
        let sql = include_str!("../../../migrations/2026-11-25-130000_admin_accounts/up.sql");
        let names: Vec<String> = Role::ALL.iter().map(|r| r.as_str().to_owned()).collect();
        assert_eq!(super::super::check_values(sql, "role"), names);
    }
}
