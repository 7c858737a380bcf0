//! REST v1: all of Data Center's [`PageExtras`] (labels, attachments, restrictions, properties,
//! who the run is), and what Cloud's v2 has no operation for (restrictions, adding labels,
//! attachment upload and download, the current user, CQL search). Both flavours hold one [`V1`];
//! it is Data Center's [`PageExtras`], and Cloud's [`super::cloud_extras::CloudExtras`] calls its
//! v1-only methods.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::access::{self, ByOperation, PropertyJson};
use super::json::PageJson;
use super::paging::{Listing, NextFrom};
use super::{Api, ApiError, Attachment, Page, PageExtras, Property, Restrictions};

/// How many items to ask for per page of a v1 listing.
const PAGE_SIZE: &str = "100";

#[derive(Deserialize)]
struct Label {
    prefix: String,
    name: String,
}

#[derive(Deserialize)]
struct AttachmentItem {
    id: String,
    title: String,
    #[serde(default)]
    metadata: AttachmentMetadata,
    #[serde(rename = "_links")]
    links: AttachmentLinks,
}

#[derive(Deserialize, Default)]
struct AttachmentMetadata {
    #[serde(rename = "mediaType")]
    media_type: Option<String>,
}

#[derive(Deserialize)]
struct AttachmentLinks {
    download: String,
}

#[derive(Deserialize)]
struct CurrentUser {
    #[serde(rename = "type")]
    kind: String,
}

/// How attachments are downloaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Download {
    /// The `_links.download` web path (Data Center).
    WebLink,
    /// The REST route `/rest/api/content/{id}/child/attachment/{attachmentId}/download` (Cloud:
    /// the scoped-token gateway serves REST APIs only).
    Rest,
}

/// The v1 calls both flavours make, over one authenticated connection.
#[derive(Debug, Clone)]
pub struct V1 {
    api: Api,
    download: Download,
}

impl V1 {
    pub fn new(api: Api, download: Download) -> Self {
        Self { api, download }
    }

    /// A current page in space `space_key` titled `title` ignoring case (and not exactly), by
    /// CQL phrase search.
    pub async fn find_ignoring_case(&self, space_key: &str, title: &str) -> Result<Option<Page>, ApiError> {
        let phrase = title.replace('\\', "\\\\").replace('"', "\\\"");
        let cql = format!("space = \"{space_key}\" and type = page and title ~ \"\\\"{phrase}\\\"\"");
        let variant = |p: &PageJson| p.title != title && p.title.to_lowercase() == title.to_lowercase();
        self.search(&cql, variant).await
    }

    /// The first page `cql` finds that `pick` accepts, read listing by listing (CQL search is v1
    /// on both flavours).
    pub(super) async fn search(&self, cql: &str, pick: impl Fn(&PageJson) -> bool) -> Result<Option<Page>, ApiError> {
        self.search_with(cql, "", |list: Listing<PageJson>| {
            let base = list.links.base;
            list.results.into_iter().find(&pick).map(|p| p.into_page(base.as_deref(), &self.api))
        })
        .await
    }

    /// CQL search with `expand` (a comma list, may be empty), read listing by listing until
    /// `visit` returns a value or the results end.
    pub(super) async fn search_with<T: DeserializeOwned, R>(
        &self,
        cql: &str,
        expand: &str,
        visit: impl FnMut(Listing<T>) -> Option<R>,
    ) -> Result<Option<R>, ApiError> {
        let mut query = vec![("cql", cql), ("limit", PAGE_SIZE)];
        if !expand.is_empty() {
            query.push(("expand", expand));
        }
        let url = self.api.url("/rest/api/content/search", &query);
        self.api.scan(url, NextFrom::Base, visit).await
    }
}

/// CQL for the current pages of space `space_key` titled exactly `title`.
pub(super) fn exact_title(space_key: &str, title: &str) -> String {
    format!("space = {} and type = page and title = {}", cql_string(space_key), cql_string(title))
}

/// A CQL string: `text` in double quotes, with `"` and `\` escaped.
fn cql_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The v1 calls both flavours make, whichever API reads labels, properties and attachments:
/// each [`PageExtras`] impl (this one, and Cloud's) calls these.
impl V1 {
    /// Whether `GET /rest/api/user/current` answers the anonymous user.
    pub(super) async fn is_anonymous(&self) -> Result<bool, ApiError> {
        let user: CurrentUser = self.api.get_json(self.api.url("/rest/api/user/current", &[])).await?;
        Ok(user.kind == "anonymous")
    }

    /// The page's view (`read`) and edit (`update`) restrictions.
    pub(super) async fn restrictions(&self, page_id: &str) -> Result<Restrictions, ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{page_id}/restriction/byOperation"), &[]);
        let ops: ByOperation = self.api.get_json(url).await?;
        Ok(ops.into_restrictions())
    }

    /// Replaces the page's restrictions with `restrictions` (users by the ids Confluence gave).
    pub(super) async fn set_restrictions(&self, page_id: &str, restrictions: &Restrictions) -> Result<(), ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{page_id}/restriction"), &[]);
        self.api.put_json(url, &access::restrictions_body(restrictions)).await
    }

    /// Adds global labels to the page (v2 has no way to add labels).
    pub(super) async fn add_labels(&self, page_id: &str, labels: &[String]) -> Result<(), ApiError> {
        let body: Vec<_> = labels.iter().map(|name| serde_json::json!({"prefix": "global", "name": name})).collect();
        let url = self.api.url(&format!("/rest/api/content/{page_id}/label"), &[]);
        let _: serde_json::Value = self.api.post_json(url, &serde_json::Value::Array(body)).await?;
        Ok(())
    }

    /// Downloads the attachment and uploads it to `page_id`, streaming it through a temporary file
    /// (v2 has no upload or download).
    pub(super) async fn copy_attachment(&self, attachment: &Attachment, page_id: &str) -> Result<(), ApiError> {
        let from = match self.download {
            Download::WebLink => self.api.base_relative_url(&attachment.download),
            Download::Rest => self.api.url(
                &format!("/rest/api/content/{}/child/attachment/{}/download", attachment.page_id, attachment.id),
                &[],
            ),
        };
        // Through a temporary file: never whole in memory, and read again if the upload is retried.
        let data = self.api.download(from).await?;
        let url = self.api.url(&format!("/rest/api/content/{page_id}/child/attachment"), &[]);
        self.api
            .post_multipart(url, || {
                let part = || {
                    reqwest::multipart::Part::stream_with_length(data.body(), data.size())
                        .file_name(attachment.filename.clone())
                };
                let part = part().mime_str(&attachment.media_type).unwrap_or_else(|_| part());
                reqwest::multipart::Form::new().part("file", part).text("minorEdit", "true")
            })
            .await
    }
}

/// Data Center's extras: everything through v1. (Cloud's are [`super::cloud_extras::CloudExtras`]:
/// labels, properties and the attachment listing through v2.)
impl PageExtras for V1 {
    async fn is_anonymous(&self) -> Result<bool, ApiError> {
        V1::is_anonymous(self).await
    }

    async fn restrictions(&self, page_id: &str) -> Result<Restrictions, ApiError> {
        V1::restrictions(self, page_id).await
    }

    async fn set_restrictions(&self, page_id: &str, restrictions: &Restrictions) -> Result<(), ApiError> {
        V1::set_restrictions(self, page_id, restrictions).await
    }

    /// Every content property of the page.
    async fn properties(&self, page_id: &str) -> Result<Vec<Property>, ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{page_id}/property"), &[("limit", PAGE_SIZE)]);
        let items: Vec<PropertyJson> = self.api.all(url, NextFrom::Base).await?;
        Ok(items.into_iter().map(|p| Property { key: p.key, value: p.value }).collect())
    }

    /// Adds one content property to the page.
    async fn add_property(&self, page_id: &str, property: &Property) -> Result<(), ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{page_id}/property"), &[]);
        let body = serde_json::json!({"key": property.key, "value": property.value});
        let _: serde_json::Value = self.api.post_json(url, &body).await?;
        Ok(())
    }

    /// The page's global labels (personal `my:` labels are not copied).
    async fn labels(&self, page_id: &str) -> Result<Vec<String>, ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{page_id}/label"), &[("limit", PAGE_SIZE)]);
        let labels: Vec<Label> = self.api.all(url, NextFrom::Base).await?;
        Ok(labels.into_iter().filter(|l| l.prefix == "global").map(|l| l.name).collect())
    }

    async fn add_labels(&self, page_id: &str, labels: &[String]) -> Result<(), ApiError> {
        V1::add_labels(self, page_id, labels).await
    }

    async fn attachments(&self, page_id: &str) -> Result<Vec<Attachment>, ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{page_id}/child/attachment"), &[("limit", PAGE_SIZE)]);
        let items: Vec<AttachmentItem> = self.api.all(url, NextFrom::Base).await?;
        Ok(items
            .into_iter()
            .map(|a| Attachment {
                id: a.id,
                page_id: page_id.to_owned(),
                filename: a.title,
                media_type: a.metadata.media_type.unwrap_or_else(|| OCTET_STREAM.to_owned()),
                download: a.links.download,
            })
            .collect())
    }

    async fn copy_attachment(&self, attachment: &Attachment, page_id: &str) -> Result<(), ApiError> {
        V1::copy_attachment(self, attachment, page_id).await
    }
}

/// The media type of an attachment Confluence gave none.
pub(super) const OCTET_STREAM: &str = "application/octet-stream";

#[cfg(test)]
mod tests {
    use super::exact_title;

    #[test]
    fn exact_titles_escape_quotes_and_backslashes() {
        assert_eq!(exact_title("TEAM", "Plain"), r#"space = "TEAM" and type = page and title = "Plain""#);
        assert_eq!(
            exact_title("TEAM", r#"Say "hi" \ C:\temp"#),
            r#"space = "TEAM" and type = page and title = "Say \"hi\" \\ C:\\temp""#
        );
    }
}
