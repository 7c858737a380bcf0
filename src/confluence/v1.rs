//! Labels and attachments through REST v1, which Data Center and Cloud share
//! (Cloud's v2 has no way to add labels or upload attachments).

use serde::Deserialize;

use super::{Api, ApiError, Attachment};

/// How many items to ask for per page of a v1 listing.
const PAGE_SIZE: &str = "100";

#[derive(Deserialize)]
struct Listing<T> {
    results: Vec<T>,
    #[serde(rename = "_links", default)]
    links: ListingLinks,
}

#[derive(Deserialize, Default)]
struct ListingLinks {
    next: Option<String>,
}

#[derive(Deserialize)]
struct Label {
    prefix: String,
    name: String,
}

#[derive(Deserialize)]
struct AttachmentItem {
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

/// Every item of a v1 listing, following `_links.next` (relative to the base URL).
async fn all<T: serde::de::DeserializeOwned>(api: &Api, path: &str) -> Result<Vec<T>, ApiError> {
    let mut url = api.url(path, &[("limit", PAGE_SIZE)]);
    let mut items = Vec::new();
    loop {
        let page: Listing<T> = api.get_json(url).await?;
        items.extend(page.results);
        match page.links.next {
            Some(next) => url = api.base_relative_url(&next),
            None => return Ok(items),
        }
    }
}

/// The page's global labels (personal `my:` labels are not copied).
pub async fn labels(api: &Api, page_id: &str) -> Result<Vec<String>, ApiError> {
    let labels: Vec<Label> = all(api, &format!("/rest/api/content/{page_id}/label")).await?;
    Ok(labels.into_iter().filter(|l| l.prefix == "global").map(|l| l.name).collect())
}

pub async fn add_labels(api: &Api, page_id: &str, labels: &[String]) -> Result<(), ApiError> {
    let body: Vec<_> = labels.iter().map(|name| serde_json::json!({"prefix": "global", "name": name})).collect();
    let url = api.url(&format!("/rest/api/content/{page_id}/label"), &[]);
    let _: serde_json::Value = api.post_json(url, &serde_json::Value::Array(body)).await?;
    Ok(())
}

pub async fn attachments(api: &Api, page_id: &str) -> Result<Vec<Attachment>, ApiError> {
    let items: Vec<AttachmentItem> = all(api, &format!("/rest/api/content/{page_id}/child/attachment")).await?;
    Ok(items
        .into_iter()
        .map(|a| Attachment {
            filename: a.title,
            media_type: a.metadata.media_type.unwrap_or_else(|| "application/octet-stream".to_owned()),
            download: a.links.download,
        })
        .collect())
}

pub async fn download(api: &Api, attachment: &Attachment) -> Result<Vec<u8>, ApiError> {
    api.get_bytes(api.base_relative_url(&attachment.download)).await
}

pub async fn upload(api: &Api, page_id: &str, attachment: &Attachment, data: Vec<u8>) -> Result<(), ApiError> {
    let url = api.url(&format!("/rest/api/content/{page_id}/child/attachment"), &[]);
    api.post_multipart(url, || {
        let part = reqwest::multipart::Part::bytes(data.clone()).file_name(attachment.filename.clone());
        let part = part
            .mime_str(&attachment.media_type)
            .unwrap_or_else(|_| reqwest::multipart::Part::bytes(data.clone()).file_name(attachment.filename.clone()));
        reqwest::multipart::Form::new().part("file", part).text("minorEdit", "true")
    })
    .await
}
