//! Latency histograms, counts, and the server's peak resident memory.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

/// The measured part of a scenario: requests started in `start..end` count; those before
/// are warm-up, those after only finish a cycle already begun.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub start: Instant,
    pub end: Instant,
}

impl Window {
    pub fn new(warmup: Duration, duration: Duration) -> Self {
        let start = Instant::now() + warmup;
        Self {
            start,
            end: start + duration,
        }
    }

    pub fn is_open(&self) -> bool {
        Instant::now() < self.end
    }

    fn counts(&self, started: Instant) -> bool {
        started >= self.start && started < self.end
    }

    pub fn seconds(&self) -> f64 {
        (self.end - self.start).as_secs_f64()
    }
}

pub fn histogram() -> Histogram<u64> {
    // Microseconds, 1 µs … 60 s, 3 significant digits.
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid histogram bounds")
}

/// What one connection (or all of them, merged) saw in the window.
pub struct Recorder {
    /// Every request.
    pub requests: Histogram<u64>,
    /// The state-changing POSTs of the transition scenarios.
    pub transitions: Histogram<u64>,
    pub errors: u64,
    /// Transitions the app refused with 429 (the owners' hourly limit): expected, not errors.
    pub limited: u64,
    /// The first few error descriptions, to say what went wrong.
    pub error_samples: Vec<String>,
}

impl Default for Recorder {
    fn default() -> Self {
        Self {
            requests: histogram(),
            transitions: histogram(),
            errors: 0,
            limited: 0,
            error_samples: Vec::new(),
        }
    }
}

fn micros(elapsed: Duration) -> u64 {
    u64::try_from(elapsed.as_micros())
        .unwrap_or(u64::MAX)
        .max(1)
}

impl Recorder {
    /// Records a request that started at `started` and took `elapsed`.
    pub fn request(&mut self, window: &Window, started: Instant, elapsed: Duration) {
        if window.counts(started) {
            self.requests.saturating_record(micros(elapsed));
        }
    }

    /// Records a successful transition (a POST that did what it should).
    pub fn transition(&mut self, window: &Window, started: Instant, elapsed: Duration) {
        if window.counts(started) {
            self.transitions.saturating_record(micros(elapsed));
        }
        self.request(window, started, elapsed);
    }

    /// Records a whole unit of several requests (the `api` phase's registration or cycle)
    /// in `transitions`, without counting a request again.
    pub fn unit(&mut self, window: &Window, started: Instant, elapsed: Duration) {
        if window.counts(started) {
            self.transitions.saturating_record(micros(elapsed));
        }
    }

    /// Counts an error; errors during warm-up count too (they are errors all the same).
    pub fn error(&mut self, what: String) {
        self.errors += 1;
        if self.error_samples.len() < 5 {
            self.error_samples.push(what);
        }
    }

    pub fn merge(&mut self, other: &Recorder) {
        self.requests.add(&other.requests).expect("same bounds");
        self.transitions
            .add(&other.transitions)
            .expect("same bounds");
        self.errors += other.errors;
        self.limited += other.limited;
        for sample in &other.error_samples {
            if self.error_samples.len() < 5 {
                self.error_samples.push(sample.clone());
            }
        }
    }
}

/// Milliseconds at a quantile.
pub fn quantile_ms(histogram: &Histogram<u64>, q: f64) -> f64 {
    histogram.value_at_quantile(q) as f64 / 1000.0
}

/// The server's resident-memory high-water mark (VmHWM) in KiB.
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Resets the high-water mark to the current RSS (Linux: `5` to `clear_refs`), so that each
/// scenario reports its own peak.
pub fn reset_peak_rss(pid: u32) -> bool {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok()
}
