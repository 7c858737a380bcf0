//! Columns: the two teams' tables, spans, nested tables.

use super::*;

#[test]
fn korean_team_table_carries_the_plan_into_progress_and_clears_notes() {
    let out = prepare("차주 예정 내역 -> 금주 진행 내역", "비고", TaskMode::Keep, KOREAN_TEAM);
    let alice_done = "<td><ul><li><p>API 설계 리뷰 완료</p></li><li><p>로그인 오류 수정 (<a href=\"https://jira.example.com/browse/MY-101\">MY-101</a>)</p></li></ul></td>";
    let alice_plan = "<td><ul><li><p>배포 자동화 &ndash; 1단계</p></li><li><p>마감 <time datetime=\"2025-06-12\" /></p></li></ul></td>";
    let bob_done = "<td><p>로그 수집기 &lsquo;v2&rsquo; 전환</p></td>";
    let bob_plan = "<td><p><ac:structured-macro ac:name=\"status\" ac:schema-version=\"1\" ac:macro-id=\"0c9e2f1a-77aa-4f0e-8d3b-1a2b3c4d5e6f\"><ac:parameter ac:name=\"colour\">Blue</ac:parameter><ac:parameter ac:name=\"title\">진행 중</ac:parameter></ac:structured-macro> 대시보드 개선</p></td>";
    let bob2_done = "<td><p>장애 대응 회고 &amp; 재발 방지</p></td>";
    let bob2_plan = "<td><p>회고 문서 공유</p></td>";
    let bob2_note = "<td><p>외부 교육 <time datetime=\"2025-06-10\" /></p></td>";
    let carol_done = "<td />";
    let carol_plan = between(KOREAN_TEAM, "<td><ac:task-list>", "</ac:task-list></td>");
    let carol_tasks = &carol_plan["<td>".len()..carol_plan.len() - "</td>".len()];
    let carol_done_now = format!("<td>{carol_tasks}</td>");
    let expected = swapped(
        KOREAN_TEAM,
        &[
            (alice_done, alice_plan),
            (alice_plan, "<td><p /></td>"),
            ("<td><p>6/13 휴가</p></td>", "<td><p /></td>"),
            (bob_done, bob_plan),
            (bob_plan, "<td><p /></td>"),
            (bob2_done, bob2_plan),
            (bob2_plan, "<td><p /></td>"),
            (bob2_note, "<td><p /></td>"),
            (carol_done, &carol_done_now),
            (carol_plan, "<td><p /></td>"),
            ("<td><p>&nbsp;</p></td>", "<td><p /></td>"),
        ],
    );
    assert_eq!(out.body, expected);
    // Outside the table, nothing moved at all.
    let table_start = KOREAN_TEAM.find("<table").unwrap();
    let tail = &KOREAN_TEAM[KOREAN_TEAM.find("</table>").unwrap()..];
    assert!(out.body.starts_with(&KOREAN_TEAM[..table_start]) && out.body.ends_with(tail));
    assert_eq!(out.rules[0].to_string(), "carry 차주 예정 내역 -> 금주 진행 내역: 1 table, 4 rows, 0 sections");
    assert_eq!(out.rules[1].to_string(), "clear 비고: 1 table, 4 rows, 0 sections");
    assert_eq!(out.unmatched().count(), 0);
}

#[test]
fn second_team_notifications_spanning_two_rows_are_cleared_once() {
    let out = prepare("ToDo -> Doing", "notifications", TaskMode::Keep, SECOND_TEAM);
    let alice_note = "<td rowspan=\"2\"><p>Out on Friday&nbsp;&mdash; ping <ac:link><ri:user ri:account-id=\"557058:aa11bb22-cc33-dd44-ee55-ff6677889900\" /></ac:link></p></td>";
    let bob_note = "<td rowspan=\"2\"><p>Needs review of #42</p></td>";
    let expected = swapped(
        SECOND_TEAM,
        &[(alice_note, "<td rowspan=\"2\"><p /></td>"), (bob_note, "<td rowspan=\"2\"><p /></td>")],
    );
    assert_eq!(out.body, expected);
    assert!(out.rules[0].changed_nothing(), "Doing and ToDo are row labels, not columns");
    assert_eq!((out.rules[1].tables, out.rules[1].rows), (1, 2));
}

#[test]
fn a_cell_spanning_rows_is_carried_once_and_nothing_is_lost() {
    let out = prepare("Notifications -> Progress", "", TaskMode::Keep, SECOND_TEAM);
    // Each member's notification lands in their Doing row's progress; the ToDo progress stays.
    assert!(out.body.contains("<td><p>Doing</p></td><td><p>Out on Friday&nbsp;&mdash; ping "));
    assert!(out.body.contains("<td><p>ToDo</p></td><td><ul><li><p>Release notes</p></li></ul></td>"));
    assert!(out.body.contains("<td><p>Doing</p></td><td><p>Needs review of #42</p></td><td rowspan=\"2\"><p /></td>"));
    assert!(out.body.contains("<td><p>ToDo</p></td><td><p>On-call handover</p></td>"));
    assert!(!out.body.contains("cargo-dist"), "carried over means replaced");
    assert_eq!((out.rules[0].tables, out.rules[0].rows), (1, 2));
}

#[test]
fn a_header_spanning_two_columns_names_both() {
    let body = "<table data-layout=\"default\"><colgroup><col /><col /><col /><col /><col /></colgroup><tbody>\
                <tr><th>Who</th><th colspan=\"2\"><p>Next&nbsp;week</p></th><th colspan=\"2\"><p>This week</p></th></tr>\
                <tr><th>Ann</th><td><p>n1</p></td><td><p>n2</p></td><td><p>t1</p></td><td><p>t2</p></td></tr>\
                <tr><th>Ben</th><td colspan=\"2\"><p>both</p></td><td><p>t3</p></td><td><p>t4</p></td></tr>\
                </tbody></table>";
    let out = prepare("Next week -> This week", "", TaskMode::Keep, body);
    assert_eq!(
        out.body,
        "<table data-layout=\"default\"><colgroup><col /><col /><col /><col /><col /></colgroup><tbody>\
         <tr><th>Who</th><th colspan=\"2\"><p>Next&nbsp;week</p></th><th colspan=\"2\"><p>This week</p></th></tr>\
         <tr><th>Ann</th><td><p /></td><td><p /></td><td><p>n1</p></td><td><p>n2</p></td></tr>\
         <tr><th>Ben</th><td colspan=\"2\"><p /></td><td><p>both</p></td><td><p>t4</p></td></tr>\
         </tbody></table>",
        "a FROM cell spanning both columns moves once, to the first"
    );
    assert_eq!((out.rules[0].tables, out.rules[0].rows), (1, 2));
}

const NESTED: &str = "<table><tbody><tr><th>Name</th><th>Details</th><th>Notes</th></tr>\n\
<tr><td>Ann</td><td><p>Plan:</p><table><tbody><tr><th>Notes</th><th>Due</th></tr><tr><td><p>inner note</p></td><td><time datetime=\"2025-06-12\" /></td></tr></tbody></table></td><td><p>outer note</p></td></tr>\n\
<tr><td>Ben</td><td><p>x</p></td><td><table><tbody><tr><th>Notes</th></tr><tr><td>deep</td></tr></tbody></table></td></tr>\n\
</tbody></table>";

#[test]
fn nested_tables_are_content_of_their_cell() {
    let out = prepare("", "Notes", TaskMode::Keep, NESTED);
    let expected = swapped(
        NESTED,
        &[
            ("<td><p>inner note</p></td>", "<td><p /></td>"),
            ("<td><p>outer note</p></td>", "<td><p /></td>"),
            ("<td><table><tbody><tr><th>Notes</th></tr><tr><td>deep</td></tr></tbody></table></td>", "<td><p /></td>"),
        ],
    );
    assert_eq!(out.body, expected);
    // The outer table and Ann's inner one; Ben's went with the cell holding it.
    assert_eq!((out.rules[0].tables, out.rules[0].rows), (2, 3));
}

#[test]
fn a_column_only_a_nested_table_has_is_not_the_outer_tables() {
    let body = "<table><tr><th>Name</th><th>Details</th></tr><tr><td>Ann</td><td>\
                <table><tr><th>Next week</th><th>This week</th></tr><tr><td>n</td><td>t</td></tr></table></td></tr></table>";
    let out = prepare("Next week -> This week", "Details", TaskMode::Keep, body);
    // Carry happens in the inner table, then clearing Details empties the cell holding it.
    assert_eq!(out.rules[0].to_string(), "carry Next week -> This week: 1 table, 1 row, 0 sections");
    assert_eq!(out.body, "<table><tr><th>Name</th><th>Details</th></tr><tr><td>Ann</td><td><p /></td></tr></table>");
}

#[test]
fn a_table_with_only_a_header_row_matches_but_changes_no_row() {
    let out = prepare("", "Notes", TaskMode::Keep, "<table><tr><th>Notes</th></tr></table>");
    assert_eq!((out.rules[0].tables, out.rules[0].rows, out.rules[0].changed_nothing()), (1, 0, false));
}
