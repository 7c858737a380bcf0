//! Page title templates (`CONFLUENCE_TITLE_TEMPLATE`), e.g. `{date} Weekly Report`,
//! `{date:%Y%m%d} 주간 보고` or `{start:%Y.%m.%d} ~ {start+4:%Y.%m.%d}`.
//!
//! Syntax: a placeholder names a day of the [`Period`]: `{date}` the date that names it, `{start}`
//! and `{end}` its first and last day. Each may take a day offset, `{date+1}`, `{end-2}` (at most
//! [`MAX_OFFSET`] days either way), and a format, `{start+4:%m.%d}`: the chrono strftime format
//! runs to the next `}`; without one the day is written `YYYY-MM-DD`. `{{` and `}}` are literal
//! braces; all other text is kept byte for byte. Formats and offsets are checked when the template
//! is parsed, so rendering never fails. Besides the usual fields, `%q` is the quarter (1–4), for
//! archive group titles.

use std::fmt::Write as _;
use std::str::FromStr;

use chrono::NaiveDate;
use chrono::format::{Item, Numeric, StrftimeItems};

use crate::parse_error::ParseError;
use crate::period::{Period, add_days};

/// The largest day offset of a placeholder (`{date+366}`), a year either way.
pub const MAX_OFFSET: u32 = 366;

/// A parsed, validated title template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleTemplate {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Literal text, braces already unescaped.
    Text(String),
    /// A placeholder.
    Day(Placeholder),
}

/// `{NAME±N:FMT}`: which day of the period, moved by `offset` days, formatted with `items`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Placeholder {
    day: Day,
    offset: i64,
    /// Validated strftime items.
    items: Vec<Item<'static>>,
}

/// The day of the period a placeholder names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Day {
    Date,
    Start,
    End,
}

/// The format of a placeholder without one (`{date}`, `{start+4}`).
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
                parts.push(Part::Day(parse_placeholder(&after[..end])?));
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
                Part::Day(placeholder) => placeholder.items.as_slice(),
                Part::Text(_) => &[],
            })
        };
        let has = |wanted: &[Numeric]| numerics().any(|i| matches!(i, Item::Numeric(n, _) if wanted.contains(n)));
        if has(&[Numeric::IsoWeek]) && has(&[Numeric::Year, Numeric::YearMod100]) {
            return Err(ParseError::IsoWeekWithCalendarYear);
        }
        Ok(TitleTemplate { parts })
    }

    /// The title of `period`, trimmed as Confluence trims stored titles (so a lookup finds the
    /// page a create made).
    pub fn render(&self, period: Period) -> String {
        let mut title = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => title.push_str(text),
                Part::Day(placeholder) => placeholder.push(&mut title, period),
            }
        }
        let trimmed = title.trim();
        if trimmed.len() == title.len() { title } else { trimmed.to_owned() }
    }

    /// Each placeholder rendered for `period`, in order, once per distinct placeholder (same day,
    /// offset and format), e.g. `["2025-06-05"]` or `["2026.02.16", "2026.02.20"]`; used to replace
    /// the source page's dates in its body. The lists of two periods line up entry by entry
    /// (the same placeholder at the same index), so zipping them pairs each old date with its new
    /// one; an entry may repeat another's text (`{date}` and `{start}` of a `weekly:mon` week).
    pub fn rendered_dates(&self, period: Period) -> Vec<String> {
        let mut seen: Vec<&Placeholder> = Vec::new();
        let mut dates = Vec::new();
        for part in &self.parts {
            if let Part::Day(placeholder) = part
                && !seen.contains(&placeholder)
            {
                seen.push(placeholder);
                let mut rendered = String::new();
                placeholder.push(&mut rendered, period);
                dates.push(rendered);
            }
        }
        dates
    }
}

impl TitleTemplate {
    /// `day` in each distinct format of the template's placeholders, in order (whatever day and
    /// offset each names), e.g. `["2026.02.18"]` for `{start:%Y.%m.%d} ~ {start+4:%Y.%m.%d}`; used
    /// to move every day of a period (`CONFLUENCE_REPLACE_DATES=period`).
    pub fn formatted_days(&self, day: NaiveDate) -> Vec<String> {
        let mut seen: Vec<&[Item<'static>]> = Vec::new();
        let mut days = Vec::new();
        for part in &self.parts {
            if let Part::Day(placeholder) = part
                && !seen.contains(&placeholder.items.as_slice())
            {
                seen.push(&placeholder.items);
                let mut rendered = String::new();
                let _ = write!(rendered, "{}", day.format_with_items(placeholder.items.iter()));
                days.push(rendered);
            }
        }
        days
    }
}

impl FromStr for TitleTemplate {
    type Err = ParseError;

    /// Same as [`TitleTemplate::parse`].
    fn from_str(template: &str) -> Result<Self, Self::Err> {
        Self::parse(template)
    }
}

impl Placeholder {
    /// Appends this placeholder's day of `period`, formatted.
    fn push(&self, out: &mut String, period: Period) {
        let day = match self.day {
            Day::Date => period.date,
            Day::Start => period.start,
            Day::End => period.end,
        };
        let day = add_days(day, self.offset);
        // The items were validated in `parse_format`; writing (not `to_string`) cannot panic anyway.
        let _ = write!(out, "{}", day.format_with_items(self.items.iter()));
    }
}

/// The inside of `{…}`: `NAME`, `NAME+N` or `NAME-N`, then optionally `:FMT`.
fn parse_placeholder(inner: &str) -> Result<Placeholder, ParseError> {
    let (head, format) = match inner.split_once(':') {
        Some((head, format)) => (head, Some(format)),
        None => (inner, None),
    };
    let (name, offset) = head.split_at(head.find(['+', '-']).unwrap_or(head.len()));
    let day = match name {
        "date" => Day::Date,
        "start" => Day::Start,
        "end" => Day::End,
        _ => return Err(ParseError::UnknownPlaceholder { name: head.to_owned() }),
    };
    let offset =
        parse_offset(offset).map_err(|reason| ParseError::BadOffset { placeholder: head.to_owned(), reason })?;
    let items = parse_format(format.unwrap_or(ISO_DATE))?;
    Ok(Placeholder { day, offset, items })
}

/// `""` (no offset), or `+N` / `-N` with N a number of days up to [`MAX_OFFSET`].
fn parse_offset(text: &str) -> Result<i64, &'static str> {
    let Some((sign, digits)) = text.split_at_checked(1) else { return Ok(0) };
    if digits.is_empty() {
        return Err("the sign is not followed by a number of days");
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the offset is not a whole number of days");
    }
    let days = digits.parse::<u32>().ok().filter(|&days| days <= MAX_OFFSET).ok_or("it is more than 366 days")?;
    Ok(if sign == "-" { -i64::from(days) } else { i64::from(days) })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    /// A `weekly:thu` week: Thursday 2025-06-05, Monday 2025-06-02 to Sunday 2025-06-08.
    fn week() -> Period {
        Period { date: d("2025-06-05"), start: d("2025-06-02"), end: d("2025-06-08") }
    }

    fn template(text: &str) -> TitleTemplate {
        TitleTemplate::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn render(text: &str) -> String {
        template(text).render(week())
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
        assert_eq!(render("  {start:%m.%d} ~ {start+4:%m.%d}\t"), "06.02 ~ 06.06");
        assert_eq!(render("\t  📝 {date:%b %-d, %Y}  (draft) \n"), "📝 Jun 5, 2025  (draft)");
    }

    #[test]
    fn iso_weeks_need_the_iso_year() {
        for template in ["{date:%Y-W%V}", "{date:%y}/{date:%V}", "W{date:%V} {date:%Y}"] {
            assert_eq!(error(template), ParseError::IsoWeekWithCalendarYear, "{template}");
        }
        assert!(ParseError::IsoWeekWithCalendarYear.to_string().contains("%G"));
        // 2024-12-30 is in ISO week 1 of 2025: %G names it right.
        let monday = Period::day(d("2024-12-30"));
        assert_eq!(template("{date:%G-W%V}").render(monday), "2025-W01");
        assert_eq!(render("{date:%Y} week {date:%U}"), "2025 week 22");
        // The rule holds across placeholders: whichever day carries which field.
        for text in ["{start:%V} {end:%Y}", "{end+1:%y}{date:%V}", "{start-3:%Y-W%V}"] {
            assert_eq!(error(text), ParseError::IsoWeekWithCalendarYear, "{text}");
        }
        assert_eq!(template("{start:%G-W%V} ({end:%m.%d})").render(monday), "2025-W01 (12.30)");
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
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(quarter.render(Period::day(date)), title);
        }
        assert_eq!(render("Q{date:%q}"), "Q2");
    }

    #[test]
    fn doubled_braces_are_literal() {
        assert_eq!(render("{{team}} {date}"), "{team} 2025-06-05");
        assert_eq!(render("{date} }}"), "2025-06-05 }");
        assert_eq!(render("{{{start}}}~{{{end-1:%d}}}"), "{2025-06-02}~{07}");
        assert_eq!(render("{{{date}}}"), "{2025-06-05}");
        assert_eq!(render("}}{{{date:%d}"), "}{05");
    }

    #[test]
    fn multiple_placeholders() {
        assert_eq!(render("{date:%Y}/{date:%m} report {date}"), "2025/06 report 2025-06-05");
        assert_eq!(render("{date}{date}"), "2025-06-052025-06-05");
    }

    #[test]
    fn renders_the_start_and_end_of_the_period() {
        assert_eq!(render("{start} – {end}"), "2025-06-02 – 2025-06-08");
        assert_eq!(render("{start:%m/%d}-{end:%m/%d} ({date:%a})"), "06/02-06/08 (Thu)");
        let february = Period { date: d("2026-02-16"), start: d("2026-02-16"), end: d("2026-02-22") };
        let title = template("{start:%Y.%m.%d} ~ {start+4:%Y.%m.%d}");
        assert_eq!(title.render(february), "2026.02.16 ~ 2026.02.20");
        let next = Period { date: d("2026-02-23"), start: d("2026-02-23"), end: d("2026-03-01") };
        assert_eq!(title.render(next), "2026.02.23 ~ 2026.02.27");
    }

    #[test]
    fn offsets_move_every_placeholder_both_ways() {
        assert_eq!(render("{date+1}"), "2025-06-06");
        assert_eq!(render("{date-1}"), "2025-06-04");
        assert_eq!(render("{date+0} {date-0}"), "2025-06-05 2025-06-05");
        assert_eq!(render("{start+4:%m.%d}"), "06.06");
        assert_eq!(render("{start-1:%a %d}"), "Sun 01");
        assert_eq!(render("{end-2}"), "2025-06-06");
        assert_eq!(render("{end+1:%Y%m%d}"), "20250609");
        assert_eq!(render("{date+007}"), "2025-06-12");
        // Across month and year ends, and a leap day.
        assert_eq!(render("{start-2:%Y-%m-%d}"), "2025-05-31");
        let new_year = Period::day(d("2024-12-31"));
        assert_eq!(template("{date+1} {date+366} {date-366}").render(new_year), "2025-01-01 2026-01-01 2023-12-31");
        assert_eq!(template("{date+1:%m-%d}").render(Period::day(d("2024-02-28"))), "02-29");
    }

    #[test]
    fn offsets_saturate_at_the_ends_of_the_calendar() {
        let min = Period::day(NaiveDate::MIN);
        assert_eq!(template("{date-366}|{start-1}").render(min), template("{date}|{start}").render(min));
        let max = Period::day(NaiveDate::MAX);
        assert_eq!(template("{end+366}|{date+1}").render(max), template("{end}|{date}").render(max));
    }

    #[test]
    fn rendered_dates_in_order_without_duplicates() {
        let dates = |text: &str| template(text).rendered_dates(week());
        assert_eq!(dates("{date} Weekly Report"), ["2025-06-05"]);
        assert_eq!(dates("{date:%Y%m%d}_Platform 주간 보고"), ["20250605"]);
        assert_eq!(dates("{date:%Y%m%d} {date} {date:%Y-%m-%d} {date:%Y%m%d}"), ["20250605", "2025-06-05"]);
        assert_eq!(dates("{start:%Y.%m.%d} ~ {start+4:%Y.%m.%d}"), ["2025.06.02", "2025.06.06"]);
        assert_eq!(dates("{end-1} {date} {end-1:%Y-%m-%d} {end}"), ["2025-06-07", "2025-06-05", "2025-06-08"]);
    }

    /// Two periods' lists pair each placeholder's old rendering with its new one, even when one
    /// period renders two placeholders alike and the other does not.
    #[test]
    fn formatted_days_apply_each_format_once() {
        let title = template("{start:%Y.%m.%d} ~ {start+4:%Y.%m.%d} ({date})");
        assert_eq!(title.formatted_days(d("2026-02-18")), ["2026.02.18", "2026-02-18"]);
    }

    #[test]
    fn rendered_dates_of_two_periods_line_up() {
        let title = template("{start:%m} {end:%m} {date:%d}");
        let june = Period { date: d("2025-06-05"), start: d("2025-06-02"), end: d("2025-06-08") };
        let across = Period { date: d("2025-07-03"), start: d("2025-06-30"), end: d("2025-07-06") };
        assert_eq!(title.rendered_dates(june), ["06", "06", "05"]);
        assert_eq!(title.rendered_dates(across), ["06", "07", "03"]);
    }

    #[test]
    fn rejects_templates_without_a_date() {
        for text in ["", "Weekly Report", "{{date}} Weekly Report", "{{start}} ~ {{end}}"] {
            assert_eq!(error(text), ParseError::NoDatePlaceholder, "{text}");
        }
        let message = ParseError::NoDatePlaceholder.to_string();
        assert!(message.contains("{date…}, {start…} or {end…}"), "{message}");
        assert!(message.contains("`{date} Weekly Report`"), "{message}");
        assert!(message.contains("`{start:%Y.%m.%d} ~ {start+4:%Y.%m.%d}`"), "{message}");
    }

    #[test]
    fn rejects_unknown_placeholders() {
        assert_eq!(error("{dat} Report"), ParseError::UnknownPlaceholder { name: "dat".into() });
        assert_eq!(error("{date} {team}"), ParseError::UnknownPlaceholder { name: "team".into() });
        assert_eq!(error("{Date:%Y}"), ParseError::UnknownPlaceholder { name: "Date".into() });
        assert_eq!(error("{}"), ParseError::UnknownPlaceholder { name: String::new() });
        assert_eq!(error("{begin+1}"), ParseError::UnknownPlaceholder { name: "begin+1".into() });
        assert_eq!(error("{ start}"), ParseError::UnknownPlaceholder { name: " start".into() });
        assert_eq!(error("{+1:%d}"), ParseError::UnknownPlaceholder { name: "+1".into() });
        assert_eq!(error("{team-name}"), ParseError::UnknownPlaceholder { name: "team-name".into() });
        let message = error("{dat}").to_string();
        assert!(message.contains("`{dat}`"), "{message}");
        assert!(message.contains("{date}, {start} or {end}"), "{message}");
        assert!(message.contains("offset") && message.contains("`{start+4:%m.%d}`"), "{message}");
    }

    #[test]
    fn rejects_bad_offsets() {
        for (text, placeholder, reason) in [
            ("{date+}", "date+", "not followed by a number"),
            ("{end-:%d}", "end-", "not followed by a number"),
            ("{date+x}", "date+x", "whole number"),
            ("{start+1.5}", "start+1.5", "whole number"),
            ("{date+ 1}", "date+ 1", "whole number"),
            ("{date+-1}", "date+-1", "whole number"),
            ("{date+1+1}", "date+1+1", "whole number"),
            ("{date+1d}", "date+1d", "whole number"),
            ("{start+367}", "start+367", "more than 366"),
            ("{end-1000:%Y}", "end-1000", "more than 366"),
            ("{date+99999999999999999999}", "date+99999999999999999999", "more than 366"),
        ] {
            match error(text) {
                ParseError::BadOffset { placeholder: got, reason: why } => {
                    assert_eq!(got, placeholder, "{text}");
                    assert!(why.contains(reason), "{text}: {why}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        let message = error("{date+x} report").to_string();
        assert!(message.contains("`{date+x}`"), "{message}");
        assert!(message.contains("+N or -N") && message.contains("`{start+4:%m.%d}`"), "{message}");
        // The offset is checked before the format, which is still checked.
        assert!(matches!(error("{start+4:%Q}"), ParseError::BadFormat { .. }));
        assert!(matches!(error("{end-1:}"), ParseError::BadFormat { .. }));
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
