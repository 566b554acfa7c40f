//! Registration challenges: the server hands out an ID that lives ten minutes; the app signs
//! a JSON text naming it with the new identity's key.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use crate::domain::DomainError;
use crate::domain::ids::ChallengeId;

/// How long a challenge may be used.
pub const CHALLENGE_LIFETIME: Duration = Duration::minutes(10);

/// What the signed challenge text says (other fields, such as `type`, are not needed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeContent {
    pub id: ChallengeId,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Text {
    id: String,
    expires_at: Option<String>,
}

impl ChallengeContent {
    /// Reads the challenge text (only once its signature was verified).
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        const PROPERTY: &str = "signedChallenge.challenge";
        let json: Text = serde_json::from_str(text).map_err(|_| {
            DomainError::invalid(PROPERTY, "must be a JSON object with the challenge's id")
        })?;
        let expires_at = match json.expires_at {
            Some(at) => Some(
                DateTime::parse_from_rfc3339(&at)
                    .map_err(|_| DomainError::invalid(PROPERTY, "expiresAt is not a date"))?
                    .with_timezone(&Utc),
            ),
            None => None,
        };
        Ok(Self {
            id: ChallengeId::parse(&json.id)?,
            expires_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_librarys_challenge_text_is_read() {
        let content = ChallengeContent::parse(
            r#"{"id":"CHLabcdefghij0123456","expiresAt":"2026-12-06T01:44:50.016Z","type":"Identity"}"#,
        )
        .unwrap();
        assert_eq!(content.id.as_str(), "CHLabcdefghij0123456");
        assert_eq!(
            content.expires_at.unwrap().to_rfc3339(),
            "2026-12-06T01:44:50.016+00:00"
        );
    }

    #[test]
    fn anything_else_is_invalid_input() {
        for bad in [
            "",
            "[]",
            r#"{"id": 5}"#,
            r#"{"id":"IDPabcdefghij0123456"}"#,
            r#"{"id":"CHLabcdefghij0123456","expiresAt":"yesterday"}"#,
        ] {
            assert_eq!(
                ChallengeContent::parse(bad).unwrap_err().http_status(),
                400,
                "{bad}"
            );
        }
    }
}
