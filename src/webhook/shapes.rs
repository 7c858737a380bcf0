//! The message shapes every kind of message (success, failure, reminder) shares: Slack's text with
//! blocks, a Teams Adaptive Card, and Slack's escaping.

use serde_json::{Value, json};

/// Slack's `mrkdwn` escaping of `&`, `<` and `>`.
pub fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A Slack message: the plain `text` (notifications), one `mrkdwn` section, and a button when
/// there is a link to open.
pub fn slack(text: &str, mrkdwn: &str, button: Option<(&str, &str)>) -> Value {
    let mut blocks = vec![json!({"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}})];
    if let Some((label, url)) = button {
        blocks.push(json!({"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": label}, "url": url}
        ]}));
    }
    json!({"text": text, "blocks": blocks})
}

/// A Teams message holding one Adaptive Card: a bold `title` (in `color`, e.g. `Attention`, when
/// given), a `line` under it, and a button when there is a link to open.
pub fn teams(title: &str, color: Option<&str>, line: &str, button: Option<(&str, &str)>) -> Value {
    let mut heading = json!({"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium", "wrap": true});
    if let Some(color) = color {
        heading["color"] = json!(color);
    }
    let actions: Vec<Value> =
        button.map(|(label, url)| json!({"type": "Action.OpenUrl", "title": label, "url": url})).into_iter().collect();
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": [heading, {"type": "TextBlock", "text": line, "wrap": true}],
                "actions": actions
            }
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_has_a_button_only_with_a_link_and_escapes_what_it_is_asked_to() {
        let with = slack("plain", "*bold*", Some(("Open page", "https://x.example/p")));
        assert_eq!(with["text"], "plain");
        assert_eq!(with["blocks"][1]["elements"][0]["url"], "https://x.example/p");
        let without = slack("plain", "*bold*", None);
        assert_eq!(without["blocks"].as_array().unwrap().len(), 1);
        assert_eq!(slack_escape("a <b> & c"), "a &lt;b&gt; &amp; c");
    }

    #[test]
    fn teams_is_one_adaptive_card_with_an_optional_colour_and_button() {
        let card = teams("Title", Some("Attention"), "line", None);
        let content = &card["attachments"][0]["content"];
        assert_eq!(card["attachments"].as_array().unwrap().len(), 1);
        assert_eq!(content["type"], "AdaptiveCard");
        assert_eq!(content["body"][0]["color"], "Attention");
        assert_eq!(content["body"][1]["text"], "line");
        assert!(content["actions"].as_array().unwrap().is_empty());
        let linked = teams("Title", None, "line", Some(("Open page", "https://x.example/p")));
        assert!(linked["attachments"][0]["content"]["body"][0].get("color").is_none());
        assert_eq!(linked["attachments"][0]["content"]["actions"][0]["url"], "https://x.example/p");
    }
}
