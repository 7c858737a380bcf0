//! Tasks: reopen completed ones, or drop them (with everything inside, open tasks nested in them
//! too) and the task lists that leaves empty. Tasks quoted in code blocks are CDATA and never seen.

use std::collections::HashSet;

use super::edit::{Edit, Edits, fill_element, substance};
use super::scan::{Id, Node, Tree};

/// What the task change did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TaskCount {
    /// Completed tasks made open again (`reopen`).
    pub reopened: usize,
    /// Completed tasks removed (`drop-done`), not counting completed tasks nested in them.
    pub removed: usize,
    /// Task lists removed because no task was left in them (`drop-done`).
    pub lists_removed: usize,
}

fn is_status_complete(tree: &Tree<'_>, status: Id) -> bool {
    let el = tree.get(status);
    el.is("ac:task-status") && substance(tree, el) == "complete"
}

/// Whether task `task` is completed (its own status, not a nested task's).
fn is_done(tree: &Tree<'_>, task: Id) -> bool {
    tree.child_elements(task).any(|c| is_status_complete(tree, c))
}

/// `complete` → `incomplete` in every task status.
pub(crate) fn reopen(tree: &Tree<'_>, edits: &mut Edits) -> TaskCount {
    let reopened = tree
        .all()
        .filter(|&id| is_status_complete(tree, id) && edits.offer(vec![fill_element(tree, tree.get(id), "incomplete")]))
        .count();
    TaskCount { reopened, ..TaskCount::default() }
}

/// Removes every completed task (outermost first, so a nested one goes with its parent) and every
/// task list all of whose tasks went.
pub(crate) fn drop_done(tree: &Tree<'_>, edits: &mut Edits) -> TaskCount {
    let tasks: Vec<Id> = tree.all().filter(|&id| tree.get(id).is("ac:task")).collect();
    let done: HashSet<Id> = tasks.iter().copied().filter(|&t| is_done(tree, t)).collect();
    // Whether each element lies in a completed task (parents come before their children).
    let mut in_done = vec![false; tree.elements.len()];
    for id in tree.all() {
        if let Some(parent) = tree.get(id).parent {
            in_done[id] = in_done[parent] || done.contains(&parent);
        }
    }
    let inside_done = |id: Id| in_done[id];
    let outermost: Vec<Id> = tasks.iter().copied().filter(|&t| done.contains(&t) && !inside_done(t)).collect();
    let empty_lists: Vec<Id> = tree
        .all()
        .filter(|&id| tree.get(id).is("ac:task-list") && !inside_done(id))
        .filter(|&list| {
            let el = tree.get(list);
            let mut tasks = 0;
            let only_done = el.children.iter().all(|node| match node {
                Node::Element(c) if tree.get(*c).is("ac:task") => {
                    tasks += 1;
                    done.contains(c)
                }
                Node::Text(r) => tree.slice(r.clone()).trim().is_empty(),
                _ => false,
            });
            only_done && tasks > 0
        })
        .collect();
    let mut removals: Vec<Edit> = empty_lists.iter().chain(&outermost).map(|&id| removal(tree, id)).collect();
    removals.sort_by_key(|e| (e.range.start, std::cmp::Reverse(e.range.end)));
    let list_ends: HashSet<usize> = empty_lists.iter().map(|&l| tree.get(l).outer().end).collect();
    let mut lists_removed = 0;
    for edit in removals {
        let is_list = list_ends.contains(&edit.range.end);
        if edits.offer(vec![edit]) && is_list {
            lists_removed += 1;
        }
    }
    TaskCount { removed: outermost.len(), lists_removed, ..TaskCount::default() }
}

/// Removes element `id` and the white space just before it (the line it stood on).
fn removal(tree: &Tree<'_>, id: Id) -> Edit {
    let el = tree.get(id);
    let mut start = el.outer().start;
    if let Some(parent) = el.parent {
        let siblings = &tree.get(parent).children;
        if let Some(i) = siblings.iter().position(|n| *n == Node::Element(id))
            && let Some(Node::Text(r)) = i.checked_sub(1).map(|j| &siblings[j])
            && tree.slice(r.clone()).trim().is_empty()
        {
            start = r.start;
        }
    }
    Edit { range: start..el.outer().end, with: String::new() }
}
