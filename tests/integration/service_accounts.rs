//! Service accounts: OAuth 2.0 client credentials instead of a token, on the Cloud gateway (given
//! the site URL or the gateway URL) and on Data Center; the token's expiry mid-run; refused
//! exchanges; credentials that conflict; secrets that never show; and the hints that name the
//! real cause of a Cloud 401 or 410.

use std::collections::BTreeSet;

use crate::common::*;

const CLIENT_ID: &str = "sa-client-7f3e";
const CLIENT_SECRET: &str = "sa-SECRET-91c2d0";

/// A Cloud gateway fake (its origin also serves tenant_info and the token endpoint) with a
/// service account, the root page and the previous period's page.
async fn cloud_gateway() -> Site {
    let fake = FakeConfluence::start_cloud_gateway(USER, TOKEN, "5e1f0a9b-2c3d-4e5f-8a7b-6c5d4e3f2a1b").await;
    fake.add_client_credentials(CLIENT_ID, CLIENT_SECRET);
    fake.add_space("TEAM");
    let root = fake.add_page("TEAM", None, "Weekly Reports", "<p>root</p>");
    let site = Site { fake, flavor: Flavor::Cloud, space: "TEAM".into(), root, dir: tempfile::tempdir().unwrap() };
    site.add(PREVIOUS_TITLE, SOURCE_BODY);
    site
}

async fn datacenter() -> Site {
    let site = site_with_previous(Flavor::DataCenter).await;
    site.fake.add_client_credentials(CLIENT_ID, CLIENT_SECRET);
    site
}

/// The site's environment with client credentials instead of the token (and no user).
fn with_client_credentials(site: &Site) -> Env {
    site.env()
        .unset("CONFLUENCE_TOKEN")
        .unset("CONFLUENCE_USER")
        .set("CONFLUENCE_CLIENT_ID", CLIENT_ID)
        .set("CONFLUENCE_CLIENT_SECRET", CLIENT_SECRET)
        .set("CONFLUENCE_OAUTH_TOKEN_URL", &site.fake.oauth_token_url())
}

/// Given the site URL (here the fake's origin, standing in for `https://x.atlassian.net`): the
/// gateway is `CONFLUENCE_GATEWAY_URL` (the same origin).
fn cloud_site_env(site: &Site) -> Env {
    with_client_credentials(site)
        .set("CONFLUENCE_BASE_URL", &site.fake.origin())
        .set("CONFLUENCE_FLAVOR", "cloud")
        .set("CONFLUENCE_GATEWAY_URL", &site.fake.origin())
}

const EXCHANGE_PATHS: &[&str] = &["/oauth/token", "/rest/oauth2/latest/token"];

fn is_exchange(r: &fake_confluence::Request) -> bool {
    r.method == "POST" && EXCHANGE_PATHS.iter().any(|p| r.path.ends_with(p))
}

/// The Authorization of every Confluence request (not the exchanges, not tenant_info).
fn confluence_authorizations(site: &Site) -> Vec<String> {
    site.fake
        .requests()
        .iter()
        .filter(|r| !is_exchange(r) && r.path != "/_edge/tenant_info")
        .map(|r| r.authorization.clone().unwrap_or_default())
        .collect()
}

/// The distinct access tokens the run sent.
fn access_tokens(site: &Site) -> BTreeSet<String> {
    confluence_authorizations(site).iter().filter_map(|a| a.strip_prefix("Bearer ").map(str::to_owned)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloud_given_the_site_url_reads_the_cloud_id_beside_the_exchange_and_uses_the_gateway() {
    let site = cloud_gateway().await;
    let run = site.run(&cloud_site_env(&site)).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    assert_eq!(site.titled(THIS_TITLE).len(), 1);
    assert_eq!(site.fake.token_exchanges(), 1);

    let requests = site.fake.requests();
    let firsts: BTreeSet<String> = requests[..2].iter().map(|r| format!("{} {}", r.method, r.path)).collect();
    let expected: BTreeSet<String> = ["GET /_edge/tenant_info", "POST /oauth/token"].map(String::from).into();
    assert_eq!(firsts, expected, "tenant_info and the exchange first: {:?}", sent(&site, 0));
    let tenant_info = requests.iter().find(|r| r.path == "/_edge/tenant_info").unwrap();
    assert_eq!(tenant_info.authorization, None, "tenant_info takes no auth");
    let gateway = format!("/ex/confluence/{}/wiki/", site.fake.cloud_id());
    let rest = &requests[2..];
    assert!(
        rest.iter().all(|r| r.path.starts_with(&gateway)),
        "every request through the gateway: {:?}",
        sent(&site, 2)
    );
    let tokens = access_tokens(&site);
    assert_eq!(tokens.len(), 1, "one access token");
    assert!(
        confluence_authorizations(&site).iter().all(|a| a.starts_with("Bearer ")),
        "every Confluence request carried the Bearer token"
    );
    let exchange = requests.iter().find(|r| is_exchange(r)).unwrap();
    let body: serde_json::Value = serde_json::from_str(&exchange.body).unwrap();
    assert_eq!(body["grant_type"], "client_credentials");
    assert_eq!(body["client_id"], CLIENT_ID);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloud_given_the_gateway_url_skips_tenant_info() {
    let site = cloud_gateway().await;
    let env = with_client_credentials(&site).set("CONFLUENCE_BASE_URL", &site.fake.base_url());
    let run = site.run(&env).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    let requests = site.fake.requests();
    assert!(!requests.iter().any(|r| r.path == "/_edge/tenant_info"), "{:?}", sent(&site, 0));
    assert!(is_exchange(&requests[0]), "the exchange comes first: {:?}", sent(&site, 0));
    assert_eq!(site.fake.token_exchanges(), 1);
    assert_eq!(access_tokens(&site).len(), 1);
    assert!(confluence_authorizations(&site).iter().all(|a| a.starts_with("Bearer ")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datacenter_exchanges_at_its_own_endpoint_with_scope_write() {
    let site = datacenter().await;
    // The default endpoint: <base>/rest/oauth2/latest/token.
    let env = with_client_credentials(&site).unset("CONFLUENCE_OAUTH_TOKEN_URL");
    let run = site.run(&env).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    let requests = site.fake.requests();
    assert!(is_exchange(&requests[0]), "{:?}", sent(&site, 0));
    let form = requests[0].body.clone();
    for pair in ["grant_type=client_credentials", &format!("client_id={CLIENT_ID}"), "scope=WRITE"] {
        assert!(form.split('&').any(|p| p == pair), "{pair} in the form");
    }
    assert_eq!(access_tokens(&site).len(), 1);
    assert!(confluence_authorizations(&site).iter().all(|a| a.starts_with("Bearer ")));
}

fn env_for(site: &Site) -> Env {
    match site.flavor {
        Flavor::Cloud => cloud_site_env(site),
        Flavor::DataCenter => with_client_credentials(site),
    }
}

/// The access token "expires" (answers 401, as after its hour) past the middle of the run: the
/// requests refused with it share one new exchange and are each sent once more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expiry_mid_run_costs_exactly_one_exchange() {
    for flavor in [Flavor::Cloud, Flavor::DataCenter] {
        let start = || async {
            match flavor {
                Flavor::Cloud => cloud_gateway().await,
                Flavor::DataCenter => datacenter().await,
            }
        };
        // How many Confluence requests the run makes when nothing expires.
        let probe = start().await;
        probe.run(&env_for(&probe)).await.assert_code(0);
        let needed = confluence_authorizations(&probe).len();
        assert!(needed >= 4, "{flavor:?}: {needed} requests");

        let site = start().await;
        site.fake.set_access_token_uses(Some(needed / 2 + 1));
        let run = site.run(&env_for(&site)).await;
        run.assert_code(0);
        assert_eq!(run.json()["created"], true, "{flavor:?}");
        assert_eq!(site.titled(THIS_TITLE).len(), 1, "{flavor:?}: made once");
        assert_eq!(site.fake.token_exchanges(), 2, "{flavor:?}: one renewal: {:?}", sent(&site, 0));
        assert_eq!(access_tokens(&site).len(), 2, "{flavor:?}: the new token was used");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_refused_again_right_after_renewal_fails_the_run() {
    let site = datacenter().await;
    site.fake.set_access_token_uses(Some(0));
    let run = site.run(&with_client_credentials(&site)).await;
    run.assert_code(1);
    assert!(run.stderr.contains("HTTP 401") && run.stderr.contains("right after it was renewed"), "{}", run.stderr);
    assert_eq!(site.fake.token_exchanges(), 2, "the first token and one renewal, no more");
    assert!(site.titled(THIS_TITLE).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_is_named_invalid_client_and_nothing_is_written() {
    for site in [cloud_gateway().await, datacenter().await] {
        let env = match site.flavor {
            Flavor::Cloud => cloud_site_env(&site),
            Flavor::DataCenter => with_client_credentials(&site),
        };
        let run = site.run(&env.set("CONFLUENCE_CLIENT_SECRET", "not-the-secret")).await;
        run.assert_code(1);
        assert!(run.stderr.contains("could not sign in as the service account `sa-client-7f3e`"), "{}", run.stderr);
        assert!(run.stderr.contains("invalid_client (Client authentication failed)"), "{}", run.stderr);
        assert!(run.stderr.contains("Check CONFLUENCE_CLIENT_ID and CONFLUENCE_CLIENT_SECRET"), "{}", run.stderr);
        assert!(!run.all_output().contains("not-the-secret"), "{}", run.all_output());
        assert!(site.titled(THIS_TITLE).is_empty(), "nothing written");
        assert!(confluence_authorizations(&site).is_empty(), "no Confluence request: {:?}", sent(&site, 0));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_with_client_credentials_or_half_of_them_is_a_configuration_error() {
    let site = datacenter().await;
    let run = site.run(&with_client_credentials(&site).set("CONFLUENCE_TOKEN", TOKEN)).await;
    run.assert_code(2);
    assert!(run.stderr.contains("CONFLUENCE_TOKEN: is set together with CONFLUENCE_CLIENT_ID"), "{}", run.stderr);
    let run = site.run(&with_client_credentials(&site).unset("CONFLUENCE_CLIENT_SECRET")).await;
    run.assert_code(2);
    assert!(run.stderr.contains("CONFLUENCE_CLIENT_SECRET: is required with CONFLUENCE_CLIENT_ID"), "{}", run.stderr);
    let run = site.run(&with_client_credentials(&site).unset("CONFLUENCE_CLIENT_ID")).await;
    run.assert_code(2);
    assert!(run.stderr.contains("CONFLUENCE_CLIENT_ID: is required with CONFLUENCE_CLIENT_SECRET"), "{}", run.stderr);
    assert!(site.fake.requests().is_empty(), "no request was sent");
}

/// In GitHub Actions the client secret and every access token are masked before anything else,
/// and appear nowhere but in the mask lines: not on stdout, stderr, in $GITHUB_OUTPUT or the step
/// summary.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_never_show_and_access_tokens_are_masked() {
    let site = cloud_gateway().await;
    site.fake.set_access_token_uses(Some(3));
    let (output, summary) = (site.dir.path().join("github_output"), site.dir.path().join("summary.md"));
    let env = cloud_site_env(&site)
        .set("GITHUB_ACTIONS", "true")
        .set("GITHUB_OUTPUT", output.to_str().unwrap())
        .set("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())
        .set("RUST_LOG", "trace");
    let run = site.run(&env).await;
    run.assert_code(0);
    assert_eq!(run.stderr.lines().next(), Some(format!("::add-mask::{CLIENT_SECRET}").as_str()), "masked first");
    let tokens = access_tokens(&site);
    assert!(tokens.len() >= 2, "renewed at least once: {tokens:?}");
    let masks: BTreeSet<&str> = run.stderr.lines().filter_map(|l| l.strip_prefix("::add-mask::")).collect();
    for token in &tokens {
        assert!(masks.contains(token.as_str()), "access token {token} masked: {}", run.stderr);
    }
    let files = [std::fs::read_to_string(&output).unwrap(), std::fs::read_to_string(&summary).unwrap()];
    let printed: String = run.all_output().lines().filter(|l| !l.starts_with("::add-mask::")).collect();
    for text in [printed.as_str(), &files[0], &files[1]] {
        assert!(!text.contains(CLIENT_SECRET), "client secret leaked: {text}");
        for token in &tokens {
            assert!(!text.contains(token.as_str()), "access token leaked: {text}");
        }
    }
}

/// A Cloud 401 with an API token says such tokens expire and suggests a service account.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cloud_401_says_api_tokens_expire() {
    let site = site_with_previous(Flavor::Cloud).await;
    let run = site.run(&site.env().set("CONFLUENCE_TOKEN", "expired-api-token")).await;
    run.assert_code(1);
    assert!(run.stderr.contains("HTTP 401"), "{}", run.stderr);
    assert!(run.stderr.contains("Cloud API tokens expire (at most 365 days"), "{}", run.stderr);
    assert!(run.stderr.contains("CONFLUENCE_CLIENT_ID and CONFLUENCE_CLIENT_SECRET"), "{}", run.stderr);
    assert!(run.stderr.contains("docs/service-accounts.md"), "{}", run.stderr);
}

/// A Cloud 410 names the removed v1 operation and says to upgrade.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cloud_410_names_the_removed_operation() {
    let site = site_with_previous(Flavor::Cloud).await;
    site.fake.inject(status("GET", lookup_path(Flavor::Cloud), 1, 410, None));
    let run = site.run(&site.env()).await;
    run.assert_code(1);
    assert!(run.stderr.contains(&format!("GET {}", site.fake.base_url())), "the request is named: {}", run.stderr);
    assert!(run.stderr.contains("HTTP 410"), "{}", run.stderr);
    assert!(
        run.stderr.contains("removed this v1 operation (CHANGE-864")
            && run.stderr.contains("upgrade confluence-weekly")
    );
}
