//! The scenarios: each connection is one browser-like client looping until the window
//! closes. Page scenarios GET one page; transition scenarios walk an identity's deletion
//! process through its states the way a person clicks through the forms (POST, follow the
//! 303, read the next action and its process ID from the page).

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use hyper::StatusCode;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::browser::{Browser, Reply, process_link};
use crate::data::{self, Rng};
use crate::stats::{Recorder, Window};

pub const ADMIN_LOGIN: &str = "/admin/login";
pub const OWNER_LOGIN: &str = "/login";
/// Sign-ins run at most this many at a time: argon2id is meant to be slow and memory-hard,
/// and a crowd of simultaneous sign-ins is not what this benchmark measures.
const SIGN_IN_CONCURRENCY: usize = 2;

/// Creates browsers with distinct source addresses and signs them in.
pub struct Clients {
    pub base: String,
    pub password: String,
    next_address: u32,
}

impl Clients {
    pub fn new(base: &str, password: &str) -> Self {
        Self {
            base: base.to_owned(),
            password: password.to_owned(),
            next_address: 0,
        }
    }

    /// Source addresses from the `first`-th on (two runs against one server use distinct ones).
    pub fn starting_at(mut self, first: u32) -> Self {
        self.next_address = first;
        self
    }

    /// `count` unused source-address numbers for browsers made elsewhere; returns the first.
    pub fn reserve(&mut self, count: u32) -> u32 {
        let first = self.next_address + 1;
        self.next_address += count;
        first
    }

    pub fn anonymous(&mut self, count: usize) -> Result<Vec<Arc<Browser>>> {
        (0..count).map(|_| Ok(Arc::new(self.browser()?))).collect()
    }

    /// A new browser with the next unused source address.
    fn browser(&mut self) -> Result<Browser> {
        self.next_address += 1;
        Browser::new(&self.base, self.next_address)
    }

    /// Signs in as each username through `login`, a few at a time; in the given order.
    pub async fn signed_in(
        &mut self,
        login: &'static str,
        usernames: Vec<String>,
    ) -> Result<Vec<Arc<Browser>>> {
        let gate = Arc::new(Semaphore::new(SIGN_IN_CONCURRENCY));
        let mut tasks = JoinSet::new();
        for (index, username) in usernames.into_iter().enumerate() {
            let mut browser = self.browser()?;
            let (gate, password) = (gate.clone(), self.password.clone());
            tasks.spawn(async move {
                let _permit = gate.acquire_owned().await?;
                browser
                    .sign_in(login, &username, &password)
                    .await
                    .with_context(|| format!("signing in as {username}"))?;
                Ok::<_, anyhow::Error>((index, Arc::new(browser)))
            });
        }
        let mut browsers = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            browsers.push(joined??);
        }
        browsers.sort_by_key(|(index, _)| *index);
        Ok(browsers.into_iter().map(|(_, b)| b).collect())
    }
}

/// Runs one future per connection and merges what they recorded.
pub async fn drive<F>(connections: impl IntoIterator<Item = F>) -> Result<Recorder>
where
    F: Future<Output = Recorder> + Send + 'static,
{
    let mut tasks: JoinSet<Recorder> = connections.into_iter().collect();
    let mut total = Recorder::default();
    while let Some(joined) = tasks.join_next().await {
        total.merge(&joined?);
    }
    Ok(total)
}

/// A GET whose answer must be 200; records it and returns the page.
pub async fn fetch(
    browser: &Browser,
    path: &str,
    rec: &mut Recorder,
    window: &Window,
) -> Option<String> {
    let started = Instant::now();
    match browser.get(path).await {
        Ok(reply) if reply.status == StatusCode::OK => {
            rec.request(window, started, reply.elapsed);
            Some(reply.body)
        }
        Ok(reply) => {
            rec.error(format!("GET {path}: {}", reply.status));
            None
        }
        Err(error) => {
            rec.error(format!("GET {path}: {error}"));
            None
        }
    }
}

/// A page scenario's connection: GET the path `pick` chooses, again and again.
pub async fn pages(
    browser: Arc<Browser>,
    window: Window,
    seed: u64,
    pick: impl Fn(&mut Rng) -> String,
) -> Recorder {
    let (mut rec, mut rng) = (Recorder::default(), Rng::new(seed));
    while window.is_open() {
        fetch(&browser, &pick(&mut rng), &mut rec, &window).await;
    }
    rec
}

/// POSTs a form, expects a 303, follows it and expects the success flash there: only then
/// is it a transition. Returns the page redirected to.
async fn transition(
    browser: &Browser,
    path: &str,
    rec: &mut Recorder,
    window: &Window,
) -> Option<String> {
    let started = Instant::now();
    let reply: Reply = match browser.post(path, &[]).await {
        Ok(reply) => reply,
        Err(error) => {
            rec.error(format!("POST {path}: {error}"));
            return None;
        }
    };
    if reply.status == StatusCode::TOO_MANY_REQUESTS {
        // The owners' hourly transition limit (issue 8): refused as it should be.
        rec.limited += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
        return None;
    }
    let Some(location) = reply
        .location
        .filter(|_| reply.status == StatusCode::SEE_OTHER)
    else {
        rec.error(format!("POST {path}: {}", reply.status));
        return None;
    };
    let page = fetch(browser, &location, rec, window).await?;
    if !page.contains("flash-success") {
        rec.error(format!("POST {path}: no success message on {location}"));
        return None;
    }
    rec.transition(window, started, reply.elapsed);
    Some(page)
}

/// What the owner's page offers next.
enum Next {
    Approve(String),
    Cancel(String),
    /// No open process: a new one can be started.
    Start,
}

fn next_on(me: &str) -> Next {
    if let Some(id) = process_link(me, "approve") {
        Next::Approve(id)
    } else if let Some(id) = process_link(me, "cancel") {
        Next::Cancel(id)
    } else {
        Next::Start
    }
}

/// How a new process is started in a cycle.
pub enum Starter {
    /// The owner initiates it (approved at once).
    Owner,
    /// Support starts it from the identity's admin page; the owner then approves it.
    Admin {
        admin: Arc<Browser>,
        address: String,
    },
}

/// One owner's connection in a transition scenario: start → (approve →) cancel, again and
/// again, on its own identity. It reads the next action from `/me`, so it also recovers
/// from whatever state an earlier run left behind.
pub async fn cycles(owner: Arc<Browser>, starter: Starter, window: Window) -> Recorder {
    let mut rec = Recorder::default();
    let mut me = fetch(&owner, "/me", &mut rec, &window).await;
    while window.is_open() {
        let Some(page) = me.take() else {
            // After an error, look again (a moment later) at what the page offers.
            tokio::time::sleep(Duration::from_millis(20)).await;
            me = fetch(&owner, "/me", &mut rec, &window).await;
            continue;
        };
        me = match (next_on(&page), &starter) {
            (Next::Approve(id), _) => {
                let path = format!("/me/deletion-processes/{id}/approve");
                transition(&owner, &path, &mut rec, &window).await
            }
            (Next::Cancel(id), _) => {
                let path = format!("/me/deletion-processes/{id}/cancel");
                transition(&owner, &path, &mut rec, &window).await
            }
            (Next::Start, Starter::Owner) => {
                transition(&owner, "/me/deletion-processes", &mut rec, &window).await
            }
            (Next::Start, Starter::Admin { admin, address }) => {
                let path = format!("/admin/identities/{address}/deletion-processes");
                if transition(admin, &path, &mut rec, &window).await.is_some() {
                    // The owner opens their page and finds support's request.
                    fetch(&owner, "/me", &mut rec, &window).await
                } else {
                    None
                }
            }
        };
    }
    rec
}

/// Usernames of `count` distinct owners of plain identities (see [`data::is_plain_owner`]).
pub fn plain_owners(identities: u64, count: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let mut chosen = std::collections::BTreeSet::new();
    while chosen.len() < count {
        let n = rng.between(1, identities);
        if data::is_plain_owner(n) {
            chosen.insert(n);
        }
    }
    chosen.into_iter().map(data::username).collect()
}

/// An open-loop page scenario: requests are due at a fixed `rate` (per second) from when
/// the warm-up begins, whatever the server does; each of the browsers sends the next due
/// request when it is free. Latency counts from when a request was due, not from when it
/// could be sent, so a stalled server shows in full (no coordinated omission).
pub async fn open_loop(
    browsers: Vec<Arc<Browser>>,
    rate: f64,
    window: Window,
    pick: impl Fn(&mut Rng) -> String + Clone + Send + 'static,
) -> Result<Recorder> {
    use std::sync::atomic::{AtomicU64, Ordering};
    let origin = Instant::now();
    let next = Arc::new(AtomicU64::new(0));
    let tasks = browsers.into_iter().zip(0..).map(|(browser, seed)| {
        let (next, pick) = (next.clone(), pick.clone());
        async move {
            let (mut rec, mut rng) = (Recorder::default(), Rng::new(seed + 7000));
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let due = origin + Duration::from_secs_f64(i as f64 / rate);
                if due >= window.end {
                    break;
                }
                tokio::time::sleep_until(due.into()).await;
                let path = pick(&mut rng);
                match browser.get(&path).await {
                    Ok(reply) if reply.status == StatusCode::OK => {
                        rec.request(&window, due, due.elapsed());
                    }
                    Ok(reply) => rec.error(format!("GET {path}: {}", reply.status)),
                    Err(error) => rec.error(format!("GET {path}: {error}")),
                }
            }
            rec
        }
    });
    drive(tasks).await
}
