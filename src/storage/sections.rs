//! Sections: a heading (`<h1>`…`<h6>`, wherever it is: layouts, panels, expand macros) and what
//! follows it up to the next heading of the same or a higher level in the same element, or the end
//! of that element. A section lies in another when the other's content holds its heading.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use super::edit::{EMPTY, Edits, fill_region, trim_span};
use super::names::name_of;
use super::scan::{Id, Tree};

#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub heading: Id,
    /// The normalised heading text.
    pub name: String,
    /// From the end of the heading to the next heading of the same or a higher level (the white
    /// space before it included) or to the end of the element holding the heading.
    pub content: Range<usize>,
    /// The innermost other section whose content holds this heading (index into the list).
    pub enclosing: Option<usize>,
}

/// Every section of the body, in document order.
pub(crate) fn sections(tree: &Tree<'_>) -> Vec<Section> {
    // The headings among each element's children, in order, to find where each section ends.
    let mut siblings: HashMap<Id, Vec<(Id, u8)>> = HashMap::new();
    for id in tree.all() {
        if let (Some(level), Some(parent)) = (tree.get(id).heading_level(), tree.get(id).parent) {
            siblings.entry(parent).or_default().push((id, level));
        }
    }
    let mut list: Vec<Section> = Vec::new();
    for id in tree.all() {
        let el = tree.get(id);
        let (Some(level), Some(parent)) = (el.heading_level(), el.parent) else { continue };
        let headings = &siblings[&parent];
        let at = headings.iter().position(|&(h, _)| h == id).unwrap_or(0);
        let next = headings[at + 1..].iter().find(|&&(_, l)| l <= level);
        let end = next.map_or(tree.get(parent).content().end, |&(h, _)| tree.get(h).outer().start);
        list.push(Section { heading: id, name: name_of(tree, id), content: el.outer().end..end, enclosing: None });
    }
    // Sections nest or are apart, so in document order the innermost section holding a heading is
    // the last one still open.
    let mut open: Vec<usize> = Vec::new();
    for i in 0..list.len() {
        let at = tree.get(list[i].heading).outer();
        while let Some(&j) = open.last() {
            if list[j].content.start <= at.start && at.end <= list[j].content.end {
                break;
            }
            open.pop();
        }
        list[i].enclosing = open.last().copied();
        open.push(i);
    }
    list
}

/// Carry: in each enclosing section (or at the top), the sections named `from` and `to` pair in
/// order; each pair's TO section takes the FROM section's content and the FROM section is emptied.
/// Returns the number of pairs carried.
pub(crate) fn carry(tree: &Tree<'_>, list: &[Section], from: &str, to: &str, edits: &mut Edits) -> usize {
    let mut groups: BTreeMap<Option<usize>, (Vec<&Section>, Vec<&Section>)> = BTreeMap::new();
    for s in list {
        if s.name == from {
            groups.entry(s.enclosing).or_default().0.push(s);
        } else if s.name == to {
            groups.entry(s.enclosing).or_default().1.push(s);
        }
    }
    let mut carried = 0;
    for (froms, tos) in groups.values() {
        for (src, dst) in froms.iter().zip(tos) {
            let moved = tree.slice(trim_span(tree.src, src.content.clone()).1);
            let group = vec![
                fill_region(tree.src, dst.content.clone(), moved),
                fill_region(tree.src, src.content.clone(), EMPTY),
            ];
            if edits.offer(group) {
                carried += 1;
            }
        }
    }
    carried
}

/// Clear: every section named `name` keeps its heading and holds one empty paragraph. Returns the
/// number of sections emptied.
pub(crate) fn clear(tree: &Tree<'_>, list: &[Section], name: &str, edits: &mut Edits) -> usize {
    list.iter().filter(|s| s.name == name && edits.offer(vec![fill_region(tree.src, s.content.clone(), EMPTY)])).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::scan::parse;

    #[test]
    fn a_section_ends_at_the_next_heading_of_its_level_or_the_end_of_its_holder() {
        let src = "<h1>Team</h1>\n<h2>Alice</h2>\n<p>a</p>\n<h3>Plan</h3><p>p</p>\n<h2>Bob</h2>\
                   <ac:layout><ac:layout-section ac:type=\"single\"><ac:layout-cell><h2>Carol</h2><p>c</p>\
                   </ac:layout-cell></ac:layout-section></ac:layout>";
        let tree = parse(src).unwrap();
        let list = sections(&tree);
        let names: Vec<&str> = list.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["team", "alice", "plan", "bob", "carol"]);
        let text = |i: usize| tree.slice(list[i].content.clone());
        assert_eq!(text(0), &src[13..]);
        assert_eq!(text(1), "\n<p>a</p>\n<h3>Plan</h3><p>p</p>\n");
        assert_eq!(text(2), "<p>p</p>\n");
        assert!(text(3).starts_with("<ac:layout>") && text(3).ends_with("</ac:layout>"));
        assert_eq!(text(4), "<p>c</p>");
        assert_eq!(list[2].enclosing, Some(1));
        assert_eq!(list[1].enclosing, Some(0));
        assert_eq!(list[4].enclosing, Some(3), "Carol's heading lies in Bob's section");
        assert_eq!(list[0].enclosing, None);
    }
}
