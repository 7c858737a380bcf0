//! The group lines and the plan, on a tree in a map: no Confluence at all.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use fake_confluence::weekly;

use super::lines::{Groups, periods};
use super::plan::{Create, Parent, Plan};
use crate::confluence::{Child, Placed};
use crate::schedule::Schedule;
use crate::title::TitleTemplate;

const ROOT: &str = "1";
const WEEKLY: &str = weekly::TEMPLATE;
const KOREAN: &str = weekly::ARCHIVE;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn archive(text: &str) -> Groups {
    Groups::parse(text).expect("valid lines").expect("at least one line")
}

fn template(text: &str) -> TitleTemplate {
    TitleTemplate::parse(text).expect("valid template")
}

fn schedule(text: &str) -> Schedule {
    text.parse().expect("valid schedule")
}

/// A space in memory: page id → (title, parent id). Page "1" is the root.
struct Tree {
    pages: BTreeMap<u32, (String, Option<String>)>,
}

impl Tree {
    /// The root, and under it `title` rendered for every period dated from `from` to `to`.
    fn flat(title: &str, schedule: &Schedule, from: &str, to: &str) -> Tree {
        let mut tree = Tree { pages: BTreeMap::from([(1, ("Weekly Reports".to_owned(), None))]) };
        for period in periods(schedule, d(from), d(to)) {
            tree.add(&template(title).render(period), Some(ROOT));
        }
        tree
    }

    fn add(&mut self, title: &str, parent: Option<&str>) -> String {
        let id = self.pages.keys().last().map_or(1, |k| k + 1);
        self.pages.insert(id, (title.to_owned(), parent.map(str::to_owned)));
        id.to_string()
    }

    fn id(&self, title: &str) -> String {
        self.pages.iter().find(|(_, (t, _))| t == title).map(|(id, _)| id.to_string()).expect(title)
    }

    /// The titles of the page's children, sorted.
    fn children(&self, title: &str) -> Vec<String> {
        let id = self.id(title);
        let mut titles: Vec<String> =
            self.pages.values().filter(|(_, p)| p.as_deref() == Some(&id)).map(|(t, _)| t.clone()).collect();
        titles.sort();
        titles
    }

    fn root_children(&self) -> Vec<Child> {
        self.pages
            .iter()
            .filter(|(_, (_, p))| p.as_deref() == Some(ROOT))
            .map(|(id, (title, _))| Child { id: id.to_string(), title: title.clone() })
            .collect()
    }

    /// What the executor does: one listing, the survey, the lookups, the plan, then the plan.
    fn file(&mut self, archive: &Groups, title: &str, schedule: &Schedule, current: &str) -> (Vec<String>, Plan) {
        let survey = archive.survey(&template(title), schedule, d(current), &self.root_children());
        let lookups: Vec<String> = survey.lookups().into_iter().flatten().map(str::to_owned).collect();
        let found: HashMap<String, Placed> = lookups
            .iter()
            .filter_map(|t| self.pages.iter().find(|(_, (title, _))| title == t).map(|(id, p)| (t, id, p)))
            .map(|(t, id, (_, parent))| {
                let placed = Placed { id: id.to_string(), parent_id: parent.clone(), url: format!("page {id}") };
                (t.clone(), placed)
            })
            .collect();
        let plan = survey.plan(ROOT, &found);
        let parent_id = |tree: &Tree, parent: &Parent| match parent {
            Parent::Root => ROOT.to_owned(),
            Parent::Group(title) => tree.id(title),
        };
        for create in &plan.creates {
            let parent = parent_id(self, &create.parent);
            self.add(&create.title, Some(&parent));
        }
        for m in plan.group_moves.iter().chain(&plan.period_moves) {
            let into = self.id(&m.into);
            self.pages.get_mut(&m.id.parse().unwrap()).unwrap().1 = Some(into);
        }
        (lookups, plan)
    }
}

/// `title` rendered for the schedule's periods dated from `from` to `to`, sorted.
fn titles(title: &str, schedule: &Schedule, from: &str, to: &str) -> Vec<String> {
    let mut titles: Vec<String> =
        periods(schedule, d(from), d(to)).into_iter().map(|period| template(title).render(period)).collect();
    titles.sort();
    titles
}

fn sorted(mut titles: Vec<String>) -> Vec<String> {
    titles.sort();
    titles
}

#[test]
fn seventy_five_weekly_pages_become_the_quarter_and_year_tree() {
    let thu = schedule("weekly:thu");
    let archive = archive(KOREAN);
    let (first, last) = (weekly::first().to_string(), weekly::last().to_string());
    let mut tree = Tree::flat(WEEKLY, &thu, &first, &last);
    assert_eq!(tree.root_children().len(), weekly::thursdays().len());

    let (lookups, plan) = tree.file(&archive, WEEKLY, &thu, "2025-06-05");
    let year = "주간보고 | 2024";
    let quarters: Vec<String> = (1..=4).map(|q| format!("주간보고 | 2024 {q}분기")).collect();
    assert_eq!(lookups.len(), 6, "{lookups:?}");
    let mut expected = vec![Create { title: year.to_owned(), parent: Parent::Root }];
    expected.extend(quarters.iter().map(|q| Create { title: q.clone(), parent: Parent::Group(year.to_owned()) }));
    expected.push(Create { title: "주간보고 | 2025 1분기".to_owned(), parent: Parent::Root });
    assert_eq!(plan.creates, expected);
    assert_eq!(plan.period_moves.len(), 65);
    assert!(plan.group_moves.is_empty() && plan.foreign.is_empty());

    let mut root = titles(WEEKLY, &thu, "2025-04-01", "2025-06-05");
    root.extend([year.to_owned(), "주간보고 | 2025 1분기".to_owned()]);
    assert_eq!(tree.children("Weekly Reports"), sorted(root));
    assert_eq!(tree.children(year), quarters);
    for (quarter, (from, to)) in
        quarters.iter().zip([("2024-01-01", "2024-03-31"), ("2024-04-01", "2024-06-30"), ("2024-07-01", "2024-09-30")])
    {
        assert_eq!(tree.children(quarter), titles(WEEKLY, &thu, from, to), "{quarter}");
    }
    assert_eq!(tree.children(&quarters[3]), titles(WEEKLY, &thu, "2024-10-01", "2024-12-31"));
    assert_eq!(tree.children("주간보고 | 2025 1분기"), titles(WEEKLY, &thu, "2025-01-01", "2025-03-31"));

    // Tidy now: nothing to look up, nothing to do.
    let (lookups, plan) = tree.file(&archive, WEEKLY, &thu, "2025-06-05");
    assert!(lookups.is_empty(), "{lookups:?}");
    assert!(plan.is_empty(), "{plan:?}");
}

#[test]
fn closing_a_year_moves_its_quarter_pages_under_the_new_year_page() {
    let thu = schedule("weekly:thu");
    let archive = archive(KOREAN);
    let mut tree = Tree::flat(WEEKLY, &thu, "2025-01-02", "2025-12-25");
    tree.file(&archive, WEEKLY, &thu, "2025-12-25");
    let open: Vec<String> = (1..=3).map(|q| format!("주간보고 | 2025 {q}분기")).collect();
    assert!(open.iter().all(|q| tree.children("Weekly Reports").contains(q)));

    tree.add(&template(WEEKLY).render(thu.period(d("2026-01-01"))), Some(ROOT));
    let (_, plan) = tree.file(&archive, WEEKLY, &thu, "2026-01-01");
    let moved: Vec<&str> = plan.group_moves.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(moved, open.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(plan.group_moves.iter().all(|m| m.into == "주간보고 | 2025"));
    let mut quarters = open.clone();
    quarters.push("주간보고 | 2025 4분기".to_owned());
    assert_eq!(tree.children("주간보고 | 2025"), quarters);
    assert_eq!(tree.children("Weekly Reports"), ["20260101_MY팀 주간 보고", "주간보고 | 2025"]);
    assert_eq!(tree.children("주간보고 | 2025 4분기"), titles(WEEKLY, &thu, "2025-10-01", "2025-12-31"));
}

#[test]
fn a_group_title_held_elsewhere_is_foreign_and_the_others_are_still_filed() {
    let thu = schedule("weekly:thu");
    let archive = archive(KOREAN);
    let mut tree = Tree::flat(WEEKLY, &thu, "2024-10-03", "2025-06-05");
    let other = tree.add("Elsewhere in the space", None);
    let year = tree.add("주간보고 | 2024", Some(&other));
    let q1 = tree.add("주간보고 | 2025 1분기", Some(&other));

    let (_, plan) = tree.file(&archive, WEEKLY, &thu, "2025-06-05");
    let foreign: Vec<(&str, &str)> = plan.foreign.iter().map(|f| (f.title.as_str(), f.page.id.as_str())).collect();
    assert_eq!(foreign, [("주간보고 | 2024", year.as_str()), ("주간보고 | 2025 1분기", q1.as_str())]);
    // 2024's quarter page is made at the root instead of under the foreign year page.
    assert_eq!(plan.creates, [Create { title: "주간보고 | 2024 4분기".to_owned(), parent: Parent::Root }]);
    assert!(plan.period_moves.iter().all(|m| m.into == "주간보고 | 2024 4분기"));
    assert_eq!(tree.children("주간보고 | 2024 4분기"), titles(WEEKLY, &thu, "2024-10-01", "2024-12-31"));
    assert!(tree.children("주간보고 | 2024").is_empty() && tree.children("주간보고 | 2025 1분기").is_empty());
    let root = tree.children("Weekly Reports");
    assert!(titles(WEEKLY, &thu, "2025-01-01", "2025-06-05").iter().all(|t| root.contains(t)), "Q1 2025 stays");
}

#[test]
fn a_month_archive_files_past_months_and_touches_nothing_else() {
    let thu = schedule("weekly:thu");
    let title = "{date} Weekly Report";
    let archive = archive("\n{date:%Y-%m}\n\n");
    let mut tree = Tree::flat(title, &thu, "2025-04-03", "2025-06-12");
    for other in ["Team notes", "2025-06-19 Weekly Report", "2013-06-06 Weekly Report", "2025-06"] {
        tree.add(other, Some(ROOT));
    }
    let (_, plan) = tree.file(&archive, title, &thu, "2025-06-12");
    assert_eq!(
        plan.creates,
        ["2025-04", "2025-05"].map(|t| Create { title: t.to_owned(), parent: Parent::Root }),
        "the current month's page is not touched"
    );
    assert_eq!(tree.children("2025-04"), titles(title, &thu, "2025-04-01", "2025-04-30"));
    assert_eq!(tree.children("2025-05"), titles(title, &thu, "2025-05-01", "2025-05-31"));
    assert_eq!(
        tree.children("Weekly Reports"),
        [
            "2013-06-06 Weekly Report",
            "2025-04",
            "2025-05",
            "2025-06",
            "2025-06-05 Weekly Report",
            "2025-06-12 Weekly Report",
            "2025-06-19 Weekly Report",
            "Team notes"
        ]
    );
}

#[test]
fn this_runs_page_and_the_open_group_stay_even_ahead_of_time() {
    // Made three days ahead: Monday 2025-07-07's page is this run's; the quarter it opens
    // closes Q2, whose weeks (the real current one included) are filed.
    let mon = schedule("weekly:mon");
    let archive = archive(KOREAN);
    let mut tree = Tree::flat(WEEKLY, &mon, "2025-06-23", "2025-07-07");
    let (_, plan) = tree.file(&archive, WEEKLY, &mon, "2025-07-07");
    assert_eq!(plan.period_moves.len(), 2);
    assert_eq!(tree.children("Weekly Reports"), ["20250707_MY팀 주간 보고", "주간보고 | 2025 2분기"]);
}

#[test]
fn lines_are_parsed_blank_lines_ignored_and_every_bad_line_named() {
    assert_eq!(Groups::parse(""), Ok(None));
    assert_eq!(Groups::parse(" \n\r\n\t"), Ok(None));
    assert_eq!(archive("  {date:%Y}  \r\n").len(), 1);
    let errors = Groups::parse("주간보고\n\n{date:%Y\n{date:%Y}").unwrap_err();
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("line 1 `주간보고`: ") && lines[0].contains("{date}"), "{}", lines[0]);
    assert!(lines[1].starts_with("line 2 `{date:%Y`: unclosed"), "{}", lines[1]);
}

fn check(lines: &str, title: &str, sched: &str) -> Vec<String> {
    match archive(lines).check(&template(title), &schedule(sched)) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn sensible_archives_pass_for_every_kind_of_schedule() {
    for sched in ["weekly:thu", "weekly:sun", "biweekly:thu@2025-01-02", "monthly:last-fri", "daily", "weekdays"] {
        assert_eq!(check(KOREAN, WEEKLY, sched), Vec::<String>::new(), "{sched}");
        if !sched.starts_with("monthly") {
            assert_eq!(check("{date:%Y-%m}\n{date:%Y}", WEEKLY, sched), Vec::<String>::new(), "{sched}");
        }
    }
    assert_eq!(check("{date:%G-W%V}\n{date:%G}", "{date}", "daily"), Vec::<String>::new());
}

#[test]
fn a_group_per_period_is_refused() {
    let errors = check("{date:%Y-%m-%d}", WEEKLY, "weekly:thu");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("line 1 `{date:%Y-%m-%d}` gives every period page a group of its own"));
    assert_eq!(check("{date:%Y-%m}\n{date:%Y}", WEEKLY, "monthly:last").len(), 1);
    assert_eq!(check("{date:%Y-%m-%d}\n{date:%Y}", WEEKLY, "daily").len(), 1);
}

#[test]
fn groups_must_nest_in_the_next_line() {
    let errors = check("주간보고 | {date:%Y}\n주간보고 | {date:%Y} {date:%q}분기", WEEKLY, "weekly:thu");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("line 1 `주간보고 | {date:%Y}` is not inside line 2"), "{}", errors[0]);
    // The ISO year of Monday 2001-12-31 is 2002, but its quarter is 2001's fourth.
    let errors = check("{date:%Y} Q{date:%q}\n{date:%G}", WEEKLY, "weekly:mon");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains(
            "group \"2001 Q4\" holds the periods of 2001-10-01 (in \"2001\") and of 2001-12-31 (in \"2002\")"
        ),
        "{}",
        errors[0]
    );
}

#[test]
fn group_titles_must_differ_from_period_titles_and_each_other() {
    let errors = check("{date:%Y}\n{date:%Y}", WEEKLY, "weekly:thu");
    assert!(errors.iter().any(|e| e.starts_with("line 2 `{date:%Y}` renders") && e.contains("line 1")), "{errors:?}");
    let errors = check("{date:%Y-%m}-05", "{date}", "weekly:thu");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("the title of a period page"), "{}", errors[0]);
}

/// Monday to Friday titles of `weekly:fri` weeks.
const SPAN: &str = "{start:%Y.%m.%d} ~ {start+4:%Y.%m.%d}";

#[test]
fn start_and_end_titles_are_recognised_and_filed_by_their_period() {
    let fri = schedule("weekly:fri");
    let archive = archive("{date:%Y-%m}\n{date:%Y}");
    assert_eq!(archive.check(&template(SPAN), &fri), Ok(()));
    let mut tree = Tree::flat(SPAN, &fri, "2025-11-01", "2026-02-20");
    assert!(tree.children("Weekly Reports").contains(&"2025.12.29 ~ 2026.01.02".to_owned()));
    let (_, plan) = tree.file(&archive, SPAN, &fri, "2026-02-20");
    assert_eq!(plan.period_moves.len(), 13, "{plan:?}");
    assert_eq!(tree.children("2025"), ["2025-11", "2025-12"]);
    // The week of Friday 2026-01-02 is January's, though it starts in December.
    assert_eq!(
        tree.children("2025-12"),
        ["2025.12.01 ~ 2025.12.05", "2025.12.08 ~ 2025.12.12", "2025.12.15 ~ 2025.12.19", "2025.12.22 ~ 2025.12.26"]
    );
    assert_eq!(tree.children("2026-01")[0], "2025.12.29 ~ 2026.01.02");
    assert_eq!(tree.children("2026-01"), titles(SPAN, &fri, "2026-01-01", "2026-01-31"));
    let mut root = titles(SPAN, &fri, "2026-02-01", "2026-02-20");
    root.extend(["2025".to_owned(), "2026-01".to_owned()]);
    assert_eq!(tree.children("Weekly Reports"), sorted(root));
    // Tidy now.
    let (lookups, plan) = tree.file(&archive, SPAN, &fri, "2026-02-20");
    assert!(lookups.is_empty() && plan.is_empty(), "{lookups:?} {plan:?}");
}

#[test]
fn group_lines_render_the_periods_days_too() {
    // Weeks grouped by the month of their Monday: the week of Monday 2025-12-29 is December's.
    let fri = schedule("weekly:fri");
    let mut tree = Tree::flat(SPAN, &fri, "2025-12-01", "2026-01-16");
    tree.file(&archive("{start:%Y-%m}"), SPAN, &fri, "2026-01-16");
    assert_eq!(tree.children("2025-12"), titles(SPAN, &fri, "2025-12-01", "2026-01-02"));
    assert_eq!(check("{start:%Y-%m}\n{start:%Y}", SPAN, "weekly:fri"), Vec::<String>::new());
    assert_eq!(check("{end:%G-W%V}", SPAN, "weekly:fri").len(), 1, "a group per week");
    // `{date-3}` of a Thursday week is its Monday: the period's own title.
    let errors = check("{date-3:%Y.%m.%d} ~ {date+1:%Y.%m.%d}", SPAN, "weekly:thu");
    assert!(errors.iter().any(|e| e.contains("the title of a period page")), "{errors:?}");
}
