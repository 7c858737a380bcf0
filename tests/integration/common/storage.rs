//! Storage-format bodies for the body-rule tests: the storage module's fixtures, and how to build
//! the exact body a change should give from its source.

pub const KOREAN_TEAM: &str = include_str!("../../../src/storage/fixtures/korean_team.xml");
pub const SECOND_TEAM: &str = include_str!("../../../src/storage/fixtures/second_team.xml");
pub const PER_PERSON: &str = include_str!("../../../src/storage/fixtures/per_person.xml");
pub const CODE_AND_TASKS: &str = include_str!("../../../src/storage/fixtures/code_and_tasks.xml");

// The same helpers as the storage module's own tests: one file, included by path.
#[path = "../../../src/storage/tests/support.rs"]
mod support;
pub use support::{between, swapped};

/// Whether any string inside `value` (a JSON request body) is exactly `text`.
pub fn holds_string(value: &serde_json::Value, text: &str) -> bool {
    match value {
        serde_json::Value::String(s) => s == text,
        serde_json::Value::Array(items) => items.iter().any(|v| holds_string(v, text)),
        serde_json::Value::Object(map) => map.values().any(|v| holds_string(v, text)),
        _ => false,
    }
}
