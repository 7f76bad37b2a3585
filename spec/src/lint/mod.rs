//! The lint: every reference resolves, every rule is well formed for its
//! kind, ids are unique, and severities follow the policy of `spec/README.md`
//! §7.
//!
//! The lint runs on every load, so the engine, the generator and the diff can
//! rely on what it checks and never re-validate it.

use std::collections::{BTreeSet, HashSet};
use std::ops::Range;

use sendapi_core::is_keyword;
use sendapi_core::template::{self, Piece};

use crate::error::Problem;
use crate::load::SourceMap;
use crate::model::{Coercion, Field, RuleKind, Severity, Spanned, Status, TypeDef, TypeKind};
use crate::rule::{Check, Condition, Rule, Test};
use crate::spec::{Spec, Target, Ty};

mod advice;
mod rules;
mod webhooks;

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

struct Lint<'a> {
    spec: &'a Spec,
    sources: &'a SourceMap,
    problems: Vec<(usize, Problem)>,
    warnings: Vec<(usize, Problem)>,
    /// Type names resolve in `[webhooks.types]` rather than `[types]`.
    webhook_types: bool,
}

impl<'a> Lint<'a> {
    /// A type of the namespace being linted.
    fn type_def(&self, name: &str) -> Option<&'a TypeDef> {
        if self.webhook_types {
            self.spec.webhooks()?.type_def(name)
        } else {
            self.spec.type_def(name)
        }
    }

    fn type_names(&self) -> Vec<&'a str> {
        match self.spec.webhooks() {
            Some(w) if self.webhook_types => w.types.keys().map(|k| k.get_ref().as_str()).collect(),
            _ => self.spec.types().map(|(n, _)| n).collect(),
        }
    }

    fn at(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.problems
            .push((span.start, self.sources.problem(span, message)));
    }

    /// A problem that does not stop the spec from loading.
    fn warn(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.warnings
            .push((span.start, self.sources.problem(span, message)));
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
                    && self.type_def(name).is_none()
                {
                    let hint = suggest(name, self.type_names());
                    let table = if self.webhook_types {
                        "[webhooks.types]"
                    } else {
                        "[types]"
                    };
                    self.at(
                        spelled.span(),
                        format!("unknown type `{name}`: expected a type from {table}{hint}"),
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
        for piece in template::pieces(text) {
            match piece {
                Piece::Unclosed(_) => self.at(
                    span.clone(),
                    format!("{what}: `{{` without a closing `}}`"),
                ),
                Piece::Var(name) if !PLACEHOLDERS.contains(&name) => self.at(
                    span.clone(),
                    format!(
                        "{what}: unknown placeholder `{{{name}}}`; expected one of {} (write `{{{{` and `}}}}` for literal braces)",
                        PLACEHOLDERS.join(", ")
                    ),
                ),
                Piece::Text(_) | Piece::Var(_) => {}
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
    match sendapi_core::closest(word, candidates) {
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
pub(crate) fn lint(spec: &Spec, sources: &SourceMap) -> Linted {
    let mut l = Lint {
        spec,
        sources,
        problems: Vec::new(),
        warnings: Vec::new(),
        webhook_types: false,
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
    let rules = rules::convert_rules(&mut l);
    lint_carries(&mut l, &rules);
    lint_reachable(&mut l);
    lint_coverage(&mut l, &rules);
    lint_errors(&mut l, &rules);
    lint_current_errors(&mut l);
    lint_parts(&mut l);
    lint_batch_limit(&mut l);
    webhooks::lint_window_hours(&mut l);
    webhooks::lint_webhooks(&mut l);
    let rates = lint_rates(&mut l);
    advice::lint_advice(&mut l);
    Linted {
        problems: in_order(l.problems),
        warnings: in_order(l.warnings),
        rules,
        rates,
    }
}

fn in_order(mut problems: Vec<(usize, Problem)>) -> Vec<Problem> {
    problems.sort_by_key(|(offset, _)| *offset);
    problems.dedup_by(|a, b| a.1 == b.1);
    problems.into_iter().map(|(_, p)| p).collect()
}

/// What the lint gives a load: its problems, and the typed rules and rate
/// conditions it converted.
pub(crate) struct Linted {
    pub(crate) problems: Vec<Problem>,
    /// Problems that do not stop the spec from loading.
    pub(crate) warnings: Vec<Problem>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) rates: Vec<Vec<Condition>>,
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
    lint_type_shape(l, name, def);
    let kind = *def.kind.get_ref();
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
    lint_variants(l, n, def, &mut variant_names);
    lint_values(l, n, def, &mut variant_names);
}

/// What a type of each kind may and must have.
fn lint_type_shape(l: &mut Lint<'_>, name: &Spanned<String>, def: &TypeDef) {
    let n = name.get_ref();
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
}

/// The variants of a tagged union; `variant_names` collects Rust names.
fn lint_variants(l: &mut Lint<'_>, n: &str, def: &TypeDef, variant_names: &mut HashSet<String>) {
    for (wire, v) in &def.variants {
        l.source(&v.source);
        lint_since(
            l,
            wire.span(),
            &format!("variant `{}`", wire.get_ref()),
            v.since,
        );
        if let Some(ty) = l.ty(&v.ty)
            && let Some(vdef) = named(&ty).and_then(|t| l.type_def(t))
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
        let refusal = (v.refused_since.is_some(), v.replacement.is_some());
        lint_choice(l, n, "variant", wire, &v.rust, refusal, variant_names);
    }
}

/// What a variant and an enum value share: a Rust name in UpperCamelCase,
/// unique in `n`, and `refused_since` only with its `replacement`.
fn lint_choice(
    l: &mut Lint<'_>,
    n: &str,
    what: &str,
    wire: &Spanned<String>,
    rust: &Spanned<String>,
    (refused, replaced): (bool, bool),
    variant_names: &mut HashSet<String>,
) {
    let (w, r) = (wire.get_ref(), rust.get_ref());
    if !is_camel(r) {
        l.at(
            rust.span(),
            format!("{what} `{w}`: expected an UpperCamelCase Rust name, found `{r}`"),
        );
    }
    if !variant_names.insert(r.clone()) {
        l.at(
            rust.span(),
            format!("duplicate Rust variant name `{r}` in `{n}`"),
        );
    }
    if refused != replaced {
        l.at(
            wire.span(),
            format!("{what} `{w}`: `refused_since` and `replacement` go together"),
        );
    }
}

/// The values of an enum; `variant_names` collects Rust names.
fn lint_values(l: &mut Lint<'_>, n: &str, def: &TypeDef, variant_names: &mut HashSet<String>) {
    for (wire, v) in &def.values {
        l.source(&v.source);
        lint_since(
            l,
            wire.span(),
            &format!("value `{}`", wire.get_ref()),
            v.since,
        );
        let refusal = (v.refused_since.is_some(), v.replacement.is_some());
        lint_choice(l, n, "value", wire, &v.rust, refusal, variant_names);
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
    } else if is_keyword(rust) {
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
fn lint_carries(l: &mut Lint<'_>, rules: &[Rule]) {
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
                    rules.iter().any(|r| match &r.check {
                        Check::Requires(i) => {
                            r.severity == Severity::Error
                                && i.on == owner
                                && cond_is(&i.when, when)
                                && cond_is(&i.then, then)
                        }
                        _ => false,
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
fn cond_is(c: &Condition, (path, value): (&str, Option<&str>)) -> bool {
    if c.path.to_string() != path {
        return false;
    }
    match value {
        None => matches!(c.test, Test::Present(true)),
        Some(v) => c.test.values().iter().any(|x| x == v),
    }
}

/// The types reachable from the endpoints through fields, responses,
/// variants and carried values.
pub(crate) fn reachable(file: &crate::model::SpecFile) -> HashSet<String> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut stack: Vec<String> = Vec::new();
    let push = |t: &str, stack: &mut Vec<String>| {
        if let Ok(ty) = Ty::parse(t)
            && let Some(n) = named(&ty)
        {
            stack.push(n.to_string());
        }
    };
    for ep in file.endpoints.values() {
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
        let Some(def) = file.types.get(n.as_str()) else {
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
    seen
}

fn lint_reachable(l: &mut Lint<'_>) {
    let spec = l.spec;
    let seen = reachable(&spec.file);
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

/// Global kinds the engine needs exactly once, and the coverage of item
/// metadata by the rules that enforce it.
fn lint_coverage(l: &mut Lint<'_>, rules: &[Rule]) {
    let spec = l.spec;
    let count = |k: RuleKind| rules.iter().filter(|r| r.kind() == k).count();
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
        let n = rules
            .iter()
            .filter(|r| matches!(r.check, Check::Coercion(x) if x == c))
            .count();
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
        let n = rules
            .iter()
            .filter(|r| matches!(r.check, Check::Status(x) if x == s))
            .count();
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
    lint_item_coverage(l, rules);
    lint_keyed_coverage(l, rules);
}

/// Item metadata that no rule enforces would be documentation only.
fn lint_item_coverage(l: &mut Lint<'_>, rules: &[Rule]) {
    let spec = l.spec;
    let covered = |owner: &str, field: Option<&str>, kind: RuleKind| -> bool {
        rules.iter().filter(|r| r.kind() == kind).any(|r| {
            let Some(at) = r.check.at() else {
                return false;
            };
            spec.walk(&at.on, &at.path).is_ok_and(|ts| {
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
}

/// A keyed union's keys are exactly one of: the engine reports that
/// through an exactly_one_of rule over exactly the keys.
fn lint_keyed_coverage(l: &mut Lint<'_>, rules: &[Rule]) {
    let spec = l.spec;
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
        let found = rules.iter().any(|r| match &r.check {
            Check::ExactlyOneOf(g) => {
                r.severity == Severity::Error
                    && g.on == *name.get_ref()
                    && g.fields.iter().map(String::as_str).collect::<BTreeSet<_>>() == keys
            }
            _ => false,
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

fn lint_errors(l: &mut Lint<'_>, rules: &[Rule]) {
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
    for r in rules {
        let known = spec
            .file
            .errors
            .iter()
            .any(|e| e.code == r.code && (r.subcode.is_none() || e.subcode == r.subcode));
        if !known {
            l.at(
                r.span.clone(),
                format!(
                    "rule `{}` answers with code {}{}, which is not in [[errors]]",
                    r.id,
                    r.code,
                    r.subcode.map(|s| format!("/{s}")).unwrap_or_default()
                ),
            );
        }
    }
}

/// `current` picks Graph's answer today among entries that are
/// alternatives for one answer: the same code and the same `message`, told
/// apart only by the subcode (the two outside-the-window errors). The
/// emulator answers with it, so two current alternatives leave it no choice,
/// and a `current` without a `message` names no answer at all.
fn lint_current_errors(l: &mut Lint<'_>) {
    let spec = l.spec;
    for (i, e) in spec.file.errors.iter().enumerate() {
        if !e.current {
            continue;
        }
        let Some(message) = &e.message else {
            l.at(
                e.rust.span(),
                format!(
                    "error `{}` is `current` without a `message`: give Graph's exact text of the answer it is current for",
                    e.rust.get_ref()
                ),
            );
            continue;
        };
        let earlier = spec.file.errors[..i]
            .iter()
            .find(|o| o.current && o.code == e.code && o.message.as_ref() == Some(message));
        if let Some(first) = earlier {
            l.at(
                e.rust.span(),
                format!(
                    "error `{}` and `{}` are both `current` for code {} with the message \"{message}\": mark only the answer Graph gives today",
                    e.rust.get_ref(),
                    first.rust.get_ref(),
                    e.code
                ),
            );
        }
    }
}

/// A `part` key stands for a multipart part, not a JSON value: it chooses
/// a keyed variant (so it is a key), its value is never read (so its type
/// is `json`), and the typed builders of the request and of its fields take
/// their variants from JSON keys, so it sits deeper (a media payload).
fn lint_parts(l: &mut Lint<'_>) {
    let spec = l.spec;
    let root = spec.root();
    let near_root: HashSet<String> = spec
        .type_def(root)
        .map(|d| {
            d.fields
                .values()
                .filter_map(|f| named(&spec.field_ty(f)).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    for (tname, def) in &spec.file.types {
        for (wire, f) in &def.fields {
            let Some(part) = &f.part else { continue };
            let what = format!("field `{}.{}`", tname.get_ref(), wire.get_ref());
            if !f.key || *def.kind.get_ref() != TypeKind::Keyed {
                l.at(
                    part.span(),
                    format!("{what}: a `part` is a key field of a keyed type (`key = true`)"),
                );
            }
            if f.ty.get_ref() != "json" {
                l.at(
                    f.ty.span(),
                    format!(
                        "{what}: a `part` key has no JSON value, so its type is `json`, found `{}`",
                        f.ty.get_ref()
                    ),
                );
            }
            if part.get_ref().trim().is_empty() {
                l.at(
                    part.span(),
                    format!("{what}: `part` names the multipart part, found an empty name"),
                );
            }
            if tname.get_ref() == root || near_root.contains(tname.get_ref()) {
                l.at(part.span(), format!("{what}: a `part` key cannot choose a variant of the request type `{root}` or of one of its fields' types"));
            }
        }
    }
}

/// Graph refuses a batch beyond its limit, so a limit of 0 would refuse
/// every batch: the key states a real limit or is left out.
fn lint_batch_limit(l: &mut Lint<'_>) {
    if let Some(limit) = &l.spec.file.snapshot.batch_limit
        && *limit.get_ref() == 0
    {
        l.at(
            limit.span(),
            "expected a batch_limit of at least 1 (Graph's operations per batch request), found 0",
        );
    }
}

fn lint_rates(l: &mut Lint<'_>) -> Vec<Vec<Condition>> {
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
    }
    let mut rates = Vec::new();
    for (name, c) in &spec.file.rate_classes {
        let id = format!("rate class {}", name.get_ref());
        let when = c
            .when
            .iter()
            .filter_map(|w| rules::condition(l, &id, &root, w, true))
            .collect();
        rates.push(when);
    }
    rates
}
