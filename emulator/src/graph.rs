//! Graph's error envelope and the ids Graph hands out.

use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value, json};

/// An error answer, before it gets its `fbtrace_id`. The emulator's own
/// answers are built from the spec's error table, those of the rules from
/// the violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GraphError {
    /// HTTP status: 400 for every Graph error, 404 for the catch-all.
    pub(crate) status: u16,
    pub(crate) code: u32,
    pub(crate) subcode: Option<u64>,
    pub(crate) error_type: String,
    pub(crate) message: String,
}

/// Graph's exception type where the spec's entry names none.
pub(crate) const OAUTH: &str = "OAuthException";

impl GraphError {
    /// The envelope with a fresh `fbtrace_id`.
    pub(crate) fn envelope(&self) -> Value {
        let mut e = Map::new();
        e.insert("message".into(), Value::String(self.message.clone()));
        e.insert("type".into(), Value::String(self.error_type.clone()));
        e.insert("code".into(), Value::from(self.code));
        if let Some(s) = self.subcode {
            e.insert("error_subcode".into(), Value::from(s));
        }
        e.insert("fbtrace_id".into(), Value::String(fbtrace_id()));
        json!({ "error": e })
    }
}

// --- ids -----------------------------------------------------------------

/// A per-process random seed, from std's randomly keyed SipHash.
fn seed() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    *SEED.get_or_init(|| std::hash::RandomState::new().build_hasher().finish())
}

/// splitmix64's finalizer: a bijection on u64, so distinct inputs give
/// distinct outputs.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A number no other call in this process gets, that looks random.
fn unique() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    mix(COUNTER.fetch_add(1, Ordering::Relaxed).wrapping_add(seed()))
}

/// Pseudo-random bytes (not for cryptography: ids only need to look random).
fn random_bytes(out: &mut [u8]) {
    for chunk in out.chunks_mut(8) {
        let mut h = std::hash::RandomState::new().build_hasher();
        h.write_u64(unique());
        let bytes = h.finish().to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
}

const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded base64url.
pub(crate) fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let ix = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(B64URL[ix as usize]));
        }
    }
    out
}

/// `m_` and 40 base64url characters; unique in this process.
pub(crate) fn message_id() -> String {
    let mut bytes = [0u8; 30];
    bytes[..8].copy_from_slice(&unique().to_be_bytes());
    random_bytes(&mut bytes[8..]);
    format!("m_{}", base64url(&bytes))
}

/// A 16-digit numeric id, like Graph's attachment ids.
pub(crate) fn attachment_id() -> String {
    (1_000_000_000_000_000 + unique() % 9_000_000_000_000_000).to_string()
}

/// A short id like Graph's `fbtrace_id`.
pub(crate) fn fbtrace_id() -> String {
    let mut bytes = [0u8; 18];
    random_bytes(&mut bytes);
    base64url(&bytes)
}

/// FNV-1a: a stable hash, the same in every run.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A stable, PSID-like 16-digit id standing for `value`.
pub(crate) fn derived_id(kind: &str, value: &str) -> String {
    let h = fnv(&format!("{kind}\u{0}{value}"));
    (1_000_000_000_000_000 + h % 9_000_000_000_000_000).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_rfc4648_vectors() {
        // RFC 4648 section 10, without padding.
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(b"foob"), "Zm9vYg");
        assert_eq!(base64url(b"fooba"), "Zm9vYmE");
        assert_eq!(base64url(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn ids_have_their_shapes() {
        let m = message_id();
        assert!(m.starts_with("m_") && m.len() == 42, "{m}");
        assert_ne!(m, message_id());
        let a = attachment_id();
        assert!(
            a.len() == 16 && a.bytes().all(|b| b.is_ascii_digit()),
            "{a}"
        );
        assert_eq!(derived_id("me", "T"), derived_id("me", "T"));
        assert_ne!(derived_id("me", "T"), derived_id("me", "U"));
    }
}
