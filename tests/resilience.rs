//! What real Confluence instances and chat webhooks do under load: rate limits, lost answers,
//! slow creates, dropped connections, untrusted certificates, and secrets that must not leak.

mod common;

use std::time::{Duration, Instant};

use common::*;
use fake_confluence::{Fault, FaultAction};

/// The first create is carried out, then answered with `action` instead.
fn committed_create(flavor: Flavor, action: FaultAction) -> Fault {
    Fault { method: "POST", path: create_path(flavor).to_owned(), times: 1, commit: true, action }
}

both_flavors!(
    rate_limits_are_waited_out,
    unavailable_then_success,
    create_committed_but_answered_502_makes_one_page,
    create_committed_but_slower_than_the_timeout_makes_one_page,
    create_connection_dropped_after_commit_makes_one_page,
    client_errors_on_create_are_not_retried,
    large_bodies_are_copied_intact,
    webhook_rate_limit_is_retried,
);

async fn rate_limits_are_waited_out(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    site.fake.inject(status("GET", lookup_path(flavor), 2, 429, Some("1")));
    let started = Instant::now();
    let run = site.run(&site.env()).await;
    run.assert_code(0);
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After honoured: {:?}", started.elapsed());
    assert_eq!(run.json()["created"], true);
    assert!(run.stderr.contains("HTTP 429") && run.stderr.contains("retry 1/4"), "retries are logged: {}", run.stderr);
    assert_eq!(site.titled(THIS_TITLE).len(), 1);
}

async fn unavailable_then_success(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    let root = match flavor {
        Flavor::DataCenter => format!("/rest/api/content/{}", site.root),
        Flavor::Cloud => format!("/api/v2/pages/{}", site.root),
    };
    site.fake.inject(status("GET", &root, 1, 503, None));
    let run = site.run(&site.env()).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
}

async fn create_committed_but_answered_502_makes_one_page(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    let answer = FaultAction::Status { status: 502, retry_after: None, body: String::new() };
    site.fake.inject(committed_create(flavor, answer));
    let run = site.run(&site.env()).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    assert_eq!(site.titled(THIS_TITLE).len(), 1);
    let creates =
        site.fake.requests().iter().filter(|r| r.method == "POST" && r.path.ends_with(create_path(flavor))).count();
    assert_eq!(creates, 1, "the create is not repeated once the page is found");
    assert!(run.stderr.contains("checking whether the page was created"), "{}", run.stderr);
}

async fn create_committed_but_slower_than_the_timeout_makes_one_page(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    site.fake.inject(committed_create(flavor, FaultAction::Delay(Duration::from_secs(5))));
    let run = site.run(&site.env().set("CONFLUENCE_TIMEOUT", "1")).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    assert_eq!(site.titled(THIS_TITLE).len(), 1);
    assert!(run.stderr.contains("timed out"), "{}", run.stderr);
}

async fn create_connection_dropped_after_commit_makes_one_page(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    site.fake.inject(committed_create(flavor, FaultAction::Drop));
    let run = site.run(&site.env()).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    assert_eq!(site.titled(THIS_TITLE).len(), 1);
}

async fn client_errors_on_create_are_not_retried(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    site.fake.inject(status("POST", create_path(flavor), 5, 403, None));
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    assert!(run.stderr.contains("403") && run.stderr.contains("permission"), "{}", run.stderr);
    let posts = site.fake.requests().iter().filter(|r| r.method == "POST").count();
    assert_eq!(posts, 1);
    assert!(site.titled(THIS_TITLE).is_empty());
}

async fn large_bodies_are_copied_intact(flavor: Flavor) {
    let site = Site::start(flavor).await;
    let row = "<tr><td>항목 ✓ &amp; \"quoted\" \\ 🎉</td></tr>\n";
    let body = format!("<table>{}</table>", row.repeat(5 * 1024 * 1024 / row.len()));
    assert!(body.len() >= 5_000_000);
    site.add(PREVIOUS_TITLE, &body);
    site.run(&site.env()).await.assert_code(0);
    assert!(site.titled(THIS_TITLE)[0].body == body, "5 MB body differs after the copy");
}

async fn webhook_rate_limit_is_retried(flavor: Flavor) {
    let site = site_with_previous(flavor).await;
    let hook = FakeWebhook::start().await;
    hook.fail_next(1, 429, Some("0"));
    let run = site.run(&site.env().set("WEBHOOK_URL", &hook.url())).await;
    run.assert_code(0);
    assert_eq!(hook.attempts(), 2);
    assert_eq!(hook.received().len(), 1);
    assert_eq!(hook.received()[0]["page_title"], THIS_TITLE, "json format by default for unknown hosts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_refused_names_the_host() {
    // A port that was free a moment ago and has no listener now.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let env = Env::default()
        .set("CONFLUENCE_BASE_URL", &format!("http://127.0.0.1:{port}"))
        .set("CONFLUENCE_TOKEN", TOKEN)
        .set("CONFLUENCE_ROOT_PAGE_ID", "1")
        .set("CONFLUENCE_MAX_RETRIES", "1");
    let run = run_in(dir.path(), &env, &[]).await;
    run.assert_code(1);
    assert!(run.stderr.contains("127.0.0.1") && run.stderr.contains("could not connect"), "{}", run.stderr);
    assert!(run.stderr.contains("retry 1/1"), "connection errors on reads are retried: {}", run.stderr);
}

/// Every failure path at trace level: the token and the webhook's path never show up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_never_appear_in_output_at_trace_level() {
    let hook = FakeWebhook::start().await;
    hook.fail_always(500);
    let secret_path = hook.url().split("127.0.0.1").nth(1).unwrap().split_once('/').unwrap().1.to_owned();
    let mut runs = Vec::new();
    for flavor in [Flavor::DataCenter, Flavor::Cloud] {
        let site = site_with_previous(flavor).await;
        let env = site
            .env()
            .set("RUST_LOG", "trace")
            .set("GITHUB_ACTIONS", "true")
            .set("WEBHOOK_URL", &hook.url())
            .set("CONFLUENCE_MAX_RETRIES", "1");
        // Webhook failure (exit 3), then a wrong token, a bad config value and a server fault.
        runs.push(site.run(&env).await);
        runs.push(site.run(&env.clone().set("CONFLUENCE_TOKEN", &format!("{TOKEN}-wrong"))).await);
        runs.push(site.run(&env.clone().set("CONFLUENCE_TIMEOUT", "0")).await);
        site.fake.inject(status("GET", lookup_path(flavor), 10, 500, None));
        runs.push(site.run(&env.clone().set("CONFLUENCE_DATE", "2025-06-12")).await);
        runs.push(site.run(&env.clone().set("LOG_FORMAT", "json")).await);
    }
    let codes: Vec<i32> = runs.iter().map(|r| r.code).collect();
    assert_eq!(codes, [3, 1, 2, 1, 1, 3, 1, 2, 1, 1]);
    for run in &runs {
        let output = run.all_output();
        let without_masks: String =
            output.lines().filter(|l| !l.starts_with("::add-mask::")).collect::<Vec<_>>().join("\n");
        assert!(!without_masks.contains(TOKEN), "token leaked:\n{output}");
        assert!(!without_masks.contains(&secret_path), "webhook path leaked:\n{output}");
        assert!(
            output.starts_with('\n') || run.stderr.starts_with("::add-mask::"),
            "mask comes first:\n{}",
            run.stderr
        );
    }
}

/// A local TLS front for the fake, with a certificate from a private CA.
async fn tls_front(backend_port: u16) -> (u16, String) {
    use std::sync::Arc;
    use tokio_rustls::rustls;

    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, "Test Internal CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let ca_issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf_params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &ca_issuer).unwrap();

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let Ok(mut backend) = tokio::net::TcpStream::connect(("127.0.0.1", backend_port)).await else { return };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut backend).await;
            });
        }
    });
    (port, ca.pem())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_ca_is_trusted_only_when_given() {
    let site = site_with_previous(Flavor::DataCenter).await;
    let backend_port: u16 = site.fake.base_url().rsplit(':').next().unwrap().parse().unwrap();
    let (port, ca_pem) = tls_front(backend_port).await;
    let ca_path = site.dir.path().join("internal-ca.pem");
    std::fs::write(&ca_path, ca_pem).unwrap();
    let env =
        site.env().set("CONFLUENCE_BASE_URL", &format!("https://127.0.0.1:{port}")).set("CONFLUENCE_MAX_RETRIES", "0");

    let untrusted = site.run(&env).await;
    untrusted.assert_code(1);
    assert!(untrusted.stderr.to_lowercase().contains("certificate"), "{}", untrusted.stderr);

    let trusted = site.run(&env.clone().set("CONFLUENCE_CA_CERT", ca_path.to_str().unwrap())).await;
    trusted.assert_code(0);
    assert_eq!(trusted.json()["created"], true);
    assert!(!trusted.stderr.contains("plain http"), "no plain-http warning over https");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_with_a_token_warns() {
    let site = site_with_previous(Flavor::DataCenter).await;
    let run = site.run(&site.env()).await;
    run.assert_code(0);
    assert!(run.stderr.contains("plain http") && run.stderr.contains("unencrypted"), "{}", run.stderr);
}

/// Bad input: each value is a configuration error naming its variable, and nothing is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_exit_2_without_a_request() {
    let site = site_with_previous(Flavor::DataCenter).await;
    let not_pem = site.dir.path().join("not.pem");
    std::fs::write(&not_pem, "hello").unwrap();
    let cases: &[(&str, &str)] = &[
        ("CONFLUENCE_ROOT_PAGE_ID", "twelve"),
        ("CONFLUENCE_TIMEZONE", "Europe/Berln"),
        ("CONFLUENCE_SCHEDULE", "weekly:funday"),
        ("CONFLUENCE_TITLE_TEMPLATE", "Weekly Report"),
        ("CONFLUENCE_TITLE_TEMPLATE", "{date:%Q}"),
        ("CONFLUENCE_RESET_TASKS", "sure"),
        ("CONFLUENCE_BASE_URL", "confluence.example.com"),
        ("CONFLUENCE_DATE", "05/06/2025"),
        ("WEBHOOK_FORMAT", "irc"),
        ("CONFLUENCE_LOOKBACK", "-2"),
        ("CONFLUENCE_FLAVOR", "server-ish"),
        ("WEBHOOK_WHEN", "weekly"),
        ("CONFLUENCE_TIMEOUT", "0"),
        ("WEBHOOK_PAYLOAD", "{\"text\": {{page_url}}"),
        ("CONFLUENCE_CA_CERT", not_pem.to_str().unwrap()),
    ];
    for &(var, value) in cases {
        let env = site.env().set(var, value).set("WEBHOOK_URL", "https://example.com/hook");
        let run = site.run(&env).await;
        run.assert_code(2);
        assert_eq!(run.stderr.lines().count(), 1, "{var}={value}: {}", run.stderr);
        assert!(run.stderr.contains(var), "{var}={value}: {}", run.stderr);
        assert!(
            run.stderr.contains("use ") || run.stderr.contains("must") || run.stderr.contains("expected"),
            "says what is valid: {}",
            run.stderr
        );
    }
    let all = cases.iter().fold(site.env(), |env, (var, value)| env.set(var, value));
    let run = site.run(&all.set("WEBHOOK_URL", "https://example.com/hook")).await;
    run.assert_code(2);
    assert!(run.stderr.lines().count() >= 13, "all problems at once: {}", run.stderr);
    assert_eq!(site.fake.requests().len(), 0, "no request was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_attachment_copy_names_the_created_page() {
    let site = site_with_previous(Flavor::DataCenter).await;
    let previous = site.titled(PREVIOUS_TITLE)[0].id.clone();
    site.fake.add_attachment(&previous, "chart.png", "image/png", b"png");
    site.fake.inject(status("POST", "/child/attachment", 1, 403, None));
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    let page = &site.titled(THIS_TITLE)[0];
    assert!(run.stderr.contains("copying its labels or attachments failed"), "{}", run.stderr);
    assert!(run.stderr.contains(&page.id) || run.stderr.contains("2025-06-05+Weekly+Report"), "{}", run.stderr);
    assert!(run.stderr.contains("Copy them by hand"), "says what to do: {}", run.stderr);
}

/// `HTTP_PROXY` is honoured: the site's host does not even resolve; only the proxy (here the fake
/// itself, which serves absolute-form requests) is reachable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxies_from_the_environment_are_used() {
    let site = site_with_previous(Flavor::DataCenter).await;
    let proxy = site.fake.base_url();
    let env = site.env().set("CONFLUENCE_BASE_URL", "http://confluence.invalid").set("HTTP_PROXY", &proxy);
    let run = site.run(&env).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    assert!(!site.fake.requests().is_empty());
    let blocked = site.run(&env.set("NO_PROXY", "confluence.invalid").set("CONFLUENCE_MAX_RETRIES", "0")).await;
    blocked.assert_code(1);
    assert!(blocked.stderr.contains("confluence.invalid"), "{}", blocked.stderr);
}
