//! The entries a reminder checks: per person, the part of the page they fill. A column's entry is
//! each body row's cell of that column, owned by the row's cell in the first grid column (a cell
//! spanning rows owns each of them); a section's entry is each section of that name, owned by the
//! heading of its enclosing section. Names are matched as the content rules match them.
//!
//! Each entry's content is kept in a comparable form: tags with their attributes (sorted, without
//! the ones Cloud's editor stamps on every save: `local-id`, `ac:local-id`, `data-*`), and the
//! text's words, white space (no-break spaces included) collapsed, so a save that changes nothing
//! a reader sees compares equal.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use quick_xml::events::BytesStart;

use super::ReadError;
use super::names::{normalize, push_reference, text_of};
use super::scan::{self, Id, Node, Tree};
use super::sections;
use super::tables::Grid;

/// Who an entry belongs to, as the page names them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Owner {
    /// Written out (or a Data Center `ri:username` mention).
    Text(String),
    /// A Data Center mention: `ri:userkey`.
    UserKey(String),
    /// A Cloud mention: `ri:account-id`.
    AccountId(String),
}

/// One person's part of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub owner: Owner,
    /// The normalised name of its column or section.
    pub name: String,
    /// The content in comparable form (see the module documentation).
    pub content: String,
    /// Nothing in it: no text, macro, image, link, date or mention.
    pub empty: bool,
    /// Where it starts in the body: page order.
    pub position: usize,
}

/// What [`entries`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// Every entry, in page order.
    pub entries: Vec<Entry>,
    /// The names (as given) that name no column and no section of the page.
    pub unmatched: Vec<String>,
}

/// The entries of `body` named by `names` (columns or sections).
pub fn entries(body: &str, names: &[String]) -> Result<Found, ReadError> {
    let tree = scan::parse(body)?;
    let list = sections::sections(&tree);
    let grids: Vec<Grid> = tree.all().filter(|&id| tree.get(id).is("table")).map(|t| Grid::of(&tree, t)).collect();
    let mut found = Found::default();
    let mut seen = HashSet::new();
    for given in names {
        let key = normalize(given);
        if !seen.insert(key.clone()) {
            continue;
        }
        let before = found.entries.len();
        let mut matched = false;
        for grid in &grids {
            let columns = grid.columns(&key);
            matched |= !columns.is_empty();
            let mut cells = HashSet::new();
            for row in 1..grid.rows() {
                let Some(owner_cell) = grid.cell(row, 0) else { continue };
                for &c in &columns {
                    let Some(cell) = grid.cell(row, c).filter(|&cell| cell != owner_cell) else { continue };
                    let Some(owner) = owner_of(&tree, owner_cell) else { continue };
                    if cells.insert((cell, owner.clone())) {
                        let nodes = tree.get(cell).children.iter();
                        found.entries.push(entry(&tree, owner, &key, nodes, tree.get(cell).start.start));
                    }
                }
            }
        }
        for section in list.iter().filter(|s| s.name == key) {
            matched = true;
            let Some(owner) = section.enclosing.and_then(|e| owner_of(&tree, list[e].heading)) else { continue };
            let holder = tree.get(section.heading).parent.unwrap_or(0);
            let nodes = tree.get(holder).children.iter().filter(|n| within(&span(&tree, n), &section.content));
            found.entries.push(entry(&tree, owner, &key, nodes, tree.get(section.heading).start.start));
        }
        if !matched && found.entries.len() == before {
            found.unmatched.push(given.trim().to_owned());
        }
    }
    found.entries.sort_by_key(|e| e.position);
    Ok(found)
}

/// The entries of `now` that are still as in `first` (the same owner's entry of the same name at
/// the same place among that owner's entries of that name), or empty. One with no counterpart
/// counts as written.
pub fn pending<'a>(now: &'a [Entry], first: &[Entry]) -> Vec<&'a Entry> {
    let index = |list: &[Entry]| {
        let mut counts: HashMap<(&Owner, &str), usize> = HashMap::new();
        list.iter()
            .map(|e| {
                let n = counts.entry((&e.owner, e.name.as_str())).or_default();
                *n += 1;
                *n
            })
            .collect::<Vec<usize>>()
    };
    let (now_at, first_at) = (index(now), index(first));
    let earlier: HashMap<(&Owner, &str, usize), &Entry> =
        first.iter().zip(first_at).map(|(e, n)| ((&e.owner, e.name.as_str(), n), e)).collect();
    now.iter()
        .zip(now_at)
        .filter(|(e, n)| {
            e.empty || earlier.get(&(&e.owner, e.name.as_str(), *n)).is_some_and(|old| old.content == e.content)
        })
        .map(|(e, _)| e)
        .collect()
}

/// Attributes Cloud's editor adds or renews on every save.
fn stamped(key: &str) -> bool {
    key == "local-id" || key == "ac:local-id" || key.starts_with("data-")
}

/// Elements that hold nothing by themselves: an entry of only these (and white space) is empty.
const FORMATTING: &[&str] = &[
    "p",
    "br",
    "span",
    "div",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "del",
    "sub",
    "sup",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "ac:placeholder",
];

fn entry<'n>(tree: &Tree<'_>, owner: Owner, name: &str, nodes: impl Iterator<Item = &'n Node>, at: usize) -> Entry {
    let mut canon = Canon::default();
    for node in nodes {
        canon.node(tree, node);
    }
    Entry { owner, name: name.to_owned(), content: canon.tokens.join(" "), empty: !canon.substance, position: at }
}

/// The comparable form of some content, built token by token.
#[derive(Default)]
struct Canon {
    tokens: Vec<String>,
    /// Whether anything besides formatting and white space was seen.
    substance: bool,
}

impl Canon {
    fn node(&mut self, tree: &Tree<'_>, node: &Node) {
        match node {
            Node::Text(r) => self.words(tree.slice(r.clone())),
            Node::Ref(r) => {
                let mut text = String::new();
                push_reference(tree.slice(r.clone()), &mut text);
                self.words(&text);
            }
            Node::CData(r) => {
                self.substance = true;
                self.tokens.push(tree.slice(r.clone()).to_owned());
            }
            Node::Other(_) => {}
            Node::Element(id) => {
                let el = tree.get(*id);
                if !FORMATTING.iter().any(|f| el.is(f)) {
                    self.substance = true;
                }
                let mut attrs: Vec<String> = attributes(tree, *id)
                    .into_iter()
                    .filter(|(k, _)| !stamped(k))
                    .map(|(k, v)| format!("{k}=\"{}\"", v.split_whitespace().collect::<Vec<_>>().join(" ")))
                    .collect();
                attrs.sort();
                let open = std::iter::once(format!("<{}", el.name.to_ascii_lowercase())).chain(attrs);
                self.tokens.push(format!("{}>", open.collect::<Vec<_>>().join(" ")));
                if el.is("ac:placeholder") {
                    // Instructions shown in the editor only: not something a person wrote.
                } else {
                    for child in &el.children {
                        self.node(tree, child);
                    }
                }
                self.tokens.push(format!("</{}>", el.name.to_ascii_lowercase()));
            }
        }
    }

    fn words(&mut self, text: &str) {
        for word in text.split(char::is_whitespace).filter(|w| !w.is_empty()) {
            self.substance = true;
            self.tokens.push(word.to_owned());
        }
    }
}

/// The attributes of element `id`'s start tag, values as written.
fn attributes(tree: &Tree<'_>, id: Id) -> Vec<(String, String)> {
    let el = tree.get(id);
    let tag = tree.slice(el.start.clone());
    let inner = tag.trim_start_matches('<').trim_end_matches('>').trim_end_matches('/');
    let start = BytesStart::from_content(inner, el.name.len());
    start
        .html_attributes()
        .with_checks(false)
        .flatten()
        .map(|a| (a.key.as_ref().to_ascii_lowercase(), a.value.to_string()))
        .collect()
}

/// Who a cell or heading names: its first user mention, else its text (`None` when empty).
fn owner_of(tree: &Tree<'_>, id: Id) -> Option<Owner> {
    if let Some(user) = first_user(tree, id) {
        for (key, value) in attributes(tree, user) {
            match key.as_str() {
                "ri:userkey" => return Some(Owner::UserKey(value)),
                "ri:account-id" => return Some(Owner::AccountId(value)),
                "ri:username" => return Some(Owner::Text(value)),
                _ => {}
            }
        }
    }
    Some(text_of(tree, id)).filter(|t| !t.is_empty()).map(Owner::Text)
}

/// The first `ri:user` inside element `id`, in document order.
fn first_user(tree: &Tree<'_>, id: Id) -> Option<Id> {
    tree.child_elements(id)
        .find_map(|child| if tree.get(child).is("ri:user") { Some(child) } else { first_user(tree, child) })
}

fn span(tree: &Tree<'_>, node: &Node) -> Range<usize> {
    match node {
        Node::Element(id) => tree.get(*id).outer(),
        Node::Text(r) | Node::Ref(r) | Node::CData(r) | Node::Other(r) => r.clone(),
    }
}

fn within(inner: &Range<usize>, outer: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEAM: &str = include_str!("fixtures/korean_team.xml");
    const PER_PERSON: &str = include_str!("fixtures/per_person.xml");

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn key(n: u8) -> Owner {
        Owner::UserKey(format!("8a7f808a8b2c4e01018b2c5f3e2a000{n}"))
    }

    #[test]
    fn a_column_s_entries_are_owned_by_the_first_column_a_spanning_cell_owning_each_row() {
        let found = entries(TEAM, &names(&["금주  진행 내역", "Nowhere"])).unwrap();
        let owners: Vec<&Owner> = found.entries.iter().map(|e| &e.owner).collect();
        assert_eq!(owners, [&key(1), &key(2), &key(2), &key(3)]);
        assert_eq!(found.unmatched, ["Nowhere"]);
        assert!(found.entries[3].empty, "<td />");
        assert!(!found.entries[0].empty);
        let notes = entries(TEAM, &names(&["비고"])).unwrap();
        let empty: Vec<bool> = notes.entries.iter().map(|e| e.empty).collect();
        assert_eq!(empty, [false, true, false, true], "<p /> and <p>&nbsp;</p> are empty");
    }

    #[test]
    fn a_section_s_entries_are_owned_by_the_enclosing_heading() {
        let found = entries(PER_PERSON, &names(&["this week"])).unwrap();
        let owners: Vec<&Owner> = found.entries.iter().map(|e| &e.owner).collect();
        let text = |s: &str| Owner::Text(s.to_owned());
        assert_eq!(owners, [&text("Alice"), &text("Bob"), &text("Carol")]);
        assert!(found.entries.iter().all(|e| !e.empty));
    }

    #[test]
    fn white_space_and_editor_stamps_do_not_count_as_written() {
        let first = entries(TEAM, &names(&["금주 진행 내역"])).unwrap().entries;
        let resaved = TEAM
            .replace("<p>로그 수집기", "<p local-id=\"a1\" data-x=\"2\">  로그&nbsp;\n 수집기")
            .replace("<li><p>API", "<li ac:local-id=\"z\"><p>API");
        let now = entries(&resaved, &names(&["금주 진행 내역"])).unwrap().entries;
        assert_eq!(pending(&now, &first).len(), 4, "all unchanged, one empty");
        let written = TEAM.replace("장애 대응 회고", "장애 대응 회고 완료");
        let now = entries(&written, &names(&["금주 진행 내역"])).unwrap().entries;
        let still: Vec<usize> = pending(&now, &first).iter().map(|e| e.position).collect();
        assert_eq!(still.len(), 3);
        assert!(!still.contains(&now[2].position), "the edited row counts as written");
    }

    #[test]
    fn an_entry_with_no_counterpart_counts_as_written_unless_empty() {
        let now = entries(TEAM, &names(&["금주 진행 내역"])).unwrap().entries;
        let pending = pending(&now, &[]);
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].owner, key(3));
    }
}
