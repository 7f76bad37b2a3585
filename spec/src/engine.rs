//! The rule engine: one interpreter per rule kind, over any JSON body.
//!
//! [`Engine::new`] compiles a spec once into a plan: types become vectors
//! indexed by number, fields and values become hash maps, every rule is
//! attached to the type it is evaluated on and its paths are split into
//! segments. Validation then walks the body once, guided by the types, and
//! at each object runs the rules of that object's type, so the cost grows
//! with the body, not with the number of rules in the spec.

use rustc_hash::FxHashMap as HashMap;
use std::fmt;

use sendapi_core::template::Template;
use sendapi_core::{closest, list, pointer};

use serde_json::{Map, Value};

use crate::model::{Coercion, Date, Platform, RuleKind, Severity, Status, TypeKind, Unit};
use crate::rule::{self, At, Condition, Test};
use crate::spec::{Prim, Seg, Spec, Target, Ty};

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
        let at = if self.pointer.is_empty() {
            "(body)"
        } else {
            &self.pointer
        };
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

#[derive(Debug, Clone)]
enum TyP {
    Prim(Prim),
    Named(usize),
    Array(Box<TyP>),
}

#[derive(Debug)]
struct FieldPlan {
    name: String,
    ty: TyP,
    status: Status,
    note: Option<String>,
    /// The field's type when a sibling enum field holds a value that carries
    /// it with its own type: (carrier field index, value, type).
    overrides: Vec<(usize, String, TyP)>,
}

#[derive(Debug)]
struct VariantPlan {
    name: String,
    ty: usize,
    status: Status,
    note: Option<String>,
}

#[derive(Debug)]
struct ValuePlan {
    name: String,
    status: Status,
    note: Option<String>,
}

#[derive(Debug)]
struct TypePlan {
    name: String,
    kind: TypeKind,
    open: bool,
    fields: Vec<FieldPlan>,
    field_ix: HashMap<String, usize>,
    required: Vec<usize>,
    tag: Option<String>,
    content: Option<String>,
    variants: Vec<VariantPlan>,
    variant_ix: HashMap<String, usize>,
    values: Vec<ValuePlan>,
    /// Canonical values and aliases, to (value index, is alias).
    value_ix: HashMap<String, (usize, bool)>,
    rules: Vec<usize>,
}

/// What `platform_only` and `refused_since` read about the items at a path.
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

#[derive(Debug)]
struct CondPlan {
    path: Vec<Seg>,
    text: String,
    test: CondTest,
}

#[derive(Debug)]
enum CondTest {
    Present(bool),
    OneOf(Vec<String>),
    Matches(regex::Regex),
}

#[derive(Debug)]
enum Check {
    None,
    ExactlyOne(Vec<String>),
    AtMostOne(Vec<String>),
    AtLeastOne(Vec<String>),
    Requires(CondPlan, CondPlan),
    Forbids(CondPlan, CondPlan),
    MaxLen(Vec<Seg>, u64, Unit),
    Items(Vec<Seg>, Option<u64>, Option<u64>),
    Range(Vec<Seg>, Option<u64>, Option<u64>),
    UniqueTrue(Vec<Seg>),
    Pattern(Vec<Seg>, regex::Regex, String),
    PlatformOnly(
        Vec<Seg>,
        Option<Vec<Platform>>,
        HashMap<String, Vec<Platform>>,
    ),
    RefusedSince(Vec<Seg>, HashMap<String, (Date, String)>),
}

#[derive(Debug)]
struct RulePlan {
    id: String,
    kind: RuleKind,
    severity: Severity,
    applies_to: Option<Vec<Platform>>,
    message: Template,
    fix: Template,
    doc: String,
    code: u32,
    subcode: Option<u64>,
    path_text: String,
    check: Check,
}

#[derive(Debug, Default)]
struct Globals {
    unknown_field: Option<usize>,
    open_field: Option<usize>,
    type_mismatch: Option<usize>,
    enum_value: Option<usize>,
    required: Option<usize>,
    coercions: Vec<(Coercion, usize)>,
    statuses: Vec<(Status, usize)>,
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

#[derive(Debug)]
struct RatePlan {
    info: RateClassInfo,
    default: bool,
    when: Vec<CondPlan>,
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
    root: usize,
    rates: Vec<RatePlan>,
}

fn compile_ty(ty: &Ty, ix: &HashMap<String, usize>) -> TyP {
    match ty {
        Ty::Prim(p) => TyP::Prim(*p),
        Ty::Named(n) => ix.get(n).map_or(TyP::Prim(Prim::Json), |i| TyP::Named(*i)),
        Ty::Array(t) => TyP::Array(Box::new(compile_ty(t, ix))),
    }
}

fn compile_cond(spec: &Spec, on: &str, c: &Condition) -> CondPlan {
    let test = match &c.test {
        Test::Present(p) => CondTest::Present(*p),
        Test::Matches(re) => CondTest::Matches(re.clone()),
        Test::Equals(_) | Test::In(_) => {
            let mut values = c.test.values().to_vec();
            // Aliases of a wanted value count as that value.
            for t in spec.walk(on, &c.path).unwrap_or_default() {
                if let Some(Ty::Named(n)) = t.ty()
                    && let Some(d) = spec.type_def(n)
                {
                    for (k, v) in &d.values {
                        if values.iter().any(|w| w == k.get_ref()) {
                            values.extend(v.aliases.iter().cloned());
                        }
                    }
                }
            }
            CondTest::OneOf(values)
        }
    };
    CondPlan {
        path: c.path.segs.clone(),
        text: c.path.to_string(),
        test,
    }
}

impl Engine {
    /// Compiles a linted spec.
    pub fn new(spec: &Spec) -> Engine {
        let type_ix: HashMap<String, usize> = spec
            .types()
            .enumerate()
            .map(|(i, (n, _))| (n.to_string(), i))
            .collect();
        let mut types: Vec<TypePlan> = spec
            .types()
            .map(|(name, d)| {
                let fields: Vec<FieldPlan> = d
                    .fields
                    .iter()
                    .map(|(k, f)| FieldPlan {
                        name: k.get_ref().clone(),
                        ty: compile_ty(&spec.field_ty(f), &type_ix),
                        status: f.status,
                        note: f.note.clone(),
                        overrides: Vec::new(),
                    })
                    .collect();
                let field_ix = fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (f.name.clone(), i))
                    .collect();
                let required = d
                    .fields
                    .values()
                    .enumerate()
                    .filter(|(_, f)| f.required)
                    .map(|(i, _)| i)
                    .collect();
                let variants: Vec<VariantPlan> = d
                    .variants
                    .iter()
                    .map(|(k, v)| VariantPlan {
                        name: k.get_ref().clone(),
                        ty: type_ix.get(v.ty.get_ref()).copied().unwrap_or(0),
                        status: v.status,
                        note: v.note.clone(),
                    })
                    .collect();
                let variant_ix = variants
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (v.name.clone(), i))
                    .collect();
                let values: Vec<ValuePlan> = d
                    .values
                    .iter()
                    .map(|(k, v)| ValuePlan {
                        name: k.get_ref().clone(),
                        status: v.status,
                        note: v.note.clone(),
                    })
                    .collect();
                let mut value_ix = HashMap::default();
                for (i, v) in d.values.values().enumerate() {
                    for a in &v.aliases {
                        value_ix.insert(a.clone(), (i, true));
                    }
                }
                for (i, k) in d.values.keys().enumerate() {
                    value_ix.insert(k.get_ref().clone(), (i, false));
                }
                TypePlan {
                    name: name.to_string(),
                    kind: *d.kind.get_ref(),
                    open: d.open,
                    fields,
                    field_ix,
                    required,
                    tag: d.tag.as_ref().map(|t| t.get_ref().clone()),
                    content: d.content.as_ref().map(|t| t.get_ref().clone()),
                    variants,
                    variant_ix,
                    values,
                    value_ix,
                    rules: Vec::new(),
                }
            })
            .collect();

        // Carried fields take the type their carrier value gives them.
        for (oi, (_, d)) in spec.types().enumerate() {
            for (ci, carrier) in d.fields.values().enumerate() {
                let Ok(Ty::Named(en)) = Ty::parse(carrier.ty.get_ref()) else {
                    continue;
                };
                let Some(edef) = spec.type_def(&en) else {
                    continue;
                };
                for (vk, v) in &edef.values {
                    let Some(c) = &v.carries else { continue };
                    let Some(t) = &c.ty else { continue };
                    let Ok(ty) = Ty::parse(t.get_ref()) else {
                        continue;
                    };
                    if let Some(&fi) = types[oi].field_ix.get(c.field.get_ref().as_str()) {
                        let tp = compile_ty(&ty, &type_ix);
                        let mut names = vec![vk.get_ref().clone()];
                        names.extend(v.aliases.iter().cloned());
                        for n in names {
                            types[oi].fields[fi].overrides.push((ci, n, tp.clone()));
                        }
                    }
                }
            }
        }

        let mut globals = Globals::default();
        let mut rules = Vec::new();
        for r in spec.rules() {
            let i = rules.len();
            let targets = |at: &At| spec.walk(&at.on, &at.path).unwrap_or_default();
            let check = match &r.check {
                rule::Check::UnknownField => {
                    globals.unknown_field = Some(i);
                    Check::None
                }
                rule::Check::OpenField => {
                    globals.open_field = Some(i);
                    Check::None
                }
                rule::Check::Type => {
                    globals.type_mismatch = Some(i);
                    Check::None
                }
                rule::Check::EnumValue => {
                    globals.enum_value = Some(i);
                    Check::None
                }
                rule::Check::Required => {
                    globals.required = Some(i);
                    Check::None
                }
                rule::Check::Coercion(c) => {
                    globals.coercions.push((*c, i));
                    Check::None
                }
                rule::Check::Status(s) => {
                    globals.statuses.push((*s, i));
                    Check::None
                }
                rule::Check::ExactlyOneOf(g) => Check::ExactlyOne(g.fields.clone()),
                rule::Check::AtMostOneOf(g) => Check::AtMostOne(g.fields.clone()),
                rule::Check::AtLeastOneOf(g) => Check::AtLeastOne(g.fields.clone()),
                rule::Check::Requires(imp) => Check::Requires(
                    compile_cond(spec, &imp.on, &imp.when),
                    compile_cond(spec, &imp.on, &imp.then),
                ),
                rule::Check::Forbids(imp) => Check::Forbids(
                    compile_cond(spec, &imp.on, &imp.when),
                    compile_cond(spec, &imp.on, &imp.then),
                ),
                rule::Check::MaxLen(m) => Check::MaxLen(m.at.path.segs.clone(), m.max, m.unit),
                rule::Check::Items(b) => Check::Items(b.at.path.segs.clone(), b.min, b.max),
                rule::Check::Range(b) => Check::Range(b.at.path.segs.clone(), b.min, b.max),
                rule::Check::UniqueTrue(at) => Check::UniqueTrue(at.path.segs.clone()),
                rule::Check::Pattern(p) => {
                    Check::Pattern(p.at.path.segs.clone(), p.regex.clone(), p.name.clone())
                }
                rule::Check::PlatformOnly(set) => {
                    let data = item_data(spec, &targets(&set.at));
                    let values = data
                        .values
                        .into_iter()
                        .filter(|(v, _)| set.covers(v))
                        .filter_map(|(v, d)| d.platforms.map(|p| (v, p)))
                        .collect();
                    let field = if set.values.is_empty() {
                        data.field_platforms
                    } else {
                        None
                    };
                    Check::PlatformOnly(set.at.path.segs.clone(), field, values)
                }
                rule::Check::RefusedSince(set) => {
                    let data = item_data(spec, &targets(&set.at));
                    let values = data
                        .values
                        .into_iter()
                        .filter(|(v, _)| set.covers(v))
                        .filter_map(|(v, d)| {
                            d.refused_since
                                .map(|date| (v, (date, d.replacement.unwrap_or_default())))
                        })
                        .collect();
                    Check::RefusedSince(set.at.path.segs.clone(), values)
                }
            };
            if let Some(on) = r.on()
                && let Some(&ti) = type_ix.get(on)
            {
                types[ti].rules.push(i);
            }
            rules.push(RulePlan {
                id: r.id.clone(),
                kind: r.kind(),
                severity: r.severity,
                applies_to: r.applies_to.clone(),
                message: Template::new(&r.message),
                fix: Template::new(&r.fix),
                doc: spec.source_link(&r.source).to_string(),
                code: r.code,
                subcode: r.subcode,
                path_text: r.path().map(ToString::to_string).unwrap_or_default(),
                check,
            });
        }
        let root = type_ix.get(spec.root()).copied().unwrap_or(0);
        let rates = spec
            .file()
            .rate_classes
            .iter()
            .enumerate()
            .map(|(ri, (name, c))| RatePlan {
                info: RateClassInfo {
                    name: name.get_ref().clone(),
                    limit: c.limit,
                    per_seconds: c.per_seconds,
                },
                default: c.default,
                when: spec
                    .rate_conditions(ri)
                    .iter()
                    .map(|w| compile_cond(spec, spec.root(), w))
                    .collect(),
            })
            .collect();
        Engine {
            name: spec.name().to_string(),
            as_of: spec.as_of(),
            types,
            type_ix,
            rules,
            globals,
            root,
            rates,
        }
    }

    /// The snapshot name this engine checks against.
    pub fn snapshot(&self) -> &str {
        &self.name
    }

    /// Validates a Send API body (the `messages` endpoint's request type).
    pub fn validate(&self, body: &Value, platform: Platform) -> Report {
        self.run(body, self.root, platform, false)
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
        let mut cx = Cx::new(self, Platform::Messenger, false);
        let mut default = None;
        for r in &self.rates {
            if r.default {
                default = Some(&r.info);
            }
            if r.when
                .iter()
                .any(|c| cx.cond(body, c, false).0 == Tri::True)
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
        let mut cx = Cx::new(self, platform, opaque);
        cx.visit(body, &TyP::Named(ty));
        Report { violations: cx.out }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    True,
    False,
    Unknown,
}

#[derive(Debug, Clone, Copy)]
enum PSeg<'v> {
    Key(&'v str),
    Idx(usize),
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => {
            let shown: String = s.chars().take(40).collect();
            let more = if s.chars().count() > 40 { "…" } else { "" };
            format!("the string \"{shown}{more}\"")
        }
        Value::Array(a) => format!("an array of {} item(s)", a.len()),
        Value::Object(_) => "an object".into(),
    }
}

fn write_pointer(out: &mut String, segs: &[PSeg<'_>]) {
    for s in segs {
        match s {
            PSeg::Key(k) => pointer::push_key(out, k),
            PSeg::Idx(i) => pointer::push_index(out, *i),
        }
    }
}

fn platform_list(ps: &[Platform]) -> String {
    let names: Vec<String> = ps.iter().map(|p| p.display_name().to_string()).collect();
    names.join(" and ")
}

struct Cx<'e, 'v> {
    e: &'e Engine,
    platform: Platform,
    opaque: bool,
    /// Set by `each` when a path ran into an expression before its end.
    below: std::cell::Cell<bool>,
    ptr: Vec<PSeg<'v>>,
    out: Vec<Violation>,
}

type Vars<'a> = &'a [(&'a str, &'a dyn fmt::Display)];

impl<'e, 'v> Cx<'e, 'v> {
    fn new(e: &'e Engine, platform: Platform, opaque: bool) -> Self {
        Cx {
            e,
            platform,
            opaque,
            below: std::cell::Cell::new(false),
            ptr: Vec::with_capacity(16),
            out: Vec::new(),
        }
    }

    fn is_opaque(&self, v: &Value) -> bool {
        self.opaque && matches!(v, Value::String(s) if s == OPAQUE)
    }

    fn report(&mut self, rule: Option<usize>, extra: &[PSeg<'v>], vars: Vars<'_>) {
        let Some(ri) = rule else { return };
        let r = &self.e.rules[ri];
        let mut pointer = String::new();
        write_pointer(&mut pointer, &self.ptr);
        write_pointer(&mut pointer, extra);
        // `{path}` is the rule's own path unless the check names another.
        let mut all: Vec<(&str, &dyn fmt::Display)> = vars.to_vec();
        all.push(("path", &r.path_text));
        let render = |t: &Template| t.render(&all);
        let v = Violation {
            rule: r.id.clone(),
            kind: r.kind,
            severity: r.severity,
            pointer,
            message: render(&r.message),
            fix: render(&r.fix),
            doc: r.doc.clone(),
            code: r.code,
            subcode: r.subcode,
        };
        self.out.push(v);
    }

    fn coercion(&self, c: Coercion) -> Option<usize> {
        self.e
            .globals
            .coercions
            .iter()
            .find(|(k, _)| *k == c)
            .map(|(_, i)| *i)
    }

    fn status(&mut self, status: Status, note: Option<&str>, what: &str, extra: &[PSeg<'v>]) {
        if status == Status::Current {
            return;
        }
        let rule = self
            .e
            .globals
            .statuses
            .iter()
            .find(|(s, _)| *s == status)
            .map(|(_, i)| *i);
        let note = note.unwrap_or("");
        self.report(
            rule,
            extra,
            &[
                ("field", &what),
                ("value", &what),
                ("note", &note),
                ("status", &status.as_str()),
            ],
        );
    }

    fn type_error(&mut self, v: &Value, expected: &dyn fmt::Display) {
        let found = describe(v);
        let rule = self.e.globals.type_mismatch;
        self.report(rule, &[], &[("expected", expected), ("found", &found)]);
    }

    fn visit(&mut self, v: &'v Value, ty: &TyP) {
        if self.is_opaque(v) {
            return;
        }
        match ty {
            TyP::Prim(p) => self.prim(v, *p),
            TyP::Array(item) => match v {
                Value::Array(items) => {
                    for (i, it) in items.iter().enumerate() {
                        self.ptr.push(PSeg::Idx(i));
                        self.visit(it, item);
                        self.ptr.pop();
                    }
                }
                _ => self.type_error(v, &"an array"),
            },
            TyP::Named(i) => self.named(v, *i),
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
                        self.status(val.status, val.note.as_deref(), &val.name, &[]);
                    }
                    None => {
                        let names: Vec<String> = t.values.iter().map(|v| v.name.clone()).collect();
                        self.enum_error(s, &t.name, &names);
                    }
                }
            }
            TypeKind::Object | TypeKind::Keyed => {
                let Value::Object(map) = v else {
                    let expected = format!("an object ({})", t.name);
                    return self.type_error(v, &expected);
                };
                self.fields(map, ti, None);
                self.rules(v, ti);
            }
            TypeKind::Tagged => {
                let Value::Object(map) = v else {
                    let expected = format!("an object ({})", t.name);
                    return self.type_error(v, &expected);
                };
                let tag = t.tag.as_deref().unwrap_or("type");
                let variant = match map.get_key_value(tag) {
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
                            self.status(
                                var.status,
                                var.note.as_deref(),
                                &var.name,
                                &[PSeg::Key(key)],
                            );
                            Some(var)
                        }
                        None => {
                            let names: Vec<String> =
                                t.variants.iter().map(|v| v.name.clone()).collect();
                            self.ptr.push(PSeg::Key(key));
                            self.enum_error(s, &format!("{} `{tag}`", t.name), &names);
                            self.ptr.pop();
                            None
                        }
                    },
                    Some((key, other)) => {
                        self.ptr.push(PSeg::Key(key));
                        self.type_error(other, &"a string");
                        self.ptr.pop();
                        None
                    }
                };
                match (&t.content, variant) {
                    (Some(content), var) => {
                        for k in map.keys() {
                            if k != tag && k != content {
                                let candidates = [tag, content.as_str()];
                                self.unknown(k, &t.name, candidates.iter().copied(), false);
                            }
                        }
                        match (map.get_key_value(content.as_str()), var) {
                            // A variant whose body has no fields (the heart
                            // sticker) may leave the content out.
                            (None | Some((_, Value::Null)), Some(var))
                                if !e.types[var.ty].fields.is_empty()
                                    || e.types[var.ty].kind != TypeKind::Object =>
                            {
                                let rule = e.globals.required;
                                let owner = t.name.as_str();
                                self.report(rule, &[], &[("field", content), ("type", &owner)]);
                            }
                            (Some((key, cv)), Some(var)) => {
                                self.ptr.push(PSeg::Key(key));
                                self.visit(cv, &TyP::Named(var.ty));
                                self.ptr.pop();
                            }
                            _ => {}
                        }
                    }
                    (None, Some(var)) => {
                        let vt = var.ty;
                        self.fields(map, vt, Some(tag));
                        self.rules(v, vt);
                    }
                    (None, None) => {}
                }
                self.rules(v, ti);
            }
        }
    }

    fn enum_error(&mut self, found: &str, what: &str, names: &[String]) {
        let suggestion = closest(found, names.iter().map(String::as_str))
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        let expected = list(names, "or");
        let rule = self.e.globals.enum_value;
        self.report(
            rule,
            &[],
            &[
                ("found", &found),
                ("value", &found),
                ("type", &what),
                ("expected", &expected),
                ("suggestion", &suggestion),
            ],
        );
    }

    fn unknown<'a>(
        &mut self,
        key: &'v str,
        owner: &str,
        candidates: impl Iterator<Item = &'a str> + Clone,
        open: bool,
    ) {
        let suggestion = closest(key, candidates.clone())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        let known: Vec<String> = candidates.map(str::to_string).collect();
        let expected = list(&known, "or");
        let rule = if open {
            self.e.globals.open_field
        } else {
            self.e.globals.unknown_field
        };
        self.report(
            rule,
            &[PSeg::Key(key)],
            &[
                ("field", &key),
                ("type", &owner),
                ("suggestion", &suggestion),
                ("expected", &expected),
            ],
        );
    }

    fn fields(&mut self, map: &'v Map<String, Value>, ti: usize, skip: Option<&str>) {
        let e = self.e;
        let t = &e.types[ti];
        for (k, v) in map {
            if skip == Some(k.as_str()) {
                continue;
            }
            let Some(&fi) = t.field_ix.get(k.as_str()) else {
                let mut names: Vec<&str> = t.fields.iter().map(|f| f.name.as_str()).collect();
                if let Some(s) = skip {
                    names.push(s);
                }
                self.unknown(k, &t.name, names.into_iter(), t.open);
                continue;
            };
            let f = &t.fields[fi];
            if v.is_null() {
                let rule = self.coercion(Coercion::NullAsAbsent);
                self.report(rule, &[PSeg::Key(k)], &[("field", k)]);
                continue;
            }
            self.status(f.status, f.note.as_deref(), k, &[PSeg::Key(k)]);
            let ty = f
                .overrides
                .iter()
                .find(|(ci, value, _)| {
                    map.get(t.fields[*ci].name.as_str())
                        .is_some_and(|cv| cv.as_str() == Some(value.as_str()))
                })
                .map_or(&f.ty, |(_, _, ty)| ty);
            self.ptr.push(PSeg::Key(k));
            self.visit(v, ty);
            self.ptr.pop();
        }
        for &ri in &t.required {
            let f = &t.fields[ri];
            if map.get(f.name.as_str()).is_none_or(Value::is_null) {
                let rule = e.globals.required;
                let owner = t.name.as_str();
                self.report(rule, &[], &[("field", &f.name), ("type", &owner)]);
            }
        }
    }

    /// Calls `f` with every value `path` reaches from `v` (`None` for an
    /// opaque expression) and its pointer relative to `v`.
    fn each(
        &self,
        v: &'v Value,
        path: &[Seg],
        rel: &mut Vec<PSeg<'v>>,
        f: &mut dyn FnMut(Option<&'v Value>, &[PSeg<'v>]),
    ) {
        if self.is_opaque(v) {
            // An expression at the end of the path is present with an
            // unknown value; one above it hides whether the path exists.
            if path.is_empty() {
                f(None, rel);
            } else {
                self.below.set(true);
            }
            return;
        }
        let Some((first, rest)) = path.split_first() else {
            if !v.is_null() {
                f(Some(v), rel);
            }
            return;
        };
        match (first, v) {
            (Seg::Key(k), Value::Object(map)) => {
                if let Some((key, child)) = map.get_key_value(k.as_str()) {
                    rel.push(PSeg::Key(key));
                    self.each(child, rest, rel, f);
                    rel.pop();
                }
            }
            (Seg::Each, Value::Array(items)) => {
                for (i, child) in items.iter().enumerate() {
                    rel.push(PSeg::Idx(i));
                    self.each(child, rest, rel, f);
                    rel.pop();
                }
            }
            _ => {}
        }
    }

    /// Evaluates a condition; with `point`, also returns the pointer of the
    /// first value it found, for the message.
    fn cond(&mut self, v: &'v Value, c: &CondPlan, point: bool) -> (Tri, Vec<PSeg<'v>>) {
        let mut found = false;
        let mut matched = false;
        let mut unknown = false;
        let mut at: Vec<PSeg<'v>> = Vec::new();
        let mut rel = Vec::new();
        self.below.set(false);
        self.each(v, &c.path, &mut rel, &mut |hit, p| {
            if !found && point {
                at = p.to_vec();
            }
            found = true;
            match (hit, &c.test) {
                (None, CondTest::OneOf(_)) => unknown = true,
                (Some(Value::String(s)), CondTest::OneOf(vs))
                    if vs.iter().any(|w| w == s) && !matched =>
                {
                    matched = true;
                    if point {
                        at = p.to_vec();
                    }
                }
                (None, CondTest::Matches(_)) => unknown = true,
                (Some(Value::String(s)), CondTest::Matches(re)) if re.is_match(s) && !matched => {
                    matched = true;
                    if point {
                        at = p.to_vec();
                    }
                }
                (Some(Value::Bool(b)), CondTest::OneOf(vs)) => {
                    let s = if *b { "true" } else { "false" };
                    if vs.iter().any(|w| w == s) {
                        matched = true;
                    }
                }
                _ => {}
            }
        });
        let below = self.below.replace(false);
        let tri = match &c.test {
            CondTest::Present(_) if !found && below => Tri::Unknown,
            CondTest::Present(want) => {
                if found == *want {
                    Tri::True
                } else {
                    Tri::False
                }
            }
            CondTest::OneOf(_) | CondTest::Matches(_) => {
                if matched {
                    Tri::True
                } else if unknown || below {
                    Tri::Unknown
                } else {
                    Tri::False
                }
            }
        };
        (tri, at)
    }

    fn rules(&mut self, v: &'v Value, ti: usize) {
        let e = self.e;
        for &ri in &e.types[ti].rules {
            let r = &e.rules[ri];
            if r.applies_to
                .as_ref()
                .is_some_and(|ps| !ps.contains(&self.platform))
            {
                continue;
            }
            self.rule(v, ri);
        }
    }

    fn rule(&mut self, v: &'v Value, ri: usize) {
        let e = self.e;
        let r = &e.rules[ri];
        let Value::Object(map) = v else { return };
        let is_present = |n: &String| map.get(n.as_str()).is_some_and(|x| !x.is_null());
        match &r.check {
            Check::None => {}
            Check::ExactlyOne(names) | Check::AtMostOne(names) | Check::AtLeastOne(names) => {
                let n = names.iter().filter(|n| is_present(n)).count();
                let bad = match &r.check {
                    Check::ExactlyOne(_) => n != 1,
                    Check::AtMostOne(_) => n > 1,
                    _ => n == 0,
                };
                if bad {
                    let p: Vec<String> = names.iter().filter(|n| is_present(n)).cloned().collect();
                    let fields = list(names, "or");
                    let shown = list(&p, "and");
                    let count = p.len();
                    let at: Vec<PSeg<'v>> = p
                        .get(1)
                        .and_then(|k| map.get_key_value(k.as_str()))
                        .map(|(k, _)| vec![PSeg::Key(k.as_str())])
                        .unwrap_or_default();
                    self.report(
                        Some(ri),
                        &at,
                        &[("fields", &fields), ("present", &shown), ("count", &count)],
                    );
                }
            }
            Check::Requires(w, t) | Check::Forbids(w, t) => {
                if self.cond(v, w, false).0 != Tri::True {
                    return;
                }
                let tt = self.cond(v, t, false).0;
                let requires = matches!(r.check, Check::Requires(..));
                // The pointers are found again only for a violation.
                let (at, field, path) = if requires && tt == Tri::False {
                    (self.cond(v, w, true).1, &w.text, &t.text)
                } else if !requires && tt == Tri::True {
                    (self.cond(v, t, true).1, &t.text, &w.text)
                } else {
                    return;
                };
                // Only a violation needs the words: most bodies pass.
                let value = match &t.test {
                    CondTest::OneOf(vs) => list(vs, "or"),
                    CondTest::Present(_) => String::new(),
                    CondTest::Matches(re) => format!("a match of `{}`", re.as_str()),
                };
                let found = {
                    let mut s = String::new();
                    let mut rel = Vec::new();
                    self.each(v, &t.path, &mut rel, &mut |hit, _| {
                        if s.is_empty() {
                            s = hit.map_or_else(|| "an expression".into(), describe);
                        }
                    });
                    if s.is_empty() {
                        "nothing".to_string()
                    } else {
                        s
                    }
                };
                self.report(
                    Some(ri),
                    &at,
                    &[
                        ("field", field),
                        ("path", path),
                        ("value", &value),
                        ("found", &found),
                    ],
                );
            }
            Check::MaxLen(path, max, unit) => {
                let mut hits = Vec::new();
                let mut rel = Vec::new();
                self.each(v, path, &mut rel, &mut |hit, p| {
                    let len = match hit {
                        Some(Value::String(s)) => match unit {
                            Unit::Chars => s.chars().count() as u64,
                            Unit::Bytes => s.len() as u64,
                        },
                        Some(Value::Number(n)) => n.to_string().len() as u64,
                        _ => 0,
                    };
                    if len > *max {
                        hits.push((p.to_vec(), len));
                    }
                });
                for (p, len) in hits {
                    let field = p
                        .iter()
                        .rev()
                        .find_map(|s| match s {
                            PSeg::Key(k) => Some(*k),
                            PSeg::Idx(_) => None,
                        })
                        .unwrap_or("");
                    let platform = self.platform.display_name();
                    self.report(
                        Some(ri),
                        &p,
                        &[
                            ("len", &len),
                            ("max", max),
                            ("unit", &unit.as_str()),
                            ("field", &field),
                            ("platform", &platform),
                        ],
                    );
                }
            }
            Check::Items(path, min, max) => {
                let mut hits = Vec::new();
                let mut rel = Vec::new();
                self.each(v, path, &mut rel, &mut |hit, p| {
                    if let Some(Value::Array(a)) = hit {
                        let n = a.len() as u64;
                        if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                            hits.push((p.to_vec(), n));
                        }
                    }
                });
                for (p, n) in hits {
                    let min = min.unwrap_or(0);
                    let max: &dyn fmt::Display = match max {
                        Some(m) => m,
                        None => &"any number of",
                    };
                    self.report(Some(ri), &p, &[("count", &n), ("min", &min), ("max", max)]);
                }
            }
            Check::Range(path, min, max) => {
                let mut hits = Vec::new();
                let mut rel = Vec::new();
                self.each(v, path, &mut rel, &mut |hit, p| {
                    if let Some(Value::Number(n)) = hit
                        && let Some(x) = n.as_f64()
                        && (min.is_some_and(|m| x < m as f64) || max.is_some_and(|m| x > m as f64))
                    {
                        hits.push((p.to_vec(), n.to_string()));
                    }
                });
                for (p, value) in hits {
                    let minv: &dyn fmt::Display = match min {
                        Some(m) => m,
                        None => &"any",
                    };
                    let maxv: &dyn fmt::Display = match max {
                        Some(m) => m,
                        None => &"any",
                    };
                    self.report(
                        Some(ri),
                        &p,
                        &[("value", &value), ("min", minv), ("max", maxv)],
                    );
                }
            }
            Check::UniqueTrue(path) => {
                let mut trues = Vec::new();
                let mut rel = Vec::new();
                self.each(v, path, &mut rel, &mut |hit, p| {
                    if matches!(hit, Some(Value::Bool(true)))
                        || matches!(hit, Some(Value::String(s)) if s == "true")
                    {
                        trues.push(p.to_vec());
                    }
                });
                if trues.len() > 1 {
                    let count = trues.len();
                    let at = trues.swap_remove(1);
                    self.report(Some(ri), &at, &[("count", &count)]);
                }
            }
            Check::Pattern(path, re, name) => {
                let mut hits = Vec::new();
                let mut rel = Vec::new();
                self.each(v, path, &mut rel, &mut |hit, p| {
                    if let Some(Value::String(s)) = hit
                        && !re.is_match(s)
                    {
                        hits.push((p.to_vec(), s.clone()));
                    }
                });
                for (p, s) in hits {
                    self.report(Some(ri), &p, &[("value", &s), ("pattern", name)]);
                }
            }
            Check::PlatformOnly(path, field, values) => {
                let platform = self.platform;
                let mut hits = Vec::new();
                let mut rel = Vec::new();
                self.each(v, path, &mut rel, &mut |hit, p| {
                    if let Some(ps) = field
                        && !ps.contains(&platform)
                    {
                        hits.push((p.to_vec(), String::new(), ps.clone()));
                        return;
                    }
                    if let Some(Value::String(s)) = hit
                        && let Some(ps) = values.get(s.as_str())
                        && !ps.contains(&platform)
                    {
                        hits.push((p.to_vec(), s.clone(), ps.clone()));
                    }
                });
                for (p, value, ps) in hits {
                    let field = p
                        .iter()
                        .rev()
                        .find_map(|s| match s {
                            PSeg::Key(k) => Some(*k),
                            PSeg::Idx(_) => None,
                        })
                        .unwrap_or("");
                    let plist = platform_list(&ps);
                    let pname = platform.display_name();
                    self.report(
                        Some(ri),
                        &p,
                        &[
                            ("field", &field),
                            ("value", &value),
                            ("platform", &pname),
                            ("platforms", &plist),
                        ],
                    );
                }
            }
            Check::RefusedSince(path, values) => {
                let as_of = e.as_of;
                let mut hits = Vec::new();
                let mut rel = Vec::new();
                self.each(v, path, &mut rel, &mut |hit, p| {
                    if let Some(Value::String(s)) = hit
                        && let Some((date, repl)) = values.get(s.as_str())
                        && *date <= as_of
                    {
                        hits.push((p.to_vec(), s.clone(), *date, repl.clone()));
                    }
                });
                for (p, value, date, repl) in hits {
                    self.report(
                        Some(ri),
                        &p,
                        &[("value", &value), ("date", &date), ("replacement", &repl)],
                    );
                }
            }
        }
    }
}
