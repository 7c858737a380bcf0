//! Service accounts: the OAuth 2.0 client-credentials exchange on both flavours, issued tokens
//! as `Bearer` credentials (site, gateway, Data Center), their expiry, and Cloud's tenant info.

use fake_confluence::FakeConfluence;
use serde_json::{Value, json};

use crate::common::*;

const ID: &str = "sa-client-1";
const SECRET: &str = "sa-secret-1";

async fn exchange_json(fake: &FakeConfluence, body: &Value) -> (u16, Value) {
    post(&reqwest::Client::new(), &fake.oauth_token_url(), body).await
}

async fn exchange_form(fake: &FakeConfluence, form: &str) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(fake.oauth_token_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

fn grant(id: &str, secret: &str) -> Value {
    json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret})
}

async fn cloud_token(fake: &FakeConfluence) -> String {
    let (status, body) = exchange_json(fake, &grant(ID, SECRET)).await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn cloud_exchange_answers_a_bearer_token_and_refuses_bad_requests() {
    let fake = FakeConfluence::start_cloud(USER, TOKEN).await;
    fake.add_client_credentials(ID, SECRET);
    assert_eq!(fake.oauth_token_url(), format!("{}/oauth/token", fake.origin()));

    let (status, body) = exchange_json(&fake, &grant(ID, SECRET)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(body["scope"].as_str().unwrap().contains("read:page:confluence"), "{body}");
    assert!(body.get("refresh_token").is_none());
    let first = body["access_token"].as_str().unwrap().to_string();
    assert!(first.len() >= 32, "{first}");
    assert_ne!(cloud_token(&fake).await, first, "each exchange gives a new token");

    let (status, body) = exchange_json(&fake, &grant(ID, "wrong")).await;
    assert_eq!(
        (status, body),
        (401, json!({"error": "invalid_client", "error_description": "Client authentication failed"}))
    );
    let (status, body) = exchange_json(&fake, &grant("nobody", SECRET)).await;
    assert_eq!((status, body["error"].clone()), (401, json!("invalid_client")));
    let (status, body) =
        exchange_json(&fake, &json!({"grant_type": "password", "client_id": ID, "client_secret": SECRET})).await;
    assert_eq!((status, body["error"].clone()), (400, json!("unsupported_grant_type")));
    let (status, body) = exchange_json(&fake, &json!({"client_id": ID, "client_secret": SECRET})).await;
    assert_eq!((status, body["error"].clone()), (400, json!("unsupported_grant_type")));
    let resp = reqwest::Client::new()
        .post(fake.oauth_token_url())
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(resp.json::<Value>().await.unwrap()["error"], "invalid_request");

    assert_eq!(fake.token_exchanges(), 2, "only successful exchanges count");
    let requests = fake.requests();
    assert_eq!(requests.len(), 7);
    assert!(requests.iter().all(|r| r.method == "POST" && r.path == "/oauth/token"), "{requests:?}");
}

#[tokio::test]
async fn issued_tokens_work_on_the_site_url_and_the_gateway() {
    let site = FakeConfluence::start_cloud(USER, TOKEN).await;
    let gateway = FakeConfluence::start_cloud_gateway(USER, TOKEN, "c0ffee-1234").await;
    for fake in [&site, &gateway] {
        let root = fake.seed_demo().root_page_id;
        fake.add_client_credentials(ID, SECRET);
        let wiki = format!("{}/wiki", fake.base_url().trim_end_matches("/wiki"));
        let url = format!("{wiki}/api/v2/pages/{root}");
        let (status, page) = get(&client(&format!("Bearer {}", cloud_token(fake).await)), &url).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["title"], "Weekly Reports");
        let (status, me) =
            get(&client(&format!("Bearer {}", cloud_token(fake).await)), &format!("{wiki}/rest/api/user/current"))
                .await;
        assert_eq!(status, 200);
        assert_eq!(me["email"], USER, "served as the fake's account");
        // A token that was never issued is refused.
        let (status, body) = get(&client("Bearer fake-at.0000"), &url).await;
        assert_eq!((status, body["code"].clone()), (401, json!(401)));
    }
}

#[tokio::test]
async fn tokens_expire_after_their_uses_and_a_new_one_works() {
    let fake = FakeConfluence::start_cloud_gateway(USER, TOKEN, "c0ffee-1234").await;
    let root = fake.seed_demo().root_page_id;
    fake.add_client_credentials(ID, SECRET);
    let url = format!("{}/wiki/api/v2/pages/{root}", fake.base_url());
    let old = client(&format!("Bearer {}", cloud_token(&fake).await));
    assert_eq!(get(&old, &url).await.0, 200, "served before the limit was set");
    fake.set_access_token_uses(Some(2));
    assert_eq!(get(&old, &url).await.0, 200, "its second use");
    let (status, body) = get(&old, &url).await;
    assert_eq!((status, body), (401, json!({"code": 401, "message": "Unauthorized"})));

    let new = client(&format!("Bearer {}", cloud_token(&fake).await));
    assert_eq!(get(&new, &url).await.0, 200);
    assert_eq!(get(&new, &url).await.0, 200);
    assert_eq!(get(&new, &url).await.0, 401);
    fake.set_access_token_uses(None);
    assert_eq!(get(&new, &url).await.0, 200, "no expiry again");
    assert_eq!(fake.token_exchanges(), 2);
}

#[tokio::test]
async fn tenant_info_names_the_cloud_id_without_auth() {
    let gateway = FakeConfluence::start_cloud_gateway(USER, TOKEN, "c0ffee-1234").await;
    let site = FakeConfluence::start_cloud(USER, TOKEN).await;
    assert_eq!(gateway.cloud_id(), "c0ffee-1234");
    assert_eq!(site.cloud_id(), "f2b6c1e4-0000-4000-8000-fakec1oud000");
    for fake in [&gateway, &site] {
        let (status, body) = get(&reqwest::Client::new(), &format!("{}/_edge/tenant_info", fake.origin())).await;
        assert_eq!((status, body), (200, json!({"cloudId": fake.cloud_id()})));
        let requests = fake.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!((requests[0].method.as_str(), requests[0].path.as_str()), ("GET", "/_edge/tenant_info"));
    }
}

#[tokio::test]
async fn datacenter_exchange_takes_a_form_and_its_tokens_expire_with_the_usual_401() {
    let fake = FakeConfluence::start_datacenter(TOKEN, "/confluence").await;
    let root = fake.seed_demo().root_page_id;
    fake.add_client_credentials(ID, SECRET);
    assert_eq!(fake.oauth_token_url(), format!("{}/rest/oauth2/latest/token", fake.base_url()));

    let form = format!("grant_type=client_credentials&client_id={ID}&client_secret={SECRET}&scope=WRITE");
    let (status, body) = exchange_form(&fake, &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], "WRITE");
    assert!(body.get("refresh_token").is_none());
    let token = body["access_token"].as_str().unwrap().to_string();

    let (status, body) =
        exchange_form(&fake, &format!("grant_type=client_credentials&client_id={ID}&client_secret=x")).await;
    assert_eq!((status, body["error"].clone()), (401, json!("invalid_client")));
    let (status, body) =
        exchange_form(&fake, &format!("grant_type=authorization_code&client_id={ID}&client_secret={SECRET}")).await;
    assert_eq!((status, body["error"].clone()), (400, json!("unsupported_grant_type")));
    let (status, body) = exchange_json(&fake, &grant(ID, SECRET)).await;
    assert_eq!((status, body["error"].clone()), (400, json!("invalid_request")), "a form, not JSON");

    let http = client(&format!("Bearer {token}"));
    let url = format!("{}/rest/api/content/{root}", fake.base_url());
    let resp = http.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["x-ausername"], "admin");
    fake.set_access_token_uses(Some(1));
    let (status, ct, _) = raw(http.get(&url)).await;
    assert_eq!(status, 401);
    assert!(ct.starts_with("text/html"), "{ct}");
    // Expired stays 401 also where a wrong token would be served as anonymous.
    fake.set_anonymous_for_wrong_token(true);
    assert_eq!(raw(http.get(&url)).await.0, 401);
    assert_eq!(fake.token_exchanges(), 1);
    assert!(fake.requests().iter().any(|r| r.path == "/confluence/rest/oauth2/latest/token"));
}
