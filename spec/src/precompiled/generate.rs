//! Writes the pre-compiled form of a loaded spec as Rust, and the tests that
//! keep the checked-in files equal to the TOML they come from.
//!
//! Every struct is destructured without `..`, so a field added to the model
//! does not compile here until the generator writes it.

use std::fmt::Write as _;
use std::ops::Range;

use crate::error::Problem;
use crate::model::{
    Carries, Coercion, Cond, Date, Endpoint, EnumValue, ErrorCode, Evidence, Field, Platform,
    RateClass, RawRule, RetryClass, RuleKind, Severity, Snapshot, Spanned, SpecFile, Status,
    TypeDef, TypeKind, Unit, Variant,
};
use crate::rule::{
    At, Bounds, Check, CheckedRegex, Condition, FieldGroup, Implication, ItemSet, MaxLen, Pattern,
};
use crate::rule::{Rule, Test};
use crate::spec::{Path, Seg, Spec};
use crate::webhook::{Dedupe, EventKind, EventWhen, WebhookEvent, Webhooks};

/// Generated source under construction: the expression being written, the
/// functions hoisted out of it (one per top-level item, so that no function
/// is huge), and what could not be written.
struct Out {
    buf: String,
    fns: Vec<String>,
    errors: Vec<String>,
}

impl Out {
    fn raw(&mut self, text: &str) {
        self.buf.push_str(text);
    }

    /// Writes `value` as its own function returning `ty` and calls it here.
    fn hoist(&mut self, ty: &str, value: &dyn Emit) {
        let outer = std::mem::take(&mut self.buf);
        value.emit(self);
        let body = std::mem::replace(&mut self.buf, outer);
        let n = self.fns.len();
        self.fns
            .push(format!("fn f{n}() -> {ty} {{\n    {body}\n}}\n"));
        let _ = write!(self.buf, "f{n}()");
    }

    fn strukt(&mut self, name: &str, fields: &[(&str, &dyn Emit)]) {
        let _ = write!(self.buf, "{name} {{ ");
        for (key, value) in fields {
            let _ = write!(self.buf, "{key}: ");
            value.emit(self);
            self.raw(", ");
        }
        self.raw("}");
    }

    fn call(&mut self, name: &str, args: &[&dyn Emit]) {
        let _ = write!(self.buf, "{name}(");
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                self.raw(", ");
            }
            a.emit(self);
        }
        self.raw(")");
    }

    /// `value` written on its own, for a function of its own; the functions
    /// it hoists join the rest.
    fn expr(&mut self, value: &dyn Emit) -> String {
        let outer = std::mem::take(&mut self.buf);
        value.emit(self);
        std::mem::replace(&mut self.buf, outer)
    }

    fn debug(&mut self, prefix: &str, value: &dyn std::fmt::Debug) {
        let _ = write!(self.buf, "{prefix}::{value:?}");
    }
}

trait Emit {
    fn emit(&self, o: &mut Out);

    /// `Spanned<Self>`.
    fn emit_spanned(&self, span: &Range<usize>, o: &mut Out) {
        o.raw("sp(");
        span.emit(o);
        o.raw(", ");
        self.emit(o);
        o.raw(")");
    }
}

/// Text written by a closure, such as a variable's name.
struct Verbatim<F>(F);

impl<F: Fn(&mut Out)> Emit for Verbatim<F> {
    fn emit(&self, o: &mut Out) {
        (self.0)(o);
    }
}

/// Lets an unsized `Emit` be passed as `&dyn Emit`.
struct Wrap<'a, T: ?Sized>(&'a T);

impl<T: Emit + ?Sized> Emit for Wrap<'_, T> {
    fn emit(&self, o: &mut Out) {
        self.0.emit(o);
    }
}

impl Emit for str {
    fn emit(&self, o: &mut Out) {
        // A str's Debug form is a valid Rust string literal.
        let _ = write!(o.buf, "{self:?}");
    }
}

impl Emit for String {
    fn emit(&self, o: &mut Out) {
        o.call("s", &[&Wrap(self.as_str())]);
    }

    // `Spanned<String>` is the most common value by far: a shorter form.
    fn emit_spanned(&self, span: &Range<usize>, o: &mut Out) {
        o.call("ss", &[span, &Wrap(self.as_str())]);
    }
}

macro_rules! literal {
    ($($t:ty),*) => {$(
        impl Emit for $t {
            fn emit(&self, o: &mut Out) {
                let _ = write!(o.buf, "{self}");
            }
        }
    )*};
}
literal!(bool, u32, u64, usize, i64);

macro_rules! unit_enum {
    ($($t:ident),*) => {$(
        impl Emit for $t {
            fn emit(&self, o: &mut Out) {
                o.debug(stringify!($t), self);
            }
        }
    )*};
}
unit_enum!(
    Status, TypeKind, RuleKind, Evidence, Coercion, Unit, Platform, Severity, RetryClass, EventKind
);

impl<T: Emit> Emit for Option<T> {
    fn emit(&self, o: &mut Out) {
        match self {
            None => o.raw("None"),
            Some(v) => o.call("Some", &[v]),
        }
    }
}

impl<T: Emit> Emit for Vec<T> {
    fn emit(&self, o: &mut Out) {
        o.raw("vec![");
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                o.raw(", ");
            }
            v.emit(o);
        }
        o.raw("]");
    }
}

impl Emit for Range<usize> {
    fn emit(&self, o: &mut Out) {
        let _ = write!(o.buf, "{}..{}", self.start, self.end);
    }
}

impl<T: Emit> Emit for Spanned<T> {
    fn emit(&self, o: &mut Out) {
        self.get_ref().emit_spanned(&self.span(), o);
    }
}

/// A map keyed by spanned names; each value in its own function when `ty`
/// is given.
fn map<V: Emit>(o: &mut Out, entries: &crate::model::Map<Spanned<String>, V>, ty: Option<&str>) {
    map_of(o, entries.iter(), ty);
}

fn map_of<'a, V: Emit + 'a>(
    o: &mut Out,
    entries: impl Iterator<Item = (&'a Spanned<String>, &'a V)>,
    ty: Option<&str>,
) {
    o.raw("m(vec![");
    for (k, v) in entries {
        o.raw("(");
        k.emit(o);
        o.raw(", ");
        match ty {
            Some(ty) => o.hoist(ty, v),
            None => v.emit(o),
        }
        o.raw("), ");
    }
    o.raw("])");
}

/// The first `n` types, or those after them.
/// The types in a range of positions.
struct TypesPart<'a>(
    &'a crate::model::Map<Spanned<String>, TypeDef>,
    Range<usize>,
);

impl Emit for TypesPart<'_> {
    fn emit(&self, o: &mut Out) {
        let TypesPart(types, range) = self;
        map_of(
            o,
            types.iter().skip(range.start).take(range.len()),
            Some("TypeDef"),
        );
    }
}

/// Of the types, the share the second thread builds for the whole
/// snapshot: the rest of it, receive side included, costs a little less to
/// build than its types, and the thread building them starts a little late.
const THREAD_SHARE: usize = 93;

/// Of the types, the share the second thread builds for the send side
/// alone, where the rest is only the rules, errors and rate classes.
const SEND_SIDE_THREAD_SHARE: usize = 72;

/// How many of the first types make up `share` percent of them, by the
/// size of their values.
fn types_within(types: &crate::model::Map<Spanned<String>, TypeDef>, share: usize) -> usize {
    let sizes: Vec<usize> = types.values().map(|d| format!("{d:?}").len()).collect();
    let total: usize = sizes.iter().sum();
    let mut sum = 0;
    sizes
        .iter()
        .take_while(|&&size| {
            sum += size;
            sum * 100 <= total * share
        })
        .count()
}

struct Map<'a, V>(
    &'a crate::model::Map<Spanned<String>, V>,
    Option<&'static str>,
);

impl<V: Emit> Emit for Map<'_, V> {
    fn emit(&self, o: &mut Out) {
        map(o, self.0, self.1);
    }
}

/// Each item of a list in its own function.
struct Hoisted<'a, T>(&'a [T], &'static str);

impl<T: Emit> Emit for Hoisted<'_, T> {
    fn emit(&self, o: &mut Out) {
        o.raw("vec![");
        for v in self.0 {
            o.hoist(self.1, v);
            o.raw(", ");
        }
        o.raw("]");
    }
}

impl Emit for Date {
    fn emit(&self, o: &mut Out) {
        let Date { year, month, day } = self;
        let _ = write!(o.buf, "d({year}, {month}, {day})");
    }
}

impl Emit for serde_json::Value {
    fn emit(&self, o: &mut Out) {
        use serde_json::Value;
        match self {
            Value::String(t) => o.call("serde_json::Value::String", &[t]),
            Value::Bool(b) => o.call("serde_json::Value::Bool", &[b]),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    let _ = write!(o.buf, "serde_json::Value::from({i}_i64)");
                } else if let Some(u) = n.as_u64() {
                    let _ = write!(o.buf, "serde_json::Value::from({u}_u64)");
                } else {
                    match n.as_f64() {
                        Some(f) if f.is_finite() => {
                            let _ = write!(o.buf, "serde_json::Value::from({f:?}_f64)");
                        }
                        _ => o.errors.push(format!("a `default` of {n} has no f64 form")),
                    }
                }
            }
            Value::Array(items) => o.call("serde_json::Value::Array", &[items]),
            other => o.errors.push(format!(
                "a `default` of {other} is not supported by the pre-compiled form; add it to precompiled/generate.rs"
            )),
        }
    }
}

impl Emit for Snapshot {
    fn emit(&self, o: &mut Out) {
        let Snapshot {
            name,
            graph_version,
            as_of,
            released,
            expires,
            doc,
            source,
            batch_limit,
            window_hours,
        } = self;
        o.strukt(
            "Snapshot",
            &[
                ("name", name),
                ("graph_version", graph_version),
                ("as_of", as_of),
                ("released", released),
                ("expires", expires),
                ("doc", doc),
                ("source", source),
                ("batch_limit", batch_limit),
                ("window_hours", window_hours),
            ],
        );
    }
}

impl Emit for Endpoint {
    fn emit(&self, o: &mut Out) {
        let Endpoint {
            method,
            path,
            request,
            response,
            error,
            doc,
            source,
        } = self;
        o.strukt(
            "Endpoint",
            &[
                ("method", method),
                ("path", path),
                ("request", request),
                ("response", response),
                ("error", error),
                ("doc", doc),
                ("source", source),
            ],
        );
    }
}

impl Emit for TypeDef {
    fn emit(&self, o: &mut Out) {
        let TypeDef {
            kind,
            doc,
            source,
            status,
            note,
            since,
            open,
            fields,
            tag,
            content,
            variants,
            values,
        } = self;
        o.strukt(
            "TypeDef",
            &[
                ("kind", kind),
                ("doc", doc),
                ("source", source),
                ("status", status),
                ("note", note),
                ("since", since),
                ("open", open),
                ("fields", &Map(fields, None)),
                ("tag", tag),
                ("content", content),
                ("variants", &Map(variants, None)),
                ("values", &Map(values, None)),
            ],
        );
    }
}

impl Emit for Field {
    fn emit(&self, o: &mut Out) {
        let Field {
            rust,
            ty,
            required,
            key,
            variant,
            part,
            default,
            response,
            doc,
            source,
            status,
            note,
            since,
            platforms,
        } = self;
        o.strukt(
            "Field",
            &[
                ("rust", rust),
                ("ty", ty),
                ("required", required),
                ("key", key),
                ("variant", variant),
                ("part", part),
                ("default", default),
                ("response", response),
                ("doc", doc),
                ("source", source),
                ("status", status),
                ("note", note),
                ("since", since),
                ("platforms", platforms),
            ],
        );
    }
}

impl Emit for Variant {
    fn emit(&self, o: &mut Out) {
        let Variant {
            rust,
            ty,
            refused_since,
            replacement,
            doc,
            source,
            status,
            note,
            since,
            platforms,
        } = self;
        o.strukt(
            "Variant",
            &[
                ("rust", rust),
                ("ty", ty),
                ("refused_since", refused_since),
                ("replacement", replacement),
                ("doc", doc),
                ("source", source),
                ("status", status),
                ("note", note),
                ("since", since),
                ("platforms", platforms),
            ],
        );
    }
}

impl Emit for EnumValue {
    fn emit(&self, o: &mut Out) {
        let EnumValue {
            rust,
            aliases,
            carries,
            refused_since,
            replacement,
            allowed,
            disallowed,
            window,
            window_hours,
            standard_window,
            permission,
            doc,
            source,
            status,
            note,
            since,
            platforms,
        } = self;
        o.strukt(
            "EnumValue",
            &[
                ("rust", rust),
                ("aliases", aliases),
                ("carries", carries),
                ("refused_since", refused_since),
                ("replacement", replacement),
                ("allowed", allowed),
                ("disallowed", disallowed),
                ("window", window),
                ("window_hours", window_hours),
                ("standard_window", standard_window),
                ("permission", permission),
                ("doc", doc),
                ("source", source),
                ("status", status),
                ("note", note),
                ("since", since),
                ("platforms", platforms),
            ],
        );
    }
}

impl Emit for Carries {
    fn emit(&self, o: &mut Out) {
        let Carries { field, ty } = self;
        o.strukt("Carries", &[("field", field), ("ty", ty)]);
    }
}

impl Emit for Cond {
    fn emit(&self, o: &mut Out) {
        let Cond {
            path,
            equals,
            one_of,
            present,
            matches,
        } = self;
        o.strukt(
            "Cond",
            &[
                ("path", path),
                ("equals", equals),
                ("one_of", one_of),
                ("present", present),
                ("matches", matches),
            ],
        );
    }
}

impl Emit for RawRule {
    fn emit(&self, o: &mut Out) {
        let RawRule {
            id,
            kind,
            on,
            path,
            fields,
            values,
            min,
            max,
            unit,
            pattern,
            pattern_name,
            when,
            then,
            coercion,
            status,
            applies_to,
            severity,
            evidence,
            basis,
            message,
            fix,
            source,
            code,
            subcode,
            note,
            since,
        } = self;
        o.strukt(
            "RawRule",
            &[
                ("id", id),
                ("kind", kind),
                ("on", on),
                ("path", path),
                ("fields", fields),
                ("values", values),
                ("min", min),
                ("max", max),
                ("unit", unit),
                ("pattern", pattern),
                ("pattern_name", pattern_name),
                ("when", when),
                ("then", then),
                ("coercion", coercion),
                ("status", status),
                ("applies_to", applies_to),
                ("severity", severity),
                ("evidence", evidence),
                ("basis", basis),
                ("message", message),
                ("fix", fix),
                ("source", source),
                ("code", code),
                ("subcode", subcode),
                ("note", note),
                ("since", since),
            ],
        );
    }
}

impl Emit for ErrorCode {
    fn emit(&self, o: &mut Out) {
        let ErrorCode {
            code,
            subcode,
            rust,
            error_type,
            message,
            current,
            doc,
            retry,
            source,
            evidence,
            since,
            note,
        } = self;
        o.strukt(
            "ErrorCode",
            &[
                ("code", code),
                ("subcode", subcode),
                ("rust", rust),
                ("error_type", error_type),
                ("message", message),
                ("current", current),
                ("doc", doc),
                ("retry", retry),
                ("source", source),
                ("evidence", evidence),
                ("since", since),
                ("note", note),
            ],
        );
    }
}

impl Emit for RateClass {
    fn emit(&self, o: &mut Out) {
        let RateClass {
            rust,
            limit,
            per_seconds,
            scope,
            default,
            when,
            doc,
            source,
            evidence,
        } = self;
        o.strukt(
            "RateClass",
            &[
                ("rust", rust),
                ("limit", limit),
                ("per_seconds", per_seconds),
                ("scope", scope),
                ("default", default),
                ("when", when),
                ("doc", doc),
                ("source", source),
                ("evidence", evidence),
            ],
        );
    }
}

impl Emit for Webhooks {
    fn emit(&self, o: &mut Out) {
        let Webhooks {
            doc,
            source,
            envelope,
            item,
            messaging,
            standby,
            events,
            types,
        } = self;
        o.strukt(
            "Webhooks",
            &[
                ("doc", doc),
                ("source", source),
                ("envelope", envelope),
                ("item", item),
                ("messaging", messaging),
                ("standby", standby),
                ("events", &Map(events, Some("WebhookEvent"))),
                ("types", &Map(types, Some("TypeDef"))),
            ],
        );
    }
}

impl Emit for WebhookEvent {
    fn emit(&self, o: &mut Out) {
        let WebhookEvent {
            key,
            aliases,
            flag,
            when,
            ty,
            kind,
            field,
            instagram_field,
            opens_window,
            standby,
            dedupe,
            doc,
            source,
            status,
            note,
            since,
            platforms,
        } = self;
        o.strukt(
            "WebhookEvent",
            &[
                ("key", key),
                ("aliases", aliases),
                ("flag", flag),
                ("when", when),
                ("ty", ty),
                ("kind", kind),
                ("field", field),
                ("instagram_field", instagram_field),
                ("opens_window", opens_window),
                ("standby", standby),
                ("dedupe", dedupe),
                ("doc", doc),
                ("source", source),
                ("status", status),
                ("note", note),
                ("since", since),
                ("platforms", platforms),
            ],
        );
    }
}

impl Emit for EventWhen {
    fn emit(&self, o: &mut Out) {
        let EventWhen { field, equals } = self;
        o.strukt("EventWhen", &[("field", field), ("equals", equals)]);
    }
}

impl Emit for Dedupe {
    fn emit(&self, o: &mut Out) {
        let Dedupe { mid, watermark } = self;
        o.strukt("Dedupe", &[("mid", mid), ("watermark", watermark)]);
    }
}

impl Emit for Rule {
    fn emit(&self, o: &mut Out) {
        let Rule {
            id,
            check,
            severity,
            evidence,
            basis,
            applies_to,
            message,
            fix,
            source,
            code,
            subcode,
            note,
            span,
        } = self;
        o.strukt(
            "Rule",
            &[
                ("id", id),
                ("check", check),
                ("severity", severity),
                ("evidence", evidence),
                ("basis", basis),
                ("applies_to", applies_to),
                ("message", message),
                ("fix", fix),
                ("source", source),
                ("code", code),
                ("subcode", subcode),
                ("note", note),
                ("span", span),
            ],
        );
    }
}

impl Emit for Check {
    fn emit(&self, o: &mut Out) {
        match self {
            Check::UnknownField => o.raw("Check::UnknownField"),
            Check::OpenField => o.raw("Check::OpenField"),
            Check::Type => o.raw("Check::Type"),
            Check::Coercion(c) => o.call("Check::Coercion", &[c]),
            Check::EnumValue => o.raw("Check::EnumValue"),
            Check::Required => o.raw("Check::Required"),
            Check::Status(s) => o.call("Check::Status", &[s]),
            Check::ExactlyOneOf(g) => o.call("Check::ExactlyOneOf", &[g]),
            Check::AtMostOneOf(g) => o.call("Check::AtMostOneOf", &[g]),
            Check::AtLeastOneOf(g) => o.call("Check::AtLeastOneOf", &[g]),
            Check::Requires(i) => o.call("Check::Requires", &[i]),
            Check::Forbids(i) => o.call("Check::Forbids", &[i]),
            Check::MaxLen(m) => o.call("Check::MaxLen", &[m]),
            Check::Items(b) => o.call("Check::Items", &[b]),
            Check::Range(b) => o.call("Check::Range", &[b]),
            Check::UniqueTrue(a) => o.call("Check::UniqueTrue", &[a]),
            Check::Pattern(p) => o.call("Check::Pattern", &[p]),
            Check::PlatformOnly(s) => o.call("Check::PlatformOnly", &[s]),
            Check::RefusedSince(s) => o.call("Check::RefusedSince", &[s]),
        }
    }
}

impl Emit for At {
    fn emit(&self, o: &mut Out) {
        let At { on, path } = self;
        o.strukt("At", &[("on", on), ("path", path)]);
    }
}

impl Emit for Path {
    fn emit(&self, o: &mut Out) {
        let Path { segs } = self;
        o.strukt("Path", &[("segs", segs)]);
    }
}

impl Emit for Seg {
    fn emit(&self, o: &mut Out) {
        match self {
            Seg::Key(k) => o.call("Seg::Key", &[k]),
            Seg::Each => o.raw("Seg::Each"),
        }
    }
}

impl Emit for FieldGroup {
    fn emit(&self, o: &mut Out) {
        let FieldGroup { on, fields } = self;
        o.strukt("FieldGroup", &[("on", on), ("fields", fields)]);
    }
}

impl Emit for Implication {
    fn emit(&self, o: &mut Out) {
        let Implication { on, when, then } = self;
        o.strukt("Implication", &[("on", on), ("when", when), ("then", then)]);
    }
}

impl Emit for Condition {
    fn emit(&self, o: &mut Out) {
        let Condition { path, test } = self;
        o.strukt("Condition", &[("path", path), ("test", test)]);
    }
}

/// A regular expression, by its text: it compiled when the spec was
/// loaded, and it is compiled again on first use.
impl Emit for CheckedRegex {
    fn emit(&self, o: &mut Out) {
        o.call("re", &[&Wrap(self.as_str())]);
    }
}

impl Emit for Test {
    fn emit(&self, o: &mut Out) {
        match self {
            Test::Equals(v) => o.call("Test::Equals", &[v]),
            Test::In(vs) => o.call("Test::In", &[vs]),
            Test::Present(b) => o.call("Test::Present", &[b]),
            Test::Matches(re) => o.call("Test::Matches", &[re]),
        }
    }
}

impl Emit for MaxLen {
    fn emit(&self, o: &mut Out) {
        let MaxLen { at, max, unit } = self;
        o.strukt("MaxLen", &[("at", at), ("max", max), ("unit", unit)]);
    }
}

impl Emit for Bounds {
    fn emit(&self, o: &mut Out) {
        let Bounds { at, min, max } = self;
        o.strukt("Bounds", &[("at", at), ("min", min), ("max", max)]);
    }
}

impl Emit for Pattern {
    fn emit(&self, o: &mut Out) {
        let Pattern { at, regex, name } = self;
        o.strukt("Pattern", &[("at", at), ("regex", regex), ("name", name)]);
    }
}

impl Emit for ItemSet {
    fn emit(&self, o: &mut Out) {
        let ItemSet { at, values } = self;
        o.strukt("ItemSet", &[("at", at), ("values", values)]);
    }
}

impl Emit for Problem {
    fn emit(&self, o: &mut Out) {
        let Problem {
            file,
            line,
            column,
            message,
        } = self;
        o.strukt(
            "Problem",
            &[
                ("file", file),
                ("line", line),
                ("column", column),
                ("message", message),
            ],
        );
    }
}

/// The generated file for a loaded bundled snapshot, or what stops it.
///
/// `spec()` builds most of the file's types in one half and everything else
/// in the other, two halves of about equal cost that `super::both` builds
/// at once where it can have a second thread: the macro's first expansion
/// waits for them. `send_side()` leaves the receive side out and moves the
/// split, so that its halves stay even.
fn source(name: &str, toml_path: &str, spec: &Spec) -> Result<String, String> {
    let Spec {
        file,
        origin,
        rules,
        rates,
        warnings,
        files,
    } = spec;
    let SpecFile {
        format,
        snapshot,
        sources,
        endpoints,
        types,
        rules: raw_rules,
        errors,
        rate_classes,
        webhooks,
    } = file;
    if !files.is_empty() {
        return Err(format!(
            "{name} was read from files on disk ({files:?}); a bundled snapshot is not"
        ));
    }
    let mut o = Out {
        buf: String::new(),
        fns: Vec::new(),
        errors: Vec::new(),
    };
    let head_end = types_within(types, SEND_SIDE_THREAD_SHARE);
    let middle_end = types_within(types, THREAD_SHARE).max(head_end);
    let head = o.expr(&TypesPart(types, 0..head_end));
    let middle = o.expr(&TypesPart(types, head_end..middle_end));
    // The receive side's functions are compiled with the `receive` feature
    // only: the macro builds the send side alone.
    let receive_first = o.fns.len();
    let receive_side = o.expr(webhooks);
    let receive_fns = receive_first..o.fns.len();
    o.strukt(
        "Spec",
        &[
            (
                "file",
                &Verbatim(|o: &mut Out| {
                    o.strukt(
                        "SpecFile",
                        &[
                            ("format", format),
                            ("snapshot", snapshot),
                            ("sources", &Map(sources, None)),
                            ("endpoints", &Map(endpoints, Some("Endpoint"))),
                            ("types", &TypesPart(types, middle_end..types.len())),
                            ("rules", &Hoisted(raw_rules, "RawRule")),
                            ("errors", &Hoisted(errors, "ErrorCode")),
                            ("rate_classes", &Map(rate_classes, Some("RateClass"))),
                            ("webhooks", &Verbatim(|o: &mut Out| o.raw("None"))),
                        ],
                    )
                }),
            ),
            ("origin", origin),
            ("rules", &Hoisted(rules, "Rule")),
            ("rates", rates),
            ("warnings", warnings),
            ("files", &Vec::<u32>::new()),
        ],
    );
    if !o.errors.is_empty() {
        return Err(o.errors.join("\n"));
    }
    let mut text = format!(
        "// @generated from `{toml_path}` (snapshot {name}) by spec/src/precompiled/generate.rs.\n\
         // Do not edit: regenerate it with\n\
         //     {BLESS}\n\
         \n\
         //! Snapshot {name}, loaded and linted, as the values that build it.\n\
         \n\
         #![allow(clippy::all, unused_imports)]\n\
         \n\
         use super::{{d, m, re, s, sp, ss}};\n\
         use crate::error::Problem;\n\
         use crate::model::*;\n\
         use crate::rule::*;\n\
         use crate::spec::{{Path, Seg, Spec}};\n\
         use crate::webhook::*;\n\
         \n\
         #[cfg(feature = \"receive\")]\n\
         pub(super) fn spec() -> Spec {{\n    \
         let ((mut types, middle), (mut spec, webhooks)) =\n        \
         super::both(|| (head(), middle()), || (rest(), webhooks()));\n    \
         types.extend(middle);\n    \
         types.extend(std::mem::take(&mut spec.file.types));\n    \
         spec.file.types = types;\n    \
         spec.file.webhooks = webhooks;\n    \
         spec\n}}\n\
         \n\
         /// The snapshot without its receive side (`webhooks` is `None`).\n\
         pub(super) fn send_side() -> Spec {{\n    \
         let (mut types, (middle, mut spec)) = super::both(head, || (middle(), rest()));\n    \
         types.extend(middle);\n    \
         types.extend(std::mem::take(&mut spec.file.types));\n    \
         spec.file.types = types;\n    \
         spec\n}}\n\
         \n\
         /// The first types: the second thread's share of the send side.\n\
         fn head() -> Map<Spanned<String>, TypeDef> {{\n    {head}\n}}\n\
         \n\
         /// The next types: with the first ones, the second thread's share\n\
         /// of the whole snapshot.\n\
         fn middle() -> Map<Spanned<String>, TypeDef> {{\n    {middle}\n}}\n\
         \n\
         /// Everything else of the send side, with the last types.\n\
         fn rest() -> Spec {{\n    {}\n}}\n\
         \n\
         /// The receive side.\n\
         #[cfg(feature = \"receive\")]\n\
         fn webhooks() -> Option<Webhooks> {{\n    {receive_side}\n}}\n",
        o.buf
    );
    for (i, f) in o.fns.iter().enumerate() {
        text.push('\n');
        if receive_fns.contains(&i) {
            text.push_str("#[cfg(feature = \"receive\")]\n");
        }
        text.push_str(f);
    }
    Ok(text)
}

/// The command that regenerates the checked-in files.
const BLESS: &str = "SENDAPI_BLESS=1 cargo test -p sendapi-spec --lib precompiled";

/// Each pre-compiled snapshot: its name, its generated file and the TOML it
/// comes from (relative to this crate).
const PRECOMPILED: [(&str, &str, &str); 1] =
    [("v26.0", "src/precompiled/v26.rs", "send-api/v26.0.toml")];

fn from_toml(name: &str) -> Spec {
    let (canonical, text) = crate::bundled::text_of(name).expect("a bundled snapshot");
    crate::load::load_str(&format!("bundled {canonical}"), text).expect("bundled snapshots load")
}

#[test]
fn precompiled_files_are_fresh() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for (name, file, toml_path) in PRECOMPILED {
        let expected = source(name, &format!("spec/{toml_path}"), &from_toml(name))
            .unwrap_or_else(|e| panic!("cannot pre-compile {name}: {e}"));
        let path = root.join(file);
        let found = std::fs::read_to_string(&path).unwrap_or_default();
        if found != expected {
            if std::env::var_os("SENDAPI_BLESS").is_some() {
                std::fs::write(&path, &expected).expect("writable generated file");
            } else {
                stale.push(format!(
                    "spec/{file} is stale (the spec or the model changed): run `{BLESS}` and commit the result"
                ));
            }
        }
    }
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}

/// The pre-compiled snapshot is the TOML-loaded one, value for value (the
/// Debug form shows every field, spans and regular expressions included),
/// and so is the engine compiled from it.
#[test]
fn precompiled_equals_loaded() {
    for (name, ..) in PRECOMPILED {
        let loaded = from_toml(name);
        let pre = super::spec(name).expect("pre-compiled");
        assert_eq!(format!("{pre:#?}"), format!("{loaded:#?}"), "{name}");
        assert_eq!(
            format!("{:?}", crate::Engine::new(&pre)),
            format!("{:?}", crate::Engine::new(&loaded)),
            "{name}"
        );
    }
}

/// The send side is the whole snapshot but for its receive side, which it
/// leaves out; the two differ in nothing else, nor do their engines.
#[test]
fn precompiled_send_side_is_the_snapshot_without_its_webhooks() {
    for (name, ..) in PRECOMPILED {
        let mut loaded = from_toml(name);
        assert!(loaded.webhooks().is_some(), "{name} has a receive side");
        let send_side = super::send_side(name).expect("pre-compiled");
        assert!(send_side.webhooks().is_none(), "{name}");
        loaded.file.webhooks = None;
        assert_eq!(format!("{send_side:#?}"), format!("{loaded:#?}"), "{name}");
        assert_eq!(
            format!("{:?}", crate::Engine::new(&send_side)),
            format!("{:?}", crate::Engine::new(&loaded)),
            "{name}"
        );
    }
}
