//! Tasks: reopen and drop-done, nested lists, code blocks.

use super::*;

fn outside_cdata(src: &str, f: impl Fn(&str) -> String) -> String {
    let cdata = between(src, "<![CDATA[", "]]>");
    let at = src.find(cdata).unwrap();
    format!("{}{cdata}{}", f(&src[..at]), f(&src[at + cdata.len()..]))
}

#[test]
fn reopen_opens_every_completed_task_but_not_in_code() {
    let out = prepare("", "", TaskMode::Reopen, CODE_AND_TASKS);
    let expected = outside_cdata(CODE_AND_TASKS, |s| {
        s.replace("<ac:task-status>complete</ac:task-status>", "<ac:task-status>incomplete</ac:task-status>")
    });
    assert_eq!(out.body, expected);
    assert!(out.body.contains("<ac:task><ac:task-status>complete</ac:task-status></ac:task>]]>"));
    assert_eq!(out.tasks.reopened, 3);
}

#[test]
fn drop_done_removes_completed_tasks_with_their_nested_tasks_and_lists_left_empty() {
    let out = prepare("", "", TaskMode::DropDone, CODE_AND_TASKS);
    let task1 = between(CODE_AND_TASKS, "\n<ac:task>\n<ac:task-id>1<", "</ac:task-list></ac:task-body>\n</ac:task>");
    let task4_list = between(CODE_AND_TASKS, "\n<ac:task-list>\n<ac:task>\n<ac:task-id>4<", "</ac:task-list>");
    let done_list = between(CODE_AND_TASKS, "\n<ac:task-list>\n<ac:task>\n<ac:task-id>5<", "</ac:task-list>");
    let expected = swapped(CODE_AND_TASKS, &[(task1, ""), (task4_list, ""), (done_list, "")]);
    assert_eq!(out.body, expected);
    assert!(out.body.contains(
        "<ac:task-list ac:task-list-id=\"a1\">\n<ac:task>\n<ac:task-id>3</ac:task-id>\n\
         <ac:task-status>incomplete</ac:task-status>\n<ac:task-body>Send the agenda to \
         <ac:link><ri:user ri:userkey=\"8a7f808a8b2c4e01018b2c5f3e2a0002\" /></ac:link></ac:task-body>\n</ac:task>\n</ac:task-list>\n\
         <h2>Done last week</h2>\n<h2>Notes</h2>"
    ));
    assert!(!out.body.contains("Open sub-task"), "an open task inside a done one goes with it");
    assert!(out.body.contains("<![CDATA["), "code is kept");
    assert_eq!((out.tasks.removed, out.tasks.lists_removed), (3, 2));
}

#[test]
fn tasks_run_after_the_rules() {
    // Clearing the section first leaves no completed task to count in it.
    let out = prepare("", "Done last week", TaskMode::DropDone, CODE_AND_TASKS);
    assert_eq!((out.tasks.removed, out.tasks.lists_removed), (2, 1));
    assert!(out.body.contains("<h2>Done last week</h2>\n<p />\n<h2>Notes</h2>"));
}

#[test]
fn cloud_task_lists_with_local_ids_drop_the_same_way() {
    let body = "<ac:task-list ac:task-list-id=\"f1\" local-id=\"9c1\"><ac:task><ac:task-id>7</ac:task-id>\
                <ac:task-uuid>a-b-c</ac:task-uuid><ac:task-status>complete</ac:task-status><ac:task-body>\
                <span class=\"placeholder-inline-tasks\">done</span></ac:task-body></ac:task><ac:task><ac:task-id>8</ac:task-id>\
                <ac:task-status>incomplete</ac:task-status><ac:task-body>open</ac:task-body></ac:task></ac:task-list>";
    let out = prepare("", "", TaskMode::DropDone, body);
    assert_eq!(
        out.body,
        "<ac:task-list ac:task-list-id=\"f1\" local-id=\"9c1\"><ac:task><ac:task-id>8</ac:task-id>\
         <ac:task-status>incomplete</ac:task-status><ac:task-body>open</ac:task-body></ac:task></ac:task-list>"
    );
}
