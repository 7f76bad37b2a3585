//! Answers with the token and the proof blanked out.

use memchr::memmem::Finder;

use super::{Client, PageToken};

/// Tokens at least this long are blanked out of answers (real Page tokens
/// are well over 100 characters).
const MIN_REDACTED_TOKEN: usize = 16;

/// Searchers for the secrets `redact` blanks out, for
/// `Inner::secret_finders`.
pub(super) fn secret_finders(token: &PageToken, proof: Option<&str>) -> Vec<Finder<'static>> {
    [
        Some(token.expose()).filter(|t| t.len() >= MIN_REDACTED_TOKEN),
        proof,
    ]
    .into_iter()
    .flatten()
    .map(|s| Finder::new(s.as_bytes()).into_owned())
    .collect()
}

impl Client {
    /// The answer with the token and the proof blanked out. Graph does not
    /// echo them, but a proxy's error page or a misbehaving server may echo
    /// the request body, and the answer ends up in `Error::Http` snippets,
    /// Graph error messages and decode errors, which get logged. Tokens
    /// shorter than a real one (which is far longer) are left alone, so
    /// that a short test token cannot blank out ids that contain it.
    pub(super) fn redact(&self, body: bytes::Bytes) -> bytes::Bytes {
        let mut out: Option<Vec<u8>> = None;
        for finder in &self.inner.secret_finders {
            let current = out.as_deref().unwrap_or(&body);
            if let Some(replaced) = replace_all(current, finder, b"***") {
                out = Some(replaced);
            }
        }
        out.map_or(body, bytes::Bytes::from)
    }
}

/// `hay` with every `needle` replaced, or `None` when it has none.
fn replace_all(hay: &[u8], needle: &Finder<'_>, with: &[u8]) -> Option<Vec<u8>> {
    let len = needle.needle().len();
    if len == 0 {
        return None;
    }
    let mut hits = needle.find_iter(hay).peekable();
    hits.peek()?;
    let mut out = Vec::with_capacity(hay.len());
    let mut at = 0;
    for hit in hits {
        // Matches do not overlap; each byte is replaced at most once.
        if hit < at {
            continue;
        }
        out.extend_from_slice(&hay[at..hit]);
        out.extend_from_slice(with);
        at = hit + len;
    }
    out.extend_from_slice(&hay[at..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_all_replaces_every_occurrence_once() {
        let r =
            |hay: &[u8], needle: &[u8], with: &[u8]| replace_all(hay, &Finder::new(needle), with);
        assert_eq!(r(b"abcabc", b"abc", b"*"), Some(b"**".to_vec()));
        assert_eq!(r(b"aaaa", b"aa", b"*"), Some(b"**".to_vec()));
        assert_eq!(r(b"aaa", b"aa", b"*"), Some(b"*a".to_vec()));
        assert_eq!(r(b"xaay", b"aa", b"***"), Some(b"x***y".to_vec()));
        assert_eq!(r(b"xyz", b"aa", b"*"), None);
        assert_eq!(r(b"xyz", b"", b"*"), None);
    }
}
