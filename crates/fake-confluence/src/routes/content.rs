//! A page in v1 `Content` shape, with `expand` handling: Data Center's content endpoints and
//! Cloud's copy endpoint answer with it.

use serde_json::{Map, Value, json};

use crate::model::util::{self, title_for_url};
use crate::model::{Flavor, Req};
use crate::routes::{auth, v1};
use crate::state::{PageRec, Shared, State};

/// The `expand` parameter: a comma list such as `space,body.storage,version`.
pub(crate) struct Expand(Vec<String>);

impl Expand {
    pub fn from(req: &Req) -> Expand {
        Expand(util::param_list(&req.query, "expand"))
    }

    pub fn of(items: &[&str]) -> Expand {
        Expand(items.iter().map(|s| s.to_string()).collect())
    }

    pub fn none() -> Expand {
        Expand(Vec::new())
    }

    /// `name` itself or anything below it (`body` is expanded by `body.storage`).
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|e| e == name || e.strip_prefix(name).is_some_and(|r| r.starts_with('.')))
    }
}

/// Titles DC puts into `/display/KEY/Title` URLs; others get `viewpage.action?pageId=`.
fn safe_for_display_url(title: &str) -> bool {
    title.is_ascii() && !title.contains(['?', '/', '\\', '&', ';', '+', '%', '#', ':'])
}

fn webui(sh: &Shared, page: &PageRec) -> String {
    match sh.cfg.flavor {
        Flavor::Cloud => format!("/spaces/{}/pages/{}/{}", page.space_key, page.id, title_for_url(&page.title)),
        Flavor::DataCenter if safe_for_display_url(&page.title) => {
            format!("/display/{}/{}", page.space_key, title_for_url(&page.title))
        }
        Flavor::DataCenter => format!("/pages/viewpage.action?pageId={}", page.id),
    }
}

fn version_json(sh: &Shared, st: &State, page: &PageRec) -> Value {
    json!({
        "by": auth::user_json(sh, st, &st.dir.me),
        "when": util::iso8601(page.created_ms),
        "message": "",
        "number": page.version,
        "minorEdit": page.minor_edit,
        "hidden": false,
        "_links": {"self": format!("{}/rest/experimental/content/{}/version/{}", sh.cfg.base(), page.id, page.version)},
        "_expandable": {"content": format!("/rest/api/content/{}", page.id)},
    })
}

fn history_json(sh: &Shared, st: &State, page: &PageRec) -> Value {
    json!({
        "latest": true,
        "createdBy": auth::user_json(sh, st, &st.dir.me),
        "createdDate": util::iso8601(page.created_ms),
        "_links": {"self": format!("{}/rest/api/content/{}/history", sh.cfg.base(), page.id)},
    })
}

/// A page in v1 shape. `single`: a single-entity response, whose `_links` carry `base` and
/// `context` (in lists those are top-level only).
pub(crate) fn content_json(sh: &Shared, st: &State, page: &PageRec, expand: &Expand, single: bool) -> Value {
    let base = sh.cfg.base();
    let id = &page.id;
    let mut expandable = Map::new();
    let mut put = |key: &str, value: String| {
        expandable.insert(key.to_string(), json!(value));
    };
    put("container", format!("/rest/api/space/{}", page.space_key));
    put("metadata", String::new());
    put("operations", String::new());
    put("children", format!("/rest/api/content/{id}/child"));
    put("restrictions", format!("/rest/api/content/{id}/restriction/byOperation"));
    put("history", format!("/rest/api/content/{id}/history"));
    put("ancestors", String::new());
    put("body", String::new());
    put("version", String::new());
    put("descendants", format!("/rest/api/content/{id}/descendant"));
    put("space", format!("/rest/api/space/{}", page.space_key));

    let mut v = json!({
        "id": id,
        "type": "page",
        "status": page.status.as_str(),
        "title": page.title,
        "extensions": {"position": st.position(page)},
    });
    if expand.has("space") {
        if let Some(space) = st.space_by_key(&page.space_key) {
            v["space"] = v1::space_json(sh, space);
        }
        expandable.remove("space");
    }
    if expand.has("version") {
        v["version"] = version_json(sh, st, page);
        expandable.remove("version");
    }
    if expand.has("history") {
        v["history"] = history_json(sh, st, page);
        expandable.remove("history");
    }
    if expand.has("ancestors") {
        let ancestors: Vec<Value> =
            st.shown_ancestors(page).into_iter().map(|a| content_json(sh, st, a, &Expand::none(), false)).collect();
        v["ancestors"] = json!(ancestors);
        expandable.remove("ancestors");
    }
    if expand.has("body") {
        let mut body_expandable = Map::new();
        for key in ["editor", "view", "export_view", "styled_view", "storage", "anonymous_export_view"] {
            body_expandable.insert(key.to_string(), json!(""));
        }
        let mut body = json!({});
        if expand.has("body.storage") {
            body["storage"] = json!({
                "value": page.body,
                "representation": "storage",
                "_expandable": {"content": format!("/rest/api/content/{id}")},
            });
            body_expandable.remove("storage");
        }
        body["_expandable"] = Value::Object(body_expandable);
        v["body"] = body;
        expandable.remove("body");
    }
    let mut links = json!({
        "webui": webui(sh, page),
        "edit": format!("/pages/resumedraft.action?draftId={id}"),
        "tinyui": util::tiny_ui(id),
        "self": format!("{base}/rest/api/content/{id}"),
    });
    if single {
        links["base"] = json!(base);
        links["context"] = json!(sh.cfg.context());
        links["collection"] = json!("/rest/api/content");
    }
    v["_links"] = links;
    v["_expandable"] = Value::Object(expandable);
    v
}
