//! Sign-in throttling counters in PostgreSQL, shared by instances.

use super::*;

#[test]
fn throttle_counters_are_shared_by_instances_and_a_success_clears_its_pair() {
    let w = world();
    let other_instance = facade_on(&w.db, &w.clock);
    let alice = UsernameKey::admin("alice");
    let from_a = attempt(alice.clone(), "203.0.113.5");
    for _ in 0..4 {
        w.core
            .sign_in_throttle()
            .record_sign_in_failure(&from_a, FailureKind::Password)
            .unwrap();
    }
    assert_eq!(
        other_instance
            .sign_in_throttle()
            .check_sign_in(&from_a)
            .unwrap(),
        ThrottleDecision::Allow
    );
    w.core
        .sign_in_throttle()
        .record_sign_in_failure(&from_a, FailureKind::SecondFactor)
        .unwrap();
    assert_eq!(
        other_instance
            .sign_in_throttle()
            .check_sign_in(&from_a)
            .unwrap(),
        ThrottleDecision::Wait {
            seconds: 1,
            rule: ThrottleRule::UsernameAndNetwork
        }
    );
    // Another network, or the account's known browser, is not held back.
    let from_b = attempt(alice.clone(), "203.0.113.6");
    assert!(
        w.core
            .sign_in_throttle()
            .check_sign_in(&from_b)
            .unwrap()
            .is_allowed()
    );
    let key = KnownBrowserKey::derive(&[1; 64]);
    let token = key.issue(&alice, w.clock.now().timestamp());
    let known = SignInAttempt {
        browser: key.verify(&token, &alice, w.clock.now().timestamp()),
        ..from_a.clone()
    };
    assert!(known.browser.is_some());
    assert!(
        w.core
            .sign_in_throttle()
            .check_sign_in(&known)
            .unwrap()
            .is_allowed()
    );

    // A success on one instance clears the pair for both.
    other_instance
        .sign_in_throttle()
        .record_sign_in_success(&from_a)
        .unwrap();
    assert!(
        w.core
            .sign_in_throttle()
            .check_sign_in(&from_a)
            .unwrap()
            .is_allowed()
    );
    // The failures leave the window after 15 minutes anyway.
    for _ in 0..6 {
        w.core
            .sign_in_throttle()
            .record_sign_in_failure(&from_b, FailureKind::Password)
            .unwrap();
    }
    assert!(
        !w.core
            .sign_in_throttle()
            .check_sign_in(&from_b)
            .unwrap()
            .is_allowed()
    );
    w.clock.advance(Duration::minutes(16));
    assert!(
        w.core
            .sign_in_throttle()
            .check_sign_in(&from_b)
            .unwrap()
            .is_allowed()
    );
}

#[test]
fn spraying_from_one_network_and_guessing_one_username_from_many() {
    let w = world();
    let other_instance = facade_on(&w.db, &w.clock);
    // 30 failures from one network over 30 usernames, half on each instance.
    for i in 0..30 {
        let core = if i % 2 == 0 { &w.core } else { &other_instance };
        let sprayed = attempt(UsernameKey::admin(&format!("user{i}")), "192.0.2.77");
        core.sign_in_throttle()
            .record_sign_in_failure(&sprayed, FailureKind::Password)
            .unwrap();
    }
    let same_network = attempt(UsernameKey::admin("someone-else"), "192.0.2.77");
    assert!(matches!(
        w.core
            .sign_in_throttle()
            .check_sign_in(&same_network)
            .unwrap(),
        ThrottleDecision::Wait {
            rule: ThrottleRule::Network,
            ..
        }
    ));
    let elsewhere = attempt(UsernameKey::admin("someone-else"), "192.0.2.78");
    assert!(
        w.core
            .sign_in_throttle()
            .check_sign_in(&elsewhere)
            .unwrap()
            .is_allowed()
    );

    // 20 failures for one username from 20 networks: unknown browsers wait, known do not.
    let bob = UsernameKey::admin("bob");
    for i in 0..20 {
        let guess = attempt(bob.clone(), &format!("2001:db8:{i}::1"));
        other_instance
            .sign_in_throttle()
            .record_sign_in_failure(&guess, FailureKind::Password)
            .unwrap();
    }
    let fresh_network = attempt(bob.clone(), "198.18.0.1");
    assert!(matches!(
        w.core
            .sign_in_throttle()
            .check_sign_in(&fresh_network)
            .unwrap(),
        ThrottleDecision::Wait {
            rule: ThrottleRule::UsernameFromUnknownBrowsers,
            seconds: 1
        }
    ));
    let key = KnownBrowserKey::derive(&[2; 64]);
    let token = key.issue(&bob, w.clock.now().timestamp());
    let known = SignInAttempt {
        browser: key.verify(&token, &bob, w.clock.now().timestamp()),
        ..fresh_network
    };
    assert!(
        w.core
            .sign_in_throttle()
            .check_sign_in(&known)
            .unwrap()
            .is_allowed()
    );
    // IPv6 clients of one /64 are one network.
    let same_64 = attempt(bob.clone(), "2001:db8:3::ffff");
    let pair = attempt(bob, "2001:db8:3::1");
    for _ in 0..5 {
        w.core
            .sign_in_throttle()
            .record_sign_in_failure(&pair, FailureKind::Password)
            .unwrap();
    }
    assert!(matches!(
        w.core.sign_in_throttle().check_sign_in(&same_64).unwrap(),
        ThrottleDecision::Wait { .. }
    ));
}

#[test]
fn throttled_attempts_are_recorded_once_a_minute() {
    let w = world();
    let from = attempt(UsernameKey::admin("alice"), "203.0.113.50");
    for _ in 0..6 {
        w.core
            .sign_in_throttle()
            .record_sign_in_failure(&from, FailureKind::Password)
            .unwrap();
    }
    for _ in 0..10 {
        assert!(
            !w.core
                .sign_in_throttle()
                .check_sign_in(&from)
                .unwrap()
                .is_allowed()
        );
    }
    let throttled: i64 = security_events::table
        .filter(security_events::kind.eq("SignInThrottled"))
        .count()
        .get_result(&mut w.db.connect())
        .unwrap();
    assert_eq!(throttled, 1);
}
