//! `GET /rest/api/content/search?cql=…` (both flavours) for the few CQL clauses a client uses to
//! find a title: `space = "KEY"`, `type = page`, `title ~ "text"` (text search: case-insensitive,
//! a quoted phrase inside matches as a substring) and `title = "…"` (exact), with `\"` and `\\`
//! escapes inside quotes. Anything else is refused with 400, as Confluence refuses CQL it cannot
//! parse. Results come from a search index that may trail writes (`Options::cql_index`).

use axum::response::Response;

use crate::model::{Req, util};
use crate::routes::content::{Expand, content_json};
use crate::routes::v1::{self, Window, viewer};
use crate::state::{PageRec, Shared, Status};

/// One `field op value` clause.
struct Clause {
    field: String,
    op: String,
    value: String,
}

/// Splits `a and b and c` into clauses, honouring double quotes and `\"` escapes.
fn parse(cql: &str) -> Result<Vec<Clause>, String> {
    let mut clauses = Vec::new();
    for part in split_and(cql) {
        let part = part.trim();
        let (field, rest) =
            part.split_once(char::is_whitespace).ok_or_else(|| format!("Could not parse cql : {cql}"))?;
        let rest = rest.trim_start();
        let (op, value) = rest.split_once(char::is_whitespace).ok_or_else(|| format!("Could not parse cql : {cql}"))?;
        clauses.push(Clause { field: field.to_ascii_lowercase(), op: op.to_owned(), value: unquote(value.trim()) });
    }
    Ok(clauses)
}

fn split_and(cql: &str) -> Vec<String> {
    let (mut parts, mut current, mut quoted, mut escaped) = (Vec::new(), String::new(), false, false);
    for ch in cql.chars() {
        current.push(ch);
        match ch {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            _ => {}
        }
        if !quoted && current.to_ascii_lowercase().ends_with(" and ") {
            current.truncate(current.len() - 5);
            parts.push(std::mem::take(&mut current));
        }
    }
    parts.push(current);
    parts
}

/// `"a \"b\""` → `a "b"`; bare words stay as they are.
fn unquote(value: &str) -> String {
    let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else { return value.to_owned() };
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => out.extend(chars.next()),
            _ => out.push(ch),
        }
    }
    out
}

fn matches(clause: &Clause, page: &PageRec) -> Result<bool, String> {
    let lower = |s: &str| s.to_lowercase();
    Ok(match (clause.field.as_str(), clause.op.as_str()) {
        ("space" | "space.key", "=") => page.space_key == clause.value,
        ("type", "=") => clause.value == "page",
        ("title", "=") => page.title == clause.value,
        ("title", "~") => {
            let text = clause.value.trim_matches('"');
            lower(&page.title).contains(&lower(text))
        }
        _ => return Err(format!("Could not parse cql : unsupported clause {} {}", clause.field, clause.op)),
    })
}

/// `GET /rest/api/content/search`: current pages the account can see that match every clause.
pub(crate) fn search(sh: &Shared, req: &Req) -> Response {
    let Some(cql) = req.param("cql").filter(|c| !c.trim().is_empty()) else {
        return v1::error(400, "The CQL query parameter is required");
    };
    let clauses = match parse(cql) {
        Ok(clauses) => clauses,
        Err(message) => return v1::error(400, &message),
    };
    let window = match Window::from(req, 25, 200) {
        Ok(w) => w,
        Err(message) => return v1::error(400, &message),
    };
    let st = sh.lock();
    let mut found = Vec::new();
    let indexed = |p: &PageRec| st.opts.cql_index.has(&p.id, p.created_ms);
    for page in st.pages.iter().filter(|p| p.status == Status::Current && st.can_read(p, viewer(req)) && indexed(p)) {
        match clauses.iter().map(|c| matches(c, page)).collect::<Result<Vec<bool>, String>>() {
            Ok(all) if all.iter().all(|m| *m) => found.push(page),
            Ok(_) => {}
            Err(message) => return v1::error(400, &message),
        }
    }
    let (slice, more) = window.slice(&found);
    let results = slice.iter().map(|p| content_json(sh, &st, p, &Expand::from(req), false)).collect();
    util::json(200, &v1::list(sh, req, results, window, more))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_split_on_and_outside_quotes() {
        let clauses = parse(r#"space = "TEAM" and type = page and title ~ "\"Tom and Jerry\"""#).unwrap();
        assert_eq!(clauses.len(), 3);
        assert_eq!(clauses[2].value, "\"Tom and Jerry\"");
        assert_eq!(clauses[0].value, "TEAM");
    }

    #[test]
    fn quotes_and_backslashes_are_unescaped() {
        let clauses = parse(r#"space = "TEAM" and title = "Say \"hi\" and C:\\temp""#).unwrap();
        assert_eq!(clauses.len(), 2);
        assert_eq!(clauses[1].field, "title");
        assert_eq!(clauses[1].value, r#"Say "hi" and C:\temp"#);
    }
}
