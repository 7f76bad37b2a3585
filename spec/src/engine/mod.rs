//! The rule engine: one interpreter per rule kind, over any JSON body.
//!
//! [`Engine::new`] compiles a spec once into a plan (`plan`): types become
//! vectors indexed by number, a type's names become lookup tables
//! (`names`), and every rule is attached to the type it is evaluated on,
//! each of its paths a probe.
//! Validation (`walk`) then visits each value of the body once, guided by
//! the types: global kinds are reported where they happen, probes ride
//! down with the walk, and each rule concludes when its object closes
//! (`rules`). A rule that holds builds no string; status warnings, whose
//! words depend only on the spec, are rendered once in the plan.

use rustc_hash::FxHashMap as HashMap;
use std::fmt;

use serde_json::Value;

use crate::model::{Date, Platform, RuleKind, Severity, TypeKind};
use crate::spec::{Spec, Target, Ty};

mod names;
mod plan;
mod rules;
mod walk;

use plan::{Globals, Probe, RatePlan, RulePlan, TypePlan};
use walk::{Truth, Walk};

/// A string that stands for a Rust expression in a `request!` body: the
/// engine treats it as present, of the right type, and of unknown value.
pub const OPAQUE: &str = "\u{0}sendapi:expression\u{0}";

/// One rule broken by a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Rule id, e.g. `message.text.max_len`.
    pub rule: String,
    /// Rule kind.
    pub kind: RuleKind,
    /// Error or warning.
    pub severity: Severity,
    /// JSON pointer (RFC 6901) to the offending value; `""` is the whole body.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
    /// Link to Meta's documentation.
    pub doc: String,
    /// Graph error code Meta (and the emulator) answers with.
    pub code: u32,
    /// Graph error subcode, where Meta has one.
    pub subcode: Option<u64>,
}

impl Violation {
    /// The message and the fix, in one sentence pair.
    pub fn text(&self) -> String {
        format!("{}; {}", self.message, self.fix)
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = sendapi_core::pointer::shown(&self.pointer);
        write!(
            f,
            "{}[{}] {}: {}; {}",
            self.severity, self.rule, at, self.message, self.fix
        )
    }
}

/// The outcome of validating one body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Every violation, in the order the walk met them.
    pub violations: Vec<Violation>,
}

impl Report {
    /// No error-severity violation: the body is valid.
    pub fn is_valid(&self) -> bool {
        !self
            .violations
            .iter()
            .any(|v| v.severity == Severity::Error)
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Violation> {
        self.violations
            .iter()
            .filter(|v| v.severity == Severity::Error)
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Violation> {
        self.violations
            .iter()
            .filter(|v| v.severity == Severity::Warning)
    }
}

#[derive(Debug, Default)]
pub(crate) struct ItemData {
    pub(crate) field_platforms: Option<Vec<Platform>>,
    pub(crate) values: Vec<(String, ValueData)>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct ValueData {
    pub(crate) platforms: Option<Vec<Platform>>,
    pub(crate) refused_since: Option<Date>,
    pub(crate) replacement: Option<String>,
}

/// Collects the metadata of the fields, enum values and union variants a
/// path leads to (aliases included, under their own spelling).
pub(crate) fn item_data(spec: &Spec, targets: &[Target]) -> ItemData {
    let mut data = ItemData::default();
    for t in targets {
        match t {
            Target::Field { owner, field, ty } => {
                if let Some(f) = spec.field(owner, field)
                    && data.field_platforms.is_none()
                {
                    data.field_platforms.clone_from(&f.platforms);
                }
                if let Ty::Named(n) = ty {
                    enum_data(spec, n, &mut data);
                }
            }
            Target::Item { ty: Ty::Named(n) } => enum_data(spec, n, &mut data),
            Target::Tag { owner } => {
                if let Some(d) = spec.type_def(owner) {
                    for (k, v) in &d.variants {
                        data.values.push((
                            k.get_ref().clone(),
                            ValueData {
                                platforms: v.platforms.clone(),
                                refused_since: v.refused_since,
                                replacement: v.replacement.clone(),
                            },
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    data
}

fn enum_data(spec: &Spec, name: &str, data: &mut ItemData) {
    let Some(d) = spec.type_def(name) else { return };
    if *d.kind.get_ref() != TypeKind::Enum {
        return;
    }
    for (k, v) in &d.values {
        let vd = ValueData {
            platforms: v.platforms.clone(),
            refused_since: v.refused_since,
            replacement: v.replacement.clone(),
        };
        for a in &v.aliases {
            data.values.push((a.clone(), vd.clone()));
        }
        data.values.push((k.get_ref().clone(), vd));
    }
}

/// A rate class of the compiled plan.
#[derive(Debug, Clone)]
pub struct RateClassInfo {
    /// Class name from the spec.
    pub name: String,
    /// Calls allowed per window.
    pub limit: u32,
    /// Window in seconds.
    pub per_seconds: u32,
}

/// A spec compiled for validation.
#[derive(Debug)]
pub struct Engine {
    name: String,
    as_of: Date,
    types: Vec<TypePlan>,
    type_ix: HashMap<String, usize>,
    rules: Vec<RulePlan>,
    globals: Globals,
    probes: Vec<Probe>,
    /// The keys probes name, numbered.
    keys: HashMap<String, plan::KeyId>,
    root: usize,
    rates: Vec<RatePlan>,
}

impl Engine {
    /// Compiles a linted spec.
    pub fn new(spec: &Spec) -> Engine {
        plan::compile(spec)
    }

    /// The snapshot name this engine checks against.
    pub fn snapshot(&self) -> &str {
        &self.name
    }

    /// Validates a Send API body (the `messages` endpoint's request type).
    pub fn validate(&self, body: &Value, platform: Platform) -> Report {
        self.run(body, self.root, platform, false)
    }

    /// Validates a Send API body sent as multipart with `parts` (such as
    /// `filedata`) beside its JSON fields: the keys a part stands for count
    /// as present (spec/README.md, `part`).
    pub fn validate_with_parts(&self, body: &Value, platform: Platform, parts: &[&str]) -> Report {
        Report {
            violations: Walk::new(self, platform, false)
                .with_parts(parts)
                .run(body, self.root),
        }
    }

    /// Validates a body against any request type of the spec by name.
    pub fn validate_as(&self, type_name: &str, body: &Value, platform: Platform) -> Option<Report> {
        let ty = *self.type_ix.get(type_name)?;
        Some(self.run(body, ty, platform, false))
    }

    /// Validates a `request!` body in which [`OPAQUE`] strings stand for
    /// Rust expressions: rules that read their values are skipped.
    pub fn validate_literal(&self, body: &Value, platform: Platform) -> Report {
        self.run(body, self.root, platform, true)
    }

    /// The rate class of a Send API body.
    pub fn rate_class(&self, body: &Value) -> Option<&RateClassInfo> {
        let walk = Walk::new(self, Platform::Messenger, false);
        let mut default = None;
        for r in &self.rates {
            if r.default {
                default = Some(&r.info);
            }
            if r.when
                .iter()
                .any(|c| walk.cond(body, c, false).0 == Truth::True)
            {
                return Some(&r.info);
            }
        }
        default
    }

    /// Every rate class, in spec order.
    pub fn rate_classes(&self) -> impl Iterator<Item = &RateClassInfo> {
        self.rates.iter().map(|r| &r.info)
    }

    fn run(&self, body: &Value, ty: usize, platform: Platform, opaque: bool) -> Report {
        Report {
            violations: Walk::new(self, platform, opaque).run(body, ty),
        }
    }
}
