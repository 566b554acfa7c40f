//! The IdentityDeletionProcess facade (filled in next).
