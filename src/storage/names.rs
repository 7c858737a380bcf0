//! Names as a reader sees them: the visible text of a heading or a header cell, entities decoded,
//! compared trimmed, with runs of white space collapsed and letter case ignored.

use super::scan::{Id, Node, Tree};

/// The form two names are compared in: trimmed, white space runs (no-break spaces included) as one
/// space, lower case.
pub(crate) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The normalised visible text of element `id`: its text and decoded references, with CDATA,
/// macro parameters and task bookkeeping left out, and line breaks and blocks read as spaces.
pub(crate) fn name_of(tree: &Tree<'_>, id: Id) -> String {
    let mut text = String::new();
    collect(tree, id, &mut text);
    normalize(&text)
}

/// The visible text of element `id` as written (letter case kept), white space runs as one space,
/// trimmed: a person's name in a cell or heading.
pub(crate) fn text_of(tree: &Tree<'_>, id: Id) -> String {
    let mut text = String::new();
    collect(tree, id, &mut text);
    text.split(char::is_whitespace).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Elements whose text is not seen on the page.
const HIDDEN: &[&str] = &["ac:parameter", "ac:task-id", "ac:task-uuid", "ac:task-status", "ac:placeholder"];
/// Elements that read as a break between words.
const BREAKS: &[&str] = &["br", "p", "div", "li", "ul", "ol", "ac:task", "ac:task-body"];

fn collect(tree: &Tree<'_>, id: Id, out: &mut String) {
    for node in &tree.get(id).children {
        match node {
            Node::Text(r) => out.push_str(tree.slice(r.clone())),
            Node::Ref(r) => push_reference(tree.slice(r.clone()), out),
            Node::Element(child) => {
                let element = tree.get(*child);
                if HIDDEN.iter().any(|h| element.is(h)) {
                    continue;
                }
                let block = BREAKS.iter().any(|b| element.is(b));
                if block {
                    out.push(' ');
                }
                collect(tree, *child, out);
                if block {
                    out.push(' ');
                }
            }
            Node::CData(_) | Node::Other(_) => {}
        }
    }
}

/// Decodes `&name;`, `&#NN;` or `&#xHH;`; an unknown reference stays as written.
pub(crate) fn push_reference(reference: &str, out: &mut String) {
    let inner = reference.strip_prefix('&').and_then(|r| r.strip_suffix(';')).unwrap_or(reference);
    let decoded = if let Some(num) = inner.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse::<u32>().ok(),
        };
        code.and_then(char::from_u32)
    } else {
        named(inner)
    };
    match decoded {
        Some(c) => out.push(c),
        None => out.push_str(reference),
    }
}

/// The XML entities and the HTML named entities Confluence's editor writes.
fn named(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwnj" => '\u{200c}',
        "zwj" => '\u{200d}',
        "shy" => '\u{ad}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "sbquo" => '\u{201a}',
        "ldquo" => '\u{201c}',
        "rdquo" => '\u{201d}',
        "bdquo" => '\u{201e}',
        "laquo" => '\u{ab}',
        "raquo" => '\u{bb}',
        "lsaquo" => '\u{2039}',
        "rsaquo" => '\u{203a}',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "hellip" => '\u{2026}',
        "middot" => '\u{b7}',
        "bull" => '\u{2022}',
        "dagger" => '\u{2020}',
        "copy" => '\u{a9}',
        "reg" => '\u{ae}',
        "trade" => '\u{2122}',
        "deg" => '\u{b0}',
        "plusmn" => '\u{b1}',
        "times" => '\u{d7}',
        "divide" => '\u{f7}',
        "euro" => '\u{20ac}',
        "pound" => '\u{a3}',
        "yen" => '\u{a5}',
        "cent" => '\u{a2}',
        "sect" => '\u{a7}',
        "para" => '\u{b6}',
        "larr" => '\u{2190}',
        "rarr" => '\u{2192}',
        "uarr" => '\u{2191}',
        "darr" => '\u{2193}',
        "harr" => '\u{2194}',
        "check" => '\u{2713}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::scan::parse;

    #[test]
    fn names_compare_trimmed_collapsed_and_caseless() {
        assert_eq!(normalize("  Next\u{a0}\u{a0}Week \n"), "next week");
        assert_eq!(normalize("차주  예정\t내역"), "차주 예정 내역");
        assert_eq!(normalize("ÄRGER"), "ärger");
        assert_eq!(normalize(" \u{a0} "), "");
    }

    #[test]
    fn visible_text_decodes_references_and_skips_hidden_parts() {
        let src = "<th><p><strong>Next&nbsp;week&rsquo;s</strong> plan&#160;&#x41;&unknown;</p>\
                   <ac:structured-macro ac:name=\"status\"><ac:parameter ac:name=\"colour\">Green</ac:parameter>\
                   </ac:structured-macro><ac:structured-macro ac:name=\"code\"><ac:plain-text-body>\
                   <![CDATA[Notes]]></ac:plain-text-body></ac:structured-macro></th>";
        let tree = parse(src).unwrap();
        assert_eq!(name_of(&tree, 1), "next week\u{2019}s plan a&unknown;");
    }

    #[test]
    fn blocks_and_breaks_separate_words() {
        let tree = parse("<th><p>This</p><p>week</p>x<br/>y</th>").unwrap();
        assert_eq!(name_of(&tree, 1), "this week x y");
    }
}
