//! The process page's timeline: what happened to a process (when, and by whom) and what
//! comes next (with its due time). Steps that can no longer happen are left out: a reminder
//! skipped because a later one was due, the approval deadline of an answered request, the
//! deletion of a cancelled process.

use chrono::{DateTime, Duration, Utc};

use crate::domain::{DeletionProcess, ProcessStatus, ReminderSchedule};
use crate::web::format::{DateView, date};
use crate::web::i18n::{Arg, Lang, key};

/// Where a step stands: happened, the first one still to come, or one after that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Done,
    Next,
    Upcoming,
}

impl StepState {
    /// The CSS class of the step (`step-done`, …).
    pub fn css(self) -> &'static str {
        match self {
            Self::Done => "step-done",
            Self::Next => "step-next",
            Self::Upcoming => "step-upcoming",
        }
    }

    /// The message key of the state's name.
    fn label(self) -> &'static str {
        match self {
            Self::Done => key("process-step-done"),
            Self::Next => key("process-step-next"),
            Self::Upcoming => key("process-step-upcoming"),
        }
    }
}

/// Who took a step: an admin (by username) or the owner (by device ID).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepActor {
    pub label: String,
    pub name: String,
    /// A device ID: never broken in the middle.
    pub is_id: bool,
}

/// One step of the timeline, in the visitor's words.
#[derive(Debug, Clone)]
pub struct Step {
    pub state: StepState,
    /// The state's name ("Done", "Next", "Upcoming").
    pub state_label: String,
    pub what: String,
    /// When it happened, or when it is due.
    pub at: Option<DateView>,
    pub actor: Option<StepActor>,
    pub note: Option<String>,
}

impl Step {
    /// Done steps say so to screen readers only: their time in the past shows it.
    pub fn is_done(&self) -> bool {
        self.state == StepState::Done
    }
}

/// Who acted, before it is put into words.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Actor {
    Admin(String),
    Device(String),
}

/// A step before it is put into words.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Event {
    done: bool,
    /// The message key of what happens.
    what: &'static str,
    /// The reminder's number, for the reminder messages.
    number: Option<usize>,
    at: Option<DateTime<Utc>>,
    actor: Option<Actor>,
    /// The message key of a remark.
    note: Option<&'static str>,
}

impl Event {
    fn done(what: &'static str, at: Option<DateTime<Utc>>) -> Self {
        Self {
            done: true,
            what,
            number: None,
            at,
            actor: None,
            note: None,
        }
    }

    fn pending(what: &'static str, due: Option<DateTime<Utc>>) -> Self {
        Self {
            done: false,
            ..Self::done(what, due)
        }
    }

    /// Happened once `at` has passed, else still to come.
    fn by_time(what: &'static str, at: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        Self {
            done: at <= now,
            ..Self::done(what, Some(at))
        }
    }

    fn by(mut self, actor: Option<Actor>) -> Self {
        self.actor = actor;
        self
    }

    fn noted(mut self, note: &'static str) -> Self {
        self.note = Some(note);
        self
    }

    fn numbered(mut self, number: usize) -> Self {
        self.number = Some(number);
        self
    }
}

fn admin(name: Option<&impl ToString>) -> Option<Actor> {
    name.map(|n| Actor::Admin(n.to_string()))
}

fn device(id: Option<&impl ToString>) -> Option<Actor> {
    id.map(|d| Actor::Device(d.to_string()))
}

/// The timeline of `process` at `now`, in `lang`; finished processes are removed
/// `retention` after they ended.
pub fn timeline(
    process: &DeletionProcess,
    now: DateTime<Utc>,
    lang: Lang,
    retention: Duration,
) -> Vec<Step> {
    let events = events(process, now, retention);
    let next = events.iter().position(|e| !e.done);
    events
        .into_iter()
        .enumerate()
        .map(|(i, event)| {
            let state = match (event.done, Some(i) == next) {
                (true, _) => StepState::Done,
                (false, true) => StepState::Next,
                (false, false) => StepState::Upcoming,
            };
            step(event, state, now, lang)
        })
        .collect()
}

fn step(event: Event, state: StepState, now: DateTime<Utc>, lang: Lang) -> Step {
    let what = match event.number {
        Some(n) => lang.t_args(event.what, &[("n", Arg::from(n as i64))]),
        None => lang.t(event.what),
    };
    // A job's step whose time has come happens when the jobs run next.
    let overdue = !event.done && event.at.is_some_and(|at| at <= now);
    let note = event
        .note
        .or(overdue.then_some(key("process-step-at-next-run")));
    let actor = event.actor.map(|actor| match actor {
        Actor::Admin(name) => StepActor {
            label: lang.t("process-step-by-admin"),
            name,
            is_id: false,
        },
        Actor::Device(name) => StepActor {
            label: lang.t("process-step-by-device"),
            name,
            is_id: true,
        },
    });
    Step {
        state,
        state_label: lang.t(state.label()),
        what,
        at: event.at.map(|at| date(at, now, lang)),
        actor,
        note: note.map(|note| lang.t(note)),
    }
}

/// Every step of the process that happened or can still happen, in order.
fn events(p: &DeletionProcess, now: DateTime<Utc>, retention: Duration) -> Vec<Event> {
    let waiting = p.status == ProcessStatus::WaitingForApproval;
    let mut events = Vec::new();
    // Only support's start opens an approval period; the admin's name may be gone (the
    // column is set to NULL when the account is deleted).
    if p.approval_period_ends_at.is_some() {
        events.push(
            Event::done(key("process-step-started-by-support"), Some(p.created_at))
                .by(admin(p.started_by_admin.as_ref())),
        );
        events.extend(reminders(
            &ReminderSchedule::APPROVAL,
            key("process-step-approval-reminder"),
            p.approval_period_ends_at,
            p.approval_reminders_sent(),
            waiting,
            now,
        ));
        if waiting {
            events.extend(approval_deadline(p, now));
        }
        if p.approved_at.is_some() {
            events.push(
                Event::done(key("process-step-approved"), p.approved_at)
                    .by(device(p.approved_by_device.as_ref())),
            );
        }
    } else {
        events.push(
            Event::done(key("process-step-started-by-owner"), Some(p.created_at))
                .by(device(p.approved_by_device.as_ref())),
        );
    }
    events.extend(answered_or_ended(p, now, retention));
    events
}

/// After the owner's answer: the rejection, or the grace period and the deletion; then a
/// cancellation, and the removal of a finished process.
fn answered_or_ended(p: &DeletionProcess, now: DateTime<Utc>, retention: Duration) -> Vec<Event> {
    let mut events = Vec::new();
    if p.rejected_at.is_some() {
        events.push(
            Event::done(key("process-step-rejected"), p.rejected_at)
                .by(device(p.rejected_by_device.as_ref())),
        );
    }
    if p.approved_at.is_some() {
        let approved = p.status == ProcessStatus::Approved;
        events.extend(reminders(
            &ReminderSchedule::GRACE,
            key("process-step-grace-reminder"),
            p.grace_period_ends_at,
            p.grace_period_reminders_sent(),
            approved,
            now,
        ));
        if approved || p.status == ProcessStatus::Deleting {
            events.extend(deletion(p, now));
        }
    }
    if p.status == ProcessStatus::Cancelled {
        events.push(cancellation(p));
    }
    if let Some(ended) = p.ended_at() {
        events.push(
            Event::pending(key("process-step-removed"), Some(ended + retention))
                .noted(key("process-step-removed-note")),
        );
    }
    events
}

/// The reminders of one period: those sent, and those that can still be sent. Only the
/// latest due reminder is sent (see [`ReminderSchedule`]), so an unsent one can still come
/// only while no later one was sent and the next one is not yet due.
fn reminders(
    schedule: &ReminderSchedule,
    what: &'static str,
    end: Option<DateTime<Utc>>,
    sent: [Option<DateTime<Utc>>; 3],
    running: bool,
    now: DateTime<Utc>,
) -> Vec<Event> {
    let Some(end) = end else {
        return Vec::new();
    };
    let due = schedule
        .days_before_end()
        .map(|days| end - Duration::days(days));
    (0..3)
        .filter_map(|i| {
            if let Some(at) = sent[i] {
                return Some(Event::done(what, Some(at)).numbered(i + 1));
            }
            let later_sent = sent[i + 1..].iter().any(Option::is_some);
            let window_closes = due.get(i + 1).copied().unwrap_or(end);
            (running && !later_sent && now < window_closes)
                .then(|| Event::pending(what, Some(due[i])).numbered(i + 1))
        })
        .collect()
}

/// A request still waiting: the end of the approval period, and once it has passed, the
/// automatic cancellation.
fn approval_deadline(p: &DeletionProcess, now: DateTime<Utc>) -> Vec<Event> {
    let Some(end) = p.approval_period_ends_at else {
        return Vec::new();
    };
    let deadline = Event::by_time(key("process-step-approval-ends"), end, now);
    if deadline.done {
        let cancel = Event::pending(key("process-step-cancelled-automatically"), None)
            .noted(key("process-step-at-next-run"));
        vec![deadline, cancel]
    } else {
        vec![deadline.noted(key("process-step-approval-ends-note"))]
    }
}

/// An approved process: the end of the grace period, the start of the deletion and the
/// deletion of the data (after which the process is gone).
fn deletion(p: &DeletionProcess, now: DateTime<Utc>) -> Vec<Event> {
    let mut events = Vec::new();
    let grace_over = p.grace_period_ends_at.is_none_or(|end| end <= now);
    if let Some(end) = p.grace_period_ends_at {
        events.push(Event::by_time(key("process-step-grace-ends"), end, now));
    }
    let start = key("process-step-deletion-started");
    events.push(match p.deletion_started_at {
        Some(at) => Event::done(start, Some(at)),
        None if grace_over => Event::pending(start, None).noted(key("process-step-at-next-run")),
        None => Event::pending(start, None).noted(key("process-step-after-grace")),
    });
    events.push(
        Event::pending(key("process-step-data-deleted"), None)
            .noted(key("process-step-data-deleted-note")),
    );
    events
}

/// How a cancelled process was cancelled, and by whom.
fn cancellation(p: &DeletionProcess) -> Event {
    let at = p.cancelled_at;
    if p.cancelled_by_device.is_some() {
        Event::done(key("process-step-cancelled-by-owner"), at)
            .by(device(p.cancelled_by_device.as_ref()))
    } else if p.cancelled_by_admin.is_some() || p.approved_at.is_some() {
        // Nobody cancels an approved process automatically: support did, even when its
        // account (and so the name) is gone since.
        Event::done(key("process-step-cancelled-by-support"), at)
            .by(admin(p.cancelled_by_admin.as_ref()))
    } else {
        Event::done(key("process-step-cancelled-automatically"), at)
            .noted(key("process-step-cancelled-automatically-note"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::GraceLength;
    use crate::domain::fixtures::{
        admin as admin_name, approved, device as a_device, identity, t0, waiting,
    };

    const RETENTION: Duration = Duration::days(30);

    /// (message key, reminder number, done) of each step.
    fn outline(
        p: &DeletionProcess,
        now: DateTime<Utc>,
    ) -> Vec<(&'static str, Option<usize>, bool)> {
        events(p, now, RETENTION)
            .into_iter()
            .map(|e| (e.what, e.number, e.done))
            .collect()
    }

    #[test]
    fn a_waiting_request_shows_its_reminders_and_deadline_to_come() {
        let p = waiting(&identity());
        let steps = outline(&p, t0());
        assert_eq!(
            steps,
            [
                ("process-step-started-by-support", None, true),
                ("process-step-approval-reminder", Some(1), false),
                ("process-step-approval-reminder", Some(2), false),
                ("process-step-approval-reminder", Some(3), false),
                ("process-step-approval-ends", None, false),
            ]
        );
        let shown = timeline(&p, t0(), Lang::En, RETENTION);
        let states: Vec<_> = shown.iter().map(|s| s.state).collect();
        assert_eq!(
            states,
            [
                StepState::Done,
                StepState::Next,
                StepState::Upcoming,
                StepState::Upcoming,
                StepState::Upcoming
            ]
        );
        assert_eq!(shown[0].actor.as_ref().unwrap().name, "admin");
    }

    #[test]
    fn a_skipped_reminder_is_left_out_and_a_due_one_waits_for_the_jobs() {
        let mut p = waiting(&identity());
        // Reminder 2 went out; reminder 1 can no longer be sent.
        let end = p.approval_period_ends_at.unwrap();
        let now = end - Duration::days(3);
        p.approval_reminder2_sent_at = Some(now);
        let steps = outline(&p, now);
        assert_eq!(
            steps[1..],
            [
                ("process-step-approval-reminder", Some(2), true),
                ("process-step-approval-reminder", Some(3), false),
                ("process-step-approval-ends", None, false),
            ]
        );
        // Past the deadline: no reminder any more, the automatic cancellation is next.
        let late = end + Duration::hours(1);
        let shown = timeline(&p, late, Lang::En, RETENTION);
        let last = shown.last().unwrap();
        assert_eq!(last.state, StepState::Next);
        assert_eq!(
            last.what,
            Lang::En.t("process-step-cancelled-automatically")
        );
        assert_eq!(last.note, Some(Lang::En.t("process-step-at-next-run")));
        assert_eq!(
            shown.len(),
            4,
            "started, reminder 2, deadline, cancellation"
        );
    }

    #[test]
    fn an_approved_process_leads_to_the_deletion() {
        let mut identity = identity();
        let p = approved(&mut identity);
        let steps = outline(&p, t0());
        assert_eq!(
            steps,
            [
                ("process-step-started-by-support", None, true),
                ("process-step-approved", None, true),
                ("process-step-grace-reminder", Some(1), false),
                ("process-step-grace-reminder", Some(2), false),
                ("process-step-grace-reminder", Some(3), false),
                ("process-step-grace-ends", None, false),
                ("process-step-deletion-started", None, false),
                ("process-step-data-deleted", None, false),
            ]
        );
    }

    #[test]
    fn a_short_grace_period_skips_the_early_reminders() {
        let mut identity = identity();
        let (p, _) = DeletionProcess::initiate_by_owner(
            &mut identity,
            false,
            &a_device(),
            t0(),
            GraceLength::from_days(3).unwrap(),
        )
        .unwrap();
        let steps = outline(&p, t0());
        assert_eq!(steps[0], ("process-step-started-by-owner", None, true));
        assert_eq!(steps[1], ("process-step-grace-reminder", Some(3), false));
        assert_eq!(steps[2].0, "process-step-grace-ends");
    }

    #[test]
    fn a_cancelled_process_says_by_whom_and_when_it_is_removed() {
        let mut identity = identity();
        let mut p = approved(&mut identity);
        let now = t0() + Duration::days(2);
        p.cancel_by_support(&mut identity, &admin_name("sam"), now)
            .unwrap();
        let shown = timeline(&p, now, Lang::En, RETENTION);
        let whats: Vec<_> = shown.iter().map(|s| s.what.as_str()).collect();
        assert_eq!(
            whats,
            [
                Lang::En.t("process-step-started-by-support"),
                Lang::En.t("process-step-approved"),
                Lang::En.t("process-step-cancelled-by-support"),
                Lang::En.t("process-step-removed"),
            ]
        );
        assert_eq!(shown[2].actor.as_ref().unwrap().name, "sam");
        assert_eq!(shown[3].state, StepState::Next);
        assert_eq!(
            shown[3].at.as_ref().unwrap().iso,
            date(now + RETENTION, now, Lang::En).iso
        );
    }

    #[test]
    fn a_deleted_admins_steps_still_read_as_supports() {
        let mut id = identity();
        let mut started = waiting(&id);
        started.started_by_admin = None;
        assert_eq!(
            outline(&started, t0())[0],
            ("process-step-started-by-support", None, true)
        );
        let mut cancelled = approved(&mut id);
        let at = t0() + Duration::days(1);
        cancelled
            .cancel_by_support(&mut id, &admin_name("gone"), at)
            .unwrap();
        cancelled.cancelled_by_admin = None;
        let steps = outline(&cancelled, at);
        assert!(
            steps.contains(&("process-step-cancelled-by-support", None, true)),
            "{steps:?}"
        );
    }
}
