//! Rules as data, their violations, and the error listing them.

use std::fmt::{self, Write as _};

/// How bad a violation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Graph may accept it.
    Warning,
    /// Graph refuses it.
    Error,
}

/// One rule of a spec snapshot, as generated into the bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, e.g. `message.text.max_len`.
    pub id: &'static str,
    /// Rule kind, e.g. `max_len`.
    pub kind: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// Message template.
    pub message: &'static str,
    /// Fix template.
    pub fix: &'static str,
    /// Link to Meta's documentation.
    pub doc: &'static str,
    /// Graph error code Meta answers with.
    pub code: u32,
    /// Graph error subcode, where Meta has one.
    pub subcode: Option<u64>,
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Rule id.
    pub rule: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// JSON pointer to the offending value (`""` is the whole body).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
    /// Link to Meta's documentation.
    pub doc: &'static str,
    /// Graph error code Meta answers with.
    pub code: u32,
    /// Graph error subcode.
    pub subcode: Option<u64>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "(body)"
        } else {
            &self.pointer
        };
        write!(f, "[{}] at {at}: {}; {}", self.rule, self.message, self.fix)
    }
}

/// A request that breaks error-severity rules of its snapshot: nothing was
/// sent. Lists every violation, each with its rule id and JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The snapshot whose rules were applied.
    pub snapshot: &'static str,
    /// Every violation found.
    pub violations: Vec<Violation>,
}

impl Invalid {
    /// The rule ids, in order.
    pub fn rule_ids(&self) -> Vec<&'static str> {
        self.violations.iter().map(|v| v.rule).collect()
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the request breaks {} rule(s) of snapshot {}",
            self.violations.len(),
            self.snapshot
        )?;
        for v in &self.violations {
            write!(f, "\n  {v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Invalid {}

/// Renders a rule template: `{name}` takes a value from `vars`, `{{` and
/// `}}` are literal braces, unknown names stay as written.
pub(crate) fn render(template: &str, vars: &[(&str, &dyn fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("{{") {
            out.push('{');
            rest = r;
        } else if let Some(r) = rest.strip_prefix("}}") {
            out.push('}');
            rest = r;
        } else if let Some(r) = rest.strip_prefix('{') {
            match r.find('}') {
                Some(close) => {
                    let name = &r[..close];
                    match vars.iter().find(|(n, _)| *n == name) {
                        Some((_, v)) => {
                            let _ = write!(out, "{v}");
                        }
                        None => {
                            out.push('{');
                            out.push_str(name);
                            out.push('}');
                        }
                    }
                    rest = &r[close + 1..];
                }
                None => {
                    out.push_str(rest);
                    rest = "";
                }
            }
        } else {
            let next = rest.find(['{', '}']).unwrap_or(rest.len()).max(1);
            out.push_str(&rest[..next]);
            rest = &rest[next..];
        }
    }
    out
}

pub(crate) fn violation(
    rule: &'static Rule,
    pointer: String,
    vars: &[(&str, &dyn fmt::Display)],
) -> Violation {
    Violation {
        rule: rule.id,
        severity: rule.severity,
        pointer,
        message: render(rule.message, vars),
        fix: render(rule.fix, vars),
        doc: rule.doc,
        code: rule.code,
        subcode: rule.subcode,
    }
}

/// Appends a JSON pointer segment (RFC 6901 escaping).
pub(crate) fn push_segment(out: &mut String, key: &str) {
    out.push('/');
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// `a`, `b` or `c`.
pub(crate) fn list(items: &[&str], joiner: &str) -> String {
    match items.len() {
        0 => "none".to_string(),
        1 => format!("`{}`", items[0]),
        n => {
            let head: Vec<String> = items[..n - 1].iter().map(|s| format!("`{s}`")).collect();
            format!("{} {joiner} `{}`", head.join(", "), items[n - 1])
        }
    }
}

/// The closest candidate, for "did you mean".
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    // Nobody misspells a long key; and edit distance is quadratic, so a
    // hostile body must not make suggestions expensive.
    if word.len() > 64 {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let squashed = squash(word);
    let mut best: Option<(usize, &str)> = None;
    for &c in candidates {
        if c == word {
            continue;
        }
        if c.to_ascii_lowercase() == lower || squash(c) == squashed {
            return Some(c);
        }
        let d = strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase());
        let limit = (word.chars().count().max(c.chars().count()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}
