//! Errors as one line of text. A leaf: the reporter prints it, the failure message posts it.

/// An error and its causes on one line, as `anyhow` prints them with `{:#}`.
pub fn one_line(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
