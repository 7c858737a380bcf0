//! Reads a storage-format body into a light tree of byte spans: every element's start tag, content
//! and end tag, and the text, entity references and CDATA between them. Nothing is decoded or
//! copied; rewriting works on the spans of the source.
//!
//! quick-xml's slice reader does the tokenizing: it reads the XHTML as written (undeclared `ac:`
//! and `ri:` prefixes are just names, since no namespace resolution is asked for), hands out
//! `&name;` references as their own events instead of failing on the undeclared HTML entities, and
//! its events are contiguous, so each event's bytes are the span between two `buffer_position`s.
//! End tags are matched here, on our own stack, so that every error names where it went wrong.

use std::ops::Range;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::ReadError;

/// Index of an element in [`Tree::elements`]; `0` is the body itself.
pub(crate) type Id = usize;

/// A child of an element, in source order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Element(Id),
    /// Character data as written (no references in it).
    Text(Range<usize>),
    /// An entity or character reference, `&nbsp;` or `&#160;`, ampersand to semicolon.
    Ref(Range<usize>),
    /// `<![CDATA[…]]>`: never a name, never changed.
    CData(Range<usize>),
    /// Comments, processing instructions, declarations.
    Other(Range<usize>),
}

/// One element: where its tags are, what is inside.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    /// The name as written, prefix included (`td`, `ac:structured-macro`).
    pub name: String,
    /// The start tag, or the whole tag of a self-closing element (`<p />`).
    pub start: Range<usize>,
    /// The end tag; `None` for a self-closing element.
    pub end: Option<Range<usize>>,
    pub parent: Option<Id>,
    pub children: Vec<Node>,
    /// `colspan` and `rowspan` of a table cell (1 when absent or unreadable; 0 stays 0).
    pub colspan: usize,
    pub rowspan: usize,
}

impl Element {
    /// From the start of the start tag to the end of the end tag.
    pub fn outer(&self) -> Range<usize> {
        self.start.start..self.end.as_ref().map_or(self.start.end, |e| e.end)
    }

    /// Between the tags (empty, at the tag's end, for a self-closing element).
    pub fn content(&self) -> Range<usize> {
        self.start.end..self.end.as_ref().map_or(self.start.end, |e| e.start)
    }

    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// 1 to 6 for `<h1>`…`<h6>`.
    pub fn heading_level(&self) -> Option<u8> {
        match self.name.as_bytes() {
            [b'h' | b'H', d @ b'1'..=b'6'] => Some(d - b'0'),
            _ => None,
        }
    }

    pub fn is_cell(&self) -> bool {
        self.is("td") || self.is("th")
    }
}

/// A parsed body. Element 0 is the body itself (its content is the whole source).
#[derive(Debug)]
pub(crate) struct Tree<'a> {
    pub src: &'a str,
    pub elements: Vec<Element>,
}

impl<'a> Tree<'a> {
    pub fn get(&self, id: Id) -> &Element {
        &self.elements[id]
    }

    /// The element children of `id`, in order.
    pub fn child_elements(&self, id: Id) -> impl Iterator<Item = Id> + '_ {
        self.elements[id].children.iter().filter_map(|n| match n {
            Node::Element(c) => Some(*c),
            _ => None,
        })
    }

    /// Every element in document order (start tags by position), the body excluded.
    pub fn all(&self) -> impl Iterator<Item = Id> + '_ {
        1..self.elements.len()
    }

    pub fn slice(&self, range: Range<usize>) -> &'a str {
        &self.src[range]
    }
}

/// Reads `src` as storage format. Errors name the line and column where reading stopped.
pub(crate) fn parse(src: &str) -> Result<Tree<'_>, ReadError> {
    let mut reader = Reader::from_str(src);
    let config = reader.config_mut();
    config.check_end_names = false; // matched below, with better messages
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    config.expand_empty_elements = false;
    config.trim_text(false);

    let root = Element {
        name: String::new(),
        start: 0..0,
        end: None,
        parent: None,
        children: Vec::new(),
        colspan: 1,
        rowspan: 1,
    };
    let mut elements = vec![root];
    let mut stack: Vec<Id> = vec![0];
    loop {
        let before = position(reader.buffer_position());
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(err) => return Err(ReadError::at(src, position(reader.error_position()), err.to_string())),
        };
        let span = before..position(reader.buffer_position());
        let top = *stack.last().unwrap_or(&0);
        let node = match event {
            Event::Start(ref tag) | Event::Empty(ref tag) => {
                let self_closing = matches!(event, Event::Empty(_));
                let name = tag.name().as_ref().to_owned();
                let (mut colspan, mut rowspan) = (1, 1);
                if name.eq_ignore_ascii_case("td") || name.eq_ignore_ascii_case("th") {
                    for attr in tag.html_attributes().with_checks(false).flatten() {
                        let value = attr.value.trim().parse::<usize>().ok();
                        match attr.key.as_ref() {
                            k if k.eq_ignore_ascii_case("colspan") => colspan = value.unwrap_or(1).max(1),
                            k if k.eq_ignore_ascii_case("rowspan") => rowspan = value.unwrap_or(1),
                            _ => {}
                        }
                    }
                }
                let id = elements.len();
                elements.push(Element {
                    name,
                    start: span,
                    end: None,
                    parent: Some(top),
                    children: Vec::new(),
                    colspan,
                    rowspan,
                });
                if !self_closing {
                    stack.push(id);
                }
                Node::Element(id)
            }
            Event::End(tag) => {
                let name = tag.name().as_ref().to_owned();
                if top == 0 {
                    return Err(ReadError::at(src, span.start, format!("end tag </{name}> closes no open element")));
                }
                let open = &elements[top];
                if open.name != name {
                    let (line, column) = line_column(src, open.start.start);
                    return Err(ReadError::at(
                        src,
                        span.start,
                        format!(
                            "end tag </{name}> where </{}> was expected (opened at line {line}, column {column})",
                            open.name
                        ),
                    ));
                }
                elements[top].end = Some(span);
                stack.pop();
                continue;
            }
            Event::Text(_) => Node::Text(span),
            Event::GeneralRef(_) => Node::Ref(span),
            Event::CData(_) => Node::CData(span),
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => Node::Other(span),
            Event::Eof => break,
        };
        elements[top].children.push(node);
    }
    if let Some(&open) = stack.last().filter(|&&id| id != 0) {
        let name = elements[open].name.clone();
        return Err(ReadError::at(src, elements[open].start.start, format!("<{name}> is never closed")));
    }
    elements[0].end = Some(src.len()..src.len());
    Ok(Tree { src, elements })
}

fn position(offset: u64) -> usize {
    usize::try_from(offset).unwrap_or(usize::MAX)
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = src.get(..offset).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}
