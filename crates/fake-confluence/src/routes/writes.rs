//! What the flavours' page writes share: the JSON object a create or update sends, ids given as a
//! string or a number, and how a stale version or a parent a page cannot go under is worded.

use serde_json::Value;

use crate::model::Req;
use crate::state::MoveError;

/// An id given as a JSON string (not blank) or number.
pub(crate) fn id_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The request body as a JSON object; the error is the message of a 400.
pub(crate) fn json_object(req: &Req) -> Result<Value, String> {
    match serde_json::from_slice(&req.body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err("Expected a JSON object describing the content".to_string()),
        Err(e) => Err(format!("Unable to parse the request body: {e}")),
    }
}

/// The refusal (409) of an update whose `version.number` is not the current one + 1.
pub(crate) fn stale_message(current: u64) -> String {
    format!("Version must be incremented on update. Current version is: {current}")
}

/// The refusal of a parent page `id` cannot go under.
pub(crate) fn move_message(id: &str, err: &MoveError) -> String {
    match err {
        MoveError::NoPage(p) => format!("No content found with id: ContentId{{id={p}}}"),
        MoveError::NoParent(p) => format!("Could not move content {id}: the parent {p} does not exist"),
        MoveError::OtherSpace(p, space) => {
            format!("Could not move content {id}: the parent {p} is in space {space}; pages move within their space")
        }
        MoveError::Loop(p) => format!("Could not move content {id} under {p}: a page cannot be moved below itself"),
    }
}
