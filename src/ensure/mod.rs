//! One report's page: make sure this period's page exists, copying the source page when it does
//! not. Written against the [`Confluence`] trait only; it never knows which flavour it talks to.
//! Filing closed periods, which follows, is the sibling module's.

mod body;
mod copy;
mod periods;

use chrono::NaiveDate;
use futures_util::future::join;
use futures_util::stream::{self, StreamExt};

pub use body::DateShift;
pub use copy::{CopySource, Place, make};

use crate::confluence::{ApiError, Carry, Confluence, Lookup, Page, PageExtras, Space};
use crate::holidays::HolidaysError;
use crate::offdays::{self, OffDayRule, OffDays, Skipped};
use crate::outcome::Outcome;
use crate::schedule::Schedule;
use crate::storage::{Prepare, ReadError};
use crate::title::TitleTemplate;

/// Where the page to copy comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceMode {
    /// The last period's page (then `lookback` earlier ones, then the template page).
    Previous,
    /// Always the template page.
    Template,
}

/// What to copy, where, and when: one report's settings for the run logic.
#[derive(Debug, Clone)]
pub struct Report {
    /// The report's name (`default` without a config file).
    pub name: String,
    /// `CONFLUENCE_ROOT_PAGE_ID`: the parent of the period pages.
    pub root_page_id: String,
    /// `CONFLUENCE_SPACE_KEY`: saves the root page lookup on Data Center.
    pub space_key: Option<String>,
    /// `CONFLUENCE_TITLE_TEMPLATE`.
    pub title: TitleTemplate,
    /// `CONFLUENCE_SCHEDULE`.
    pub schedule: Schedule,
    /// `CONFLUENCE_LOOKBACK`: periods before the previous one to search for a source.
    pub lookback: u32,
    /// `CONFLUENCE_TEMPLATE_PAGE_ID`.
    pub template_page_id: Option<String>,
    /// `CONFLUENCE_SOURCE`.
    pub source: SourceMode,
    /// `CONFLUENCE_COPY_LABELS` and `CONFLUENCE_COPY_ATTACHMENTS`: what a copy carries besides
    /// its body, restrictions and properties.
    pub carry: Carry,
    /// `CONFLUENCE_CARRY`, `CONFLUENCE_CLEAR` and `CONFLUENCE_TASKS` (or `CONFLUENCE_RESET_TASKS`):
    /// what the copy's body gets before the dates.
    pub prepare: Prepare,
    /// `CONFLUENCE_REPLACE_DATES`.
    pub replace_dates: DateShift,
    /// `CONFLUENCE_OFF_DAY`: what a period whose page falls on an off day gets.
    pub off_day: OffDayRule,
}

/// Why a report's run failed. Each message says what failed and what to do; the cause (the
/// request and Confluence's answer) follows in the error chain, once.
#[derive(Debug, thiserror::Error)]
pub enum EnsureError {
    /// The service account could not sign in: the token exchange (or, on Cloud, the site's
    /// cloudId) failed.
    #[error("could not sign in as the service account `{client_id}` (CONFLUENCE_CLIENT_ID)")]
    SignIn { client_id: String, source: ApiError },
    #[error(
        "root page {id} (CONFLUENCE_ROOT_PAGE_ID) was not found; check the id and that the token's account can view it"
    )]
    RootNotFound { id: String, source: ApiError },
    #[error("could not read the root page {id} (CONFLUENCE_ROOT_PAGE_ID)")]
    Root { id: String, source: ApiError },
    #[error(
        "no space with key `{key}` (CONFLUENCE_SPACE_KEY) is visible to this account; check the key, or leave CONFLUENCE_SPACE_KEY unset to use the root page's space"
    )]
    SpaceNotFound { key: String },
    #[error("could not read the space `{key}` (CONFLUENCE_SPACE_KEY)")]
    Space { key: String, source: ApiError },
    /// The holiday calendar could not be had: whether this period is off cannot be known.
    #[error("{0}; nothing was written")]
    Holidays(#[from] HolidaysError),
    #[error("could not look up the page titled \"{title}\"")]
    Lookup { title: String, source: ApiError },
    #[error("could not read the template page {id} (CONFLUENCE_TEMPLATE_PAGE_ID)")]
    Template { id: String, source: ApiError },
    #[error(
        "no source page to copy: none of these titles exists in the space: {}. Create the last period's page by hand, raise CONFLUENCE_LOOKBACK, or set CONFLUENCE_TEMPLATE_PAGE_ID",
        searched.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ")
    )]
    NoSource { searched: Vec<String> },
    #[error("could not create the page \"{title}\"")]
    Create { title: String, source: ApiError },
    #[error(
        "Confluence says a page titled \"{title}\" already exists: it is \"{existing}\" ({url}), whose title differs only in letter case (titles are unique ignoring case). Rename that page or change CONFLUENCE_TITLE_TEMPLATE"
    )]
    CaseClash { title: String, existing: String, url: String },
    #[error(
        "Confluence says a page titled \"{title}\" already exists: it is archived ({url}), and archived pages keep their titles. Restore it (it is then this period's page) or rename it, or change CONFLUENCE_TITLE_TEMPLATE"
    )]
    Archived { title: String, url: String },
    #[error(
        "Confluence says a page titled \"{title}\" already exists, but this account can see no page with that title: a page it may not view (restricted) holds it (or an archived page with this title in other capitals). Ask a space admin to find and rename it, give the token's account access to it, or change CONFLUENCE_TITLE_TEMPLATE"
    )]
    HiddenTitle { title: String },
    /// What failed (not found, not permitted, nothing found) when Confluence served the run as
    /// the anonymous user.
    #[error(
        "Confluence treated CONFLUENCE_TOKEN as anonymous: the token is wrong, expired or revoked (Data Center serves unknown personal access tokens as the anonymous user, who sees only public pages and may change nothing). Create a new token and update the secret. As anonymous"
    )]
    Anonymous { source: Box<EnsureError> },
    #[error(
        "created \"{title}\" ({url}) but copying its labels or attachments failed. Copy them by hand, or delete the page and run again"
    )]
    Copy { title: String, url: String, source: ApiError },
    #[error(
        "could not give \"{title}\" the view and edit restrictions of its source, so it was deleted again (a copy is never more open than its source). Check that the token's account may restrict pages in the space, then run again"
    )]
    Restrictions { title: String, source: ApiError },
    #[error(
        "could not give \"{title}\" ({url}) the view and edit restrictions of its source, and deleting it failed too ({delete}). Restrict or delete that page by hand now: it is more open than its source"
    )]
    RestrictionsKept { title: String, url: String, delete: String, source: ApiError },
    /// The source's body cannot be read while a carry, clear or task rule applies: nothing is
    /// written, since a copy with last period's entries would be silently wrong.
    #[error(
        "could not prepare \"{title}\" from \"{source_title}\" ({source_id}) with CONFLUENCE_CARRY, CONFLUENCE_CLEAR or CONFLUENCE_TASKS; nothing was written"
    )]
    Unreadable { title: String, source_title: String, source_id: String, source: ReadError },
}

/// The page to copy, and the date it was for (none for the template page).
struct Source {
    page: Page,
    date: Option<NaiveDate>,
}

impl EnsureError {
    /// Whether this failure looks like what a wrong Data Center token served as the anonymous user
    /// causes: content not found or not permitted, or nothing found at all.
    fn may_be_anonymous(&self) -> bool {
        match self {
            Self::NoSource { .. } | Self::SpaceNotFound { .. } | Self::HiddenTitle { .. } => true,
            Self::RootNotFound { source, .. }
            | Self::Root { source, .. }
            | Self::Space { source, .. }
            | Self::Lookup { source, .. }
            | Self::Template { source, .. }
            | Self::Create { source, .. } => matches!(source.status(), Some(401 | 403 | 404)),
            Self::SignIn { .. }
            | Self::Holidays(_)
            | Self::CaseClash { .. }
            | Self::Archived { .. }
            | Self::Anonymous { .. }
            | Self::Copy { .. }
            | Self::Restrictions { .. }
            | Self::RestrictionsKept { .. }
            | Self::Unreadable { .. } => false,
        }
    }
}

/// How every report's run writes: built once per run from the configuration and borrowed by
/// each report's page and its filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// `CONFLUENCE_DRY_RUN`: read, and write nothing.
    pub dry_run: bool,
    /// How many times a create (or copy) whose answer was lost (a timeout, a dropped connection,
    /// a 500, 502 or 504) is re-checked by title and, when no page is there, sent again. It is
    /// `CONFLUENCE_MAX_RETRIES`, the budget every other failed request gets from the HTTP layer,
    /// which itself never repeats a POST whose outcome is unknown (docs/how-a-run-works.md).
    pub lost_answer_retries: u32,
    /// `CONFLUENCE_CONCURRENCY`: how many pages filing moves at once (the HTTP layer's limit on
    /// requests in flight holds across reports besides).
    pub concurrency: usize,
}

/// A report's page, ensured: the outcome, and (when a page was due) where it is.
#[derive(Debug)]
pub struct Ensured {
    pub outcome: Outcome,
    /// This period, when a page was due: what filing closed periods starts from.
    pub period: Option<ThisPeriod>,
}

/// This period's date and the space its page is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThisPeriod {
    pub date: NaiveDate,
    pub space: Space,
}

/// Makes sure the period page for `today` (the day the run acts for) exists. `off_days` (the
/// report's holiday calendar being fetched) is awaited beside the first lookup. A failure that a
/// wrong token served as anonymous would cause is checked for that (one request, only then).
pub async fn ensure<C: Confluence>(
    confluence: &C,
    report: &Report,
    today: NaiveDate,
    options: &Options,
    off_days: impl Future<Output = Result<OffDays, HolidaysError>>,
) -> Result<Ensured, EnsureError> {
    match ensure_page(confluence, report, today, options, off_days).await {
        // A wrong Data Center token can be served as anonymous: 404, 403 or empty lookups
        // instead of 401, whether or not CONFLUENCE_SPACE_KEY saved the root page lookup.
        Err(err) if err.may_be_anonymous() && confluence.extras().is_anonymous().await.unwrap_or(false) => {
            Err(EnsureError::Anonymous { source: Box::new(err) })
        }
        other => other,
    }
}

async fn ensure_page<C: Confluence>(
    confluence: &C,
    report: &Report,
    today: NaiveDate,
    options: &Options,
    off_days: impl Future<Output = Result<OffDays, HolidaysError>>,
) -> Result<Ensured, EnsureError> {
    let outcome = Outcome::new(&report.name, options.dry_run);
    let Some(regular) = report.schedule.period_date(today) else {
        tracing::info!(report = %report.name, "nothing is due on {today} for schedule {}", report.schedule);
        return Ok(Ensured { outcome: outcome.skipped(Skipped::Weekend.to_string()), period: None });
    };
    // The calendar comes in while the space is looked up: no round trip of its own.
    let (space, off) = join(space(confluence, report), off_days).await;
    let off = off?;
    let (date, title) = match this_period_page(report, today, &off) {
        Ok(page) => page,
        Err(skipped) => {
            tracing::info!(report = %report.name, "no page for the period of {regular}: {skipped}");
            return Ok(Ensured { outcome: outcome.skipped(skipped.to_string()), period: None });
        }
    };
    if date != regular {
        tracing::info!(report = %report.name, "{}; the page is made for {date}", off.is_off(regular).map(|r| r.to_string()).unwrap_or_default());
    }
    let outcome = outcome.due(date, &title);
    let space = space?;

    // This period's page and the most likely source go out together.
    let candidates = periods::source_candidates(report, &off, regular);
    let (current, first) = join(
        find(confluence, &space, &title, Lookup::NoBody),
        first_source(confluence, report, &space, candidates.first()),
    )
    .await;
    let this = This { space: &space, title: &title, candidates: &candidates, date };
    let outcome = this_period(confluence, report, options, &this, outcome, current?, first).await?;
    Ok(Ensured { outcome, period: Some(ThisPeriod { date, space }) })
}

/// This period: where, what, and which sources to try.
struct This<'a> {
    space: &'a Space,
    title: &'a str,
    candidates: &'a [(NaiveDate, String)],
    date: NaiveDate,
}

/// This period's page: the one found, or a copy of the first source found (in a dry run: none).
async fn this_period<C: Confluence>(
    confluence: &C,
    report: &Report,
    options: &Options,
    this: &This<'_>,
    outcome: Outcome,
    current: Option<Page>,
    first: Result<Option<Source>, EnsureError>,
) -> Result<Outcome, EnsureError> {
    let &This { space, title, candidates, date } = this;
    if let Some(page) = current {
        tracing::info!(report = %report.name, "\"{title}\" already exists: {}", page.url);
        return Ok(outcome.page(page.id, page.url, false));
    }
    let mut source = match first? {
        Some(source) => source,
        None => other_sources(confluence, report, space, candidates).await?,
    };
    let mut outcome = outcome.source(source.page.id.clone());
    // The source's body is not needed once prepared: a large body is held once, not twice.
    let body = source.page.body.take().unwrap_or_default();
    let prepared =
        body::prepare(report, &report.prepare, body, source.date, date).map_err(|err| EnsureError::Unreadable {
            title: title.to_owned(),
            source_title: source.page.title.clone(),
            source_id: source.page.id.clone(),
            source: err,
        })?;
    outcome.changes = body::changes(&prepared, report.prepare.tasks);
    let would = if options.dry_run { "dry run: would " } else { "" };
    for change in &outcome.changes {
        tracing::info!(report = %report.name, "{would}{change}");
    }
    for change in prepared.rules.iter().filter(|change| change.changed_nothing()) {
        tracing::warn!(report = %report.name, "{change} in \"{}\"; the page is made anyway", source.page.title);
        outcome.warnings.push(format!("{change} in \"{}\"", source.page.title));
    }
    let body = prepared.body;

    if options.dry_run {
        tracing::info!(
            report = %report.name,
            "dry run: would create \"{title}\" under page {} from \"{}\" ({})",
            report.root_page_id, source.page.title, source.page.id
        );
        return Ok(outcome);
    }

    let from = CopySource::Page { id: &source.page.id, body: &body, carry: report.carry };
    let place = Place { space, parent_id: &report.root_page_id, title };
    let made = make(confluence, &from, place, options.lost_answer_retries).await?;
    let created = made.by_this_run();
    let page = made.into_page();
    if created {
        tracing::info!(report = %report.name, "created \"{title}\" from \"{}\": {}", source.page.title, page.url);
    } else {
        tracing::info!(report = %report.name, "another run created \"{title}\" first: {}", page.url);
    }
    Ok(outcome.page(page.id, page.url, created))
}

/// This period's date and its page's title, when a page is due on `today` (the day the run acts
/// for), after the off days; else why not. Reminders ask this (a period without a page gets no
/// reminder); an ensure run works it out beside its first lookups.
pub fn this_period_page(report: &Report, today: NaiveDate, off: &OffDays) -> Result<(NaiveDate, String), Skipped> {
    let regular = report.schedule.period_date(today).ok_or(Skipped::Weekend)?;
    let date = offdays::page_day(&report.schedule, report.off_day, off, regular)?;
    Ok((date, periods::title(report, regular, date)))
}

/// The space the pages live in: `CONFLUENCE_SPACE_KEY`, or the root page's.
pub(crate) async fn space<C: Confluence>(c: &C, report: &Report) -> Result<Space, EnsureError> {
    let id = &report.root_page_id;
    match &report.space_key {
        Some(key) => match c.space_by_key(key).await {
            Ok(Some(space)) => Ok(space),
            Ok(None) => Err(EnsureError::SpaceNotFound { key: key.clone() }),
            Err(source) => Err(EnsureError::Space { key: key.clone(), source }),
        },
        None => match c.root_space(id).await {
            Ok(space) => Ok(space),
            Err(source @ ApiError::NotFound { .. }) => Err(EnsureError::RootNotFound { id: id.clone(), source }),
            Err(source) => Err(EnsureError::Root { id: id.clone(), source }),
        },
    }
}

async fn find<C: Confluence>(c: &C, space: &Space, title: &str, wants: Lookup) -> Result<Option<Page>, EnsureError> {
    c.find_page(space, title, wants).await.map_err(|source| EnsureError::Lookup { title: title.to_owned(), source })
}

async fn template<C: Confluence>(c: &C, report: &Report) -> Result<Option<Source>, EnsureError> {
    let Some(id) = &report.template_page_id else { return Ok(None) };
    let page = c.get_page(id).await.map_err(|source| EnsureError::Template { id: id.clone(), source })?;
    Ok(Some(Source { page, date: None }))
}

/// The previous period's page, or the template page when the template is always used.
async fn first_source<C: Confluence>(
    c: &C,
    report: &Report,
    space: &Space,
    previous: Option<&(NaiveDate, String)>,
) -> Result<Option<Source>, EnsureError> {
    match previous {
        Some((date, title)) => {
            Ok(find(c, space, title, Lookup::WithBody).await?.map(|page| Source { page, date: Some(*date) }))
        }
        None => template(c, report).await,
    }
}

/// The lookback periods, then the template page. The lookups are sent together (within
/// `CONFLUENCE_CONCURRENCY`) and read most recent first: once one finds its page, the ones still
/// waiting for their turn are not sent.
async fn other_sources<C: Confluence>(
    c: &C,
    report: &Report,
    space: &Space,
    candidates: &[(NaiveDate, String)],
) -> Result<Source, EnsureError> {
    let earlier = candidates.get(1..).unwrap_or_default();
    let lookback = async {
        let mut found = stream::iter(earlier)
            .map(|(date, title)| async move {
                Ok::<_, EnsureError>(
                    find(c, space, title, Lookup::WithBody).await?.map(|page| Source { page, date: Some(*date) }),
                )
            })
            .buffered(earlier.len().max(1));
        while let Some(source) = found.next().await {
            if let Some(source) = source? {
                return Ok(Some(source));
            }
        }
        Ok(None)
    };
    let template = async { if candidates.is_empty() { Ok(None) } else { template(c, report).await } };
    match join(lookback, template).await {
        (Err(err), _) => Err(err),
        (Ok(Some(source)), _) => Ok(source),
        (Ok(None), template) => match template? {
            Some(source) => Ok(source),
            None => Err(EnsureError::NoSource { searched: candidates.iter().map(|(_, t)| t.clone()).collect() }),
        },
    }
}

#[cfg(test)]
pub(crate) mod tests;
