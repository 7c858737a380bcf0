//! Unreadable bodies and rules that do not parse.

use super::*;
use crate::storage::{CarryRule, ClearRule, ReadError, RuleError};

fn read_error(body: &str) -> ReadError {
    let prepare = Prepare::new(Rules::parse("", "Notes").unwrap(), TaskMode::Keep);
    prepare.apply(body).expect_err("unreadable")
}

#[test]
fn a_mismatched_end_tag_names_line_and_column() {
    let err = read_error("<p>안녕하세요</p>\n<table><tr><td><p>값</td></tr></table>");
    assert_eq!((err.line, err.column), (2, 20));
    assert_eq!(err.problem, "end tag </td> where </p> was expected (opened at line 2, column 16)");
    assert!(err.to_string().starts_with("the page body is not readable as storage format at line 2, column 20: "));
}

#[test]
fn other_unreadable_bodies_say_what_was_wrong() {
    let err = read_error("<h2>Notes</h2>\n<ac:structured-macro ac:name=\"info\"><ac:rich-text-body><p>x</p>");
    assert_eq!((err.line, err.column), (2, 37));
    assert_eq!(err.problem, "<ac:rich-text-body> is never closed");
    let err = read_error("<p>a</p></p>");
    assert_eq!((err.line, err.column, err.problem.as_str()), (1, 9, "end tag </p> closes no open element"));
    let err = read_error("<p>a</p>\n\n  <p class=\"x>b</p>");
    assert_eq!(err.line, 3);
    assert!(err.problem.contains("syntax error"), "{}", err.problem);
    let err = Prepare::new(Rules::default(), TaskMode::Reopen).apply("<p>").unwrap_err();
    assert_eq!(err.problem, "<p> is never closed", "a task change reads the body too");
}

#[test]
fn undeclared_entities_and_prefixes_read_fine() {
    let body = "<p>&nbsp;&rsquo;&hellip;&unknownentity;&#x1F600; R&amp;D & co</p><ri:page ri:content-title=\"A\" />";
    let out = prepare("", "Notes", TaskMode::Keep, body);
    assert_eq!(out.body, body);
}

#[test]
fn carry_lines_that_do_not_parse_say_what_to_write() {
    let err = CarryRule::parse("Next week").unwrap_err();
    assert_eq!(err, RuleError::NoArrow { line: "Next week".into() });
    assert_eq!(
        err.to_string(),
        "carry rule `Next week` has no `->`; write `FROM -> TO`, e.g. `Next week -> This week`"
    );
    assert!(matches!(CarryRule::parse("Next  WEEK -> next\u{a0}week"), Err(RuleError::SameNames { .. })));
    assert!(matches!(CarryRule::parse(" -> This week"), Err(RuleError::EmptyName { kind: "carry", .. })));
    assert!(matches!(CarryRule::parse("a -> b -> c"), Err(RuleError::ManyArrows { .. })));
    assert!(matches!(ClearRule::parse(" \t "), Err(RuleError::EmptyName { kind: "clear", .. })));
    let rule: CarryRule = "  차주 예정 내역->금주 진행 내역 ".parse().unwrap();
    assert_eq!(
        (rule.from(), rule.to(), rule.to_string().as_str()),
        ("차주 예정 내역", "금주 진행 내역", "차주 예정 내역 -> 금주 진행 내역")
    );
}

#[test]
fn rules_parse_one_a_line_and_report_every_problem() {
    let rules = Rules::parse("Next week -> This week\n\n  \r\nB -> C\r\n", "비고\nNotes").unwrap();
    assert_eq!(rules.carry.len(), 2);
    assert_eq!(rules.clear.iter().map(ClearRule::name).collect::<Vec<_>>(), ["비고", "Notes"]);
    let errors = Rules::parse("A\nA -> a\nB -> C", "").unwrap_err();
    assert_eq!(errors.len(), 2);
    assert!(errors.iter().all(|e| e.to_string().contains("write")));
}

#[test]
fn task_modes_parse() {
    assert_eq!("drop-done".parse::<TaskMode>(), Ok(TaskMode::DropDone));
    assert_eq!(" Reopen".parse::<TaskMode>(), Ok(TaskMode::Reopen));
    assert_eq!("keep".parse::<TaskMode>().map(|m| m.to_string()), Ok("keep".to_owned()));
    let err = "drop".parse::<TaskMode>().unwrap_err();
    assert_eq!(err.to_string(), "unknown task mode `drop`; use keep, reopen or drop-done");
}
