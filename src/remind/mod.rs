//! A reminder run (`CONFLUENCE_MODE=remind`): find this period's page (never make it), read its
//! body and its first version's, and name the people whose entries are unchanged or empty.
//! Written against the [`Confluence`] trait only; it writes nothing to Confluence.
//!
//! Round trips: the root page's space (none with `CONFLUENCE_SPACE_KEY` on Data Center), the title
//! lookup with the body, then the first version together with the mentions' names; the webhook
//! is the fourth.

pub mod message;

use std::collections::HashMap;
use std::future::Future;

use chrono::NaiveDate;
use futures_util::future::join;

use crate::confluence::{ApiError, Confluence, Lookup};
use crate::ensure::{self, EnsureError, Report};
use crate::holidays::HolidaysError;
use crate::offdays::{OffDays, Skipped};
use crate::outcome::Outcome;
use crate::storage::{self, Entry, Owner, ReadError};

pub use message::People;

/// `CONFLUENCE_MODE`: what the whole run does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Make sure this period's page exists.
    #[default]
    Ensure,
    /// Say who has not written on it yet.
    Remind,
}

impl std::str::FromStr for Mode {
    type Err = crate::parse_error::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ensure" => Ok(Self::Ensure),
            "remind" => Ok(Self::Remind),
            _ => Err(crate::parse_error::ParseError::unknown("mode", s, "ensure or remind")),
        }
    }
}

/// One report's reminder settings.
#[derive(Debug, Clone, Default)]
pub struct Remind {
    /// `CONFLUENCE_REMIND`: the columns or sections each person fills.
    pub names: Vec<String>,
    /// `CONFLUENCE_PEOPLE`: chat mentions by name.
    pub people: People,
}

/// Why a reminder failed.
#[derive(Debug, thiserror::Error)]
pub enum RemindError {
    /// The root page or space could not be read, or the title lookup failed.
    #[error(transparent)]
    Ensure(Box<EnsureError>),
    #[error(
        "no page for this period yet: \"{title}\" does not exist, so there is nobody to remind. Run without CONFLUENCE_MODE=remind (or --remind) first to make it"
    )]
    NoPage { title: String },
    #[error("could not read the first version of \"{title}\" ({url})")]
    FirstVersion { title: String, url: String, source: ApiError },
    #[error("could not look up the people mentioned on \"{title}\"")]
    People { title: String, source: ApiError },
    #[error("could not read \"{title}\" ({url}) to find the entries of CONFLUENCE_REMIND")]
    Unreadable { title: String, url: String, source: ReadError },
}

impl From<EnsureError> for RemindError {
    fn from(err: EnsureError) -> Self {
        Self::Ensure(Box::new(err))
    }
}

/// Who has not written on this period's page for `today` (the day the run acts for).
pub async fn remind<C: Confluence>(
    c: &C,
    report: &Report,
    remind: &Remind,
    today: NaiveDate,
    dry_run: bool,
    off_days: impl Future<Output = Result<OffDays, HolidaysError>>,
) -> Result<Outcome, RemindError> {
    let outcome = Outcome::new(&report.name, dry_run);
    if report.schedule.period_date(today).is_none() {
        tracing::info!(report = %report.name, "nothing is due on {today} for schedule {}: no reminder", report.schedule);
        return Ok(outcome.skipped(Skipped::Weekend.to_string()));
    }
    // The calendar comes in while the space is looked up, as in an ensure run.
    let (space, off) = join(ensure::space(c, report), off_days).await;
    let off = off.map_err(EnsureError::from)?;
    // The same period and title as an ensure run: a period without a page gets no reminder.
    let (date, title) = match ensure::this_period_page(report, today, &off) {
        Ok(page) => page,
        Err(skipped) => {
            tracing::info!(report = %report.name, "no page for this period ({skipped}): no reminder");
            return Ok(outcome.skipped(skipped.to_string()));
        }
    };
    let outcome = outcome.due(date, &title);
    let space = space?;
    let page = c
        .find_page(&space, &title, Lookup::WithBody)
        .await
        .map_err(|source| EnsureError::Lookup { title: title.clone(), source })?
        .ok_or_else(|| RemindError::NoPage { title: title.clone() })?;
    let unreadable = |source| RemindError::Unreadable { title: title.clone(), url: page.url.clone(), source };
    let now = storage::entries(page.body.as_deref().unwrap_or_default(), &remind.names).map_err(unreadable)?;
    let mut ids: Vec<String> = now
        .entries
        .iter()
        .filter_map(|e| match &e.owner {
            Owner::UserKey(id) | Owner::AccountId(id) => Some(id.clone()),
            Owner::Text(_) => None,
        })
        .collect();
    ids.sort();
    ids.dedup();
    let names = async { if ids.is_empty() { Ok(HashMap::new()) } else { c.display_names(&ids).await } };
    let (first, names) = join(c.first_version(&page.id), names).await;
    let first =
        first.map_err(|source| RemindError::FirstVersion { title: title.clone(), url: page.url.clone(), source })?;
    let names = names.map_err(|source| RemindError::People { title: title.clone(), source })?;
    let first = storage::entries(&first, &remind.names).map_err(unreadable)?;

    let pending = owners(&storage::pending(&now.entries, &first.entries), &names);
    let mut outcome = outcome.page(page.id.clone(), page.url.clone(), false).reminded(pending, now.entries.len());
    for name in &now.unmatched {
        let warning = format!("CONFLUENCE_REMIND: no column or section named \"{name}\" on \"{title}\"");
        tracing::warn!(report = %report.name, "{warning}");
        outcome.warnings.push(warning);
    }
    match outcome.pending.as_deref().unwrap_or_default() {
        [] => tracing::info!(report = %report.name, "everyone has written on \"{title}\""),
        pending => tracing::info!(report = %report.name, "not written yet on \"{title}\": {}", pending.join(", ")),
    }
    Ok(outcome)
}

/// The owners of `pending`, in page order, each once; a mention as its display name (as its id
/// when Confluence does not know it).
fn owners(pending: &[&Entry], names: &HashMap<String, String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for entry in pending {
        let name = match &entry.owner {
            Owner::Text(text) => text.clone(),
            Owner::UserKey(id) | Owner::AccountId(id) => names.get(id).cloned().unwrap_or_else(|| {
                tracing::warn!("no name for the user {id} mentioned on the page; reminding them by id");
                id.clone()
            }),
        };
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests;
