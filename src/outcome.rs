//! The result of one report: what stdout, the CI outputs, the step summary, the notice and the
//! webhook all say. A leaf: it knows nothing of Confluence, HTTP or configuration.

use chrono::NaiveDate;
use serde::Serialize;

/// What one report's run ended with. Serialized as the stdout line and the `json` webhook body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The report's name (`default` without a config file).
    pub report: String,
    pub page_url: Option<String>,
    pub page_id: Option<String>,
    pub page_title: Option<String>,
    /// Whether this run created the page.
    pub created: bool,
    pub report_date: Option<NaiveDate>,
    /// The page copied (or, in a dry run, the page that would be copied).
    pub source_page_id: Option<String>,
    /// Whether a page is due at all (`weekdays` on a weekend: no).
    pub due: bool,
    pub dry_run: bool,
    /// Period pages this run filed under group pages (`CONFLUENCE_ARCHIVE`; in a dry run: would
    /// file): the `archived` output.
    #[serde(rename = "archived")]
    pub filed: u32,
    /// Why no page is due, when none is: `weekend`, or `off day 2025-05-01: 근로자의 날`.
    pub skipped: Option<String>,
    /// Whether the webhook was delivered: `None` when no message was due (no `WEBHOOK_URL`,
    /// `WEBHOOK_WHEN`, nothing due, a dry run), `Some(false)` when it could not be delivered.
    pub notified: Option<bool>,
    /// A reminder (`CONFLUENCE_MODE=remind`): the owners of entries nobody has written yet, in
    /// page order, each once. Only in a reminder's stdout line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending: Option<Vec<String>>,
    /// A reminder: how many entries it found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entries: Option<usize>,
    /// What preparing the body changed (in a dry run: would change), one line per carry or clear
    /// rule and one for tasks: the step summary lists them in a dry run. Not in the stdout line.
    #[serde(skip)]
    pub changes: Vec<String>,
    /// Warnings for the step summary (and GitHub annotations), e.g. a rule that changed nothing;
    /// they are logged where they arise. Not in the stdout line.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// An outcome in one word and its subjects: every channel words it from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status<'a> {
    /// Nothing is due today.
    NotDue,
    /// Dry run: the page would be created.
    DryRun { title: &'a str },
    /// This run created the page.
    Created { title: &'a str, url: &'a str },
    /// The page was already there.
    Exists { title: &'a str, url: &'a str },
    /// Due, but no page (a run that failed before it had one).
    NoPage,
}

impl Outcome {
    /// A report with nothing due (yet): no page, no date.
    pub fn new(report: &str, dry_run: bool) -> Self {
        Self {
            report: report.to_owned(),
            page_url: None,
            page_id: None,
            page_title: None,
            created: false,
            report_date: None,
            source_page_id: None,
            due: false,
            dry_run,
            filed: 0,
            skipped: None,
            notified: None,
            pending: None,
            entries: None,
            changes: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// A page titled `title` is due for the period named by `date`.
    pub fn due(self, date: NaiveDate, title: &str) -> Self {
        Self { due: true, report_date: Some(date), page_title: Some(title.to_owned()), ..self }
    }

    /// No page is due: `why` (`weekend`, or the off day and its reason).
    pub fn skipped(self, why: String) -> Self {
        Self { due: false, skipped: Some(why), ..self }
    }

    /// The page exists at `url`; `created` when this run made it.
    pub fn page(self, id: String, url: String, created: bool) -> Self {
        Self { page_id: Some(id), page_url: Some(url), created, ..self }
    }

    /// The page copied from.
    pub fn source(self, id: String) -> Self {
        Self { source_page_id: Some(id), ..self }
    }

    /// `filed` period pages were filed (or, in a dry run, would be).
    pub fn filed(self, filed: u32) -> Self {
        Self { filed, ..self }
    }

    /// A reminder's result: who has not written, of how many entries.
    pub fn reminded(self, pending: Vec<String>, entries: usize) -> Self {
        Self { pending: Some(pending), entries: Some(entries), ..self }
    }

    /// A reminder's `pending` and `pending_count` outputs (none for an ensure run).
    pub fn pending_fields(&self) -> Vec<(&'static str, String)> {
        match &self.pending {
            Some(pending) => vec![("pending", pending.join(",")), ("pending_count", pending.len().to_string())],
            None => Vec::new(),
        }
    }

    /// The outcome in one word, for the notice, the step summary and the webhook.
    pub fn describe(&self) -> Status<'_> {
        match (self.page_title.as_deref(), self.page_url.as_deref()) {
            _ if !self.due => Status::NotDue,
            (Some(title), _) if self.dry_run => Status::DryRun { title },
            (Some(title), Some(url)) if self.created => Status::Created { title, url },
            (Some(title), Some(url)) => Status::Exists { title, url },
            _ => Status::NoPage,
        }
    }

    /// The result as text, as the CI outputs and webhook placeholders use it: `page_url`,
    /// `page_id`, `page_title`, `created`, `report_date`, `source_page_id` (empty when missing),
    /// `due`, `archived`, `skipped` (empty when due).
    pub fn text_fields(&self) -> [(&'static str, String); 9] {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        [
            ("page_url", text(&self.page_url)),
            ("page_id", text(&self.page_id)),
            ("page_title", text(&self.page_title)),
            ("created", self.created.to_string()),
            ("report_date", self.report_date.map(|d| d.to_string()).unwrap_or_default()),
            ("source_page_id", text(&self.source_page_id)),
            ("due", self.due.to_string()),
            ("archived", self.filed.to_string()),
            ("skipped", text(&self.skipped)),
        ]
    }

    /// One of [`Outcome::text_fields`] by name ("" for an unknown name).
    pub fn text_field(&self, name: &str) -> String {
        self.text_fields().into_iter().find(|(n, _)| *n == name).map(|(_, v)| v).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_covers_every_state() {
        let date = NaiveDate::from_ymd_opt(2025, 6, 5).unwrap();
        let due = Outcome::new("r", false).due(date, "T");
        assert_eq!(Outcome::new("r", false).describe(), Status::NotDue);
        assert_eq!(due.clone().describe(), Status::NoPage);
        assert_eq!(Outcome::new("r", true).due(date, "T").describe(), Status::DryRun { title: "T" });
        let created = due.clone().page("1".into(), "u".into(), true);
        assert_eq!(created.describe(), Status::Created { title: "T", url: "u" });
        assert_eq!(due.page("1".into(), "u".into(), false).describe(), Status::Exists { title: "T", url: "u" });
    }

    #[test]
    fn text_fields_are_empty_when_missing() {
        let o = Outcome::new("r", false);
        assert_eq!(o.text_field("page_url"), "");
        assert_eq!(o.text_field("created"), "false");
        assert_eq!(o.text_field("archived"), "0");
        assert_eq!(o.clone().filed(3).text_field("archived"), "3");
        assert_eq!(o.text_field("no_such_field"), "");
        assert_eq!(o.text_field("skipped"), "");
        assert_eq!(o.clone().skipped("weekend".into()).text_field("skipped"), "weekend");
    }
}
