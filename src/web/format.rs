//! Dates as people read them, with the exact ISO value kept for `<time datetime>`.

use chrono::{DateTime, Utc};

use super::i18n::{Lang, key};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateView {
    /// RFC 3339, for `datetime` and `title` attributes.
    pub iso: String,
    /// "24 December 2026, 18:00 UTC" / "24. Dezember 2026, 18:00 UTC".
    pub text: String,
    /// "in 13 days", "2 hours ago".
    pub relative: String,
}

pub fn date(at: DateTime<Utc>, now: DateTime<Utc>, lang: Lang) -> DateView {
    DateView {
        iso: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        text: lang.date_time(at),
        relative: relative(at, now, lang),
    }
}

pub fn opt_date(at: Option<DateTime<Utc>>, now: DateTime<Utc>, lang: Lang) -> Option<DateView> {
    at.map(|at| date(at, now, lang))
}

/// The day only, for sentences ("on 24 December 2026").
pub fn day(at: DateTime<Utc>, lang: Lang) -> String {
    lang.day(at)
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

fn relative(at: DateTime<Utc>, now: DateTime<Utc>, lang: Lang) -> String {
    // Rounded to the second: stored times lose their nanoseconds, and "14 days minus a
    // nanosecond" should not read "in 13 days".
    let seconds = ((at - now).num_milliseconds() as f64 / 1000.0).round() as i64;
    let magnitude = seconds.unsigned_abs();
    let future = seconds > 0;
    let (amount, key) = match magnitude {
        0..60 => return lang.t("relative-now"),
        60..3_600 => (
            magnitude / 60,
            if future {
                key("relative-in-minutes")
            } else {
                key("relative-minutes-ago")
            },
        ),
        3_600..86_400 => (
            magnitude / 3_600,
            if future {
                key("relative-in-hours")
            } else {
                key("relative-hours-ago")
            },
        ),
        _ => (
            magnitude / 86_400,
            if future {
                key("relative-in-days")
            } else {
                key("relative-days-ago")
            },
        ),
    };
    lang.count(key, i64::try_from(amount).unwrap_or(i64::MAX))
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
        let en = Lang::En;
        let view = date(now + Duration::days(14), now, en);
        assert_eq!(view.iso, "2026-12-24T18:00:00Z");
        assert_eq!(view.text, "24 December 2026, 18:00 UTC");
        assert_eq!(view.relative, "in 14 days");
        assert_eq!(
            date(now - Duration::hours(2), now, en).relative,
            "2 hours ago"
        );
        assert_eq!(
            date(now + Duration::minutes(1), now, en).relative,
            "in 1 minute"
        );
        assert_eq!(date(now, now, en).relative, "just now");
        let stored = now + Duration::days(14) - Duration::nanoseconds(500);
        assert_eq!(date(stored, now, en).relative, "in 14 days");
        assert_eq!(day(now, en), "10 December 2026");
        let de = date(now - Duration::hours(1), now, Lang::De);
        assert_eq!(de.text, "10. Dezember 2026, 17:00 UTC");
        assert_eq!(de.relative, "vor 1 Stunde");
    }
}
