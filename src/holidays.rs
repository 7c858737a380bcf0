//! `CONFLUENCE_HOLIDAYS`: a report's holiday calendar, read from a file or fetched over the run's
//! HTTP client, once per report run, and its off days with `CONFLUENCE_SKIP`. The URL is a secret
//! (a private calendar's address carries its key): messages name its host only.

use std::io::Read;
use std::path::PathBuf;

use regex::Regex;

use crate::http::{self, Http, RetryPolicy};
use crate::offdays::{Calendar, CalendarError, OffDays, SkipList};
use crate::secret::Secret;

/// The most a calendar may weigh: a country's public holidays for decades are a few hundred KB.
pub const MAX_CALENDAR_BYTES: usize = 5 * 1024 * 1024;

/// Where the calendar is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HolidaysSource {
    /// An `http(s)://` URL (`webcal://` is read as `https://`).
    Url(Secret),
    /// A file.
    Path(PathBuf),
}

/// A `CONFLUENCE_HOLIDAYS` that is neither a path nor an http(s) URL. Never quotes the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("is a `{scheme}:` URL: give an https:// URL or a path to an .ics file")]
    Scheme { scheme: String },
    #[error("is not a valid URL (a host is needed): give an https:// URL or a path to an .ics file")]
    Url,
}

impl HolidaysSource {
    /// A URL when it has a scheme (`https`, `http`, `webcal`), else a path.
    pub fn parse(s: &str) -> Result<Self, SourceError> {
        let s = s.trim();
        let Some((scheme, rest)) = s.split_once("://") else { return Ok(Self::Path(PathBuf::from(s))) };
        let url = match scheme.to_ascii_lowercase().as_str() {
            "https" | "http" => s.to_owned(),
            "webcal" | "webcals" => format!("https://{rest}"),
            _ => return Err(SourceError::Scheme { scheme: scheme.to_owned() }),
        };
        match url::Url::parse(&url) {
            Ok(parsed) if parsed.host_str().is_some_and(|h| !h.is_empty()) => Ok(Self::Url(Secret::new(url))),
            _ => Err(SourceError::Url),
        }
    }

    /// For messages: the URL's host, or the path.
    pub fn describe(&self) -> String {
        match self {
            Self::Url(url) => host_of(url),
            Self::Path(path) => path.display().to_string(),
        }
    }

    /// Whether it is a plain-http URL.
    pub fn is_plain_http(&self) -> bool {
        matches!(self, Self::Url(url) if url.expose().get(..7).is_some_and(|s| s.eq_ignore_ascii_case("http://")))
    }
}

/// A report's off-day inputs as configured.
#[derive(Debug, Clone, Default)]
pub struct OffDaySettings {
    /// `CONFLUENCE_SKIP`.
    pub skip: SkipList,
    /// `CONFLUENCE_HOLIDAYS`.
    pub holidays: Option<HolidaysSource>,
    /// `CONFLUENCE_HOLIDAYS_MATCH`.
    pub only: Option<Regex>,
}

/// Why the calendar could not be had: the run cannot know whether today is off.
#[derive(Debug, thiserror::Error)]
pub enum HolidaysError {
    #[error("could not fetch the holiday calendar from {host} (CONFLUENCE_HOLIDAYS): {detail}")]
    Fetch { host: String, detail: String },
    #[error("could not read the holiday calendar {path} (CONFLUENCE_HOLIDAYS): {detail}")]
    Read { path: String, detail: String },
    #[error("the holiday calendar {place} (CONFLUENCE_HOLIDAYS) is larger than {} MB", MAX_CALENDAR_BYTES / (1024 * 1024))]
    TooLarge { place: String },
    #[error("the holiday calendar {place} (CONFLUENCE_HOLIDAYS) cannot be used: {source}")]
    Parse { place: String, source: CalendarError },
}

/// The report's off days: the skip list, and the calendar read or fetched now.
pub async fn load(http: &Http, settings: &OffDaySettings) -> Result<OffDays, HolidaysError> {
    let Some(source) = &settings.holidays else { return Ok(OffDays::new(settings.skip.clone(), None)) };
    let place = source.describe();
    let bytes = match source {
        HolidaysSource::Url(url) => fetch(http, url).await?,
        HolidaysSource::Path(path) => read(path)?,
    };
    let text = String::from_utf8_lossy(&bytes);
    let calendar = Calendar::parse(&text, settings.only.as_ref())
        .map_err(|source| HolidaysError::Parse { place: place.clone(), source })?;
    tracing::info!("read the holiday calendar {place}");
    Ok(OffDays::new(settings.skip.clone(), Some(calendar)))
}

async fn fetch(http: &Http, url: &Secret) -> Result<Vec<u8>, HolidaysError> {
    let host = host_of(url);
    let what = format!("GET the holiday calendar at {host}");
    let failed = |detail: String| HolidaysError::Fetch { host: host.clone(), detail };
    let mut answer = http
        .send(|| http.client().get(url.expose()), RetryPolicy::Idempotent, &what)
        .await
        .map_err(|err| failed(http::describe_transport(&err)))?;
    if !answer.status().is_success() {
        return Err(failed(format!("HTTP {}", answer.status().as_u16())));
    }
    let mut body = Vec::new();
    while let Some(chunk) = answer.chunk().await.map_err(|err| failed(http::describe_transport(&err)))? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_CALENDAR_BYTES {
            return Err(HolidaysError::TooLarge { place: host });
        }
    }
    Ok(body)
}

fn read(path: &std::path::Path) -> Result<Vec<u8>, HolidaysError> {
    let place = path.display().to_string();
    let failed = |err: std::io::Error| HolidaysError::Read { path: place.clone(), detail: err.to_string() };
    let mut body = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_CALENDAR_BYTES as u64 + 1).read_to_end(&mut body))
        .map_err(failed)?;
    if body.len() > MAX_CALENDAR_BYTES {
        return Err(HolidaysError::TooLarge { place });
    }
    Ok(body)
}

/// Only the host of a URL, for messages.
fn host_of(url: &Secret) -> String {
    url::Url::parse(url.expose()).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_else(|| "?".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_is_a_url_with_a_scheme_else_a_path_and_errors_never_quote_it() {
        let private =
            "https://calendar.google.com/calendar/ical/abc%40group.calendar.google.com/private-0123/basic.ics";
        let source = HolidaysSource::parse(private).unwrap();
        assert_eq!(source.describe(), "calendar.google.com");
        assert!(!format!("{source:?}").contains("private-0123"));
        assert!(!source.is_plain_http());
        assert!(HolidaysSource::parse("http://127.0.0.1:8080/x.ics").unwrap().is_plain_http());
        let webcal = HolidaysSource::parse("webcal://example.com/private-9/cal.ics").unwrap();
        assert_eq!(webcal, HolidaysSource::Url(Secret::new("https://example.com/private-9/cal.ics")));
        assert_eq!(HolidaysSource::parse(" holidays/kr.ics ").unwrap(), HolidaysSource::Path("holidays/kr.ics".into()));
        let err = HolidaysSource::parse("ftp://host/private-77/x.ics").unwrap_err().to_string();
        assert!(err.contains("`ftp:`") && !err.contains("private-77"), "{err}");
        assert_eq!(HolidaysSource::parse("https://"), Err(SourceError::Url));
    }

    #[test]
    fn a_file_is_read_within_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.ics");
        std::fs::write(&path, vec![b'x'; MAX_CALENDAR_BYTES + 1]).unwrap();
        assert!(matches!(read(&path), Err(HolidaysError::TooLarge { .. })));
        let missing = dir.path().join("missing.ics");
        let err = read(&missing).unwrap_err().to_string();
        assert!(err.contains("missing.ics") && err.contains("CONFLUENCE_HOLIDAYS"), "{err}");
    }
}
