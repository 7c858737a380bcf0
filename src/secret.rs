//! Values that must never be printed: the Confluence token, client secrets, access tokens and
//! webhook URLs.

use std::fmt;
use std::sync::Arc;

/// A secret string. `Debug` and `Display` print `***`; only [`Secret::expose`] reveals it,
/// and the only callers are the places that build an `Authorization` header or send a request.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value. Use it only to authenticate or to send a request, never to print.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// `text` with every non-empty secret's value (and, for a URL, its path and query, which is where
/// webhook URLs keep their key) replaced by `***`: for texts that leave the run, such as a failure
/// message posted to a chat.
pub fn redact(text: &str, secrets: &[&Secret]) -> String {
    let mut values: Vec<String> = Vec::new();
    for secret in secrets {
        let value = secret.expose().trim();
        if value.is_empty() {
            continue;
        }
        values.push(value.to_owned());
        if let Ok(url) = url::Url::parse(value) {
            let rest = &url[url::Position::BeforePath..];
            if rest.len() > 1 {
                values.push(rest.to_owned());
            }
        }
    }
    // Longest first, so that a secret containing another is hidden whole.
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    values.iter().fold(text.to_owned(), |text, value| text.replace(value.as_str(), "***"))
}

/// Called with each secret the run learns after it started (a service account's access tokens),
/// so that the printing side can have the CI runner hide it (GitHub's `::add-mask::`) before it
/// could ever show up. The library never prints; `main` passes a hook that does.
#[derive(Clone, Default)]
pub struct Masker(Option<Arc<Hook>>);

/// What a [`Masker`] calls with each new secret's value.
type Hook = dyn Fn(&str) + Send + Sync;

impl Masker {
    pub fn new(hook: impl Fn(&str) + Send + Sync + 'static) -> Self {
        Self(Some(Arc::new(hook)))
    }

    /// Hands a new secret to the hook, if there is one.
    pub fn mask(&self, secret: &Secret) {
        if let Some(hook) = &self.0 {
            hook(secret.expose());
        }
    }
}

impl fmt::Debug for Masker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "Masker(hook)" } else { "Masker(none)" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_never_reveals_the_value() {
        let s = Secret::new("hunter2-token");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(format!("{:?}", Some(&s)), "Some(Secret(***))");
        assert_eq!(s.expose(), "hunter2-token");
    }

    #[test]
    fn redact_hides_values_and_url_paths() {
        let token = Secret::new("tok-123");
        let hook = Secret::new("https://hooks.example.com/services/T0/B0/key?x=1");
        let text = "tok-123 at https://hooks.example.com/services/T0/B0/key?x=1 and /services/T0/B0/key?x=1";
        assert_eq!(redact(text, &[&token, &hook, &Secret::new("")]), "*** at *** and ***");
        assert_eq!(redact("nothing here", &[&token]), "nothing here");
    }

    #[test]
    fn the_masker_hands_each_secret_to_its_hook() {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = seen.clone();
        let masker = Masker::new(move |s| sink.lock().unwrap().push(s.to_owned()));
        masker.mask(&Secret::new("access-1"));
        Masker::default().mask(&Secret::new("nobody hears this"));
        assert_eq!(*seen.lock().unwrap(), ["access-1"]);
        assert_eq!(format!("{masker:?}"), "Masker(hook)");
    }
}
