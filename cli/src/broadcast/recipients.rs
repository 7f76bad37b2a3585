//! The `--to` file: one PSID a line.

use std::collections::HashSet;
use std::path::Path;

use super::Error;

/// The longest PSID accepted. Meta's are 16 or 17 digits; the margin is for
/// ids of other forms that the spec's `id` type also takes.
const MAX_LEN: usize = 64;

/// The distinct PSIDs of a file, in the order of their first line.
#[derive(Debug)]
pub struct Recipients {
    pub psids: Vec<String>,
    /// Lines that repeat an earlier PSID.
    pub duplicates: usize,
}

/// Reads the file: lines trimmed, blank lines and `#` comments skipped,
/// each PSID kept once.
pub fn read(path: &Path) -> Result<Recipients, Error> {
    let shown = path.display();
    let bytes =
        std::fs::read(path).map_err(|e| Error::Usage(format!("cannot read --to {shown}: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| Error::Usage(format!("--to {shown} is not UTF-8 text: {e}")))?;
    let mut seen = HashSet::new();
    let mut recipients = Recipients {
        psids: Vec::new(),
        duplicates: 0,
    };
    for (i, line) in text.lines().enumerate() {
        let psid = line.trim();
        if psid.is_empty() || psid.starts_with('#') {
            continue;
        }
        if let Err(why) = check(psid) {
            return Err(Error::Usage(format!(
                "{shown}:{}: `{}` is not a PSID: {why}",
                i + 1,
                psid.chars().take(80).collect::<String>()
            )));
        }
        if seen.insert(psid) {
            recipients.psids.push(psid.to_string());
        } else {
            recipients.duplicates += 1;
        }
    }
    if recipients.psids.is_empty() {
        return Err(Error::Usage(format!(
            "--to {shown} holds no PSID (one a line; blank lines and # comments are skipped)"
        )));
    }
    Ok(recipients)
}

/// The spec types a recipient id as any string; what a line of this file
/// can hold is narrower, so that a CSV row, a name or a URL pasted by
/// mistake stops the broadcast before anything is sent.
fn check(psid: &str) -> Result<(), &'static str> {
    if psid.len() > MAX_LEN {
        return Err("longer than 64 characters");
    }
    if psid.chars().any(char::is_whitespace) {
        return Err("it holds a space (one PSID a line)");
    }
    if psid.contains('/') {
        return Err("it holds `/`");
    }
    if !psid
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
    {
        return Err("only letters, digits and `_ - . :` can be in an id");
    }
    Ok(())
}
