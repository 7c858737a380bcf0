//! Page title templates (`CONFLUENCE_TITLE_TEMPLATE`), e.g. `{date} Weekly Report` or
//! `{date:%Y%m%d} 주간 보고`.
//!
//! Syntax: `{date}` is the date as `YYYY-MM-DD`; `{date:FMT}` formats it with the chrono strftime
//! format `FMT` (which runs to the next `}`); `{{` and `}}` are literal braces; all other text is
//! kept byte for byte. Formats are checked when the template is parsed, so rendering never fails.
//! Besides the usual fields, `%q` is the quarter (1–4), for archive group titles.

use std::fmt::Write as _;
use std::str::FromStr;

use chrono::NaiveDate;
use chrono::format::{Item, Numeric, StrftimeItems};

use crate::parse_error::ParseError;

/// A parsed, validated title template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleTemplate {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Literal text, braces already unescaped.
    Text(String),
    /// A date placeholder, as validated strftime items.
    Date(Vec<Item<'static>>),
}

/// The format of a bare `{date}`.
const ISO_DATE: &str = "%Y-%m-%d";

impl TitleTemplate {
    /// Parses and validates a template. Syntax errors are reported before a missing placeholder.
    pub fn parse(template: &str) -> Result<Self, ParseError> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = template;
        while let Some(i) = rest.find(['{', '}']) {
            text.push_str(&rest[..i]);
            let (brace, after) = rest[i..].split_at(1);
            let position = template[..template.len() - rest.len() + i].chars().count() + 1;
            rest = if let Some(after_pair) = after.strip_prefix(brace) {
                text.push_str(brace);
                after_pair
            } else if brace == "}" {
                return Err(ParseError::StrayClosingBrace { position });
            } else {
                let end = after
                    .find(['{', '}'])
                    .filter(|&end| after[end..].starts_with('}'))
                    .ok_or(ParseError::UnclosedBrace { position })?;
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                parts.push(Part::Date(parse_placeholder(&after[..end])?));
                &after[end + 1..]
            };
        }
        text.push_str(rest);
        if parts.is_empty() {
            return Err(ParseError::NoDatePlaceholder);
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        let numerics = || {
            parts.iter().flat_map(|p| match p {
                Part::Date(items) => items.as_slice(),
                Part::Text(_) => &[],
            })
        };
        let has = |wanted: &[Numeric]| numerics().any(|i| matches!(i, Item::Numeric(n, _) if wanted.contains(n)));
        if has(&[Numeric::IsoWeek]) && has(&[Numeric::Year, Numeric::YearMod100]) {
            return Err(ParseError::IsoWeekWithCalendarYear);
        }
        Ok(TitleTemplate { parts })
    }

    /// The title for the period named by `date`, trimmed as Confluence trims stored titles
    /// (so a lookup finds the page a create made).
    pub fn render(&self, date: NaiveDate) -> String {
        let mut title = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => title.push_str(text),
                Part::Date(items) => push_date(&mut title, items, date),
            }
        }
        let trimmed = title.trim();
        if trimmed.len() == title.len() { title } else { trimmed.to_owned() }
    }

    /// Each placeholder rendered for `date`, in order, without duplicates (e.g. `["2025-06-05"]`
    /// or `["20250605"]`); used to replace the source page's dates in its body.
    pub fn rendered_dates(&self, date: NaiveDate) -> Vec<String> {
        let mut dates: Vec<String> = Vec::new();
        for part in &self.parts {
            if let Part::Date(items) = part {
                let mut rendered = String::new();
                push_date(&mut rendered, items, date);
                if !dates.contains(&rendered) {
                    dates.push(rendered);
                }
            }
        }
        dates
    }
}

impl FromStr for TitleTemplate {
    type Err = ParseError;

    /// Same as [`TitleTemplate::parse`].
    fn from_str(template: &str) -> Result<Self, Self::Err> {
        Self::parse(template)
    }
}

/// The inside of `{…}`: `date` or `date:FMT`.
fn parse_placeholder(inner: &str) -> Result<Vec<Item<'static>>, ParseError> {
    match inner.split_once(':') {
        None if inner == "date" => parse_format(ISO_DATE),
        Some(("date", format)) => parse_format(format),
        Some((name, _)) => Err(ParseError::UnknownPlaceholder { name: name.to_owned() }),
        None => Err(ParseError::UnknownPlaceholder { name: inner.to_owned() }),
    }
}

/// Checks that `format` is a non-empty strftime format that chrono can apply to a date and that
/// it contains at least one date field.
fn parse_format(format: &str) -> Result<Vec<Item<'static>>, ParseError> {
    let bad = |reason| ParseError::BadFormat { format: format.to_owned(), reason };
    if format.is_empty() {
        return Err(bad("the format is empty"));
    }
    let items =
        StrftimeItems::new(format).parse_to_owned().map_err(|_| bad("it contains a specifier chrono does not know"))?;
    if !items.iter().any(|item| matches!(item, Item::Numeric(..) | Item::Fixed(..))) {
        return Err(bad("it contains no date field, so every period would get the same title"));
    }
    // Specifiers such as %H or %Z parse but need a time or zone that a date does not have.
    let sample = NaiveDate::from_ymd_opt(2025, 6, 5).unwrap_or_default();
    let mut rendered = String::new();
    write!(rendered, "{}", sample.format_with_items(items.iter()))
        .map_err(|_| bad("it asks for a time or time zone, which a date does not have"))?;
    Ok(items)
}

fn push_date(out: &mut String, items: &[Item<'static>], date: NaiveDate) {
    // The items were validated in `parse_format`; writing (not `to_string`) cannot panic anyway.
    let _ = write!(out, "{}", date.format_with_items(items.iter()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 5).expect("valid date")
    }

    fn render(template: &str) -> String {
        TitleTemplate::parse(template).unwrap_or_else(|e| panic!("{template}: {e}")).render(date())
    }

    fn error(template: &str) -> ParseError {
        match TitleTemplate::parse(template) {
            Ok(parsed) => panic!("{template} parsed as {parsed:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn rendered_titles_are_trimmed_as_confluence_stores_them() {
        assert_eq!(render(" {date} Weekly Report "), "2025-06-05 Weekly Report");
        assert_eq!(render("\t  📝 {date:%b %-d, %Y}  (draft) \n"), "📝 Jun 5, 2025  (draft)");
    }

    #[test]
    fn iso_weeks_need_the_iso_year() {
        for template in ["{date:%Y-W%V}", "{date:%y}/{date:%V}", "W{date:%V} {date:%Y}"] {
            assert_eq!(error(template), ParseError::IsoWeekWithCalendarYear, "{template}");
        }
        assert!(ParseError::IsoWeekWithCalendarYear.to_string().contains("%G"));
        // 2024-12-30 is in ISO week 1 of 2025: %G names it right.
        let monday = NaiveDate::from_ymd_opt(2024, 12, 30).unwrap();
        assert_eq!(TitleTemplate::parse("{date:%G-W%V}").unwrap().render(monday), "2025-W01");
        assert_eq!(render("{date:%Y} week {date:%U}"), "2025 week 22");
    }

    #[test]
    fn renders_the_default_template() {
        assert_eq!(render("{date} Weekly Report"), "2025-06-05 Weekly Report");
        assert_eq!(render("{date}"), "2025-06-05");
    }

    #[test]
    fn renders_custom_formats_and_keeps_text_byte_for_byte() {
        assert_eq!(render("{date:%Y%m%d} 주간 보고"), "20250605 주간 보고");
        assert_eq!(render("{date:%Y%m%d}_Platform 주간 보고"), "20250605_Platform 주간 보고");
        assert_eq!(render("📝 {date:%b %-d, %Y}  (draft)"), "📝 Jun 5, 2025  (draft)");
        assert_eq!(render("{date:%Y-%m} All-hands"), "2025-06 All-hands");
        assert_eq!(render("Week {date:%V} ({date:%a})"), "Week 23 (Thu)");
        assert_eq!(render("{date:100%% %Y}"), "100% 2025");
    }

    #[test]
    fn quarters_render_one_to_four() {
        let quarter = TitleTemplate::parse("주간보고 | {date:%Y} {date:%q}분기").expect("valid template");
        for (date, title) in [
            ((2024, 1, 1), "주간보고 | 2024 1분기"),
            ((2024, 3, 31), "주간보고 | 2024 1분기"),
            ((2024, 4, 1), "주간보고 | 2024 2분기"),
            ((2024, 9, 30), "주간보고 | 2024 3분기"),
            ((2024, 12, 31), "주간보고 | 2024 4분기"),
        ] {
            let (y, m, d) = date;
            assert_eq!(quarter.render(NaiveDate::from_ymd_opt(y, m, d).unwrap()), title);
        }
        assert_eq!(render("Q{date:%q}"), "Q2");
    }

    #[test]
    fn doubled_braces_are_literal() {
        assert_eq!(render("{{team}} {date}"), "{team} 2025-06-05");
        assert_eq!(render("{date} }}"), "2025-06-05 }");
        assert_eq!(render("{{{date}}}"), "{2025-06-05}");
        assert_eq!(render("}}{{{date:%d}"), "}{05");
    }

    #[test]
    fn multiple_placeholders() {
        assert_eq!(render("{date:%Y}/{date:%m} report {date}"), "2025/06 report 2025-06-05");
        assert_eq!(render("{date}{date}"), "2025-06-052025-06-05");
    }

    #[test]
    fn rendered_dates_in_order_without_duplicates() {
        let dates = |template: &str| TitleTemplate::parse(template).expect("valid template").rendered_dates(date());
        assert_eq!(dates("{date} Weekly Report"), ["2025-06-05"]);
        assert_eq!(dates("{date:%Y%m%d}_Platform 주간 보고"), ["20250605"]);
        assert_eq!(dates("{date:%Y%m%d} {date} {date:%Y-%m-%d} {date:%Y%m%d}"), ["20250605", "2025-06-05"]);
    }

    #[test]
    fn rejects_templates_without_a_date() {
        for template in ["", "Weekly Report", "{{date}} Weekly Report"] {
            assert_eq!(error(template), ParseError::NoDatePlaceholder, "{template}");
        }
        let message = ParseError::NoDatePlaceholder.to_string();
        assert!(message.contains("{date} or {date:FMT}"), "{message}");
        assert!(message.contains("`{date} Weekly Report`"), "{message}");
    }

    #[test]
    fn rejects_unknown_placeholders() {
        assert_eq!(error("{dat} Report"), ParseError::UnknownPlaceholder { name: "dat".into() });
        assert_eq!(error("{date} {team}"), ParseError::UnknownPlaceholder { name: "team".into() });
        assert_eq!(error("{Date:%Y}"), ParseError::UnknownPlaceholder { name: "Date".into() });
        assert_eq!(error("{}"), ParseError::UnknownPlaceholder { name: String::new() });
        let message = error("{dat}").to_string();
        assert!(message.contains("`{dat}`"), "{message}");
        assert!(message.contains("{date:FMT}"), "{message}");
    }

    #[test]
    fn rejects_bad_formats() {
        for (template, format) in [
            ("{date:%Q}", "%Q"),
            ("{date:%Y%}", "%Y%"),
            ("{date:%H}", "%H"),
            ("{date:%Y %Z}", "%Y %Z"),
            ("{date:%s}", "%s"),
            ("{date:}", ""),
            ("{date:Weekly}", "Weekly"),
        ] {
            match error(template) {
                ParseError::BadFormat { format: got, .. } => assert_eq!(got, format, "{template}"),
                other => panic!("{template}: {other:?}"),
            }
        }
        let message = error("{date:%H} report").to_string();
        assert!(message.contains("`%H`"), "{message}");
        assert!(message.contains("time"), "{message}");
        assert!(error("{date:%Q}").to_string().contains("`%Q`"));
    }

    #[test]
    fn rejects_unbalanced_braces() {
        assert_eq!(error("{date"), ParseError::UnclosedBrace { position: 1 });
        assert_eq!(error("주간 {date:%Y"), ParseError::UnclosedBrace { position: 4 });
        assert_eq!(error("{date:%Y{date}"), ParseError::UnclosedBrace { position: 1 });
        assert_eq!(error("{date} }"), ParseError::StrayClosingBrace { position: 8 });
        assert_eq!(error("보고 } {date}"), ParseError::StrayClosingBrace { position: 4 });
        assert_eq!(error("{date}}"), ParseError::StrayClosingBrace { position: 7 });
        let message = error("{date").to_string();
        assert!(message.contains("`{`") && message.contains("`{{`"), "{message}");
        let message = error("} {date}").to_string();
        assert!(message.contains("`}`") && message.contains("`}}`"), "{message}");
    }

    #[test]
    fn from_str_matches_parse() {
        let parsed: TitleTemplate = "{date} Weekly Report".parse().expect("valid template");
        assert_eq!(Ok(parsed), TitleTemplate::parse("{date} Weekly Report"));
        assert_eq!("nothing".parse::<TitleTemplate>(), Err(ParseError::NoDatePlaceholder));
    }
}
