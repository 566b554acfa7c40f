//! Password hashing (argon2id) on a bounded queue. (The audit log's PBKDF2 pseudonyms are
//! `crate::pseudonyms`.)
//!
//! Argon2id runs on a few dedicated threads. Callers either await the result (the sign-in
//! use case: no blocking-pool thread is held while a hash waits) or block for it (the CLI and
//! code already on a blocking thread). At most [`queue_limit`] hashes wait or run at once;
//! beyond that a request is refused at once with [`Busy`], which the web layer answers with
//! 503 and `Retry-After`, so a burst of sign-ins cannot queue without bound in front of the
//! pages. The places are shared fairly ([`Lane`]): one client network holds at most
//! [`NETWORK_SHARE`] of them, and browsers known to their account have places of their
//! own and go first, so a flood from one network turns into 503s for that network only.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Condvar, LazyLock, Mutex, MutexGuard, OnceLock, PoisonError};

use crate::domain::accounts::ClientNetwork;

/// Too many password hashes are waiting: try again shortly (a 503 with `Retry-After`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many sign-ins are being checked right now; try again in a moment")]
pub struct Busy;

/// Hashes that may wait or run at once unless [`set_queue_limit`] says otherwise.
pub const DEFAULT_QUEUE_LIMIT: usize = 32;
/// Seconds a refused request is told to wait before retrying.
pub const BUSY_RETRY_AFTER_SECONDS: u32 = 2;
/// Places one client network may hold at once: a flood from one network waits behind its
/// own two hashes and leaves the rest of the queue to everybody else.
pub const NETWORK_SHARE: usize = 2;
/// Attempts of one network that may wait (without a thread) for a place of its share, so
/// that colleagues behind one office address who sign in at once are served in turn, two
/// at a time; beyond them, 503. Waiting costs the others nothing: the queue never holds
/// more than the network's share.
pub const NETWORK_WAITING: usize = 32;

/// Whose hash it is: the queue is shared fairly between lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lane {
    /// A sign-in from a browser the account knows (its signed cookie), from this network:
    /// first the queue's reserved places, which no other lane takes and whose hashes run
    /// first; when those are taken, its network's share like any other attempt.
    KnownBrowser(ClientNetwork),
    /// Any other sign-in or password check, by its client network: at most
    /// [`NETWORK_SHARE`] places.
    Network(ClientNetwork),
    /// Work an operator or a signed-in administrator started (the command line, a new
    /// account's or a reset's one-time password): bound only by the shared places.
    Staff,
}

/// Which places a taken place counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// One of the places kept for known browsers.
    Reserved,
    Network(ClientNetwork),
    Staff,
}

/// The places in the queue: how many hashes wait or run, by slot, and how many may.
struct Places {
    taken: Mutex<Taken>,
    limit: AtomicUsize,
    /// Told whenever a place is given back, for the attempts waiting for their share.
    freed: tokio::sync::Notify,
}

#[derive(Default)]
struct Taken {
    reserved: usize,
    shared: usize,
    by_network: HashMap<ClientNetwork, usize>,
    /// Attempts waiting for a place of their network's share.
    waiting: HashMap<ClientNetwork, usize>,
}

/// Why a lane cannot take a place now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Full {
    /// The queue (or the part of it this lane may use).
    Queue,
    /// The network's share.
    Share,
}

impl Taken {
    fn total(&self) -> usize {
        self.reserved + self.shared
    }

    /// The slot `lane` may take one more place in under `limit`, or why there is none.
    fn slot_for(&self, lane: Lane, limit: usize) -> Result<Slot, Full> {
        let shared = shared_places(limit);
        match lane {
            Lane::KnownBrowser(_) if self.reserved < limit - shared => Ok(Slot::Reserved),
            Lane::KnownBrowser(network) | Lane::Network(network) => {
                self.network_slot(network, shared)
            }
            Lane::Staff if self.shared < shared => Ok(Slot::Staff),
            Lane::Staff => Err(Full::Queue),
        }
    }

    fn network_slot(&self, network: ClientNetwork, shared: usize) -> Result<Slot, Full> {
        if self.shared >= shared {
            Err(Full::Queue)
        } else if self.by_network.get(&network).copied().unwrap_or(0) >= NETWORK_SHARE {
            Err(Full::Share)
        } else {
            Ok(Slot::Network(network))
        }
    }

    fn add(&mut self, slot: Slot) {
        match slot {
            Slot::Reserved => self.reserved += 1,
            Slot::Staff => self.shared += 1,
            Slot::Network(network) => {
                self.shared += 1;
                *self.by_network.entry(network).or_default() += 1;
            }
        }
    }

    fn remove(&mut self, slot: Slot) {
        match slot {
            Slot::Reserved => self.reserved -= 1,
            Slot::Staff => self.shared -= 1,
            Slot::Network(network) => {
                self.shared -= 1;
                if let Some(count) = self.by_network.get_mut(&network) {
                    *count -= 1;
                    if *count == 0 {
                        self.by_network.remove(&network);
                    }
                }
            }
        }
    }
}

/// The places every lane may take: all but an eighth of the queue (4 of 32), which are kept
/// for known browsers.
fn shared_places(limit: usize) -> usize {
    (limit - limit / 8).max(1)
}

static PLACES: LazyLock<Places> = LazyLock::new(|| Places::new(DEFAULT_QUEUE_LIMIT));

/// Sets how many hashes may wait or run at once (the `HASH_QUEUE_LIMIT` setting).
pub fn set_queue_limit(limit: usize) {
    PLACES.limit.store(limit.max(1), Ordering::Relaxed);
}

pub fn queue_limit() -> usize {
    PLACES.limit.load(Ordering::Relaxed)
}

/// Hashes waiting or running now (for metrics).
pub fn queue_depth() -> usize {
    PLACES.lock().total()
}

fn hash_now(password: &str) -> String {
    Argon2::default()
        .hash_password(password.as_bytes())
        .expect("argon2 with default parameters accepts any password")
        .to_string()
}

/// A malformed stored hash never verifies.
fn verify_now(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Checks a password against a stored PHC string, awaiting the hashing threads.
pub async fn verify_password_async(
    password: String,
    phc: String,
    lane: Lane,
) -> Result<bool, Busy> {
    on_hashing_thread_async(lane, move || verify_now(&password, &phc)).await
}

/// Hashes a password into a PHC string (`$argon2id$v=19$…`) with a fresh random salt, in the
/// staff lane, blocking the calling thread (CLI, blocking-pool code).
pub fn hash_password(password: &str) -> Result<String, Busy> {
    let password = password.to_owned();
    on_hashing_thread_blocking(Lane::Staff, move || hash_now(&password))
}

/// Like [`hash_password`] for anyone's request (an app registering an identity), awaiting a
/// place in the request's `lane`.
pub async fn hash_password_async(password: String, lane: Lane) -> Result<String, Busy> {
    on_hashing_thread_async(lane, move || hash_now(&password)).await
}

/// Like [`verify_password_async`], blocking the calling thread.
pub fn verify_password(password: &str, phc: &str, lane: Lane) -> Result<bool, Busy> {
    let (password, phc) = (password.to_owned(), phc.to_owned());
    on_hashing_thread_blocking(lane, move || verify_now(&password, &phc))
}

/// Threads that run argon2id: half the cores, at least one. Each hash needs 19 MiB; on the
/// blocking pool, every thread that ever hashed kept that memory in its malloc arena, so 64
/// sign-ins left the server at about 2 GiB RSS (bench/RESULTS.md). A few dedicated threads
/// bound that memory and what a burst of sign-ins takes from page requests: not only CPU
/// (the threads also run at a lower priority) but caches and memory bandwidth, which a
/// lower priority does not give back. On 2 cores, two hashing threads let an admin page's
/// p99 grow 6× during 60 concurrent sign-ins, one thread 2.5× (bench/RESULTS.md).
fn hashing_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |cores| (cores.get() / 2).max(1))
}

type Job = Box<dyn FnOnce() + Send>;

/// Jobs waiting for a hashing thread: those in the known browsers' reserved places first,
/// then the others in order.
#[derive(Default)]
struct Jobs {
    known_browsers: VecDeque<Job>,
    others: VecDeque<Job>,
}

impl Jobs {
    fn next(&mut self) -> Option<Job> {
        self.known_browsers
            .pop_front()
            .or_else(|| self.others.pop_front())
    }
}

struct JobQueue {
    jobs: Mutex<Jobs>,
    ready: Condvar,
}

fn job_queue() -> &'static JobQueue {
    static QUEUE: OnceLock<&'static JobQueue> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let queue: &'static JobQueue = Box::leak(Box::new(JobQueue {
            jobs: Mutex::default(),
            ready: Condvar::new(),
        }));
        for index in 0..hashing_threads() {
            std::thread::Builder::new()
                .name(format!("argon2-{index}"))
                .spawn(move || {
                    yield_to_page_requests();
                    loop {
                        // A job that panics loses its own result, not the thread: every
                        // later sign-in would otherwise wait for a thread that is gone.
                        let job = queue.take();
                        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                    }
                })
                .expect("cannot start a password hashing thread");
        }
        queue
    })
}

impl JobQueue {
    fn take(&self) -> Job {
        let mut jobs = self.jobs.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(job) = jobs.next() {
                return job;
            }
            jobs = self
                .ready
                .wait(jobs)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Queues `job` for the place it holds, in `slot`.
    fn submit(&self, slot: Slot, job: Job) {
        let mut jobs = self.jobs.lock().unwrap_or_else(PoisonError::into_inner);
        match slot {
            Slot::Reserved => jobs.known_browsers.push_back(job),
            Slot::Network(_) | Slot::Staff => jobs.others.push_back(job),
        }
        drop(jobs);
        self.ready.notify_one();
    }
}

/// Niceness of the hashing threads: the scheduler gives a waiting page request the core
/// first, while hashes still get whole cores whenever no page is waiting.
const HASHING_NICENESS: libc::c_int = 10;

/// Lowers the calling thread's priority (only that thread's: on Linux `PRIO_PROCESS` with a
/// thread ID applies to that one thread). Failing to do so only costs page latency.
fn yield_to_page_requests() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: both calls only read their integer arguments and touch no memory of ours.
        let result = unsafe {
            let thread_id = libc::gettid();
            libc::setpriority(
                libc::PRIO_PROCESS,
                thread_id as libc::id_t,
                HASHING_NICENESS,
            )
        };
        if result != 0 {
            tracing::warn!(
                error = %std::io::Error::last_os_error(),
                "could not lower the priority of a password hashing thread"
            );
        }
    }
}

impl Places {
    fn new(limit: usize) -> Self {
        Self {
            taken: Mutex::default(),
            limit: AtomicUsize::new(limit),
            freed: tokio::sync::Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Taken> {
        self.taken.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes a place in `lane`, or says why not. The place is given back when the returned
    /// guard is dropped (after the job ran, or if it never does).
    fn try_take(&'static self, lane: Lane) -> Result<Place, Full> {
        let limit = self.limit.load(Ordering::Relaxed);
        let mut taken = self.lock();
        let slot = taken.slot_for(lane, limit)?;
        taken.add(slot);
        Ok(Place { places: self, slot })
    }

    /// Takes a place at once, or says `Busy`.
    fn take(&'static self, lane: Lane) -> Result<Place, Busy> {
        self.try_take(lane).map_err(|_| Busy)
    }

    /// Takes a place; when only the network's share is taken, waits for it in line (at
    /// most [`NETWORK_WAITING`] attempts of a network). `Busy` when the queue is full or
    /// the line is.
    async fn take_in_turn(&'static self, lane: Lane) -> Result<Place, Busy> {
        let mut in_line = None;
        loop {
            // Registered before the check, so a place given back in between is not missed.
            let freed = self.freed.notified();
            match self.try_take(lane) {
                Ok(place) => return Ok(place),
                Err(Full::Queue) => return Err(Busy),
                Err(Full::Share) if in_line.is_none() => in_line = Some(self.line_up(lane)?),
                Err(Full::Share) => {}
            }
            freed.await;
        }
    }

    fn line_up(&'static self, lane: Lane) -> Result<InLine, Busy> {
        let (Lane::Network(network) | Lane::KnownBrowser(network)) = lane else {
            return Err(Busy);
        };
        let mut taken = self.lock();
        let waiting = taken.waiting.entry(network).or_default();
        if *waiting >= NETWORK_WAITING {
            return Err(Busy);
        }
        *waiting += 1;
        Ok(InLine {
            places: self,
            network,
        })
    }
}

struct Place {
    places: &'static Places,
    slot: Slot,
}

impl Drop for Place {
    fn drop(&mut self) {
        self.places.lock().remove(self.slot);
        self.places.freed.notify_waiters();
    }
}

/// An attempt waiting for its network's share; leaves the line when dropped.
struct InLine {
    places: &'static Places,
    network: ClientNetwork,
}

impl Drop for InLine {
    fn drop(&mut self) {
        let mut taken = self.places.lock();
        if let Some(count) = taken.waiting.get_mut(&self.network) {
            *count -= 1;
            if *count == 0 {
                taken.waiting.remove(&self.network);
            }
        }
    }
}

async fn on_hashing_thread_async<T: Send + 'static>(
    lane: Lane,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Busy> {
    let place = PLACES.take_in_turn(lane).await?;
    let (done, result) = tokio::sync::oneshot::channel();
    job_queue().submit(
        place.slot,
        Box::new(move || {
            // The caller gave up (client gone): do not spend 19 MiB and a core on it.
            if done.is_closed() {
                return;
            }
            let value = work();
            // The place is free before the caller hears back: a request it answers next
            // must not find this finished hash still holding it.
            drop(place);
            let _ = done.send(value);
        }),
    );
    Ok(result
        .await
        .expect("a password hashing job ended without a result"))
}

fn on_hashing_thread_blocking<T: Send + 'static>(
    lane: Lane,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Busy> {
    let place = PLACES.take(lane)?;
    let (done, result) = mpsc::sync_channel(1);
    job_queue().submit(
        place.slot,
        Box::new(move || {
            let value = work();
            drop(place);
            let _ = done.send(value);
        }),
    );
    Ok(result
        .recv()
        .expect("a password hashing job ended without a result"))
}

/// A valid hash of a random password, verified against when a username is unknown so that
/// a failed sign-in takes as long whether or not the account exists. Computed once, on the
/// calling thread, outside the queue (call it at start-up to keep it off a request).
pub fn dummy_password_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now(&crate::domain::ids::random_alphanumeric(24)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip_uses_argon2id() {
        let phc = hash_password("correct horse").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &phc, Lane::Staff).unwrap());
        assert!(!verify_password("wrong horse", &phc, Lane::Staff).unwrap());
        assert!(!verify_password("correct horse", "not a phc string", Lane::Staff).unwrap());
    }

    #[test]
    fn awaiting_a_hash_needs_no_blocking_thread() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async {
            let phc = hash_now("battery staple");
            assert!(
                verify_password_async("battery staple".into(), phc, Lane::Staff)
                    .await
                    .unwrap()
            );
        });
    }

    /// A queue of its own: the shared one serves the other tests meanwhile.
    fn queue_of(limit: usize) -> &'static Places {
        Box::leak(Box::new(Places::new(limit)))
    }

    fn network(text: &str) -> Lane {
        Lane::Network(ClientNetwork::of(text.parse().unwrap()))
    }

    fn known_from(text: &str) -> Lane {
        Lane::KnownBrowser(ClientNetwork::of(text.parse().unwrap()))
    }

    #[test]
    fn beyond_the_limit_the_answer_is_busy_at_once() {
        let places = queue_of(3);
        let held: Vec<Place> = ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
            .into_iter()
            .map(|address| places.take(network(address)).unwrap())
            .collect();
        assert_eq!(places.lock().total(), 3);
        assert!(places.take(network("10.0.0.4")).is_err());
        drop(held);
        assert_eq!(places.lock().total(), 0);
        assert!(places.take(network("10.0.0.4")).is_ok());
    }

    #[test]
    fn one_network_holds_at_most_its_share() {
        let places = queue_of(DEFAULT_QUEUE_LIMIT);
        let flood: Vec<Place> = (0..NETWORK_SHARE)
            .map(|_| places.take(network("198.51.100.7")).unwrap())
            .collect();
        assert!(places.take(network("198.51.100.7")).is_err());
        // Another address of the same IPv4 /32 is the same network; another is not.
        assert!(places.take(network("198.51.100.8")).is_ok());
        drop(flood);
        assert!(places.take(network("198.51.100.7")).is_ok());
    }

    #[test]
    fn known_browsers_keep_places_no_other_lane_may_take() {
        let places = queue_of(DEFAULT_QUEUE_LIMIT);
        let shared = shared_places(DEFAULT_QUEUE_LIMIT);
        assert_eq!(shared, 28);
        let held: Vec<Place> = (0..shared)
            .map(|i| {
                places
                    .take(network(&format!("10.0.{}.{}", i / 200, i % 200)))
                    .unwrap()
            })
            .collect();
        assert!(places.take(network("192.0.2.1")).is_err());
        assert!(places.take(Lane::Staff).is_err());
        let known: Vec<Place> = (shared..DEFAULT_QUEUE_LIMIT)
            .map(|_| places.take(known_from("192.0.2.1")).unwrap())
            .collect();
        assert!(known.iter().all(|place| place.slot == Slot::Reserved));
        // Beyond the reserved places a known browser needs its network's share.
        assert!(places.take(known_from("192.0.2.2")).is_err());
        drop((held, known));
        assert_eq!(places.lock().total(), 0);
        assert!(places.lock().by_network.is_empty());
    }

    #[test]
    fn known_browsers_beyond_the_reserved_places_count_as_their_network() {
        let places = queue_of(DEFAULT_QUEUE_LIMIT);
        let reserved: Vec<Place> = (0..4)
            .map(|_| places.take(known_from("192.0.2.5")).unwrap())
            .collect();
        let share: Vec<Place> = (0..NETWORK_SHARE)
            .map(|_| places.take(known_from("192.0.2.5")).unwrap())
            .collect();
        assert!(share.iter().all(|place| place.slot != Slot::Reserved));
        // So one account's browser cannot fill the queue for everybody else.
        assert!(places.take(known_from("192.0.2.5")).is_err());
        assert!(places.take(network("192.0.2.6")).is_ok());
        drop((reserved, share));
    }

    #[test]
    fn known_browsers_jobs_run_first() {
        let mut jobs = Jobs::default();
        let order = std::sync::Arc::new(Mutex::new(Vec::new()));
        for (first, name) in [(false, "staff"), (true, "known")] {
            let order = order.clone();
            let job: Job = Box::new(move || order.lock().unwrap().push(name));
            if first {
                jobs.known_browsers.push_back(job);
            } else {
                jobs.others.push_back(job);
            }
        }
        while let Some(job) = jobs.next() {
            job();
        }
        assert_eq!(*order.lock().unwrap(), ["known", "staff"]);
    }

    #[test]
    fn a_network_beyond_its_share_waits_in_a_short_line() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let places = queue_of(DEFAULT_QUEUE_LIMIT);
            let office = network("192.0.2.10");
            let share: Vec<Place> = (0..NETWORK_SHARE)
                .map(|_| places.take(office).unwrap())
                .collect();
            // Each waiter gives its place back as soon as it has it.
            let waiting: Vec<_> = (0..NETWORK_WAITING)
                .map(|_| tokio::spawn(async move { places.take_in_turn(office).await.is_ok() }))
                .collect();
            tokio::task::yield_now().await;
            let in_line = places.lock().waiting.values().sum::<usize>();
            assert_eq!(in_line, NETWORK_WAITING);
            // The line is full: the next one is turned away at once.
            assert!(places.take_in_turn(office).await.is_err());
            // Another network is not held up by it.
            assert!(places.take(network("192.0.2.99")).is_ok());
            drop(share);
            for handle in waiting {
                assert!(handle.await.unwrap(), "served in turn");
            }
            assert!(places.lock().waiting.is_empty());
            assert_eq!(places.lock().total(), 0);
        });
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn hashing_threads_run_below_the_page_threads_priority() {
        hash_password("any").unwrap();
        let niceness_of = |name: &str| {
            std::fs::read_dir("/proc/self/task")
                .unwrap()
                .filter_map(|task| {
                    let dir = task.ok()?.path();
                    let comm = std::fs::read_to_string(dir.join("comm")).ok()?;
                    (comm.trim() == name).then(|| {
                        // Field 19 of /proc/<pid>/task/<tid>/stat, counted after the ")".
                        let stat = std::fs::read_to_string(dir.join("stat")).unwrap();
                        let after_name = &stat[stat.rfind(')').unwrap() + 2..];
                        after_name
                            .split(' ')
                            .nth(16)
                            .unwrap()
                            .parse::<i32>()
                            .unwrap()
                    })
                })
                .next()
        };
        for index in 0..hashing_threads() {
            assert_eq!(
                niceness_of(&format!("argon2-{index}")),
                Some(HASHING_NICENESS)
            );
        }
    }

    #[test]
    fn places_are_given_back_after_each_hash() {
        let before = queue_depth();
        hash_password("one").unwrap();
        // Other tests may be hashing meanwhile; ours is back.
        assert!(queue_depth() <= before + 1);
    }
}
