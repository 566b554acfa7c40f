//! The domain's failures, each with a stable code, a human message and an HTTP status
//! (listed in `docs/domain.md`, generated from [`DomainError::examples`]).

use super::status::ProcessStatus;

/// A failure as people and clients are told about it: its stable code, the words a page
/// shows (and a JSON API's error body), the HTTP status, and how long to wait before trying
/// again when that is known. Every error type below `web/` has a `report()`: the one mapping
/// from an error to words; pages and APIs only render it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorReport {
    pub code: &'static str,
    pub message: String,
    pub status: u16,
    /// Seconds for `Retry-After`.
    pub retry_after: Option<u32>,
    /// The message's arguments, for pages that say it in the visitor's language (the
    /// message file's key is derived from the code: [`ErrorReport::message_key`]).
    pub args: Vec<(&'static str, MessageArg)>,
}

/// One argument of a message: text, a number (which also picks a plural form), or the key
/// of another message, said in the same language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageArg {
    Text(String),
    Number(i64),
    Key(&'static str),
    /// A refusal's reason: in English the words the APIs send (`english`), in another
    /// language the message `key` with its arguments.
    Reason {
        english: String,
        key: &'static str,
        args: Vec<(&'static str, MessageArg)>,
    },
}

/// Why a value was refused: the English words the JSON APIs send, and, where the message
/// files have one, the message a page says it with in the visitor's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    text: String,
    message: Option<(&'static str, Vec<(&'static str, MessageArg)>)>,
}

impl Reason {
    /// A reason in the message files' words: `key` with `args`; `text` is the English.
    pub fn said(
        key: &'static str,
        args: Vec<(&'static str, MessageArg)>,
        text: impl Into<String>,
    ) -> Self {
        Self {
            text: text.into(),
            message: Some((key, args)),
        }
    }

    /// The reason as an argument of a page's message.
    pub fn as_arg(&self) -> MessageArg {
        match &self.message {
            Some((key, args)) => MessageArg::Reason {
                english: self.text.clone(),
                key,
                args: args.clone(),
            },
            None => MessageArg::Text(self.text.clone()),
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<String> for Reason {
    fn from(text: String) -> Self {
        Self {
            text,
            message: None,
        }
    }
}

impl From<&str> for Reason {
    fn from(text: &str) -> Self {
        text.to_owned().into()
    }
}

impl From<&str> for MessageArg {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for MessageArg {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<i64> for MessageArg {
    fn from(number: i64) -> Self {
        Self::Number(number)
    }
}

impl ErrorReport {
    pub fn new(code: &'static str, message: impl Into<String>, status: u16) -> Self {
        Self {
            code,
            message: message.into(),
            status,
            retry_after: None,
            args: Vec::new(),
        }
    }

    /// The same report with one more argument for its translated message.
    pub fn with(mut self, name: &'static str, value: impl Into<MessageArg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// The key of this report's message in the message files: the code with `-` for `.`
    /// (`error.platform.busy` → `error-platform-busy`).
    pub fn message_key(&self) -> String {
        message_key(self.code)
    }

    /// The same report, asking to try again in `seconds` (at least one).
    pub fn retry_after(self, seconds: u32) -> Self {
        Self {
            retry_after: Some(seconds.max(1)),
            ..self
        }
    }
}

/// Marks a message key that code keeps for later (a table, a match arm, a closure's
/// argument), so that the completeness test (`tests/i18n.rs`) finds it:
/// `key("reason-address-hex")`.
pub const fn key(key: &'static str) -> &'static str {
    key
}

/// The message-file key for an error code.
pub fn message_key(code: &str) -> String {
    code.replace('.', "-")
}

/// A record's kind as a message key, where the message files know it.
fn record_key(what: &str) -> MessageArg {
    match what {
        "identity" => MessageArg::Key("record-identity"),
        "device" => MessageArg::Key("record-device"),
        "admin account" => MessageArg::Key("record-admin-account"),
        "enabled admin account" => MessageArg::Key("record-enabled-admin-account"),
        "API key" => MessageArg::Key("record-api-key"),
        "client" => MessageArg::Key("record-client"),
        "deletion receipt" => MessageArg::Key("record-deletion-receipt"),
        other => MessageArg::Text(other.to_owned()),
    }
}

/// A property's name as the message files say it, where they know it.
fn property_words(property: &str) -> MessageArg {
    match property {
        "identity address" => MessageArg::Key("property-identity-address"),
        "username" => MessageArg::Key("property-username"),
        "grace period" => MessageArg::Key("property-grace-period"),
        other => MessageArg::Text(other.to_owned()),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error(
        "There is already an active IdentityDeletionProcess for this identity. \
         Only one can be open at a time."
    )]
    ActiveProcessAlreadyExists,
    #[error("There is no IdentityDeletionProcess waiting for a decision.")]
    NoWaitingForApprovalProcess,
    #[error("There is no approved IdentityDeletionProcess.")]
    NoApprovedProcess,
    #[error("There is no active IdentityDeletionProcess.")]
    NoActiveProcess,
    #[error("The grace period has already expired; the deletion can no longer be cancelled.")]
    GracePeriodHasAlreadyExpired,
    #[error("The IdentityDeletionProcess must be in status {required}, but it is {actual}.")]
    NotInRequiredStatus {
        required: ProcessStatus,
        actual: ProcessStatus,
    },
    #[error("The {0} was not found.")]
    RecordNotFound(&'static str),
    /// The owner made too many transitions within an hour (`owner_limit`).
    #[error(
        "You have made {limit} {} to deletion processes within an hour. Please try again \
         after {} UTC.",
        if *limit == 1 { "change" } else { "changes" },
        retry_at.format("%Y-%m-%d %H:%M")
    )]
    TooManyTransitions {
        limit: u16,
        retry_at: chrono::DateTime<chrono::Utc>,
        /// Seconds from the refused request until then.
        wait_seconds: i64,
    },
    #[error("Invalid {property}: {reason}")]
    InvalidPropertyValue {
        property: &'static str,
        reason: Reason,
    },
}

impl DomainError {
    pub fn invalid(property: &'static str, reason: impl Into<Reason>) -> Self {
        Self::InvalidPropertyValue {
            property,
            reason: reason.into(),
        }
    }

    /// The stable code clients and tests rely on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ActiveProcessAlreadyExists => {
                "error.runtime.identityDeletionProcess.activeIdentityDeletionProcessAlreadyExists"
            }
            Self::NoWaitingForApprovalProcess => {
                "error.runtime.identityDeletionProcess.noWaitingForApprovalIdentityDeletionProcess"
            }
            Self::NoApprovedProcess => {
                "error.runtime.identityDeletionProcess.noApprovedIdentityDeletionProcess"
            }
            Self::NoActiveProcess => {
                "error.runtime.identityDeletionProcess.noActiveIdentityDeletionProcess"
            }
            Self::GracePeriodHasAlreadyExpired => {
                "error.platform.validation.device.gracePeriodHasAlreadyExpired"
            }
            Self::NotInRequiredStatus { .. } => {
                "error.platform.validation.device.deletionProcessIsNotInRequiredStatus"
            }
            Self::RecordNotFound(_) => "error.platform.recordNotFound",
            Self::InvalidPropertyValue { .. } => "error.platform.validation.invalidPropertyValue",
            Self::TooManyTransitions { .. } => "error.platform.tooManyRequests",
        }
    }

    /// The HTTP status a page or API answers with.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::ActiveProcessAlreadyExists
            | Self::NoWaitingForApprovalProcess
            | Self::NoApprovedProcess
            | Self::GracePeriodHasAlreadyExpired
            | Self::NotInRequiredStatus { .. } => 409,
            Self::NoActiveProcess | Self::RecordNotFound(_) => 404,
            Self::InvalidPropertyValue { .. } => 400,
            Self::TooManyTransitions { .. } => 429,
        }
    }

    /// The human message shown on pages.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// Code, message, status and (for the owners' hourly limit) when to try again.
    pub fn report(&self) -> ErrorReport {
        let report = ErrorReport::new(self.code(), self.message(), self.http_status());
        match self {
            Self::TooManyTransitions {
                limit,
                retry_at,
                wait_seconds,
            } => report
                .with("limit", i64::from(*limit))
                .with("retry_at", retry_at.format("%Y-%m-%d %H:%M").to_string())
                .retry_after(u32::try_from(*wait_seconds).unwrap_or(1)),
            Self::NotInRequiredStatus { required, actual } => report
                .with("required", required.to_string())
                .with("actual", actual.to_string()),
            Self::RecordNotFound(what) => report.with("what", record_key(what)),
            Self::InvalidPropertyValue { property, reason } => report
                .with("property", property_words(property))
                .with("reason", reason.as_arg()),
            _ => report,
        }
    }

    /// One value of each variant (with sample fields), in declaration order: the error
    /// table of `docs/domain.md` is rendered from it.
    pub fn examples() -> Vec<DomainError> {
        let retry_at = chrono::DateTime::from_timestamp(1_796_000_400, 0).expect("valid");
        vec![
            Self::ActiveProcessAlreadyExists,
            Self::NoWaitingForApprovalProcess,
            Self::NoApprovedProcess,
            Self::NoActiveProcess,
            Self::GracePeriodHasAlreadyExpired,
            Self::NotInRequiredStatus {
                required: ProcessStatus::Approved,
                actual: ProcessStatus::Cancelled,
            },
            Self::RecordNotFound("identity"),
            Self::TooManyTransitions {
                limit: 10,
                retry_at,
                wait_seconds: 600,
            },
            Self::invalid("address", "it is empty"),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_its_code_and_status() {
        let cases = [
            (
                DomainError::ActiveProcessAlreadyExists,
                "activeIdentityDeletionProcessAlreadyExists",
                409,
            ),
            (
                DomainError::NoWaitingForApprovalProcess,
                "noWaitingForApprovalIdentityDeletionProcess",
                409,
            ),
            (
                DomainError::NoApprovedProcess,
                "noApprovedIdentityDeletionProcess",
                409,
            ),
            (
                DomainError::NoActiveProcess,
                "noActiveIdentityDeletionProcess",
                404,
            ),
            (
                DomainError::GracePeriodHasAlreadyExpired,
                "gracePeriodHasAlreadyExpired",
                409,
            ),
            (
                DomainError::NotInRequiredStatus {
                    required: ProcessStatus::Approved,
                    actual: ProcessStatus::WaitingForApproval,
                },
                "deletionProcessIsNotInRequiredStatus",
                409,
            ),
            (
                DomainError::RecordNotFound("identity"),
                "recordNotFound",
                404,
            ),
            (
                DomainError::invalid("address", "bad"),
                "invalidPropertyValue",
                400,
            ),
        ];
        for (error, code_suffix, status) in cases {
            assert!(error.code().ends_with(code_suffix), "{}", error.code());
            assert_eq!(error.http_status(), status);
            assert!(!error.message().is_empty());
            let report = error.report();
            assert_eq!(
                (
                    report.code,
                    report.message,
                    report.status,
                    report.retry_after
                ),
                (error.code(), error.message(), status, None)
            );
        }
    }

    #[test]
    fn the_examples_hold_every_variant_once() {
        // Adding a variant breaks this match until it is added to `examples` as well.
        let index = |error: &DomainError| match error {
            DomainError::ActiveProcessAlreadyExists => 0,
            DomainError::NoWaitingForApprovalProcess => 1,
            DomainError::NoApprovedProcess => 2,
            DomainError::NoActiveProcess => 3,
            DomainError::GracePeriodHasAlreadyExpired => 4,
            DomainError::NotInRequiredStatus { .. } => 5,
            DomainError::RecordNotFound(_) => 6,
            DomainError::TooManyTransitions { .. } => 7,
            DomainError::InvalidPropertyValue { .. } => 8,
        };
        let indices: Vec<usize> = DomainError::examples().iter().map(index).collect();
        assert_eq!(indices, (0..9).collect::<Vec<_>>());
    }

    #[test]
    fn not_in_required_status_names_the_status() {
        let error = DomainError::NotInRequiredStatus {
            required: ProcessStatus::Approved,
            actual: ProcessStatus::Rejected,
        };
        assert!(error.message().contains("Approved"));
        assert!(error.message().contains("Rejected"));
    }
}
