//! Service accounts: the OAuth 2.0 client-credentials token endpoint (Cloud `POST
//! {origin}/oauth/token` with a JSON body, like auth.atlassian.com; Data Center `POST
//! {base}/rest/oauth2/latest/token` with a form body) and Cloud's `GET {origin}/_edge/tenant_info`.
//! Neither needs an `Authorization` header. Issued tokens are accepted by `auth::viewer`.

use axum::http::HeaderValue;
use axum::http::header;
use axum::response::Response;
use serde_json::{Value, json};

use crate::model::{Flavor, Req, util};
use crate::state::{ExchangeError, Shared};

/// How long an issued token says it lasts (its real end is the uses a test allows).
const EXPIRES_IN: u64 = 3600;

/// The scopes a Cloud token is granted when the request names none.
const CLOUD_SCOPES: &str = "read:page:confluence write:page:confluence read:folder:confluence \
read:hierarchical-content:confluence read:label:confluence write:label:confluence \
read:attachment:confluence write:attachment:confluence read:content.property:confluence \
write:content.property:confluence read:content-details:confluence write:confluence-content \
search:confluence read:content.restriction:confluence write:content.restriction:confluence \
read:space:confluence read:user:confluence";

fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    let mut resp = util::json(status, &json!({"error": error, "error_description": description}));
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// The request's parameters: Cloud a JSON object (of strings), Data Center a form. `None`: not
/// parseable as such.
fn parameters(sh: &Shared, req: &Req) -> Option<Vec<(String, String)>> {
    match sh.cfg.flavor {
        Flavor::Cloud => {
            if !util::has_content_type(&req.headers, "application/json") {
                return None;
            }
            let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&req.body) else {
                return None;
            };
            map.into_iter()
                .map(|(k, v)| match v {
                    Value::String(s) => Some((k, s)),
                    _ => None,
                })
                .collect()
        }
        Flavor::DataCenter => {
            if !util::has_content_type(&req.headers, "application/x-www-form-urlencoded") {
                return None;
            }
            let body = std::str::from_utf8(&req.body).ok()?;
            Some(util::parse_query(body))
        }
    }
}

/// `POST` to the token endpoint: `grant_type=client_credentials`, `client_id`, `client_secret`
/// (and, optionally, `scope`).
pub(crate) fn token(sh: &Shared, req: &Req) -> Response {
    if req.method != "POST" {
        return oauth_error(405, "invalid_request", "The token endpoint only accepts POST");
    }
    let Some(params) = parameters(sh, req) else {
        let expected = match sh.cfg.flavor {
            Flavor::Cloud => "a JSON object of strings",
            Flavor::DataCenter => "an application/x-www-form-urlencoded body",
        };
        return oauth_error(400, "invalid_request", &format!("The request body must be {expected}"));
    };
    let param = |name: &str| util::param(&params, name).filter(|v| !v.is_empty());
    match param("grant_type") {
        Some("client_credentials") => {}
        Some(other) => {
            return oauth_error(400, "unsupported_grant_type", &format!("Unsupported grant type: {other}"));
        }
        None => return oauth_error(400, "unsupported_grant_type", "Missing grant type"),
    }
    let (Some(client_id), Some(secret)) = (param("client_id"), param("client_secret")) else {
        return oauth_error(400, "invalid_request", "client_id and client_secret are required");
    };
    let issued = sh.lock().oauth.exchange(client_id, secret);
    match issued {
        Ok(access_token) => {
            let scope = param("scope").unwrap_or(match sh.cfg.flavor {
                Flavor::Cloud => CLOUD_SCOPES,
                Flavor::DataCenter => "WRITE",
            });
            let mut resp = util::json(
                200,
                &json!({
                    "access_token": access_token,
                    "token_type": "Bearer",
                    "expires_in": EXPIRES_IN,
                    "scope": scope,
                }),
            );
            resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            resp
        }
        Err(ExchangeError::InvalidClient) => oauth_error(401, "invalid_client", "Client authentication failed"),
    }
}

/// Cloud `GET {origin}/_edge/tenant_info`: `{"cloudId"}`, no auth.
pub(crate) fn tenant_info(sh: &Shared, req: &Req) -> Response {
    if req.method != "GET" {
        return util::text(405, "Method Not Allowed");
    }
    util::json(200, &json!({"cloudId": sh.cfg.cloud_id}))
}
