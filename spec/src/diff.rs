//! Differences between two snapshots, each of one [`Class`]: breaking,
//! compatible or upcoming.
//!
//! "Breaking" is judged from a sender's side: a change is breaking when a
//! body valid under the old snapshot can be invalid under the new one, or
//! when code generated from the old snapshot no longer compiles against the
//! new bindings (a removed type, field, value or variant; a new required
//! field; a tightened limit; a new error-severity rule; a value refused since
//! a date the new snapshot has reached; a platform taken away).
//!
//! The receive side (`[webhooks]`) is judged from a bot's side instead: a
//! removed event, type, field or value, or a changed key, type or shape of
//! what a bot decodes, is breaking; an addition is compatible. A snapshot
//! without `[webhooks]` does not describe the receive side, so there is
//! nothing to compare.
//!
//! "Upcoming" is a change whose effect starts after the new snapshot's
//! `as_of`: a `refused_since` or a `since` date (of a type or an error code;
//! the lint refuses later dates on fields, variants, values and rules) the
//! snapshot has not reached.
//! It breaks nobody on the snapshot's date, and it is what a team reads to
//! plan the next migration. The class is decided here, in `Out::push`, so
//! that every consumer of the diff (the CLI's text and JSON) agrees.

use std::collections::BTreeSet;
use std::fmt;

use crate::model::{
    Date, EnumValue, ErrorCode, Field, Platform, RuleKind, Severity, Status, TypeDef, Unit, Variant,
};
use crate::rule::{Check, Rule};
use crate::spec::Spec;

mod webhooks;

/// Whether an item appeared, disappeared or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// New in the new snapshot.
    Added,
    /// Gone from the new snapshot.
    Removed,
    /// In both, with a difference.
    Changed,
}

impl ChangeKind {
    /// Lower-case word for output.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// How a change concerns a sender on the new snapshot's `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
// Declaration order is the sort order of two changes to one item, which
// keeps the text output as it was before `Upcoming` existed.
pub enum Class {
    /// Nothing a sender wrote stops working.
    Compatible,
    /// A body valid under the old snapshot can be invalid under the new
    /// one, or code generated from the old one no longer compiles.
    Breaking,
    /// Takes effect at a date later than the new snapshot's `as_of`.
    Upcoming,
}

impl Class {
    /// Lower-case word for output (`--format json`).
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Compatible => "compatible",
            Class::Upcoming => "upcoming",
        }
    }

    /// The class column of the text output, where breaking changes shout.
    fn label(self) -> &'static str {
        match self {
            Class::Breaking => "BREAKING",
            Class::Compatible => "compatible",
            Class::Upcoming => "upcoming",
        }
    }
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Change {
    /// What kind of item: `type`, `field`, `value`, `variant`, `rule`,
    /// `limit`, `tag`, `error`, `rate_class`, `snapshot`; on the receive
    /// side `webhooks`, `webhook_event`, `webhook_type`, `webhook_field`,
    /// `webhook_variant`, `webhook_value`.
    pub subject: &'static str,
    /// The item, e.g. `Message.sticker_id` or `tag.refused_since`.
    pub item: String,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// Whether a sender must act, now or at a later date.
    pub class: Class,
    /// What changed, in words.
    pub detail: String,
}

impl Change {
    /// Whether the change is [`Class::Breaking`]: what `--fail-on-breaking`
    /// counts. An upcoming change is not breaking yet.
    pub fn breaking(&self) -> bool {
        self.class == Class::Breaking
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<12} {:<8} {:<10} {}: {}",
            self.class.label(),
            self.kind.as_str(),
            self.subject,
            self.item,
            self.detail
        )
    }
}

/// The changes found so far, and the date that decides which are upcoming.
struct Out {
    changes: Vec<Change>,
    /// The new snapshot's `as_of`.
    as_of: Date,
}

impl Out {
    fn push(
        &mut self,
        subject: &'static str,
        item: impl Into<String>,
        kind: ChangeKind,
        breaking: bool,
        detail: impl Into<String>,
    ) {
        self.push_dated(subject, item, kind, breaking, None, detail);
    }

    /// A change whose effect starts at `effective` (a `since` or
    /// `refused_since` date): upcoming while the new snapshot has not
    /// reached that date, else breaking or compatible as `breaking` says.
    fn push_dated(
        &mut self,
        subject: &'static str,
        item: impl Into<String>,
        kind: ChangeKind,
        breaking: bool,
        effective: Option<Date>,
        detail: impl Into<String>,
    ) {
        let class = match effective {
            Some(d) if d > self.as_of => Class::Upcoming,
            _ if breaking => Class::Breaking,
            _ => Class::Compatible,
        };
        self.changes.push(Change {
            subject,
            item: item.into(),
            kind,
            class,
            detail: detail.into(),
        });
    }
}

fn platforms(p: &Option<Vec<Platform>>) -> BTreeSet<Platform> {
    p.as_ref().map_or_else(
        || Platform::ALL.into_iter().collect(),
        |v| v.iter().copied().collect(),
    )
}

fn platform_change(
    out: &mut Out,
    subject: &'static str,
    item: &str,
    old: &Option<Vec<Platform>>,
    new: &Option<Vec<Platform>>,
) {
    let (o, n) = (platforms(old), platforms(new));
    if o != n {
        let lost: Vec<&str> = o.difference(&n).map(|p| p.as_str()).collect();
        let gained: Vec<&str> = n.difference(&o).map(|p| p.as_str()).collect();
        let mut parts = Vec::new();
        if !lost.is_empty() {
            parts.push(format!("no longer on {}", lost.join(", ")));
        }
        if !gained.is_empty() {
            parts.push(format!("now also on {}", gained.join(", ")));
        }
        out.push(
            subject,
            item,
            ChangeKind::Changed,
            !lost.is_empty(),
            parts.join("; "),
        );
    }
}

fn status_change(out: &mut Out, subject: &'static str, item: &str, old: Status, new: Status) {
    if old != new {
        out.push(
            subject,
            item,
            ChangeKind::Changed,
            false,
            format!("status {} -> {}", old.as_str(), new.as_str()),
        );
    }
}

/// Every difference from `old` to `new`, sorted by subject and item.
pub fn diff(old: &Spec, new: &Spec) -> Vec<Change> {
    let mut out = Out {
        changes: Vec::new(),
        as_of: new.as_of(),
    };
    let (os, ns) = (&old.file.snapshot, &new.file.snapshot);
    if os.graph_version.get_ref() != ns.graph_version.get_ref() {
        out.push(
            "snapshot",
            "graph_version",
            ChangeKind::Changed,
            false,
            format!(
                "{} -> {}",
                os.graph_version.get_ref(),
                ns.graph_version.get_ref()
            ),
        );
    }
    if os.as_of != ns.as_of {
        out.push(
            "snapshot",
            "as_of",
            ChangeKind::Changed,
            false,
            format!("{} -> {}", os.as_of, ns.as_of),
        );
    }
    for (name, od) in old.types() {
        match new.type_def(name) {
            None => out.push(
                "type",
                name,
                ChangeKind::Removed,
                true,
                format!("{} `{name}` is gone", od.kind.get_ref().as_str()),
            ),
            Some(nd) => diff_type(&mut out, old, new, name, od, nd),
        }
    }
    for (name, nd) in new.types() {
        if old.type_def(name).is_none() {
            out.push_dated(
                "type",
                name,
                ChangeKind::Added,
                false,
                nd.since,
                format!("new {} `{name}`", nd.kind.get_ref().as_str()),
            );
        }
    }
    diff_rules(&mut out, old, new);
    diff_errors(&mut out, old, new);
    diff_rates(&mut out, old, new);
    webhooks::diff_webhooks(&mut out, old, new);
    let mut v = out.changes;
    v.sort();
    v
}

fn diff_type(out: &mut Out, old: &Spec, new: &Spec, name: &str, od: &TypeDef, nd: &TypeDef) {
    if od.kind.get_ref() != nd.kind.get_ref() {
        out.push(
            "type",
            name,
            ChangeKind::Changed,
            true,
            format!(
                "kind {} -> {}",
                od.kind.get_ref().as_str(),
                nd.kind.get_ref().as_str()
            ),
        );
    }
    status_change(out, "type", name, od.status, nd.status);
    if od.open != nd.open {
        out.push(
            "type",
            name,
            ChangeKind::Changed,
            !nd.open,
            if nd.open {
                "now open: unknown keys are warnings"
            } else {
                "now closed: unknown keys are errors"
            },
        );
    }
    for (w, of) in &od.fields {
        let item = format!("{name}.{}", w.get_ref());
        match nd.fields.get(w.get_ref().as_str()) {
            None => out.push(
                "field",
                item,
                ChangeKind::Removed,
                true,
                format!("field `{}` is gone", w.get_ref()),
            ),
            Some(nf) => diff_field(out, &item, of, nf),
        }
    }
    for (w, nf) in &nd.fields {
        if !od.fields.contains_key(w.get_ref().as_str()) {
            let item = format!("{name}.{}", w.get_ref());
            let what = if nf.key {
                "new variant key"
            } else if nf.required {
                "new required field"
            } else {
                "new optional field"
            };
            out.push_dated(
                "field",
                item,
                ChangeKind::Added,
                nf.required,
                nf.since,
                format!("{what} of type {}", nf.ty.get_ref()),
            );
        }
    }
    for (w, ov) in &od.variants {
        let item = format!("{name}.{}", w.get_ref());
        match nd.variants.get(w.get_ref().as_str()) {
            None => out.push(
                "variant",
                item,
                ChangeKind::Removed,
                true,
                format!("`{}` is no longer accepted", w.get_ref()),
            ),
            Some(nv) => diff_variant(out, old, new, &item, ov, nv),
        }
    }
    for (w, nv) in &nd.variants {
        if !od.variants.contains_key(w.get_ref().as_str()) {
            out.push_dated(
                "variant",
                format!("{name}.{}", w.get_ref()),
                ChangeKind::Added,
                false,
                nv.since,
                format!("new variant of type {}", nv.ty.get_ref()),
            );
        }
    }
    let is_tag = name == "Tag";
    let subject = if is_tag { "tag" } else { "value" };
    for (w, ov) in &od.values {
        let item = format!("{name}.{}", w.get_ref());
        match nd.values.get(w.get_ref().as_str()) {
            None => out.push(
                subject,
                item,
                ChangeKind::Removed,
                true,
                format!("`{}` is no longer a value", w.get_ref()),
            ),
            Some(nv) => diff_value(out, old, new, subject, &item, ov, nv),
        }
    }
    for (w, nv) in &nd.values {
        if !od.values.contains_key(w.get_ref().as_str()) {
            out.push_dated(
                subject,
                format!("{name}.{}", w.get_ref()),
                ChangeKind::Added,
                false,
                nv.since,
                format!("new value `{}`", w.get_ref()),
            );
        }
    }
}

fn diff_field(out: &mut Out, item: &str, of: &Field, nf: &Field) {
    if of.ty.get_ref() != nf.ty.get_ref() {
        out.push(
            "field",
            item,
            ChangeKind::Changed,
            true,
            format!("type {} -> {}", of.ty.get_ref(), nf.ty.get_ref()),
        );
    }
    if of.required != nf.required {
        out.push(
            "field",
            item,
            ChangeKind::Changed,
            nf.required,
            if nf.required {
                "now required"
            } else {
                "now optional"
            },
        );
    }
    if of.key != nf.key {
        out.push(
            "field",
            item,
            ChangeKind::Changed,
            true,
            if nf.key {
                "now a variant key"
            } else {
                "no longer a variant key"
            },
        );
    }
    if of.rust.get_ref() != nf.rust.get_ref() {
        out.push(
            "field",
            item,
            ChangeKind::Changed,
            true,
            format!("Rust name {} -> {}", of.rust.get_ref(), nf.rust.get_ref()),
        );
    }
    status_change(out, "field", item, of.status, nf.status);
    platform_change(out, "field", item, &of.platforms, &nf.platforms);
}

fn diff_variant(out: &mut Out, old: &Spec, new: &Spec, item: &str, ov: &Variant, nv: &Variant) {
    if ov.ty.get_ref() != nv.ty.get_ref() {
        out.push(
            "variant",
            item,
            ChangeKind::Changed,
            true,
            format!("type {} -> {}", ov.ty.get_ref(), nv.ty.get_ref()),
        );
    }
    status_change(out, "variant", item, ov.status, nv.status);
    platform_change(out, "variant", item, &ov.platforms, &nv.platforms);
    refusal_change(
        out,
        (old, new),
        "variant",
        item,
        ov.refused_since,
        nv.refused_since,
        nv.replacement.as_deref(),
    );
}

fn diff_value(
    out: &mut Out,
    old: &Spec,
    new: &Spec,
    subject: &'static str,
    item: &str,
    ov: &EnumValue,
    nv: &EnumValue,
) {
    if ov.rust.get_ref() != nv.rust.get_ref() {
        out.push(
            subject,
            item,
            ChangeKind::Changed,
            true,
            format!("Rust name {} -> {}", ov.rust.get_ref(), nv.rust.get_ref()),
        );
    }
    status_change(out, subject, item, ov.status, nv.status);
    platform_change(out, subject, item, &ov.platforms, &nv.platforms);
    refusal_change(
        out,
        (old, new),
        subject,
        item,
        ov.refused_since,
        nv.refused_since,
        nv.replacement.as_deref(),
    );
    let lost: Vec<&String> = ov
        .aliases
        .iter()
        .filter(|a| !nv.aliases.contains(a))
        .collect();
    if !lost.is_empty() {
        out.push(
            subject,
            item,
            ChangeKind::Changed,
            true,
            format!(
                "spellings no longer accepted: {}",
                lost.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    if ov.carries.as_ref().map(|c| c.field.get_ref())
        != nv.carries.as_ref().map(|c| c.field.get_ref())
    {
        out.push(
            subject,
            item,
            ChangeKind::Changed,
            true,
            "carries a different field",
        );
    }
    if ov.allowed != nv.allowed
        || ov.disallowed != nv.disallowed
        || ov.window != nv.window
        || ov.permission != nv.permission
    {
        out.push(
            subject,
            item,
            ChangeKind::Changed,
            false,
            "policy text changed (allowed, disallowed, window or permission)",
        );
    }
}

/// A refusal takes effect on its date, so what a snapshot refuses depends on
/// its `as_of` too: the same date is a change when one snapshot has reached
/// it and the other has not. A date the new snapshot has not reached is an
/// upcoming change.
fn refusal_change(
    out: &mut Out,
    (old_spec, new_spec): (&Spec, &Spec),
    subject: &'static str,
    item: &str,
    old: Option<Date>,
    newd: Option<Date>,
    replacement: Option<&str>,
) {
    let was = old.is_some_and(|d| d <= old_spec.as_of());
    let is = newd.is_some_and(|d| d <= new_spec.as_of());
    if old == newd && was == is {
        return;
    }
    let repl = replacement
        .map(|r| format!("; use {r}"))
        .unwrap_or_default();
    match newd {
        Some(d) if is => out.push(
            subject,
            item,
            ChangeKind::Changed,
            !was,
            format!("refused since {d}{repl}"),
        ),
        Some(d) => out.push_dated(
            subject,
            item,
            ChangeKind::Changed,
            false,
            Some(d),
            format!("will be refused from {d}{repl}"),
        ),
        None => out.push(
            subject,
            item,
            ChangeKind::Changed,
            false,
            "no longer refused",
        ),
    }
}

/// A rule's parameters in one line, for the diff's detail; `fields`
/// replaces the rule's own field group when given.
fn rule_shape(r: &Rule, fields: Option<&[String]>) -> String {
    let mut s = String::new();
    if let Some(on) = r.on() {
        s.push_str(&format!("on {on}"));
    }
    if let Some(p) = r.path() {
        s.push_str(&format!(" path {p}"));
    }
    match &r.check {
        Check::ExactlyOneOf(g) | Check::AtMostOneOf(g) | Check::AtLeastOneOf(g) => {
            let f = fields.unwrap_or(&g.fields);
            s.push_str(&format!(" fields {}", f.join(",")));
        }
        Check::Requires(i) | Check::Forbids(i) => {
            s.push_str(&format!(" when {} then {}", i.when, i.then));
        }
        Check::PlatformOnly(set) | Check::RefusedSince(set) if !set.values.is_empty() => {
            s.push_str(&format!(" values [{}]", set.values.join(",")));
        }
        Check::Pattern(p) => s.push_str(&format!(" pattern {}", p.regex.as_str())),
        _ => {}
    }
    if let Some(a) = &r.applies_to {
        let a: Vec<&str> = a.iter().map(|p| p.as_str()).collect();
        s.push_str(&format!(" on platforms {}", a.join(",")));
    }
    s
}

/// The `min`, `max` and length unit of a limit rule.
fn limits(c: &Check) -> (Option<u64>, Option<u64>, Option<Unit>) {
    match c {
        Check::MaxLen(m) => (None, Some(m.max), Some(m.unit)),
        Check::Items(b) | Check::Range(b) => (b.min, b.max, None),
        _ => (None, None, None),
    }
}

/// Whether a rule of the new snapshot can fire on a body written for the
/// old one: its type, path and condition values must all exist there. A
/// rule on a type or value that is itself new cannot break old bodies.
fn can_fire_on(old: &Spec, r: &Rule) -> bool {
    let Some(on) = r.on() else { return true };
    if old.type_def(on).is_none() {
        return false;
    }
    if let Some(p) = r.path()
        && old.walk(on, p).is_err()
    {
        return false;
    }
    if let Check::Requires(i) | Check::Forbids(i) = &r.check {
        let Ok(targets) = old.walk(on, &i.when.path) else {
            return false;
        };
        let wanted = i.when.test.values();
        if !wanted.is_empty()
            && let Some(values) = crate::lint::target_values(old, &targets)
            && !wanted.iter().any(|v| values.contains(v))
        {
            return false;
        }
    }
    true
}

/// For the `*_of` kinds, whether a change of `fields` can make an old body
/// invalid: an option taken away, or a field old bodies may hold added to an
/// exclusive group.
fn fields_change_breaks(old_spec: &Spec, or: &Rule, nr: &Rule) -> bool {
    let names = |r: &Rule| -> BTreeSet<String> {
        match &r.check {
            Check::ExactlyOneOf(g) | Check::AtMostOneOf(g) | Check::AtLeastOneOf(g) => {
                g.fields.iter().cloned().collect()
            }
            _ => BTreeSet::new(),
        }
    };
    let (o, n) = (names(or), names(nr));
    let on = nr.on().unwrap_or("");
    let existed = |f: &String| old_spec.field(on, f).is_some();
    let added_existing = n.difference(&o).any(existed);
    let removed = !o.difference(&n).collect::<Vec<_>>().is_empty();
    match nr.kind() {
        RuleKind::ExactlyOneOf => removed || added_existing,
        RuleKind::AtLeastOneOf => removed,
        RuleKind::AtMostOneOf => added_existing,
        _ => true,
    }
}

fn diff_rules(out: &mut Out, old: &Spec, new: &Spec) {
    for or in old.rules() {
        let id = or.id.as_str();
        match new.rule(id) {
            Some(nr) => diff_rule(out, old, or, nr),
            None => out.push(
                "rule",
                id,
                ChangeKind::Removed,
                false,
                format!("{} rule no longer checked", or.kind()),
            ),
        }
    }
    for nr in new.rules() {
        let id = nr.id.as_str();
        if old.rule(id).is_none() {
            let sev = nr.severity;
            let breaks = sev == Severity::Error && can_fire_on(old, nr);
            // No date: the lint refuses a rule whose `since` is after `as_of`.
            out.push(
                rule_subject(nr),
                id,
                ChangeKind::Added,
                breaks,
                format!(
                    "new {} {} ({})",
                    sev,
                    nr.kind(),
                    rule_shape(nr, None).trim()
                ),
            );
        }
    }
}

/// A rule that sets a limit is a `limit` change; any other a `rule` change.
fn rule_subject(r: &Rule) -> &'static str {
    if matches!(
        r.kind(),
        RuleKind::MaxLen | RuleKind::Items | RuleKind::Range
    ) {
        "limit"
    } else {
        "rule"
    }
}

/// The changes of one rule that both snapshots have.
fn diff_rule(out: &mut Out, old: &Spec, or: &Rule, nr: &Rule) {
    let id = or.id.as_str();
    let subject = rule_subject(or);
    if or.kind() != nr.kind() {
        out.push(
            "rule",
            id,
            ChangeKind::Changed,
            nr.severity == Severity::Error,
            format!("kind {} -> {}", or.kind(), nr.kind()),
        );
        return;
    }
    let (os, ns) = (or.severity, nr.severity);
    if os != ns {
        out.push(
            subject,
            id,
            ChangeKind::Changed,
            ns == Severity::Error,
            format!("severity {os} -> {ns}"),
        );
    }
    diff_limits(out, subject, or, nr);
    let (osh, nsh) = (rule_shape(or, None), rule_shape(nr, None));
    if osh != nsh {
        let only_fields = match &nr.check {
            Check::ExactlyOneOf(g) | Check::AtMostOneOf(g) | Check::AtLeastOneOf(g) => {
                rule_shape(or, Some(&g.fields)) == nsh
            }
            _ => false,
        };
        let breaks = ns == Severity::Error
            && can_fire_on(old, nr)
            && (!only_fields || fields_change_breaks(old, or, nr));
        out.push(
            "rule",
            id,
            ChangeKind::Changed,
            breaks,
            format!("{} -> {}", osh.trim(), nsh.trim()),
        );
    }
    if (or.code, or.subcode) != (nr.code, nr.subcode) {
        out.push(
            "rule",
            id,
            ChangeKind::Changed,
            false,
            format!(
                "Graph answer {}/{:?} -> {}/{:?}",
                or.code, or.subcode, nr.code, nr.subcode
            ),
        );
    }
}

/// Bounds and length units: a tighter bound on an enforced rule breaks.
fn diff_limits(out: &mut Out, subject: &'static str, or: &Rule, nr: &Rule) {
    let id = or.id.as_str();
    let enforced = nr.severity == Severity::Error;
    let ((omin, omax, ounit), (nmin, nmax, nunit)) = (limits(&or.check), limits(&nr.check));
    let shown = |v: Option<u64>| v.map_or("none".into(), |v| v.to_string());
    if omax != nmax {
        let tighter = enforced
            && match (omax, nmax) {
                (Some(o), Some(n)) => n < o,
                (None, Some(_)) => true,
                _ => false,
            };
        let detail = format!("max {} -> {}", shown(omax), shown(nmax));
        out.push(subject, id, ChangeKind::Changed, tighter, detail);
    }
    if omin != nmin {
        let tighter = enforced
            && match (omin, nmin) {
                (Some(o), Some(n)) => n > o,
                (None, Some(_)) => true,
                _ => false,
            };
        let detail = format!("min {} -> {}", shown(omin), shown(nmin));
        out.push(subject, id, ChangeKind::Changed, tighter, detail);
    }
    if ounit != nunit {
        out.push(
            subject,
            id,
            ChangeKind::Changed,
            true,
            "length unit changed",
        );
    }
}

/// How many entries of the same code come before `errors[i]`: 0 for the
/// code's general meaning, more for the answers told apart by `message`.
fn rank(errors: &[ErrorCode], i: usize) -> usize {
    let e = &errors[i];
    errors[..i]
        .iter()
        .filter(|o| (o.code, o.subcode) == (e.code, e.subcode))
        .count()
}

/// The entry of `others` that `errors[i]` stands for: a code's general
/// meaning matches the other's general meaning, a later entry of the code
/// matches the entry of that code with its name.
fn counterpart<'a>(
    errors: &[ErrorCode],
    i: usize,
    others: &'a [ErrorCode],
) -> Option<&'a ErrorCode> {
    let e = &errors[i];
    let mut same_code = others
        .iter()
        .filter(|o| (o.code, o.subcode) == (e.code, e.subcode));
    if rank(errors, i) == 0 {
        same_code.next()
    } else {
        same_code
            .skip(1)
            .find(|o| o.rust.get_ref() == e.rust.get_ref())
    }
}

fn diff_errors(out: &mut Out, old: &Spec, new: &Spec) {
    // `100`, `10/2534022`; a code's later entries add their name.
    let key = |errors: &[ErrorCode], i: usize| {
        let e = &errors[i];
        let code = match e.subcode {
            Some(s) => format!("{}/{s}", e.code),
            None => e.code.to_string(),
        };
        match rank(errors, i) {
            0 => code,
            _ => format!("{code} {}", e.rust.get_ref()),
        }
    };
    let (olds, news) = (&old.file.errors, &new.file.errors);
    for (i, oe) in olds.iter().enumerate() {
        match counterpart(olds, i, news) {
            None => out.push(
                "error",
                key(olds, i),
                ChangeKind::Removed,
                false,
                oe.rust.get_ref().clone(),
            ),
            Some(ne) => {
                if oe.retry != ne.retry {
                    out.push(
                        "error",
                        key(olds, i),
                        ChangeKind::Changed,
                        false,
                        format!("retry class {} -> {}", oe.retry.as_str(), ne.retry.as_str()),
                    );
                }
            }
        }
    }
    for (i, ne) in news.iter().enumerate() {
        if counterpart(news, i, olds).is_none() {
            out.push_dated(
                "error",
                key(news, i),
                ChangeKind::Added,
                false,
                ne.since,
                format!("{} ({})", ne.rust.get_ref(), ne.retry.as_str()),
            );
        }
    }
}

fn diff_rates(out: &mut Out, old: &Spec, new: &Spec) {
    for (name, oc) in &old.file.rate_classes {
        match new.file.rate_classes.get(name.get_ref().as_str()) {
            None => out.push(
                "rate_class",
                name.get_ref().clone(),
                ChangeKind::Removed,
                false,
                "rate class gone",
            ),
            Some(nc) => {
                if (oc.limit, oc.per_seconds) != (nc.limit, nc.per_seconds) {
                    let lower = u64::from(nc.limit) * u64::from(oc.per_seconds)
                        < u64::from(oc.limit) * u64::from(nc.per_seconds);
                    out.push(
                        "rate_class",
                        name.get_ref().clone(),
                        ChangeKind::Changed,
                        lower,
                        format!(
                            "{}/{}s -> {}/{}s",
                            oc.limit, oc.per_seconds, nc.limit, nc.per_seconds
                        ),
                    );
                }
            }
        }
    }
    for (name, nc) in &new.file.rate_classes {
        if !old.file.rate_classes.contains_key(name.get_ref().as_str()) {
            out.push(
                "rate_class",
                name.get_ref().clone(),
                ChangeKind::Added,
                false,
                format!("{}/{}s", nc.limit, nc.per_seconds),
            );
        }
    }
}
