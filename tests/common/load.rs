//! Simulated people for the load and fault tests: each [`User`] is a browser of its own
//! (cookies, CSRF token) signed in as an admin or an identity owner, doing random
//! transitions through the real pages, on any of several app instances. Every response is
//! counted in a shared [`Tally`].

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use reqwest::{Client, Method, StatusCode};

use super::app::{ADMIN, PASSWORD, TestOwner, browser, location};

/// A request taking longer than this counts as a hang.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Everything the users saw.
#[derive(Debug, Default)]
pub struct Tally {
    pub requests: usize,
    pub by_status: BTreeMap<u16, usize>,
    /// Transitions attempted (POSTs that change state, not sign-ins).
    pub transitions: usize,
    pub sign_ins: usize,
    /// No response at all (connection refused or cut, or [`REQUEST_TIMEOUT`]).
    pub transport_errors: usize,
    /// Responses with a 5xx status other than 503, with what was asked.
    pub server_errors: Vec<String>,
    pub slowest: Duration,
}

impl Tally {
    pub fn count(&self, status: u16) -> usize {
        self.by_status.get(&status).copied().unwrap_or(0)
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} requests (transitions {}, sign-ins {}), by status {:?}, transport errors {}, \
             slowest {:.2?}",
            self.requests,
            self.transitions,
            self.sign_ins,
            self.by_status,
            self.transport_errors,
            self.slowest
        )
    }
}

pub type SharedTally = Arc<Mutex<Tally>>;

pub fn tally() -> SharedTally {
    Arc::new(Mutex::new(Tally::default()))
}

#[derive(Debug, Clone)]
pub enum Role {
    Admin,
    Owner(TestOwner),
}

/// What a step came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A page was read and, usually, a transition tried.
    Acted,
    /// The session had ended (or never begun); the user signed in.
    SignedIn,
    /// The sign-in page refused the owner's credentials (identity past its grace period or
    /// deleted) or asked to wait (429).
    SignInRefused,
    /// No usable answer (app or database down).
    NoAnswer,
}

struct Reply {
    status: StatusCode,
    location: String,
    body: String,
}

/// How a user acts.
#[derive(Debug, Clone, Copy)]
pub struct Behaviour {
    /// Chance that a step tries a transition rather than only reading a page.
    pub activity: f64,
    /// The decisions an owner picks from for its open process; none: the owner never
    /// answers support and only ever initiates deletions itself.
    pub decisions: &'static [&'static str],
    /// Grace lengths (days) an owner asks for when initiating; `None`: often the usual one.
    pub grace_days: Option<(u32, u32)>,
}

impl Behaviour {
    /// Acts in half its steps, decides anything, asks for any grace length.
    pub const ACTIVE: Self = Self {
        activity: 0.5,
        decisions: &["approve", "approve", "reject", "cancel", "cancel"],
        grace_days: None,
    };
    /// Never answers support (so reminders and automatic cancellation happen) and now and
    /// then asks for its own deletion with a short grace period (so deletions happen).
    pub const PASSIVE: Self = Self {
        activity: 0.1,
        decisions: &[],
        grace_days: Some((1, 3)),
    };
    /// An admin: starts processes (and now and then cancels one) in most steps.
    pub const ADMIN: Self = Self {
        activity: 0.8,
        decisions: &[],
        grace_days: None,
    };
}

pub struct User {
    pub role: Role,
    client: Client,
    rng: StdRng,
    csrf: Option<String>,
    behaviour: Behaviour,
    /// The process this user last saw, to act on it later (perhaps when it has moved on).
    last_process: Option<String>,
    tally: SharedTally,
}

impl User {
    pub fn new(role: Role, behaviour: Behaviour, seed: u64, tally: SharedTally) -> Self {
        Self {
            role,
            behaviour,
            client: browser(),
            rng: StdRng::seed_from_u64(seed),
            csrf: None,
            last_process: None,
            tally,
        }
    }

    /// Acts as another owner from now on (a fresh browser: nothing carries over).
    pub fn become_owner(&mut self, owner: TestOwner) {
        self.role = Role::Owner(owner);
        self.client = browser();
        self.csrf = None;
        self.last_process = None;
    }

    pub fn owner(&self) -> Option<&TestOwner> {
        match &self.role {
            Role::Owner(owner) => Some(owner),
            Role::Admin => None,
        }
    }

    /// One step on an instance picked from `bases`: sign in if needed, else read a page and
    /// try a random transition. Admins act on one of `identities`.
    pub async fn step(&mut self, bases: &[String], identities: &[String]) -> Step {
        if self.csrf.is_none() {
            return self.sign_in(bases).await;
        }
        match self.role.clone() {
            Role::Admin => self.admin_step(bases, identities).await,
            Role::Owner(_) => self.owner_step(bases).await,
        }
    }

    async fn sign_in(&mut self, bases: &[String]) -> Step {
        let (login, username, password) = match &self.role {
            Role::Admin => ("/admin/login", ADMIN.to_owned(), PASSWORD.to_owned()),
            Role::Owner(owner) => ("/login", owner.username.clone(), owner.password.clone()),
        };
        let Some(page) = self.request(bases, Method::GET, login, None).await else {
            return Step::NoAnswer;
        };
        if page.status != StatusCode::OK {
            return Step::NoAnswer;
        }
        let token = super::app::csrf_token_in(&page.body);
        let fields = [
            ("csrf_token", token.as_str()),
            ("username", username.as_str()),
            ("password", password.as_str()),
        ];
        let Some(reply) = self
            .request(bases, Method::POST, login, Some(&fields))
            .await
        else {
            return Step::NoAnswer;
        };
        self.tally.lock().unwrap().sign_ins += 1;
        match reply.status {
            StatusCode::SEE_OTHER => {
                // Sign-in rotates the token; any signed-in page carries the new one.
                let home = if matches!(self.role, Role::Admin) {
                    "/admin"
                } else {
                    "/me"
                };
                match self.request(bases, Method::GET, home, None).await {
                    Some(page) if page.status == StatusCode::OK => {
                        self.csrf = Some(super::app::csrf_token_in(&page.body));
                        Step::SignedIn
                    }
                    _ => Step::NoAnswer,
                }
            }
            StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS => Step::SignInRefused,
            _ => Step::NoAnswer,
        }
    }

    async fn owner_step(&mut self, bases: &[String]) -> Step {
        let Some(page) = self.page(bases, "/me").await else {
            return Step::NoAnswer;
        };
        let open = first_process_link(&page, "a[href^=\"/me/deletion-processes/IDP\"]");
        if open.is_some() {
            self.last_process.clone_from(&open);
        }
        if !self.rng.random_bool(self.behaviour.activity) {
            return Step::Acted;
        }
        let target = open.or_else(|| self.last_process.clone());
        let roll = self.rng.random_range(0..100);
        let decision = self.behaviour.decisions.choose(&mut self.rng);
        let path = match (target, decision) {
            (Some(id), Some(decision)) if roll < 85 => {
                format!("/me/deletion-processes/{id}/{decision}")
            }
            _ => "/me/deletion-processes".to_owned(),
        };
        let grace = match self.behaviour.grace_days {
            Some((shortest, longest)) => self.rng.random_range(shortest..=longest).to_string(),
            None if self.rng.random_bool(0.5) => String::new(),
            None => self.rng.random_range(1..=30).to_string(),
        };
        let fields: Vec<(&str, &str)> = if path.ends_with("/deletion-processes") {
            vec![("grace_period_days", grace.as_str())]
        } else {
            Vec::new()
        };
        self.transition(bases, &path, &fields).await
    }

    async fn admin_step(&mut self, bases: &[String], identities: &[String]) -> Step {
        let Some(address) = identities.choose(&mut self.rng).cloned() else {
            return Step::Acted;
        };
        if !self.rng.random_bool(self.behaviour.activity) {
            let page = ["/admin", "/admin/deletion-processes?status=Approved"]
                .choose(&mut self.rng)
                .expect("pages");
            return match self.page(bases, page).await {
                Some(_) => Step::Acted,
                None => Step::NoAnswer,
            };
        }
        let identity = format!("/admin/identities/{address}");
        let Some(page) = self.page(bases, &identity).await else {
            return Step::NoAnswer;
        };
        let newest = first_process_link(&page, "#processes a[href*=\"/deletion-processes/IDP\"]");
        let path = match newest {
            Some(id) if self.rng.random_bool(0.1) => {
                format!("{identity}/deletion-processes/{id}/cancel")
            }
            _ => format!("{identity}/deletion-processes"),
        };
        self.transition(bases, &path, &[]).await
    }

    /// GETs a signed-in page and keeps its CSRF token; `None` (and signed out, if that was
    /// why) when it is not there.
    async fn page(&mut self, bases: &[String], path: &str) -> Option<String> {
        let reply = self.request(bases, Method::GET, path, None).await?;
        match reply.status {
            StatusCode::OK => {
                self.csrf = Some(super::app::csrf_token_in(&reply.body));
                Some(reply.body)
            }
            StatusCode::SEE_OTHER if reply.location.contains("login") => {
                self.csrf = None;
                None
            }
            _ => None,
        }
    }

    async fn transition(&mut self, bases: &[String], path: &str, fields: &[(&str, &str)]) -> Step {
        let token = self.csrf.clone().unwrap_or_default();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.tally.lock().unwrap().transitions += 1;
        match self.request(bases, Method::POST, path, Some(&all)).await {
            Some(reply) => {
                if reply.status == StatusCode::SEE_OTHER && reply.location.contains("login") {
                    self.csrf = None;
                }
                Step::Acted
            }
            None => Step::NoAnswer,
        }
    }

    /// Sends one request to a random instance and counts its answer.
    async fn request(
        &mut self,
        bases: &[String],
        method: Method,
        path: &str,
        form: Option<&[(&str, &str)]>,
    ) -> Option<Reply> {
        let base = bases.choose(&mut self.rng).expect("an instance");
        let mut request = self
            .client
            .request(method.clone(), format!("{base}{path}"))
            .timeout(REQUEST_TIMEOUT);
        if let Some(form) = form {
            request = request.form(form);
        }
        let started = Instant::now();
        let result = match request.send().await {
            Ok(response) => {
                let status = response.status();
                let location = location(&response);
                response.text().await.map(|body| Reply {
                    status,
                    location,
                    body,
                })
            }
            Err(error) => Err(error),
        };
        let elapsed = started.elapsed();
        let mut tally = self.tally.lock().unwrap();
        tally.requests += 1;
        tally.slowest = tally.slowest.max(elapsed);
        match result {
            Ok(reply) => {
                let status = reply.status.as_u16();
                *tally.by_status.entry(status).or_default() += 1;
                if reply.status.is_server_error() && reply.status != StatusCode::SERVICE_UNAVAILABLE
                {
                    tally
                        .server_errors
                        .push(format!("{method} {path} answered {status}"));
                }
                Some(reply)
            }
            Err(_) => {
                tally.transport_errors += 1;
                None
            }
        }
    }
}

/// The process ID in the first link matching `css`, if any.
fn first_process_link(html: &str, css: &str) -> Option<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(css).expect("selector");
    document
        .select(&selector)
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|href| href.split('/').find(|part| part.starts_with("IDP")))
        .map(str::to_owned)
        .next()
}

/// Runs up to `steps` steps of every user concurrently (one task each), stopping early
/// once `stop` is set, and hands the users back with what their steps came to.
pub async fn run_users(
    users: Vec<User>,
    bases: &[String],
    identities: &[String],
    steps: usize,
    stop: &Arc<AtomicBool>,
) -> Vec<(User, Vec<Step>)> {
    let tasks: Vec<_> = users
        .into_iter()
        .map(|mut user| {
            let bases = bases.to_vec();
            let identities = identities.to_vec();
            let stop = stop.clone();
            tokio::spawn(async move {
                let mut outcomes = Vec::new();
                while outcomes.len() < steps && !stop.load(Ordering::Relaxed) {
                    let outcome = user.step(&bases, &identities).await;
                    if outcome == Step::NoAnswer {
                        // The app or its database is down: do not spin.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    outcomes.push(outcome);
                }
                (user, outcomes)
            })
        })
        .collect();
    let mut done = Vec::with_capacity(tasks.len());
    for task in tasks {
        done.push(task.await.expect("user task"));
    }
    done
}

/// `admins` admins and one user per owner given, each with its own seed.
pub fn crowd(admins: usize, owners: Vec<(TestOwner, Behaviour)>, tally: &SharedTally) -> Vec<User> {
    let admins =
        (0..admins as u64).map(|i| User::new(Role::Admin, Behaviour::ADMIN, i, tally.clone()));
    let owners = (1000..).zip(owners).map(|(seed, (owner, behaviour))| {
        User::new(Role::Owner(owner), behaviour, seed, tally.clone())
    });
    admins.chain(owners).collect()
}

/// A flag that is never set: run every step.
pub fn no_stop() -> Arc<AtomicBool> {
    Arc::new(AtomicBool::new(false))
}
