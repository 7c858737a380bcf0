//! `fake-confluence [--flavor datacenter|cloud] [--port N] [--token T] [--user U] [--context-path /confluence]
//! [--latency-ms N] [--big-body BYTES] [--big-attachment BYTES] [--teams N] [--weekly-pages N]
//! [--refuse-content-listing] [--cql-lag-ms N] [--move-lag-ms N] [--client-credentials ID:SECRET]…
//! [--gateway CLOUD_ID] [--calendar FILE] [--team-table FILE]`
//!
//! Starts the fake, seeds the demo data (plus, for benchmarks, more reports under the same root:
//! `2025-05-29 Big Body Report` with a body of about BYTES, `2025-05-29 Big Attachment Report`
//! with a BYTES attachment `data.bin`, `2025-05-29 Team 00 Report` … `Team {N-1}`, and N pages
//! of the weekly fixture `fake_confluence::weekly`, `%Y%m%d_MY팀 주간 보고` on Thursdays, the
//! last for 2025-06-05, and with `--team-table FILE` `2025-05-29 Team Table Report` with FILE as
//! its body), prints one JSON line
//! `{"base_url","root_page_id","space_key","token","user","flavor","control_url","oauth_token_url","calendar_url"}`
//! to stdout and serves until SIGTERM or SIGINT. `--client-credentials` (repeatable) registers a
//! service account's OAuth 2.0 client credentials; `oauth_token_url` is where they are exchanged. `control_url` is where `/__fake/stats`,
//! `/__fake/reset` and `/__fake/hook` are served. `--gateway CLOUD_ID` (Cloud, random port) serves
//! Cloud behind the API gateway: `base_url` is then `{origin}/ex/confluence/CLOUD_ID`.
//! `--calendar FILE` serves FILE (a holiday calendar) at `calendar_url`, a private-looking path
//! under `control_url`, behind the same latency and counted in the stats like the webhook
//! (`calendar_url` is null without it).

use std::io::Write as _;
use std::process::ExitCode;

use fake_confluence::{FakeConfluence, Flavor, Seed, weekly};

const USAGE: &str = "usage: fake-confluence [--flavor datacenter|cloud] [--port N] [--token T] \
[--user U] [--context-path /confluence] [--latency-ms N] [--big-body BYTES] [--big-attachment BYTES] [--teams N] \
[--weekly-pages N] [--refuse-content-listing] [--cql-lag-ms N] [--move-lag-ms N] \
[--client-credentials ID:SECRET]... [--gateway CLOUD_ID] [--calendar FILE] [--team-table FILE]";

struct Args {
    flavor: Flavor,
    port: u16,
    token: String,
    user: String,
    context_path: String,
    latency_ms: u64,
    big_body: usize,
    big_attachment: usize,
    teams: usize,
    weekly_pages: usize,
    /// Data Center: `GET /rest/api/content` answers 403.
    refuse_content_listing: bool,
    /// CQL trails writes by this much (pages seeded at start count as indexed).
    cql_lag_ms: u64,
    /// Data Center: reads show a moved page's old parent for this long after the move.
    move_lag_ms: u64,
    /// Service accounts' client credentials: (client id, secret).
    client_credentials: Vec<(String, String)>,
    /// Cloud behind the API gateway, with this cloud id.
    gateway: Option<String>,
    /// A holiday calendar file served at `calendar_url`.
    calendar: Option<String>,
    /// A storage-format body for `2025-05-29 Team Table Report`.
    team_table: Option<String>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        flavor: Flavor::DataCenter,
        port: 0,
        token: "fake-token".to_string(),
        user: "bot@example.com".to_string(),
        context_path: String::new(),
        latency_ms: 0,
        big_body: 0,
        big_attachment: 0,
        teams: 0,
        weekly_pages: 0,
        refuse_content_listing: false,
        cql_lag_ms: 0,
        move_lag_ms: 0,
        client_credentials: Vec::new(),
        gateway: None,
        calendar: None,
        team_table: None,
    };
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if name == "--help" || name == "-h" {
            return Ok(None);
        }
        if name == "--refuse-content-listing" {
            parsed.refuse_content_listing = true;
            continue;
        }
        let mut value = || inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{name} needs a value"));
        match name.as_str() {
            "--flavor" => {
                parsed.flavor = match value()?.to_ascii_lowercase().as_str() {
                    "datacenter" | "data-center" | "dc" | "server" => Flavor::DataCenter,
                    "cloud" => Flavor::Cloud,
                    other => return Err(format!("unknown flavor {other:?} (datacenter or cloud)")),
                }
            }
            "--port" => {
                let v = value()?;
                parsed.port = v.parse().map_err(|_| format!("invalid --port {v:?}"))?;
            }
            "--token" => parsed.token = value()?,
            "--user" => parsed.user = value()?,
            "--context-path" => parsed.context_path = value()?,
            "--client-credentials" => {
                let v = value()?;
                match v.split_once(':') {
                    Some((id, secret)) if !id.is_empty() && !secret.is_empty() => {
                        parsed.client_credentials.push((id.to_string(), secret.to_string()));
                    }
                    _ => return Err(format!("invalid --client-credentials {v:?} (ID:SECRET)")),
                }
            }
            "--gateway" => parsed.gateway = Some(value()?),
            "--calendar" => parsed.calendar = Some(value()?),
            "--team-table" => parsed.team_table = Some(value()?),
            "--latency-ms" => {
                let v = value()?;
                parsed.latency_ms = v.parse().map_err(|_| format!("invalid --latency-ms {v:?}"))?;
            }
            "--cql-lag-ms" => {
                let v = value()?;
                parsed.cql_lag_ms = v.parse().map_err(|_| format!("invalid --cql-lag-ms {v:?}"))?;
            }
            "--move-lag-ms" => {
                let v = value()?;
                parsed.move_lag_ms = v.parse().map_err(|_| format!("invalid --move-lag-ms {v:?}"))?;
            }
            "--big-body" | "--big-attachment" | "--teams" | "--weekly-pages" => {
                let v = value()?;
                let n = v.parse().map_err(|_| format!("invalid {name} {v:?}"))?;
                match name.as_str() {
                    "--big-body" => parsed.big_body = n,
                    "--big-attachment" => parsed.big_attachment = n,
                    "--teams" => parsed.teams = n,
                    _ => parsed.weekly_pages = n,
                }
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if parsed.move_lag_ms > 0 && parsed.flavor != Flavor::DataCenter {
        return Err("--move-lag-ms is for the Data Center flavour".to_string());
    }
    if parsed.gateway.is_some() && (parsed.flavor != Flavor::Cloud || parsed.port != 0) {
        return Err("--gateway is for the Cloud flavour, on a random port".to_string());
    }
    Ok(Some(parsed))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("fake-confluence: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let read = |path: &Option<String>| match path {
        Some(path) => std::fs::read_to_string(path).map(Some).map_err(|e| format!("cannot read {path}: {e}")),
        None => Ok(None),
    };
    let (calendar, team_table) = match (read(&args.calendar), read(&args.team_table)) {
        (Ok(calendar), Ok(team_table)) => (calendar, team_table),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("fake-confluence: {e}");
            return ExitCode::from(2);
        }
    };
    let fake = match &args.gateway {
        Some(cloud_id) => FakeConfluence::start_cloud_gateway(&args.user, &args.token, cloud_id).await,
        None => match FakeConfluence::start(args.flavor, args.port, Some(&args.user), &args.token, &args.context_path)
            .await
        {
            Ok(fake) => fake,
            Err(e) => {
                eprintln!("fake-confluence: cannot start: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    fake.set_latency(std::time::Duration::from_millis(args.latency_ms));
    let seed = fake.seed_demo();
    seed_more(&fake, &seed, &args);
    if let Some(body) = &team_table {
        fake.add_page(&seed.space_key, Some(&seed.root_page_id), "2025-05-29 Team Table Report", body);
    }
    if let Some(text) = &calendar {
        fake.serve_calendar(text);
    }
    fake.refuse_content_listing(args.refuse_content_listing);
    fake.set_cql_index_lag(std::time::Duration::from_millis(args.cql_lag_ms));
    if args.move_lag_ms > 0 {
        fake.set_move_lag(std::time::Duration::from_millis(args.move_lag_ms));
    }
    for (id, secret) in &args.client_credentials {
        fake.add_client_credentials(id, secret);
    }
    // The user only matters on Cloud; on Data Center a CONFLUENCE_USER would switch the client
    // to Basic auth, so it is reported as null there.
    let user = match args.flavor {
        Flavor::Cloud => serde_json::Value::String(args.user.clone()),
        Flavor::DataCenter => serde_json::Value::Null,
    };
    let line = serde_json::json!({
        "base_url": fake.base_url(),
        "root_page_id": seed.root_page_id,
        "space_key": seed.space_key,
        "token": args.token,
        "user": user,
        "flavor": match args.flavor { Flavor::Cloud => "cloud", Flavor::DataCenter => "datacenter" },
        "control_url": format!("{}/__fake", fake.origin()),
        "oauth_token_url": fake.oauth_token_url(),
        "calendar_url": calendar.as_ref().map(|_| fake.calendar_url()),
    });
    let mut stdout = std::io::stdout();
    if writeln!(stdout, "{line}").and_then(|()| stdout.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    eprintln!("fake-confluence: serving {} (Ctrl-C or SIGTERM to stop)", fake.base_url());
    wait_for_shutdown().await;
    ExitCode::SUCCESS
}

/// The benchmark's extra reports under the demo's root (see the top of this file).
fn seed_more(fake: &FakeConfluence, seed: &Seed, args: &Args) {
    let (space, root) = (seed.space_key.as_str(), Some(seed.root_page_id.as_str()));
    if args.big_body > 0 {
        let row = "<tr><td>항목 ✓ &amp; \"quoted\" 🎉</td><td>2025-05-29</td></tr>\n";
        let body = format!("<table>{}</table>", row.repeat(args.big_body.div_ceil(row.len())));
        fake.add_page(space, root, "2025-05-29 Big Body Report", &body);
    }
    if args.big_attachment > 0 {
        let page = fake.add_page(space, root, "2025-05-29 Big Attachment Report", "<p>see data.bin</p>");
        let data: Vec<u8> =
            (0..args.big_attachment as u64).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        fake.add_attachment(&page, "data.bin", "application/octet-stream", &data);
    }
    for i in 0..args.teams {
        fake.add_page(space, root, &format!("2025-05-29 Team {i:02} Report"), "<p>Team report</p>");
    }
    // The weekly fixture's pages: the last on its last Thursday, a week apart, in date order.
    for day in weekly::thursdays_ending(weekly::last(), args.weekly_pages) {
        fake.add_page(space, root, &weekly::title(day), &format!("<p>Report for {day}</p>"));
    }
}

#[cfg(unix)]
async fn wait_for_shutdown() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("install SIGTERM handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

#[cfg(not(unix))]
async fn wait_for_shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}
