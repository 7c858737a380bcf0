//! The failure message (`WEBHOOK_ON_FAILURE`): which report failed, one line of what failed and
//! what to do, and the CI run's link, in each format (docs/webhooks.md).

use serde_json::{Value, json};

use super::{WebhookFormat, shapes};

/// The most characters of the error line a message carries (Discord refuses more than 2000 in
/// all; Slack and Teams truncate long texts anyway).
const MAX_ERROR_CHARS: usize = 1500;

/// A report that failed, as its failure message tells it.
#[derive(Debug, Clone, Copy)]
pub struct Failure<'a> {
    /// The report's name (`default` without a config file).
    pub report: &'a str,
    /// What failed and what to do, on one line, already free of secrets.
    pub error: &'a str,
    /// The CI run's link, when the run knows where it runs.
    pub run_url: Option<&'a str>,
}

impl Failure<'_> {
    /// The error on one line, shortened to [`MAX_ERROR_CHARS`].
    fn error_line(&self) -> String {
        let line = self.error.replace(['\r', '\n'], " ");
        match line.char_indices().nth(MAX_ERROR_CHARS) {
            Some((end, _)) => format!("{}…", &line[..end]),
            None => line,
        }
    }

    /// The headline: which report failed.
    fn headline(&self) -> String {
        format!("❌ confluence-weekly: report `{}` failed", self.report)
    }

    /// The whole message as plain text: headline, error line, run link.
    fn text(&self) -> String {
        let mut text = format!("{}\n{}", self.headline(), self.error_line());
        if let Some(url) = self.run_url {
            text.push_str(&format!("\nCI run: {url}"));
        }
        text
    }
}

/// The body of the failure message for `format`.
pub fn failure_payload(format: WebhookFormat, failure: &Failure<'_>) -> Value {
    let error = failure.error_line();
    match format {
        // Workflow variables: every value a string.
        WebhookFormat::SlackWorkflow => json!({
            "report": failure.report,
            "status": "failed",
            "error": error,
            "run_url": failure.run_url.unwrap_or_default(),
        }),
        WebhookFormat::Slack => {
            let escape = shapes::slack_escape;
            let mut mrkdwn = format!("{}\n{}", escape(&failure.headline()), escape(&error));
            if let Some(url) = failure.run_url {
                mrkdwn.push_str(&format!("\n<{url}|Open the CI run>"));
            }
            shapes::slack(&failure.text(), &mrkdwn, None)
        }
        WebhookFormat::Teams => {
            let button = failure.run_url.map(|url| ("Open the CI run", url));
            shapes::teams(&failure.headline(), Some("Attention"), &error, button)
        }
        WebhookFormat::GoogleChat => json!({ "text": failure.text() }),
        WebhookFormat::Discord => json!({ "content": failure.text() }),
        WebhookFormat::Json | WebhookFormat::Auto => json!({
            "report": failure.report,
            "status": "failed",
            "error": error,
            "run_url": failure.run_url,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUN: &str = "https://github.com/acme/reports/actions/runs/42";

    fn failure(run_url: Option<&'static str>) -> Failure<'static> {
        Failure { report: "default", error: "no source page to copy: \"2025-05-29 Weekly Report\"", run_url }
    }

    #[test]
    fn slack_workflow_and_json_name_the_status_error_and_run() {
        let body = failure_payload(WebhookFormat::SlackWorkflow, &failure(Some(RUN)));
        assert!(body.as_object().unwrap().values().all(Value::is_string), "{body}");
        assert_eq!((body["status"].as_str(), body["run_url"].as_str()), (Some("failed"), Some(RUN)));
        assert_eq!(body["report"], "default");
        assert!(body["error"].as_str().unwrap().starts_with("no source page"));
        assert_eq!(failure_payload(WebhookFormat::SlackWorkflow, &failure(None))["run_url"], "");

        let json = failure_payload(WebhookFormat::Json, &failure(Some(RUN)));
        let mut keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["error", "report", "run_url", "status"]);
        assert_eq!(json["status"], "failed");
        assert_eq!(failure_payload(WebhookFormat::Json, &failure(None))["run_url"], Value::Null);
    }

    #[test]
    fn text_formats_carry_the_report_the_error_and_the_link() {
        for format in [WebhookFormat::Slack, WebhookFormat::Teams, WebhookFormat::GoogleChat, WebhookFormat::Discord] {
            let body = failure_payload(format, &failure(Some(RUN))).to_string();
            for part in ["`default` failed", "no source page to copy", RUN] {
                assert!(body.contains(part), "{format:?} lacks {part}: {body}");
            }
            let without = failure_payload(format, &failure(None)).to_string();
            assert!(!without.contains("CI run:") && !without.contains("Open the CI run"), "{without}");
        }
        let slack = failure_payload(WebhookFormat::Slack, &failure(Some(RUN)));
        assert!(slack["blocks"][0]["text"]["text"].as_str().unwrap().contains(&format!("<{RUN}|")), "{slack}");
        assert_eq!(
            failure_payload(WebhookFormat::Discord, &failure(None))["content"].as_str().unwrap().lines().count(),
            2
        );
    }

    #[test]
    fn long_or_multi_line_errors_become_one_short_line() {
        let long = "x\n".repeat(2000);
        let body = failure_payload(WebhookFormat::Json, &Failure { report: "r", error: &long, run_url: None });
        let error = body["error"].as_str().unwrap();
        assert!(!error.contains('\n') && error.chars().count() == MAX_ERROR_CHARS + 1, "{}", error.len());
    }
}
