//! Storage-format bodies for the body-rule tests: the storage module's fixtures, and how to build
//! the exact body a change should give from its source.

pub const KOREAN_TEAM: &str = include_str!("../../../src/storage/fixtures/korean_team.xml");
pub const SECOND_TEAM: &str = include_str!("../../../src/storage/fixtures/second_team.xml");
pub const PER_PERSON: &str = include_str!("../../../src/storage/fixtures/per_person.xml");
pub const CODE_AND_TASKS: &str = include_str!("../../../src/storage/fixtures/code_and_tasks.xml");

/// `src` with each `old` (which must occur exactly once in it) replaced by `new`: the expected
/// body of a change that touches those spans and nothing else.
pub fn swapped(src: &str, swaps: &[(&str, &str)]) -> String {
    let mut spans: Vec<(usize, usize, &str)> = swaps
        .iter()
        .map(|&(old, new)| {
            assert_eq!(src.matches(old).count(), 1, "`{old}` must occur once in the source");
            let at = src.find(old).unwrap();
            (at, at + old.len(), new)
        })
        .collect();
    spans.sort();
    let (mut out, mut at) = (String::new(), 0);
    for (start, end, new) in spans {
        assert!(start >= at, "swaps overlap");
        out.push_str(&src[at..start]);
        out.push_str(new);
        at = end;
    }
    out + &src[at..]
}

/// The part of `src` from the start of `first` to the end of the next `last`.
pub fn between<'a>(src: &'a str, first: &str, last: &str) -> &'a str {
    let start = src.find(first).expect("first marker");
    let end = start + src[start..].find(last).expect("last marker") + last.len();
    &src[start..end]
}

/// Whether any string inside `value` (a JSON request body) is exactly `text`.
pub fn holds_string(value: &serde_json::Value, text: &str) -> bool {
    match value {
        serde_json::Value::String(s) => s == text,
        serde_json::Value::Array(items) => items.iter().any(|v| holds_string(v, text)),
        serde_json::Value::Object(map) => map.values().any(|v| holds_string(v, text)),
        _ => false,
    }
}
