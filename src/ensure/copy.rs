//! Making the new page from its source: a page (one request to Confluence's copy endpoint where
//! there is one, else a create followed by the copies) or a body with labels (a create, then the
//! labels). Either way a POST is never repeated blindly: a lost answer is re-checked by title
//! before it is sent again, and a duplicate refusal is explained, never guessed.

use std::future::Future;

use futures_util::future::join;
use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::{EnsureError, find};
use crate::confluence::{
    ApiError, Attachment, Carry, Confluence, CopyPage, Lookup, NewPage, Page, PageExtras, Property, Restrictions, Space,
};

/// How many attachments, and beside them how many content properties, are copied at once.
const COPY_CONCURRENCY: usize = 4;

/// What a new page is made from.
#[derive(Debug, Clone, Copy)]
pub enum CopySource<'a> {
    /// An existing page: copied by Confluence's copy endpoint where there is one, else created
    /// with `body` and given the page's restrictions, properties and (as `carry` asks) labels
    /// and attachments.
    Page {
        /// The page to copy.
        id: &'a str,
        /// The new page's body (the page's own, transformed).
        body: &'a str,
        /// Whether its labels and attachments come along.
        carry: Carry,
    },
    /// A body with its labels and no page behind it: no copy endpoint, nothing to restrict. The
    /// new page is created with the body, then the labels are added.
    Body { body: &'a str, labels: &'a [String] },
}

impl<'a> CopySource<'a> {
    /// The new page's body.
    fn body(&self) -> &'a str {
        match *self {
            Self::Page { body, .. } | Self::Body { body, .. } => body,
        }
    }
}

/// Where a new page goes.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub space: &'a Space,
    pub parent_id: &'a str,
    pub title: &'a str,
}

/// The page [`make`] ended with: made by this run, or found made by a racing run first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Made {
    ByThisRun(Page),
    ByAnotherRun(Page),
}

impl Made {
    /// Whether this run made the page.
    pub fn by_this_run(&self) -> bool {
        matches!(self, Self::ByThisRun(_))
    }

    pub fn into_page(self) -> Page {
        match self {
            Self::ByThisRun(page) | Self::ByAnotherRun(page) => page,
        }
    }
}

/// Makes the page at `place` from `source`. A page this run made carries what the source has to
/// give (a page's restrictions, properties and, as asked, labels and attachments; a body's
/// labels), or the run fails. A create whose answer was lost is re-checked by title and sent
/// again at most `retries` times (`Options::lost_answer_retries`).
pub async fn make<C: Confluence>(
    c: &C,
    source: &CopySource<'_>,
    place: Place<'_>,
    retries: u32,
) -> Result<Made, EnsureError> {
    let new = NewPage { space: place.space, parent_id: place.parent_id, title: place.title, body: source.body() };
    match *source {
        CopySource::Page { id, carry, .. } => {
            let copy = CopyPage { source_id: id, new: new.clone(), carry };
            if let Some(made) = send_rechecked(c, new.space, new.title, retries, || c.copy_page(copy.clone())).await? {
                return Ok(made);
            }
            // No copy endpoint: create, reading what else to copy in the same round.
            let (made, extras) = join(create(c, &new, retries), read_extras(c.extras(), id, carry)).await;
            let made = made?;
            if let Made::ByThisRun(page) = &made {
                write_extras(c, extras, page).await?;
            }
            Ok(made)
        }
        CopySource::Body { labels, .. } => {
            let made = create(c, &new, retries).await?;
            if let Made::ByThisRun(page) = &made
                && !labels.is_empty()
            {
                c.extras().add_labels(&page.id, labels).await.map_err(|source| EnsureError::Copy {
                    title: page.title.clone(),
                    url: page.url.clone(),
                    source,
                })?;
            }
            Ok(made)
        }
    }
}

/// Creates `new` through [`send_rechecked`].
async fn create<C: Confluence>(c: &C, new: &NewPage<'_>, retries: u32) -> Result<Made, EnsureError> {
    let made =
        send_rechecked(c, new.space, new.title, retries, || async { c.create_page(new.clone()).await.map(Some) });
    // `create_page` answers a page or an error, so `send_rechecked` always has a page here.
    made.await?.ok_or_else(|| {
        let source = ApiError::Decode { request: format!("create \"{}\"", new.title), detail: "no page".into() };
        EnsureError::Create { title: new.title.to_owned(), source }
    })
}

/// Sends a POST (copy or create) and decides what a refusal or a lost answer means: lost → look
/// the title up, and send again only when no page has it (at most `retries` times); "title
/// exists" → another run won, unless an earlier attempt's answer was lost, in which case the page
/// is this run's own. `Ok(None)`: `send` said the operation is not available here.
async fn send_rechecked<C, F, Fut>(
    c: &C,
    space: &Space,
    title: &str,
    retries: u32,
    send: F,
) -> Result<Option<Made>, EnsureError>
where
    C: Confluence,
    F: Fn() -> Fut,
    Fut: Future<Output = Result<Option<Page>, ApiError>>,
{
    let mut lost = 0;
    loop {
        match send().await {
            Ok(made) => return Ok(made.map(Made::ByThisRun)),
            Err(ApiError::TitleExists { .. }) => {
                return match find(c, space, title, Lookup::NoBody).await? {
                    Some(page) if lost > 0 => Ok(Some(Made::ByThisRun(page))),
                    Some(page) => Ok(Some(Made::ByAnotherRun(page))),
                    None => Err(explain_refusal(c, space, title).await),
                };
            }
            Err(err) if err.outcome_unknown() && lost < retries => {
                lost += 1;
                tracing::warn!("{err}; checking whether the page was created before trying again");
                if let Some(page) = find(c, space, title, Lookup::NoBody).await? {
                    return Ok(Some(Made::ByThisRun(page)));
                }
            }
            Err(source) => return Err(EnsureError::Create { title: title.to_owned(), source }),
        }
    }
}

/// Why a create was refused as a duplicate when no current page has the title: an archived page,
/// a title differing in letter case, or a page this account cannot see. Never a guess.
async fn explain_refusal<C: Confluence>(c: &C, space: &Space, title: &str) -> EnsureError {
    let title = title.to_owned();
    match join(c.find_archived(space, &title), c.find_ignoring_case(space, &title)).await {
        (Ok(Some(page)), _) => EnsureError::Archived { title, url: page.url },
        (_, Ok(Some(page))) => EnsureError::CaseClash { title, existing: page.title, url: page.url },
        (Ok(None), Ok(None)) => EnsureError::HiddenTitle { title },
        (Err(source), _) | (_, Err(source)) => EnsureError::Lookup { title, source },
    }
}

/// What a create leaves to copy: restrictions, then labels, attachments and properties.
struct Extras {
    restrictions: Result<Restrictions, ApiError>,
    rest: Result<Rest, ApiError>,
}

/// Labels, attachments and properties.
type Rest = (Vec<String>, Vec<Attachment>, Vec<Property>);

/// The source's restrictions, properties, labels and attachment list (the last two as `carry` asks).
async fn read_extras<E: PageExtras>(e: &E, from: &str, carry: Carry) -> Extras {
    let labels = async { if carry.labels { e.labels(from).await } else { Ok(Vec::new()) } };
    let attachments = async { if carry.attachments { e.attachments(from).await } else { Ok(Vec::new()) } };
    let ((restrictions, properties), (labels, attachments)) =
        join(join(e.restrictions(from), e.properties(from)), join(labels, attachments)).await;
    let rest = labels.and_then(|l| Ok((l, attachments?, properties?)));
    Extras { restrictions, rest }
}

/// Restricts the new page like its source first (deleting it when that fails, so it is never
/// more open than the source), then adds labels, attachments (a few at a time) and properties.
async fn write_extras<C: Confluence>(c: &C, extras: Extras, to: &Page) -> Result<(), EnsureError> {
    let e = c.extras();
    let restricted = match extras.restrictions {
        Ok(r) if r.is_empty() => Ok(()),
        Ok(r) => e.set_restrictions(&to.id, &r).await,
        Err(err) => Err(err),
    };
    if let Err(source) = restricted {
        let title = to.title.clone();
        return Err(match c.delete_page(&to.id).await {
            Ok(()) => EnsureError::Restrictions { title, source },
            Err(delete) => {
                EnsureError::RestrictionsKept { title, url: to.url.clone(), delete: delete.to_string(), source }
            }
        });
    }
    let failed = |source| EnsureError::Copy { title: to.title.clone(), url: to.url.clone(), source };
    let (labels, attachments, properties) = extras.rest.map_err(failed)?;
    let add_labels = async { if labels.is_empty() { Ok(()) } else { e.add_labels(&to.id, &labels).await } };
    let copy_attachments = stream::iter(&attachments)
        .map(|a| async move {
            match e.copy_attachment(a, &to.id).await {
                // A concurrent run that also saw its create answer lost copied it already.
                Err(ApiError::AttachmentExists { .. }) => Ok(()),
                other => other,
            }
        })
        .buffer_unordered(COPY_CONCURRENCY)
        .try_collect::<()>();
    let add_properties = stream::iter(&properties).for_each_concurrent(COPY_CONCURRENCY, |p| async move {
        // Confluence sets some properties itself or keeps them for its own use: a refusal is
        // worth a warning, not a failed run.
        if let Err(err) = e.add_property(&to.id, p).await {
            tracing::warn!("content property `{}` was not copied: {err}", p.key);
        }
    });
    let ((labels, attachments), ()) = join(join(add_labels, copy_attachments), add_properties).await;
    labels.and(attachments).map_err(failed)
}
