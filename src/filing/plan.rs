//! The filing planner: from the root's children and where the needed group pages are, which
//! pages to create and which to move.
//!
//! The steps (`apply.rs` takes them): list the root's children once; [`Groups::survey`] them;
//! look up the titles of [`Survey::lookups`], round after round (none on a tidy tree);
//! [`Survey::plan`] with what was found; then make the [`Plan`]'s creates (parents first), then
//! its moves. Pure: it reads and returns values, and sends nothing.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Months, NaiveDate};

use super::lines::{Groups, periods};
use crate::confluence::{Child, Placed};
use crate::period::Period;
use crate::schedule::Schedule;
use crate::title::TitleTemplate;

/// Where a page goes: the root page, or the group page with this title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parent {
    Root,
    Group(String),
}

/// A group page to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Create {
    pub title: String,
    pub parent: Parent,
}

/// A page to move under the group page titled `into`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub id: String,
    pub title: String,
    pub into: String,
}

/// A group title held by a page outside the root's tree, or by a group page that is neither
/// directly under the root nor under its parent group's page (`page` says where it is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Foreign {
    pub title: String,
    pub page: Placed,
}

/// What to do, in this order: creates (each parent before its children), group moves, period
/// moves. Nothing is planned into a `foreign` group (its members stay where they are); the run
/// fails naming each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub creates: Vec<Create>,
    pub group_moves: Vec<Move>,
    pub period_moves: Vec<Move>,
    pub foreign: Vec<Foreign>,
}

impl Plan {
    /// Nothing to create, move or report.
    pub fn is_empty(&self) -> bool {
        self.creates.is_empty()
            && self.group_moves.is_empty()
            && self.period_moves.is_empty()
            && self.foreign.is_empty()
    }
}

/// A group the plan touches: one that receives pages, a group page at the root whose parent
/// group is closed, and each closed parent group of these.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Group {
    title: String,
    /// Its parent group's title when that group is closed (else it belongs at the root).
    parent: Option<String>,
}

/// What the root's children need, before the group pages are looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    /// Coarsest line first, then by title.
    groups: BTreeMap<(Reverse<usize>, String), Group>,
    /// Group pages directly under the root: title → id.
    at_root: HashMap<String, String>,
    /// Period pages of closed groups, with their first-line group.
    periods: Vec<(Child, String)>,
}

impl Groups {
    /// Sorts the root's children for `current` (this run's period date, after days ahead).
    /// Period titles are `title` rendered for the schedule's periods of the ten years up to
    /// `current` (each with its days, so `{start}` and `{end}` titles are recognised); group
    /// titles are the lines rendered for those periods. This period's page, the
    /// current groups and every other title are left alone.
    pub fn survey(&self, title: &TitleTemplate, schedule: &Schedule, current: NaiveDate, children: &[Child]) -> Survey {
        let from = current.checked_sub_months(Months::new(120)).unwrap_or(NaiveDate::MIN);
        let current = schedule.period(current);
        let this_title = title.render(current);
        let open: Vec<String> = (0..self.len()).map(|i| self.render(i, current)).collect();
        let mut titled: HashMap<String, Period> = HashMap::new();
        let mut groups: HashMap<String, (usize, Period)> = HashMap::new();
        for period in periods(schedule, from, current.date) {
            titled.insert(title.render(period), period);
            for i in 0..self.len() {
                groups.entry(self.render(i, period)).or_insert((i, period));
            }
        }
        let mut survey = Survey { groups: BTreeMap::new(), at_root: HashMap::new(), periods: Vec::new() };
        // The group of `line` at `date` and its closed parents, as touched groups.
        let touch = |survey: &mut Survey, mut line: usize, period: Period| loop {
            let group = self.render(line, period);
            let parent =
                (line + 1 < self.len()).then(|| self.render(line + 1, period)).filter(|p| *p != open[line + 1]);
            let next = parent.is_some();
            survey.groups.entry((Reverse(line), group.clone())).or_insert(Group { title: group, parent });
            if !next {
                break;
            }
            line += 1;
        };
        for child in children.iter().filter(|c| c.title != this_title) {
            if let Some(&period) = titled.get(&child.title) {
                let group = self.render(0, period);
                if group != open[0] {
                    touch(&mut survey, 0, period);
                    survey.periods.push((child.clone(), group));
                }
            } else if let Some(&(line, period)) = groups.get(&child.title) {
                survey.at_root.insert(child.title.clone(), child.id.clone());
                if line + 1 < self.len() && self.render(line + 1, period) != open[line + 1] {
                    touch(&mut survey, line, period);
                }
            }
        }
        survey
    }
}

impl Survey {
    /// The group titles to look up by title (those not directly under the root), one round
    /// per line, finest line first; none on a tidy tree. Each round goes out after the one
    /// before, so a group page found under a parent group page that a racing run just made is
    /// found with that parent, never taken for a page outside the tree.
    pub fn lookups(&self) -> Vec<Vec<&str>> {
        let mut rounds: Vec<(usize, Vec<&str>)> = Vec::new();
        for ((Reverse(line), title), _) in self.groups.iter().rev() {
            if self.at_root.contains_key(title) {
                continue;
            }
            match rounds.last_mut() {
                Some((l, titles)) if l == line => titles.push(title),
                _ => rounds.push((*line, vec![title])),
            }
        }
        rounds.into_iter().map(|(_, titles)| titles).collect()
    }

    /// The plan, given the root page's id and the pages [`Survey::lookups`] found (a title
    /// without an entry has no page).
    pub fn plan(&self, root_id: &str, found: &HashMap<String, Placed>) -> Plan {
        let mut plan = Plan::default();
        // Group title → its page's id (`None`: created by this plan), for groups in their place.
        let mut placed: HashMap<&str, Option<&str>> = HashMap::new();
        let mut foreign: HashSet<&str> = HashSet::new();
        for group in self.groups.values() {
            let title = group.title.as_str();
            // Nothing goes into a foreign group: a group belonging there stays at (or goes to) the root.
            let parent = group.parent.as_deref().filter(|p| !foreign.contains(p));
            if let Some(id) = self.at_root.get(title) {
                placed.insert(title, Some(id));
                if let Some(parent) = parent {
                    plan.group_moves.push(Move { id: id.clone(), title: title.to_owned(), into: parent.to_owned() });
                }
                continue;
            }
            match found.get(title) {
                None => {
                    let parent = parent.map_or(Parent::Root, |p| Parent::Group(p.to_owned()));
                    plan.creates.push(Create { title: title.to_owned(), parent });
                    placed.insert(title, None);
                }
                Some(page) => {
                    let under = page.parent_id.as_deref();
                    let right = parent.is_some_and(|p| under.is_some() && placed.get(p) == Some(&under));
                    if under == Some(root_id) {
                        // At the root though not listed (e.g. made a moment ago): as if listed.
                        placed.insert(title, Some(&page.id));
                        if let Some(parent) = parent {
                            let into = parent.to_owned();
                            plan.group_moves.push(Move { id: page.id.clone(), title: title.to_owned(), into });
                        }
                    } else if right {
                        placed.insert(title, Some(&page.id));
                    } else {
                        foreign.insert(title);
                        plan.foreign.push(Foreign { title: title.to_owned(), page: page.clone() });
                    }
                }
            }
        }
        for (child, group) in &self.periods {
            if !foreign.contains(group.as_str()) {
                plan.period_moves.push(Move { id: child.id.clone(), title: child.title.clone(), into: group.clone() });
            }
        }
        plan
    }
}
