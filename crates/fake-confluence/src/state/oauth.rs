//! Service accounts: OAuth 2.0 client credentials registered by tests, the access tokens the
//! token endpoint issued, how often each was used, and when tokens stop working (as after their
//! hour).

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher as _;

use crate::model::util::now_ms;

/// What a Bearer credential is, as far as issued access tokens go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenCheck {
    /// Not an access token the token endpoint issued.
    NotIssued,
    /// An issued access token still within its uses.
    Valid,
    /// An issued access token past its uses (401).
    Expired,
}

/// Why a token exchange was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExchangeError {
    /// Unknown client id or wrong secret.
    InvalidClient,
}

/// Client credentials and the access tokens issued for them.
#[derive(Debug, Default)]
pub(crate) struct OAuth {
    /// client id → secret.
    clients: HashMap<String, String>,
    /// access token → requests served with it so far.
    tokens: HashMap<String, usize>,
    /// A token answers 401 once this many requests were served with it; `None`: never.
    max_uses: Option<usize>,
    /// Exchanges answered with an access token.
    pub exchanges: usize,
    /// Makes tokens differ between fakes and runs.
    seed: RandomState,
}

impl OAuth {
    pub fn add_client(&mut self, id: &str, secret: &str) {
        self.clients.insert(id.to_string(), secret.to_string());
    }

    pub fn set_max_uses(&mut self, uses: Option<usize>) {
        self.max_uses = uses;
    }

    /// Checks the client's credentials and issues a new access token.
    pub fn exchange(&mut self, client_id: &str, secret: &str) -> Result<String, ExchangeError> {
        if self.clients.get(client_id).is_none_or(|s| s != secret) {
            return Err(ExchangeError::InvalidClient);
        }
        self.exchanges += 1;
        let n = self.exchanges as u64;
        let a = self.seed.hash_one((client_id, n, now_ms()));
        let b = self.seed.hash_one((a, n));
        let token = format!("fake-at.{a:016x}{b:016x}");
        self.tokens.insert(token.clone(), 0);
        Ok(token)
    }

    /// A request arrived with `Bearer {token}`: counts the use if the token was issued and says
    /// whether it still works.
    pub fn use_token(&mut self, token: &str) -> TokenCheck {
        let Some(uses) = self.tokens.get_mut(token) else {
            return TokenCheck::NotIssued;
        };
        if self.max_uses.is_some_and(|max| *uses >= max) {
            return TokenCheck::Expired;
        }
        *uses += 1;
        TokenCheck::Valid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_expire_after_their_uses_and_new_ones_work() {
        let mut oauth = OAuth::default();
        oauth.add_client("id", "secret");
        assert_eq!(oauth.exchange("id", "nope"), Err(ExchangeError::InvalidClient));
        assert_eq!(oauth.exchange("other", "secret"), Err(ExchangeError::InvalidClient));
        let first = oauth.exchange("id", "secret").unwrap();
        assert_eq!(oauth.use_token(&first), TokenCheck::Valid);
        oauth.set_max_uses(Some(2));
        assert_eq!(oauth.use_token(&first), TokenCheck::Valid);
        assert_eq!(oauth.use_token(&first), TokenCheck::Expired);
        let second = oauth.exchange("id", "secret").unwrap();
        assert_ne!(first, second);
        assert_eq!(oauth.use_token(&second), TokenCheck::Valid);
        assert_eq!(oauth.use_token("never-issued"), TokenCheck::NotIssued);
        assert_eq!(oauth.exchanges, 2);
    }
}
