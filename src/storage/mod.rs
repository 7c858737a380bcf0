//! The page body in storage format, prepared for the new period: columns and sections carried
//! over or cleared, completed tasks reopened or dropped. A leaf: std and crates only.
//!
//! The run builds a [`Prepare`] from [`Rules`] and a [`TaskMode`], skips the body entirely when
//! [`Prepare::is_noop`], and otherwise calls [`Prepare::apply`], which reports per rule what it
//! changed (for the dry run, and to warn about rules that change nothing).
//!
//! Everything outside the cells and sections a rule changed is kept byte for byte: the body is
//! read into a tree of byte spans (`scan`), each rule becomes replacements of non-overlapping spans
//! (`edit`), and each step is applied to the result of the one before (re-read: a rule sees what
//! the rules before it made).
//!
//! The XML crate is quick-xml: maintained, fast, a reader over a `&str` whose events carry exact
//! byte positions, that accepts undeclared prefixes (no namespace resolution asked for) and hands
//! out undeclared entities such as `&nbsp;` as references instead of failing on them.

mod edit;
mod entries;
mod names;
mod rules;
mod scan;
mod sections;
mod tables;
mod tasks;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::fmt;

pub use entries::{Entry, Found, Owner, entries, pending};
pub use rules::{CarryRule, ClearRule, RuleError, Rules, TaskMode};
pub use tasks::TaskCount;

use edit::Edits;

/// A body that cannot be read as storage format (1-based line, column in characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the page body is not readable as storage format at line {line}, column {column}: {problem}; \
     fix the source page in Confluence, or run without carry, clear and task rules"
)]
pub struct ReadError {
    pub line: usize,
    pub column: usize,
    /// What was wrong there, e.g. "end tag </p> where </td> was expected (opened at …)".
    pub problem: String,
}

impl ReadError {
    fn at(src: &str, offset: usize, problem: String) -> Self {
        let (line, column) = scan::line_column(src, offset);
        ReadError { line, column, problem }
    }
}

/// One carry or clear rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    Carry(CarryRule),
    Clear(ClearRule),
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Carry(r) => write!(f, "carry {r}"),
            Rule::Clear(r) => write!(f, "clear {r}"),
        }
    }
}

/// What one rule changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleChange {
    pub rule: Rule,
    /// Tables that have the rule's column(s).
    pub tables: usize,
    /// Rows changed in them (for carry: cells moved; for clear: cells emptied).
    pub rows: usize,
    /// Sections changed (for carry: pairs carried; for clear: sections emptied).
    pub sections: usize,
}

impl RuleChange {
    /// No table with its columns, no pair of its sections, no column or section of its name: the
    /// caller warns.
    pub fn changed_nothing(&self) -> bool {
        self.tables == 0 && self.sections == 0
    }
}

impl fmt::Display for RuleChange {
    /// `carry Next week -> This week: 1 table, 4 rows, 2 sections`, or `…: changes nothing`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changed_nothing() {
            return write!(
                f,
                "{}: changes nothing (no table with its column{}, no section of its name)",
                self.rule,
                match self.rule {
                    Rule::Carry(_) => "s",
                    Rule::Clear(_) => "",
                }
            );
        }
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        write!(
            f,
            "{}: {}, {}, {}",
            self.rule,
            plural(self.tables, "table"),
            plural(self.rows, "row"),
            plural(self.sections, "section")
        )
    }
}

/// The prepared body and what each step changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared<'a> {
    /// The new body; borrowed (the source itself) when nothing was asked for.
    pub body: Cow<'a, str>,
    /// One entry per rule, carry rules first, in the order given.
    pub rules: Vec<RuleChange>,
    pub tasks: TaskCount,
}

impl Prepared<'_> {
    /// The rules that changed nothing (to warn about).
    pub fn unmatched(&self) -> impl Iterator<Item = &RuleChange> {
        self.rules.iter().filter(|r| r.changed_nothing())
    }
}

/// What to do to a body: carry rules, then clear rules, then tasks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prepare {
    pub rules: Rules,
    pub tasks: TaskMode,
}

impl Prepare {
    pub fn new(rules: Rules, tasks: TaskMode) -> Self {
        Prepare { rules, tasks }
    }

    /// No rule and `keep`: the body is to be copied as it is, without being read.
    pub fn is_noop(&self) -> bool {
        self.rules.is_empty() && self.tasks == TaskMode::Keep
    }

    /// Applies the rules in order, then the task change. A no-op returns the body borrowed
    /// without reading it; otherwise a body that is not storage format is an error naming where.
    pub fn apply<'a>(&self, body: &'a str) -> Result<Prepared<'a>, ReadError> {
        let mut out = Prepared { body: Cow::Borrowed(body), rules: Vec::new(), tasks: TaskCount::default() };
        if self.is_noop() {
            return Ok(out);
        }
        if self.rules.is_empty() {
            // Read even when no task changes, so an unreadable body is always reported.
            scan::parse(body)?;
        }
        for rule in &self.rules.carry {
            let change = step(&mut out.body, |tree, edits| {
                let list = sections::sections(tree);
                let sections = sections::carry(tree, &list, rule.source_key(), rule.target_key(), edits);
                (tables::carry(tree, rule.source_key(), rule.target_key(), edits), sections)
            })?;
            out.rules.push(change_of(Rule::Carry(rule.clone()), change));
        }
        for rule in &self.rules.clear {
            let change = step(&mut out.body, |tree, edits| {
                let list = sections::sections(tree);
                let sections = sections::clear(tree, &list, rule.key(), edits);
                (tables::clear(tree, rule.key(), edits), sections)
            })?;
            out.rules.push(change_of(Rule::Clear(rule.clone()), change));
        }
        out.tasks = match self.tasks {
            TaskMode::Keep => TaskCount::default(),
            TaskMode::Reopen => step(&mut out.body, tasks::reopen)?,
            TaskMode::DropDone => step(&mut out.body, tasks::drop_done)?,
        };
        Ok(out)
    }
}

/// Reads `body`, lets `plan` offer its edits, and applies them (the body stays as it is when there
/// are none).
fn step<T>(body: &mut Cow<'_, str>, plan: impl FnOnce(&scan::Tree<'_>, &mut Edits) -> T) -> Result<T, ReadError> {
    let (result, edits) = {
        let tree = scan::parse(body)?;
        let mut edits = Edits::default();
        (plan(&tree, &mut edits), edits)
    };
    if !edits.is_empty() {
        *body = Cow::Owned(edits.apply(body));
    }
    Ok(result)
}

fn change_of(rule: Rule, (tables, sections): (tables::TableCount, usize)) -> RuleChange {
    RuleChange { rule, tables: tables.tables, rows: tables.rows, sections }
}
