//! The rule kinds at run time: what a probe's hit does, and what each rule
//! concludes when the object it is evaluated on closes.

use std::fmt;

use serde_json::Value;

use super::plan::{CondPlan, CondTest, Eval, Group, Role, platform_index};
use super::walk::{Cursor, Seen, Slot, Step, Truth, Walk, describe};
use crate::model::{Platform, Unit};
use crate::spec::Seg;

impl<'v> Walk<'_, 'v> {
    /// A probe reached the end of its path at the current value (`None`
    /// for an expression).
    pub(super) fn hit(&mut self, c: Cursor, v: Option<&'v Value>) {
        let e = self.e;
        let probe = &e.probes[c.probe];
        let ri = probe.rule;
        match (&e.rules[ri].check, probe.role) {
            (Eval::Implication { when, .. }, Role::When) => {
                see(&mut self.slots[c.slot].when, when, v)
            }
            (Eval::Implication { then, .. }, Role::Then) => {
                see(&mut self.slots[c.slot].then, then, v)
            }
            (Eval::UniqueTrue(_), _) => {
                if matches!(v, Some(Value::Bool(true)))
                    || matches!(v, Some(Value::String(s)) if s == "true")
                {
                    self.slots[c.slot].trues += 1;
                }
            }
            (check, _) => {
                if let Some(violation) = self.value_rule(ri, check, v) {
                    self.pending.push((c.slot, violation));
                }
            }
        }
    }

    /// The per-value kinds, on one value.
    fn value_rule(
        &self,
        ri: usize,
        check: &Eval,
        v: Option<&'v Value>,
    ) -> Option<super::Violation> {
        let field = || self.last_key();
        match (check, v) {
            (Eval::MaxLen(max, unit), Some(v)) => {
                let len = match v {
                    // No more chars than bytes: a short string needs no count.
                    Value::String(s) if s.len() as u64 <= *max => return None,
                    Value::String(s) => match unit {
                        Unit::Chars => s.chars().count() as u64,
                        Unit::Bytes => s.len() as u64,
                    },
                    Value::Number(n) => n.to_string().len() as u64,
                    _ => 0,
                };
                (len > *max).then(|| {
                    let platform = self.platform.display_name();
                    self.violation(
                        ri,
                        &[],
                        &[
                            ("len", &len),
                            ("max", max),
                            ("unit", &unit.as_str()),
                            ("field", &field()),
                            ("platform", &platform),
                        ],
                    )
                })
            }
            (Eval::Items(min, max), Some(Value::Array(a))) => {
                let n = a.len() as u64;
                let broken = min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m);
                broken.then(|| {
                    let min = min.unwrap_or(0);
                    let max: &dyn fmt::Display = match max {
                        Some(m) => m,
                        None => &"any number of",
                    };
                    self.violation(ri, &[], &[("count", &n), ("min", &min), ("max", max)])
                })
            }
            (Eval::Range(min, max), Some(Value::Number(n))) => {
                let x = n.as_f64()?;
                let broken = min.is_some_and(|m| x < m as f64) || max.is_some_and(|m| x > m as f64);
                broken.then(|| {
                    let bound =
                        |b: &Option<u64>| b.map_or_else(|| "any".to_string(), |m| m.to_string());
                    let (lo, hi) = (bound(min), bound(max));
                    let value = n.to_string();
                    self.violation(ri, &[], &[("value", &value), ("min", &lo), ("max", &hi)])
                })
            }
            (Eval::Pattern(re, name), Some(Value::String(s))) => (!re.is_match(s))
                .then(|| self.violation(ri, &[], &[("value", s), ("pattern", name)])),
            (Eval::PlatformOnly(field_platforms, values), v) => {
                // The field itself first, then the value it holds.
                let (value, ps) = match (field_platforms, v) {
                    (Some(ps), _) if !ps.contains(&self.platform) => ("", ps),
                    (_, Some(Value::String(s))) => (s.as_str(), values.get(s.as_str())?),
                    _ => return None,
                };
                (!ps.contains(&self.platform)).then(|| {
                    let pname = self.platform.display_name();
                    let plist = platform_list(ps);
                    self.violation(
                        ri,
                        &[],
                        &[
                            ("field", &field()),
                            ("value", &value),
                            ("platform", &pname),
                            ("platforms", &plist),
                        ],
                    )
                })
            }
            (Eval::RefusedSince(values), Some(Value::String(s))) => {
                let (date, repl) = values.get(s.as_str())?;
                (*date <= self.e.as_of).then(|| {
                    self.violation(
                        ri,
                        &[],
                        &[("value", s), ("date", date), ("replacement", repl)],
                    )
                })
            }
            _ => None,
        }
    }

    /// The last key of the current pointer: the field a value sits in.
    fn last_key(&self) -> &'v str {
        self.ptr
            .iter()
            .rev()
            .find_map(|s| match s {
                Step::Key(k) => Some(*k),
                Step::Idx(_) => None,
            })
            .unwrap_or("")
    }

    /// Closes the object `v` opened for type `ti` at slot `base`: each of
    /// the type's rules concludes, in spec order.
    pub(super) fn close(&mut self, v: &'v Value, ti: usize, base: usize) {
        let e = self.e;
        // Those of the objects inside it were reported when they closed; an
        // inline variant's and its union's rules share the object.
        let mut pending: Vec<_> = if self.pending.is_empty() {
            Vec::new()
        } else {
            self.pending
                .extract_if(.., |(slot, _)| *slot >= base)
                .collect()
        };
        // Sorted by slot, then reversed to pop in order; a slot keeps the
        // order of its hits.
        pending.sort_by_key(|(slot, _)| *slot);
        pending.reverse();
        let t = &e.types[ti];
        if pending.is_empty() {
            // Per-value rules that found nothing have nothing to say.
            for &(pos, needs_when) in &t.closers[platform_index(self.platform)] {
                let slot = self.slots[base + pos];
                if needs_when && !slot.when.found && !slot.when.below {
                    continue;
                }
                let ri = t.rules[pos];
                if !self.quiet(ti, ri, slot) {
                    self.conclude(v, ti, base + pos, ri, &mut pending);
                }
            }
        } else {
            for (pos, &ri) in t.rules.iter().enumerate() {
                if e.rules[ri].applies_on(self.platform) {
                    self.conclude(v, ti, base + pos, ri, &mut pending);
                }
            }
        }
        self.slots.truncate(base);
    }

    /// Whether rule `ri` of type `ti` holds by what its slot holds alone:
    /// most rules do, and need not look at the object again.
    #[inline]
    fn quiet(&self, ti: usize, ri: usize, slot: Slot) -> bool {
        let counted = self.e.types[ti].counts_groups;
        match &self.e.rules[ri].check {
            check @ (Eval::ExactlyOne(_) | Eval::AtMostOne(_) | Eval::AtLeastOne(_)) => {
                counted && !group_broken(check, slot.trues as usize)
            }
            Eval::Implication {
                requires,
                when,
                then,
            } => !broken(*requires, (when, slot.when), (then, slot.then)),
            Eval::UniqueTrue(_) => slot.trues <= 1,
            _ => false,
        }
    }

    /// Rule `ri`, whose state is in `slot`, concludes on the object `v`.
    fn conclude(
        &mut self,
        v: &'v Value,
        ti: usize,
        slot: usize,
        ri: usize,
        pending: &mut Vec<(usize, super::Violation)>,
    ) {
        match &self.e.rules[ri].check {
            Eval::Global => {}
            check @ (Eval::ExactlyOne(g) | Eval::AtMostOne(g) | Eval::AtLeastOne(g)) => {
                self.group(v, ti, slot, ri, g, |n| group_broken(check, n));
            }
            Eval::Implication {
                requires,
                when,
                then,
            } => {
                let (w, t) = (self.slots[slot].when, self.slots[slot].then);
                self.implication(v, ri, *requires, (when, w), (then, t));
            }
            Eval::UniqueTrue(path) => {
                let count = self.slots[slot].trues;
                if count > 1 {
                    let second = self.second_true(v, path);
                    self.report(Some(ri), &second, &[("count", &count)]);
                }
            }
            Eval::MaxLen(..)
            | Eval::Items(..)
            | Eval::Range(..)
            | Eval::Pattern(..)
            | Eval::PlatformOnly(..)
            | Eval::RefusedSince(..) => {
                while pending.last().is_some_and(|(s, _)| *s == slot) {
                    if let Some((_, violation)) = pending.pop() {
                        self.out.push(violation);
                    }
                }
            }
        }
    }

    /// `exactly_one_of`, `at_most_one_of`, `at_least_one_of`: broken when
    /// `bad` holds of the number of fields present.
    fn group(
        &mut self,
        v: &'v Value,
        ti: usize,
        slot: usize,
        ri: usize,
        group: &Group,
        bad: impl Fn(usize) -> bool,
    ) {
        let names = &group.names;
        let Value::Object(map) = v else { return };
        let present = |n: &&String| map.get(n.as_str()).is_some_and(|x| !x.is_null());
        let count = if self.e.types[ti].counts_groups {
            self.slots[slot].trues as usize
        } else {
            names.iter().filter(present).count()
        };
        if !bad(count) {
            return;
        }
        let shown: Vec<&String> = names.iter().filter(present).collect();
        let fields = &group.listed;
        let present_list = sendapi_core::list(&shown, "and");
        let at: Vec<Step<'v>> = shown
            .get(1)
            .and_then(|k| map.get_key_value(k.as_str()))
            .map(|(k, _)| vec![Step::Key(k.as_str())])
            .unwrap_or_default();
        self.report(
            Some(ri),
            &at,
            &[
                ("fields", fields),
                ("present", &present_list),
                ("count", &count),
            ],
        );
    }

    /// `requires` and `forbids`, from what their conditions saw. The words
    /// and the pointer are found again only for a violation.
    fn implication(
        &mut self,
        v: &'v Value,
        ri: usize,
        requires: bool,
        (when, w): (&CondPlan, Seen),
        (then, t): (&CondPlan, Seen),
    ) {
        if !broken(requires, (when, w), (then, t)) {
            return;
        }
        let (at, field, path) = if requires {
            (self.cond(v, when, true).1, &when.text, &then.text)
        } else {
            (self.cond(v, then, true).1, &then.text, &when.text)
        };
        let value = &then.wanted;
        let mut found = String::new();
        each(self, v, &then.path, &mut Vec::new(), &mut |hit, _| {
            if found.is_empty() {
                found = hit.map_or_else(|| "an expression".into(), describe);
            }
        });
        if found.is_empty() {
            found = "nothing".to_string();
        }
        self.report(
            Some(ri),
            &at,
            &[
                ("field", field),
                ("path", path),
                ("value", value),
                ("found", &found),
            ],
        );
    }

    /// The pointer, relative to `v`, of the second `true` at `path`.
    fn second_true(&self, v: &'v Value, path: &[Seg]) -> Vec<Step<'v>> {
        let mut trues = 0;
        let mut second = Vec::new();
        each(self, v, path, &mut Vec::new(), &mut |hit, p| {
            if matches!(hit, Some(Value::Bool(true)))
                || matches!(hit, Some(Value::String(s)) if s == "true")
            {
                trues += 1;
                if trues == 2 {
                    second = p.to_vec();
                }
            }
        });
        second
    }

    /// Evaluates a condition by walking its path from `v` (rate classes,
    /// and the pointer of a violation); with `point`, also returns the
    /// pointer of the value it found.
    pub(super) fn cond(&self, v: &'v Value, c: &CondPlan, point: bool) -> (Truth, Vec<Step<'v>>) {
        let mut seen = Seen::default();
        let mut at: Vec<Step<'v>> = Vec::new();
        let below = each(self, v, &c.path, &mut Vec::new(), &mut |hit, p| {
            let first = !seen.found;
            let was = seen.matched;
            see(&mut seen, c, hit);
            if point && (first || (!was && seen.matched)) {
                at = p.to_vec();
            }
        });
        seen.below = below;
        (truth(c, seen), at)
    }
}

/// Whether a field group of `n` fields breaks the `*_of` rule `check`.
fn group_broken(check: &Eval, n: usize) -> bool {
    match check {
        Eval::ExactlyOne(_) => n != 1,
        Eval::AtMostOne(_) => n > 1,
        Eval::AtLeastOne(_) => n == 0,
        _ => false,
    }
}

/// Whether `requires` (or `forbids`) is broken by what its conditions saw.
fn broken(requires: bool, (when, w): (&CondPlan, Seen), (then, t): (&CondPlan, Seen)) -> bool {
    if truth(when, w) != Truth::True {
        return false;
    }
    let tt = truth(then, t);
    if requires {
        tt == Truth::False
    } else {
        tt == Truth::True
    }
}

/// Records one value a condition's path reached.
fn see(seen: &mut Seen, c: &CondPlan, v: Option<&Value>) {
    seen.found = true;
    match (v, &c.test) {
        (None, CondTest::OneOf(_) | CondTest::Matches(_)) => seen.unknown = true,
        (Some(Value::String(s)), CondTest::OneOf(vs)) if vs.iter().any(|w| w == s) => {
            seen.matched = true;
        }
        (Some(Value::String(s)), CondTest::Matches(re)) if re.is_match(s) => seen.matched = true,
        (Some(Value::Bool(b)), CondTest::OneOf(vs)) => {
            let s = if *b { "true" } else { "false" };
            if vs.iter().any(|w| w == s) {
                seen.matched = true;
            }
        }
        _ => {}
    }
}

/// Whether a condition holds, from what its path reached.
fn truth(c: &CondPlan, seen: Seen) -> Truth {
    let yes = |b: bool| if b { Truth::True } else { Truth::False };
    match &c.test {
        CondTest::Present(_) if !seen.found && seen.below => Truth::Unknown,
        CondTest::Present(want) => yes(seen.found == *want),
        CondTest::OneOf(_) | CondTest::Matches(_) => {
            if seen.matched {
                Truth::True
            } else if seen.unknown || seen.below {
                Truth::Unknown
            } else {
                Truth::False
            }
        }
    }
}

/// Calls `f` with every value `path` reaches from `v` (`None` for an
/// expression) and its pointer relative to `v`; returns whether an
/// expression above the end of the path hid where it leads.
fn each<'v>(
    walk: &Walk<'_, 'v>,
    v: &'v Value,
    path: &[Seg],
    rel: &mut Vec<Step<'v>>,
    f: &mut dyn FnMut(Option<&'v Value>, &[Step<'v>]),
) -> bool {
    if walk.is_opaque(v) {
        // An expression at the end of the path is present with an unknown
        // value; one above it hides whether the path exists.
        if path.is_empty() {
            f(None, rel);
            return false;
        }
        return true;
    }
    let Some((first, rest)) = path.split_first() else {
        if !v.is_null() {
            f(Some(v), rel);
        }
        return false;
    };
    let mut below = false;
    match (first, v) {
        (Seg::Key(k), Value::Object(map)) => {
            if let Some((key, child)) = map.get_key_value(k.as_str()) {
                rel.push(Step::Key(key));
                below |= each(walk, child, rest, rel, f);
                rel.pop();
            }
        }
        (Seg::Each, Value::Array(items)) => {
            for (i, child) in items.iter().enumerate() {
                rel.push(Step::Idx(i));
                below |= each(walk, child, rest, rel, f);
                rel.pop();
            }
        }
        _ => {}
    }
    below
}

fn platform_list(ps: &[Platform]) -> String {
    let names: Vec<&str> = ps.iter().map(|p| p.display_name()).collect();
    names.join(" and ")
}
