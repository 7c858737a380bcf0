//! Page restrictions and content properties through REST v1, which both flavours share (the
//! rest of [`V1`]): who may view and edit a page, and the key/value data (page width, app data)
//! it carries.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::api::NextFrom;
use super::v1::{PAGE_SIZE, V1};
use super::{ApiError, Property, Restrictions, UserId, Who};

#[derive(Deserialize)]
struct ByOperation {
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

#[derive(Deserialize)]
struct PropertyJson {
    key: String,
    value: Value,
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

impl V1 {
    /// The page's view (`read`) and edit (`update`) restrictions.
    pub async fn restrictions(&self, page_id: &str) -> Result<Restrictions, ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{page_id}/restriction/byOperation"), &[]);
        let ops: ByOperation = self.api.get_json(url).await?;
        Ok(Restrictions {
            read: ops.read.map(Operation::who).unwrap_or_default(),
            update: ops.update.map(Operation::who).unwrap_or_default(),
        })
    }

    /// Replaces the page's restrictions with `restrictions` (users by the ids Confluence gave).
    pub async fn set_restrictions(&self, page_id: &str, restrictions: &Restrictions) -> Result<(), ApiError> {
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
        let url = self.api.url(&format!("/rest/api/content/{page_id}/restriction"), &[]);
        self.api.put_json(url, &Value::Array(body)).await
    }

    /// Every content property of the page.
    pub async fn properties(&self, page_id: &str) -> Result<Vec<Property>, ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{page_id}/property"), &[("limit", PAGE_SIZE)]);
        let items: Vec<PropertyJson> = self.api.all(url, NextFrom::Base).await?;
        Ok(items.into_iter().map(|p| Property { key: p.key, value: p.value }).collect())
    }

    /// Adds one content property to the page.
    pub async fn add_property(&self, page_id: &str, property: &Property) -> Result<(), ApiError> {
        let url = self.api.url(&format!("/rest/api/content/{page_id}/property"), &[]);
        let _: Value = self.api.post_json(url, &json!({"key": property.key, "value": property.value})).await?;
        Ok(())
    }
}
