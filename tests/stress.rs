//! Invariant stress: many concurrent browser sessions (admins and owners) doing random
//! transitions over HTTP on a few identities, spread over two app instances on one
//! database, while both instances run the lifecycle jobs and a shared clock moves on by
//! hours to days between rounds (so reminders, automatic cancellations and deletions
//! happen too). Afterwards the database must satisfy every invariant and no response may
//! have been a server error.
//!
//! `STRESS_ROUNDS` makes the run longer (see `scripts/soak.sh`).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration as StdDuration, Instant};

use backbone_admin::clock::{Clock, ManualClock};
use backbone_admin::domain::DomainError;
use backbone_admin::facade::jobs::JobReport;
use backbone_admin::facade::{Core, FacadeError};
use chrono::{Duration, Utc};
use common::app::{TestOwner, create_owner_with, serve_with_clock, test_options};
use common::fresh_database;
use common::invariants::check_invariants;
use common::load::{self, Behaviour, Step};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

const IDENTITIES: usize = 8;
/// Owners of the first identities never answer support (reminders, automatic cancellation)
/// and ask for short deletions themselves (deletions run their course).
const PASSIVE_IDENTITIES: usize = 3;
const OWNERS_PER_IDENTITY: usize = 2;
const ADMINS: usize = 4;
const DEFAULT_ROUNDS: usize = 12;
const STEPS_PER_ROUND: usize = 4;

/// Both instances run the jobs until told to stop; returns the sum of what they did.
fn job_runner(core: Core, stop: Arc<AtomicBool>) -> JobReport {
    let mut total = JobReport::default();
    let mut runs = 0;
    while !stop.load(Ordering::Relaxed) {
        let report = core.jobs().run_jobs().expect("jobs run");
        runs += 1;
        total.approval_reminders_sent += report.approval_reminders_sent;
        total.stale_approvals_cancelled += report.stale_approvals_cancelled;
        total.grace_period_reminders_sent += report.grace_period_reminders_sent;
        total.deletions_started += report.deletions_started;
        total.identities_deleted += report.identities_deleted;
        total.deletion_errors += report.deletion_errors;
        total.finished_processes_removed += report.finished_processes_removed;
        std::thread::sleep(StdDuration::from_millis(20));
    }
    println!("stress: a job runner ran {runs} times: {total}");
    total
}

fn rounds() -> usize {
    std::env::var("STRESS_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_ROUNDS)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_transitions_and_two_job_runners_keep_every_invariant() {
    let started = Instant::now();
    let db = fresh_database();
    let clock = ManualClock::new(Utc::now());
    let simulated_start = clock.now();
    // Every user signs in again after each move of the clock (sessions time out by it);
    // only failed sign-ins are throttled, so that needs no special settings.
    let options = test_options();
    let (a, core) = serve_with_clock(db.pool(8), options.clone(), clock.clone());
    let (b, other_facade) = serve_with_clock(db.pool(8), options, clock.clone());
    let bases = vec![a, b];

    let mut slots: Vec<TestOwner> = (0..IDENTITIES)
        .map(|i| create_owner_with(&core, &format!("owner{i}")))
        .collect();
    let tally = load::tally();
    let owners = (0..IDENTITIES * OWNERS_PER_IDENTITY).map(|i| {
        let slot = i % IDENTITIES;
        let behaviour = if slot < PASSIVE_IDENTITIES {
            Behaviour::PASSIVE
        } else {
            Behaviour::ACTIVE
        };
        (slots[slot].clone(), behaviour)
    });
    let mut users = load::crowd(ADMINS, owners.collect(), &tally);
    let slot_of: Vec<Option<usize>> = (0..ADMINS)
        .map(|_| None)
        .chain((0..IDENTITIES * OWNERS_PER_IDENTITY).map(|i| Some(i % IDENTITIES)))
        .collect();

    let stop = Arc::new(AtomicBool::new(false));
    let runners: Vec<_> = [core.clone(), other_facade]
        .into_iter()
        .map(|f| {
            let stop = stop.clone();
            std::thread::spawn(move || job_runner(f, stop))
        })
        .collect();

    let mut rng = StdRng::seed_from_u64(0x57_2e55);
    let mut recreated = 0;
    let rounds = rounds();
    for _ in 0..rounds {
        clock.advance(Duration::hours(rng.random_range(18..=42)));
        let identities: Vec<String> = slots.iter().map(|o| o.address.to_string()).collect();
        let done = load::run_users(
            users,
            &bases,
            &identities,
            STEPS_PER_ROUND,
            &load::no_stop(),
        )
        .await;
        users = Vec::with_capacity(done.len());
        for ((user, outcomes), slot) in done.into_iter().zip(&slot_of) {
            // An owner refused at sign-in whose identity is gone gets a new identity.
            if let (Some(slot), Some(owner)) = (slot, user.owner())
                && outcomes.contains(&Step::SignInRefused)
                && owner.username == slots[*slot].username
                && matches!(
                    core.identities().identity(&owner.address),
                    Err(FacadeError::Domain(DomainError::RecordNotFound(_)))
                )
            {
                recreated += 1;
                slots[*slot] = create_owner_with(&core, &format!("owner{slot}-{recreated}"));
            }
            users.push(user);
        }
        for (user, slot) in users.iter_mut().zip(&slot_of) {
            if let (Some(slot), Some(owner)) = (slot, user.owner())
                && owner.username != slots[*slot].username
            {
                user.become_owner(slots[*slot].clone());
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    let jobs: Vec<JobReport> = runners
        .into_iter()
        .map(|r| r.join().expect("job runner"))
        .collect();

    let checked = check_invariants(&mut db.connect());
    let tally = tally.lock().unwrap();
    common::report::report(
        "stress",
        &format!(
            "{rounds} rounds, {} users on 2 instances, {:.1} simulated days, \
             {recreated} identities recreated after deletion; {tally}; invariants hold over {checked}; took {:.1?}",
            users.len(),
            (clock.now() - simulated_start).num_hours() as f64 / 24.0,
            started.elapsed()
        ),
    );

    assert!(tally.server_errors.is_empty(), "{:?}", tally.server_errors);
    assert_eq!(tally.count(503), 0, "the database was up all along");
    assert_eq!(tally.transport_errors, 0, "every request was answered");
    // What happens depends on how requests interleave, so only what every run does is
    // required; the counts above show the rest (deletions, support cancellations, …).
    let jobs_did = |f: fn(&JobReport) -> usize| jobs.iter().map(f).sum::<usize>();
    assert!(
        jobs_did(|j| j.approval_reminders_sent + j.grace_period_reminders_sent) > 0,
        "{jobs:?}"
    );
    assert!(
        jobs_did(|j| j.stale_approvals_cancelled + j.identities_deleted) > 0,
        "{jobs:?}"
    );
    for key in [
        "StartedBySupport",
        "StartedByOwner",
        "Approved",
        "CancelledByOwner",
    ] {
        assert!(
            checked.entries_by_key.contains_key(key),
            "some {key}: {checked}"
        );
    }
}
