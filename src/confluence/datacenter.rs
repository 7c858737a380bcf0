//! Confluence Data Center / Server: REST v1 (`/rest/api/...`), personal access tokens.
//!
//! Large sites may refuse the content listing (`GET /rest/api/content` answers 403,
//! CONFSERVER-57639) while single pages, child listings and CQL answer. Title lookups then go,
//! for the rest of the run, to CQL together with the child listings of the root page and of each
//! page this run created under (a group page), which see a page made a moment ago, by this run
//! or a racing one, that CQL's index does not yet.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::future::{join, join_all};
use serde::{Deserialize, Serialize};

use super::json::{BodyOut, CreatedJson, PageJson, StorageOut};
use super::paging::{Listing, NextFrom};
use super::v1::{self, Download, V1};
use super::{Api, ApiError, Child, Confluence, CopyPage, Lookup, NewPage, Page, Placed, Space};

/// How many items to ask for per page of a listing.
const PAGE_SIZE: &str = "100";

#[derive(Debug, Clone)]
pub struct DataCenter {
    api: Api,
    v1: V1,
    /// The report's root page: its child listing stands in for the content listing where that
    /// is refused.
    root_page_id: String,
    /// The other pages this run created a page under (group pages): their child listings stand
    /// in too.
    created_under: Arc<Mutex<Vec<String>>>,
    /// Whether this site refused the content listing (found out once per run).
    listing_refused: Arc<AtomicBool>,
}

impl DataCenter {
    pub fn new(api: Api, root_page_id: &str) -> Self {
        Self {
            v1: V1::new(api.clone(), Download::WebLink),
            api,
            root_page_id: root_page_id.to_owned(),
            created_under: Arc::default(),
            listing_refused: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// What a title lookup wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// The current page, with its body or not.
    Current { with_body: bool },
    /// The archived page.
    Archived,
    /// The current page and the page it sits under.
    Placed,
}

/// A page found by title, and the page it sits under (when that was asked).
struct Hit {
    page: Page,
    parent_id: Option<String>,
}

/// A page in a listing or search answer, with its ancestors when they were expanded.
#[derive(Deserialize)]
struct PlacedJson {
    #[serde(flatten)]
    page: PageJson,
    #[serde(default)]
    ancestors: Vec<IdJson>,
}

#[derive(Deserialize)]
struct IdJson {
    id: String,
}

/// Why a lookup on a refusing site failed: the root page's child listing (so the root page
/// cannot be read either), or another request.
enum Failed {
    Root(ApiError),
    Other(ApiError),
}

/// A v1 create, the body borrowed rather than copied into a JSON value.
#[derive(Serialize)]
struct NewContent<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    space: Key<'a>,
    ancestors: [Id<'a>; 1],
    body: BodyOut<'a>,
}

#[derive(Serialize)]
struct Key<'a> {
    key: &'a str,
}

#[derive(Serialize)]
struct Id<'a> {
    id: &'a str,
}

#[derive(Deserialize)]
struct WithSpace {
    space: SpaceKey,
}

#[derive(Deserialize)]
struct SpaceKey {
    key: String,
}

impl Confluence for DataCenter {
    type Extras = V1;

    fn extras(&self) -> &V1 {
        &self.v1
    }

    async fn root_space(&self, root_page_id: &str) -> Result<Space, ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{root_page_id}"), &[("expand", "space")]);
        let page: WithSpace = self.api.get_json(url).await?;
        Ok(Space(page.space.key))
    }

    async fn space_by_key(&self, key: &str) -> Result<Option<Space>, ApiError> {
        Ok(Some(Space(key.to_owned())))
    }

    async fn find_page(&self, space: &Space, title: &str, wants: Lookup) -> Result<Option<Page>, ApiError> {
        let with_body = wants == Lookup::WithBody;
        Ok(self.find(space, title, Want::Current { with_body }).await?.map(|hit| hit.page))
    }

    /// On a site that refuses the content listing, archived pages cannot be told (CQL and child
    /// listings show current pages only): `None`.
    async fn find_archived(&self, space: &Space, title: &str) -> Result<Option<Page>, ApiError> {
        Ok(self.find(space, title, Want::Archived).await?.map(|hit| hit.page))
    }

    async fn find_ignoring_case(&self, space: &Space, title: &str) -> Result<Option<Page>, ApiError> {
        self.v1.find_ignoring_case(&space.0, title).await
    }

    async fn get_page(&self, id: &str) -> Result<Page, ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{id}"), &[("expand", "body.storage")]);
        let content: PageJson = self.api.get_json(url).await?;
        Ok(content.into_page(None, &self.api))
    }

    async fn create_page(&self, page: NewPage<'_>) -> Result<Page, ApiError> {
        self.watch(page.parent_id);
        let body = NewContent {
            kind: "page",
            title: page.title,
            space: Key { key: &page.space.0 },
            ancestors: [Id { id: page.parent_id }],
            body: BodyOut { storage: StorageOut::new(page.body) },
        };
        let content: CreatedJson = self.api.post_json(self.api.url("/rest/api/content", &[]), &body).await?;
        Ok(content.into_page(None, &self.api))
    }

    /// Data Center has no single-page copy endpoint (only the asynchronous
    /// `pagehierarchy/copy`, which cannot replace the body).
    async fn copy_page(&self, _copy: CopyPage<'_>) -> Result<Option<Page>, ApiError> {
        Ok(None)
    }

    async fn delete_page(&self, page_id: &str) -> Result<(), ApiError> {
        self.api.delete(self.api.url(&format!("/rest/api/content/{page_id}"), &[])).await
    }

    /// `GET /rest/api/content/{id}/child/page`, every page of it.
    async fn children(&self, parent_id: &str) -> Result<Vec<Child>, ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{parent_id}/child/page"), &[("limit", PAGE_SIZE)]);
        let items: Vec<PageJson> = self.api.all(url, NextFrom::Base).await?;
        Ok(items
            .into_iter()
            .map(|c| {
                let page = c.into_page(None, &self.api);
                Child { id: page.id, title: page.title }
            })
            .collect())
    }

    /// The parent is the last of the page's ancestors (on a site that refuses the content
    /// listing: from CQL, or the root page for a page made a moment ago).
    async fn find_placed(&self, space: &Space, title: &str) -> Result<Option<Placed>, ApiError> {
        let hit = self.find(space, title, Want::Placed).await?;
        Ok(hit.map(|hit| Placed { id: hit.page.id, parent_id: hit.parent_id, url: hit.page.url }))
    }

    /// Data Center has no move endpoint: a minor-edit update whose `ancestors` name the new parent.
    async fn move_page(&self, page_id: &str, parent_id: &str) -> Result<(), ApiError> {
        super::dc_move::move_page(&self.api, page_id, parent_id).await
    }

    async fn first_version(&self, page_id: &str) -> Result<String, ApiError> {
        super::history::dc_first_version(&self.api, page_id).await
    }

    async fn display_names(&self, ids: &[String]) -> Result<std::collections::HashMap<String, String>, ApiError> {
        super::history::dc_display_names(&self.api, ids).await
    }
}

impl DataCenter {
    /// The page with exactly this title, as `want` says: by the content listing, or where the
    /// site refuses that, by CQL and child listings ([`DataCenter::search`]). The first refusal (403) is
    /// checked once: when the root's child listing answers, the site only refuses the listing
    /// and every later lookup goes the other way; when it does not, the refusal stands.
    async fn find(&self, space: &Space, title: &str, want: Want) -> Result<Option<Hit>, ApiError> {
        if !self.listing_refused.load(Ordering::Relaxed) {
            let refusal = match self.listing(space, title, want).await {
                Err(err @ ApiError::Status { status: 403, .. }) => err,
                other => return other,
            };
            let found = self.search(space, title, want).await;
            if let Err(Failed::Root(_)) = found {
                return Err(refusal);
            }
            if !self.listing_refused.swap(true, Ordering::Relaxed) {
                tracing::info!(
                    "Confluence refuses the content listing (GET /rest/api/content: 403) but lets the root page be read: \
                     looking titles up by CQL search and the root page's child listing for the rest of the run"
                );
            }
            return found.map_err(Failed::into_inner);
        }
        self.search(space, title, want).await.map_err(Failed::into_inner)
    }

    /// `GET /rest/api/content` by space key, title and status.
    async fn listing(&self, space: &Space, title: &str, want: Want) -> Result<Option<Hit>, ApiError> {
        let (status, expand) = match want {
            Want::Current { with_body: true } => ("current", Some("body.storage")),
            Want::Current { with_body: false } => ("current", None),
            Want::Archived => ("archived", None),
            Want::Placed => ("current", Some("ancestors")),
        };
        let mut query = vec![("spaceKey", space.0.as_str()), ("title", title), ("type", "page"), ("status", status)];
        query.extend(expand.map(|e| ("expand", e)));
        let url = self.api.url("/rest/api/content", &query);
        self.api.scan(url, NextFrom::Base, |list: Listing<PlacedJson>| self.hit(list, title)).await
    }

    /// CQL (exact title) together with the child listings of the root page and the pages this run
    /// created under. Archived pages show in neither: only the root's child listing is read
    /// then, the first time (it tells whether the root page can be read).
    async fn search(&self, space: &Space, title: &str, want: Want) -> Result<Option<Hit>, Failed> {
        let expand = match want {
            Want::Current { with_body: true } => "body.storage",
            Want::Current { with_body: false } => "",
            Want::Placed => "ancestors",
            Want::Archived if self.listing_refused.load(Ordering::Relaxed) => return Ok(None),
            Want::Archived => return self.root_child(title).await.map(|_| None).map_err(Failed::Root),
        };
        let cql = v1::exact_title(&space.0, title);
        let by_cql = self.v1.search_with(&cql, expand, |list: Listing<PlacedJson>| self.hit(list, title));
        let (found, child) = join(by_cql, self.listed_child(title)).await;
        let child = child?;
        match (found.map_err(Failed::Other)?, child) {
            (Some(hit), _) => Ok(Some(hit)),
            // Made a moment ago: CQL's index does not have it yet; its body is read by id.
            (None, Some(hit)) if want == (Want::Current { with_body: true }) => {
                let page = self.get_page(&hit.page.id).await.map_err(Failed::Other)?;
                Ok(Some(Hit { page, ..hit }))
            }
            (None, child) => Ok(child),
        }
    }

    /// The current page titled exactly `title` directly under the root page, or under a page
    /// this run created under (read together).
    async fn listed_child(&self, title: &str) -> Result<Option<Hit>, Failed> {
        let others = self.created_under.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let (in_root, in_others) =
            join(self.root_child(title), join_all(others.iter().map(|parent| self.child(parent, title)))).await;
        let mut found = in_root.map_err(Failed::Root)?;
        for hit in in_others {
            found = found.or(hit.map_err(Failed::Other)?);
        }
        Ok(found)
    }

    /// The current page titled exactly `title` directly under the root page.
    async fn root_child(&self, title: &str) -> Result<Option<Hit>, ApiError> {
        self.child(&self.root_page_id, title).await
    }

    /// The current page titled exactly `title` directly under `parent_id`.
    async fn child(&self, parent_id: &str, title: &str) -> Result<Option<Hit>, ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{parent_id}/child/page"), &[("limit", PAGE_SIZE)]);
        let found = self.api.scan(url, NextFrom::Base, |list: Listing<PlacedJson>| self.hit(list, title)).await?;
        Ok(found.map(|hit| Hit { parent_id: Some(parent_id.to_owned()), ..hit }))
    }

    /// From now on, a refused listing's stand-in also reads `parent_id`'s children.
    fn watch(&self, parent_id: &str) {
        let mut under = self.created_under.lock().unwrap_or_else(|e| e.into_inner());
        if parent_id != self.root_page_id && !under.iter().any(|p| p == parent_id) {
            under.push(parent_id.to_owned());
        }
    }

    /// The page titled exactly `title` in one page of a listing.
    fn hit(&self, list: Listing<PlacedJson>, title: &str) -> Option<Hit> {
        let base = list.links.base;
        list.results.into_iter().find(|c| c.page.title == title).map(|c| Hit {
            parent_id: c.ancestors.last().map(|a| a.id.clone()),
            page: c.page.into_page(base.as_deref(), &self.api),
        })
    }
}

impl Failed {
    fn into_inner(self) -> ApiError {
        match self {
            Self::Root(err) | Self::Other(err) => err,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use fake_confluence::FakeConfluence;

    use super::*;
    use crate::confluence::{Flavor, SignIn, Site};
    use crate::http::{Http, HttpSettings};
    use crate::secret::Secret;

    const TOKEN: &str = "tok";

    async fn site() -> (FakeConfluence, String, DataCenter) {
        let fake = FakeConfluence::start_datacenter(TOKEN, "").await;
        fake.add_space("TEAM");
        let root = fake.add_page("TEAM", None, "Root", "<p/>");
        let settings = HttpSettings { timeout: Duration::from_secs(10), max_retries: 0, concurrency: 4, ca: None };
        let token = Secret::new(TOKEN);
        let sign_in = SignIn::Token { token: token.clone(), user: None };
        let site = Site { base_url: url::Url::parse(&fake.base_url()).unwrap(), flavor: Flavor::DataCenter, sign_in };
        let dc = DataCenter::new(Api::new(Http::new(&settings).unwrap(), &site, &token, None), &root);
        (fake, root, dc)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn children_are_read_page_by_page() {
        let (fake, root, dc) = site().await;
        let ids: Vec<String> = (0..5).map(|i| fake.add_page("TEAM", Some(&root), &format!("Child {i}"), "")).collect();
        fake.add_page("TEAM", Some(&ids[0]), "Grandchild", "");
        fake.set_max_limit(2);
        let children = dc.children(&root).await.unwrap();
        assert_eq!(children.iter().map(|c| c.id.clone()).collect::<Vec<_>>(), ids);
        assert_eq!(children[4].title, "Child 4");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn placed_pages_name_their_parent_whether_or_not_the_listing_answers() {
        let (fake, root, dc) = site().await;
        let group = fake.add_page("TEAM", Some(&root), "2025", "");
        let filed = fake.add_page("TEAM", Some(&group), "Filed", "");
        let space = Space("TEAM".into());
        let placed = |title: &'static str| {
            let dc = dc.clone();
            let space = space.clone();
            async move { dc.find_placed(&space, title).await.unwrap().map(|p| (p.id, p.parent_id)) }
        };
        assert_eq!(placed("Filed").await, Some((filed.clone(), Some(group.clone()))));
        assert_eq!(placed("Root").await, Some((root.clone(), None)), "top of the space");
        assert_eq!(placed("Missing").await, None);

        fake.refuse_content_listing(true);
        fake.set_cql_index_lag(Duration::from_secs(30));
        let fresh = fake.add_page("TEAM", Some(&root), "Fresh", "");
        assert_eq!(placed("Filed").await, Some((filed, Some(group))), "by CQL");
        assert_eq!(placed("Fresh").await, Some((fresh, Some(root.clone()))), "by the root's child listing");
        assert!(dc.listing_refused.load(Ordering::Relaxed));
    }
}
