//! Reminders (`CONFLUENCE_MODE=remind`) on both flavours: the team table after two of four members
//! wrote, edits made through the update API as a browser makes them, mention owners and
//! per-person sections, and what a reminder costs: no write, at most four round trips.

use std::time::Duration;

use crate::common::storage::*;
use crate::common::*;

both_flavors!(
    two_of_four_wrote_and_the_other_two_are_reminded,
    mention_owners_are_named_and_sections_are_per_person,
    no_page_is_exit_1_with_nothing_written,
);

/// The team table with four members, as the ensure run made it (this week's column filled from
/// last week's plan).
const TEAM: &str = "<h2>MY팀 주간 보고</h2>\n<table data-layout=\"default\" ac:local-id=\"t1\"><tbody>\
<tr><th><p><strong>담당자</strong></p></th><th><p><strong>금주 진행 내역</strong></p></th>\
<th><p><strong>차주 예정 내역</strong></p></th><th><p><strong>비고</strong></p></th></tr>\n\
<tr><td><p>김철수</p></td><td><p>배포 자동화 1단계</p></td><td><p /></td><td><p /></td></tr>\n\
<tr><td><p>이영희</p></td><td><p>대시보드 개선</p></td><td><p /></td><td><p /></td></tr>\n\
<tr><td><p>박민수</p></td><td><p /></td><td><p /></td><td><p /></td></tr>\n\
<tr><td><p>최지우</p></td><td><p>데이터 이관 검증</p></td><td><p /></td><td><p /></td></tr>\n\
</tbody></table>";

/// Saves `body` as the page's next version, as the editor does: DC `PUT /rest/api/content/{id}`,
/// Cloud `PUT /api/v2/pages/{id}`.
async fn edit(site: &Site, id: &str, title: &str, version: u64, body: &str) {
    let client = reqwest::Client::new();
    let base = site.fake.base_url();
    let request = match site.flavor {
        Flavor::DataCenter => {
            client.put(format!("{base}/rest/api/content/{id}")).bearer_auth(TOKEN).json(&serde_json::json!({
                "id": id, "type": "page", "title": title, "version": {"number": version},
                "ancestors": [{"id": site.root}],
                "body": {"storage": {"value": body, "representation": "storage"}},
            }))
        }
        Flavor::Cloud => {
            client.put(format!("{base}/api/v2/pages/{id}")).basic_auth(USER, Some(TOKEN)).json(&serde_json::json!({
                "id": id, "status": "current", "title": title, "version": {"number": version},
                "body": {"representation": "storage", "value": body},
            }))
        }
    };
    let status = request.send().await.unwrap().status();
    assert_eq!(status, 200, "the edit is saved");
}

fn remind_env(site: &Site, hook: &FakeWebhook) -> Env {
    site.env()
        .set("CONFLUENCE_MODE", "remind")
        .set("CONFLUENCE_REMIND", "금주  진행 내역")
        .set("CONFLUENCE_PEOPLE", "이영희 = <@U024BE7LH>")
        .set("WEBHOOK_URL", &hook.url())
        .set("WEBHOOK_FORMAT", "slack-workflow")
        .set("GITHUB_OUTPUT", site.dir.path().join("output").to_str().unwrap())
        .set("CONFLUENCE_DOTENV", site.dir.path().join("out.env").to_str().unwrap())
}

async fn two_of_four_wrote_and_the_other_two_are_reminded(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let id = site.add(THIS_TITLE, TEAM);
    // 김철수 and 박민수 write; 이영희 only adds white space (and, on Cloud, the editor stamps
    // local-ids); 최지우 does not touch the page.
    let mut body = TEAM
        .replace("배포 자동화 1단계", "배포 자동화 1단계 완료")
        .replace("<td><p>박민수</p></td><td><p /></td>", "<td><p>박민수</p></td><td><p>장애 회고</p></td>");
    body = body.replace("<td><p>대시보드 개선</p></td>", "<td><p>  대시보드&nbsp;\n 개선 </p></td>");
    if flavor == Flavor::Cloud {
        body = body.replace("<p>  대시보드", "<p local-id=\"a1b2\" data-renderer-start-pos=\"3\">  대시보드");
    }
    edit(&site, &id, THIS_TITLE, 2, &body).await;
    let writes = site.fake.writes();
    let hook = FakeWebhook::start().await;
    let env = remind_env(&site, &hook);

    site.fake.set_latency(Duration::from_millis(40));
    reset_stats(&site).await;
    let run = site.run(&env).await;
    run.assert_code(0);
    let out = run.json();
    assert_eq!(out["pending"], serde_json::json!(["이영희", "최지우"]), "page order: {}", run.stderr);
    assert_eq!(out["entries"], 4);
    assert_eq!(out["created"], false);
    assert!(stats(&site).await.round_trips <= 3, "at most three to Confluence, the webhook the fourth");

    let outputs = parse_github_output(&std::fs::read_to_string(site.dir.path().join("output")).unwrap());
    assert_eq!(outputs["pending"], "이영희,최지우");
    assert_eq!(outputs["pending_count"], "2");
    let dotenv = std::fs::read_to_string(site.dir.path().join("out.env")).unwrap();
    assert!(dotenv.contains("CONFLUENCE_PENDING=이영희,최지우\n"), "{dotenv}");
    let [message] = &hook.received()[..] else { panic!("one chat message: {:?}", hook.received()) };
    assert_eq!(message["pending"], "<@U024BE7LH>, 최지우");
    assert_eq!(message["pending_count"], "2");
    assert_eq!(message["page_title"], THIS_TITLE);

    // A second reminder says the same and writes nothing either.
    let again = site.run(&env).await;
    again.assert_code(0);
    assert_eq!(again.json()["pending"], out["pending"]);
    assert_eq!(site.fake.writes(), writes, "reminders write nothing");
    assert_eq!(site.titled(THIS_TITLE).len(), 1);
}

async fn mention_owners_are_named_and_sections_are_per_person(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let (alice, bob) =
        (site.fake.add_person(&user(flavor, "kim"), "김철수"), site.fake.add_person(&user(flavor, "lee"), "이영희"));
    let mention = |id: &str| match flavor {
        Flavor::DataCenter => format!("<ac:link><ri:user ri:userkey=\"{id}\" /></ac:link>"),
        Flavor::Cloud => format!("<ac:link><ri:user ri:account-id=\"{id}\" /></ac:link>"),
    };
    let table = TEAM
        .replace("<p>김철수</p>", &format!("<p>{}</p>", mention(&alice)))
        .replace("<p>이영희</p>", &format!("<p>{}</p>", mention(&bob)));
    let body = format!("{table}\n{PER_PERSON}");
    let id = site.add(THIS_TITLE, &body);
    let written = body.replace("배포 자동화 1단계", "배포 완료").replace("<p>Onboarding</p>", "<p>Onboarded</p>");
    edit(&site, &id, THIS_TITLE, 2, &written).await;
    let hook = FakeWebhook::start().await;
    let env =
        remind_env(&site, &hook).set("CONFLUENCE_REMIND", "금주 진행 내역\nThis week").set("WEBHOOK_FORMAT", "json");
    let run = site.run(&env).await;
    run.assert_code(0);
    assert_eq!(
        run.json()["pending"],
        serde_json::json!(["이영희", "박민수", "최지우", "Alice", "Bob"]),
        "mentions by their names, an empty cell, sections by their person: {}",
        run.stderr
    );
    assert_eq!(hook.received().len(), 1);
}

async fn no_page_is_exit_1_with_nothing_written(flavor: Flavor) {
    let site = Site::start(flavor).await;
    site.add(PREVIOUS_TITLE, TEAM);
    let hook = FakeWebhook::start().await;
    let run = site.run(&remind_env(&site, &hook)).await;
    run.assert_code(1);
    assert!(run.stderr.contains("no page for this period yet"), "{}", run.stderr);
    assert_eq!(site.fake.writes(), 0);
    assert!(site.titled(THIS_TITLE).is_empty());
    assert!(hook.received().is_empty());
}
