//! Processes in every status, for the domain's unit tests.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::address::IdentityAddress;
use super::identity::{BASIC_TIER, Identity};
use super::ids::DeviceId;
use super::periods::Periods;
use super::process::DeletionProcess;
use super::status::{IdentityStatus, ProcessStatus};
use super::username::AdminUsername;

pub(crate) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap()
}

pub(crate) fn identity() -> Identity {
    Identity {
        address: IdentityAddress::parse("did:e:localhost:dids:0123456789abcdef012345").unwrap(),
        client_id: "test".into(),
        created_at: t0(),
        status: IdentityStatus::Active,
        tier_id: BASIC_TIER.into(),
        tier_id_before_deletion: None,
        deletion_grace_period_ends_at: None,
        address_hash: vec![0; 32],
    }
}

pub(crate) fn admin(name: &str) -> AdminUsername {
    AdminUsername::parse(name).unwrap()
}

pub(crate) fn device() -> DeviceId {
    DeviceId::parse("DVCaaaaaaaaaaaaaaaaa").unwrap()
}

pub(crate) fn waiting(identity: &Identity) -> DeletionProcess {
    DeletionProcess::start_by_support(identity, false, &admin("admin"), t0(), Periods::default())
        .unwrap()
        .0
}

pub(crate) fn approved(identity: &mut Identity) -> DeletionProcess {
    let mut process = waiting(identity);
    process
        .approve(identity, &device(), t0(), Periods::default())
        .unwrap();
    process
}

pub(crate) fn in_status(status: ProcessStatus, identity: &mut Identity) -> DeletionProcess {
    let mut process = waiting(identity);
    match status {
        ProcessStatus::WaitingForApproval => {}
        ProcessStatus::Approved => {
            process
                .approve(identity, &device(), t0(), Periods::default())
                .unwrap();
        }
        ProcessStatus::Rejected => {
            process.reject(&device(), t0()).unwrap();
        }
        ProcessStatus::Cancelled => {
            process
                .approve(identity, &device(), t0(), Periods::default())
                .unwrap();
            process.cancel_by_owner(identity, &device(), t0()).unwrap();
        }
        ProcessStatus::Deleting => {
            process
                .approve(identity, &device(), t0(), Periods::default())
                .unwrap();
            process
                .start_deletion(identity, t0() + Duration::days(14))
                .unwrap();
        }
    }
    assert_eq!(process.status, status);
    process
}
