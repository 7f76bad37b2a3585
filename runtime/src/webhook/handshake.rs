//! The subscription handshake: Meta's GET with `hub.mode`,
//! `hub.verify_token` and `hub.challenge`.

use std::fmt;

use ring::digest::{SHA256, digest};
use subtle::ConstantTimeEq;

use crate::WebhookError;

/// The verify token typed into the App Dashboard, which Meta sends back in
/// `hub.verify_token`. Its Debug and Display print `VerifyToken(***)` and
/// `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifyToken(String);

impl VerifyToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> VerifyToken {
        VerifyToken(token.into())
    }

    /// Whether `given` is this token, in constant time: both sides are
    /// hashed first, so neither the content nor the length leaks through
    /// timing. An empty token (an unset variable) matches nothing.
    fn matches(&self, given: &str) -> bool {
        if self.0.is_empty() {
            return false;
        }
        let expected = digest(&SHA256, self.0.as_bytes());
        let given = digest(&SHA256, given.as_bytes());
        bool::from(expected.as_ref().ct_eq(given.as_ref()))
    }
}

impl fmt::Debug for VerifyToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VerifyToken(***)")
    }
}

impl fmt::Display for VerifyToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for VerifyToken {
    fn from(s: String) -> Self {
        VerifyToken(s)
    }
}

impl From<&str> for VerifyToken {
    fn from(s: &str) -> Self {
        VerifyToken(s.to_string())
    }
}

/// The three handshake parameters, read from a query string or from
/// decoded pairs. Both Meta's dotted names (`hub.mode`) and the underscore
/// names PHP turns them into (`hub_mode`) are read; the first occurrence
/// wins, dotted before underscore.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct HandshakeQuery {
    /// `hub.mode`; Meta always sends `subscribe`.
    pub mode: Option<String>,
    /// `hub.verify_token`.
    pub verify_token: Option<String>,
    /// `hub.challenge`: opaque, echoed as is (documented as an integer,
    /// but Meta's own test uses `CHALLENGE_ACCEPTED`).
    pub challenge: Option<String>,
}

impl fmt::Debug for HandshakeQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandshakeQuery")
            .field("mode", &self.mode)
            .field("verify_token", &self.verify_token.as_ref().map(|_| "***"))
            .field("challenge", &self.challenge)
            .finish()
    }
}

impl HandshakeQuery {
    /// Reads a raw, percent-encoded query string (without the `?`). A
    /// parameter whose value does not decode to UTF-8 is left out, so that
    /// nothing but the exact challenge is ever echoed.
    pub fn from_query(query: &str) -> HandshakeQuery {
        HandshakeQuery::from_pairs(query.split('&').filter_map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((form_decode(name)?, form_decode(value)?))
        }))
    }

    /// Reads already decoded `(name, value)` pairs, as a framework's query
    /// extractor gives them.
    pub fn from_pairs<N, V>(pairs: impl IntoIterator<Item = (N, V)>) -> HandshakeQuery
    where
        N: AsRef<str>,
        V: Into<String>,
    {
        // Dotted names fill slots 0..3, underscore names 3..6.
        let mut found: [Option<String>; 6] = Default::default();
        for (name, value) in pairs {
            let slot = match name.as_ref() {
                "hub.mode" => 0,
                "hub.verify_token" => 1,
                "hub.challenge" => 2,
                "hub_mode" => 3,
                "hub_verify_token" => 4,
                "hub_challenge" => 5,
                _ => continue,
            };
            if found[slot].is_none() {
                found[slot] = Some(value.into());
            }
        }
        let [mode, token, challenge, mode_, token_, challenge_] = found;
        HandshakeQuery {
            mode: mode.or(mode_),
            verify_token: token.or(token_),
            challenge: challenge.or(challenge_),
        }
    }

    /// The challenge to answer with (HTTP 200, the challenge as the whole
    /// body, byte for byte), or why to refuse (answer
    /// [`WebhookError::http_status`], 403 for a wrong mode or token).
    pub fn answer(&self, expected: &VerifyToken) -> Result<&str, WebhookError> {
        if self.mode.as_deref() != Some("subscribe") {
            return Err(WebhookError::HandshakeMode(self.mode.clone()));
        }
        match &self.verify_token {
            Some(given) if expected.matches(given) => {}
            _ => return Err(WebhookError::HandshakeToken),
        }
        self.challenge
            .as_deref()
            .ok_or(WebhookError::HandshakeChallenge)
    }
}

/// Answers Meta's GET handshake from its raw query string: the challenge
/// to echo unchanged with a 200, or the refusal.
///
/// ```
/// use sendapi::webhook::{VerifyToken, handshake};
///
/// let token = VerifyToken::new("my-verify-token");
/// let query = "hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=CHALLENGE_ACCEPTED";
/// assert_eq!(handshake(query, &token).unwrap(), "CHALLENGE_ACCEPTED");
///
/// let wrong = "hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444";
/// assert_eq!(handshake(wrong, &token).unwrap_err().http_status(), 403);
/// ```
pub fn handshake(query: &str, expected: &VerifyToken) -> Result<String, WebhookError> {
    HandshakeQuery::from_query(query)
        .answer(expected)
        .map(str::to_string)
}

/// `application/x-www-form-urlencoded` decoding of one name or value:
/// `+` is a space, `%XX` a byte, a stray `%` itself. `None` unless the
/// bytes are UTF-8.
fn form_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'+' => out.push(b' '),
            b'%' => match bytes.get(i + 1..i + 3).and_then(hex_byte) {
                Some(decoded) => {
                    out.push(decoded);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn hex_byte(two: &[u8]) -> Option<u8> {
    let digit = |c: u8| (c as char).to_digit(16);
    Some((digit(two[0])? * 16 + digit(two[1])?) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(form_decode("a+b%20c").as_deref(), Some("a b c"));
        assert_eq!(form_decode("%C3%A9").as_deref(), Some("é"));
        assert_eq!(form_decode("100%").as_deref(), Some("100%"));
        assert_eq!(form_decode("%zz%4").as_deref(), Some("%zz%4"));
        assert_eq!(form_decode("%ff"), None);
    }

    #[test]
    fn names_and_precedence() {
        let q = HandshakeQuery::from_query(
            "hub_mode=subscribe&hub.verify_token=t&hub.verify_token=u&hub_challenge=x&hub.challenge=y",
        );
        assert_eq!(q.mode.as_deref(), Some("subscribe"));
        assert_eq!(q.verify_token.as_deref(), Some("t"));
        assert_eq!(q.challenge.as_deref(), Some("y"));
        assert!(!format!("{q:?}").contains("\"t\""));
    }

    #[test]
    fn token_compare() {
        let t = VerifyToken::new("secret");
        assert!(t.matches("secret"));
        assert!(!t.matches("secreT"));
        assert!(!t.matches("secret "));
        assert!(!t.matches(""));
        assert!(!VerifyToken::new("").matches(""));
        assert_eq!(format!("{t:?} {t}"), "VerifyToken(***) ***");
    }
}
