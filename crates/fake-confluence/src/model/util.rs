//! Small helpers: responses, query strings, percent-encoding, timestamps, tiny links.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine as _;
use chrono::DateTime;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde_json::Value;

/// Characters percent-encoded in a path segment (everything but unreserved).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

pub(crate) fn response(status: u16, content_type: &str, body: impl Into<Body>) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .expect("valid response")
}

pub(crate) fn json(status: u16, value: &Value) -> Response {
    response(status, "application/json;charset=UTF-8", value.to_string())
}

pub(crate) fn text(status: u16, body: &str) -> Response {
    response(status, "text/plain;charset=UTF-8", body.to_string())
}

pub(crate) fn reason(status: u16) -> &'static str {
    StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Unknown")
}

/// A Tomcat-style HTML error page (what Data Center's servlet container sends outside the REST API).
pub(crate) fn html_error(status: u16) -> Response {
    let title = format!("HTTP Status {status} – {}", reason(status));
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><title>{title}</title></head>\
         <body><h1>{title}</h1><hr class=\"line\" /><p><b>Type</b> Status Report</p>\
         <p><b>Description</b> {}</p><hr class=\"line\" /><h3>Apache Tomcat</h3></body></html>",
        reason(status)
    );
    response(status, "text/html;charset=utf-8", body)
}

/// Decoded `(name, value)` pairs of a raw query string (`+` is a space).
pub(crate) fn parse_query(raw: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.as_bytes()).into_owned().collect()
}

/// Serialises pairs as a query string (form encoding).
pub(crate) fn encode_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        ser.append_pair(k, v);
    }
    ser.finish()
}

/// Percent-decodes one path segment (`+` stays `+`).
pub(crate) fn decode_segment(seg: &str) -> String {
    percent_decode_str(seg).decode_utf8_lossy().into_owned()
}

/// Percent-encodes one path segment.
pub(crate) fn encode_segment(seg: &str) -> String {
    utf8_percent_encode(seg, SEGMENT).to_string()
}

/// A title as Confluence puts it into a URL path: spaces become `+`, the rest is percent-encoded.
pub(crate) fn title_for_url(title: &str) -> String {
    title.split(' ').map(encode_segment).collect::<Vec<_>>().join("+")
}

/// Is the header's media type (ignoring parameters) this one?
pub(crate) fn has_content_type(headers: &HeaderMap, wanted: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(wanted))
}

pub(crate) fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

pub(crate) fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// `YYYY-MM-DDTHH:mm:ss.sssZ` (UTC) for epoch milliseconds.
pub(crate) fn iso8601(ms: u64) -> String {
    let at = i64::try_from(ms).ok().and_then(DateTime::from_timestamp_millis).unwrap_or(DateTime::UNIX_EPOCH);
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Confluence's tiny link: `/x/` + the id's little-endian bytes in URL-safe-ish base64.
pub(crate) fn tiny_ui(id: &str) -> String {
    let n: u64 = id.parse().unwrap_or(0);
    let mut bytes = n.to_le_bytes().to_vec();
    while bytes.len() > 1 && bytes.last() == Some(&0) {
        bytes.pop();
    }
    let enc = base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes).replace('/', "-").replace('+', "_");
    format!("/x/{enc}")
}

/// The first value of a query parameter.
pub(crate) fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// All values of a parameter, splitting comma lists (`keys=A,B` and `keys=A&keys=B`).
pub(crate) fn param_list(query: &[(String, String)], name: &str) -> Vec<String> {
    query
        .iter()
        .filter(|(k, _)| k == name)
        .flat_map(|(_, v)| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_formats_known_instants() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_748_509_200_123), "2025-05-29T09:00:00.123Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn title_for_url_uses_plus_and_percent() {
        assert_eq!(title_for_url("2025-05-29 Weekly Report"), "2025-05-29+Weekly+Report");
        assert_eq!(title_for_url("a+b"), "a%2Bb");
        assert_eq!(title_for_url("주간"), "%EC%A3%BC%EA%B0%84");
    }
}
