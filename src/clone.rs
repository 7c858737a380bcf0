//! One report's run: make sure this period's page exists, copying the source page when it does
//! not. Written against the [`Confluence`] trait only; it never knows which flavour it talks to.

use chrono::NaiveDate;
use futures_util::future::{join, join_all};
use futures_util::stream::{self, StreamExt, TryStreamExt};
use serde::Serialize;

use crate::config::{Report, SourceMode};
use crate::confluence::{ApiError, Attachment, Confluence, NewPage, Page, Space};

/// How many attachments are copied at once.
const ATTACHMENT_CONCURRENCY: usize = 4;

/// The result of one report: what stdout, the CI outputs and the webhook say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub report: String,
    pub page_url: Option<String>,
    pub page_id: Option<String>,
    pub page_title: Option<String>,
    pub created: bool,
    pub report_date: Option<NaiveDate>,
    pub source_page_id: Option<String>,
    pub due: bool,
    pub dry_run: bool,
}

impl Outcome {
    /// The result as text, as the CI outputs and webhook placeholders use it: `page_url`,
    /// `page_id`, `page_title`, `created`, `report_date`, `source_page_id` (empty when missing).
    pub fn text_fields(&self) -> [(&'static str, String); 6] {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        [
            ("page_url", text(&self.page_url)),
            ("page_id", text(&self.page_id)),
            ("page_title", text(&self.page_title)),
            ("created", self.created.to_string()),
            ("report_date", self.report_date.map(|d| d.to_string()).unwrap_or_default()),
            ("source_page_id", text(&self.source_page_id)),
        ]
    }

    /// One of [`Outcome::text_fields`] by name.
    pub fn text_field(&self, name: &str) -> String {
        self.text_fields().into_iter().find(|(n, _)| *n == name).map(|(_, v)| v).unwrap_or_default()
    }
}

/// Why a report's run failed. Each message says what failed and what to do.
#[derive(Debug, thiserror::Error)]
pub enum CloneError {
    #[error(
        "root page {id} (CONFLUENCE_ROOT_PAGE_ID) was not found: check the id and that the token's account can view it ({source})"
    )]
    RootNotFound { id: String, source: ApiError },
    #[error("could not read the root page {id} (CONFLUENCE_ROOT_PAGE_ID): {source}")]
    Root { id: String, source: ApiError },
    #[error("could not look up the page titled \"{title}\": {source}")]
    Lookup { title: String, source: ApiError },
    #[error("could not read the template page {id} (CONFLUENCE_TEMPLATE_PAGE_ID): {source}")]
    Template { id: String, source: ApiError },
    #[error(
        "no source page to copy: none of these titles exists in the space: {}. Create the last period's page by hand, raise CONFLUENCE_LOOKBACK, or set CONFLUENCE_TEMPLATE_PAGE_ID",
        searched.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ")
    )]
    NoSource { searched: Vec<String> },
    #[error("could not create the page \"{title}\": {source}")]
    Create { title: String, source: ApiError },
    #[error(
        "Confluence says a page titled \"{title}\" already exists, but no page has exactly that title: another page's title differs only in letter case (titles are unique ignoring case). Rename that page or change CONFLUENCE_TITLE_TEMPLATE"
    )]
    CaseClash { title: String },
    #[error(
        "created \"{title}\" ({url}) but copying its labels or attachments failed: {source}. Copy them by hand, or delete the page and run again"
    )]
    Copy { title: String, url: String, source: ApiError },
}

/// The page to copy, and the date it was for (none for the template page).
struct Source {
    page: Page,
    date: Option<NaiveDate>,
}

/// Makes sure the period page for `today` exists. `create_attempts` bounds how often a create
/// whose answer was lost is re-checked and tried again.
pub async fn ensure<C: Confluence>(
    confluence: &C,
    report: &Report,
    today: NaiveDate,
    dry_run: bool,
    create_attempts: u32,
) -> Result<Outcome, CloneError> {
    let mut outcome = Outcome {
        report: report.name.clone(),
        page_url: None,
        page_id: None,
        page_title: None,
        created: false,
        report_date: None,
        source_page_id: None,
        due: false,
        dry_run,
    };
    let Some(date) = report.schedule.period_date(today) else {
        tracing::info!(report = %report.name, "nothing is due on {today} for schedule {}", report.schedule);
        return Ok(outcome);
    };
    let title = report.title.render(date);
    outcome.due = true;
    outcome.report_date = Some(date);
    outcome.page_title = Some(title.clone());

    let space = match &report.space_key {
        Some(key) => confluence.space_by_key(key).await,
        None => confluence.root_space(&report.root_page_id).await,
    }
    .map_err(|source| match source.status() {
        Some(404) if report.space_key.is_none() => CloneError::RootNotFound { id: report.root_page_id.clone(), source },
        _ => CloneError::Root { id: report.root_page_id.clone(), source },
    })?;

    // This period's page and the most likely source go out together.
    let candidates = source_candidates(report, date);
    let (current, first) =
        join(find(confluence, &space, &title, false), first_source(confluence, report, &space, candidates.first()))
            .await;
    if let Some(page) = current? {
        tracing::info!(report = %report.name, "\"{title}\" already exists: {}", page.url);
        return Ok(Outcome { page_url: Some(page.url), page_id: Some(page.id), ..outcome });
    }
    let source = match first? {
        Some(source) => source,
        None => other_sources(confluence, report, &space, &candidates).await?,
    };
    outcome.source_page_id = Some(source.page.id.clone());
    let body = transform(report, &source, date);

    if dry_run {
        tracing::info!(
            report = %report.name,
            "dry run: would create \"{title}\" under page {} from \"{}\" ({})",
            report.root_page_id, source.page.title, source.page.id
        );
        return Ok(outcome);
    }

    let new = NewPage { space: &space, parent_id: &report.root_page_id, title: &title, body: &body };
    // The source's labels and attachment list are read while the create is under way.
    let (created_page, extras) =
        join(create(confluence, &space, new, create_attempts), read_extras(confluence, report, &source.page)).await;
    let (page, created) = created_page?;
    if created {
        tracing::info!(report = %report.name, "created \"{title}\" from \"{}\": {}", source.page.title, page.url);
        let failed = |source| CloneError::Copy { title: page.title.clone(), url: page.url.clone(), source };
        write_extras(confluence, extras.map_err(failed)?, &page).await.map_err(failed)?;
    } else {
        tracing::info!(report = %report.name, "another run created \"{title}\" first: {}", page.url);
    }
    Ok(Outcome { page_url: Some(page.url), page_id: Some(page.id), created, ..outcome })
}

/// The earlier periods to copy from, most recent first: the previous period, then
/// `lookback` more. Empty when the template is always used.
fn source_candidates(report: &Report, date: NaiveDate) -> Vec<(NaiveDate, String)> {
    if report.source == SourceMode::Template {
        return Vec::new();
    }
    std::iter::successors(Some(report.schedule.previous(date)), |d| Some(report.schedule.previous(*d)))
        .take(report.lookback as usize + 1)
        .map(|d| (d, report.title.render(d)))
        .collect()
}

async fn find<C: Confluence>(c: &C, space: &Space, title: &str, with_body: bool) -> Result<Option<Page>, CloneError> {
    c.find_page(space, title, with_body).await.map_err(|source| CloneError::Lookup { title: title.to_owned(), source })
}

async fn template<C: Confluence>(c: &C, report: &Report) -> Result<Option<Source>, CloneError> {
    let Some(id) = &report.template_page_id else { return Ok(None) };
    let page = c.get_page(id).await.map_err(|source| CloneError::Template { id: id.clone(), source })?;
    Ok(Some(Source { page, date: None }))
}

/// The previous period's page, or the template page when the template is always used.
async fn first_source<C: Confluence>(
    c: &C,
    report: &Report,
    space: &Space,
    previous: Option<&(NaiveDate, String)>,
) -> Result<Option<Source>, CloneError> {
    match previous {
        Some((date, title)) => Ok(find(c, space, title, true).await?.map(|page| Source { page, date: Some(*date) })),
        None => template(c, report).await,
    }
}

/// The lookback periods (all at once), then the template page.
async fn other_sources<C: Confluence>(
    c: &C,
    report: &Report,
    space: &Space,
    candidates: &[(NaiveDate, String)],
) -> Result<Source, CloneError> {
    let earlier = candidates.get(1..).unwrap_or_default();
    let (found, template) = join(join_all(earlier.iter().map(|(_, title)| find(c, space, title, true))), async {
        if candidates.is_empty() { Ok(None) } else { template(c, report).await }
    })
    .await;
    for ((date, _), page) in earlier.iter().zip(found) {
        if let Some(page) = page? {
            return Ok(Source { page, date: Some(*date) });
        }
    }
    match template? {
        Some(source) => Ok(source),
        None => Err(CloneError::NoSource { searched: candidates.iter().map(|(_, t)| t.clone()).collect() }),
    }
}

/// Sends the create once, and decides what a refusal or a lost answer means:
/// "title exists" → another run won; lost → look the title up before trying again.
async fn create<C: Confluence>(
    c: &C,
    space: &Space,
    new: NewPage<'_>,
    attempts: u32,
) -> Result<(Page, bool), CloneError> {
    let title = new.title;
    let mut attempt = 0;
    loop {
        attempt += 1;
        match c.create_page(new.clone()).await {
            Ok(page) => return Ok((page, true)),
            Err(err) if err.is_duplicate_title() => {
                return match find(c, space, title, false).await? {
                    Some(page) => Ok((page, false)),
                    None => Err(CloneError::CaseClash { title: title.to_owned() }),
                };
            }
            Err(err) if err.outcome_unknown() && attempt <= attempts => {
                tracing::warn!("{err}; checking whether the page was created before trying again");
                if let Some(page) = find(c, space, title, false).await? {
                    return Ok((page, true));
                }
            }
            Err(source) => return Err(CloneError::Create { title: title.to_owned(), source }),
        }
    }
}

/// What is copied besides the body.
struct Extras {
    labels: Vec<String>,
    attachments: Vec<Attachment>,
}

/// The source's labels and attachments, as far as they are to be copied.
async fn read_extras<C: Confluence>(c: &C, report: &Report, from: &Page) -> Result<Extras, ApiError> {
    let labels = async { if report.copy_labels { c.labels(&from.id).await } else { Ok(Vec::new()) } };
    let attachments = async { if report.copy_attachments { c.attachments(&from.id).await } else { Ok(Vec::new()) } };
    let (labels, attachments) = join(labels, attachments).await;
    Ok(Extras { labels: labels?, attachments: attachments? })
}

/// Adds the labels and copies the attachments (a few at a time) to the new page.
async fn write_extras<C: Confluence>(c: &C, extras: Extras, to: &Page) -> Result<(), ApiError> {
    let labels = async { if extras.labels.is_empty() { Ok(()) } else { c.add_labels(&to.id, &extras.labels).await } };
    let attachments = stream::iter(&extras.attachments)
        .map(|a| async move {
            let data = c.download(a).await?;
            match c.upload(&to.id, a, data).await {
                // A concurrent run that also saw its create answer lost copied it already.
                Err(err) if err.status() == Some(400) && err.to_string().contains("same file name") => Ok(()),
                other => other,
            }
        })
        .buffer_unordered(ATTACHMENT_CONCURRENCY)
        .try_collect::<()>();
    let (labels, attachments) = join(labels, attachments).await;
    labels.and(attachments)
}

/// The source body with the configured transforms applied.
fn transform(report: &Report, source: &Source, date: NaiveDate) -> String {
    let mut body = source.page.body.clone().unwrap_or_default();
    if report.reset_tasks {
        body = reset_tasks(&body);
    }
    if let (true, Some(from)) = (report.replace_dates, source.date) {
        body = replace_dates(&body, &date_pairs(report, from, date));
    }
    body
}

/// Every completed task becomes an open one.
pub fn reset_tasks(body: &str) -> String {
    body.replace("<ac:task-status>complete</ac:task-status>", "<ac:task-status>incomplete</ac:task-status>")
}

/// The renderings of the old date (title formats, then ISO) paired with the new date's.
fn date_pairs(report: &Report, from: NaiveDate, to: NaiveDate) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> =
        report.title.rendered_dates(from).into_iter().zip(report.title.rendered_dates(to)).collect();
    let iso = (from.format("%Y-%m-%d").to_string(), to.format("%Y-%m-%d").to_string());
    if !pairs.contains(&iso) {
        pairs.push(iso);
    }
    pairs
}

/// Replaces each old date with its new one in a single pass, so a replacement is never
/// replaced again (e.g. when one format's output contains another's).
pub fn replace_dates(body: &str, pairs: &[(String, String)]) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    'outer: while !rest.is_empty() {
        // Longest match first, so "2025-06-05" wins over "06-05".
        let mut best: Option<&(String, String)> = None;
        for pair in pairs.iter().filter(|(old, _)| !old.is_empty() && rest.starts_with(old.as_str())) {
            if best.is_none_or(|b| pair.0.len() > b.0.len()) {
                best = Some(pair);
            }
        }
        if let Some((old, new)) = best {
            out.push_str(new);
            rest = &rest[old.len()..];
            continue 'outer;
        }
        let ch = rest.chars().next().expect("rest is not empty");
        out.push(ch);
        rest = &rest[ch.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completed_tasks_are_reopened() {
        let body = "<ac:task><ac:task-status>complete</ac:task-status></ac:task><ac:task><ac:task-status>incomplete</ac:task-status></ac:task>";
        assert_eq!(reset_tasks(body).matches("<ac:task-status>incomplete</ac:task-status>").count(), 2);
    }

    #[test]
    fn dates_are_replaced_once_each() {
        let pairs =
            vec![("20250529".to_owned(), "20250605".to_owned()), ("2025-05-29".to_owned(), "2025-06-05".to_owned())];
        let body = "<p>20250529 주간 보고</p><time datetime=\"2025-05-29\" /><p>2025-05-290</p>";
        assert_eq!(
            replace_dates(body, &pairs),
            "<p>20250605 주간 보고</p><time datetime=\"2025-06-05\" /><p>2025-06-050</p>"
        );
        // A new date that contains an old one is not replaced again.
        let chain = vec![("05".to_owned(), "0505".to_owned())];
        assert_eq!(replace_dates("a05b", &chain), "a0505b");
    }
}
