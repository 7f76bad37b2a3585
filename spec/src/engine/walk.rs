//! The walk: one pass over a body, guided by its types. It reports the
//! global kinds where they happen, and carries the rules' [`Cursor`]s down
//! the values their paths lead to, so each value is visited once.

use std::fmt;

use sendapi_core::pointer;
use sendapi_core::template::Template;
use serde_json::{Map, Value};

use super::plan::{EACH, KeyId, NO_KEY, Names, Role, Said, TypeRef, platform_index};
use super::{Engine, OPAQUE, Violation};
use crate::model::{Coercion, Platform, TypeKind};
use crate::spec::Prim;

/// Whether a condition holds; `Unknown` when a `request!` expression hides
/// the value it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Truth {
    True,
    False,
    Unknown,
}

/// One step of a JSON pointer.
#[derive(Debug, Clone, Copy)]
pub(super) enum Step<'v> {
    Key(&'v str),
    Idx(usize),
}

pub(super) fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => sendapi_core::quoted(s),
        Value::Array(a) => format!(
            "an array of {}",
            sendapi_core::count(a.len(), "item", "items")
        ),
        Value::Object(_) => "an object".into(),
    }
}

fn write_pointer(out: &mut String, steps: &[Step<'_>]) {
    for s in steps {
        match s {
            // Most keys need no escaping: copied whole, not char by char.
            Step::Key(k) if !k.contains(['~', '/']) => {
                out.push('/');
                out.push_str(k);
            }
            Step::Key(k) => pointer::push_key(out, k),
            Step::Idx(i) => pointer::push_index(out, *i),
        }
    }
}

/// An empty pointer for another body, in the same buffer: collecting a
/// vector's own iterator reuses its allocation.
fn recycle<'b>(mut steps: Vec<Step<'_>>) -> Vec<Step<'b>> {
    steps.clear();
    let recast = |step| match step {
        Step::Key(_) => Step::Key(""),
        Step::Idx(i) => Step::Idx(i),
    };
    steps.into_iter().map(recast).collect()
}

/// A probe on its way down: `seg` is the next segment of its path, `slot`
/// the rule's state in the open object it started from.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cursor {
    pub(super) probe: usize,
    pub(super) seg: usize,
    /// The key of segment `seg`, compared with each child's.
    pub(super) next: KeyId,
    pub(super) slot: usize,
}

/// What a rule has seen so far in the object it is evaluated on.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Slot {
    pub(super) when: Seen,
    pub(super) then: Seen,
    /// `unique_true`: how many `true`s.
    pub(super) trues: u32,
}

/// What a condition's probe found.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Seen {
    /// A value is at the path.
    pub(super) found: bool,
    /// A value at the path passes the test.
    pub(super) matched: bool,
    /// An expression stands at the end of the path.
    pub(super) unknown: bool,
    /// An expression stands above the end of the path.
    pub(super) below: bool,
}

pub(super) struct Walk<'e, 'v> {
    pub(super) e: &'e Engine,
    pub(super) platform: Platform,
    opaque: bool,
    /// The multipart parts the request carries beside its JSON fields.
    parts: &'e [&'e str],
    pub(super) ptr: Vec<Step<'v>>,
    pub(super) out: Vec<Violation>,
    /// Cursors below the start of their path, innermost last; those at
    /// the current value start at `here`.
    cursors: Vec<Cursor>,
    here: usize,
    /// The types opened on each object, as (type, first slot), innermost
    /// last; those opened on the current value start at `frames_here`. Their
    /// probes start at the value's children without cursors of their own.
    frames: Vec<(usize, usize)>,
    frames_here: usize,
    /// The states of the rules of every open object, innermost last.
    pub(super) slots: Vec<Slot>,
    /// Violations of per-value rules, by slot, until their object closes:
    /// a report lists them in spec order, whatever the walk's order.
    pub(super) pending: Vec<(usize, Violation)>,
}

/// Where [`Walk::leave`] takes the walk back to.
pub(super) struct Mark {
    here: usize,
    end: usize,
    frames_here: usize,
    frames_end: usize,
}

pub(super) type Vars<'a> = &'a [(&'a str, &'a dyn fmt::Display)];

/// The walk's buffers, kept per thread between bodies.
#[derive(Default)]
struct Scratch {
    ptr: Vec<Step<'static>>,
    cursors: Vec<Cursor>,
    frames: Vec<(usize, usize)>,
    slots: Vec<Slot>,
}

impl<'e, 'v> Walk<'e, 'v> {
    pub(super) fn new(e: &'e Engine, platform: Platform, opaque: bool) -> Self {
        Walk {
            e,
            platform,
            opaque,
            parts: &[],
            ptr: Vec::new(),
            out: Vec::new(),
            cursors: Vec::new(),
            here: 0,
            frames: Vec::new(),
            frames_here: 0,
            slots: Vec::new(),
            pending: Vec::new(),
        }
    }

    /// The same walk for a request that carries the multipart `parts`.
    pub(super) fn with_parts(mut self, parts: &'e [&'e str]) -> Self {
        self.parts = parts;
        self
    }

    /// Validates `body` as type `ty`. The cursor and slot buffers are kept
    /// per thread between bodies: growing them was a tenth of a small body.
    pub(super) fn run(mut self, body: &'v Value, ty: usize) -> Vec<Violation> {
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
        }
        let scratch = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        (self.cursors, self.frames, self.slots) = (scratch.cursors, scratch.frames, scratch.slots);
        self.ptr = recycle(scratch.ptr);
        self.visit(body, &TypeRef::Named(ty));
        let mut scratch = Scratch {
            ptr: recycle(self.ptr),
            cursors: self.cursors,
            frames: self.frames,
            slots: self.slots,
        };
        scratch.cursors.clear();
        scratch.frames.clear();
        scratch.slots.clear();
        SCRATCH.with(|s| *s.borrow_mut() = scratch);
        self.out
    }

    pub(super) fn is_opaque(&self, v: &Value) -> bool {
        self.opaque && matches!(v, Value::String(s) if s == OPAQUE)
    }

    pub(super) fn report(&mut self, rule: Option<usize>, extra: &[Step<'v>], vars: Vars<'_>) {
        if let Some(ri) = rule {
            let v = self.violation(ri, extra, vars);
            self.out.push(v);
        }
    }

    /// Rule `ri`'s violation at the current value plus `extra`.
    pub(super) fn violation(&self, ri: usize, extra: &[Step<'v>], vars: Vars<'_>) -> Violation {
        let r = &self.e.rules[ri];
        // `{path}` is the rule's own path unless the check names another.
        let path: Vars<'_> = &[("path", &r.path_text)];
        let render = |t: &Template| t.render_with(vars, path);
        self.worded(ri, extra, render(&r.message), render(&r.fix))
    }

    /// Rule `ri`'s violation at the current value plus `extra`, in words
    /// already rendered.
    fn worded(&self, ri: usize, extra: &[Step<'v>], message: String, fix: String) -> Violation {
        let r = &self.e.rules[ri];
        let mut pointer = String::with_capacity(64);
        write_pointer(&mut pointer, &self.ptr);
        write_pointer(&mut pointer, extra);
        Violation {
            rule: r.id.clone(),
            kind: r.kind,
            severity: r.severity,
            pointer,
            message,
            fix,
            doc: r.doc.clone(),
            code: r.code,
            subcode: r.subcode,
        }
    }

    fn coercion(&self, c: Coercion) -> Option<usize> {
        self.e
            .globals
            .coercions
            .iter()
            .find(|(k, _)| *k == c)
            .map(|(_, i)| *i)
    }

    /// The status warning of a field, variant or value that is not
    /// current, at the current value plus `extra`.
    #[inline]
    fn status(&mut self, said: Option<&Said>, extra: &[Step<'v>]) {
        if let Some(said) = said {
            self.say(said, extra);
        }
    }

    /// Reports a status warning; kept out of line so that the check above
    /// costs a current field nothing but a test.
    #[inline(never)]
    fn say(&mut self, said: &Said, extra: &[Step<'v>]) {
        let (message, fix) = said.words(&self.e.rules).clone();
        let v = self.worded(said.rule, extra, message, fix);
        self.out.push(v);
    }

    fn type_error(&mut self, v: &Value, expected: &dyn fmt::Display) {
        let found = describe(v);
        let rule = self.e.globals.type_mismatch;
        self.report(rule, &[], &[("expected", expected), ("found", &found)]);
    }

    pub(super) fn visit(&mut self, v: &'v Value, ty: &TypeRef) {
        if self.is_opaque(v) {
            return;
        }
        match ty {
            TypeRef::Prim(p) => self.prim(v, *p),
            TypeRef::Array(item) => match v {
                Value::Array(items) => {
                    for (i, it) in items.iter().enumerate() {
                        self.ptr.push(Step::Idx(i));
                        let mark = self.enter(EACH, it);
                        self.visit(it, item);
                        self.leave(mark);
                        self.ptr.pop();
                    }
                }
                _ => self.type_error(v, &"an array"),
            },
            TypeRef::Named(i) => self.named(v, *i),
        }
    }

    fn prim(&mut self, v: &Value, p: Prim) {
        match (p, v) {
            (Prim::Json, _)
            | (Prim::String | Prim::Id | Prim::StringOrNumber, Value::String(_))
            | (Prim::StringOrNumber | Prim::Number, Value::Number(_))
            | (Prim::Bool, Value::Bool(_)) => {}
            (Prim::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => {}
            (Prim::Id, Value::Number(n)) if n.is_i64() || n.is_u64() => {
                let rule = self.coercion(Coercion::NumberAsId);
                let found = n.to_string();
                self.report(rule, &[], &[("found", &found), ("value", &found)]);
            }
            (Prim::Bool, Value::String(s)) if s == "true" || s == "false" => {
                let rule = self.coercion(Coercion::StringAsBool);
                self.report(rule, &[], &[("found", s), ("value", s)]);
            }
            _ => self.type_error(v, &p.describe()),
        }
    }

    fn named(&mut self, v: &'v Value, ti: usize) {
        let e = self.e;
        let t = &e.types[ti];
        match t.kind {
            TypeKind::Enum => {
                let Value::String(s) = v else {
                    let expected = format!("a string ({})", t.name);
                    return self.type_error(v, &expected);
                };
                match t.value_ix.get(s.as_str()) {
                    Some(&(vi, alias)) => {
                        let val = &t.values[vi];
                        if alias {
                            let rule = self.coercion(Coercion::EnumAlias);
                            self.report(
                                rule,
                                &[],
                                &[("found", s), ("value", &val.name), ("expected", &val.name)],
                            );
                        }
                        self.status(val.said.as_deref(), &[]);
                    }
                    None => self.enum_error(s, &t.name, &t.value_names),
                }
            }
            TypeKind::Object | TypeKind::Keyed => {
                let Value::Object(map) = v else {
                    let expected = format!("an object ({})", t.name);
                    return self.type_error(v, &expected);
                };
                let base = self.open(ti);
                self.fields(map, ti, None, base, &t.field_names);
                self.close(v, ti, base);
            }
            TypeKind::Tagged => {
                let Value::Object(map) = v else {
                    let expected = format!("an object ({})", t.name);
                    return self.type_error(v, &expected);
                };
                let base = self.open(ti);
                self.tagged(v, map, ti);
                self.close(v, ti, base);
            }
        }
    }

    /// The variant a tagged object's tag names, after reporting a tag that
    /// is missing, unknown or not a string.
    fn variant(&mut self, entry: Option<(&'v String, &'v Value)>, ti: usize) -> Option<usize> {
        let e = self.e;
        let t = &e.types[ti];
        let tag = t.tag.as_deref().unwrap_or("type");
        match entry {
            None | Some((_, Value::Null)) => {
                let rule = e.globals.required;
                let owner = t.name.as_str();
                self.report(rule, &[], &[("field", &tag), ("type", &owner)]);
                None
            }
            Some((_, tv)) if self.is_opaque(tv) => None,
            Some((key, Value::String(s))) => match t.variant_ix.get(s.as_str()) {
                Some(&vi) => {
                    let var = &t.variants[vi];
                    self.status(var.said.as_deref(), &[Step::Key(key)]);
                    Some(vi)
                }
                None => {
                    self.ptr.push(Step::Key(key));
                    self.enum_error(s, &format!("{} `{tag}`", t.name), &t.variant_names);
                    self.ptr.pop();
                    None
                }
            },
            Some((key, other)) => {
                self.ptr.push(Step::Key(key));
                self.type_error(other, &"a string");
                self.ptr.pop();
                None
            }
        }
    }

    /// A tagged union's object: its tag, then its variant's fields inline
    /// or its content field.
    fn tagged(&mut self, v: &'v Value, map: &'v Map<String, Value>, ti: usize) {
        let e = self.e;
        let t = &e.types[ti];
        let tag = t.tag.as_deref().unwrap_or("type");
        let entry = map.get_key_value(tag);
        let chosen = self.variant(entry, ti);
        let variant = chosen.map(|vi| &t.variants[vi]);
        // An inline variant's rules are evaluated on the same object.
        let inline = match (&t.content, variant) {
            (None, Some(var)) => Some((var.ty, self.open(var.ty))),
            _ => None,
        };
        if let Some((key, tv)) = entry {
            self.follow_key(Step::Key(key), t.tag_key, tv);
        }
        match (&t.content, variant) {
            (Some(content), var) => self.content(map, ti, content, var.map(|v| v.ty)),
            (None, Some(var)) => {
                let base = inline.map_or(self.slots.len(), |(_, base)| base);
                let names = chosen.and_then(|vi| t.inline_names.get(vi));
                let names = names.unwrap_or(&e.types[var.ty].field_names);
                self.fields(map, var.ty, Some(tag), base, names);
            }
            (None, None) => {
                for (k, x) in map {
                    if k != tag {
                        self.follow(Step::Key(k), x);
                    }
                }
            }
        }
        if let Some((vt, base)) = inline {
            self.close(v, vt, base);
        }
    }

    /// An adjacently tagged object: only the tag and the content field,
    /// which holds the variant's body.
    fn content(
        &mut self,
        map: &'v Map<String, Value>,
        ti: usize,
        content: &str,
        variant_ty: Option<usize>,
    ) {
        let e = self.e;
        let t = &e.types[ti];
        let tag = t.tag.as_deref().unwrap_or("type");
        let mut body = None;
        for (k, x) in map {
            if k == content {
                body = Some((k, x));
            } else if k != tag {
                self.unknown(k, &t.name, &t.tag_names, false);
                self.follow(Step::Key(k), x);
            }
        }
        match (body, variant_ty) {
            // A variant whose body has no fields (the heart sticker) may
            // leave the content out.
            (None | Some((_, Value::Null)), Some(vt))
                if !e.types[vt].fields.is_empty() || e.types[vt].kind != TypeKind::Object =>
            {
                let rule = e.globals.required;
                let owner = t.name.as_str();
                self.report(rule, &[], &[("field", &content), ("type", &owner)]);
            }
            (Some((key, cv)), Some(vt)) => {
                self.ptr.push(Step::Key(key));
                let mark = self.enter(t.content_key, cv);
                self.visit(cv, &TypeRef::Named(vt));
                self.leave(mark);
                self.ptr.pop();
            }
            (Some((key, cv)), None) => self.follow(Step::Key(key), cv),
            // An empty variant may leave its body out.
            (None, _) => {}
        }
    }

    fn enum_error(&mut self, found: &str, what: &str, names: &Names) {
        let suggestion = names
            .candidates(&self.e.types)
            .closest(found)
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        let rule = self.e.globals.enum_value;
        self.report(
            rule,
            &[],
            &[
                ("found", &found),
                ("value", &found),
                ("type", &what),
                ("expected", &names.expected(&self.e.types)),
                ("suggestion", &suggestion),
            ],
        );
    }

    /// A key the object's type does not have.
    fn unknown(&mut self, key: &'v str, owner: &str, names: &Names, open: bool) {
        let suggestion = names
            .candidates(&self.e.types)
            .closest(key)
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        let rule = if open {
            self.e.globals.open_field
        } else {
            self.e.globals.unknown_field
        };
        self.report(
            rule,
            &[Step::Key(key)],
            &[
                ("field", &key),
                ("type", &owner),
                ("suggestion", &suggestion),
                ("expected", &names.expected(&self.e.types)),
            ],
        );
    }

    /// The fields of an object of type `ti`, whose rules have their slots
    /// from `base`; `names` are the keys an unknown key is told about.
    fn fields(
        &mut self,
        map: &'v Map<String, Value>,
        ti: usize,
        skip: Option<&str>,
        base: usize,
        names: &Names,
    ) {
        let e = self.e;
        let t = &e.types[ti];
        // The fields met with a value, by index (the first 64), for the
        // required check below.
        let mut met = 0u64;
        for (k, v) in map {
            if skip == Some(k.as_str()) {
                continue;
            }
            // A part's key is never a JSON key: in the body it is unknown.
            let known = t
                .field_ix
                .get(k.as_str())
                .filter(|&&fi| t.fields[fi].part.is_none());
            let Some(&fi) = known else {
                self.unknown(k, &t.name, names, t.open);
                self.follow(Step::Key(k), v);
                continue;
            };
            let f = &t.fields[fi];
            if v.is_null() {
                let rule = self.coercion(Coercion::NullAsAbsent);
                self.report(rule, &[Step::Key(k)], &[("field", k)]);
                continue;
            }
            if fi < 64 {
                met |= 1 << fi;
            }
            for &pos in &f.groups {
                self.slots[base + pos].trues += 1;
            }
            self.status(f.said.as_deref(), &[Step::Key(k)]);
            let ty = f
                .overrides
                .iter()
                .find(|(ci, value, _)| {
                    map.get(t.fields[*ci].name.as_str())
                        .is_some_and(|cv| cv.as_str() == Some(value.as_str()))
                })
                .map_or(&f.ty, |(_, _, ty)| ty);
            self.ptr.push(Step::Key(k));
            let mark = self.enter(f.key, v);
            self.visit(v, ty);
            self.leave(mark);
            self.ptr.pop();
        }
        self.carried_parts(ti, base);
        for &ri in &t.required {
            let f = &t.fields[ri];
            // The loop skipped the tag and did not meet parts' keys, and
            // counts only 64 fields: those are looked up.
            let unsure = ri >= 64 || f.part.is_some() || skip == Some(f.name.as_str());
            let absent = if unsure {
                map.get(f.name.as_str()).is_none_or(Value::is_null)
            } else {
                met & (1 << ri) == 0
            };
            if absent {
                let rule = e.globals.required;
                let owner = t.name.as_str();
                self.report(rule, &[], &[("field", &f.name), ("type", &owner)]);
            }
        }
    }

    /// The keys of type `ti` that the request's multipart parts stand for:
    /// present, for the field groups and the probes, without a JSON value.
    fn carried_parts(&mut self, ti: usize, base: usize) {
        static PART: Value = Value::Bool(true);
        if self.parts.is_empty() {
            return;
        }
        let e = self.e;
        for f in &e.types[ti].fields {
            let Some(part) = &f.part else { continue };
            if !self.parts.contains(&part.as_str()) {
                continue;
            }
            for &pos in &f.groups {
                self.slots[base + pos].trues += 1;
            }
            let mark = self.enter(f.key, &PART);
            self.leave(mark);
        }
    }

    /// Moves the cursors at the current value that want the key `key`
    /// onto the child `v` there, which `ptr` already ends at, and starts
    /// the probes of the types opened on this value whose paths begin with
    /// `key`: a path that ends there is a hit, one that goes on continues
    /// below. Returns where [`Walk::leave`] takes the walk back to.
    #[inline]
    pub(super) fn enter(&mut self, key: KeyId, v: &'v Value) -> Mark {
        let mark = Mark {
            here: self.here,
            end: self.cursors.len(),
            frames_here: self.frames_here,
            frames_end: self.frames.len(),
        };
        self.here = mark.end;
        self.frames_here = mark.frames_end;
        // Most children have no cursor or probe to take in: no call.
        let idle = mark.here == mark.end && mark.frames_here == mark.frames_end;
        if key != NO_KEY && !idle {
            self.take_in(key, v, &mark);
        }
        mark
    }

    /// [`Walk::enter`]'s moves and starts, for a key some probe may want.
    fn take_in(&mut self, key: KeyId, v: &'v Value, mark: &Mark) {
        for i in mark.here..mark.end {
            let c = self.cursors[i];
            if c.next == key {
                self.advance(c, v);
            }
        }
        let e = self.e;
        let platform = platform_index(self.platform);
        let k = usize::from(key);
        for f in mark.frames_here..mark.frames_end {
            let (ti, base) = self.frames[f];
            let t = &e.types[ti];
            let (Some(&from), Some(&to)) =
                (t.start_at[platform].get(k), t.start_at[platform].get(k + 1))
            else {
                continue;
            };
            let range = from as usize..to as usize;
            let present = self.is_opaque(v) || !v.is_null();
            for s in &t.starts[platform][range] {
                let slot = base + s.pos;
                match s.found {
                    Some(Role::When) if present => self.slots[slot].when.found = true,
                    Some(Role::Then) if present => self.slots[slot].then.found = true,
                    Some(_) => {}
                    None => self.advance(
                        Cursor {
                            probe: s.probe,
                            seg: 0,
                            next: s.key,
                            slot,
                        },
                        v,
                    ),
                }
            }
        }
    }

    /// Moves cursor `c`, whose segment `c.seg` is the key of `v`, onto `v`.
    #[inline]
    fn advance(&mut self, c: Cursor, v: &'v Value) {
        let probe = &self.e.probes[c.probe];
        let seg = c.seg + 1;
        let Some(&next) = probe.ids.get(seg) else {
            // The path ends here; an expression has an unknown value.
            if probe.presence {
                if self.is_opaque(v) || !v.is_null() {
                    let slot = &mut self.slots[c.slot];
                    match probe.role {
                        Role::When => slot.when.found = true,
                        Role::Then => slot.then.found = true,
                        Role::Value => {}
                    }
                }
            } else if self.is_opaque(v) {
                self.hit(c, None);
            } else if !v.is_null() {
                self.hit(c, Some(v));
            }
            return;
        };
        if self.is_opaque(v) {
            // An expression above the end hides whether the path exists.
            self.hidden(c);
        } else {
            self.cursors.push(Cursor { seg, next, ..c });
        }
    }

    /// Back from a child entered with [`Walk::enter`].
    pub(super) fn leave(&mut self, mark: Mark) {
        self.cursors.truncate(mark.end);
        self.frames.truncate(mark.frames_end);
        self.here = mark.here;
        self.frames_here = mark.frames_here;
    }

    /// Follows the cursors into a child the typed walk does not visit (an
    /// unknown key, a variant that could not be chosen): rules read the
    /// JSON as it is, whatever its type.
    pub(super) fn follow(&mut self, step: Step<'v>, v: &'v Value) {
        if self.here == self.cursors.len() && self.frames_here == self.frames.len() {
            return;
        }
        let key = match step {
            Step::Key(k) => self.e.keys.get(k).copied().unwrap_or(NO_KEY),
            Step::Idx(_) => EACH,
        };
        self.follow_key(step, key, v);
    }

    /// [`Walk::follow`] when the key's number is known.
    fn follow_key(&mut self, step: Step<'v>, key: KeyId, v: &'v Value) {
        let idle = self.here == self.cursors.len() && self.frames_here == self.frames.len();
        if key == NO_KEY || idle {
            return;
        }
        self.ptr.push(step);
        let mark = self.enter(key, v);
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    self.follow(Step::Key(k), x);
                }
            }
            Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    self.follow(Step::Idx(i), x);
                }
            }
            _ => {}
        }
        self.leave(mark);
        self.ptr.pop();
    }

    /// Opens the rules of type `ti` on the current object: a slot each; its
    /// probes start as the walk enters the object's children.
    pub(super) fn open(&mut self, ti: usize) -> usize {
        let e = self.e;
        let t = &e.types[ti];
        let base = self.slots.len();
        if t.rules.is_empty() {
            return base;
        }
        self.slots.resize(base + t.rules.len(), Slot::default());
        self.frames.push((ti, base));
        base
    }

    /// A cursor stopped above its path's end by an expression.
    fn hidden(&mut self, c: Cursor) {
        let slot = &mut self.slots[c.slot];
        match self.e.probes[c.probe].role {
            Role::When => slot.when.below = true,
            Role::Then => slot.then.below = true,
            Role::Value => {}
        }
    }
}
