//! The owners' hourly limit.

use super::*;

#[test]
fn the_owners_hourly_limit_is_the_configured_one() {
    let w = world();
    let core = w.core.clone().with_owner_limit(OwnerLimit::new(3));
    let owner = w.owner("limited");
    let first = core.processes().initiate(&owner, None).unwrap();
    core.processes().cancel(&owner, &first.id).unwrap();
    let second = core.processes().initiate(&owner, None).unwrap();
    // The fourth transition within the hour is refused, and names the configured limit.
    assert!(matches!(
        domain_error(core.processes().cancel(&owner, &second.id)),
        DomainError::TooManyTransitions { limit: 3, .. }
    ));
    assert_eq!(w.open_processes(&owner), 1);
    // An hour after the first, one more is allowed again.
    w.clock.advance(Duration::minutes(61));
    core.processes().cancel(&owner, &second.id).unwrap();
    assert_eq!(w.open_processes(&owner), 0);
}
