//! The two languages of every page. Words live in Fluent message files
//! (`locales/<lang>/*.ftl`); Rust code and templates name only their keys.
//!
//! A visitor's language is, in this order: their own choice (the switch in every page's
//! header, kept in the `lang` cookie), the browser's `Accept-Language`, then English.

use std::borrow::Cow;
use std::collections::HashMap;

use actix_web::HttpRequest;
use actix_web::http::header::{AcceptLanguage, Header, Quality};
use chrono::{DateTime, Datelike, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};

static_loader! {
    static MESSAGES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: the pages are left-to-right only.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The cookie that keeps a visitor's own choice.
pub const LANG_COOKIE: &str = "lang";

static ENGLISH: LanguageIdentifier = langid!("en");
static GERMAN: LanguageIdentifier = langid!("de");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    De,
}

use crate::domain::error::ErrorReport;
/// One argument of a message (the domain's error reports carry them too).
pub use crate::domain::error::MessageArg as Arg;
pub use crate::domain::error::key;

/// A whole number a template may hand over as it has it (`u16`, `&i64`, `&&usize`).
pub trait Count {
    fn count(&self) -> i64;
}

macro_rules! count_of {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn count(&self) -> i64 {
                i64::try_from(*self).unwrap_or(i64::MAX)
            }
        }
    )*};
}

count_of!(i64, i32, u8, u16, u32, u64, usize);

impl<T: Count + ?Sized> Count for &T {
    fn count(&self) -> i64 {
        (**self).count()
    }
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];

    /// The BCP 47 code, for `<html lang>` and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
        }
    }

    /// `en`, `de`, or a tag whose primary language is one of them (`de-AT`).
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.trim();
        Self::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(primary))
    }

    /// The visitor's language: the cookie, then `Accept-Language`, then English.
    pub fn of_request(req: &HttpRequest) -> Lang {
        if let Some(lang) = req
            .cookie(LANG_COOKIE)
            .and_then(|cookie| Self::parse(cookie.value()))
        {
            return lang;
        }
        AcceptLanguage::parse(req)
            .ok()
            .and_then(|accepted| {
                // `q=0` means "not this one" (RFC 9110); the sort is stable, so equal
                // weights keep the order the browser listed them in.
                let mut wanted: Vec<_> = accepted
                    .0
                    .into_iter()
                    .filter(|item| item.quality > Quality::ZERO)
                    .collect();
                wanted.sort_by_key(|item| std::cmp::Reverse(item.quality));
                wanted
                    .iter()
                    .find_map(|item| Self::parse(&item.item.to_string()))
            })
            .unwrap_or_default()
    }

    /// The other language: the one the header's switch offers.
    pub fn other(self) -> Lang {
        match self {
            Self::En => Self::De,
            Self::De => Self::En,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Self::En => &ENGLISH,
            Self::De => &GERMAN,
        }
    }

    /// The message `key` in this language.
    pub fn t(self, key: &str) -> String {
        self.t_args(key, &[])
    }

    /// The message `key` with its arguments. A key missing from this language falls back
    /// to English, then to the key itself (`tests/i18n.rs` keeps both files complete).
    pub fn t_args(self, key: &str, args: &[(&'static str, Arg)]) -> String {
        let values: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(name, arg)| (Cow::Borrowed(*name), self.value(arg)))
            .collect();
        let args = (!values.is_empty()).then_some(&values);
        MESSAGES
            .try_lookup_complete(self.id(), key, args)
            .unwrap_or_else(|| {
                tracing::warn!(key, lang = self.code(), "message missing");
                key.to_owned()
            })
    }

    /// A refusal's or failure's words (the message file's key comes from its code).
    pub fn report(self, report: &ErrorReport) -> String {
        self.t_args(&report.message_key(), &report.args)
    }

    fn value(self, arg: &Arg) -> FluentValue<'static> {
        match arg {
            Arg::Text(text) => FluentValue::from(text.clone()),
            Arg::Number(number) => FluentValue::from(*number),
            Arg::Key(key) => FluentValue::from(self.t(key)),
            Arg::Reason { english, .. } if self == Lang::En => FluentValue::from(english.clone()),
            Arg::Reason { key, args, .. } => FluentValue::from(self.t_args(key, args)),
        }
    }

    /// A count, with the message's plural chosen by `$count` and the number written the
    /// local way as `$n` ("1,234" / "1.234").
    pub fn count(self, key: &str, count: i64) -> String {
        self.t_args(
            key,
            &[
                ("count", Arg::Number(count)),
                ("n", Arg::Text(self.number(count))),
            ],
        )
    }

    /// A whole number with the local thousands separator.
    pub fn number(self, number: i64) -> String {
        let separator = match self {
            Self::En => ',',
            Self::De => '.',
        };
        let digits = number.unsigned_abs().to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if number < 0 {
            grouped.push('-');
        }
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(separator);
            }
            grouped.push(digit);
        }
        grouped
    }

    /// "6 December 2026, 14:05 UTC" / "6. Dezember 2026, 14:05 UTC".
    pub fn date_time(self, at: DateTime<Utc>) -> String {
        self.t_args(
            "date-time",
            &[
                ("date", Arg::Text(self.day(at))),
                ("time", Arg::Text(at.format("%H:%M").to_string())),
            ],
        )
    }

    /// "6 December 2026" / "6. Dezember 2026".
    pub fn day(self, at: DateTime<Utc>) -> String {
        self.t_args(
            "date-day",
            &[
                ("day", Arg::Number(i64::from(at.day()))),
                ("month", Arg::Key(MONTHS[at.month0() as usize])),
                ("year", Arg::Number(i64::from(at.year()))),
            ],
        )
    }

    /// "14 Sep" / "14. Sep.": a week's first day on the dashboard chart.
    pub fn short_day(self, at: impl Datelike) -> String {
        self.t_args(
            "date-short-day",
            &[
                ("day", Arg::Number(i64::from(at.day()))),
                ("month", Arg::Key(SHORT_MONTHS[at.month0() as usize])),
            ],
        )
    }
}

const MONTHS: [&str; 12] = [
    "month-1", "month-2", "month-3", "month-4", "month-5", "month-6", "month-7", "month-8",
    "month-9", "month-10", "month-11", "month-12",
];

const SHORT_MONTHS: [&str; 12] = [
    "month-short-1",
    "month-short-2",
    "month-short-3",
    "month-short-4",
    "month-short-5",
    "month-short-6",
    "month-short-7",
    "month-short-8",
    "month-short-9",
    "month-short-10",
    "month-short-11",
    "month-short-12",
];

/// Every key Rust code names without a literal at the call site (the completeness test
/// checks these as well as the literals it finds).
pub fn computed_keys() -> impl Iterator<Item = &'static str> {
    MONTHS.into_iter().chain(SHORT_MONTHS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_language_refused_with_q_0_is_not_picked() {
        let asking = |header: &str| {
            let req = actix_web::test::TestRequest::default()
                .insert_header(("accept-language", header))
                .to_http_request();
            Lang::of_request(&req)
        };
        assert_eq!(asking("fr, de;q=0"), Lang::En);
        assert_eq!(asking("fr;q=1, de-AT;q=0.8, en;q=0.5"), Lang::De);
        assert_eq!(asking("en;q=0.5, de;q=0.5"), Lang::En);
    }

    #[test]
    fn tags_pick_a_language() {
        assert_eq!(Lang::parse("de-AT"), Some(Lang::De));
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn dates_and_numbers_are_written_the_local_way() {
        let at = Utc.with_ymd_and_hms(2026, 12, 6, 14, 5, 0).unwrap();
        assert_eq!(Lang::En.date_time(at), "6 December 2026, 14:05 UTC");
        assert_eq!(Lang::De.date_time(at), "6. Dezember 2026, 14:05 UTC");
        assert_eq!(Lang::En.number(1_234_567), "1,234,567");
        assert_eq!(Lang::De.number(-1_000), "-1.000");
        assert_eq!(Lang::De.number(999), "999");
    }

    #[test]
    fn plurals_follow_the_count() {
        assert_eq!(Lang::De.count("relative-in-days", 1), "in 1 Tag");
        assert_eq!(Lang::De.count("relative-in-days", 3), "in 3 Tagen");
        assert_eq!(Lang::En.count("relative-in-days", 1), "in 1 day");
    }
}
