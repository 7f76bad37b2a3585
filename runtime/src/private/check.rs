//! Run-time support of the generated `validate()`.

use std::fmt;
use std::sync::OnceLock;

use crate::Platform;
use sendapi_core::pointer::push_key as push_segment;

use crate::rule::{Invalid, Rule, Violation, violation};

/// A segment of the pointer being walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg {
    /// An object key.
    Key(&'static str),
    /// An array index.
    Index(usize),
}

/// A JSON pointer, kept as segments until a violation needs its text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pointer(Vec<Seg>);

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        for seg in &self.0 {
            match seg {
                Seg::Key(k) => push_segment(&mut s, k),
                Seg::Index(i) => push_segment(&mut s, &i.to_string()),
            }
        }
        f.write_str(&s)
    }
}

/// The walk's state: platform, pointer, violations so far.
#[derive(Debug)]
pub struct Cx {
    platform: Platform,
    snapshot: &'static str,
    /// The multipart parts sent beside the JSON fields.
    parts: &'static [&'static str],
    ptr: Vec<Seg>,
    out: Vec<Violation>,
}

impl Cx {
    /// A walk for `platform` under `snapshot`'s rules.
    pub fn new(platform: Platform, snapshot: &'static str) -> Cx {
        Cx {
            platform,
            snapshot,
            parts: &[],
            ptr: Vec::with_capacity(8),
            out: Vec::new(),
        }
    }

    /// The same walk for a request sent as multipart with `parts`.
    pub fn with_parts(mut self, parts: &'static [&'static str]) -> Cx {
        self.parts = parts;
        self
    }

    /// Whether the request carries the multipart part `name`.
    pub fn has_part(&self, name: &str) -> bool {
        self.parts.contains(&name)
    }

    /// Enters an object key.
    pub fn push_key(&mut self, key: &'static str) {
        self.ptr.push(Seg::Key(key));
    }

    /// Enters an array item.
    pub fn push_index(&mut self, i: usize) {
        self.ptr.push(Seg::Index(i));
    }

    /// Leaves the last key or item.
    pub fn pop(&mut self) {
        self.ptr.pop();
    }

    /// The current pointer.
    pub fn pointer(&self) -> Pointer {
        Pointer(self.ptr.clone())
    }

    /// Whether the platform is one of `platforms`.
    pub fn platform_in(&self, platforms: &[Platform]) -> bool {
        platforms.contains(&self.platform)
    }

    /// The platform's display name, for messages.
    pub fn platform_name(&self) -> &'static str {
        self.platform.display_name()
    }

    /// Reports a violation at the current pointer.
    pub fn report(&mut self, rule: &'static Rule, vars: &[(&str, &dyn fmt::Display)]) {
        let ptr = Pointer(self.ptr.clone()).to_string();
        self.out.push(violation(rule, ptr, vars));
    }

    /// Reports a violation at `key` below the current pointer.
    pub fn report_key(
        &mut self,
        rule: &'static Rule,
        key: &str,
        vars: &[(&str, &dyn fmt::Display)],
    ) {
        let mut ptr = Pointer(self.ptr.clone()).to_string();
        push_segment(&mut ptr, key);
        self.out.push(violation(rule, ptr, vars));
    }

    /// Reports a violation at a pointer recorded earlier.
    pub fn report_at(
        &mut self,
        rule: &'static Rule,
        at: &Pointer,
        vars: &[(&str, &dyn fmt::Display)],
    ) {
        self.out.push(violation(rule, at.to_string(), vars));
    }

    /// The verdict.
    pub fn finish(self) -> Result<(), Invalid> {
        if self.out.is_empty() {
            Ok(())
        } else {
            Err(Invalid {
                snapshot: self.snapshot,
                violations: self.out,
            })
        }
    }
}

/// Values whose rules `validate()` checks.
pub trait Validate {
    /// Checks this value and everything it holds.
    fn validate_into(&self, cx: &mut Cx);
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, cx: &mut Cx) {
        for (i, x) in self.iter().enumerate() {
            cx.push_index(i);
            x.validate_into(cx);
            cx.pop();
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate_into(&self, cx: &mut Cx) {
        (**self).validate_into(cx);
    }
}

/// Length in Unicode scalar values.
pub fn len_chars(s: &str) -> u64 {
    s.chars().count() as u64
}

/// Length in UTF-8 bytes.
pub fn len_bytes(s: &str) -> u64 {
    s.len() as u64
}

/// A regular expression compiled on first use.
#[derive(Debug)]
pub struct LazyRegex {
    pattern: &'static str,
    cell: OnceLock<Option<regex_lite::Regex>>,
}

impl LazyRegex {
    /// A pattern the spec's lint has already compiled once.
    pub const fn new(pattern: &'static str) -> LazyRegex {
        LazyRegex {
            pattern,
            cell: OnceLock::new(),
        }
    }

    /// Whether `s` matches. A pattern that does not compile matches
    /// everything (the lint refuses such specs, so this does not happen).
    pub fn is_match(&self, s: &str) -> bool {
        self.cell
            .get_or_init(|| regex_lite::Regex::new(self.pattern).ok())
            .as_ref()
            .is_none_or(|re| re.is_match(s))
    }
}

/// `{found}` for a string.
pub fn describe_str(s: &str) -> String {
    sendapi_core::quoted(s)
}

/// `{found}` for a boolean.
pub fn describe_bool(b: bool) -> String {
    format!("the boolean {b}")
}

/// `{found}` for a number.
pub fn describe_number(n: &serde_json::Number) -> String {
    format!("the number {n}")
}

/// `{found}` for an integer.
pub fn describe_integer(n: i64) -> String {
    format!("the number {n}")
}

/// `{found}` for an array.
pub fn describe_array(len: usize) -> String {
    format!("an array of {}", sendapi_core::count(len, "item", "items"))
}

/// `a`, `b` or `c`.
pub fn list(items: &[&str], joiner: &str) -> String {
    sendapi_core::list(items, joiner)
}
