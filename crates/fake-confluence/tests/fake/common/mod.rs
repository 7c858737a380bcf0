//! Helpers shared by the integration tests.

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use serde_json::Value;

pub const TOKEN: &str = "s3cret-pat";
pub const USER: &str = "bot@example.com";

pub fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

pub fn basic() -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{TOKEN}"));
    format!("Basic {encoded}")
}

/// A client sending `authorization` on every request.
pub fn client(authorization: &str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, HeaderValue::from_str(authorization).unwrap());
    reqwest::Client::builder().default_headers(headers).build().unwrap()
}

pub async fn get(client: &reqwest::Client, url: &str) -> (u16, Value) {
    let resp = client.get(url).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

pub async fn post(client: &reqwest::Client, url: &str, body: &Value) -> (u16, Value) {
    let resp = client.post(url).json(body).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

/// `(status, content-type, body)` of a raw request.
pub async fn raw(req: reqwest::RequestBuilder) -> (u16, String, String) {
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let ct = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, ct, resp.text().await.unwrap())
}

/// A `multipart/form-data` body: (content type, bytes). `files` are (field, filename, type, data).
pub fn multipart(files: &[(&str, &str, &str, &[u8])], fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "----fake-confluence-test-boundary";
    let mut body = Vec::new();
    for (name, filename, media_type, data) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {media_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Follows `_links.next` from `first`, resolving each `next` with `resolve`; returns every
/// result and the number of pages fetched.
pub async fn collect_all(
    client: &reqwest::Client,
    first: String,
    resolve: impl Fn(&str) -> String,
) -> (Vec<Value>, usize) {
    let mut url = first;
    let mut all = Vec::new();
    let mut pages = 0;
    loop {
        let (status, body) = get(client, &url).await;
        assert_eq!(status, 200, "{url}: {body}");
        pages += 1;
        all.extend(body["results"].as_array().unwrap().iter().cloned());
        match body["_links"]["next"].as_str() {
            Some(next) => url = resolve(next),
            None => return (all, pages),
        }
        assert!(pages < 100, "runaway pagination");
    }
}
