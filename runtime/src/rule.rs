//! Rules as data, their violations, and the error listing them.

use std::fmt;

use sendapi_core::template::render;

pub use sendapi_core::Severity;

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
        let at = sendapi_core::pointer::shown(&self.pointer);
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
            "the request breaks {} of snapshot {}",
            sendapi_core::count(self.violations.len(), "rule", "rules"),
            self.snapshot
        )?;
        for v in &self.violations {
            write!(f, "\n  {v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Invalid {}

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
