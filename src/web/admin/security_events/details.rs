//! The details of a security event in words: each stored key ("knownBrowser",
//! "waitSeconds") becomes a phrase in the visitor's language ("known browser", "waited
//! 30 s"). The facade stores only rule names, roles, counts and key prefixes there.

use serde_json::{Map, Value};

use super::kind_key;
use crate::domain::accounts::{Role, SecurityEventKind};
use crate::web::admin::accounts::role_key;
use crate::web::i18n::{Arg, Lang, key};

/// The change a password or code was asked for again (`during`).
const DURING: &[(&str, &str)] = &[
    (
        "changePassword",
        key("events-detail-during-change-password"),
    ),
    (
        "turnOffSecondFactor",
        key("events-detail-during-turn-off-second-factor"),
    ),
];

/// The throttling rule that held an attempt back (`rule`, `ThrottleRule::as_str`).
const RULES: &[(&str, &str)] = &[
    (
        "username_and_network",
        key("events-detail-rule-username-and-network"),
    ),
    ("network", key("events-detail-rule-network")),
    (
        "username_from_unknown_browsers",
        key("events-detail-rule-username-from-unknown-browsers"),
    ),
    ("known_browser", key("events-detail-rule-known-browser")),
];

/// Where an account or key was made (`via`).
const VIA: &[(&str, &str)] = &[
    ("command line", key("events-detail-via-command-line")),
    ("account page", key("events-detail-via-account-page")),
];

/// Why an API request was refused (`reason`, `KeyRefusal::as_str`).
const REFUSALS: &[(&str, &str)] = &[
    ("no key", key("events-detail-refused-no-key")),
    ("unknown key", key("events-detail-refused-unknown-key")),
    ("revoked key", key("events-detail-refused-revoked-key")),
    ("expired key", key("events-detail-refused-expired-key")),
    (
        "account disabled",
        key("events-detail-refused-account-disabled"),
    ),
];

/// Counts, each with the message that says it (`$n`, plural by `$count`).
const COUNTS: &[(&str, &str)] = &[
    ("waitSeconds", key("events-detail-waited")),
    ("sessions", key("events-detail-sessions")),
    ("recoveryCodes", key("events-detail-recovery-codes")),
    ("remaining", key("events-detail-remaining")),
    ("expiresInDays", key("events-detail-expires-in-days")),
];

/// The details as phrases, in stored order; a key this page does not know is shown as it
/// is stored rather than dropped.
pub(super) fn phrases(details: &Value, lang: Lang) -> Vec<String> {
    let Some(all) = details.as_object() else {
        return Vec::new();
    };
    all.iter()
        // "to" is said together with "from".
        .filter(|(name, _)| !(name.as_str() == "to" && all.contains_key("from")))
        .map(|(name, value)| phrase(name, value, all, lang).unwrap_or_else(|| raw(name, value)))
        .filter(|phrase| !phrase.is_empty())
        .collect()
}

/// One key in words (`None`: not a key or value this page knows).
fn phrase(name: &str, value: &Value, all: &Map<String, Value>, lang: Lang) -> Option<String> {
    if let Some((_, message)) = COUNTS.iter().find(|(known, _)| *known == name) {
        return Some(lang.count(message, value.as_i64()?));
    }
    let text = || value.as_str();
    match name {
        "knownBrowser" => Some(lang.t(if value.as_bool()? {
            key("events-detail-known-browser")
        } else {
            key("events-detail-new-browser")
        })),
        "during" => looked_up(DURING, text()?, lang),
        "rule" => looked_up(RULES, text()?, lang),
        "via" => looked_up(VIA, text()?, lang),
        "reason" => looked_up(REFUSALS, text()?, lang),
        "because" => because(text()?, lang),
        "role" => Some(lang.t_args("events-detail-role", &[("role", role(text()?)?)])),
        "from" => from_to(text()?, all.get("to").and_then(Value::as_str), lang),
        "to" => Some(lang.t_args("events-detail-role", &[("role", role(text()?)?)])),
        "key" => Some(lang.t_args("events-detail-key", &[("prefix", Arg::from(text()?))])),
        "name" => Some(lang.t_args("events-detail-name", &[("name", Arg::from(text()?))])),
        _ => None,
    }
}

fn looked_up(table: &[(&str, &'static str)], stored: &str, lang: Lang) -> Option<String> {
    table
        .iter()
        .find(|(known, _)| *known == stored)
        .map(|(_, message)| lang.t(message))
}

/// Why sessions ended: the change that ended them, or too many wrong answers.
fn because(stored: &str, lang: Lang) -> Option<String> {
    if stored == "wrongAnswers" {
        return Some(lang.t("events-detail-wrong-answers"));
    }
    let kind = SecurityEventKind::parse(stored)?;
    Some(lang.t_args(
        "events-detail-because",
        &[("change", Arg::Key(kind_key(kind)))],
    ))
}

fn role(stored: &str) -> Option<Arg> {
    Role::parse(stored).map(|role| Arg::Key(role_key(role)))
}

/// A role change: "from support to administrator".
fn from_to(from: &str, to: Option<&str>, lang: Lang) -> Option<String> {
    Some(lang.t_args(
        "events-detail-from-to",
        &[("from", role(from)?), ("to", role(to?)?)],
    ))
}

/// A key or value this page has no words for, as stored.
fn raw(name: &str, value: &Value) -> String {
    match value {
        Value::String(text) if text.is_empty() => String::new(),
        Value::String(text) => format!("{name}: {text}"),
        Value::Null => String::new(),
        other => format!("{name}: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::KeyRefusal;
    use crate::domain::accounts::throttle::ThrottleRule;
    use serde_json::json;

    fn en(details: Value) -> Vec<String> {
        phrases(&details, Lang::En)
    }

    #[test]
    fn sign_in_details_in_words() {
        assert_eq!(en(json!({ "knownBrowser": true })), ["known browser"]);
        assert_eq!(
            phrases(&json!({ "knownBrowser": false }), Lang::De),
            ["bisher unbekannter Browser"]
        );
        assert_eq!(
            en(json!({ "rule": "network", "waitSeconds": 30 })),
            ["too many failures from this network", "waited 30 s"]
        );
        assert_eq!(
            phrases(&json!({ "waitSeconds": 1200 }), Lang::De),
            ["Wartezeit 1.200 s"]
        );
    }

    #[test]
    fn account_changes_in_words() {
        assert_eq!(
            en(json!({ "from": "support", "to": "administrator" })),
            ["from support to administrator"]
        );
        assert_eq!(
            phrases(
                &json!({ "role": "auditor", "via": "command line" }),
                Lang::De
            ),
            ["Rolle: Auditor", "über die Kommandozeile"]
        );
        assert_eq!(
            en(json!({ "sessions": 1, "because": "PasswordChanged" })),
            ["reason: Password changed", "1 session ended"]
        );
        assert_eq!(
            en(json!({ "because": "wrongAnswers" })),
            ["too many wrong answers"]
        );
    }

    #[test]
    fn every_rule_and_refusal_the_domain_stores_has_words() {
        let rules = [
            ThrottleRule::UsernameAndNetwork,
            ThrottleRule::Network,
            ThrottleRule::UsernameFromUnknownBrowsers,
            ThrottleRule::KnownBrowser,
        ];
        for rule in rules {
            assert!(
                looked_up(RULES, rule.as_str(), Lang::En).is_some(),
                "{rule:?}"
            );
        }
        let refusals = [
            KeyRefusal::Missing,
            KeyRefusal::Unknown,
            KeyRefusal::Revoked,
            KeyRefusal::Expired,
            KeyRefusal::AccountDisabled,
        ];
        for refusal in refusals {
            assert!(
                looked_up(REFUSALS, refusal.as_str(), Lang::En).is_some(),
                "{refusal:?}"
            );
        }
        for kind in SecurityEventKind::ALL {
            assert!(because(kind.as_str(), Lang::De).is_some());
        }
    }

    #[test]
    fn unknown_keys_stay_readable_and_empty_ones_go() {
        assert_eq!(
            en(json!({ "odd": 3, "blank": "", "none": null })),
            ["odd: 3"]
        );
        assert!(en(json!("not an object")).is_empty());
        assert_eq!(en(json!({ "rule": "brand-new" })), ["rule: brand-new"]);
    }
}
