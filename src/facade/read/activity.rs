//! The dashboard chart's weekly activity (`domain::activity`). A settled week is counted from
//! the audit log once and kept in `weekly_activity`; the weeks still open are counted live.
//! A chart then costs one small read and one count over at most two weeks of entries.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamptz};

use super::FacadeResult;
use crate::domain::MessageKey;
use crate::domain::activity::{ActivityKind, WeekCounts, chart_weeks, is_settled, week_start};
use crate::facade::Statistics;
use crate::schema::weekly_activity;

impl Statistics<'_> {
    /// The counts of the last weeks, oldest first, as of the facade clock's now.
    pub fn weekly_activity(&self) -> FacadeResult<Vec<WeekCounts>> {
        let now = self.core.now();
        let weeks = chart_weeks(now);
        let mut conn = self.core.conn()?;
        let settled: Vec<DateTime<Utc>> = weeks
            .iter()
            .copied()
            .filter(|w| is_settled(*w, now))
            .collect();
        let mut kept = kept_weeks(&mut conn, &settled)?;
        let missing: Vec<DateTime<Utc>> = settled
            .into_iter()
            .filter(|w| !kept.iter().any(|k| k.week == *w))
            .collect();
        for week in missing {
            let counted = count_weeks(&mut conn, week, week + Duration::weeks(1))?;
            keep(&mut conn, &counted)?;
            kept.extend(counted);
        }
        let open_from = weeks
            .iter()
            .copied()
            .find(|w| !is_settled(*w, now))
            .unwrap_or(now);
        let live = self.live_counts(&mut conn, open_from, now)?;
        Ok(weeks
            .into_iter()
            .map(|week| {
                kept.iter()
                    .chain(&live)
                    .find(|counts| counts.week == week)
                    .cloned()
                    .unwrap_or_else(|| WeekCounts::empty(week))
            })
            .collect())
    }
}

impl Statistics<'_> {
    /// The open weeks' counts: from the audit log at most every [`LIVE_FOR`] per instance.
    /// A week of a busy service holds hundreds of thousands of entries (the bench's 1 M
    /// identities: 300,000, 86 ms to count), which every dashboard view would otherwise
    /// count again.
    fn live_counts(
        &self,
        conn: &mut PgConnection,
        open_from: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> QueryResult<Vec<WeekCounts>> {
        self.core.dashboard_counts.open_weeks.get_or(
            now,
            LIVE_FOR,
            |counts| counts.first().is_some_and(|c| c.week == open_from),
            || count_weeks(conn, open_from, now + Duration::weeks(1)),
        )
    }
}

/// How long the open weeks' counts are shown before they are counted again.
pub const LIVE_FOR: Duration = Duration::seconds(30);

/// The kept counts of these weeks (a week is kept whole or not at all).
fn kept_weeks(conn: &mut PgConnection, weeks: &[DateTime<Utc>]) -> QueryResult<Vec<WeekCounts>> {
    let rows: Vec<(DateTime<Utc>, String, i64)> = weekly_activity::table
        .filter(weekly_activity::week.eq_any(weeks))
        .select((
            weekly_activity::week,
            weekly_activity::kind,
            weekly_activity::count,
        ))
        .load(conn)?;
    let mut kept: Vec<WeekCounts> = Vec::new();
    for (week, kind, count) in rows {
        let Ok(kind) = ActivityKind::parse(&kind) else {
            continue;
        };
        match kept.iter_mut().find(|k| k.week == week) {
            Some(counts) => counts.set(kind, count),
            None => {
                let mut counts = WeekCounts::empty(week);
                counts.set(kind, count);
                kept.push(counts);
            }
        }
    }
    Ok(kept)
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = Timestamptz)]
    week: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    message_key: MessageKey,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Counts the chart's entries from `from` up to `until`, by week. The keys are written into
/// the statement (they are the enum's own names), so that PostgreSQL can use the partial
/// index `audit_log_activity_idx`, whose condition names them.
fn count_weeks(
    conn: &mut PgConnection,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> QueryResult<Vec<WeekCounts>> {
    let keys = ActivityKind::message_keys()
        .iter()
        .map(|key| format!("'{key}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let rows: Vec<Counted> = diesel::sql_query(format!(
        "SELECT date_trunc('week', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS week, \
         message_key, count(*) AS n \
         FROM identity_deletion_process_audit_log \
         WHERE created_at >= $1 AND created_at < $2 AND message_key IN ({keys}) \
         GROUP BY 1, 2"
    ))
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(until)
    .load(conn)?;
    let mut weeks: Vec<WeekCounts> = Vec::new();
    let mut start = week_start(from);
    while start < until {
        weeks.push(WeekCounts::empty(start));
        start += Duration::weeks(1);
    }
    for row in rows {
        if let Some(counts) = weeks.iter_mut().find(|w| w.week == row.week) {
            counts.add(row.message_key, row.n);
        }
    }
    Ok(weeks)
}

/// Keeps settled weeks' counts; a week another request kept first stays as it was.
fn keep(conn: &mut PgConnection, weeks: &[WeekCounts]) -> QueryResult<()> {
    let rows: Vec<_> = weeks
        .iter()
        .flat_map(|w| {
            ActivityKind::ALL.iter().map(move |kind| {
                (
                    weekly_activity::week.eq(w.week),
                    weekly_activity::kind.eq(kind.as_str()),
                    weekly_activity::count.eq(w.count(*kind)),
                )
            })
        })
        .collect();
    diesel::insert_into(weekly_activity::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(())
}
