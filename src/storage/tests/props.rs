//! Property test: random bodies built from realistic pieces (tables with row and column spans,
//! per-person sections in layouts and macros, code blocks with CDATA, task lists nested in tasks,
//! mentions, dates, entities), each rendered together with what every preparation must make of
//! it. The output must equal that model byte for byte, so every byte outside the changed cells and
//! sections is checked, and it must read again.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

use super::*;
use crate::storage::scan::parse;

const BLOCKS: &[&str] = &[
    "<p>Reviewed <a href=\"https://jira.example.com/browse/MY-1\">MY-1</a>&nbsp;&ndash; done</p>",
    "<ul><li><p>배포 자동화</p></li><li><p>마감 <time datetime=\"2025-06-12\" /></p></li></ul>",
    "<p><ac:link><ri:user ri:account-id=\"557058:0b1c2d3e\" /></ac:link> pairs on it</p>",
    "<p><ac:link><ri:user ri:userkey=\"8a7f808a8b2c4e01\" /></ac:link>&rsquo;s review</p>",
    "<p><ac:structured-macro ac:name=\"status\" ac:schema-version=\"1\"><ac:parameter ac:name=\"colour\">Green</ac:parameter><ac:parameter ac:name=\"title\">DONE</ac:parameter></ac:structured-macro></p>",
    "<p />",
    "<p>&lsquo;quoted&rsquo; &amp; <code>x &lt; y</code><br/>next line</p>",
    "<table><tbody><tr><th><p>Item</p></th><th><p>Due</p></th></tr><tr><td><p>a</p></td><td><time datetime=\"2025-06-13\" /></td></tr></tbody></table>",
    "<ac:structured-macro ac:name=\"code\"><ac:plain-text-body><![CDATA[<th>Notes</th> <ac:task-status>complete</ac:task-status>]]></ac:plain-text-body></ac:structured-macro>",
    "<p>Plain text, 한글 and an emoji &#x1F600;</p>",
];
const CODE: &str = "\n<ac:structured-macro ac:name=\"code\" ac:schema-version=\"1\"><ac:parameter ac:name=\"language\">xml</ac:parameter><ac:plain-text-body><![CDATA[<table><tr><th>Notes</th><th>Next week</th><th>This week</th></tr><tr><td>a</td><td>b</td><td>c</td></tr></table>\n<h3>Notes</h3><ac:task><ac:task-status>complete</ac:task-status></ac:task> & < >]]></ac:plain-text-body></ac:structured-macro>";
const ADF: &str = "\n<ac:adf-extension><ac:adf-node type=\"decision-list\"><ac:adf-attribute key=\"local-id\">c1d2</ac:adf-attribute><ac:adf-node type=\"decision-item\"><ac:adf-attribute key=\"state\">DECIDED</ac:adf-attribute><ac:adf-content>Ship on Thursdays</ac:adf-content></ac:adf-node></ac:adf-node><ac:adf-fallback><ul><li>Ship on Thursdays</li></ul></ac:adf-fallback></ac:adf-extension>";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Owner,
    This,
    Next,
    Notes,
    Other,
}

#[derive(Debug, Clone)]
struct Cell {
    content: &'static str,
    /// 0 `<td>c</td>`, 1 `<td>\n  c\n</td>`, 2 `<td />`.
    form: u8,
}

#[derive(Debug, Clone)]
struct Table {
    cols: Vec<Col>,
    /// Columns under the This week and Next week headers (colspan).
    width: usize,
    /// Rows per member; the Owner (and maybe Notes) cell spans them.
    groups: Vec<usize>,
    notes_span: bool,
    /// 0 rows directly in the table, 1 `<tbody>`, 2 `<thead>` and `<tbody>`.
    wrapper: u8,
    variant: usize,
    cells: Vec<Cell>,
}

#[derive(Debug, Clone)]
struct Person {
    name: &'static str,
    sections: Vec<Col>,
    contents: Vec<&'static str>,
}

#[derive(Debug, Clone)]
struct Task {
    done: bool,
    text: &'static str,
    lists: Vec<Vec<Task>>,
}

#[derive(Debug, Clone)]
enum Piece {
    Block(&'static str),
    Code,
    Adf,
    Info(&'static str),
    Table(Table),
    Holder(u8, Vec<Person>),
    Tasks(Vec<Task>),
}

/// A body and, for each preparation, what it must become and report.
#[derive(Debug, Default)]
struct Model {
    src: String,
    rules: String,
    reopen: String,
    drop: String,
    both: String,
    carry: (usize, usize, usize),
    clear: (usize, usize, usize),
    reopened: usize,
    removed: usize,
    lists_removed: usize,
}

fn cell() -> impl Strategy<Value = Cell> {
    (select(BLOCKS.iter().copied().chain([""]).collect::<Vec<_>>()), 0u8..3)
        .prop_map(|(content, form)| Cell { content, form })
}

fn table() -> impl Strategy<Value = Table> {
    let cols = subsequence(vec![Col::Owner, Col::This, Col::Next, Col::Notes, Col::Other], 1..=5).prop_shuffle();
    (cols, 1usize..=2, vec(1usize..=3, 0..=3), any::<bool>(), 0u8..3, 0usize..3, vec(cell(), 64)).prop_map(
        |(cols, width, groups, notes_span, wrapper, variant, cells)| Table {
            cols,
            width,
            groups,
            notes_span,
            wrapper,
            variant,
            cells,
        },
    )
}

fn person() -> impl Strategy<Value = Person> {
    let sections = subsequence(vec![Col::This, Col::Next, Col::Notes, Col::Other], 0..=4).prop_shuffle();
    let contents = vec(select(BLOCKS), 4);
    (select(&["Alice", "박지민", "Bob"][..]), sections, contents).prop_map(|(name, sections, contents)| Person {
        name,
        sections,
        contents,
    })
}

fn tasks(depth: u32) -> BoxedStrategy<Vec<Task>> {
    let lists = if depth == 0 { Just(Vec::new()).boxed() } else { vec(tasks(depth - 1), 0..=1).boxed() };
    let task = (
        any::<bool>(),
        select(&["Book the room", "Send the agenda", "리뷰 요청", "Ship &ldquo;1.0&rdquo;"][..]),
        lists,
    )
        .prop_map(|(done, text, lists)| Task { done, text, lists });
    vec(task, 1..=3).boxed()
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        1 => select(BLOCKS).prop_map(Piece::Block),
        1 => Just(Piece::Code),
        1 => Just(Piece::Adf),
        1 => select(BLOCKS).prop_map(Piece::Info),
        3 => table().prop_map(Piece::Table),
        3 => (0u8..3, vec(person(), 1..=2)).prop_map(|(kind, people)| Piece::Holder(kind, people)),
        2 => tasks(2).prop_map(Piece::Tasks),
    ]
}

fn td(attrs: &str, cell: &Cell, content: Option<&str>) -> String {
    let filled = content.is_some();
    let content = content.unwrap_or(cell.content);
    match cell.form {
        0 => format!("<td{attrs}>{content}</td>"),
        1 if cell.content.is_empty() => format!("<td{attrs}>\n  \n{}</td>", if filled { content } else { "" }),
        1 => format!("<td{attrs}>\n  {content}\n</td>"),
        _ if filled => format!("<td{attrs}>{content}</td>"),
        _ => format!("<td{attrs} />"),
    }
}

fn substance(cell: &Cell) -> &'static str {
    if cell.form == 2 { "" } else { cell.content }
}

fn header(col: Col, variant: usize) -> &'static str {
    let names: [&str; 3] = match col {
        Col::Owner => ["Owner", "<p><strong>담당자</strong></p>", "<p>Member</p>"],
        Col::This => ["This week", "<p><strong>This&nbsp;week</strong></p>", "<p>this  WEEK </p>"],
        Col::Next => ["Next week", "<p><strong>Next&nbsp;week</strong></p>", "<p> NEXT week</p>"],
        Col::Notes => ["Notes", "<p><strong>Notes</strong></p>", "<p>notes</p>"],
        Col::Other => ["Status", "<p>Links</p>", "<p>Due&nbsp;date</p>"],
    };
    names[variant % 3]
}

/// Renders a table as (source, after the rules), and adds its counts to the model.
fn render_table(t: &Table, m: &mut Model) -> (String, String) {
    let carries = t.cols.contains(&Col::This) && t.cols.contains(&Col::Next);
    let clears = t.cols.contains(&Col::Notes);
    let mut cells = t.cells.iter().cycle();
    let mut head = String::from("<tr>");
    for &col in &t.cols {
        let span = if matches!(col, Col::This | Col::Next) && t.width == 2 { " colspan=\"2\"" } else { "" };
        head += &format!("<th{span}>{}</th>", header(col, t.variant));
    }
    head += "</tr>";
    let (mut rows, mut after) = (Vec::new(), Vec::new());
    for &n in &t.groups {
        for k in 0..n {
            let (mut row, mut out) = (String::from("<tr>"), String::from("<tr>"));
            let this: Vec<&Cell> = (0..t.width).map(|_| cells.next().unwrap()).collect();
            let next: Vec<&Cell> = (0..t.width).map(|_| cells.next().unwrap()).collect();
            for &col in &t.cols {
                match col {
                    Col::Owner if k == 0 => {
                        let cell = format!(
                            "<td rowspan=\"{n}\"><p><ac:link><ri:user ri:userkey=\"u{n}\" /></ac:link></p></td>"
                        );
                        row += &cell;
                        out += &cell;
                    }
                    Col::Owner => {}
                    Col::Notes if t.notes_span && k > 0 => {}
                    Col::Notes => {
                        let attrs = if t.notes_span { format!(" rowspan=\"{n}\"") } else { String::new() };
                        let cell = cells.next().unwrap();
                        row += &td(&attrs, cell, None);
                        out += &td(&attrs, cell, Some("<p />"));
                        if !t.notes_span || k == 0 {
                            m.clear.1 += 1;
                        }
                    }
                    Col::This | Col::Next => {
                        let (mine, other) = if col == Col::This { (&this, &next) } else { (&next, &this) };
                        for (j, cell) in mine.iter().enumerate() {
                            row += &td("", cell, None);
                            out += &match (carries, col) {
                                (false, _) => td("", cell, None),
                                (true, Col::This) => td("", cell, Some(substance(other[j]))),
                                (true, _) => td("", cell, Some("<p />")),
                            };
                        }
                    }
                    Col::Other => {
                        let cell = cells.next().unwrap();
                        row += &td("", cell, None);
                        out += &td("", cell, None);
                    }
                }
            }
            rows.push(row + "</tr>");
            after.push(out + "</tr>");
        }
    }
    if carries {
        m.carry.0 += 1;
        m.carry.1 += rows.len();
    }
    if clears {
        m.clear.0 += 1;
    }
    let wrap = |rows: &[String]| {
        let colgroup = format!("<colgroup>{}</colgroup>", "<col />".repeat(t.cols.len()));
        let body = rows.join("\n");
        match t.wrapper {
            0 => format!("\n<table>{head}\n{body}</table>"),
            1 => format!("\n<table data-layout=\"default\">{colgroup}<tbody>{head}\n{body}</tbody></table>"),
            _ => format!(
                "\n<table data-table-width=\"760\">{colgroup}<thead>{head}</thead><tbody>{body}</tbody></table>"
            ),
        }
    };
    (wrap(&rows), wrap(&after))
}

/// Renders per-person sections in a layout, an expand or a panel macro: (source, after the rules).
fn render_holder(kind: u8, people: &[Person], m: &mut Model) -> (String, String) {
    let (mut src, mut out) = (String::new(), String::new());
    for p in people {
        let heading = format!("\n<h2>{}</h2>", p.name);
        src += &heading;
        out += &heading;
        let carries = p.sections.contains(&Col::This) && p.sections.contains(&Col::Next);
        let content_of = |col: Col| p.contents[p.sections.iter().position(|&c| c == col).unwrap_or(0)];
        for (i, &col) in p.sections.iter().enumerate() {
            let name = match col {
                Col::This => ["This week", "This&nbsp;week", "<strong>this week</strong>"][i % 3],
                Col::Next => ["Next week", "next&nbsp; Week", "<em>Next week</em>"][i % 3],
                Col::Notes => "Notes",
                _ => "Links",
            };
            let content = p.contents[i];
            let after = match col {
                Col::This if carries => content_of(Col::Next),
                Col::Next if carries => "<p />",
                Col::Notes => "<p />",
                _ => content,
            };
            src += &format!("\n<h3>{name}</h3>\n{content}");
            out += &format!("\n<h3>{name}</h3>\n{after}");
        }
        m.carry.2 += usize::from(carries);
        m.clear.2 += usize::from(p.sections.contains(&Col::Notes));
    }
    let (open, close) = match kind {
        0 => (
            "<ac:layout><ac:layout-section ac:type=\"single\"><ac:layout-cell>",
            "</ac:layout-cell></ac:layout-section></ac:layout>",
        ),
        1 => (
            "<ac:structured-macro ac:name=\"expand\" ac:schema-version=\"1\"><ac:parameter ac:name=\"title\">Team</ac:parameter><ac:rich-text-body>",
            "</ac:rich-text-body></ac:structured-macro>",
        ),
        _ => (
            "<ac:structured-macro ac:name=\"panel\"><ac:parameter ac:name=\"bgColor\">#eae6ff</ac:parameter><ac:rich-text-body>",
            "</ac:rich-text-body></ac:structured-macro>",
        ),
    };
    (format!("\n{open}{src}\n{close}"), format!("\n{open}{out}\n{close}"))
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Keep,
    Reopen,
    Drop,
}

/// Renders a task list (with its leading line break); `Drop` leaves out completed tasks and lists
/// left empty, as drop-done must.
fn render_list(tasks: &[Task], mode: Mode) -> String {
    if mode == Mode::Drop && tasks.iter().all(|t| t.done) {
        return String::new();
    }
    let mut out = String::from("\n<ac:task-list>");
    for t in tasks.iter().filter(|t| mode != Mode::Drop || !t.done) {
        let status = if t.done && mode == Mode::Keep { "complete" } else { "incomplete" };
        let lists: String = t.lists.iter().map(|l| render_list(l, mode)).collect();
        out += &format!(
            "\n<ac:task>\n<ac:task-id>{}</ac:task-id>\n<ac:task-status>{status}</ac:task-status>\n<ac:task-body><span>{}</span>{lists}</ac:task-body>\n</ac:task>",
            t.text.len(),
            t.text
        );
    }
    out + "\n</ac:task-list>"
}

/// Counts (reopened, removed, lists removed) the way the module reports them.
fn count_tasks(tasks: &[Task], m: &mut Model, in_done: bool) {
    if !in_done && tasks.iter().all(|t| t.done) {
        m.lists_removed += 1;
    }
    for t in tasks {
        m.reopened += usize::from(t.done);
        m.removed += usize::from(t.done && !in_done);
        for list in &t.lists {
            count_tasks(list, m, in_done || t.done);
        }
    }
}

fn model(pieces: &[Piece]) -> Model {
    let mut m = Model::default();
    for piece in pieces {
        let same = |s: String| (s.clone(), s.clone(), s.clone(), s);
        let (src, rules, reopen, drop) = match piece {
            Piece::Block(b) => same(format!("\n{b}")),
            Piece::Code => same(CODE.to_owned()),
            Piece::Adf => same(ADF.to_owned()),
            Piece::Info(b) => same(format!(
                "\n<ac:structured-macro ac:name=\"info\" ac:schema-version=\"1\"><ac:rich-text-body>{b}</ac:rich-text-body></ac:structured-macro>"
            )),
            Piece::Table(t) => {
                let (src, after) = render_table(t, &mut m);
                (src.clone(), after, src.clone(), src)
            }
            Piece::Holder(kind, people) => {
                let (src, after) = render_holder(*kind, people, &mut m);
                (src.clone(), after, src.clone(), src)
            }
            Piece::Tasks(tasks) => {
                count_tasks(tasks, &mut m, false);
                let src = render_list(tasks, Mode::Keep);
                (src.clone(), src, render_list(tasks, Mode::Reopen), render_list(tasks, Mode::Drop))
            }
        };
        m.both += if matches!(piece, Piece::Tasks(_)) { &drop } else { &rules };
        m.src += &src;
        m.rules += &rules;
        m.reopen += &reopen;
        m.drop += &drop;
    }
    m
}

fn run(tasks: TaskMode, rules: bool, body: &str) -> Prepared<'_> {
    let (carry, clear) = if rules { ("Next week -> This week", "Notes") } else { ("", "") };
    let out = prepare(carry, clear, tasks, body);
    if let Err(err) = parse(&out.body) {
        panic!("the output does not read again: {err}\n{}", out.body);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn prepared_bodies_match_the_model_byte_for_byte(pieces in vec(piece(), 1..=8)) {
        let m = model(&pieces);

        let out = Prepare::default().apply(&m.src).unwrap();
        prop_assert!(matches!(out.body, std::borrow::Cow::Borrowed(b) if b == m.src));

        let out = run(TaskMode::Keep, true, &m.src);
        prop_assert_eq!(&out.body, &m.rules);
        let counts = |i: usize| (out.rules[i].tables, out.rules[i].rows, out.rules[i].sections);
        prop_assert_eq!(counts(0), m.carry);
        prop_assert_eq!(counts(1), m.clear);

        let out = run(TaskMode::Reopen, false, &m.src);
        prop_assert_eq!(&out.body, &m.reopen);
        prop_assert_eq!(out.tasks.reopened, m.reopened);

        let out = run(TaskMode::DropDone, false, &m.src);
        prop_assert_eq!(&out.body, &m.drop);
        prop_assert_eq!((out.tasks.removed, out.tasks.lists_removed), (m.removed, m.lists_removed));

        let out = run(TaskMode::DropDone, true, &m.src);
        prop_assert_eq!(&out.body, &m.both);
    }

    #[test]
    fn a_no_op_never_reads_the_body(body in ".{0,200}") {
        let out = Prepare::default().apply(&body).unwrap();
        prop_assert_eq!(out.body, body.as_str());
    }
}
