//! The Page token, whose Debug and Display never show it, and
//! `appsecret_proof`. `AppSecret` itself lives in `crate::secret`, since
//! the webhook receiver needs it without the client.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

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
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(token.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}
