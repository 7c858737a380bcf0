//! The one error type of every `FromStr` in the crate: what was wrong with a value, and what
//! would be right. A leaf: it knows nothing of where the value came from (config names that).

/// A value that does not parse. Every message ends with what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not one of a fixed set of words (`mattermost` for a webhook format).
    #[error("unknown {what} `{value}`; use {valid}")]
    Unknown {
        /// What the value names, e.g. "value", "time zone".
        what: &'static str,
        value: String,
        /// The accepted values, e.g. "text or json".
        valid: &'static str,
    },
    /// Not of the expected form (`12ab` for a page id).
    #[error("`{value}` is not {what}; {hint}")]
    Malformed {
        value: String,
        /// What it should be, with its article: "a page id".
        what: &'static str,
        /// What to write instead.
        hint: String,
    },
    /// A structured value with a problem inside (a schedule, a URL), and the forms accepted.
    #[error("{detail}; expected {expected}")]
    Invalid { detail: String, expected: &'static str },
    /// A title template without a placeholder, so every period would get the same title.
    #[error(
        "the title template must contain a {{date…}}, {{start…}} or {{end…}} placeholder, e.g. \
         `{{date}} Weekly Report` or `{{start:%Y.%m.%d}} ~ {{start+4:%Y.%m.%d}}`"
    )]
    NoDatePlaceholder,
    /// A `{` without a matching `}` in a title template (position counts characters from 1).
    #[error(
        "unclosed `{{` at character {position} of the title template; close the placeholder \
         with `}}` (e.g. `{{date}}`), or write `{{{{` for a literal `{{`"
    )]
    UnclosedBrace { position: usize },
    /// A `}` that closes nothing in a title template.
    #[error("unmatched `}}` at character {position} of the title template; write `}}}}` for a literal `}}`")]
    StrayClosingBrace { position: usize },
    /// A title placeholder other than `date`, `start` or `end` (with an offset and a format).
    #[error(
        "unknown placeholder `{{{name}}}` in the title template; use {{date}}, {{start}} or {{end}} \
         (the period's date, first and last day), each with an optional day offset and format, \
         e.g. `{{date:%Y%m%d}}` or `{{start+4:%m.%d}}` (write `{{{{` and `}}}}` for literal braces)"
    )]
    UnknownPlaceholder { name: String },
    /// A title placeholder whose day offset is not `+N` or `-N` with N from 0 to 366.
    #[error(
        "bad day offset in `{{{placeholder}}}` of the title template: {reason}; write +N or -N \
         days (N from 0 to 366) right after date, start or end, before any :FMT, e.g. `{{date+1}}` \
         or `{{start+4:%m.%d}}`"
    )]
    BadOffset { placeholder: String, reason: &'static str },
    /// A `{date:FMT}` (or `{start:FMT}`, `{end:FMT}`) whose format chrono cannot apply to a date.
    #[error(
        "invalid date format `{format}` in the title template: {reason}; use strftime date \
         fields such as %Y, %m, %d, %b, %a, e.g. `{{date:%Y%m%d}}`"
    )]
    BadFormat { format: String, reason: &'static str },
    /// `%V` (ISO week) with `%Y`/`%y` (calendar year): 2024-12-30 would be "2024-W01".
    #[error(
        "the title template uses %V (ISO week number) with %Y or %y (calendar year): on 2024-12-30 that renders \"2024-W01\", the title of last January's page; use %G (the ISO week's year) with %V, e.g. `{{date:%G-W%V}}`"
    )]
    IsoWeekWithCalendarYear,
}

impl ParseError {
    /// Shorthand for [`ParseError::Malformed`].
    pub fn malformed(value: &str, what: &'static str, hint: impl Into<String>) -> Self {
        Self::Malformed { value: value.to_owned(), what, hint: hint.into() }
    }

    /// Shorthand for [`ParseError::Unknown`].
    pub fn unknown(what: &'static str, value: &str, valid: &'static str) -> Self {
        Self::Unknown { what, value: value.to_owned(), valid }
    }
}
