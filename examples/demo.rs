//! `cargo run --example demo [-- --cloud]`: a fake Confluence on 127.0.0.1 seeded with two weekly
//! pages, then the real run twice: the first creates this week's page, the second finds it.

use std::collections::BTreeMap;

use confluence_weekly::LogFormat;
use confluence_weekly::config::{Config, map_lookup};
use fake_confluence::FakeConfluence;

#[tokio::main]
async fn main() {
    let cloud = std::env::args().any(|a| a == "--cloud");
    let (fake, flavor) = if cloud {
        (FakeConfluence::start_cloud("demo@example.com", "demo-token").await, "Cloud")
    } else {
        (FakeConfluence::start_datacenter("demo-token", "/confluence").await, "Data Center")
    };
    let seed = fake.seed_demo();
    println!(
        "Fake Confluence {flavor} at {} (space {}, root page {})",
        fake.base_url(),
        seed.space_key,
        seed.root_page_id
    );
    for page in fake.pages() {
        println!("  existing page: {}", page.title);
    }

    let mut vars = BTreeMap::from([
        ("CONFLUENCE_BASE_URL".to_owned(), fake.base_url()),
        ("CONFLUENCE_TOKEN".to_owned(), "demo-token".to_owned()),
        ("CONFLUENCE_ROOT_PAGE_ID".to_owned(), seed.root_page_id.clone()),
        // A Thursday, so the run is the same whatever today is.
        ("CONFLUENCE_DATE".to_owned(), "2025-06-05".to_owned()),
        ("CONFLUENCE_TASKS".to_owned(), "reopen".to_owned()),
        ("CONFLUENCE_REPLACE_DATES".to_owned(), "true".to_owned()),
    ]);
    if cloud {
        vars.insert("CONFLUENCE_USER".to_owned(), "demo@example.com".to_owned());
    }
    let config = Config::from_lookup(map_lookup(vars)).expect("the demo configuration is valid");
    confluence_weekly::init_logging(LogFormat::Text, None);

    for attempt in ["first run (creates this week's page)", "second run (finds it, writes nothing)"] {
        println!("\n== {attempt}; the line below is what the tool prints on stdout:");
        let writes = fake.writes();
        let code = confluence_weekly::run(&config).await;
        println!("   exit code {}, {} write(s) to Confluence", code.code(), fake.writes() - writes);
    }

    let page = fake.pages().into_iter().find(|p| p.title == "2025-06-05 Weekly Report").expect("created");
    println!(
        "\nThe new page \"{}\" has labels {:?} and attachments {:?}; its body:",
        page.title,
        page.labels,
        page.attachments.iter().map(|a| a.filename.as_str()).collect::<Vec<_>>()
    );
    println!("{}", page.body);
}
