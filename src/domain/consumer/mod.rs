//! The Consumer API's own rules (`docs/consumer-api.md`): how an app proves it holds an
//! identity key (a signed challenge), the address derived from that key, OAuth client
//! secrets, bearer tokens, and the failures the platform's client library expects.

pub mod challenge;
pub mod client;
pub mod error;
pub mod keys;
pub mod sync;
pub mod token;

pub use challenge::{CHALLENGE_LIFETIME, ChallengeContent};
pub use client::{ClientId, ClientSecret};
pub use error::ConsumerError;
pub use keys::{IdentityPublicKey, Signature, derive_address};
pub use sync::{ExternalEventType, SyncRunStatus, SyncRunType};
pub use token::{AccessToken, TOKEN_LIFETIME_SECONDS};
