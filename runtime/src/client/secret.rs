//! The Page token, whose Debug and Display never show it, and
//! `appsecret_proof`. `AppSecret` itself lives in `crate::secret`, since
//! the webhook receiver needs it without the client.

use std::fmt;

use ring::hmac;

use crate::AppSecret;

/// A Page access token. Its Debug and Display print `PageToken(***)`; it
/// travels only in request bodies, never in URLs.
#[derive(Clone, PartialEq, Eq)]
pub struct PageToken(String);

impl PageToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> PageToken {
        PageToken(token.into())
    }

    /// The token itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PageToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PageToken(***)")
    }
}

impl fmt::Display for PageToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for PageToken {
    fn from(s: String) -> Self {
        PageToken(s)
    }
}

impl From<&str> for PageToken {
    fn from(s: &str) -> Self {
        PageToken(s.to_string())
    }
}

impl AppSecret {
    /// `appsecret_proof`: lower-case hex HMAC-SHA256 of `token`, keyed with
    /// the secret (Graph's "Securing requests").
    pub fn proof(&self, token: &PageToken) -> String {
        appsecret_proof(self.expose(), &token.0)
    }
}

/// HMAC-SHA256 of `token` keyed with `secret`, as lower-case hex.
pub fn appsecret_proof(secret: &str, token: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    hex::encode(hmac::sign(&key, token.as_bytes()))
}
