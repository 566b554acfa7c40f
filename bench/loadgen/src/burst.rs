//! Issue 8, Done-when 7: one admin fetches a page while 60 sign-ins (argon2id) arrive at
//! once, again and again. The page's p99 during the burst is compared with its p99 without
//! it. The app bounds its hash queue: sign-ins beyond the bound get 503 with `Retry-After`,
//! which is expected and counted, not an error.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;
use hdrhistogram::Histogram;
use hyper::StatusCode;

use crate::browser::{Browser, Reply};
use crate::data::{self, Rng};
use crate::scenarios::{OWNER_LOGIN, drive, pages};
use crate::stats::{Recorder, Window, histogram, quantile_ms};

/// What the sign-ins of a burst got.
#[derive(Default)]
pub struct SignIns {
    pub ok: u64,
    /// 503 with `Retry-After`: the hash queue was full (expected beyond its bound).
    pub busy: u64,
    /// 429: throttled (should not happen: every attempt has its own address).
    pub throttled: u64,
    /// Anything else, 503 without `Retry-After` and timeouts included.
    pub errors: u64,
    pub error_samples: Vec<String>,
    /// Latency of the successful sign-in POSTs.
    pub latency: Option<Histogram<u64>>,
}

pub struct BurstResult {
    pub quiet: Recorder,
    pub during: Recorder,
    pub sign_ins: SignIns,
    pub concurrency: usize,
}

/// Pause before a sign-in that got 503 tries again (with a new address): short, so that
/// `concurrency` sign-ins stay in flight.
const RETRY_PAUSE: Duration = Duration::from_millis(100);

/// `page` fetches the pages `pick` chooses in a closed loop, first alone, then with `concurrency` sign-in
/// loops beside it. Each sign-in is a new browser with a new source address (numbers from
/// `first_address` on) and a random plain owner.
pub struct Burst<'a> {
    pub base: &'a str,
    pub password: &'a str,
    pub concurrency: usize,
    pub warmup: Duration,
    pub duration: Duration,
    pub identities: u64,
    pub first_address: u32,
}

pub async fn run(
    burst: Burst<'_>,
    page: Arc<Browser>,
    pick: impl Fn(&mut Rng) -> String + Clone + Send + 'static,
) -> BurstResult {
    let Burst {
        base,
        password,
        concurrency,
        warmup,
        duration,
        identities,
        first_address,
    } = burst;
    let window = Window::new(warmup, duration);
    let quiet = drive([pages(page.clone(), window, 9001, pick.clone())])
        .await
        .unwrap_or_default();

    let window = Window::new(warmup, duration);
    let address = Arc::new(AtomicU32::new(first_address));
    let signers: Vec<_> = (0..concurrency)
        .map(|k| {
            let (base, password, address) = (base.to_owned(), password.to_owned(), address.clone());
            tokio::spawn(async move {
                let mut rng = Rng::new(5000 + k as u64);
                let mut got = SignIns::new();
                while window.is_open() {
                    let n = loop {
                        let n = rng.between(1, identities);
                        if data::is_plain_owner(n) {
                            break n;
                        }
                    };
                    let mut browser =
                        match Browser::new(&base, address.fetch_add(1, Ordering::Relaxed)) {
                            Ok(b) => b,
                            Err(error) => {
                                got.error(format!("browser: {error}"));
                                continue;
                            }
                        };
                    let started = Instant::now();
                    let answer = browser
                        .post_sign_in(OWNER_LOGIN, &data::username(n), &password)
                        .await;
                    if got.count(answer, started) == Outcome::Refused {
                        tokio::time::sleep(RETRY_PAUSE).await;
                    }
                }
                got
            })
        })
        .collect();
    // The page waits out the warm-up (the sign-ins fill the queue meanwhile), so that its
    // first request already counts, however long it takes.
    let during = drive([async move {
        tokio::time::sleep_until(window.start.into()).await;
        pages(page, window, 9002, pick).await
    }])
    .await
    .unwrap_or_default();
    let mut sign_ins = SignIns::new();
    for signer in signers {
        match signer.await {
            Ok(got) => sign_ins.merge(got),
            Err(error) => sign_ins.error(format!("sign-in task: {error}")),
        }
    }
    BurstResult {
        quiet,
        during,
        sign_ins,
        concurrency,
    }
}

/// How a sign-in POST ended, as [`SignIns::count`] counted it.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    SignedIn,
    /// 503 with `Retry-After` or 429: refused for now, worth trying again later.
    Refused,
    Error,
}

impl SignIns {
    pub fn new() -> Self {
        Self {
            latency: Some(histogram()),
            ..Self::default()
        }
    }

    /// Counts the answer to a sign-in POST sent at `started`: a 303 away from the sign-in
    /// page is a success (its latency recorded), a 303 back to it wrong credentials (an
    /// error here: every bench sign-in has the right password).
    pub fn count(&mut self, answer: Result<Reply>, started: Instant) -> Outcome {
        let reply = match answer {
            Ok(reply) => reply,
            Err(error) => {
                self.error(format!("sign-in: {error}"));
                return Outcome::Error;
            }
        };
        match reply.status {
            StatusCode::SEE_OTHER if !reply.location.as_deref().unwrap_or("").contains("login") => {
                if let Some(h) = self.latency.as_mut() {
                    h.saturating_record(started.elapsed().as_micros() as u64);
                }
                self.ok += 1;
                return Outcome::SignedIn;
            }
            StatusCode::SERVICE_UNAVAILABLE if reply.retry_after.is_some() => self.busy += 1,
            StatusCode::TOO_MANY_REQUESTS => self.throttled += 1,
            status => {
                let location = reply.location.unwrap_or_default();
                self.error(format!("sign-in: {status} {location}"));
                return Outcome::Error;
            }
        }
        Outcome::Refused
    }

    pub fn error(&mut self, what: String) {
        self.errors += 1;
        if self.error_samples.len() < 5 {
            self.error_samples.push(what);
        }
    }

    pub fn merge(&mut self, other: SignIns) {
        self.ok += other.ok;
        self.busy += other.busy;
        self.throttled += other.throttled;
        self.errors += other.errors;
        for sample in other.error_samples {
            if self.error_samples.len() < 5 {
                self.error_samples.push(sample);
            }
        }
        if let (Some(mine), Some(theirs)) = (self.latency.as_mut(), other.latency.as_ref()) {
            mine.add(theirs).expect("same bounds");
        }
    }

    pub fn latency_ms(&self, q: f64) -> f64 {
        self.latency.as_ref().map_or(0.0, |h| quantile_ms(h, q))
    }
}
