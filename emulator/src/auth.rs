//! Access tokens and `appsecret_proof`.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::answers::Refusal;

/// Checks the token and the proof of one call, in Graph's order: a token at
/// all, the configured token, then the proof when an app secret is
/// configured (missing or wrong).
pub(crate) fn check(
    expected_token: Option<&str>,
    app_secret: Option<&str>,
    token: Option<&str>,
    proof: Option<&str>,
) -> Result<(), Refusal> {
    let token = match token {
        Some(t) if !t.is_empty() => t,
        _ => return Err(Refusal::TokenRequired),
    };
    if let Some(expected) = expected_token
        && token != expected
    {
        return Err(Refusal::TokenInvalid);
    }
    if let Some(secret) = app_secret {
        let proof = match proof {
            Some(p) if !p.is_empty() => p,
            _ => return Err(Refusal::ProofMissing),
        };
        if !proof_matches(secret, token, proof) {
            return Err(Refusal::ProofInvalid);
        }
    }
    Ok(())
}

/// Whether `proof` is the lower-case hex HMAC-SHA256 of `token` keyed with
/// `secret`. The comparison of the MAC is constant-time (`verify_slice`).
fn proof_matches(secret: &str, token: &str, proof: &str) -> bool {
    let Some(tag) = hex_lower(proof) else {
        return false;
    };
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(token.as_bytes());
    mac.verify_slice(&tag).is_ok()
}

/// Decodes lower-case hex (Graph documents the proof as lower-case).
fn hex_lower(s: &str) -> Option<Vec<u8>> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        }
    }
    if !s.len().is_multiple_of(2) {
        return None;
    }
    s.as_bytes()
        .chunks(2)
        .map(|p| Some(nibble(p[0])? << 4 | nibble(p[1])?))
        .collect()
}

/// The token of a call from an `Authorization` header value:
/// `Bearer <token>` or Graph's older `OAuth <token>`.
pub(crate) fn bearer(header: &str) -> Option<String> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("oauth"))
        .then(|| rest.trim().to_string())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proof_check_follows_rfc4231_case_2() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let hex = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        assert!(proof_matches("Jefe", "what do ya want for nothing?", hex));
        assert!(!proof_matches("Jefe", "what do ya want for nothing!", hex));
        assert!(!proof_matches(
            "Jefe",
            "what do ya want for nothing?",
            &hex[..62]
        ));
        assert!(!proof_matches(
            "Jefe",
            "what do ya want for nothing?",
            &hex.to_uppercase()
        ));
    }

    #[test]
    fn bearer_header_forms() {
        assert_eq!(bearer("Bearer abc").as_deref(), Some("abc"));
        assert_eq!(bearer("bearer  abc ").as_deref(), Some("abc"));
        assert_eq!(bearer("OAuth abc").as_deref(), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer"), None);
    }
}
