//! Dates as people read them, with the exact ISO value kept for `<time datetime>`.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateView {
    /// RFC 3339, for `datetime` and `title` attributes.
    pub iso: String,
    /// "24 Dec 2026, 18:00 UTC".
    pub text: String,
    /// "in 13 days", "2 hours ago".
    pub relative: String,
}

pub fn date(at: DateTime<Utc>, now: DateTime<Utc>) -> DateView {
    DateView {
        iso: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        text: at.format("%-d %b %Y, %H:%M UTC").to_string(),
        relative: relative(at, now),
    }
}

pub fn opt_date(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<DateView> {
    at.map(|at| date(at, now))
}

/// The day only, for sentences ("on 24 Dec 2026").
pub fn day(at: DateTime<Utc>) -> String {
    at.format("%-d %B %Y").to_string()
}

/// A key to type by hand, in groups of four characters (`ABCD EFGH IJ`).
pub fn in_fours(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

fn relative(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    // Rounded to the second: stored times lose their nanoseconds, and "14 days minus a
    // nanosecond" should not read "in 13 days".
    let seconds = ((at - now).num_milliseconds() as f64 / 1000.0).round() as i64;
    let magnitude = seconds.unsigned_abs();
    let (amount, unit) = match magnitude {
        0..60 => return "just now".to_owned(),
        60..3_600 => (magnitude / 60, "minute"),
        3_600..86_400 => (magnitude / 3_600, "hour"),
        _ => (magnitude / 86_400, "day"),
    };
    let plural = if amount == 1 { "" } else { "s" };
    if seconds > 0 {
        format!("in {amount} {unit}{plural}")
    } else {
        format!("{amount} {unit}{plural} ago")
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn keys_are_shown_in_fours() {
        assert_eq!(super::in_fours("ABCDEFGHIJ"), "ABCD EFGH IJ");
        assert_eq!(super::in_fours("ABCD"), "ABCD");
        assert_eq!(super::in_fours(""), "");
    }

    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn formats_dates_for_people() {
        let now = Utc.with_ymd_and_hms(2026, 12, 10, 18, 0, 0).unwrap();
        let view = date(now + Duration::days(14), now);
        assert_eq!(view.iso, "2026-12-24T18:00:00Z");
        assert_eq!(view.text, "24 Dec 2026, 18:00 UTC");
        assert_eq!(view.relative, "in 14 days");
        assert_eq!(date(now - Duration::hours(2), now).relative, "2 hours ago");
        assert_eq!(
            date(now + Duration::minutes(1), now).relative,
            "in 1 minute"
        );
        assert_eq!(date(now, now).relative, "just now");
        let stored = now + Duration::days(14) - Duration::nanoseconds(500);
        assert_eq!(date(stored, now).relative, "in 14 days");
        assert_eq!(day(now), "10 December 2026");
    }
}
