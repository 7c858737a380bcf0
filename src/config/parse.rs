//! The small parsers of input values. Each returns a [`ParseError`] that says what would be valid;
//! the validator adds the variable's name.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::confluence::Flavor;
use crate::ensure::{DateShift, SourceMode};
use crate::outputs::LogFormat;
use crate::parse_error::ParseError;

/// `true/false/1/0/yes/no`, any case.
pub fn boolean(s: &str) -> Result<bool, ParseError> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(ParseError::malformed(s, "a boolean", "use true or false (also 1/0, yes/no)")),
    }
}

/// A whole number from `min` to `max`.
pub fn count(s: &str, min: u32, max: u32) -> Result<u32, ParseError> {
    match s.trim().parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(ParseError::malformed(s, "valid", format!("use a whole number from {min} to {max}"))),
    }
}

/// A numeric page id.
pub fn page_id(s: &str) -> Result<String, ParseError> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_owned())
    } else {
        Err(ParseError::malformed(
            s,
            "a page id",
            "use the page's numeric id (e.g. 123456, from its URL or Page information)",
        ))
    }
}

/// `YYYY-MM-DD`.
pub fn date(s: &str) -> Result<NaiveDate, ParseError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| ParseError::malformed(s, "a date", "use YYYY-MM-DD, e.g. 2025-06-05"))
}

/// An IANA time zone name.
pub fn timezone(s: &str) -> Result<Tz, ParseError> {
    s.trim()
        .parse::<Tz>()
        .map_err(|_| ParseError::unknown("time zone", s, "an IANA name such as UTC, Europe/Berlin or Asia/Seoul"))
}

/// `auto` (`None`: detect from the URL), `cloud` or `datacenter`.
pub fn flavor(s: &str) -> Result<Option<Flavor>, ParseError> {
    match s.trim().to_ascii_lowercase().as_str() {
        "auto" => Ok(None),
        "cloud" => Ok(Some(Flavor::Cloud)),
        "datacenter" | "data-center" | "server" => Ok(Some(Flavor::DataCenter)),
        _ => Err(ParseError::unknown("flavour", s, "auto, cloud or datacenter")),
    }
}

/// `previous` or `template`.
pub fn source(s: &str) -> Result<SourceMode, ParseError> {
    match s.trim().to_ascii_lowercase().as_str() {
        "previous" => Ok(SourceMode::Previous),
        "template" => Ok(SourceMode::Template),
        _ => Err(ParseError::unknown("source", s, "previous or template")),
    }
}

/// `CONFLUENCE_REPLACE_DATES`: a boolean (`true`: the title's dates), or `period` (every day).
pub fn date_shift(s: &str) -> Result<DateShift, ParseError> {
    if s.trim().eq_ignore_ascii_case("period") {
        return Ok(DateShift::Period);
    }
    match boolean(s) {
        Ok(true) => Ok(DateShift::Title),
        Ok(false) => Ok(DateShift::Off),
        Err(_) => Err(ParseError::unknown("value", s, "false, true (also 1/0, yes/no) or period")),
    }
}

/// `text` or `json`.
pub fn log_format(s: &str) -> Result<LogFormat, ParseError> {
    match s.trim().to_ascii_lowercase().as_str() {
        "text" => Ok(LogFormat::Text),
        "json" => Ok(LogFormat::Json),
        _ => Err(ParseError::unknown("log format", s, "text or json")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_accept_the_documented_spellings() {
        for (s, b) in
            [("true", true), ("TRUE", true), ("1", true), ("Yes", true), ("false", false), ("0", false), ("NO", false)]
        {
            assert_eq!(boolean(s), Ok(b), "{s}");
        }
        assert!(boolean("on").is_err());
        assert_eq!(date_shift("Yes"), Ok(DateShift::Title));
        assert_eq!(date_shift("0"), Ok(DateShift::Off));
        assert_eq!(date_shift(" PERIOD "), Ok(DateShift::Period));
        assert_eq!(
            date_shift("week").unwrap_err().to_string(),
            "unknown value `week`; use false, true (also 1/0, yes/no) or period"
        );
    }

    #[test]
    fn messages_say_what_would_be_valid() {
        assert_eq!(count("-1", 0, 520).unwrap_err().to_string(), "`-1` is not valid; use a whole number from 0 to 520");
        assert_eq!(
            timezone("Asia/Seol").unwrap_err().to_string(),
            "unknown time zone `Asia/Seol`; use an IANA name such as UTC, Europe/Berlin or Asia/Seoul"
        );
        assert_eq!(
            flavor("onprem").unwrap_err().to_string(),
            "unknown flavour `onprem`; use auto, cloud or datacenter"
        );
    }
}
