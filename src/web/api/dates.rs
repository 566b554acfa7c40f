//! Dates on the wire: ISO 8601 in UTC with milliseconds and `Z`
//! (`2026-12-06T01:44:50.016Z`), the form the platform's client parses.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serializer;

pub fn format(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `#[serde(serialize_with = "dates::iso")]`
pub fn iso<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format(at))
}

/// `#[serde(serialize_with = "dates::iso_or_null")]`: `null` where the date is unset.
pub fn iso_or_null<S: Serializer>(
    at: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => iso(at, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    #[test]
    fn milliseconds_and_zulu() {
        let at = chrono::Utc
            .timestamp_millis_opt(1_796_521_490_016)
            .single()
            .expect("valid");
        assert_eq!(super::format(&at), "2026-12-06T01:44:50.016Z");
        let whole = chrono::Utc
            .timestamp_opt(1_796_521_490, 0)
            .single()
            .expect("valid");
        assert_eq!(super::format(&whole), "2026-12-06T01:44:50.000Z");
    }
}
