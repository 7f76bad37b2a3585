//! The bytes of a webhook as Meta sends them, and their signatures.
//!
//! Meta signs the body it sends, and it sends JSON in an ASCII-only form:
//! every non-ASCII character as `\uXXXX` (lower-case hex, UTF-16 surrogate
//! pairs beyond the BMP) and `/` as `\/`. A receiver that re-serializes the
//! parsed body gets other bytes and a signature that does not match, which
//! is the mistake the emulator must let bots find.

use std::io;

use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use serde_json::ser::{Formatter, Serializer};
use sha1::Sha1;
use sha2::Sha256;

/// Compact JSON (the trait's defaults) with Meta's escapes inside strings.
struct MetaFormatter;

const HEX: &[u8; 16] = b"0123456789abcdef";

fn write_unit<W: ?Sized + io::Write>(w: &mut W, unit: u16) -> io::Result<()> {
    let d = |shift: u16| HEX[usize::from((unit >> shift) & 0xf)];
    w.write_all(&[b'\\', b'u', d(12), d(8), d(4), d(0)])
}

impl Formatter for MetaFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // serde_json has already escaped quotes, backslashes and controls;
        // a fragment holds the rest, which is written plain or escaped here.
        let mut plain = 0;
        for (i, c) in fragment.char_indices() {
            if c.is_ascii() && c != '/' {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[plain..i])?;
            if c == '/' {
                writer.write_all(b"\\/")?;
            } else {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write_unit(writer, *unit)?;
                }
            }
            plain = i + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[plain..])
    }
}

/// `value` as the bytes Meta would send.
pub(crate) fn meta_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    let mut ser = Serializer::with_formatter(&mut out, MetaFormatter);
    // Writing a Value into a Vec cannot fail: keys are strings, no I/O.
    let _ = value.serialize(&mut ser);
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]])
        .map(char::from)
        .collect()
}

/// `sha256=<hex>`: the `X-Hub-Signature-256` value of `body`.
pub(crate) fn sha256_header(secret: &str, body: &[u8]) -> String {
    // HMAC takes keys of any length; the error arm cannot happen.
    let tag = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .map(|mac| mac.chain_update(body).finalize().into_bytes().to_vec())
        .unwrap_or_default();
    format!("sha256={}", hex(&tag))
}

/// `sha1=<hex>`: the older `X-Hub-Signature` value of `body`.
pub(crate) fn sha1_header(secret: &str, body: &[u8]) -> String {
    let tag = <Hmac<Sha1> as KeyInit>::new_from_slice(secret.as_bytes())
        .map(|mac| mac.chain_update(body).finalize().into_bytes().to_vec())
        .unwrap_or_default();
    format!("sha1={}", hex(&tag))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn non_ascii_and_slash_are_escaped_like_meta() {
        let v = json!({"n": 1, "text": "äöå é 😀 https://x.y/z \"q\" \\ \n\u{1}"});
        let text = String::from_utf8(meta_bytes(&v)).unwrap();
        assert_eq!(
            text,
            r#"{"n":1,"text":"\u00e4\u00f6\u00e5 \u00e9 \ud83d\ude00 https:\/\/x.y\/z \"q\" \\ \n\u0001"}"#
        );
        assert!(text.is_ascii());
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn signatures_follow_rfc_vectors() {
        // RFC 4231 case 2 and RFC 2202 case 2: key "Jefe".
        let data = b"what do ya want for nothing?";
        assert_eq!(
            sha256_header("Jefe", data),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            sha1_header("Jefe", data),
            "sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
    }
}
