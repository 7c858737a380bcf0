//! The success message in each format, and `WEBHOOK_PAYLOAD`'s placeholders.

use serde_json::{Value, json};

use super::{WebhookError, WebhookFormat, shapes};
use crate::outcome::{Outcome, Status};

/// A `WEBHOOK_PAYLOAD` that is not JSON once its placeholders are filled in.
#[derive(Debug, thiserror::Error)]
#[error(
    "is not valid JSON once placeholders are filled in ({0}); write placeholders inside strings, e.g. {{\"text\": \"New page: {{{{page_url}}}}\"}}"
)]
pub struct PayloadError(serde_json::Error);

/// The placeholders of `WEBHOOK_PAYLOAD`.
const PLACEHOLDERS: [&str; 5] = ["page_url", "page_title", "page_id", "created", "report_date"];

/// Checks that a custom payload is JSON once its placeholders are filled in, with values as
/// awkward as real ones (quotes in the title).
pub fn check_custom_payload(template: &str) -> Result<(), PayloadError> {
    let sample = |name: &str| match name {
        "page_title" => "Title with \"quotes\"".to_owned(),
        "page_url" => "https://confluence.example.com/x".to_owned(),
        "created" => "true".to_owned(),
        "report_date" => "2025-06-05".to_owned(),
        _ => "1".to_owned(),
    };
    serde_json::from_str::<Value>(&render_custom(template, sample)).map(|_| ()).map_err(PayloadError)
}

/// Substitutes `{{name}}` with the value escaped for use inside a JSON string.
fn render_custom(template: &str, field: impl Fn(&str) -> String) -> String {
    PLACEHOLDERS.iter().fold(template.to_owned(), |text, name| {
        let quoted = Value::String(field(name)).to_string();
        text.replace(&format!("{{{{{name}}}}}"), &quoted[1..quoted.len() - 1])
    })
}

/// The body to send for `format`.
pub fn payload(format: WebhookFormat, custom: Option<&str>, outcome: &Outcome) -> Result<Value, WebhookError> {
    if let Some(template) = custom {
        return serde_json::from_str(&render_custom(template, |name| outcome.text_field(name)))
            .map_err(WebhookError::Payload);
    }
    let url = outcome.page_url.clone().unwrap_or_default();
    let title = outcome.page_title.clone().unwrap_or_default();
    let created = matches!(outcome.describe(), Status::Created { .. });
    let verb = if created { "Created" } else { "Ready" };
    let text = format!("{verb}: {title} {url}");
    Ok(match format {
        WebhookFormat::SlackWorkflow => {
            let mut fields: serde_json::Map<String, Value> =
                PLACEHOLDERS.iter().map(|name| (name.to_string(), Value::String(outcome.text_field(name)))).collect();
            fields.insert("report_link".into(), Value::String(url));
            Value::Object(fields)
        }
        WebhookFormat::Slack => {
            let linked = format!("{verb}: <{url}|{}>", shapes::slack_escape(&title));
            shapes::slack(&text, &linked, Some(("Open page", &url)))
        }
        WebhookFormat::Teams => {
            let line = if created { "Created now" } else { "Already there" };
            shapes::teams(&title, None, line, Some(("Open page", &url)))
        }
        WebhookFormat::GoogleChat => json!({ "text": text }),
        WebhookFormat::Discord => json!({ "content": text }),
        WebhookFormat::Json | WebhookFormat::Auto => serde_json::to_value(outcome).map_err(WebhookError::Payload)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(title: &str) -> Outcome {
        Outcome::new("default", false)
            .due(chrono::NaiveDate::from_ymd_opt(2025, 6, 5).unwrap(), title)
            .source("41".into())
            .page("42".into(), "https://confluence.example.com/display/TEAM/X".into(), true)
    }

    #[test]
    fn auto_picks_the_format_by_url() {
        let cases = [
            ("https://hooks.slack.com/triggers/T0/1/abc", WebhookFormat::SlackWorkflow),
            ("https://hooks.slack.com/workflows/T0/A/1/abc", WebhookFormat::SlackWorkflow),
            ("https://hooks.slack.com/services/T0/B0/abc", WebhookFormat::Slack),
            ("https://contoso.webhook.office.com/webhookb2/x", WebhookFormat::Teams),
            ("https://prod-00.westus.logic.azure.com/workflows/x", WebhookFormat::Teams),
            ("https://x.environment.api.powerautomate.com/y", WebhookFormat::Teams),
            ("https://chat.googleapis.com/v1/spaces/X/messages?key=k", WebhookFormat::GoogleChat),
            ("https://discord.com/api/webhooks/1/abc", WebhookFormat::Discord),
            ("https://example.com/hook", WebhookFormat::Json),
            // Matched by domain suffix on the parsed host, never by substring.
            ("https://evil.com/?x=.environment.api.powerplatform.com", WebhookFormat::Json),
            ("https://evil.com/.webhook.office.com/x", WebhookFormat::Json),
            ("https://notenvironment.api.powerplatform.com/x", WebhookFormat::Json),
            ("https://x.environment.api.powerplatform.com.evil.com/x", WebhookFormat::Json),
        ];
        for (url, want) in cases {
            assert_eq!(WebhookFormat::Auto.resolve(url), want, "{url}");
        }
        assert_eq!(WebhookFormat::Discord.resolve("https://example.com"), WebhookFormat::Discord);
    }

    #[test]
    fn teams_workflows_urls_get_the_adaptive_card() {
        let url = "https://default1234.56.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?api-version=1";
        let format = WebhookFormat::Auto.resolve(url);
        assert_eq!(format, WebhookFormat::Teams);
        let body = payload(format, None, &outcome("2025-06-05 Weekly Report")).unwrap();
        assert_eq!(body, payload(WebhookFormat::Teams, None, &outcome("2025-06-05 Weekly Report")).unwrap());
        assert_eq!(body["type"], "message");
        let card = &body["attachments"][0];
        assert_eq!(card["contentType"], "application/vnd.microsoft.card.adaptive");
        assert_eq!(card["content"]["type"], "AdaptiveCard");
        assert_eq!(card["content"]["body"][0]["text"], "2025-06-05 Weekly Report");
        assert_eq!(card["content"]["actions"][0]["url"], "https://confluence.example.com/display/TEAM/X");
        assert_ne!(body, payload(WebhookFormat::Json, None, &outcome("2025-06-05 Weekly Report")).unwrap());
    }

    #[test]
    fn slack_workflow_is_flat_strings_with_report_link() {
        let body = payload(WebhookFormat::SlackWorkflow, None, &outcome("2025-06-05 Weekly Report")).unwrap();
        let object = body.as_object().unwrap();
        assert!(object.values().all(Value::is_string), "{body}");
        assert_eq!(body["report_link"], "https://confluence.example.com/display/TEAM/X");
        assert_eq!(body["page_url"], body["report_link"]);
        assert_eq!(body["created"], "true");
        assert_eq!(body["report_date"], "2025-06-05");
        assert_eq!(body["page_id"], "42");
    }

    #[test]
    fn each_format_carries_the_link() {
        for format in [
            WebhookFormat::Slack,
            WebhookFormat::Teams,
            WebhookFormat::GoogleChat,
            WebhookFormat::Discord,
            WebhookFormat::Json,
        ] {
            let body = payload(format, None, &outcome("Weekly")).unwrap().to_string();
            assert!(body.contains("https://confluence.example.com/display/TEAM/X"), "{format:?}: {body}");
        }
        let slack = payload(WebhookFormat::Slack, None, &outcome("a <b> & c")).unwrap();
        assert!(slack["text"].is_string());
        assert!(slack["blocks"][0]["text"]["text"].as_str().unwrap().contains("a &lt;b&gt; &amp; c"));
    }

    #[test]
    fn custom_payloads_escape_awkward_titles() {
        let template =
            r#"{"msg": "{{page_title}} -> {{page_url}}", "created": {{created}}, "date": "{{report_date}}"}"#;
        check_custom_payload(template).unwrap();
        let title = "He said \"hi\" \\ back\nnext line 🎉";
        let body = payload(WebhookFormat::Json, Some(template), &outcome(title)).unwrap();
        assert_eq!(body["msg"], format!("{title} -> https://confluence.example.com/display/TEAM/X"));
        assert_eq!(body["created"], true);
        assert!(check_custom_payload("{\"a\": {{page_url}}}").is_err());
        assert!(check_custom_payload("not json").is_err());
    }
}
