//! Page restrictions (v1, both flavours; Data Center also under `/rest/experimental`):
//! `GET|PUT|POST|DELETE /rest/api/content/{id}/restriction`,
//! `GET …/restriction/byOperation` and `GET …/restriction/byOperation/{operation}`.
//! Users are named by `username` or `userKey` (Data Center) or `accountId` (Cloud), groups by
//! `name` (or, on Cloud, `id`). Unknown users or groups are refused with 400, all or nothing.

use std::hash::{DefaultHasher, Hash, Hasher};

use axum::response::Response;
use serde_json::{Value, json};

use crate::model::{Flavor, Req, util};
use crate::routes::auth;
use crate::routes::v1::{self, viewer};
use crate::state::{Op, PageRec, Restrictions, Shared, State};

/// `rest` is what follows `restriction` in the path.
pub(crate) fn route(sh: &Shared, req: &Req, page_id: &str, rest: &[&str]) -> Response {
    match (req.method.as_str(), rest) {
        ("GET", []) => read(sh, req, page_id, array_json),
        ("PUT" | "POST", []) => write(sh, req, page_id),
        ("DELETE", []) => {
            let mut st = sh.lock();
            if st.visible_page(page_id, viewer(req)).is_none() {
                return v1::no_content(page_id);
            }
            if let Some(page) = st.page_mut(page_id) {
                page.restrictions = Restrictions::default();
            }
            let page = st.page(page_id).expect("checked above");
            util::json(200, &array_json(sh, &st, page))
        }
        ("GET", ["byOperation"]) => read(sh, req, page_id, |sh, st, page| {
            let mut map = json!({"_links": {"base": sh.cfg.base(), "context": sh.cfg.context()}});
            for op in Op::ALL {
                map[op.as_str()] = restriction_json(sh, st, page, op);
            }
            map
        }),
        ("GET", ["byOperation", op]) => match Op::parse(op) {
            Some(op) => read(sh, req, page_id, |sh, st, page| restriction_json(sh, st, page, op)),
            None => v1::error(400, &format!("Unsupported restriction operation: {op}")),
        },
        (_, [] | ["byOperation"] | ["byOperation", _]) => v1::method_not_allowed(),
        _ => v1::no_resource(sh, req),
    }
}

fn read(sh: &Shared, req: &Req, page_id: &str, render: impl Fn(&Shared, &State, &PageRec) -> Value) -> Response {
    let st = sh.lock();
    match st.visible_page(page_id, viewer(req)) {
        Some(page) => util::json(200, &render(sh, &st, page)),
        None => v1::no_content(page_id),
    }
}

fn group_json(sh: &Shared, st: &State, name: &str) -> Value {
    let mut v = json!({
        "type": "group",
        "name": name,
        "_links": {"self": format!("{}/rest/api/group/{}", sh.cfg.base(), util::encode_segment(name))},
    });
    if sh.cfg.flavor == Flavor::Cloud {
        v["id"] = json!(st.dir.group(name).map(|g| g.id.clone()));
    }
    v
}

/// One operation's `ContentRestriction`.
fn restriction_json(sh: &Shared, st: &State, page: &PageRec, op: Op) -> Value {
    let users: Vec<Value> = page.restrictions.users(op).iter().map(|u| auth::user_json(sh, st, u)).collect();
    let groups: Vec<Value> = page.restrictions.groups(op).iter().map(|g| group_json(sh, st, g)).collect();
    json!({
        "operation": op.as_str(),
        "restrictions": {
            "user": {"results": users, "start": 0, "limit": 200, "size": users.len()},
            "group": {"results": groups, "start": 0, "limit": 200, "size": groups.len()},
        },
        "_expandable": {"content": format!("/rest/api/content/{}", page.id)},
        "_links": {
            "self": format!("{}/rest/api/content/{}/restriction/byOperation/{}", sh.cfg.base(), page.id, op.as_str()),
        },
    })
}

/// `ContentRestrictionArray`: both operations.
fn array_json(sh: &Shared, st: &State, page: &PageRec) -> Value {
    let results: Vec<Value> = Op::ALL.iter().map(|op| restriction_json(sh, st, page, *op)).collect();
    let mut hasher = DefaultHasher::new();
    format!("{:?}", page.restrictions).hash(&mut hasher);
    json!({
        "results": results,
        "start": 0,
        "limit": 100,
        "size": results.len(),
        "restrictionsHash": format!("{:016x}", hasher.finish()),
        "_links": {
            "base": sh.cfg.base(),
            "context": sh.cfg.context(),
            "self": format!("{}/rest/api/content/{}/restriction", sh.cfg.base(), page.id),
        },
    })
}

/// `PUT` replaces all restrictions with the body's; `POST` adds the body's to the existing ones.
fn write(sh: &Shared, req: &Req, page_id: &str) -> Response {
    if !util::has_content_type(&req.headers, "application/json") {
        return v1::unsupported_media_type();
    }
    let body: Value = match serde_json::from_slice(&req.body) {
        Ok(v) => v,
        Err(e) => return v1::error(400, &format!("Could not parse the restrictions: {e}")),
    };
    let mut st = sh.lock();
    if st.visible_page(page_id, viewer(req)).is_none() {
        return v1::no_content(page_id);
    }
    let wanted = match parse(sh.cfg.flavor, &st, &body) {
        Ok(r) => r,
        Err(message) => return v1::error(400, &message),
    };
    let page = st.page_mut(page_id).expect("checked above");
    if req.method == "PUT" {
        page.restrictions = wanted;
    } else {
        for op in Op::ALL {
            for u in wanted.users(op) {
                if !page.restrictions.users(op).contains(u) {
                    page.restrictions.users_mut(op).push(u.clone());
                }
            }
            for g in wanted.groups(op) {
                if !page.restrictions.groups(op).contains(g) {
                    page.restrictions.groups_mut(op).push(g.clone());
                }
            }
        }
    }
    let page = st.page(page_id).expect("checked above");
    util::json(200, &array_json(sh, &st, page))
}

/// `ContentRestrictionAddOrUpdateArray` (an array, or `{"results": [...]}`) to restrictions,
/// resolving every user and group against the directory.
fn parse(flavor: Flavor, st: &State, body: &Value) -> Result<Restrictions, String> {
    let items = match body {
        Value::Array(items) => items,
        Value::Object(o) => o.get("results").and_then(Value::as_array).ok_or("Expected an array of restrictions")?,
        _ => return Err("Expected an array of restrictions".into()),
    };
    let mut out = Restrictions::default();
    for item in items {
        let op = item.get("operation").and_then(Value::as_str).ok_or("Every restriction needs an operation")?;
        let op = Op::parse(op).ok_or_else(|| format!("Unsupported restriction operation: {op}"))?;
        let r = item.get("restrictions").ok_or("Every restriction needs a 'restrictions' object")?;
        let users = match r.get("user") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a.clone(),
            Some(o) => {
                o.get("results").and_then(Value::as_array).cloned().ok_or("restrictions.user must be an array")?
            }
        };
        for user in &users {
            let name = resolve_user(flavor, st, user)?;
            if !out.users(op).contains(&name) {
                out.users_mut(op).push(name);
            }
        }
        let groups = match r.get("group") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a.clone(),
            Some(o) => {
                o.get("results").and_then(Value::as_array).cloned().ok_or("restrictions.group must be an array")?
            }
        };
        for group in &groups {
            let name = resolve_group(flavor, st, group)?;
            if !out.groups(op).contains(&name) {
                out.groups_mut(op).push(name);
            }
        }
    }
    Ok(out)
}

fn field<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    v.get(name).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn resolve_user(flavor: Flavor, st: &State, user: &Value) -> Result<String, String> {
    let found = match flavor {
        Flavor::DataCenter => match (field(user, "username"), field(user, "userKey")) {
            (Some(name), _) => st.dir.user(name).ok_or_else(|| format!("No user found with username: {name}"))?,
            (None, Some(key)) => st.dir.user_by_key(key).ok_or_else(|| format!("No user found with userKey: {key}"))?,
            (None, None) => return Err("A user must be given by username or userKey".into()),
        },
        Flavor::Cloud => match field(user, "accountId") {
            Some(id) => st.dir.user(id).ok_or_else(|| format!("No user found with accountId: {id}"))?,
            None => return Err("A user must be given by accountId".into()),
        },
    };
    Ok(found.name.clone())
}

fn resolve_group(flavor: Flavor, st: &State, group: &Value) -> Result<String, String> {
    let found = match (field(group, "name"), field(group, "id")) {
        (Some(name), _) => st.dir.group(name).ok_or_else(|| format!("No group found with name: {name}"))?,
        (None, Some(id)) if flavor == Flavor::Cloud => {
            st.dir.group_by_id(id).ok_or_else(|| format!("No group found with id: {id}"))?
        }
        _ => return Err("A group must be given by name".into()),
    };
    Ok(found.name.clone())
}
