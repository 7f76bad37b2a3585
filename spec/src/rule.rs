//! The typed rules: the lint converts each `[[rules]]` entry of a spec file
//! into one [`Rule`] whose [`Check`] holds exactly its kind's parameters.
//!
//! Consumers (the engine, the generator, the diff, the emulator) match on
//! [`Check`] exhaustively: a new rule kind is a compile error wherever it
//! must be handled, and no consumer checks a rule's shape again.

use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::model::{Coercion, Evidence, Platform, RuleKind, Severity, Status, Unit};
use crate::spec::Path;

/// One rule of a loaded spec.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable id, e.g. `message.text.max_len`.
    pub id: String,
    /// What the rule checks, with its kind's parameters.
    pub check: Check,
    /// Error or warning.
    pub severity: Severity,
    /// How well the underlying fact is established.
    pub evidence: Evidence,
    /// Why the severity differs from what the evidence gives.
    pub basis: Option<String>,
    /// Platforms the rule applies on; `None` means all, never empty.
    pub applies_to: Option<Vec<Platform>>,
    /// What is wrong, with placeholders (see `spec/README.md`).
    pub message: String,
    /// How to fix it, with the same placeholders.
    pub fix: String,
    /// Source key or link.
    pub source: String,
    /// Graph error code Meta (and the emulator) answers with.
    pub code: u32,
    /// Graph error subcode, where Meta has one.
    pub subcode: Option<u64>,
    /// Extra remarks for spec readers.
    pub note: Option<String>,
    /// Byte range of the id in the spec text, for later lint messages.
    #[cfg_attr(not(feature = "load"), allow(dead_code))]
    pub(crate) span: Range<usize>,
}

impl Rule {
    /// The rule's kind.
    pub fn kind(&self) -> RuleKind {
        self.check.kind()
    }

    /// Whether the rule applies on `platform`.
    pub fn applies_on(&self, platform: Platform) -> bool {
        self.applies_to
            .as_ref()
            .is_none_or(|ps| ps.contains(&platform))
    }

    /// The type the rule is evaluated on; `None` for global kinds.
    pub fn on(&self) -> Option<&str> {
        self.check.on()
    }

    /// The rule's path, for kinds that read the value at one.
    pub fn path(&self) -> Option<&Path> {
        self.check.at().map(|a| &a.path)
    }
}

/// What a rule checks: one variant per rule kind, holding exactly that
/// kind's parameters.
#[derive(Debug, Clone)]
pub enum Check {
    /// Global: a key the type does not have.
    UnknownField,
    /// Global: an extra key in an `open` type.
    OpenField,
    /// Global: a value of the wrong JSON type.
    Type,
    /// Global: a value of the wrong JSON type that Graph is known to coerce.
    Coercion(Coercion),
    /// Global: a string outside an enum or a tag outside a union.
    EnumValue,
    /// Global: a required field is missing.
    Required,
    /// Global: an item whose status is this one is used.
    Status(Status),
    /// Exactly one of the fields is present.
    ExactlyOneOf(FieldGroup),
    /// At most one of the fields is present.
    AtMostOneOf(FieldGroup),
    /// At least one of the fields is present.
    AtLeastOneOf(FieldGroup),
    /// When `when` holds, `then` must hold.
    Requires(Implication),
    /// When `when` holds, `then` must not hold.
    Forbids(Implication),
    /// The string at the path is at most `max` long.
    MaxLen(MaxLen),
    /// The array at the path has between `min` and `max` items.
    Items(Bounds),
    /// The number at the path lies between `min` and `max`.
    Range(Bounds),
    /// At most one boolean at the path (which has a `[*]`) is true.
    UniqueTrue(At),
    /// The string at the path matches a regular expression.
    Pattern(Pattern),
    /// The field or value at the path is used on a platform it is not
    /// available on.
    PlatformOnly(ItemSet),
    /// The value at the path is refused since its `refused_since` date.
    RefusedSince(ItemSet),
}

impl Check {
    /// The kind this check is of.
    pub fn kind(&self) -> RuleKind {
        match self {
            Check::UnknownField => RuleKind::UnknownField,
            Check::OpenField => RuleKind::OpenField,
            Check::Type => RuleKind::Type,
            Check::Coercion(_) => RuleKind::Coercion,
            Check::EnumValue => RuleKind::EnumValue,
            Check::Required => RuleKind::Required,
            Check::Status(_) => RuleKind::Status,
            Check::ExactlyOneOf(_) => RuleKind::ExactlyOneOf,
            Check::AtMostOneOf(_) => RuleKind::AtMostOneOf,
            Check::AtLeastOneOf(_) => RuleKind::AtLeastOneOf,
            Check::Requires(_) => RuleKind::Requires,
            Check::Forbids(_) => RuleKind::Forbids,
            Check::MaxLen(_) => RuleKind::MaxLen,
            Check::Items(_) => RuleKind::Items,
            Check::Range(_) => RuleKind::Range,
            Check::UniqueTrue(_) => RuleKind::UniqueTrue,
            Check::Pattern(_) => RuleKind::Pattern,
            Check::PlatformOnly(_) => RuleKind::PlatformOnly,
            Check::RefusedSince(_) => RuleKind::RefusedSince,
        }
    }

    /// The type the check is evaluated on; `None` for global kinds.
    pub fn on(&self) -> Option<&str> {
        match self {
            Check::ExactlyOneOf(g) | Check::AtMostOneOf(g) | Check::AtLeastOneOf(g) => Some(&g.on),
            Check::Requires(i) | Check::Forbids(i) => Some(&i.on),
            // The kinds with a path, and the global kinds, which have none.
            _ => self.at().map(|at| at.on.as_str()),
        }
    }

    /// Where the check reads its value, for kinds with a `path`.
    pub fn at(&self) -> Option<&At> {
        match self {
            Check::MaxLen(MaxLen { at, .. })
            | Check::Items(Bounds { at, .. })
            | Check::Range(Bounds { at, .. })
            | Check::UniqueTrue(at)
            | Check::Pattern(Pattern { at, .. })
            | Check::PlatformOnly(ItemSet { at, .. })
            | Check::RefusedSince(ItemSet { at, .. }) => Some(at),
            _ => None,
        }
    }
}

/// A type and a path relative to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    /// The type the rule is evaluated on.
    pub on: String,
    /// The path from `on` to the values the rule reads.
    pub path: Path,
}

/// The fields of an `exactly_one_of`, `at_most_one_of` or `at_least_one_of`
/// rule: at least two distinct fields of `on`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldGroup {
    /// The type the rule is evaluated on.
    pub on: String,
    /// Wire names of the fields, in spec order.
    pub fields: Vec<String>,
}

/// The two conditions of a `requires` or `forbids` rule.
#[derive(Debug, Clone)]
pub struct Implication {
    /// The type the rule is evaluated on.
    pub on: String,
    /// When this holds…
    pub when: Condition,
    /// …this must hold (`requires`) or must not (`forbids`).
    pub then: Condition,
}

/// A test of the value at a path (no `[*]` in rules; rate classes may).
#[derive(Debug, Clone)]
pub struct Condition {
    /// Path relative to the rule's type.
    pub path: Path,
    /// What the value must be.
    pub test: Test,
}

/// What a [`Condition`] asks of the value at its path.
#[derive(Debug, Clone)]
pub enum Test {
    /// The value equals this string (`equals`).
    Equals(String),
    /// The value is one of these strings (`in`).
    In(Vec<String>),
    /// The path is present (`true`) or absent (`false`).
    Present(bool),
    /// The string at the path matches this regular expression (`matches`).
    Matches(CheckedRegex),
}

impl Test {
    /// The values `equals` or `in` name; empty for the other tests.
    pub fn values(&self) -> &[String] {
        match self {
            Test::Equals(v) => std::slice::from_ref(v),
            Test::In(vs) => vs,
            Test::Present(_) | Test::Matches(_) => &[],
        }
    }
}

impl fmt::Display for Condition {
    /// The condition as the diff shows it: `path=VALUE`, `path in [A,B]`,
    /// `path present`, `path absent`, `path matches RE`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        match &self.test {
            Test::Equals(e) => write!(f, "={e}"),
            Test::In(vs) => write!(f, " in [{}]", vs.join(",")),
            Test::Present(true) => f.write_str(" present"),
            Test::Present(false) => f.write_str(" absent"),
            Test::Matches(re) => write!(f, " matches {}", re.as_str()),
        }
    }
}

/// A `max_len` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaxLen {
    /// The strings it measures.
    pub at: At,
    /// The longest allowed length.
    pub max: u64,
    /// What the length counts.
    pub unit: Unit,
}

/// An `items` or `range` rule: at least one bound, and `min <= max`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bounds {
    /// The arrays or numbers it bounds.
    pub at: At,
    /// Lower bound.
    pub min: Option<u64>,
    /// Upper bound.
    pub max: Option<u64>,
}

/// A `pattern` rule.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The strings it tests.
    pub at: At,
    /// The regular expression, anchored by the spec writer.
    pub regex: CheckedRegex,
    /// The name shown in messages (`pattern_name`, else the expression).
    pub name: String,
}

/// A `platform_only` or `refused_since` rule: the items at the path carry
/// the data it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSet {
    /// Where the items are.
    pub at: At,
    /// The values it is restricted to; empty means every value.
    pub values: Vec<String>,
}

impl ItemSet {
    /// Whether the rule covers `value`.
    pub fn covers(&self, value: &str) -> bool {
        self.values.is_empty() || self.values.iter().any(|v| v == value)
    }
}

/// The regular expression of a `pattern` rule or a `matches` condition.
///
/// Its text compiled when the spec was loaded: the loader refuses one that
/// does not, and the pre-compiled snapshots were written from a loaded
/// spec. The matcher itself is built on first use, so that building a spec
/// or an engine (a macro's first expansion) compiles no expression that no
/// value reaches. Clones share the matcher.
#[derive(Clone)]
pub struct CheckedRegex {
    text: Box<str>,
    compiled: Arc<OnceLock<Option<regex_lite::Regex>>>,
}

impl CheckedRegex {
    /// Compiles `text`, or says why it does not compile.
    pub fn new(text: &str) -> Result<CheckedRegex, regex_lite::Error> {
        let regex = regex_lite::Regex::new(text)?;
        Ok(CheckedRegex {
            text: text.into(),
            compiled: Arc::new(OnceLock::from(Some(regex))),
        })
    }

    /// `text`, which compiled when the pre-compiled snapshot was written.
    pub(crate) fn known(text: &str) -> CheckedRegex {
        CheckedRegex {
            text: text.into(),
            compiled: Arc::default(),
        }
    }

    /// The expression's text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether `haystack` matches. An expression that no longer compiles
    /// (which a loaded spec rules out) matches everything, as the generated
    /// `validate()` treats it (`sendapi`'s `LazyRegex`), so that the macro
    /// and the run time never disagree on a body.
    pub fn is_match(&self, haystack: &str) -> bool {
        self.compiled
            .get_or_init(|| regex_lite::Regex::new(&self.text).ok())
            .as_ref()
            .is_none_or(|re| re.is_match(haystack))
    }
}

impl fmt::Debug for CheckedRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CheckedRegex").field(&self.text).finish()
    }
}

#[cfg(test)]
mod checked_regex {
    use super::CheckedRegex;

    #[test]
    fn compiles_on_first_use_and_clones_share_it() {
        let re = CheckedRegex::known("^[0-9]+$");
        let copy = re.clone();
        assert!(
            re.compiled.get().is_none(),
            "nothing compiled before a match"
        );
        assert!(copy.is_match("123"));
        assert!(!re.is_match("12a"), "the clone's matcher is shared");
        assert!(re.compiled.get().is_some());
        assert_eq!(re.as_str(), "^[0-9]+$");
        assert_eq!(format!("{re:?}"), r#"CheckedRegex("^[0-9]+$")"#);
    }

    #[test]
    fn new_refuses_what_does_not_compile() {
        assert!(CheckedRegex::new("(").is_err());
        assert!(CheckedRegex::new("^a$").is_ok_and(|re| re.is_match("a")));
    }

    /// A text that does not compile (which a loaded spec rules out)
    /// matches every value, as the run-time check's `LazyRegex` does.
    #[test]
    fn a_broken_text_matches_everything_as_at_run_time() {
        let re = CheckedRegex::known("(");
        assert!(re.is_match(""));
        assert!(re.is_match("anything"));
    }
}
