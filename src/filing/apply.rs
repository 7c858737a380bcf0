//! Filing one report's closed periods: survey the root's children (listed together with the
//! page's first lookups, by `run`), look up the group pages not at the root (finest line first,
//! a round per line), plan, create the missing group pages parents first, then move a few pages
//! at a time. Written against the [`Confluence`] trait only.
//!
//! A problem with one group (held by a page elsewhere, not creatable) leaves the others filed;
//! a failed move stops new moves and leaves what moved in place. Every problem is returned, so
//! the run reports the page it ensured and still fails.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::future::join_all;
use futures_util::stream::{self, StreamExt};

use super::lines::Groups;
use super::plan::{Create, Move, Parent, Plan};
use crate::confluence::{ApiError, Child, Confluence, Placed};
use crate::ensure::{self, CopySource, EnsureError, Options, Place, Report, ThisPeriod};

/// A group page's body: a Children Display macro, so it lists exactly the children the reader
/// may see.
const GROUP_BODY: &str = r#"<ac:structured-macro ac:name="children" ac:schema-version="2"/>"#;

/// Why (part of) the filing failed. The page this run ensured is unaffected; each message names
/// what was not filed and what to do.
#[derive(Debug, thiserror::Error)]
pub enum FilingError {
    #[error(
        "could not list the pages under the root page {root} to file closed periods (CONFLUENCE_ARCHIVE); nothing was filed, the next run tries again"
    )]
    List { root: String, source: ApiError },
    #[error(
        "could not look up the group page \"{title}\" (CONFLUENCE_ARCHIVE); nothing was filed, the next run tries again"
    )]
    Lookup { title: String, source: ApiError },
    #[error(
        "could not create the group page \"{title}\" (CONFLUENCE_ARCHIVE); nothing was filed into it, the next run tries again"
    )]
    Group { title: String, source: Box<EnsureError> },
    #[error(
        "the group title \"{title}\" (CONFLUENCE_ARCHIVE) is held by a page outside the root page's tree: {url}. Nothing was filed into it (the other groups were); rename or delete that page, or move it under the root page (or under its parent group's page), or change CONFLUENCE_ARCHIVE"
    )]
    Foreign { title: String, url: String },
    #[error(
        "could not move \"{title}\" (page {id}) under the group page \"{into}\" (CONFLUENCE_ARCHIVE); the pages moved so far stay there and the next run files the rest"
    )]
    Move { title: String, id: String, into: String, source: ApiError },
}

/// What the filing came to: period pages filed (in a dry run: would be; the `archived` output),
/// and every problem.
#[derive(Debug, Default)]
pub struct Filed {
    pub pages: u32,
    pub errors: Vec<FilingError>,
}

/// One report's filing: its group lines, the report, and this period (its date after days ahead,
/// and the space, as ensuring the page found them).
#[derive(Debug, Clone, Copy)]
pub struct Filing<'a> {
    pub groups: &'a Groups,
    pub report: &'a Report,
    pub period: &'a ThisPeriod,
}

/// Files the closed periods among `listing` (the root's children, as listed with the page's first
/// lookups).
pub async fn file<C: Confluence>(
    c: &C,
    f: &Filing<'_>,
    options: &Options,
    listing: Result<Vec<Child>, ApiError>,
) -> Filed {
    let root = &f.report.root_page_id;
    let children = match listing {
        Ok(children) => children,
        Err(source) => return failed(FilingError::List { root: root.clone(), source }),
    };
    let survey = f.groups.survey(&f.report.title, &f.report.schedule, f.period.date, &children);
    let mut found: HashMap<String, Placed> = HashMap::new();
    for round in survey.lookups() {
        let answers = join_all(round.iter().map(|title| c.find_placed(&f.period.space, title))).await;
        for (title, answer) in round.iter().zip(answers) {
            match answer {
                Ok(Some(page)) => drop(found.insert((*title).to_owned(), page)),
                Ok(None) => {}
                Err(source) => return failed(FilingError::Lookup { title: (*title).to_owned(), source }),
            }
        }
    }
    let plan = survey.plan(root, &found);
    let mut filed = Filed::default();
    for foreign in &plan.foreign {
        filed.errors.push(FilingError::Foreign { title: foreign.title.clone(), url: foreign.page.url.clone() });
    }
    if options.dry_run {
        dry_run(f, &plan);
        filed.pages = count(plan.period_moves.len());
        return filed;
    }
    // Group title → page id: the root's children and the groups found in their place.
    let mut ids: HashMap<String, String> = children.into_iter().map(|c| (c.title, c.id)).collect();
    let foreign = |t: &String| plan.foreign.iter().any(|g| &g.title == t);
    ids.extend(found.into_iter().filter(|(t, _)| !foreign(t)).map(|(t, page)| (t, page.id)));
    create_groups(c, f, options, &plan.creates, &mut ids, &mut filed.errors).await;
    filed.pages = move_pages(c, &plan, &ids, options.concurrency, &mut filed.errors).await;
    if filed.pages > 0 {
        tracing::info!(report = %f.report.name, "filed {} period page(s) under their group pages", filed.pages);
    }
    filed
}

fn failed(err: FilingError) -> Filed {
    Filed { pages: 0, errors: vec![err] }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Logs what a run would do, writing nothing.
fn dry_run(f: &Filing<'_>, plan: &Plan) {
    let name = &f.report.name;
    for create in &plan.creates {
        match &create.parent {
            Parent::Root => {
                tracing::info!(report = %name, "dry run: would create the group page \"{}\" under the root page", create.title);
            }
            Parent::Group(group) => {
                tracing::info!(report = %name, "dry run: would create the group page \"{}\" under \"{group}\"", create.title);
            }
        }
    }
    for m in plan.group_moves.iter().chain(&plan.period_moves) {
        tracing::info!(report = %name, "dry run: would move \"{}\" under \"{}\"", m.title, m.into);
    }
}

/// Creates the missing group pages, parents first (each level at once); records each made page's
/// id. A group made by a racing run is used. A group whose parent could not be made is skipped.
async fn create_groups<C: Confluence>(
    c: &C,
    f: &Filing<'_>,
    options: &Options,
    creates: &[Create],
    ids: &mut HashMap<String, String>,
    errors: &mut Vec<FilingError>,
) {
    let mut pending: Vec<&Create> = creates.iter().collect();
    loop {
        let parent_id = |create: &Create| match &create.parent {
            Parent::Root => Some(f.report.root_page_id.clone()),
            Parent::Group(group) => ids.get(group).cloned(),
        };
        let (ready, waiting): (Vec<&Create>, Vec<&Create>) =
            pending.into_iter().partition(|create| parent_id(create).is_some());
        if ready.is_empty() {
            break; // the rest wait for a parent that could not be made
        }
        let made = join_all(ready.iter().map(|create| {
            let parent_id = parent_id(create).unwrap_or_default();
            async move {
                let source = CopySource::Body { body: GROUP_BODY, labels: &[] };
                let place = Place { space: &f.period.space, parent_id: &parent_id, title: &create.title };
                (create, ensure::make(c, &source, place, options.lost_answer_retries).await)
            }
        }))
        .await;
        for (create, result) in made {
            match result {
                Ok(made) => {
                    let who = if made.by_this_run() { "created" } else { "another run created" };
                    let page = made.into_page();
                    tracing::info!(report = %f.report.name, "{who} the group page \"{}\": {}", create.title, page.url);
                    ids.insert(create.title.clone(), page.id);
                }
                Err(err) => errors.push(FilingError::Group { title: create.title.clone(), source: Box::new(err) }),
            }
        }
        pending = waiting;
    }
}

/// Moves group pages, then period pages, `concurrency` at a time; after a failed move no new one is
/// sent. Returns how many period pages moved.
async fn move_pages<C: Confluence>(
    c: &C,
    plan: &Plan,
    ids: &HashMap<String, String>,
    concurrency: usize,
    errors: &mut Vec<FilingError>,
) -> u32 {
    let stop = AtomicBool::new(false);
    let moves = plan.group_moves.iter().map(|m| (m, false)).chain(plan.period_moves.iter().map(|m| (m, true)));
    // Pages whose group page could not be made stay for the next run.
    let moves = moves.filter_map(|(m, period)| ids.get(&m.into).map(|into| (m, into, period)));
    let results: Vec<(&Move, bool, Result<(), ApiError>)> = stream::iter(moves)
        .take_while(|_| std::future::ready(!stop.load(Ordering::SeqCst)))
        .map(|(m, into, period)| {
            let stop = &stop;
            async move {
                let moved = c.move_page(&m.id, into).await;
                if moved.is_err() {
                    stop.store(true, Ordering::SeqCst);
                } else {
                    tracing::debug!("moved \"{}\" under \"{}\"", m.title, m.into);
                }
                (m, period, moved)
            }
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    let mut filed = 0;
    for (m, period, moved) in results {
        match moved {
            Ok(()) => filed += u32::from(period),
            Err(source) => errors.push(FilingError::Move {
                title: m.title.clone(),
                id: m.id.clone(),
                into: m.into.clone(),
                source,
            }),
        }
    }
    filed
}

#[cfg(test)]
mod tests;
