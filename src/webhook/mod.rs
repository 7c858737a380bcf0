//! Chat notifications: the settings, delivery with retries, and when to send. The bodies are
//! built in `formats` (the success message) and `failure` (`WEBHOOK_ON_FAILURE`), as
//! docs/webhooks.md describes them. Webhook URLs are secrets: messages name only the host.

mod failure;
mod formats;
pub(crate) mod shapes;

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

pub use failure::{Failure, failure_payload};
pub use formats::{check_custom_payload, payload};

use crate::http::{self, Http, RetryPolicy};
use crate::outcome::Outcome;
use crate::parse_error::ParseError;
use crate::secret::Secret;

/// Where and how to notify: one report's webhook settings.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// `WEBHOOK_URL`, a secret: only its host is ever printed.
    pub url: Secret,
    /// `WEBHOOK_FORMAT`, already resolved from `auto` by the URL.
    pub format: WebhookFormat,
    /// `WEBHOOK_PAYLOAD`: a custom JSON body with `{{placeholders}}`.
    pub payload: Option<String>,
    /// `WEBHOOK_WHEN`: when the success message is sent.
    pub when: WebhookWhen,
    /// `WEBHOOK_ON_FAILURE`: also post a failure message when the report fails (exit 1).
    pub on_failure: bool,
    /// `WEBHOOK_REQUIRED`: an undeliverable webhook fails the run (exit 3); else a warning.
    pub required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookFormat {
    Auto,
    SlackWorkflow,
    Slack,
    Teams,
    GoogleChat,
    Discord,
    Json,
}

impl WebhookFormat {
    /// `auto` resolved by the URL, as docs/webhooks.md lists; other formats stay as they are.
    pub fn resolve(self, url: &str) -> Self {
        if self != Self::Auto {
            return self;
        }
        let Ok(parsed) = url::Url::parse(url) else { return Self::Json };
        let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
        let path = parsed.path();
        let under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
        if host == "hooks.slack.com" && (path.starts_with("/triggers/") || path.starts_with("/workflows/")) {
            Self::SlackWorkflow
        } else if host == "hooks.slack.com" && path.starts_with("/services/") {
            Self::Slack
        } else if ["webhook.office.com", "logic.azure.com", "powerautomate.com", "environment.api.powerplatform.com"]
            .into_iter()
            .any(under)
        {
            Self::Teams
        } else if host == "chat.googleapis.com" {
            Self::GoogleChat
        } else if (host == "discord.com" || host == "discordapp.com") && path.starts_with("/api/webhooks") {
            Self::Discord
        } else {
            Self::Json
        }
    }
}

impl FromStr for WebhookFormat {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Self::Auto,
            "slack-workflow" => Self::SlackWorkflow,
            "slack" => Self::Slack,
            "teams" => Self::Teams,
            "google-chat" => Self::GoogleChat,
            "discord" => Self::Discord,
            "json" => Self::Json,
            _ => {
                return Err(ParseError::unknown(
                    "value",
                    s,
                    "auto, slack-workflow, slack, teams, google-chat, discord or json",
                ));
            }
        })
    }
}

/// When to notify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookWhen {
    Always,
    Created,
    Never,
}

impl FromStr for WebhookWhen {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "always" => Self::Always,
            "created" => Self::Created,
            "never" => Self::Never,
            _ => return Err(ParseError::unknown("value", s, "always, created or never")),
        })
    }
}

impl WebhookWhen {
    pub fn applies(self, outcome: &Outcome) -> bool {
        outcome.due
            && !outcome.dry_run
            && match self {
                Self::Always => true,
                Self::Created => outcome.created,
                Self::Never => false,
            }
    }
}

/// A notification that could not be sent or delivered.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("WEBHOOK_PAYLOAD could not be filled in")]
    Payload(#[source] serde_json::Error),
    #[error("webhook to {host} failed: {detail}. The page exists and the outputs are written; check WEBHOOK_URL")]
    Delivery { host: String, detail: String },
    /// The failure message (`WEBHOOK_ON_FAILURE`) could not be delivered: the run failed anyway.
    #[error("the failure message to webhook {host} could not be delivered either: {detail}; check WEBHOOK_URL")]
    FailureDelivery { host: String, detail: String },
}

/// Notifies `webhook` of `outcome` if `WEBHOOK_WHEN` says so; `Ok(true)` when it was sent.
pub async fn notify(http: &Http, webhook: &Webhook, outcome: &Outcome) -> Result<bool, WebhookError> {
    if !webhook.when.applies(outcome) {
        return Ok(false);
    }
    let body = payload(webhook.format, webhook.payload.as_deref(), outcome)?;
    send(http, &webhook.url, &body).await?;
    tracing::info!("notified {}", host_of(&webhook.url));
    Ok(true)
}

/// Posts the failure message of a report that failed (`WEBHOOK_ON_FAILURE`), whatever
/// `WEBHOOK_WHEN` says; the caller checks `on_failure` and the dry run.
pub async fn notify_failure(http: &Http, webhook: &Webhook, failure: &Failure<'_>) -> Result<(), WebhookError> {
    let body = failure_payload(webhook.format, failure);
    send(http, &webhook.url, &body).await.map_err(|err| match err {
        WebhookError::Delivery { host, detail } => WebhookError::FailureDelivery { host, detail },
        other => other,
    })?;
    tracing::info!("told {} that report {} failed", host_of(&webhook.url), failure.report);
    Ok(())
}

/// Only the host of a webhook URL, for messages.
pub fn host_of(url: &Secret) -> String {
    url::Url::parse(url.expose()).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_else(|| "?".into())
}

/// Posts `body`, retrying 429 and 5xx (honouring `Retry-After`).
pub async fn send(http: &Http, url: &Secret, body: &Value) -> Result<(), WebhookError> {
    let host = host_of(url);
    let what = Host(&host);
    let response = http
        .send(|| http.client().post(url.expose()).json(body), RetryPolicy::Notification, &what)
        .await
        .map_err(|err| WebhookError::Delivery { host: host.clone(), detail: http::describe_transport(&err) })?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let text: String = response.text().await.unwrap_or_default().chars().take(200).collect();
    Err(WebhookError::Delivery { host, detail: format!("HTTP {}: {}", status.as_u16(), text.trim()) })
}

struct Host<'a>(&'a str);

impl fmt::Display for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "webhook {}", self.0)
    }
}
