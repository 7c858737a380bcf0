//! The process exit codes, in one place. The README's "Exit codes" table lists the same values.

use std::process::ExitCode as ProcessExitCode;

/// What a run ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// The page exists (created now or before), or nothing was due.
    Success = 0,
    /// The page exists and outputs are written, but the webhook could not be delivered.
    WebhookFailed = 3,
    /// The run failed: Confluence refused, was unreachable, no source page, …
    Failure = 1,
    /// Configuration error: nothing was sent.
    Config = 2,
}

impl ExitCode {
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The worse of two outcomes (configuration error > failure > webhook failure > success).
    pub fn worst(self, other: Self) -> Self {
        if other.severity() > self.severity() { other } else { self }
    }

    /// 3 is less severe than 1 and 2 although its number is higher: the page does exist.
    fn severity(self) -> u8 {
        match self {
            Self::Success => 0,
            Self::WebhookFailed => 1,
            Self::Failure => 2,
            Self::Config => 3,
        }
    }
}

impl From<ExitCode> for ProcessExitCode {
    fn from(code: ExitCode) -> Self {
        ProcessExitCode::from(code.code())
    }
}

#[cfg(test)]
mod tests {
    use super::ExitCode::*;

    #[test]
    fn codes_match_the_spec() {
        assert_eq!(Success.code(), 0);
        assert_eq!(Failure.code(), 1);
        assert_eq!(Config.code(), 2);
        assert_eq!(WebhookFailed.code(), 3);
    }

    #[test]
    fn worst_prefers_failures_over_webhook_trouble() {
        assert_eq!(Success.worst(WebhookFailed), WebhookFailed);
        assert_eq!(WebhookFailed.worst(Failure), Failure);
        assert_eq!(Failure.worst(WebhookFailed), Failure);
        assert_eq!(Failure.worst(Config), Config);
        assert_eq!(Success.worst(Success), Success);
    }
}
