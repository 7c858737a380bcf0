//! The new page arrives ready to fill: carry and clear rules, task modes and moved dates on
//! realistic storage-format bodies, on both flavours, with every byte outside the changed cells
//! and sections kept, and no request added.

use crate::common::storage::*;
use crate::common::*;

both_flavors!(
    the_korean_team_table_gets_last_week_s_plan_as_this_week_s_progress,
    per_person_sections_carry_person_by_person,
    drop_done_keeps_only_open_tasks,
    a_bad_rule_is_exit_2_without_a_request,
    an_unreadable_body_with_a_rule_fails_before_any_write,
    a_rule_that_matches_nothing_warns_and_the_page_is_made,
    period_moves_every_day_of_last_week,
);

const CARRY: &str = "차주 예정 내역 -> 금주 진행 내역";

/// What the Korean team's table becomes with `CARRY` and `CONFLUENCE_CLEAR=비고`: each member's
/// plan is this week's progress, plan and notes cells hold an empty paragraph.
fn korean_team_ready() -> String {
    let alice_done = "<td><ul><li><p>API 설계 리뷰 완료</p></li><li><p>로그인 오류 수정 (<a href=\"https://jira.example.com/browse/MY-101\">MY-101</a>)</p></li></ul></td>";
    let alice_plan = "<td><ul><li><p>배포 자동화 &ndash; 1단계</p></li><li><p>마감 <time datetime=\"2025-06-12\" /></p></li></ul></td>";
    let bob_done = "<td><p>로그 수집기 &lsquo;v2&rsquo; 전환</p></td>";
    let bob_plan = between(KOREAN_TEAM, "<td><p><ac:structured-macro ac:name=\"status\"", "</td>");
    let bob2_done = "<td><p>장애 대응 회고 &amp; 재발 방지</p></td>";
    let bob2_plan = "<td><p>회고 문서 공유</p></td>";
    let bob2_note = "<td><p>외부 교육 <time datetime=\"2025-06-10\" /></p></td>";
    let carol_plan = between(KOREAN_TEAM, "<td><ac:task-list>", "</ac:task-list></td>");
    swapped(
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
            ("<td />", carol_plan),
            (carol_plan, "<td><p /></td>"),
            ("<td><p>&nbsp;</p></td>", "<td><p /></td>"),
        ],
    )
}

/// How many requests a plain run (no rules) sends for the same site: the rules must add none.
async fn requests_without_rules(flavor: Flavor, source: &str) -> usize {
    let site = Site::start(flavor).await;
    site.add(PREVIOUS_TITLE, source);
    site.run(&site.env()).await.assert_code(0);
    site.fake.requests().len()
}

async fn the_korean_team_table_gets_last_week_s_plan_as_this_week_s_progress(flavor: Flavor) {
    let site = Site::start(flavor).await;
    site.add(PREVIOUS_TITLE, KOREAN_TEAM);
    let env = site.env().set("CONFLUENCE_CARRY", CARRY).set("CONFLUENCE_CLEAR", "비고");
    let run = site.run(&env).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    let expected = korean_team_ready();
    assert_ne!(expected, KOREAN_TEAM);
    let [page] = &site.titled(THIS_TITLE)[..] else { panic!("one page") };
    assert_eq!(page.body, expected, "every byte outside the changed cells is kept");
    assert!(
        run.stderr.contains("carry 차주 예정 내역 -> 금주 진행 내역: 1 table, 4 rows, 0 sections"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("changes nothing"), "{}", run.stderr);

    let requests = site.fake.requests();
    assert_eq!(requests.len(), requests_without_rules(flavor, KOREAN_TEAM).await, "the rules add no request");
    if flavor == Flavor::Cloud {
        let posts: Vec<_> = requests.iter().filter(|r| r.method == "POST").collect();
        let [copy] = &posts[..] else { panic!("one write, the copy: {posts:?}") };
        assert!(copy.path.ends_with("/copy"), "{}", copy.path);
        let body: serde_json::Value = serde_json::from_str(&copy.body).unwrap();
        assert!(holds_string(&body, &expected), "the copy request carries the prepared body: {}", copy.body);
    }
}

/// The second team's table: a member cell spans the Doing and ToDo rows; progress is reset and
/// the notifications column (its cells span both rows) cleared. Data Center only: the flavours
/// share the preparation, which the Korean table covers on both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_team_s_progress_is_reset_and_notifications_cleared() {
    let site = Site::start(Flavor::DataCenter).await;
    site.add(PREVIOUS_TITLE, SECOND_TEAM);
    site.run(&site.env().set("CONFLUENCE_CLEAR", "Progress\nNotifications")).await.assert_code(0);
    let progress = [
        between(SECOND_TEAM, "<td><p>Migrate", "</td>"),
        "<td><ul><li><p>Release notes</p></li></ul></td>",
        "<td><p>Flaky test hunt</p></td>",
        "<td><p>On-call handover</p></td>",
    ];
    let notes = [
        between(SECOND_TEAM, "<td rowspan=\"2\"><p>Out on Friday", "</td>"),
        "<td rowspan=\"2\"><p>Needs review of #42</p></td>",
    ];
    let mut swaps: Vec<(&str, &str)> = progress.iter().map(|cell| (*cell, "<td><p /></td>")).collect();
    swaps.extend(notes.iter().map(|cell| (*cell, "<td rowspan=\"2\"><p /></td>")));
    assert_eq!(site.titled(THIS_TITLE)[0].body, swapped(SECOND_TEAM, &swaps));
}

async fn per_person_sections_carry_person_by_person(flavor: Flavor) {
    let site = Site::start(flavor).await;
    site.add(PREVIOUS_TITLE, PER_PERSON);
    site.run(&site.env().set("CONFLUENCE_CARRY", "Next week -> This week")).await.assert_code(0);
    let alice_this = "<ul><li><p>Reviewed the <a href=\"https://example.com/rfc/7\">RFC</a></p></li></ul>";
    let alice_next = between(PER_PERSON, "<ul><li><p>Write the migration", "</ul>");
    let expected = swapped(
        PER_PERSON,
        &[
            (alice_this, alice_next),
            (alice_next, "<p />"),
            ("<p>Holiday</p>", "<p>Benchmark the &ldquo;copy&rdquo; endpoint</p>"),
            ("<p>Benchmark the &ldquo;copy&rdquo; endpoint</p>", "<p />"),
            ("<p>Onboarding</p>", "<p>First ticket: <time datetime=\"2025-06-11\" /></p>"),
            ("<p>First ticket: <time datetime=\"2025-06-11\" /></p>", "<p />"),
        ],
    );
    assert_eq!(site.titled(THIS_TITLE)[0].body, expected);
}

async fn drop_done_keeps_only_open_tasks(flavor: Flavor) {
    let site = Site::start(flavor).await;
    site.add(PREVIOUS_TITLE, CODE_AND_TASKS);
    let run = site.run(&site.env().set("CONFLUENCE_TASKS", "drop-done")).await;
    run.assert_code(0);
    let body = &site.titled(THIS_TITLE)[0].body;
    let task1 = between(CODE_AND_TASKS, "\n<ac:task>\n<ac:task-id>1<", "</ac:task-list></ac:task-body>\n</ac:task>");
    let task4_list = between(CODE_AND_TASKS, "\n<ac:task-list>\n<ac:task>\n<ac:task-id>4<", "</ac:task-list>");
    let done_list = between(CODE_AND_TASKS, "\n<ac:task-list>\n<ac:task>\n<ac:task-id>5<", "</ac:task-list>");
    assert_eq!(*body, swapped(CODE_AND_TASKS, &[(task1, ""), (task4_list, ""), (done_list, "")]));
    let outside_code = body.replace(between(body, "<![CDATA[", "]]>"), "");
    assert!(!outside_code.contains("<ac:task-status>complete</ac:task-status>"), "{body}");
    assert!(body.contains("<ac:task><ac:task-status>complete</ac:task-status></ac:task>]]>"), "code is kept");
    assert!(run.stderr.contains("drop 3 completed tasks and 2 task lists left empty"), "{}", run.stderr);
}

async fn a_bad_rule_is_exit_2_without_a_request(flavor: Flavor) {
    let site = Site::start(flavor).await;
    site.add(PREVIOUS_TITLE, KOREAN_TEAM);
    let run = site.run(&site.env().set("CONFLUENCE_CARRY", "Next week -> This week\nno arrow here")).await;
    run.assert_code(2);
    assert!(
        run.stderr.contains("CONFLUENCE_CARRY: line 2: carry rule `no arrow here` has no `->`; write `FROM -> TO`"),
        "{}",
        run.stderr
    );
    assert!(site.fake.requests().is_empty(), "{:?}", site.fake.requests());
    let run = site.run(&site.env().set("CONFLUENCE_RESET_TASKS", "true").set("CONFLUENCE_TASKS", "keep")).await;
    run.assert_code(2);
    assert!(run.stderr.contains("CONFLUENCE_RESET_TASKS"), "{}", run.stderr);
    assert!(site.fake.requests().is_empty());
}

async fn an_unreadable_body_with_a_rule_fails_before_any_write(flavor: Flavor) {
    let site = Site::start(flavor).await;
    site.add(
        PREVIOUS_TITLE,
        "<h2>Team</h2>\n<table><tbody><tr><th>비고</th></tr>\n<tr><td><p>x</td></tr></tbody></table>",
    );
    let run = site.run(&site.env().set("CONFLUENCE_CLEAR", "비고")).await;
    run.assert_code(1);
    assert_eq!(site.fake.writes(), 0);
    assert!(site.titled(THIS_TITLE).is_empty());
    assert!(
        run.stderr.contains(&format!("could not prepare \"{THIS_TITLE}\" from \"{PREVIOUS_TITLE}\"")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert!(run.stderr.contains("at line 3, column "), "names line and column: {}", run.stderr);
    // Without rules the same body is copied as it is, unread.
    site.run(&site.env()).await.assert_code(0);
}

async fn a_rule_that_matches_nothing_warns_and_the_page_is_made(flavor: Flavor) {
    let site = Site::start(flavor).await;
    site.add(PREVIOUS_TITLE, KOREAN_TEAM);
    let summary = site.dir.path().join("summary.md");
    let env = site
        .env()
        .set("CONFLUENCE_CLEAR", "비고\nRisks")
        .set("GITHUB_ACTIONS", "true")
        .set("GITHUB_STEP_SUMMARY", summary.to_str().unwrap());
    let run = site.run(&env).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    assert_eq!(site.titled(THIS_TITLE).len(), 1);
    let warning = "clear Risks: changes nothing (no table with its column, no section of its name)";
    assert!(run.stderr.lines().any(|l| l.contains("WARN") && l.contains(warning)), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("::warning::{warning}")), "{}", run.stderr);
    assert!(!run.stderr.contains("clear 비고: changes nothing"), "{}", run.stderr);
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(summary.contains(warning), "{summary}");
    assert!(!run.stdout.contains("changes nothing"), "stdout keeps its contract: {}", run.stdout);

    // A dry run lists what each rule would change, and writes nothing.
    let dry = site.dir.path().join("dry.md");
    let env = site
        .env()
        .set("CONFLUENCE_DATE", "2025-06-12")
        .set("CONFLUENCE_DRY_RUN", "true")
        .set("CONFLUENCE_CARRY", CARRY)
        .set("CONFLUENCE_CLEAR", "비고")
        .set("CONFLUENCE_TASKS", "reopen")
        .set("GITHUB_STEP_SUMMARY", dry.to_str().unwrap());
    let writes = site.fake.writes();
    let run = site.run(&env).await;
    run.assert_code(0);
    assert_eq!(site.fake.writes(), writes);
    let dry = std::fs::read_to_string(&dry).unwrap();
    for line in [
        "would carry 차주 예정 내역 -> 금주 진행 내역: 1 table, 4 rows, 0 sections",
        "would clear 비고: 1 table, 4 rows, 0 sections",
        "would reopen 0 completed tasks",
    ] {
        assert!(run.stderr.contains(line), "{line}: {}", run.stderr);
        assert!(dry.contains(line), "{line}: {dry}");
    }
}

async fn period_moves_every_day_of_last_week(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let days = ["2025-05-26", "2025-05-27", "2025-05-28", "2025-05-29", "2025-05-30", "2025-05-31", "2025-06-01"];
    let cells: String = days.iter().map(|d| format!("<td>{d}</td>")).collect();
    let body = format!(
        "<p>Week of 2025-05-26: meeting <time datetime=\"2025-05-28\" />, not 2025-05-25 or 2025-06-02</p><table><tbody><tr>{cells}</tr></tbody></table>"
    );
    site.add(PREVIOUS_TITLE, &body);
    site.run(&site.env().set("CONFLUENCE_REPLACE_DATES", "period")).await.assert_code(0);
    let moved = ["2025-06-02", "2025-06-03", "2025-06-04", "2025-06-05", "2025-06-06", "2025-06-07", "2025-06-08"];
    let cells: String = moved.iter().map(|d| format!("<td>{d}</td>")).collect();
    let expected = format!(
        "<p>Week of 2025-06-02: meeting <time datetime=\"2025-06-04\" />, not 2025-05-25 or 2025-06-02</p><table><tbody><tr>{cells}</tr></tbody></table>"
    );
    assert_eq!(site.titled(THIS_TITLE)[0].body, expected);
}
