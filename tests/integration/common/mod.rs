//! Shared harness: start a fake Confluence of either flavour, run the real binary against it.

pub mod cloud_api;
pub mod storage;
pub mod weekly;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub use fake_confluence::{FakeConfluence, FakeWebhook, Flavor};

pub const TOKEN: &str = "tok-SECRET-4f9a1c";
pub const USER: &str = "bot@example.com";
/// A Thursday: the default schedule's page for this week is "2025-06-05 Weekly Report".
pub const TODAY: &str = "2025-06-05";
pub const THIS_TITLE: &str = "2025-06-05 Weekly Report";
pub const PREVIOUS_TITLE: &str = "2025-05-29 Weekly Report";
pub const SOURCE_BODY: &str = "<h1>Weekly</h1><p>2025-05-29 &amp; notes — 주간</p><ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete</ac:task-status><ac:task-body>done</ac:task-body></ac:task></ac:task-list>";

/// A fake Confluence with a space, a root page, and the environment to reach it.
pub struct Site {
    pub fake: FakeConfluence,
    pub flavor: Flavor,
    pub space: String,
    pub root: String,
    /// A scratch working directory for the binary (no `.env`, outputs land here).
    pub dir: tempfile::TempDir,
}

impl Site {
    pub async fn start(flavor: Flavor) -> Site {
        Self::start_at(flavor, "").await
    }

    /// Data Center under a context path such as `/confluence` (Cloud always uses `/wiki`).
    pub async fn start_at(flavor: Flavor, context_path: &str) -> Site {
        let fake = match flavor {
            Flavor::DataCenter => FakeConfluence::start_datacenter(TOKEN, context_path).await,
            Flavor::Cloud => FakeConfluence::start_cloud(USER, TOKEN).await,
        };
        fake.add_space("TEAM");
        let root = fake.add_page("TEAM", None, "Weekly Reports", "<p>root</p>");
        Site { fake, flavor, space: "TEAM".into(), root, dir: tempfile::tempdir().unwrap() }
    }

    /// A child of the root page.
    pub fn add(&self, title: &str, body: &str) -> String {
        self.fake.add_page(&self.space, Some(&self.root), title, body)
    }

    /// The environment of a default run for today.
    pub fn env(&self) -> Env {
        let mut env = Env::default()
            .set("CONFLUENCE_BASE_URL", &self.fake.base_url())
            .set("CONFLUENCE_TOKEN", TOKEN)
            .set("CONFLUENCE_ROOT_PAGE_ID", &self.root)
            .set("CONFLUENCE_DATE", TODAY);
        if self.flavor == Flavor::Cloud {
            env = env.set("CONFLUENCE_USER", USER).set("CONFLUENCE_FLAVOR", "cloud");
        }
        env
    }

    /// Pages with exactly this title in the space.
    pub fn titled(&self, title: &str) -> Vec<fake_confluence::Page> {
        self.fake.find_title(&self.space, title)
    }

    pub async fn run(&self, env: &Env) -> Run {
        run_in(self.dir.path(), env, &[]).await
    }
}

/// The cloudId of [`Site::start_gateway`]'s site.
pub const CLOUD_ID: &str = "0c2b8f3e-5a4d-4e1f-9a7b-3c6d2e1f0a9b";

impl Site {
    /// Cloud behind the scoped-token gateway (where the removed v1 operations answer 410 Gone),
    /// with a space and a root page; run it with [`gateway_env`].
    pub async fn start_gateway() -> Site {
        let fake = FakeConfluence::start_cloud_gateway(USER, TOKEN, CLOUD_ID).await;
        fake.add_space("TEAM");
        let root = fake.add_page("TEAM", None, "Weekly Reports", "<p>root</p>");
        Site { fake, flavor: Flavor::Cloud, space: "TEAM".into(), root, dir: tempfile::tempdir().unwrap() }
    }
}

/// The environment of a default run through `https://api.atlassian.com/ex/confluence/<cloudId>`
/// (Cloud without `CONFLUENCE_FLAVOR`), with `HTTP_PROXY` pointing at the fake gateway.
pub fn gateway_env(site: &Site) -> Env {
    site.env()
        .unset("CONFLUENCE_FLAVOR")
        .set("CONFLUENCE_BASE_URL", &format!("http://api.atlassian.com/ex/confluence/{CLOUD_ID}"))
        .set("HTTP_PROXY", &site.fake.origin())
}

/// A site whose previous period's page (the usual source) exists.
pub async fn site_with_previous(flavor: Flavor) -> Site {
    let site = Site::start(flavor).await;
    site.add(PREVIOUS_TITLE, SOURCE_BODY);
    site
}

/// The path title lookups go to: v1 content on Data Center, v2 pages on Cloud.
/// How the fake names a user in restrictions: username on Data Center, accountId on Cloud.
pub fn user(flavor: Flavor, name: &str) -> String {
    match flavor {
        Flavor::DataCenter => name.to_owned(),
        Flavor::Cloud => format!("557058:{name}"),
    }
}

pub fn lookup_path(flavor: Flavor) -> &'static str {
    match flavor {
        Flavor::DataCenter => "/rest/api/content",
        Flavor::Cloud => "/api/v2/pages",
    }
}

/// The request that makes the page: a v1 create on Data Center, the copy endpoint
/// (`/rest/api/content/{id}/copy`) on Cloud.
pub fn create_path(flavor: Flavor) -> &'static str {
    match flavor {
        Flavor::DataCenter => "/rest/api/content",
        Flavor::Cloud => "/copy",
    }
}

/// POSTs that create the page (see [`create_path`]).
pub fn creates(site: &Site) -> usize {
    site.fake.requests().iter().filter(|r| r.method == "POST" && r.path.ends_with(create_path(site.flavor))).count()
}

/// The requests the fake received from the `from`-th on, as `METHOD path`.
pub fn sent(site: &Site, from: usize) -> Vec<String> {
    site.fake.requests()[from..].iter().map(|r| format!("{} {}", r.method, r.path)).collect()
}

/// Every request the fake received, as `METHOD path?query` (for failure messages).
pub fn sent_with_queries(site: &Site) -> Vec<String> {
    site.fake.requests().iter().map(|r| format!("{} {}?{}", r.method, r.path, r.query)).collect()
}

/// The link the fake gives a page whose title is `title_in_url` once spaces are `+` and other
/// unsafe characters percent-encoded: Data Center's `/display/KEY/Title` (ASCII titles), Cloud's
/// `/spaces/KEY/pages/{id}/Title`.
pub fn page_link(site: &Site, id: &str, title_in_url: &str) -> String {
    match site.flavor {
        Flavor::DataCenter => format!("{}/display/{}/{title_in_url}", site.fake.base_url(), site.space),
        Flavor::Cloud => format!("{}/spaces/{}/pages/{id}/{title_in_url}", site.fake.base_url(), site.space),
    }
}

/// Runs the binary `n` times at once with `env` and checks what racing runs must come to: each
/// exits 0, there is exactly one page titled [`THIS_TITLE`], every run reports it and exactly one
/// created it. Returns the runs for further checks.
pub async fn race(site: &Site, env: &Env, n: usize) -> Vec<Run> {
    let runs = futures_util::future::join_all((0..n).map(|_| site.run(env))).await;
    let mut ids = BTreeSet::new();
    let mut created = 0;
    for run in &runs {
        run.assert_code(0);
        let out = run.json();
        ids.insert(out["page_id"].as_str().unwrap().to_owned());
        created += usize::from(out["created"] == true);
    }
    assert_eq!(site.titled(THIS_TITLE).len(), 1, "exactly one page");
    assert_eq!(ids.len(), 1, "every run reports the same page: {ids:?}");
    assert_eq!(created, 1, "exactly one run created it");
    runs
}

/// Cloud without its copy endpoint (405), so the run creates and copies itself: what a test
/// watches (downloads, v1 paging) then happens in the run, not server-side. No-op on Data Center.
pub fn without_copy_endpoint(site: &Site) {
    if site.flavor == Flavor::Cloud {
        site.fake.inject(status("POST", "/copy", 100, 405, None));
    }
}

/// The first create is carried out, then answered with `action` instead.
pub fn committed_create(flavor: Flavor, action: fake_confluence::FaultAction) -> fake_confluence::Fault {
    fake_confluence::Fault { method: "POST", path: create_path(flavor).to_owned(), times: 1, commit: true, action }
}

/// What the fake counted since it started or since [`reset_stats`] (`GET /__fake/stats`).
/// Round trips are only meaningful with a latency (`set_latency`): without one, requests sent
/// together may be answered one after the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub requests: u64,
    pub writes: u64,
    pub round_trips: u64,
}

pub async fn stats(site: &Site) -> Stats {
    let url = format!("{}/__fake/stats", site.fake.origin());
    let body: serde_json::Value = reqwest::get(&url).await.unwrap().json().await.unwrap();
    let count = |name: &str| body[name].as_u64().unwrap_or_else(|| panic!("{name} missing from {body}"));
    Stats { requests: count("requests"), writes: count("writes"), round_trips: count("round_trips") }
}

/// Starts the fake's counts ([`stats`]) again.
pub async fn reset_stats(site: &Site) {
    let url = format!("{}/__fake/reset", site.fake.origin());
    let status = reqwest::Client::new().post(&url).send().await.unwrap().status();
    assert_eq!(status, 204, "reset the fake's counts");
}

/// A fault answering the next `times` matching requests with `status` (and `Retry-After`), an
/// empty body, and no change to the fake's state.
pub fn status(
    method: &'static str,
    path: &str,
    times: usize,
    status: u16,
    retry_after: Option<&str>,
) -> fake_confluence::Fault {
    fake_confluence::Fault {
        method,
        path: path.to_owned(),
        times,
        commit: false,
        action: fake_confluence::FaultAction::Status {
            status,
            retry_after: retry_after.map(str::to_owned),
            body: String::new(),
        },
    }
}

/// Environment variables for one run; nothing is inherited from the test process.
#[derive(Debug, Clone, Default)]
pub struct Env(pub BTreeMap<String, String>);

impl Env {
    pub fn set(mut self, name: &str, value: &str) -> Self {
        self.0.insert(name.to_owned(), value.to_owned());
        self
    }

    pub fn unset(mut self, name: &str) -> Self {
        self.0.remove(name);
        self
    }
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The stdout line as JSON (exactly one line, nothing else).
    pub fn json(&self) -> serde_json::Value {
        let lines: Vec<&str> = self.stdout.lines().collect();
        assert_eq!(lines.len(), 1, "stdout must be one JSON line:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        serde_json::from_str(lines[0]).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "exit code\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    /// Stdout and stderr together.
    pub fn all_output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_confluence-weekly"))
}

/// Runs the binary in `dir` with exactly `env` (plus nothing from the test process).
pub async fn run_in(dir: &Path, env: &Env, args: &[&str]) -> Run {
    let output = tokio::process::Command::new(binary())
        .args(args)
        .env_clear()
        .envs(&env.0)
        .current_dir(dir)
        .output()
        .await
        .expect("run the binary");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Parses a `$GITHUB_OUTPUT` file written in the `name<<DELIMITER` form.
pub fn parse_github_output(text: &str) -> BTreeMap<String, String> {
    confluence_weekly::parse_github_output(text).into_iter().collect()
}

/// Runs the test body once per flavour: `both_flavors!(name)` needs `async fn name(flavor: Flavor)`.
macro_rules! both_flavors {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn datacenter() {
                super::$name(super::Flavor::DataCenter).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn cloud() {
                super::$name(super::Flavor::Cloud).await
            }
        }
    )*};
}
pub(crate) use both_flavors;
