//! The storage module's tests against realistic bodies (`../fixtures/*.xml`, shaped after
//! Atlassian's storage-format documentation and two teams' weekly-report tables), and a property
//! test over random bodies built from the same pieces.

mod errors;
mod props;
mod sections;
mod support;
mod tables;
mod tasks;

use super::{Prepare, Prepared, Rules, TaskMode};
pub(super) use support::{between, swapped};

pub(super) const KOREAN_TEAM: &str = include_str!("../fixtures/korean_team.xml");
pub(super) const SECOND_TEAM: &str = include_str!("../fixtures/second_team.xml");
pub(super) const PER_PERSON: &str = include_str!("../fixtures/per_person.xml");
pub(super) const CODE_AND_TASKS: &str = include_str!("../fixtures/code_and_tasks.xml");

/// Applies carry lines, clear lines and a task mode to `body`.
pub(super) fn prepare<'a>(carry: &str, clear: &str, tasks: TaskMode, body: &'a str) -> Prepared<'a> {
    let rules = Rules::parse(carry, clear).expect("rules parse");
    Prepare::new(rules, tasks).apply(body).expect("body reads")
}

#[test]
fn no_rule_and_keep_is_a_no_op_that_does_not_read_the_body() {
    let prepare = Prepare::default();
    assert!(prepare.is_noop());
    let unreadable = "<p>last week</td> &bogus; <![CDATA[";
    let out = prepare.apply(unreadable).expect("a no-op never reads");
    assert!(matches!(out.body, std::borrow::Cow::Borrowed(b) if std::ptr::eq(b, unreadable)));
    assert!(out.rules.is_empty());
    assert!(!Prepare::new(Rules::default(), TaskMode::Reopen).is_noop());
    assert!(!Prepare::new(Rules::parse("", "Notes").unwrap(), TaskMode::Keep).is_noop());
}

#[test]
fn every_fixture_is_kept_byte_for_byte_when_its_rules_match_nothing() {
    for body in [KOREAN_TEAM, SECOND_TEAM, PER_PERSON, CODE_AND_TASKS] {
        let out = prepare("Nothing here -> Nor here", "Absent", TaskMode::Keep, body);
        assert_eq!(out.body, body);
        assert!(out.rules.iter().all(|r| r.changed_nothing()), "{:?}", out.rules);
        assert_eq!(out.unmatched().count(), 2);
    }
}

#[test]
fn rules_apply_in_order_each_seeing_the_last_ones_result() {
    // Carry first, then clear the column just filled: the plan ends up nowhere.
    let body = "<table><tbody><tr><th>This week</th><th>Next week</th></tr>\
                <tr><td><p>done</p></td><td><p>plan</p></td></tr></tbody></table>";
    let out = prepare("Next week -> This week", "This week", TaskMode::Keep, body);
    assert_eq!(
        out.body,
        "<table><tbody><tr><th>This week</th><th>Next week</th></tr>\
         <tr><td><p /></td><td><p /></td></tr></tbody></table>"
    );
    let out = prepare("Next week -> This week\nThis week -> Notes", "", TaskMode::Keep, body);
    assert_eq!(
        out.rules[1].to_string(),
        "carry This week -> Notes: changes nothing (no table with its columns, no section of its name)"
    );
    assert!(out.body.contains("<td><p>plan</p></td><td><p /></td>"));
}
