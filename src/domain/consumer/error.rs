//! The Consumer API's failures, with the codes the platform's client library knows.
//!
//! Statuses are those the platform uses: its client reads an error body only on 400, 404
//! and 500, so rule failures are 400 (`docs/consumer-api.md`).

use crate::domain::error::ErrorReport;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsumerError {
    #[error("The signature does not match the challenge and the identity public key.")]
    InvalidSignature,
    #[error("The challenge has expired. Ask for a new one and sign it.")]
    ChallengeHasExpired,
    #[error("An identity with the address derived from this public key already exists.")]
    AddressAlreadyExists,
    #[error("This client has reached the number of identities it may create.")]
    ClientReachedIdentitiesLimit,
    #[error("The client ID or client secret is not correct.")]
    WrongClientCredentials,
    #[error("Another sync run of this identity is still running; finalize it or wait a minute.")]
    AnotherSyncRunIsRunning,
    #[error("The sync run has expired; start a new one.")]
    SyncRunExpired,
    #[error("The sync run is already finalized.")]
    SyncRunAlreadyFinalized,
    #[error("The sync run is of type {0}; this request needs the other type.")]
    WrongSyncRunType(&'static str),
    #[error(
        "The device's datawallet version must be at least 1 (header x-supported-datawallet-version)."
    )]
    InsufficientDatawalletVersion,
}

impl ConsumerError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidSignature => "error.platform.validation.device.invalidSignature",
            Self::ChallengeHasExpired => "error.platform.validation.device.challengeHasExpired",
            Self::AddressAlreadyExists => "error.platform.validation.device.addressAlreadyExists",
            Self::ClientReachedIdentitiesLimit => {
                "error.platform.validation.device.clientReachedIdentitiesLimit"
            }
            Self::WrongClientCredentials => "error.platform.unauthorized",
            Self::AnotherSyncRunIsRunning => {
                "error.platform.validation.syncRun.cannotStartSyncRunWhenAnotherSyncRunIsRunning"
            }
            Self::SyncRunExpired => "error.platform.validation.syncRun.syncRunExpired",
            Self::SyncRunAlreadyFinalized => {
                "error.platform.validation.syncRun.syncRunAlreadyFinalized"
            }
            Self::WrongSyncRunType(_) => "error.platform.validation.syncRun.unexpectedSyncRunType",
            Self::InsufficientDatawalletVersion => {
                "error.platform.validation.datawallet.insufficientSupportedDatawalletVersion"
            }
        }
    }

    /// Code, words and status (all 400: see the module comment).
    pub fn report(&self) -> ErrorReport {
        ErrorReport::new(self.code(), self.to_string(), 400)
    }

    /// One of each, for the documentation and the tests.
    pub fn examples() -> Vec<Self> {
        vec![
            Self::InvalidSignature,
            Self::ChallengeHasExpired,
            Self::AddressAlreadyExists,
            Self::ClientReachedIdentitiesLimit,
            Self::WrongClientCredentials,
            Self::AnotherSyncRunIsRunning,
            Self::SyncRunExpired,
            Self::SyncRunAlreadyFinalized,
            Self::WrongSyncRunType("ExternalEventSync"),
            Self::InsufficientDatawalletVersion,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failure_is_a_400_with_its_own_code() {
        let examples = ConsumerError::examples();
        let codes: std::collections::BTreeSet<_> = examples.iter().map(|e| e.code()).collect();
        assert_eq!(codes.len(), examples.len());
        for error in examples {
            assert_eq!(error.report().status, 400);
            assert!(error.code().starts_with("error.platform."));
        }
    }
}
