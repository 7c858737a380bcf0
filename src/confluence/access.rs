//! Page restrictions and content properties as REST v1 reads and writes them (the calls are
//! [`V1`](super::v1::V1)'s): who may view and edit a page, and the key/value data (page width,
//! app data) it carries.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Restrictions, UserId, Who};

/// `GET /rest/api/content/{id}/restriction/byOperation`.
#[derive(Deserialize)]
pub(super) struct ByOperation {
    #[serde(default)]
    read: Option<Operation>,
    #[serde(default)]
    update: Option<Operation>,
}

#[derive(Deserialize)]
struct Operation {
    restrictions: OperationRestrictions,
}

#[derive(Deserialize)]
struct OperationRestrictions {
    #[serde(default)]
    user: Option<Results<UserJson>>,
    #[serde(default)]
    group: Option<Results<GroupJson>>,
}

#[derive(Deserialize)]
struct Results<T> {
    results: Vec<T>,
}

#[derive(Deserialize, Serialize)]
struct UserJson {
    #[serde(rename = "accountId", default, skip_serializing_if = "Option::is_none")]
    account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(rename = "userKey", default, skip_serializing_if = "Option::is_none")]
    user_key: Option<String>,
}

#[derive(Deserialize)]
struct GroupJson {
    name: Option<String>,
    id: Option<String>,
}

/// One item of `GET /rest/api/content/{id}/property` (v1) or `GET /api/v2/pages/{page-id}/properties`
/// (v2: a `ContentProperty`), the fields read.
#[derive(Deserialize)]
pub(super) struct PropertyJson {
    pub(super) key: String,
    pub(super) value: Value,
}

impl Operation {
    fn who(self) -> Who {
        let users = self.restrictions.user.map(|u| u.results).unwrap_or_default();
        let groups = self.restrictions.group.map(|g| g.results).unwrap_or_default();
        Who {
            users: users
                .into_iter()
                .map(|u| UserId { account_id: u.account_id, username: u.username, user_key: u.user_key })
                .collect(),
            groups: groups.into_iter().filter_map(|g| g.name.or(g.id)).collect(),
        }
    }
}

impl ByOperation {
    pub(super) fn into_restrictions(self) -> Restrictions {
        Restrictions {
            read: self.read.map(Operation::who).unwrap_or_default(),
            update: self.update.map(Operation::who).unwrap_or_default(),
        }
    }
}

/// The body of `PUT /rest/api/content/{id}/restriction` that sets exactly `restrictions`.
pub(super) fn restrictions_body(restrictions: &Restrictions) -> Value {
    let operation = |name: &str, who: &Who| {
        let users: Vec<UserJson> = who
            .users
            .iter()
            .map(|u| UserJson {
                account_id: u.account_id.clone(),
                username: u.username.clone(),
                user_key: u.user_key.clone(),
            })
            .collect();
        let users: Vec<Value> = users
            .iter()
            .map(|u| {
                let mut user = serde_json::to_value(u).unwrap_or_default();
                user["type"] = json!("known");
                user
            })
            .collect();
        let groups: Vec<Value> = who.groups.iter().map(|name| json!({"type": "group", "name": name})).collect();
        // Confluence wants an empty list omitted, not sent.
        let mut restrictions = serde_json::Map::new();
        if !users.is_empty() {
            restrictions.insert("user".into(), Value::Array(users));
        }
        if !groups.is_empty() {
            restrictions.insert("group".into(), Value::Array(groups));
        }
        (!restrictions.is_empty()).then(|| json!({"operation": name, "restrictions": restrictions}))
    };
    let body: Vec<Value> = [operation("read", &restrictions.read), operation("update", &restrictions.update)]
        .into_iter()
        .flatten()
        .collect();
    Value::Array(body)
}
