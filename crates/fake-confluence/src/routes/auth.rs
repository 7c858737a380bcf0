//! Credentials → who a request is served as; users in JSON; `GET /rest/api/user/current`.

use axum::http::HeaderValue;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use crate::model::{Flavor, Req, Viewer, util};
use crate::routes::v1;
use crate::state::{Config, DC_ME, Shared, State, TokenCheck};

/// Data Center: `Bearer {token}` is the account; with `anonymous_for_wrong_token`, a wrong
/// Bearer token or none at all is the anonymous user; anything else is refused.
/// Cloud: only `Basic base64(user:token)`.
/// Both: `Bearer {access token}` issued by the token endpoint is the account while it is
/// [`TokenCheck::Valid`]; an expired one is refused (also where a wrong token is anonymous).
pub(crate) fn viewer(cfg: &Config, req: &Req, anonymous_for_wrong_token: bool, token: TokenCheck) -> Option<Viewer> {
    match token {
        TokenCheck::Valid => return Some(Viewer::Me),
        TokenCheck::Expired => return None,
        TokenCheck::NotIssued => {}
    }
    let header = req.authorization();
    let (scheme, credentials) = match header.map(|h| h.split_once(' ').unwrap_or((h, ""))) {
        Some(pair) => pair,
        None => {
            let anonymous = cfg.flavor == Flavor::DataCenter && anonymous_for_wrong_token;
            return anonymous.then_some(Viewer::Anonymous);
        }
    };
    match cfg.flavor {
        Flavor::DataCenter if scheme.eq_ignore_ascii_case("bearer") => {
            if credentials.trim() == cfg.token {
                Some(Viewer::Me)
            } else {
                anonymous_for_wrong_token.then_some(Viewer::Anonymous)
            }
        }
        Flavor::DataCenter => None,
        Flavor::Cloud => {
            let decoded = STANDARD.decode(credentials.trim()).ok()?;
            let ok =
                scheme.eq_ignore_ascii_case("basic") && decoded == format!("{}:{}", cfg.user, cfg.token).as_bytes();
            ok.then_some(Viewer::Me)
        }
    }
}

/// Data Center's 401 from its servlet filter: an HTML page, with
/// `X-Seraph-LoginReason: AUTHENTICATION_DENIED` when credentials were presented (a failed login).
pub(crate) fn dc_unauthorized(req: &Req) -> Response {
    let mut resp = util::html_error(401);
    if req.authorization().is_some() {
        resp.headers_mut().insert("x-seraph-loginreason", HeaderValue::from_static("AUTHENTICATION_DENIED"));
    }
    resp
}

/// Data Center names the user a response was served to in `X-AUSERNAME`.
pub(crate) fn add_dc_username(resp: &mut Response, viewer: Viewer) {
    let name = match viewer {
        Viewer::Me => DC_ME,
        Viewer::Anonymous => "anonymous",
    };
    resp.headers_mut().insert("x-ausername", HeaderValue::from_static(name));
}

fn picture(path: &str) -> Value {
    json!({"path": path, "width": 48, "height": 48, "isDefault": true})
}

/// A user (by `username` on Data Center, `accountId` on Cloud) in v1 shape.
pub(crate) fn user_json(sh: &Shared, st: &State, name: &str) -> Value {
    let me = name == st.dir.me;
    let base = sh.cfg.base();
    let given = st.dir.user(name).map(|u| u.display.as_str()).filter(|d| !d.is_empty());
    match sh.cfg.flavor {
        Flavor::DataCenter => {
            let key = st.dir.user(name).map(|u| u.key.clone()).unwrap_or_default();
            json!({
                "type": "known",
                "username": name,
                "userKey": key,
                "profilePicture": picture("/images/icons/profilepics/default.svg"),
                "displayName": given.unwrap_or(if me { "Administrator" } else { name }),
                "_links": {"self": format!("{base}/rest/api/user?key={key}")},
            })
        }
        Flavor::Cloud => {
            let display = name.rsplit(':').next().unwrap_or(name);
            json!({
                "type": "known",
                "accountId": name,
                "accountType": "atlassian",
                "email": if me { sh.cfg.user.as_str() } else { "" },
                "publicName": display,
                "displayName": given.unwrap_or(if me { "Report Bot" } else { display }),
                "profilePicture": picture("/wiki/aa-avatar/default.png"),
                "isExternalCollaborator": false,
                "_links": {"self": format!("{base}/rest/api/user?accountId={}", util::encode_segment(name))},
            })
        }
    }
}

/// `GET /rest/api/user/current`
pub(crate) fn current_user(sh: &Shared, req: &Req) -> Response {
    if req.method != "GET" {
        return v1::method_not_allowed();
    }
    let mut body = match req.viewer {
        Some(Viewer::Anonymous) => json!({
            "type": "anonymous",
            "profilePicture": picture("/images/icons/profilepics/anonymous.svg"),
            "displayName": "Anonymous",
            "_links": {},
        }),
        _ => {
            let st = sh.lock();
            user_json(sh, &st, &st.dir.me)
        }
    };
    body["_links"]["base"] = json!(sh.cfg.base());
    body["_links"]["context"] = json!(sh.cfg.context());
    util::json(200, &body)
}
