//! Issue 17 §1, the sign-in flood: one network posts wrong passwords to both sign-in pages
//! as fast as it can on many connections, while genuine admins and owners from another
//! network sign in now and then and a signed-in admin reads pages. The same genuine
//! sign-ins and page reads run once without the flood (baseline) and once beside it; every
//! genuine sign-in should succeed in both.
//!
//! The app must trust 127.0.0.1 as its reverse proxy (`TRUSTED_PROXIES=127.0.0.1/32`): both
//! networks are named in `X-Forwarded-For` (see [`Browser::behind_proxy`]).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use hyper::StatusCode;

use crate::browser::Browser;
use crate::burst::SignIns;
use crate::data::{self, Rng};
use crate::scenarios::{ADMIN_LOGIN, OWNER_LOGIN, fetch};
use crate::stats::{Recorder, Window, histogram, quantile_ms};

/// Genuine sign-ins per pass, one every [`INTERVAL`]: admin, owner, admin, owner, … and in
/// each realm a browser the account knows and a fresh one in turn.
const GENUINE: u32 = 60;
const INTERVAL: Duration = Duration::from_millis(500);
/// The admin page is sampled this often, not in a closed loop that would add load of its own.
const PAGE_EVERY: Duration = Duration::from_millis(20);
const WRONG_PASSWORD: &str = "not-the-password";
/// The cookies that make a browser known to an account (set on a successful sign-in).
const KNOWN_COOKIE: &str = "backbone_known_";

/// The app, the password of the genuine accounts, and the flood's size.
pub struct Flood<'a> {
    pub base: &'a str,
    pub password: &'a str,
    pub identities: u64,
    /// The flood's connections.
    pub connections: usize,
    /// The flood runs alone this long before the first genuine sign-in.
    pub warmup: Duration,
}

/// What one pass (with or without the flood) measured.
pub struct Pass {
    /// Genuine sign-ins from browsers the account knows, and from fresh ones.
    pub known: SignIns,
    pub fresh: SignIns,
    /// The signed-in admin's page reads.
    pub page: Recorder,
    /// The flood's sign-in POSTs by answer (`303`, `429`, `503`, …, `error`).
    pub flood: BTreeMap<String, u64>,
    pub seconds: f64,
}

/// The networks of this run: new ones each minute, so that the throttling an earlier run
/// left (up to 15 minutes per network) does not carry over.
pub fn networks() -> (Ipv4Addr, Ipv4Addr) {
    let minute = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 60);
    let host = (minute % 250 + 1) as u8;
    (
        Ipv4Addr::new(198, 51, 100, host),
        Ipv4Addr::new(203, 0, 113, host),
    )
}

/// The genuine client's two browsers the accounts know: each signed in once, then closed
/// (session gone, known-browser cookie kept).
pub async fn known_browsers(flood: &Flood<'_>, genuine: Ipv4Addr) -> Result<[Browser; 2]> {
    let mut browsers = [
        Browser::behind_proxy(flood.base, genuine)?,
        Browser::behind_proxy(flood.base, genuine)?,
    ];
    for (browser, (login, username)) in browsers.iter_mut().zip(accounts(flood.identities)) {
        browser
            .sign_in(login, &username, flood.password)
            .await
            .with_context(|| format!("first sign-in of the genuine {username}"))?;
        browser.forget_cookies(|name| name.starts_with(KNOWN_COOKIE));
    }
    Ok(browsers)
}

/// The genuine accounts: the first bench admin and a plain owner.
fn accounts(identities: u64) -> [(&'static str, String); 2] {
    let owner = (1..=identities)
        .find(|&n| data::is_plain_owner(n))
        .unwrap_or(1);
    [
        (ADMIN_LOGIN, data::admin_username(0)),
        (OWNER_LOGIN, data::username(owner)),
    ]
}

/// One pass: the flood from `attacker` (none for the baseline) on its own tasks, the
/// genuine sign-ins from `genuine` and the page samples beside it, until the last genuine
/// sign-in is answered.
pub async fn pass(
    flood: &Flood<'_>,
    attacker: Option<Ipv4Addr>,
    genuine: Ipv4Addr,
    known: &mut [Browser; 2],
    page: &Browser,
    pick: impl Fn(&mut Rng) -> String,
) -> Result<Pass> {
    let stop = Arc::new(AtomicBool::new(false));
    let floods = attacker.map_or_else(Vec::new, |network| start_flood(flood, network, &stop));
    let started = Instant::now();
    // Open until the last genuine sign-in is answered.
    let window = Window::new(flood.warmup, Duration::from_secs(3600));
    let signing = async {
        let sign_ins = sign_ins(flood, genuine, window.start, known).await;
        stop.store(true, Ordering::Relaxed);
        sign_ins
    };
    let ((known, fresh), page) = tokio::join!(signing, sample(page, window, &stop, pick));
    let seconds = started.elapsed().as_secs_f64();
    let mut counts = BTreeMap::new();
    for connection in floods {
        for (answer, count) in connection.await? {
            *counts.entry(answer).or_default() += count;
        }
    }
    Ok(Pass {
        known,
        fresh,
        page,
        flood: counts,
        seconds,
    })
}

/// The genuine sign-ins from `start` on, in four lanes; returns those from the browsers the
/// accounts know and those from fresh browsers.
async fn sign_ins(
    flood: &Flood<'_>,
    genuine: Ipv4Addr,
    start: Instant,
    known: &mut [Browser; 2],
) -> (SignIns, SignIns) {
    let [admin, owner] = known;
    let [admin_login, owner_login] = accounts(flood.identities);
    let lane = |login: &(&'static str, String), lane: u32| Lane {
        base: flood.base,
        password: flood.password,
        login: login.0,
        username: login.1.clone(),
        first_due: start + INTERVAL * lane,
        genuine,
        known: None,
    };
    let (mut known, known_owner, mut fresh, fresh_owner) = tokio::join!(
        Lane {
            known: Some(admin),
            ..lane(&admin_login, 0)
        }
        .run(),
        Lane {
            known: Some(owner),
            ..lane(&owner_login, 1)
        }
        .run(),
        lane(&admin_login, 2).run(),
        lane(&owner_login, 3).run(),
    );
    known.merge(known_owner);
    fresh.merge(fresh_owner);
    (known, fresh)
}

/// The flood's connections from `network`, until `stop`.
fn start_flood(
    flood: &Flood<'_>,
    network: Ipv4Addr,
    stop: &Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<BTreeMap<String, u64>>> {
    let names = Arc::new(Names::new(flood.identities));
    (0..flood.connections as u64)
        .map(|k| {
            let (base, names, stop) = (flood.base.to_owned(), names.clone(), stop.clone());
            tokio::spawn(flood_connection(base, network, k, names, stop))
        })
        .collect()
}

/// A quarter of the genuine sign-ins: one realm, one kind of browser, one every
/// 4 × [`INTERVAL`].
struct Lane<'a> {
    base: &'a str,
    password: &'a str,
    login: &'static str,
    username: String,
    first_due: Instant,
    genuine: Ipv4Addr,
    /// The browser the account knows; none: a fresh browser for each sign-in.
    known: Option<&'a mut Browser>,
}

impl Lane<'_> {
    async fn run(mut self) -> SignIns {
        let mut got = SignIns::new();
        for k in 0..GENUINE / 4 {
            tokio::time::sleep_until((self.first_due + INTERVAL * 4 * k).into()).await;
            let mut fresh = None;
            let browser = match self.known.as_deref_mut() {
                Some(browser) => browser,
                None => match Browser::behind_proxy(self.base, self.genuine) {
                    Ok(browser) => fresh.insert(browser),
                    Err(error) => {
                        got.error(format!("browser: {error}"));
                        continue;
                    }
                },
            };
            // Timed from the form's GET to the answer to the POST, as a person waits.
            let started = Instant::now();
            let answer = browser
                .post_sign_in(self.login, &self.username, self.password)
                .await;
            got.count(answer, started);
            browser.forget_cookies(|name| name.starts_with(KNOWN_COOKIE));
        }
        got
    }
}

/// The signed-in admin reads a page every [`PAGE_EVERY`] from the window's start until
/// `stop`.
async fn sample(
    browser: &Browser,
    window: Window,
    stop: &AtomicBool,
    pick: impl Fn(&mut Rng) -> String,
) -> Recorder {
    let (mut rec, mut rng) = (Recorder::default(), Rng::new(1717));
    tokio::time::sleep_until(window.start.into()).await;
    let mut due = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        fetch(browser, &pick(&mut rng), &mut rec, &window).await;
        due += PAGE_EVERY;
        tokio::time::sleep_until(due.max(Instant::now()).into()).await;
    }
    rec
}

/// The usernames the flood tries, a quarter each: real accounts (none the genuine client
/// or another phase signs in as), valid-looking unknown ones, empty ones, 150 characters.
struct Names {
    owners: Vec<String>,
    identities: u64,
}

impl Names {
    fn new(identities: u64) -> Self {
        let owners = (0..8)
            .map(data::flood_owner)
            .filter(|&n| n <= identities)
            .map(data::username)
            .collect();
        Self { owners, identities }
    }

    fn pick(&self, rng: &mut Rng, admin: bool) -> String {
        match (rng.between(0, 3), admin) {
            (0, true) => data::SPARE_ADMIN.to_owned(),
            (0, false) if !self.owners.is_empty() => {
                self.owners[rng.between(0, self.owners.len() as u64 - 1) as usize].clone()
            }
            (1, true) => format!("support-{:05}", rng.between(0, 99_999)),
            (0 | 1, _) => {
                let unseeded = self.identities + 1;
                data::username(rng.between(unseeded, unseeded.max(9_999_999)))
            }
            (2, _) => String::new(),
            _ => (0..150)
                .map(|_| char::from(b'a' + rng.between(0, 25) as u8))
                .collect(),
        }
    }
}

/// One flood connection: reads a CSRF token from the admin sign-in form (the session, and
/// so the token, serves both forms), then posts wrong passwords to both forms in turn,
/// without pause, until `stop`. Counts the answers by status.
async fn flood_connection(
    base: String,
    network: Ipv4Addr,
    seed: u64,
    names: Arc<Names>,
    stop: Arc<AtomicBool>,
) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    let mut count = |answer: String| *counts.entry(answer).or_insert(0) += 1;
    let Ok(mut browser) = Browser::behind_proxy(&base, network) else {
        count("error".to_owned());
        return counts;
    };
    let mut rng = Rng::new(90_000 + seed);
    let mut has_token = false;
    let mut admin = seed.is_multiple_of(2);
    while !stop.load(Ordering::Relaxed) {
        if !has_token {
            has_token = match browser.get(ADMIN_LOGIN).await {
                Ok(form) if form.status == StatusCode::OK => {
                    browser.read_csrf_token(&form.body).is_ok()
                }
                _ => false,
            };
            if !has_token {
                count("form not served".to_owned());
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        }
        let path = if admin { ADMIN_LOGIN } else { OWNER_LOGIN };
        let username = names.pick(&mut rng, admin);
        let fields = [
            ("username", username.as_str()),
            ("password", WRONG_PASSWORD),
        ];
        match browser.post(path, &fields).await {
            Ok(reply) => {
                // A refused token (400/403): read a new one from the form.
                has_token = !reply.status.is_client_error() || reply.status.as_u16() == 429;
                count(reply.status.as_u16().to_string());
            }
            Err(_) => count("error".to_owned()),
        }
        admin = !admin;
    }
    counts
}

impl Pass {
    pub fn ok(&self) -> u64 {
        self.known.ok + self.fresh.ok
    }

    /// The successful sign-ins' latency at `q`; `–` without any.
    pub fn sign_in_ms(&self, q: f64) -> String {
        if self.ok() == 0 {
            return "–".to_owned();
        }
        let mut all = histogram();
        for latency in [&self.known.latency, &self.fresh.latency]
            .into_iter()
            .flatten()
        {
            all.add(latency).expect("same bounds");
        }
        format!("{:.1}", quantile_ms(&all, q))
    }

    pub fn page_p99_ms(&self) -> f64 {
        quantile_ms(&self.page.requests, 0.99)
    }

    /// `303: 120, 429: 5000, …`
    pub fn flood_counts(&self) -> String {
        if self.flood.is_empty() {
            return "–".to_owned();
        }
        self.flood
            .iter()
            .map(|(answer, count)| format!("{answer}: {count}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Both passes, baseline first; prints the table and writes it with its explanation to
/// `out` (flood.md, which `loadgen report` puts under its heading in RESULTS.md).
pub async fn phase(
    flood: Flood<'_>,
    page: &Browser,
    pick: impl Fn(&mut Rng) -> String + Clone,
    out: &std::path::Path,
) -> Result<()> {
    let (attacker, genuine) = networks();
    let mut known = known_browsers(&flood, genuine).await?;
    println!("without the flood: {GENUINE} genuine sign-ins from {genuine}");
    let quiet = pass(&flood, None, genuine, &mut known, page, pick.clone()).await?;
    println!(
        "with the flood: {} connections from {attacker}, {GENUINE} genuine sign-ins from {genuine}",
        flood.connections
    );
    let flooded = pass(&flood, Some(attacker), genuine, &mut known, page, pick).await?;
    let table = table(&[("without the flood", &quiet), ("with the flood", &flooded)]);
    println!("{table}");
    for sample in [&quiet, &flooded]
        .iter()
        .flat_map(|p| p.known.error_samples.iter().chain(&p.fresh.error_samples))
    {
        println!("genuine sign-in error: {sample}");
    }
    let met = flooded.ok() == u64::from(GENUINE) && quiet.ok() == u64::from(GENUINE);
    let busy = flooded.known.busy + flooded.fresh.busy;
    let text = format!(
        "{} connections from {attacker} post wrong passwords to `/admin/login` and `/login` in \
         turn, without pause, each with the CSRF token of its own session; the usernames are a \
         quarter each real accounts (`{}` and floor-class owners: none the genuine client or \
         another phase signs in as), valid-looking unknown ones, empty, and 150 characters. \
         From {genuine}, {GENUINE} genuine sign-ins (correct password; admin `{}`, owner `{}`) \
         start one every {} ms after {} s of flood, alternating admin and owner, half from a \
         browser with the account's known-browser cookie of an earlier sign-in and half from a \
         fresh browser; each is timed from the form's GET to the answer to its POST (p50/p99 \
         of the successful ones). A signed-in admin reads a random identity page every {} ms \
         meanwhile. The baseline runs the same without the flood. The app trusts 127.0.0.1 as \
         its reverse proxy (`TRUSTED_PROXIES=127.0.0.1/32`), so `X-Forwarded-For` names each \
         network.\n\n{table}\n\nTarget (issue 17 §1): {GENUINE} of {GENUINE} genuine sign-ins \
         with the flood, 0 × 503 → {} ({} of {GENUINE}, {busy} × 503).\n",
        flood.connections,
        data::SPARE_ADMIN,
        data::admin_username(0),
        accounts(flood.identities)[1].1,
        INTERVAL.as_millis(),
        flood.warmup.as_secs(),
        PAGE_EVERY.as_millis(),
        if met && busy == 0 {
            "met"
        } else {
            "**not met**"
        },
        flooded.ok(),
    );
    std::fs::write(out, text).with_context(|| format!("cannot write {}", out.display()))
}

/// The figures of the passes as a Markdown table.
fn table(passes: &[(&str, &Pass)]) -> String {
    let mut lines = vec![
        "| | genuine signed in | known browser | fresh browser | 503 | 429 | other errors | sign-in p50 ms | p99 ms | admin page p99 ms (reads, errors) | flood POSTs by answer (per s) |".to_owned(),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|".to_owned(),
    ];
    for (name, p) in passes {
        let (k, f) = (&p.known, &p.fresh);
        let flood_total: u64 = p.flood.values().sum();
        lines.push(format!(
            "| {name} | {}/{GENUINE} | {}/{} | {}/{} | {} | {} | {} | {} | {} | {:.2} ({}, {}) | {} ({:.0}/s) |",
            p.ok(),
            k.ok,
            GENUINE / 2,
            f.ok,
            GENUINE / 2,
            k.busy + f.busy,
            k.throttled + f.throttled,
            k.errors + f.errors,
            p.sign_in_ms(0.5),
            p.sign_in_ms(0.99),
            p.page_p99_ms(),
            p.page.requests.len(),
            p.page.errors,
            p.flood_counts(),
            flood_total as f64 / p.seconds,
        ));
    }
    lines.join("\n")
}
