//! Byte-range rewriting: a rule turns into replacements of non-overlapping spans of the source,
//! applied in one pass; every byte outside them is copied as it was.

use std::collections::BTreeMap;
use std::ops::Range;

use super::scan::{Element, Tree};

/// What an emptied cell or section holds, so that it stays editable.
pub(crate) const EMPTY: &str = "<p />";

/// Replace `range` of the source with `with`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    pub range: Range<usize>,
    pub with: String,
}

/// Edits that do not overlap. Groups (a carry's two halves) are taken whole or not at all; the
/// first taken wins, so callers offer outer regions before the regions inside them.
#[derive(Debug, Default)]
pub(crate) struct Edits {
    /// Keyed by (start, end); the spans never overlap, so they are ordered by end too.
    edits: BTreeMap<(usize, usize), String>,
}

impl Edits {
    /// Takes `group` if none of its edits overlaps one already taken (or another of the group).
    pub fn offer(&mut self, group: Vec<Edit>) -> bool {
        let clashes = group
            .iter()
            .enumerate()
            .any(|(i, e)| self.clashes(&e.range) || group[..i].iter().any(|o| overlaps(&o.range, &e.range)));
        if clashes {
            return false;
        }
        self.edits.extend(group.into_iter().map(|e| ((e.range.start, e.range.end), e.with)));
        true
    }

    /// Whether `range` overlaps a taken edit: only those starting before its end can, and going
    /// back from there, one that ends before it starts ends the search.
    fn clashes(&self, range: &Range<usize>) -> bool {
        for (&(start, end), _) in self.edits.range(..(range.end, usize::MAX)).rev() {
            if overlaps(&(start..end), range) {
                return true;
            }
            if end <= range.start && start < range.start {
                return false;
            }
        }
        false
    }

    pub fn is_empty(&self) -> bool {
        self.edits.is_empty()
    }

    /// The source with every edit applied.
    pub fn apply(self, src: &str) -> String {
        let added: usize = self.edits.values().map(String::len).sum();
        let mut out = String::with_capacity(src.len() + added);
        let mut at = 0;
        for ((start, end), with) in &self.edits {
            out.push_str(&src[at..*start]);
            out.push_str(with);
            at = *end;
        }
        out.push_str(&src[at..]);
        out
    }
}

/// Two spans overlap when they share a byte, or an insertion point lies strictly inside a span.
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    if a.is_empty() || b.is_empty() {
        return (a.start > b.start && a.start < b.end) || (b.start > a.start && b.start < a.end) || a == b;
    }
    a.start < b.end && b.start < a.end
}

/// Splits a region into its leading white space, its substance and its trailing white space.
pub(crate) fn trim_span(src: &str, range: Range<usize>) -> (Range<usize>, Range<usize>, Range<usize>) {
    let text = &src[range.clone()];
    let lead = text.len() - text.trim_start().len();
    let trail = text.trim_start().len() - text.trim().len();
    let middle = range.start + lead..range.end - trail;
    (range.start..middle.start, middle.clone(), middle.end..range.end)
}

/// An edit that makes `content` the substance of a region, keeping the region's own leading and
/// trailing white space (so the source's layout of lines stays).
pub(crate) fn fill_region(src: &str, region: Range<usize>, content: &str) -> Edit {
    let (_, middle, _) = trim_span(src, region);
    Edit { range: middle, with: content.to_owned() }
}

/// An edit that makes `content` the content of element `el`, keeping its start tag (attributes
/// included) and its white space around the old content. A self-closing element (`<td />`) is
/// written out with an end tag.
pub(crate) fn fill_element(tree: &Tree<'_>, el: &Element, content: &str) -> Edit {
    if el.end.is_some() {
        return fill_region(tree.src, el.content(), content);
    }
    let tag = tree.slice(el.start.clone());
    let open = tag.trim_end_matches('>').trim_end_matches('/').trim_end();
    Edit { range: el.start.clone(), with: format!("{open}>{content}</{}>", el.name) }
}

/// The substance of an element's content (its content without surrounding white space).
pub(crate) fn substance<'a>(tree: &Tree<'a>, el: &Element) -> &'a str {
    tree.slice(trim_span(tree.src, el.content()).1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::scan::parse;

    #[test]
    fn edits_apply_in_one_pass_and_keep_everything_else() {
        let src = "<td a=\"1\">\n  old\n</td><td/>";
        let tree = parse(src).unwrap();
        let mut edits = Edits::default();
        assert!(edits.offer(vec![fill_element(&tree, tree.get(1), EMPTY), fill_element(&tree, tree.get(2), "x")]));
        assert_eq!(edits.apply(src), "<td a=\"1\">\n  <p />\n</td><td>x</td>");
    }

    #[test]
    fn overlapping_groups_are_refused_whole() {
        let mut edits = Edits::default();
        let e = |a, b| Edit { range: a..b, with: String::new() };
        assert!(edits.offer(vec![e(0, 10)]));
        assert!(!edits.offer(vec![e(20, 30), e(5, 6)]));
        assert!(!edits.offer(vec![e(3, 3)]));
        assert!(edits.offer(vec![e(10, 10), e(20, 30)]));
        assert_eq!(edits.edits.len(), 3);
    }

    #[test]
    fn self_closing_cells_get_an_end_tag() {
        let src = "<td colspan=\"2\" />";
        let tree = parse(src).unwrap();
        let mut edits = Edits::default();
        edits.offer(vec![fill_element(&tree, tree.get(1), EMPTY)]);
        assert_eq!(edits.apply(src), "<td colspan=\"2\"><p /></td>");
    }
}
