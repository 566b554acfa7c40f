//! An identity and what a deletion process does to it.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::address::IdentityAddress;
use super::status::IdentityStatus;

/// The tier every identity whose deletion was approved is moved to.
pub const QUEUED_FOR_DELETION_TIER: &str = "TIR00000000000000001";
/// The tier new identities get.
pub const BASIC_TIER: &str = "TIRBASIC000000000000";

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Identifiable)]
#[diesel(table_name = crate::schema::identities, primary_key(address))]
#[diesel(check_for_backend(diesel::pg::Pg), treat_none_as_null = true)]
pub struct Identity {
    pub address: IdentityAddress,
    pub client_id: String,
    pub created_at: DateTime<Utc>,
    pub status: IdentityStatus,
    pub tier_id: String,
    pub tier_id_before_deletion: Option<String>,
    pub deletion_grace_period_ends_at: Option<DateTime<Utc>>,
    /// PBKDF2 of the address, computed once (see `pseudonyms::audit_hash`).
    pub address_hash: Vec<u8>,
}

impl Identity {
    /// An approved deletion: remember the tier, move to "Queued for Deletion".
    pub(crate) fn queue_for_deletion(&mut self, grace_period_ends_at: DateTime<Utc>) {
        if self.tier_id_before_deletion.is_none() {
            self.tier_id_before_deletion = Some(std::mem::replace(
                &mut self.tier_id,
                QUEUED_FOR_DELETION_TIER.to_owned(),
            ));
        }
        self.status = IdentityStatus::ToBeDeleted;
        self.deletion_grace_period_ends_at = Some(grace_period_ends_at);
    }

    /// A cancelled deletion: everything `queue_for_deletion` changed goes back.
    pub(crate) fn restore_after_cancellation(&mut self) {
        if let Some(tier) = self.tier_id_before_deletion.take() {
            self.tier_id = tier;
        }
        self.status = IdentityStatus::Active;
        self.deletion_grace_period_ends_at = None;
    }

    pub(crate) fn mark_deleting(&mut self) {
        self.status = IdentityStatus::Deleting;
    }

    /// Owners may sign in until the grace period is over and deletion begins.
    pub fn owner_may_sign_in(&self, now: DateTime<Utc>) -> bool {
        match self.status {
            IdentityStatus::Active => true,
            IdentityStatus::ToBeDeleted => self
                .deletion_grace_period_ends_at
                .is_some_and(|end| now < end),
            IdentityStatus::Deleting => false,
        }
    }
}
