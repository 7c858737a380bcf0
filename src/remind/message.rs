//! The reminder's chat message in every webhook format, and when it is sent. Delivery is the
//! webhook module's.

use serde_json::{Value, json};

use crate::http::Http;
use crate::outcome::Outcome;
use crate::parse_error::ParseError;
use crate::webhook::{self, Webhook, WebhookError, WebhookFormat, WebhookWhen, shapes};

/// `CONFLUENCE_PEOPLE`: chat mentions by name (names compared trimmed, ignoring case).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct People(Vec<(String, String)>);

impl People {
    /// `NAME = MENTION`, one a line (blank lines skipped); the first `=` splits.
    pub fn parse(text: &str) -> Result<People, ParseError> {
        let mut people = Vec::new();
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            match line.split_once('=') {
                Some((name, mention)) if !name.trim().is_empty() && !mention.trim().is_empty() => {
                    people.push((key(name), mention.trim().to_owned()));
                }
                _ => {
                    return Err(ParseError::Invalid {
                        detail: format!("line {}: `{}` is not `NAME = MENTION`", n + 1, line.trim()),
                        expected: "one `NAME = MENTION` a line, e.g. `김철수 = <@U024BE7LH>`",
                    });
                }
            }
        }
        Ok(People(people))
    }

    /// The mention for `name`, else the name itself.
    pub fn mention(&self, name: &str) -> String {
        let wanted = key(name);
        self.0.iter().find(|(n, _)| *n == wanted).map_or_else(|| name.to_owned(), |(_, m)| m.clone())
    }
}

fn key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Whether the reminder is posted: `always` (also when everyone has written), `created` (only
/// when someone is pending), `never`; nothing for a period without a page, or in a dry run.
pub fn applies(when: WebhookWhen, outcome: &Outcome) -> bool {
    let someone = outcome.pending.as_ref().is_some_and(|p| !p.is_empty());
    outcome.due
        && !outcome.dry_run
        && match when {
            WebhookWhen::Always => true,
            WebhookWhen::Created => someone,
            WebhookWhen::Never => false,
        }
}

/// The reminder's body for `format`. A custom `WEBHOOK_PAYLOAD` is filled in as for a run.
pub fn payload(hook: &Webhook, outcome: &Outcome, people: &People) -> Result<Value, WebhookError> {
    if hook.payload.is_some() {
        return webhook::payload(hook.format, hook.payload.as_deref(), outcome);
    }
    let url = outcome.page_url.clone().unwrap_or_default();
    let title = outcome.page_title.clone().unwrap_or_default();
    let pending = outcome.pending.clone().unwrap_or_default();
    let mentions: Vec<String> = pending.iter().map(|name| people.mention(name)).collect();
    let line = if mentions.is_empty() {
        format!("Everyone has written on {title}")
    } else {
        format!("Not written yet on {title}: {}", mentions.join(", "))
    };
    let text = format!("{line} {url}");
    Ok(match hook.format {
        WebhookFormat::SlackWorkflow => json!({
            "pending": mentions.join(", "),
            "pending_count": pending.len().to_string(),
            "page_url": url,
            "page_title": title,
        }),
        WebhookFormat::Slack => {
            let escaped = shapes::slack_escape(&title);
            let linked = if mentions.is_empty() {
                format!("Everyone has written on <{url}|{escaped}>")
            } else {
                format!("Not written yet on <{url}|{escaped}>: {}", mentions.join(", "))
            };
            shapes::slack(&text, &linked, Some(("Open page", &url)))
        }
        WebhookFormat::Teams => shapes::teams(&title, None, &line, Some(("Open page", &url))),
        WebhookFormat::GoogleChat => json!({ "text": text }),
        WebhookFormat::Discord => json!({ "content": text }),
        WebhookFormat::Json | WebhookFormat::Auto => serde_json::to_value(outcome).map_err(WebhookError::Payload)?,
    })
}

/// Posts the reminder when `WEBHOOK_WHEN` says so; `Ok(true)` when it was sent.
pub async fn notify(http: &Http, hook: &Webhook, outcome: &Outcome, people: &People) -> Result<bool, WebhookError> {
    if !applies(hook.when, outcome) {
        return Ok(false);
    }
    webhook::send(http, &hook.url, &payload(hook, outcome, people)?).await?;
    tracing::info!("reminder posted to {}", webhook::host_of(&hook.url));
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn outcome(pending: &[&str]) -> Outcome {
        Outcome::new("r", false)
            .due(chrono::NaiveDate::from_ymd_opt(2025, 6, 5).unwrap(), "T <1>")
            .page("1".into(), "https://c/p/1".into(), false)
            .reminded(pending.iter().map(|s| (*s).to_owned()).collect(), 4)
    }

    fn hook(format: WebhookFormat) -> Webhook {
        Webhook {
            url: Secret::new("https://hooks.example.com/x"),
            format,
            payload: None,
            when: WebhookWhen::Always,
            on_failure: false,
            required: true,
        }
    }

    #[test]
    fn people_map_names_to_mentions_and_bad_lines_are_errors() {
        let people = People::parse("김철수 = <@U024BE7LH>\n\n Bob  Smith=<@U2>").unwrap();
        assert_eq!(people.mention("김철수"), "<@U024BE7LH>");
        assert_eq!(people.mention("bob smith"), "<@U2>");
        assert_eq!(people.mention("Carol"), "Carol");
        assert!(People::parse("no equals sign").unwrap_err().to_string().contains("line 1"));
    }

    #[test]
    fn every_format_names_the_pending_people_by_their_mentions() {
        let people = People::parse("이영희 = <@U1>").unwrap();
        let o = outcome(&["이영희", "최지우"]);
        let flow = payload(&hook(WebhookFormat::SlackWorkflow), &o, &people).unwrap();
        assert_eq!(
            flow,
            json!({"pending": "<@U1>, 최지우", "pending_count": "2", "page_url": "https://c/p/1", "page_title": "T <1>"})
        );
        for format in [WebhookFormat::Slack, WebhookFormat::Teams, WebhookFormat::GoogleChat, WebhookFormat::Discord] {
            let body = payload(&hook(format), &o, &people).unwrap().to_string();
            assert!(body.contains("<@U1>, 최지우") && body.contains("https://c/p/1"), "{format:?}: {body}");
        }
        let json = payload(&hook(WebhookFormat::Json), &o, &people).unwrap();
        assert_eq!(json["pending"], json!(["이영희", "최지우"]));
        let everyone = payload(&hook(WebhookFormat::GoogleChat), &outcome(&[]), &people).unwrap();
        assert_eq!(everyone["text"], "Everyone has written on T <1> https://c/p/1");
    }

    #[test]
    fn created_posts_only_when_someone_is_pending() {
        assert!(applies(WebhookWhen::Always, &outcome(&[])));
        assert!(!applies(WebhookWhen::Created, &outcome(&[])));
        assert!(applies(WebhookWhen::Created, &outcome(&["a"])));
        assert!(!applies(WebhookWhen::Never, &outcome(&["a"])));
        assert!(!applies(WebhookWhen::Always, &Outcome::new("r", false)), "nothing due");
    }
}
