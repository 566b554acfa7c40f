//! Sign-in attempt limits per client address and per username (in this instance).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct RateLimiter {
    max_attempts: usize,
    window: Duration,
    attempts: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// Keys tracked at most, so a flood of made-up usernames cannot exhaust memory.
const MAX_KEYS: usize = 100_000;
/// Usernames are at most 100 characters; longer keys are cut.
const MAX_KEY_CHARS: usize = 120;

impl RateLimiter {
    pub fn new(max_attempts: usize, window: Duration) -> Self {
        Self {
            max_attempts,
            window,
            attempts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt under each key in turn; false (and nothing more recorded) as soon
    /// as one is over its limit, so a client already refused by address cannot grow the
    /// table with made-up usernames. Keys are cut to a bounded length.
    pub fn attempt(&self, keys: &[String]) -> bool {
        let now = Instant::now();
        let mut attempts = self
            .attempts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if attempts.len() >= MAX_KEYS {
            attempts.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < self.window)
            });
            if attempts.len() >= MAX_KEYS {
                // Under a flood of distinct keys, forget rather than grow without bound.
                tracing::warn!("sign-in rate limiter full; starting afresh");
                attempts.clear();
            }
        }
        for key in keys {
            let key: String = key.chars().take(MAX_KEY_CHARS).collect();
            let times = attempts.entry(key).or_default();
            while times
                .front()
                .is_some_and(|t| now.duration_since(*t) >= self.window)
            {
                times.pop_front();
            }
            if times.len() >= self.max_attempts {
                return false;
            }
            times.push_back(now);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixth_attempt_in_the_window_is_refused() {
        let limiter = RateLimiter::new(5, Duration::from_secs(60));
        let keys = ["ip:1".to_owned(), "user:a".to_owned()];
        for _ in 0..5 {
            assert!(limiter.attempt(&keys));
        }
        assert!(!limiter.attempt(&keys));
        assert!(limiter.attempt(&["ip:2".to_owned(), "user:b".to_owned()]));
        assert!(
            !limiter.attempt(&["ip:3".to_owned(), "user:a".to_owned()]),
            "per username too"
        );
        let refused_address = ["ip:1".to_owned(), "user:new".to_owned()];
        assert!(!limiter.attempt(&refused_address));
        assert!(
            limiter.attempt(&["ip:4".to_owned(), "user:new".to_owned()]),
            "a refused address records nothing under the username"
        );
    }

    #[test]
    fn attempts_expire_after_the_window() {
        let limiter = RateLimiter::new(1, Duration::from_millis(20));
        assert!(limiter.attempt(&["k".to_owned()]));
        assert!(!limiter.attempt(&["k".to_owned()]));
        std::thread::sleep(Duration::from_millis(30));
        assert!(limiter.attempt(&["k".to_owned()]));
    }
}
