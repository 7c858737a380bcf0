//! Filing closed periods (`CONFLUENCE_ARCHIVE`, docs/archive.md): once this period's page is
//! ensured, the pages of closed periods directly under the root go under group pages (a quarter
//! inside a year, say), as teams otherwise do by hand. A sibling of `ensure`, which it follows.
//!
//! - `lines`: the group title templates, one per line, and their checks against the report's
//!   title template and schedule;
//! - `plan`: from the root's children and where the group pages are, which group pages to create
//!   and which pages to move. Pure: sends nothing;
//! - `apply`: the lookups, creates and moves, against the [`crate::confluence::Confluence`]
//!   trait only.

mod apply;
mod lines;
mod plan;

pub use apply::{Filing, FilingError, file};
pub use lines::Groups;

#[cfg(test)]
mod tests;
