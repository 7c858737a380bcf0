//! Expected-body helpers shared by the storage module's tests and the integration tests (which
//! include this file by path): no crate items, only `str` work.

/// The source with each `old` (which must occur exactly once in it) replaced by `new`: the
/// expected output of a change that touches those spans and nothing else.
pub fn swapped(src: &str, swaps: &[(&str, &str)]) -> String {
    let mut spans: Vec<(usize, usize, &str)> = swaps
        .iter()
        .map(|&(old, new)| {
            assert_eq!(src.matches(old).count(), 1, "`{old}` must occur once in the source");
            let at = src.find(old).unwrap_or_default();
            (at, at + old.len(), new)
        })
        .collect();
    spans.sort();
    let mut out = String::new();
    let mut at = 0;
    for (start, end, new) in spans {
        assert!(start >= at, "swaps overlap");
        out.push_str(&src[at..start]);
        out.push_str(new);
        at = end;
    }
    out + &src[at..]
}

/// The part of `src` from the start of `first` to the end of `last` (both unique).
pub fn between<'a>(src: &'a str, first: &str, last: &str) -> &'a str {
    let start = src.find(first).expect("first marker");
    let end = start + src[start..].find(last).expect("last marker") + last.len();
    &src[start..end]
}
