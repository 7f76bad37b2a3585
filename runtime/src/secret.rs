//! The app secret, shared by the client (`appsecret_proof`) and the webhook
//! receiver (`X-Hub-Signature-256`), so it exists without either feature.

use std::fmt;

/// An app secret: it keys `appsecret_proof` on sends and the
/// `X-Hub-Signature-256` of incoming webhooks. Its Debug and Display print
/// `AppSecret(***)` and `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct AppSecret(String);

impl AppSecret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> AppSecret {
        AppSecret(secret.into())
    }

    /// The secret itself, for the HMAC that uses it as its key.
    #[cfg_attr(
        not(any(feature = "client", feature = "webhook")),
        allow(dead_code, reason = "only the client and webhook features key an HMAC")
    )]
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AppSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppSecret(***)")
    }
}

impl fmt::Display for AppSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for AppSecret {
    fn from(s: String) -> Self {
        AppSecret(s)
    }
}

impl From<&str> for AppSecret {
    fn from(s: &str) -> Self {
        AppSecret(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_printed() {
        let s = AppSecret::new("hunter2");
        assert_eq!(format!("{s:?}"), "AppSecret(***)");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{:?}", Some(&s)), "Some(AppSecret(***))");
    }
}
