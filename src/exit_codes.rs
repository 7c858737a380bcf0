//! The process exit codes, in one place. `--help` and the README's "Exit codes" table list the
//! same values (a test checks the README).

use std::process::ExitCode as ProcessExitCode;

/// What a run ended with, ordered by severity (`max` is the worst): 2 > 1 > 3 > 0. 3 ranks
/// below 1 and 2 although its number is higher: the page exists.
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
    /// Every code, by number.
    pub const ALL: [ExitCode; 4] = [Self::Success, Self::Failure, Self::Config, Self::WebhookFailed];
    /// Every code, least severe first.
    const BY_SEVERITY: [ExitCode; 4] = [Self::Success, Self::WebhookFailed, Self::Failure, Self::Config];

    pub fn code(self) -> u8 {
        self as u8
    }

    /// The code's meaning in a few words (the `--help` text).
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Success => "the page exists (created now or before), or nothing was due",
            Self::Failure => "the run failed (Confluence refused or was unreachable, no source page …)",
            Self::Config => "configuration error: every problem is listed; no request was sent",
            Self::WebhookFailed => "the page exists and outputs are written, but the webhook failed",
        }
    }

    /// The worse of two outcomes (configuration error > failure > webhook failure > success).
    pub fn worst(self, other: Self) -> Self {
        self.max(other)
    }
}

impl Ord for ExitCode {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Variants are declared in severity order; derived `Ord` would compare the numbers.
        let severity = |code: &Self| Self::BY_SEVERITY.iter().position(|c| c == code);
        severity(self).cmp(&severity(other))
    }
}

impl PartialOrd for ExitCode {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl From<ExitCode> for ProcessExitCode {
    fn from(code: ExitCode) -> Self {
        ProcessExitCode::from(code.code())
    }
}

#[cfg(test)]
mod tests {
    use super::ExitCode::{self, *};

    #[test]
    fn codes_match_the_spec() {
        assert_eq!(Success.code(), 0);
        assert_eq!(Failure.code(), 1);
        assert_eq!(Config.code(), 2);
        assert_eq!(WebhookFailed.code(), 3);
        assert_eq!(ExitCode::ALL.map(ExitCode::code), [0, 1, 2, 3]);
    }

    #[test]
    fn worst_prefers_failures_over_webhook_trouble() {
        assert_eq!(Success.worst(WebhookFailed), WebhookFailed);
        assert_eq!(WebhookFailed.worst(Failure), Failure);
        assert_eq!(Failure.worst(WebhookFailed), Failure);
        assert_eq!(Failure.worst(Config), Config);
        assert_eq!(Success.worst(Success), Success);
        assert_eq!([Success, Config, WebhookFailed, Failure].into_iter().max(), Some(Config));
    }
}
