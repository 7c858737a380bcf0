//! The test API for service accounts (OAuth 2.0 client credentials): registering credentials,
//! the token endpoint's URL, how long issued access tokens last, how many were issued; and
//! Cloud's cloud id (`GET {origin}/_edge/tenant_info`).

use super::start::FakeConfluence;
use crate::model::Flavor;

impl FakeConfluence {
    /// Registers a service account's OAuth 2.0 client credentials; its token endpoint is `oauth_token_url()`.
    pub fn add_client_credentials(&self, client_id: &str, client_secret: &str) {
        self.shared.lock().oauth.add_client(client_id, client_secret);
    }

    /// Cloud `{origin}/oauth/token`, Data Center `{base_url}/rest/oauth2/latest/token`.
    pub fn oauth_token_url(&self) -> String {
        match self.flavor() {
            Flavor::Cloud => format!("{}/oauth/token", self.origin()),
            Flavor::DataCenter => format!("{}/rest/oauth2/latest/token", self.base_url()),
        }
    }

    /// From now on an access token answers 401 (as after its hour) once `uses` requests were served with it; `None` = never expires (the default). Applies to tokens issued before and after the call.
    pub fn set_access_token_uses(&self, uses: Option<usize>) {
        self.shared.lock().oauth.set_max_uses(uses);
    }

    /// How many exchanges were answered with an access token.
    pub fn token_exchanges(&self) -> usize {
        self.shared.lock().oauth.exchanges
    }

    /// Cloud: what `GET {origin}/_edge/tenant_info` answers as `cloudId`: the gateway's cloud id
    /// in gateway mode, `f2b6c1e4-0000-4000-8000-fakec1oud000` on the site URL. Panics on Data
    /// Center.
    pub fn cloud_id(&self) -> String {
        assert_eq!(self.flavor(), Flavor::Cloud, "fake-confluence: the cloud id is Cloud's");
        self.shared.cfg.cloud_id.clone()
    }
}
