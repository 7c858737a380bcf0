//! Pages as v1 and v2 answers carry them, and bodies as both take them: the shapes the
//! flavours share, with only the fields that are read.

use serde::{Deserialize, Serialize};

use super::{Api, Page};

/// A page in a v1 or v2 response: both share these fields. `B` is what is read of its body:
/// [`BodyJson`], or [`serde::de::IgnoredAny`] for answers whose body is this run's own (a create
/// or copy), so a large body is not decoded again.
#[derive(Deserialize)]
pub(super) struct PageJson<B = BodyJson> {
    id: String,
    pub(super) title: String,
    body: Option<B>,
    #[serde(rename = "_links")]
    links: LinksJson,
}

/// The answer to a create or copy: the page without its body.
pub(super) type CreatedJson = PageJson<serde::de::IgnoredAny>;

/// The storage-format body of a page to create, borrowed, as v1 and v2 take it.
#[derive(Serialize)]
pub(super) struct StorageOut<'a> {
    value: &'a str,
    representation: &'static str,
}

impl<'a> StorageOut<'a> {
    pub(super) fn new(value: &'a str) -> Self {
        Self { value, representation: "storage" }
    }
}

/// `{"storage": {...}}`: a v1 body.
#[derive(Serialize)]
pub(super) struct BodyOut<'a> {
    pub(super) storage: StorageOut<'a>,
}

/// The body text of a page answer, when it was read.
pub(super) trait BodyText {
    fn text(self) -> Option<String>;
}

impl BodyText for BodyJson {
    fn text(self) -> Option<String> {
        self.storage.map(|s| s.value)
    }
}

impl BodyText for serde::de::IgnoredAny {
    fn text(self) -> Option<String> {
        None
    }
}

#[derive(Deserialize)]
pub(super) struct BodyJson {
    storage: Option<StorageJson>,
}

#[derive(Deserialize)]
struct StorageJson {
    value: String,
}

#[derive(Deserialize)]
struct LinksJson {
    webui: String,
    base: Option<String>,
}

impl<B: BodyText> PageJson<B> {
    /// The page, linked from its own `_links.base`, else the listing's, else the configured base.
    pub(super) fn into_page(self, listing_base: Option<&str>, api: &Api) -> Page {
        let base = self.links.base.as_deref().or(listing_base).unwrap_or(api.base());
        Page {
            url: format!("{}{}", base.trim_end_matches('/'), self.links.webui),
            id: self.id,
            title: self.title,
            body: self.body.and_then(BodyText::text),
        }
    }
}
