//! The lint: every reference resolves, every rule is well formed for its
//! kind, ids are unique, and severities follow DESIGN.md's policy.
//!
//! The lint runs on every load, so the engine, the generator and the diff can
//! rely on what it checks and never re-validate it.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

use crate::error::{Problem, line_col};
use crate::model::{
    Coercion, Cond, Evidence, Field, RuleKind, Severity, Spanned, Status, TypeDef, TypeKind,
};
use crate::spec::{Path, Prim, Spec, Target, Ty};

/// Placeholders a rule message or fix may use.
pub const PLACEHOLDERS: &[&str] = &[
    "field",
    "path",
    "value",
    "max",
    "min",
    "len",
    "count",
    "fields",
    "present",
    "expected",
    "found",
    "date",
    "replacement",
    "platform",
    "platforms",
    "suggestion",
    "note",
    "type",
    "pattern",
    "unit",
    "status",
];

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

struct Lint<'a> {
    spec: &'a Spec,
    text: &'a str,
    problems: Vec<(usize, Problem)>,
}

impl Lint<'_> {
    fn at(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, column) = line_col(self.text, span.start);
        self.problems.push((
            span.start,
            Problem {
                file: self.spec.origin.clone(),
                line,
                column,
                message: message.into(),
            },
        ));
    }

    fn source(&mut self, source: &Spanned<String>) {
        let s = source.get_ref();
        if !self.spec.file.sources.contains_key(s.as_str()) && !s.starts_with("https://") {
            let keys: Vec<&str> = self
                .spec
                .file
                .sources
                .keys()
                .map(|k| k.get_ref().as_str())
                .collect();
            self.at(
                source.span(),
                format!(
                    "expected a source key from [sources] or an https:// link, found `{s}`{}",
                    suggest(s, keys.iter().copied())
                ),
            );
        }
    }

    fn ty(&mut self, spelled: &Spanned<String>) -> Option<Ty> {
        match Ty::parse(spelled.get_ref()) {
            Ok(ty) => {
                if let Some(name) = named(&ty)
                    && self.spec.type_def(name).is_none()
                {
                    let names = self.spec.types().map(|(n, _)| n);
                    let hint = suggest(name, names);
                    self.at(
                        spelled.span(),
                        format!("unknown type `{name}`: expected a type from [types]{hint}"),
                    );
                    return None;
                }
                Some(ty)
            }
            Err(e) => {
                self.at(spelled.span(), e);
                None
            }
        }
    }

    fn placeholders(&mut self, span: Range<usize>, what: &str, text: &str) {
        for piece in crate::engine::template_pieces(text) {
            match piece {
                Err(e) => self.at(span.clone(), format!("{what}: {e}")),
                Ok(crate::engine::Piece::Var(name)) if !PLACEHOLDERS.contains(&name) => self.at(
                    span.clone(),
                    format!(
                        "{what}: unknown placeholder `{{{name}}}`; expected one of {} (write `{{{{` and `}}}}` for literal braces)",
                        PLACEHOLDERS.join(", ")
                    ),
                ),
                Ok(_) => {}
            }
        }
    }
}

fn named(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Named(n) => Some(n),
        Ty::Array(t) => named(t),
        Ty::Prim(_) => None,
    }
}

/// ", did you mean `x`?" when a candidate is close enough, else "".
pub(crate) fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match crate::engine::closest(word, candidates) {
        Some(c) => format!("; did you mean `{c}`?"),
        None => String::new(),
    }
}

fn is_snake(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_camel(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Runs every check; returns the problems in file order.
pub(crate) fn lint(spec: &Spec, text: &str) -> Vec<Problem> {
    let mut l = Lint {
        spec,
        text,
        problems: Vec::new(),
    };
    let f = &spec.file;
    if *f.format.get_ref() != 1 {
        l.at(
            f.format.span(),
            format!(
                "expected format = 1 (the format this sendapi reads), found {}",
                f.format.get_ref()
            ),
        );
    }
    l.source(&f.snapshot.source);
    if !f.snapshot.graph_version.get_ref().starts_with('v') {
        l.at(
            f.snapshot.graph_version.span(),
            format!(
                "expected a Graph version like `v26.0`, found `{}`",
                f.snapshot.graph_version.get_ref()
            ),
        );
    }
    for (key, link) in &f.sources {
        if !link.starts_with("https://") {
            l.at(
                key.span(),
                format!(
                    "source `{}`: expected an https:// link, found `{link}`",
                    key.get_ref()
                ),
            );
        }
    }
    if !f.endpoints.contains_key("messages") {
        l.at(
            0..0,
            "expected an endpoint named `messages` (the Send API), found none",
        );
    }
    for ep in f.endpoints.values() {
        l.source(&ep.source);
        for t in [Some(&ep.request), ep.response.as_ref(), Some(&ep.error)]
            .into_iter()
            .flatten()
        {
            l.ty(t);
        }
    }
    for (name, def) in &f.types {
        lint_type(&mut l, name, def);
    }
    lint_carries(&mut l);
    lint_reachable(&mut l);
    lint_rules(&mut l);
    lint_coverage(&mut l);
    lint_errors(&mut l);
    lint_rates(&mut l);
    let mut problems = l.problems;
    problems.sort_by_key(|(offset, _)| *offset);
    problems.dedup_by(|a, b| a.1 == b.1);
    problems.into_iter().map(|(_, p)| p).collect()
}

fn lint_type(l: &mut Lint<'_>, name: &Spanned<String>, def: &TypeDef) {
    let n = name.get_ref();
    if !is_camel(n) {
        l.at(
            name.span(),
            format!("type name `{n}`: expected an UpperCamelCase Rust type name"),
        );
    }
    l.source(&def.source);
    let kind = *def.kind.get_ref();
    let has_fields = !def.fields.is_empty();
    let has_variants = !def.variants.is_empty();
    let has_values = !def.values.is_empty();
    let wrong = |what: &str| format!("type `{n}` is `{}` and cannot have {what}", kind.as_str());
    match kind {
        TypeKind::Object | TypeKind::Keyed => {
            if has_variants {
                l.at(name.span(), wrong("`variants`"));
            }
            if has_values {
                l.at(name.span(), wrong("`values`"));
            }
            if def.tag.is_some() || def.content.is_some() {
                l.at(name.span(), wrong("`tag` or `content`"));
            }
        }
        TypeKind::Tagged => {
            if has_fields {
                l.at(
                    name.span(),
                    wrong("`fields` (put them in the variant types)"),
                );
            }
            if has_values {
                l.at(name.span(), wrong("`values`"));
            }
            if def.tag.is_none() {
                l.at(
                    name.span(),
                    format!("tagged type `{n}`: expected `tag = \"…\"` naming the field that holds the variant, found none"),
                );
            }
            if !has_variants {
                l.at(
                    name.span(),
                    format!("tagged type `{n}`: expected at least one variant, found none"),
                );
            }
        }
        TypeKind::Enum => {
            if has_fields || has_variants || def.tag.is_some() || def.content.is_some() {
                l.at(name.span(), wrong("fields, variants, `tag` or `content`"));
            }
            if !has_values {
                l.at(
                    name.span(),
                    format!("enum `{n}`: expected at least one value, found none"),
                );
            }
        }
    }
    if def.open && kind != TypeKind::Object {
        l.at(
            name.span(),
            format!("type `{n}`: only objects can be `open`"),
        );
    }
    let mut rust_names = HashSet::new();
    let mut variant_of_keys = HashSet::new();
    let mut keys = 0;
    for (wire, field) in &def.fields {
        lint_field(l, n, kind, wire, field, &mut rust_names);
        if field.key {
            keys += 1;
            if let Some(v) = &field.variant
                && !variant_of_keys.insert(v.get_ref().clone())
            {
                l.at(
                    v.span(),
                    format!(
                        "duplicate variant name `{}` in keyed type `{n}`",
                        v.get_ref()
                    ),
                );
            }
        }
    }
    if kind == TypeKind::Keyed && keys < 2 {
        l.at(
            name.span(),
            format!(
                "keyed type `{n}`: expected at least two fields with `key = true`, found {keys}"
            ),
        );
    }
    let mut variant_names = HashSet::new();
    for (wire, v) in &def.variants {
        l.source(&v.source);
        lint_since(
            l,
            wire.span(),
            &format!("variant `{}`", wire.get_ref()),
            v.since,
        );
        if let Some(ty) = l.ty(&v.ty)
            && let Some(vdef) = named(&ty).and_then(|t| l.spec.type_def(t))
        {
            let vk = *vdef.kind.get_ref();
            if def.content.is_none() && !matches!(vk, TypeKind::Object | TypeKind::Keyed) {
                l.at(
                    v.ty.span(),
                    format!(
                        "variant `{}` of `{n}`: an inline variant must be an object or keyed type, found `{}` ({})",
                        wire.get_ref(),
                        v.ty.get_ref(),
                        vk.as_str()
                    ),
                );
            }
            if let Some(tag) = &def.tag
                && def.content.is_none()
                && vdef.fields.contains_key(tag.get_ref().as_str())
            {
                l.at(
                    v.ty.span(),
                    format!(
                        "variant type `{}` declares the tag field `{}`; the tag belongs to the union `{n}`",
                        v.ty.get_ref(),
                        tag.get_ref()
                    ),
                );
            }
        }
        if !is_camel(v.rust.get_ref()) {
            l.at(
                v.rust.span(),
                format!(
                    "variant `{}`: expected an UpperCamelCase Rust name, found `{}`",
                    wire.get_ref(),
                    v.rust.get_ref()
                ),
            );
        }
        if !variant_names.insert(v.rust.get_ref().clone()) {
            l.at(
                v.rust.span(),
                format!(
                    "duplicate Rust variant name `{}` in `{n}`",
                    v.rust.get_ref()
                ),
            );
        }
        if v.replacement.is_some() != v.refused_since.is_some() {
            l.at(
                wire.span(),
                format!(
                    "variant `{}`: `refused_since` and `replacement` go together",
                    wire.get_ref()
                ),
            );
        }
    }
    for (wire, v) in &def.values {
        l.source(&v.source);
        lint_since(
            l,
            wire.span(),
            &format!("value `{}`", wire.get_ref()),
            v.since,
        );
        if !is_camel(v.rust.get_ref()) {
            l.at(
                v.rust.span(),
                format!(
                    "value `{}`: expected an UpperCamelCase Rust name, found `{}`",
                    wire.get_ref(),
                    v.rust.get_ref()
                ),
            );
        }
        if !variant_names.insert(v.rust.get_ref().clone()) {
            l.at(
                v.rust.span(),
                format!(
                    "duplicate Rust variant name `{}` in `{n}`",
                    v.rust.get_ref()
                ),
            );
        }
        if v.replacement.is_some() != v.refused_since.is_some() {
            l.at(
                wire.span(),
                format!(
                    "value `{}`: `refused_since` and `replacement` go together",
                    wire.get_ref()
                ),
            );
        }
        for a in &v.aliases {
            if def.values.contains_key(a.as_str()) {
                l.at(
                    wire.span(),
                    format!(
                        "alias `{a}` of `{}` is also a value of `{n}`",
                        wire.get_ref()
                    ),
                );
            }
        }
        if let Some(c) = &v.carries
            && let Some(t) = &c.ty
        {
            l.ty(t);
        }
    }
}

fn lint_since(l: &mut Lint<'_>, span: Range<usize>, what: &str, since: Option<crate::model::Date>) {
    if let Some(d) = since
        && d > l.spec.as_of()
    {
        let as_of = l.spec.as_of();
        l.at(span, format!("{what} has `since = {d}`, after the snapshot's as_of {as_of}; a snapshot describes only what existed on its date"));
    }
}

fn lint_field(
    l: &mut Lint<'_>,
    owner: &str,
    kind: TypeKind,
    wire: &Spanned<String>,
    field: &Field,
    rust_names: &mut HashSet<String>,
) {
    let w = wire.get_ref();
    l.source(&field.source);
    lint_since(l, wire.span(), &format!("field `{owner}.{w}`"), field.since);
    let rust = field.rust.get_ref();
    if !is_snake(rust) {
        l.at(
            field.rust.span(),
            format!("field `{owner}.{w}`: expected a snake_case Rust name, found `{rust}`"),
        );
    } else if RUST_KEYWORDS.contains(&rust.as_str()) {
        l.at(
            field.rust.span(),
            format!("field `{owner}.{w}`: `{rust}` is a Rust keyword; choose another Rust name (the wire name stays `{w}`)"),
        );
    }
    if !rust_names.insert(rust.clone()) {
        l.at(
            field.rust.span(),
            format!("duplicate Rust field name `{rust}` in `{owner}`"),
        );
    }
    l.ty(&field.ty);
    if let Some(r) = &field.response {
        l.ty(r);
    }
    if field.key {
        if kind != TypeKind::Keyed {
            l.at(
                wire.span(),
                format!("field `{owner}.{w}` has `key = true`, but `{owner}` is not a keyed type"),
            );
        }
        if field.required {
            l.at(
                wire.span(),
                format!("key field `{owner}.{w}` cannot be `required`; exactly one key is present"),
            );
        }
        match &field.variant {
            None => l.at(
                wire.span(),
                format!("key field `{owner}.{w}`: expected `variant = \"…\"` (the Rust variant name), found none"),
            ),
            Some(v) if !is_camel(v.get_ref()) => l.at(
                v.span(),
                format!("key field `{owner}.{w}`: expected an UpperCamelCase variant name, found `{}`", v.get_ref()),
            ),
            Some(_) => {}
        }
    } else if let Some(v) = &field.variant {
        l.at(
            v.span(),
            format!("field `{owner}.{w}`: only key fields name a `variant`"),
        );
    }
}

/// An enum value that carries a sibling field needs that sibling next to
/// every field of the enum's type, and rules that tie the two together.
fn lint_carries(l: &mut Lint<'_>) {
    let spec = l.spec;
    for (owner, def) in spec.types() {
        for (carrier_wire, carrier) in &def.fields {
            let Ok(Ty::Named(enum_name)) = Ty::parse(carrier.ty.get_ref()) else {
                continue;
            };
            let Some(edef) = spec.type_def(&enum_name) else {
                continue;
            };
            for (vwire, v) in &edef.values {
                let Some(c) = &v.carries else { continue };
                let carried = c.field.get_ref();
                if !def.fields.contains_key(carried.as_str()) {
                    l.at(
                        c.field.span(),
                        format!(
                            "value `{}` carries `{carried}`, but `{owner}` (which has `{}`) has no field `{carried}`",
                            vwire.get_ref(),
                            carrier_wire.get_ref()
                        ),
                    );
                    continue;
                }
                // The carried field exists exactly when the value is chosen:
                // a `requires` rule each way makes the engine say so.
                let has = |when: (&str, Option<&str>), then: (&str, Option<&str>)| {
                    spec.rules().iter().any(|r| {
                        *r.kind.get_ref() == RuleKind::Requires
                            && *r.severity.get_ref() == Severity::Error
                            && r.on.as_ref().is_some_and(|o| o.get_ref() == owner)
                            && cond_is(r.when.as_ref(), when)
                            && cond_is(r.then.as_ref(), then)
                    })
                };
                let value = vwire.get_ref().as_str();
                let forward = has((carried, None), (carrier_wire.get_ref(), Some(value)));
                let backward = has((carrier_wire.get_ref(), Some(value)), (carried, None));
                if !forward || !backward {
                    l.at(
                        c.field.span(),
                        format!(
                            "value `{value}` carries `{carried}` on `{owner}`: expected error-severity `requires` rules both ways ({carried} present -> {} = {value}, and back), found {}",
                            carrier_wire.get_ref(),
                            if forward { "only the first" } else if backward { "only the second" } else { "neither" }
                        ),
                    );
                }
            }
        }
    }
}

/// Whether a condition tests `path` for presence (`None`) or for a value
/// that includes `value`.
fn cond_is(cond: Option<&Cond>, (path, value): (&str, Option<&str>)) -> bool {
    let Some(c) = cond else { return false };
    if c.path.get_ref() != path {
        return false;
    }
    match value {
        None => c.present == Some(true) && c.equals.is_none() && c.one_of.is_none(),
        Some(v) => {
            c.equals.as_deref() == Some(v)
                || c.one_of
                    .as_ref()
                    .is_some_and(|vs| vs.iter().any(|x| x == v))
        }
    }
}

fn lint_reachable(l: &mut Lint<'_>) {
    let spec = l.spec;
    let mut seen: HashSet<String> = HashSet::new();
    let mut stack: Vec<String> = Vec::new();
    let push = |t: &str, stack: &mut Vec<String>| {
        if let Ok(ty) = Ty::parse(t)
            && let Some(n) = named(&ty)
        {
            stack.push(n.to_string());
        }
    };
    for ep in spec.file.endpoints.values() {
        push(ep.request.get_ref(), &mut stack);
        push(ep.error.get_ref(), &mut stack);
        if let Some(r) = &ep.response {
            push(r.get_ref(), &mut stack);
        }
    }
    while let Some(n) = stack.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        let Some(def) = spec.type_def(&n) else {
            continue;
        };
        for f in def.fields.values() {
            push(f.ty.get_ref(), &mut stack);
            if let Some(r) = &f.response {
                push(r.get_ref(), &mut stack);
            }
        }
        for v in def.variants.values() {
            push(v.ty.get_ref(), &mut stack);
        }
        for v in def.values.values() {
            if let Some(t) = v.carries.as_ref().and_then(|c| c.ty.as_ref()) {
                push(t.get_ref(), &mut stack);
            }
        }
    }
    for (name, _) in &spec.file.types {
        if !seen.contains(name.get_ref().as_str()) {
            l.at(
                name.span(),
                format!(
                    "type `{}` is not reachable from any endpoint; use it or remove it",
                    name.get_ref()
                ),
            );
        }
    }
}

/// The enum values or tag values a path can end at, when it ends at an enum
/// or a union tag.
pub(crate) fn target_values(spec: &Spec, targets: &[Target]) -> Option<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    let mut any = false;
    for t in targets {
        match t {
            Target::Tag { owner } => {
                any = true;
                if let Some(d) = spec.type_def(owner) {
                    out.extend(d.variants.keys().map(|k| k.get_ref().clone()));
                }
            }
            Target::Field { ty, .. } | Target::Item { ty } => {
                if let Ty::Named(n) = ty
                    && let Some(d) = spec.type_def(n)
                    && *d.kind.get_ref() == TypeKind::Enum
                {
                    any = true;
                    for (k, v) in &d.values {
                        out.insert(k.get_ref().clone());
                        out.extend(v.aliases.iter().cloned());
                    }
                }
            }
            Target::Content { .. } => {}
        }
    }
    any.then_some(out)
}

fn lint_rules(l: &mut Lint<'_>) {
    let spec = l.spec;
    let mut ids: HashMap<&str, Range<usize>> = HashMap::new();
    for r in spec.rules() {
        let id = r.id.get_ref();
        if !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
            || id.is_empty()
        {
            l.at(
                r.id.span(),
                format!("rule id `{id}`: expected lower-case words joined by `.` or `_`"),
            );
        }
        if ids.insert(id, r.id.span()).is_some() {
            l.at(r.id.span(), format!("duplicate rule id `{id}`"));
        }
        l.source(&r.source);
        l.placeholders(r.id.span(), &format!("rule `{id}` message"), &r.message);
        l.placeholders(r.id.span(), &format!("rule `{id}` fix"), &r.fix);
        if r.message.trim().is_empty() || r.fix.trim().is_empty() {
            l.at(
                r.id.span(),
                format!(
                    "rule `{id}`: `message` and `fix` must say what is wrong and how to fix it"
                ),
            );
        }
        // DESIGN.md's severity policy: an error needs Meta's word, or a
        // recorded confirmation or decision in `basis`.
        if *r.severity.get_ref() == Severity::Error
            && r.evidence != Evidence::Confirmed
            && r.basis.is_none()
        {
            l.at(
                r.severity.span(),
                format!(
                    "rule `{id}`: evidence `{}` gives a warning, found severity error; lower it or record the confirmation or decision in `basis`",
                    r.evidence.as_str()
                ),
            );
        }
        lint_rule_shape(l, r);
    }
}

fn lint_rule_shape(l: &mut Lint<'_>, r: &crate::model::Rule) {
    let spec = l.spec;
    let id = r.id.get_ref().clone();
    let kind = *r.kind.get_ref();
    let kspan = r.kind.span();
    let need = |l: &mut Lint<'_>, ok: bool, what: &str| {
        if !ok {
            l.at(
                kspan.clone(),
                format!("rule `{id}` of kind `{kind}`: expected {what}, found none"),
            );
        }
    };
    let forbid = |l: &mut Lint<'_>, present: bool, what: &str| {
        if present {
            l.at(
                kspan.clone(),
                format!("rule `{id}` of kind `{kind}` does not take {what}"),
            );
        }
    };
    if kind.is_global() {
        forbid(l, r.on.is_some(), "`on` (global kinds apply to every type)");
        forbid(l, r.path.is_some(), "`path`");
        forbid(
            l,
            r.applies_to.is_some(),
            "`applies_to` (global kinds apply on every platform)",
        );
    } else {
        need(l, r.on.is_some(), "`on` (the type it is evaluated on)");
    }
    let on_def = r.on.as_ref().and_then(|on| {
        let d = spec.type_def(on.get_ref());
        if d.is_none() {
            let hint = suggest(on.get_ref(), spec.types().map(|(n, _)| n));
            l.at(
                on.span(),
                format!("rule `{id}`: unknown type `{}`{hint}", on.get_ref()),
            );
        }
        d.map(|d| (on.get_ref().as_str(), d))
    });
    if let Some((on, d)) = on_def
        && *d.kind.get_ref() == TypeKind::Enum
    {
        l.at(
            r.on.as_ref().map_or(0..0, |o| o.span()),
            format!("rule `{id}`: rules are evaluated on objects and unions, not on enum `{on}`"),
        );
    }
    let on_name = on_def.map(|(n, _)| n);
    let targets = match (&r.path, on_name) {
        (Some(p), Some(on)) => match Path::parse(p.get_ref()) {
            Ok(path) => match spec.walk(on, &path) {
                Ok(t) => Some((path, t)),
                Err(e) => {
                    l.at(p.span(), format!("rule `{id}`: {e}"));
                    None
                }
            },
            Err(e) => {
                l.at(p.span(), format!("rule `{id}`: {e}"));
                None
            }
        },
        _ => None,
    };
    let path_kinds = [
        RuleKind::MaxLen,
        RuleKind::Items,
        RuleKind::Range,
        RuleKind::UniqueTrue,
        RuleKind::Pattern,
        RuleKind::PlatformOnly,
        RuleKind::RefusedSince,
    ];
    if path_kinds.contains(&kind) {
        need(l, r.path.is_some(), "`path`");
    } else if !kind.is_global() {
        forbid(l, r.path.is_some(), "`path`");
    }
    let fields_kinds = [
        RuleKind::ExactlyOneOf,
        RuleKind::AtMostOneOf,
        RuleKind::AtLeastOneOf,
    ];
    if fields_kinds.contains(&kind) {
        need(l, r.fields.len() >= 2, "`fields` with at least two names");
        // A name given twice is counted twice by the engine: at_most_one_of
        // would then fire on every body that has it.
        let mut named = HashSet::new();
        for f in &r.fields {
            if !named.insert(f.get_ref().as_str()) {
                l.at(
                    f.span(),
                    format!("rule `{id}`: `{}` is named twice in `fields`", f.get_ref()),
                );
            }
        }
        if let Some((on, d)) = on_def {
            for f in &r.fields {
                if !d.fields.contains_key(f.get_ref().as_str()) {
                    let hint = suggest(f.get_ref(), d.fields.keys().map(|k| k.get_ref().as_str()));
                    l.at(
                        f.span(),
                        format!(
                            "rule `{id}`: `{}` is not a field of `{on}`{hint}",
                            f.get_ref()
                        ),
                    );
                }
            }
        }
    } else {
        forbid(l, !r.fields.is_empty(), "`fields`");
    }
    let cond_kinds = [RuleKind::Requires, RuleKind::Forbids];
    if cond_kinds.contains(&kind) {
        need(l, r.when.is_some(), "`when`");
        need(l, r.then.is_some(), "`then`");
        for c in [&r.when, &r.then].into_iter().flatten() {
            if let Some(on) = on_name {
                lint_cond(l, &id, on, c, false);
            }
        }
    } else {
        forbid(l, r.when.is_some() || r.then.is_some(), "`when` or `then`");
    }
    if let (Some(min), Some(max)) = (r.min, r.max)
        && min > max
    {
        l.at(
            kspan.clone(),
            format!("rule `{id}`: `min` {min} is above `max` {max}; nothing can satisfy it"),
        );
    }
    if r.applies_to.as_ref().is_some_and(Vec::is_empty) {
        l.at(
            kspan.clone(),
            format!(
                "rule `{id}`: `applies_to = []` names no platform, so the rule never applies; name the platforms or leave it out"
            ),
        );
    }
    match kind {
        RuleKind::MaxLen => {
            need(l, r.max.is_some(), "`max`");
            if let Some((_, t)) = &targets
                && !t.iter().any(|t| {
                    matches!(
                        t.ty(),
                        Some(Ty::Prim(Prim::String | Prim::Id | Prim::StringOrNumber))
                    )
                })
            {
                l.at(
                    kspan.clone(),
                    format!("rule `{id}`: `max_len` needs a path to a string"),
                );
            }
        }
        RuleKind::Items => {
            need(l, r.max.is_some() || r.min.is_some(), "`min` or `max`");
            if let Some((_, t)) = &targets
                && !t.iter().any(|t| matches!(t.ty(), Some(Ty::Array(_))))
            {
                l.at(
                    kspan.clone(),
                    format!("rule `{id}`: `items` needs a path to an array"),
                );
            }
        }
        RuleKind::Range => {
            need(l, r.max.is_some() || r.min.is_some(), "`min` or `max`");
            if let Some((_, t)) = &targets
                && !t
                    .iter()
                    .any(|t| matches!(t.ty(), Some(Ty::Prim(Prim::Integer | Prim::Number))))
            {
                l.at(
                    kspan.clone(),
                    format!("rule `{id}`: `range` needs a path to a number"),
                );
            }
        }
        RuleKind::UniqueTrue => {
            if let Some((p, t)) = &targets {
                if !p.has_wildcard() {
                    l.at(
                        kspan.clone(),
                        format!("rule `{id}`: `unique_true` needs a path with `[*]`"),
                    );
                }
                if !t
                    .iter()
                    .any(|t| matches!(t.ty(), Some(Ty::Prim(Prim::Bool))))
                {
                    l.at(
                        kspan.clone(),
                        format!("rule `{id}`: `unique_true` needs a path to a boolean"),
                    );
                }
            }
        }
        RuleKind::Pattern => {
            need(l, r.pattern.is_some(), "`pattern`");
            if let Some((_, t)) = &targets
                && !t.iter().any(|t| {
                    matches!(
                        t.ty(),
                        Some(Ty::Prim(Prim::String | Prim::Id | Prim::StringOrNumber))
                    )
                })
            {
                l.at(
                    kspan.clone(),
                    format!("rule `{id}`: `pattern` needs a path to a string"),
                );
            }
            if let Some(p) = &r.pattern
                && let Err(e) = regex::Regex::new(p.get_ref())
            {
                l.at(
                    p.span(),
                    format!("rule `{id}`: `pattern` is not a valid regular expression: {e}"),
                );
            }
        }
        RuleKind::Coercion => need(l, r.coercion.is_some(), "`coercion`"),
        RuleKind::Status => {
            need(l, r.status.is_some(), "`status`");
            if r.status == Some(Status::Current) {
                l.at(
                    kspan.clone(),
                    format!("rule `{id}`: `status = \"current\"` would flag every item"),
                );
            }
        }
        RuleKind::PlatformOnly | RuleKind::RefusedSince => {
            if let Some((_, t)) = &targets {
                lint_item_rule(l, r, t);
            }
        }
        _ => {}
    }
    if kind != RuleKind::Pattern {
        forbid(l, r.pattern.is_some(), "`pattern`");
    }
    if kind != RuleKind::Coercion {
        forbid(l, r.coercion.is_some(), "`coercion`");
    }
    if kind != RuleKind::Status {
        forbid(l, r.status.is_some(), "`status`");
    }
    if !matches!(kind, RuleKind::MaxLen | RuleKind::Items | RuleKind::Range) {
        forbid(l, r.max.is_some() || r.min.is_some(), "`min` or `max`");
    }
    if kind == RuleKind::MaxLen {
        forbid(l, r.min.is_some(), "`min` (a length has only a maximum)");
    }
    if kind != RuleKind::Pattern {
        forbid(l, r.pattern_name.is_some(), "`pattern_name`");
    }
    if kind != RuleKind::MaxLen {
        forbid(l, r.unit.is_some(), "`unit`");
    }
    if !matches!(kind, RuleKind::PlatformOnly | RuleKind::RefusedSince) {
        forbid(l, !r.values.is_empty(), "`values`");
    }
}

/// `platform_only` and `refused_since` read their data from the items the
/// path leads to; those items must carry it.
fn lint_item_rule(l: &mut Lint<'_>, r: &crate::model::Rule, targets: &[Target]) {
    let spec = l.spec;
    let id = r.id.get_ref();
    let kind = *r.kind.get_ref();
    let values = target_values(spec, targets);
    for v in &r.values {
        if !values.as_ref().is_some_and(|vs| vs.contains(v)) {
            let hint = values
                .as_ref()
                .map(|vs| suggest(v, vs.iter().map(String::as_str)))
                .unwrap_or_default();
            l.at(
                r.id.span(),
                format!("rule `{id}`: `{v}` is not a value the path can hold{hint}"),
            );
        }
    }
    let items = crate::engine::item_data(spec, targets);
    let relevant = |value: &str| r.values.is_empty() || r.values.iter().any(|v| v == value);
    let ok = match kind {
        RuleKind::PlatformOnly => {
            items.field_platforms.is_some()
                || items
                    .values
                    .iter()
                    .any(|(v, d)| relevant(v) && d.platforms.is_some())
        }
        _ => items
            .values
            .iter()
            .any(|(v, d)| relevant(v) && d.refused_since.is_some()),
    };
    if !ok {
        l.at(
            r.id.span(),
            format!(
                "rule `{id}`: no field or value at `{}` carries {}",
                r.path.as_ref().map_or("", |p| p.get_ref()),
                if kind == RuleKind::PlatformOnly {
                    "`platforms`"
                } else {
                    "`refused_since`"
                }
            ),
        );
    }
}

fn lint_cond(l: &mut Lint<'_>, id: &str, on: &str, c: &Cond, allow_wildcard: bool) {
    let spec = l.spec;
    let path = match Path::parse(c.path.get_ref()) {
        Ok(p) => p,
        Err(e) => {
            l.at(c.path.span(), format!("rule `{id}`: {e}"));
            return;
        }
    };
    if path.has_wildcard() && !allow_wildcard {
        l.at(
            c.path.span(),
            format!("rule `{id}`: conditions take paths without `[*]`; put the rule on the item type instead"),
        );
    }
    let targets = match spec.walk(on, &path) {
        Ok(t) => t,
        Err(e) => {
            l.at(c.path.span(), format!("rule `{id}`: {e}"));
            return;
        }
    };
    let tests = usize::from(c.equals.is_some())
        + usize::from(c.one_of.is_some())
        + usize::from(c.present.is_some())
        + usize::from(c.matches.is_some());
    if tests != 1 {
        l.at(
            c.path.span(),
            format!("rule `{id}`: a condition takes exactly one of `equals`, `in`, `present` and `matches`, found {tests}"),
        );
    }
    if let Some(m) = &c.matches {
        if let Err(e) = regex::Regex::new(m.get_ref()) {
            l.at(
                m.span(),
                format!("rule `{id}`: `matches` is not a valid regular expression: {e}"),
            );
        }
        if !targets.iter().any(|t| {
            matches!(
                t.ty(),
                Some(Ty::Prim(Prim::String | Prim::Id | Prim::StringOrNumber))
            )
        }) {
            l.at(
                c.path.span(),
                format!("rule `{id}`: `matches` needs a path to a string"),
            );
        }
    }
    let wanted: Vec<&String> = c.equals.iter().chain(c.one_of.iter().flatten()).collect();
    if !wanted.is_empty() {
        match target_values(spec, &targets) {
            Some(values) => {
                for w in wanted {
                    if !values.contains(w) {
                        let hint = suggest(w, values.iter().map(String::as_str));
                        l.at(
                            c.path.span(),
                            format!(
                                "rule `{id}`: `{w}` is not a value of `{}`{hint}",
                                c.path.get_ref()
                            ),
                        );
                    }
                }
            }
            None => {
                let stringish = targets.iter().any(|t| {
                    matches!(
                        t.ty(),
                        Some(Ty::Prim(
                            Prim::String | Prim::Id | Prim::StringOrNumber | Prim::Bool
                        ))
                    )
                });
                if !stringish {
                    l.at(c.path.span(), format!("rule `{id}`: `equals` and `in` need a path to an enum, a tag or a string"));
                }
            }
        }
    }
}

/// Global kinds the engine needs exactly once, and the coverage of item
/// metadata by the rules that enforce it.
fn lint_coverage(l: &mut Lint<'_>) {
    let spec = l.spec;
    let rules = spec.rules();
    let count = |k: RuleKind| rules.iter().filter(|r| *r.kind.get_ref() == k).count();
    for k in [
        RuleKind::UnknownField,
        RuleKind::Type,
        RuleKind::EnumValue,
        RuleKind::Required,
    ] {
        let n = count(k);
        if n != 1 {
            l.at(
                0..0,
                format!("expected exactly one rule of kind `{k}`, found {n}"),
            );
        }
    }
    let any_open = spec.types().any(|(_, d)| d.open);
    let n = count(RuleKind::OpenField);
    if (any_open && n != 1) || n > 1 {
        l.at(
            0..0,
            format!(
                "expected exactly one rule of kind `open_field` (some types are open), found {n}"
            ),
        );
    }
    for c in [
        Coercion::NumberAsId,
        Coercion::StringAsBool,
        Coercion::NullAsAbsent,
        Coercion::EnumAlias,
    ] {
        let n = rules.iter().filter(|r| r.coercion == Some(c)).count();
        if n != 1 {
            l.at(
                0..0,
                format!(
                    "expected exactly one `coercion` rule with coercion = \"{}\", found {n}",
                    c.as_str()
                ),
            );
        }
    }
    let mut used = BTreeSet::new();
    for (_, d) in spec.types() {
        used.insert(d.status as u8);
        for f in d.fields.values() {
            used.insert(f.status as u8);
        }
        for v in d.variants.values() {
            used.insert(v.status as u8);
        }
        for v in d.values.values() {
            used.insert(v.status as u8);
        }
    }
    for s in [
        Status::Deprecated,
        Status::Retired,
        Status::ThirdParty,
        Status::Unconfirmed,
        Status::Transport,
    ] {
        let n = rules.iter().filter(|r| r.status == Some(s)).count();
        if used.contains(&(s as u8)) && n != 1 {
            l.at(
                0..0,
                format!(
                    "items have status `{}`: expected exactly one `status` rule for it, found {n}",
                    s.as_str()
                ),
            );
        }
    }
    // Item metadata that no rule enforces would be documentation only.
    let covered = |owner: &str, field: Option<&str>, kind: RuleKind| -> bool {
        rules.iter().filter(|r| *r.kind.get_ref() == kind).any(|r| {
            let (Some(on), Some(p)) = (&r.on, &r.path) else {
                return false;
            };
            let Ok(path) = Path::parse(p.get_ref()) else {
                return false;
            };
            spec.walk(on.get_ref(), &path).is_ok_and(|ts| {
                ts.iter().any(|t| match (t, field) {
                    (
                        Target::Field {
                            owner: o, field: f, ..
                        },
                        Some(want),
                    ) => o == owner && f == want,
                    (
                        Target::Field {
                            ty: Ty::Named(n), ..
                        }
                        | Target::Item { ty: Ty::Named(n) },
                        None,
                    ) => n == owner,
                    (Target::Tag { owner: o }, None) => o == owner,
                    _ => false,
                })
            })
        })
    };
    for (name, d) in &spec.file.types {
        let owner = name.get_ref().as_str();
        for (w, f) in &d.fields {
            if f.platforms.is_some() && !covered(owner, Some(w.get_ref()), RuleKind::PlatformOnly) {
                l.at(w.span(), format!("field `{owner}.{}` has `platforms`, but no `platform_only` rule has a path to it", w.get_ref()));
            }
        }
        let value_platforms = d.values.values().any(|v| v.platforms.is_some())
            || d.variants.values().any(|v| v.platforms.is_some());
        if value_platforms && !covered(owner, None, RuleKind::PlatformOnly) {
            l.at(name.span(), format!("values of `{owner}` have `platforms`, but no `platform_only` rule has a path to `{owner}`"));
        }
        let refused = d.values.values().any(|v| v.refused_since.is_some())
            || d.variants.values().any(|v| v.refused_since.is_some());
        if refused && !covered(owner, None, RuleKind::RefusedSince) {
            l.at(name.span(), format!("values of `{owner}` have `refused_since`, but no `refused_since` rule has a path to `{owner}`"));
        }
    }
    // A keyed union's keys are exactly one of: the engine reports that
    // through an exactly_one_of rule over exactly the keys.
    for (name, d) in &spec.file.types {
        if *d.kind.get_ref() != TypeKind::Keyed {
            continue;
        }
        let keys: BTreeSet<&str> = d
            .fields
            .iter()
            .filter(|(_, f)| f.key)
            .map(|(k, _)| k.get_ref().as_str())
            .collect();
        let found = rules.iter().any(|r| {
            *r.kind.get_ref() == RuleKind::ExactlyOneOf
                && *r.severity.get_ref() == Severity::Error
                && r.on.as_ref().is_some_and(|o| o.get_ref() == name.get_ref())
                && r.fields
                    .iter()
                    .map(|f| f.get_ref().as_str())
                    .collect::<BTreeSet<_>>()
                    == keys
        });
        if !found {
            l.at(
                name.span(),
                format!(
                    "keyed type `{}`: expected an error-severity `exactly_one_of` rule over its keys ({}), found none",
                    name.get_ref(),
                    keys.into_iter().collect::<Vec<_>>().join(", ")
                ),
            );
        }
    }
}

fn lint_errors(l: &mut Lint<'_>) {
    let spec = l.spec;
    let mut names = HashSet::new();
    for (i, e) in spec.file.errors.iter().enumerate() {
        l.source(&e.source);
        // A code may have several entries when each later one names Graph's
        // exact `message`: one code, several answers (the two
        // appsecret_proof refusals). A client finds entries by code, so they
        // must agree on the retry class.
        let earlier = &spec.file.errors[..i];
        if let Some(first) = earlier
            .iter()
            .find(|o| (o.code, o.subcode) == (e.code, e.subcode))
        {
            let code = format!(
                "code {}{}",
                e.code,
                e.subcode
                    .map(|s| format!(" subcode {s}"))
                    .unwrap_or_default()
            );
            let same_message = earlier
                .iter()
                .any(|o| (o.code, o.subcode) == (e.code, e.subcode) && o.message == e.message);
            if e.message.is_none() || same_message {
                l.at(
                    e.rust.span(),
                    format!(
                        "duplicate error entry for {code}: a second entry of a code needs a `message` of its own (Graph's exact text for that answer)"
                    ),
                );
            } else if first.retry != e.retry {
                l.at(
                    e.rust.span(),
                    format!(
                        "error `{}` has retry `{}`, but `{}` of the same {code} has `{}`: entries of one code need one retry class, because clients find them by code",
                        e.rust.get_ref(),
                        e.retry.as_str(),
                        first.rust.get_ref(),
                        first.retry.as_str()
                    ),
                );
            }
        }
        if e.message.as_deref().is_some_and(|m| m.trim().is_empty()) {
            l.at(
                e.rust.span(),
                format!(
                    "error `{}`: `message` is empty; give Graph's exact text or leave the key out",
                    e.rust.get_ref()
                ),
            );
        }
        if !is_camel(e.rust.get_ref()) {
            l.at(
                e.rust.span(),
                format!(
                    "error `{}`: expected an UpperCamelCase Rust name",
                    e.rust.get_ref()
                ),
            );
        }
        if !names.insert(e.rust.get_ref().clone()) {
            l.at(
                e.rust.span(),
                format!("duplicate error name `{}`", e.rust.get_ref()),
            );
        }
    }
    // Every rule answers with a code the error table knows.
    for r in spec.rules() {
        let known = spec
            .file
            .errors
            .iter()
            .any(|e| e.code == r.code && (r.subcode.is_none() || e.subcode == r.subcode));
        if !known {
            l.at(
                r.id.span(),
                format!(
                    "rule `{}` answers with code {}{}, which is not in [[errors]]",
                    r.id.get_ref(),
                    r.code,
                    r.subcode.map(|s| format!("/{s}")).unwrap_or_default()
                ),
            );
        }
    }
}

fn lint_rates(l: &mut Lint<'_>) {
    let spec = l.spec;
    let defaults = spec
        .file
        .rate_classes
        .values()
        .filter(|c| c.default)
        .count();
    if !spec.file.rate_classes.is_empty() && defaults != 1 {
        l.at(
            0..0,
            format!("expected exactly one rate class with `default = true`, found {defaults}"),
        );
    }
    let root = spec.root().to_string();
    for (name, c) in &spec.file.rate_classes {
        l.source(&c.source);
        if c.limit == 0 || c.per_seconds == 0 {
            l.at(
                name.span(),
                format!(
                    "rate class `{}`: `limit` and `per_seconds` must be positive",
                    name.get_ref()
                ),
            );
        }
        if c.default && !c.when.is_empty() {
            l.at(
                name.span(),
                format!(
                    "rate class `{}`: the default class takes no `when`",
                    name.get_ref()
                ),
            );
        }
        for w in &c.when {
            lint_cond(l, &format!("rate class {}", name.get_ref()), &root, w, true);
        }
    }
}
