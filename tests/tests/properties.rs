//! Property tests (issue 12): what the differential test checks on the
//! corpus, checked on bodies and spec deltas generated from the spec model.
//!
//! 1. A body generated from the typed model of the bundled latest snapshot
//!    (its types, and the limits and cross-field rules its error rules set)
//!    is accepted by the engine, by the typed bindings and by `request!`,
//!    and reads into the typed request and serializes back to itself.
//! 2. Such a body, mutated (a key dropped, a value of the wrong JSON type, a
//!    limit exceeded, an unknown key, another enum value), gets the same
//!    verdict from the engine, the typed bindings (with the same rule ids,
//!    as in the differential test) and `request!` (whose compile errors name
//!    the engine's rule ids, less the absence errors it leaves out as
//!    following from an unknown key in the same object).
//! 3. A generated delta resolved onto the bundled base, diffed against that
//!    base, gives back exactly the delta's changes.
//!
//! `PROPTEST_CASES` raises the number of cases of each property.

mod common;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use common::{has_compile_error, tokens, typed_verdict};
use proc_macro2::TokenStream;
use proptest::prelude::*;
use proptest::strategy::Union;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use sendapi_codegen::Shapes;
use sendapi_codegen::request_expansion::{Bindings, expand};
use sendapi_spec::model::{Status, TypeKind};
use sendapi_spec::{
    Check, Condition, Engine, Platform, Prim, Seg, Severity, Spec, Target, Test, Ty,
};
use serde_json::{Map, Value};

const SNAPSHOT: &str = "latest";

/// Cases per property, unless `PROPTEST_CASES` says otherwise; failures
/// are kept in `proptest-regressions/<name>.txt` and run first next time.
fn config(cases: u32, name: &str) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(cases);
    let file = format!(
        "{}/proptest-regressions/{name}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(Box::leak(
            file.into_boxed_str(),
        )))),
        // Shrinking a body re-runs the engine and the expansion; bound it.
        max_shrink_iters: 2_000,
        ..Config::default()
    }
}

fn spec() -> &'static Spec {
    sendapi_spec::bundled(SNAPSHOT).expect("the bundled latest snapshot loads")
}

fn engine() -> &'static Engine {
    sendapi_spec::bundled_engine(SNAPSHOT).expect("the bundled latest snapshot compiles")
}

fn shapes() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(|| Shapes::new(spec()))
}

// ---------------------------------------------------------------------------
// Valid bodies, from the model
// ---------------------------------------------------------------------------

/// A field of a type, by owner type and wire name.
type FieldKey = (String, String);

/// A field's entries in an object: itself and the sibling its value carries.
type Entries = Vec<(String, Value)>;

/// A field of an object being generated: name, present, entries.
type FieldPart = (String, bool, Entries);

/// Optional lower and upper bounds of a rule.
type MinMax = (Option<u64>, Option<u64>);

/// The constraints the error rules of the snapshot put on a platform's
/// bodies, gathered from the typed rules (not from a list of the API).
#[derive(Default)]
struct Limits {
    max_chars: HashMap<FieldKey, u64>,
    max_bytes: HashMap<FieldKey, u64>,
    items: HashMap<FieldKey, MinMax>,
    range: HashMap<FieldKey, MinMax>,
    pattern: HashMap<FieldKey, String>,
    unique_true: HashSet<FieldKey>,
    /// `*_of` rules by type: (min, max) present fields of the group.
    groups: HashMap<String, Vec<(usize, usize, Vec<String>)>>,
    /// `requires` (true) and `forbids` (false) rules by type.
    implications: HashMap<String, Vec<(bool, Condition, Condition)>>,
    /// Item statuses an error rule refuses.
    refused_status: HashSet<Status>,
    /// Fields no valid body has on the platform: a `requires` rule asks,
    /// when they are present, for an enum value the platform does not have.
    impossible: HashSet<FieldKey>,
}

fn tighter(map: &mut HashMap<FieldKey, u64>, key: FieldKey, max: u64) {
    let e = map.entry(key).or_insert(max);
    *e = (*e).min(max);
}

fn bounds(map: &mut HashMap<FieldKey, MinMax>, key: FieldKey, min: Option<u64>, max: Option<u64>) {
    let e = map.entry(key).or_insert((None, None));
    e.0 = e.0.max(min);
    e.1 = match (e.1, max) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
}

impl Limits {
    fn of(spec: &Spec, platform: Platform) -> Limits {
        let mut l = Limits::default();
        for rule in spec.rules() {
            if rule.severity != Severity::Error || !rule.applies_on(platform) {
                continue;
            }
            // The fields a path rule reads, wherever its path leads.
            let fields = |on: &str, path: &sendapi_spec::Path| -> Vec<FieldKey> {
                spec.walk(on, path)
                    .expect("a linted path walks")
                    .into_iter()
                    .filter_map(|t| match t {
                        Target::Field { owner, field, .. } => Some((owner, field)),
                        _ => None,
                    })
                    .collect()
            };
            match &rule.check {
                Check::MaxLen(m) => {
                    for k in fields(&m.at.on, &m.at.path) {
                        match m.unit {
                            sendapi_spec::model::Unit::Chars => tighter(&mut l.max_chars, k, m.max),
                            sendapi_spec::model::Unit::Bytes => tighter(&mut l.max_bytes, k, m.max),
                        }
                    }
                }
                Check::Items(b) => {
                    for k in fields(&b.at.on, &b.at.path) {
                        bounds(&mut l.items, k, b.min, b.max);
                    }
                }
                Check::Range(b) => {
                    for k in fields(&b.at.on, &b.at.path) {
                        bounds(&mut l.range, k, b.min, b.max);
                    }
                }
                Check::Pattern(p) => {
                    for k in fields(&p.at.on, &p.at.path) {
                        l.pattern.insert(k, p.regex.as_str().to_string());
                    }
                }
                Check::UniqueTrue(at) => l.unique_true.extend(fields(&at.on, &at.path)),
                Check::ExactlyOneOf(g) => push_group(&mut l, spec, &g.on, 1, 1, &g.fields),
                Check::AtMostOneOf(g) => push_group(&mut l, spec, &g.on, 0, 1, &g.fields),
                Check::AtLeastOneOf(g) => push_group(&mut l, spec, &g.on, 1, usize::MAX, &g.fields),
                Check::Requires(i) | Check::Forbids(i) => {
                    assert!(
                        is_object(spec, &i.on),
                        "the generator repairs cross-field rules on objects only; rule {} is on {}",
                        rule.id,
                        i.on
                    );
                    l.implications.entry(i.on.clone()).or_default().push((
                        matches!(rule.check, Check::Requires(_)),
                        i.when.clone(),
                        i.then.clone(),
                    ));
                }
                Check::Status(s) => {
                    l.refused_status.insert(*s);
                }
                // Platforms and refusal dates: the generator leaves out
                // every item unavailable on the platform or refused at the
                // snapshot's date. The global kinds: it writes only known
                // keys of the right types, and every required field.
                Check::PlatformOnly(_)
                | Check::RefusedSince(_)
                | Check::UnknownField
                | Check::OpenField
                | Check::Type
                | Check::Coercion(_)
                | Check::EnumValue
                | Check::Required => {}
            }
        }
        l
    }
}

fn push_group(l: &mut Limits, spec: &Spec, on: &str, min: usize, max: usize, fields: &[String]) {
    assert!(is_object(spec, on), "a field group on {on}, not an object");
    l.groups
        .entry(on.to_string())
        .or_default()
        .push((min, max, fields.to_vec()));
}

fn is_object(spec: &Spec, ty: &str) -> bool {
    spec.type_def(ty)
        .is_some_and(|d| matches!(d.kind.get_ref(), TypeKind::Object | TypeKind::Keyed))
}

/// An object under construction: the generated map, and spare values for
/// the fields it left out, which the repair of cross-field rules may use.
#[derive(Debug, Clone)]
struct Parts {
    /// (field, present, the field's entries: itself and what its value carries)
    fields: Vec<FieldPart>,
    /// (enum field, value) -> the sibling that value carries, generated.
    carried: Vec<((String, String), (String, Value))>,
}

/// Builds proptest strategies for the types of a spec on one platform.
struct Gen {
    spec: &'static Spec,
    platform: Platform,
    limits: Limits,
    memo: std::cell::RefCell<HashMap<(String, i32), BoxedStrategy<Value>>>,
}

/// How many named types deep optional fields are still generated; below,
/// only what is required (the type graph has cycles through retired items).
const DEPTH: i32 = 9;

impl Gen {
    fn new(platform: Platform) -> Gen {
        let spec = spec();
        let mut g = Gen {
            spec,
            platform,
            limits: Limits::of(spec, platform),
            memo: Default::default(),
        };
        let mut impossible = HashSet::new();
        for (on, rules) in &g.limits.implications {
            for (requires, when, then) in rules {
                let wants_unusable = match (&then.test, Repair::single(then)) {
                    (Test::Equals(_) | Test::In(_), Some(f)) => {
                        match spec.field(on, f).map(|f| spec.field_ty(f)) {
                            Some(Ty::Named(n)) if g.is_enum(&n) => {
                                let usable = g.enum_values(&n);
                                !then.test.values().iter().any(|v| usable.contains(v))
                            }
                            _ => false,
                        }
                    }
                    _ => false,
                };
                if *requires && wants_unusable && matches!(when.test, Test::Present(true)) {
                    for t in spec.walk(on, &when.path).expect("a linted path") {
                        if let Target::Field { owner, field, .. } = t {
                            impossible.insert((owner, field));
                        }
                    }
                }
            }
        }
        g.limits.impossible = impossible;
        g
    }

    fn is_enum(&self, ty: &str) -> bool {
        self.spec
            .type_def(ty)
            .is_some_and(|d| *d.kind.get_ref() == TypeKind::Enum)
    }

    fn usable(&self, status: Status, platforms: &Option<Vec<Platform>>) -> bool {
        status != Status::Transport
            && !self.limits.refused_status.contains(&status)
            && Spec::available(platforms, self.platform)
    }

    fn not_refused(&self, since: Option<sendapi_spec::Date>) -> bool {
        since.is_none_or(|d| d > self.spec.as_of())
    }

    /// The values of an enum a body may use.
    fn enum_values(&self, ty: &str) -> Vec<String> {
        let def = self.spec.type_def(ty).expect("an enum");
        def.values
            .iter()
            .filter(|(_, v)| {
                self.usable(v.status, &v.platforms) && self.not_refused(v.refused_since)
            })
            .map(|(k, _)| k.get_ref().clone())
            .collect()
    }

    fn body(&self) -> BoxedStrategy<Value> {
        self.named(self.spec.root(), DEPTH)
    }

    fn ty(&self, ty: &Ty, field: Option<&FieldKey>, depth: i32) -> BoxedStrategy<Value> {
        match ty {
            Ty::Prim(p) => self.prim(*p, field),
            Ty::Named(n) => self.named(n, depth),
            Ty::Array(item) => {
                let (min, max) = field
                    .and_then(|f| self.limits.items.get(f))
                    .copied()
                    .unwrap_or((None, None));
                let lo = usize::try_from(min.unwrap_or(0)).unwrap_or(0);
                let hi = max.map_or(lo + 3, |m| usize::try_from(m).unwrap_or(usize::MAX));
                let item = self.ty(item, None, depth);
                let few = proptest::collection::vec(item.clone(), lo..=hi.min(lo + 3));
                if hi <= 13 && hi > lo + 3 {
                    // Sometimes exactly at the limit.
                    prop_oneof![4 => few, 1 => proptest::collection::vec(item, hi..=hi)]
                        .prop_map(Value::Array)
                        .boxed()
                } else {
                    few.prop_map(Value::Array).boxed()
                }
            }
        }
    }

    fn prim(&self, p: Prim, field: Option<&FieldKey>) -> BoxedStrategy<Value> {
        match p {
            Prim::String => self.string(field).prop_map(Value::String).boxed(),
            Prim::Id => (1u64..10_000_000_000_000_000)
                .prop_map(|n| Value::String(n.to_string()))
                .boxed(),
            Prim::StringOrNumber => prop_oneof![
                3 => self.string(field).prop_map(Value::String),
                1 => any::<u32>().prop_map(Value::from),
            ]
            .boxed(),
            Prim::Bool => {
                if field.is_some_and(|f| self.limits.unique_true.contains(f)) {
                    Just(Value::Bool(false)).boxed()
                } else {
                    any::<bool>().prop_map(Value::Bool).boxed()
                }
            }
            Prim::Integer | Prim::Number => {
                let (min, max) = field
                    .and_then(|f| self.limits.range.get(f))
                    .copied()
                    .unwrap_or((None, None));
                let lo = min.unwrap_or(0);
                let hi = max.unwrap_or(lo + 1_000_000);
                if p == Prim::Integer {
                    (lo..=hi).prop_map(Value::from).boxed()
                } else {
                    // Quarters are exact in binary: they print and read back alike.
                    (lo * 4..=hi * 4)
                        .prop_map(|q| Value::from(q as f64 / 4.0))
                        .boxed()
                }
            }
            Prim::Json => prop_oneof![
                any::<bool>().prop_map(Value::Bool),
                any::<u16>().prop_map(Value::from),
                "[a-z]{0,8}".prop_map(Value::String),
                "[a-z]{1,8}".prop_map(|k| serde_json::json!({ k: [1, "x"] })),
            ]
            .boxed(),
        }
    }

    /// A string within the field's error limits: a few characters, some
    /// outside ASCII or needing escapes, or exactly as many as allowed.
    fn string(&self, field: Option<&FieldKey>) -> BoxedStrategy<String> {
        if let Some(re) = field.and_then(|f| self.limits.pattern.get(f)) {
            // The spec's patterns are anchored by `^`, and by `$` at the end
            // where they are anchored there; the generator wants neither.
            let bare = re.trim_start_matches('^').trim_end_matches('$');
            return proptest::string::string_regex(bare)
                .unwrap_or_else(|e| panic!("cannot generate strings for pattern `{re}`: {e}"))
                .boxed();
        }
        let chars = field.and_then(|f| self.limits.max_chars.get(f)).copied();
        let bytes = field.and_then(|f| self.limits.max_bytes.get(f)).copied();
        let one = prop_oneof![
            8 => proptest::char::range('a', 'z'),
            1 => Just(' '),
            1 => Just('é'),
            1 => Just('😀'),
            1 => Just('"'),
            1 => Just('\\'),
        ];
        let short = proptest::collection::vec(one.clone(), 0..=12)
            .prop_map(|cs| cs.into_iter().collect::<String>());
        let strategy = match chars.or(bytes) {
            Some(limit) => {
                let limit = usize::try_from(limit).unwrap_or(usize::MAX);
                prop_oneof![
                    4 => short,
                    1 => one.prop_map(move |c| c.to_string().repeat(limit)),
                ]
                .boxed()
            }
            None => short.boxed(),
        };
        strategy
            .prop_map(move |s| {
                let mut out = String::new();
                for (n, c) in s.chars().enumerate() {
                    let n = n as u64 + 1;
                    let b = (out.len() + c.len_utf8()) as u64;
                    if chars.is_some_and(|m| n > m) || bytes.is_some_and(|m| b > m) {
                        break;
                    }
                    out.push(c);
                }
                out
            })
            .boxed()
    }

    fn named(&self, name: &str, depth: i32) -> BoxedStrategy<Value> {
        assert!(depth > -20, "required fields make a cycle through {name}");
        let key = (name.to_string(), depth.max(-1));
        if let Some(s) = self.memo.borrow().get(&key) {
            return s.clone();
        }
        let def = self.spec.type_def(name).expect("a linted type");
        let s = match def.kind.get_ref() {
            TypeKind::Enum => {
                let values = self.enum_values(name);
                proptest::sample::select(values)
                    .prop_map(Value::String)
                    .boxed()
            }
            TypeKind::Object | TypeKind::Keyed => self.object(name, depth),
            TypeKind::Tagged => {
                let tag = def
                    .tag
                    .as_ref()
                    .expect("a tagged union has a tag")
                    .get_ref()
                    .clone();
                let content = def.content.as_ref().map(|c| c.get_ref().clone());
                let variants: Vec<(u32, BoxedStrategy<Value>)> = def
                    .variants
                    .iter()
                    .filter(|(_, v)| {
                        self.usable(v.status, &v.platforms) && self.not_refused(v.refused_since)
                    })
                    .map(|(wire, v)| {
                        let weight = weight(v.status);
                        let (wire, tag, content) =
                            (wire.get_ref().clone(), tag.clone(), content.clone());
                        let strategy = self
                            .named(v.ty.get_ref(), depth - 1)
                            .prop_map(move |body| {
                                let mut m = Map::new();
                                m.insert(tag.clone(), Value::String(wire.clone()));
                                match &content {
                                    // A payload type without fields (the
                                    // heart sticker's): the typed request
                                    // writes no payload, so neither does
                                    // the generator.
                                    Some(_) if body == Value::Object(Map::new()) => {}
                                    Some(c) => {
                                        m.insert(c.clone(), body);
                                    }
                                    None => {
                                        if let Value::Object(fields) = body {
                                            m.extend(fields);
                                        }
                                    }
                                }
                                Value::Object(m)
                            })
                            .boxed();
                        (weight, strategy)
                    })
                    .collect();
                assert!(!variants.is_empty(), "no usable variant of {name}");
                Union::new_weighted(variants).boxed()
            }
        };
        self.memo.borrow_mut().insert(key, s.clone());
        s
    }

    /// The fields the value of `owner.field` carries: (value, sibling, type).
    fn carries(&self, owner: &str, field: &str) -> Vec<(String, String, Ty)> {
        let Some(f) = self.spec.field(owner, field) else {
            return Vec::new();
        };
        let Ty::Named(n) = self.spec.field_ty(f) else {
            return Vec::new();
        };
        let Some(def) = self.spec.type_def(&n) else {
            return Vec::new();
        };
        def.values
            .iter()
            .filter_map(|(wire, v)| {
                let c = v.carries.as_ref()?;
                let sibling = c.field.get_ref().clone();
                let ty = match &c.ty {
                    Some(t) => Ty::parse(t.get_ref()).expect("a linted type"),
                    None => self.spec.field_ty(self.spec.field(owner, &sibling)?),
                };
                Some((wire.get_ref().clone(), sibling, ty))
            })
            .collect()
    }

    /// A field's value with whatever its value carries.
    fn entries(&self, owner: &str, field: &str, depth: i32) -> BoxedStrategy<Vec<(String, Value)>> {
        let f = self.spec.field(owner, field).expect("a field");
        let ty = self.spec.field_ty(f);
        let key = (owner.to_string(), field.to_string());
        let carries = self.carries(owner, field);
        let name = field.to_string();
        if carries.is_empty() {
            return self
                .ty(&ty, Some(&key), depth - 1)
                .prop_map(move |v| vec![(name.clone(), v)])
                .boxed();
        }
        let Ty::Named(enum_ty) = ty else {
            unreachable!("only enum values carry siblings")
        };
        let options: Vec<BoxedStrategy<Vec<(String, Value)>>> = self
            .enum_values(&enum_ty)
            .into_iter()
            .map(|value| {
                let name = name.clone();
                match carries.iter().find(|(w, ..)| *w == value) {
                    None => Just(vec![(name, Value::String(value))]).boxed(),
                    Some((_, sibling, sty)) => {
                        let sibling = sibling.clone();
                        let skey = (owner.to_string(), sibling.clone());
                        self.ty(sty, Some(&skey), depth - 1)
                            .prop_map(move |sv| {
                                vec![
                                    (name.clone(), Value::String(value.clone())),
                                    (sibling.clone(), sv),
                                ]
                            })
                            .boxed()
                    }
                }
            })
            .collect();
        Union::new(options).boxed()
    }

    fn object(&self, name: &str, depth: i32) -> BoxedStrategy<Value> {
        let def = self.spec.type_def(name).expect("an object");
        let keyed = *def.kind.get_ref() == TypeKind::Keyed;
        // Siblings that a value of another field carries come with it.
        let carried: HashSet<String> = def
            .fields
            .keys()
            .flat_map(|f| self.carries(name, f.get_ref()))
            .map(|(_, sibling, _)| sibling)
            .collect();
        let mut keys = Vec::new();
        let mut fields: Vec<BoxedStrategy<FieldPart>> = Vec::new();
        for (wire, f) in &def.fields {
            let wire = wire.get_ref().clone();
            if !self.usable(f.status, &f.platforms)
                || f.part.is_some()
                || carried.contains(&wire)
                || self
                    .limits
                    .impossible
                    .contains(&(name.to_string(), wire.clone()))
            {
                continue;
            }
            let ty = self.spec.field_ty(f);
            let deep = !matches!(ty, Ty::Prim(_))
                && !matches!(&ty, Ty::Named(n) if self.spec.type_def(n).is_some_and(|d| *d.kind.get_ref() == TypeKind::Enum));
            if keyed && f.key {
                keys.push(wire);
                continue;
            }
            if !f.required && deep && depth <= 0 {
                continue;
            }
            let present = if f.required {
                Just(true).boxed()
            } else {
                proptest::bool::weighted(0.4).boxed()
            };
            let w = wire.clone();
            fields.push(
                (present, self.entries(name, &wire, depth))
                    .prop_map(move |(p, e)| (w.clone(), p, e))
                    .boxed(),
            );
        }
        let key: BoxedStrategy<Option<(String, Entries)>> = if keyed {
            assert!(!keys.is_empty(), "no usable key of {name}");
            Union::new_weighted(
                keys.into_iter()
                    .map(|k| {
                        let w = weight(self.spec.field(name, &k).expect("a field").status);
                        let s = self
                            .entries(name, &k, depth)
                            .prop_map(move |e| Some((k.clone(), e)))
                            .boxed();
                        (w, s)
                    })
                    .collect(),
            )
            .boxed()
        } else {
            Just(None).boxed()
        };
        // Spare siblings for enum values the repair may switch to.
        let mut spares = Vec::new();
        for (wire, _) in &def.fields {
            for (value, sibling, sty) in self.carries(name, wire.get_ref()) {
                let k = (wire.get_ref().clone(), value);
                let skey = (name.to_string(), sibling.clone());
                spares.push(
                    self.ty(&sty, Some(&skey), depth - 1)
                        .prop_map(move |v| (k.clone(), (sibling.clone(), v)))
                        .boxed(),
                );
            }
        }
        let owner = name.to_string();
        let spec = self.spec;
        let groups = self.limits.groups.get(name).cloned().unwrap_or_default();
        let implications = self
            .limits
            .implications
            .get(name)
            .cloned()
            .unwrap_or_default();
        let gen_values: HashMap<String, Vec<String>> = def
            .fields
            .iter()
            .filter_map(|(w, f)| match self.spec.field_ty(f) {
                Ty::Named(n)
                    if self
                        .spec
                        .type_def(&n)
                        .is_some_and(|d| *d.kind.get_ref() == TypeKind::Enum) =>
                {
                    Some((w.get_ref().clone(), self.enum_values(&n)))
                }
                _ => None,
            })
            .collect();
        (key, fields, spares)
            .prop_map(move |(key, fields, carried)| {
                let mut parts = Parts { fields, carried };
                if let Some((k, e)) = key {
                    parts.fields.insert(0, (k, true, e));
                }
                let mut m = Map::new();
                for (_, present, entries) in &parts.fields {
                    if *present {
                        m.extend(entries.iter().cloned());
                    }
                }
                let repair = Repair {
                    spec,
                    owner: &owner,
                    parts: &parts,
                    values: &gen_values,
                };
                repair.run(&mut m, &groups, &implications);
                Value::Object(m)
            })
            .boxed()
    }
}

/// How often a variant or key is chosen: what Meta documents today more
/// often than what is retired, deprecated or unconfirmed.
fn weight(status: Status) -> u32 {
    if status == Status::Current { 4 } else { 1 }
}

/// Makes an object satisfy the `*_of`, `requires` and `forbids` rules on
/// its type, with the spare values generated beside it: adding a missing
/// field, dropping a forbidden one, switching an enum value; else making
/// the rule's condition false.
struct Repair<'a> {
    spec: &'static Spec,
    owner: &'a str,
    parts: &'a Parts,
    /// Usable values of the object's enum fields.
    values: &'a HashMap<String, Vec<String>>,
}

impl Repair<'_> {
    fn run(
        &self,
        m: &mut Map<String, Value>,
        groups: &[(usize, usize, Vec<String>)],
        implications: &[(bool, Condition, Condition)],
    ) {
        for _ in 0..8 {
            let before = m.clone();
            for (min, max, fields) in groups {
                let present: Vec<&String> = fields.iter().filter(|f| m.contains_key(*f)).collect();
                if present.len() > *max {
                    for f in present.into_iter().skip(*max) {
                        self.remove(m, f);
                    }
                } else {
                    let mut n = present.len();
                    for f in fields {
                        if n >= *min {
                            break;
                        }
                        if !m.contains_key(f) && self.add(m, f) {
                            n += 1;
                        }
                    }
                }
            }
            for (requires, when, then) in implications {
                if !holds(m, when) {
                    continue;
                }
                let broken = holds(m, then) != *requires;
                if broken {
                    let fixed = if *requires {
                        self.make(m, then, true)
                    } else {
                        self.make(m, then, false)
                    };
                    if !fixed {
                        self.make(m, when, false);
                    }
                }
            }
            if *m == before {
                return;
            }
        }
    }

    /// The field a one-key path names, when the path is one key.
    fn single(c: &Condition) -> Option<&str> {
        match c.path.segs.as_slice() {
            [Seg::Key(k)] => Some(k),
            _ => None,
        }
    }

    fn field(&self, name: &str) -> Option<&sendapi_spec::model::Field> {
        self.spec.field(self.owner, name)
    }

    /// Removes an optional field and what its value carries.
    fn remove(&self, m: &mut Map<String, Value>, name: &str) -> bool {
        let Some(f) = self.field(name) else {
            return false;
        };
        if f.required || f.key {
            return false;
        }
        if let Some(Value::String(v)) = m.get(name).cloned() {
            for ((field, value), (sibling, _)) in &self.parts.carried {
                if field == name && *value == v {
                    m.remove(sibling);
                }
            }
        }
        m.remove(name).is_some()
    }

    /// Adds a field from its spare value.
    fn add(&self, m: &mut Map<String, Value>, name: &str) -> bool {
        match self.parts.fields.iter().find(|(f, ..)| f == name) {
            Some((_, _, entries)) if !self.field(name).is_some_and(|f| f.key) => {
                m.extend(entries.iter().cloned());
                true
            }
            _ => false,
        }
    }

    /// Sets an enum field to `value`, with what that value carries.
    fn set(&self, m: &mut Map<String, Value>, name: &str, value: &str) -> bool {
        if !self
            .values
            .get(name)
            .is_some_and(|vs| vs.iter().any(|v| v == value))
        {
            return false;
        }
        if let Some(Value::String(old)) = m.get(name).cloned() {
            for ((field, v), (sibling, _)) in &self.parts.carried {
                if field == name && *v == old {
                    m.remove(sibling);
                }
            }
        }
        m.insert(name.to_string(), Value::String(value.to_string()));
        for ((field, v), (sibling, sv)) in &self.parts.carried {
            if field == name && v == value {
                m.insert(sibling.clone(), sv.clone());
            }
        }
        true
    }

    /// Makes `c` hold (`want`) or not; false when it cannot.
    fn make(&self, m: &mut Map<String, Value>, c: &Condition, want: bool) -> bool {
        let Some(name) = Self::single(c) else {
            // A nested path: only a presence can be undone, by its first key.
            return false;
        };
        match (&c.test, want) {
            (Test::Present(p), w) if *p == w => self.add(m, name),
            (Test::Present(_), _) => self.remove(m, name),
            (Test::Equals(_) | Test::In(_), true) => self.set(m, name, &c.test.values()[0]),
            (Test::Equals(_) | Test::In(_), false) => {
                let wanted = c.test.values();
                let other = self
                    .values
                    .get(name)
                    .and_then(|vs| vs.iter().find(|v| !wanted.contains(v)));
                match other {
                    Some(o) => self.set(m, name, &o.clone()),
                    None => self.remove(m, name),
                }
            }
            (Test::Matches(_), false) => self.remove(m, name),
            (Test::Matches(_), true) => false,
        }
    }
}

/// Whether a condition holds on an object (the engine's reading, for the
/// canonical spellings the generator writes).
fn holds(m: &Map<String, Value>, c: &Condition) -> bool {
    let mut at: Option<&Value> = None;
    for (i, seg) in c.path.segs.iter().enumerate() {
        let Seg::Key(k) = seg else {
            panic!("the generator does not repair conditions through arrays: {c}")
        };
        at = if i == 0 {
            m.get(k)
        } else {
            at.and_then(|v| v.get(k))
        };
    }
    match (&c.test, at) {
        (Test::Present(p), v) => v.is_some() == *p,
        (Test::Equals(_) | Test::In(_), Some(Value::String(s))) => c.test.values().contains(s),
        (Test::Equals(_) | Test::In(_), Some(Value::Bool(b))) => {
            c.test.values().iter().any(|w| *w == b.to_string())
        }
        (Test::Matches(re), Some(Value::String(s))) => re.is_match(s),
        _ => false,
    }
}

fn bodies() -> BoxedStrategy<(Platform, Value)> {
    let [(p0, s0), (p1, s1)] = Platform::ALL.map(|p| (p, Gen::new(p).body()));
    prop_oneof![s0.prop_map(move |b| (p0, b)), s1.prop_map(move |b| (p1, b)),].boxed()
}

/// The rule ids of `request!`'s compile errors (`[rule.id] message`).
fn request_errors(body: &Value, platform: Platform) -> BTreeSet<String> {
    fn walk(ts: TokenStream, out: &mut BTreeSet<String>) {
        let mut after_compile_error = false;
        for tt in ts {
            match tt {
                proc_macro2::TokenTree::Ident(i) => after_compile_error = i == "compile_error",
                proc_macro2::TokenTree::Group(g) if after_compile_error => {
                    let text = g.stream().to_string();
                    let id = text
                        .strip_prefix("\"[")
                        .and_then(|t| t.split_once(']'))
                        .map(|(id, _)| id.to_string());
                    out.insert(id.unwrap_or(text));
                    after_compile_error = false;
                }
                proc_macro2::TokenTree::Group(g) => walk(g.stream(), out),
                proc_macro2::TokenTree::Punct(_) => {}
                proc_macro2::TokenTree::Literal(_) => after_compile_error = false,
            }
        }
    }
    let bindings = Bindings {
        spec: spec(),
        shapes: shapes(),
        engine: engine(),
        module: quote::quote!(::sendapi::v26),
    };
    let mut input = TokenStream::new();
    if platform == Platform::Instagram {
        input.extend(quote::quote!(instagram,));
    }
    input.extend(tokens(body));
    let mut out = BTreeSet::new();
    walk(expand(input, &bindings), &mut out);
    out
}

fn request_refuses(body: &Value, platform: Platform) -> bool {
    let bindings = Bindings {
        spec: spec(),
        shapes: shapes(),
        engine: engine(),
        module: quote::quote!(::sendapi::v26),
    };
    let mut input = TokenStream::new();
    if platform == Platform::Instagram {
        input.extend(quote::quote!(instagram,));
    }
    input.extend(tokens(body));
    has_compile_error(&expand(input, &bindings))
}

fn engine_errors(body: &Value, platform: Platform) -> BTreeSet<String> {
    engine()
        .validate(body, platform)
        .errors()
        .map(|v| format!("{} at {}", v.rule, v.pointer))
        .collect()
}

/// Wire names of the fields typed `string_or_number`, which the typed
/// request writes as strings (a documented coercion).
fn string_or_number_fields() -> &'static HashSet<String> {
    static F: OnceLock<HashSet<String>> = OnceLock::new();
    F.get_or_init(|| {
        let spec = spec();
        spec.types()
            .flat_map(|(_, d)| d.fields.iter())
            .filter(|(_, f)| spec.field_ty(f) == Ty::Prim(Prim::StringOrNumber))
            .map(|(w, _)| w.get_ref().clone())
            .collect()
    })
}

/// `back == body`, except that a number in a `string_or_number` field may
/// come back as the same digits in a string.
fn same_but_numbers_as_strings(body: &Value, back: &Value, key: Option<&str>) -> bool {
    match (body, back) {
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter().all(|(k, v)| {
                    b.get(k)
                        .is_some_and(|w| same_but_numbers_as_strings(v, w, Some(k)))
                })
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(v, w)| same_but_numbers_as_strings(v, w, key))
        }
        (Value::Number(n), Value::String(s)) => {
            key.is_some_and(|k| string_or_number_fields().contains(k)) && n.to_string() == *s
        }
        (a, b) => a == b,
    }
}

#[test]
fn generated_bodies_are_accepted_and_round_trip() {
    let mut runner = TestRunner::new(config(512, "generated_bodies"));
    let seen = std::cell::RefCell::new(BTreeSet::new());
    let result = runner.run(&bodies(), |(platform, body)| {
        let mut all = Vec::new();
        nodes(&body, String::new(), None, &mut all);
        seen.borrow_mut().extend(all.into_iter().filter_map(|(_, k)| k));
        for p in ["/message/attachment/payload/template_type", "/sender_action", "/tag", "/messaging_type"] {
            if let Some(Value::String(t)) = body.pointer(p) {
                seen.borrow_mut().insert(format!("{p}={t}"));
            }
        }
        let errors = engine_errors(&body, platform);
        prop_assert!(errors.is_empty(), "the engine refuses a generated body on {platform}: {errors:?}\n{body:#}");
        match typed_verdict(SNAPSHOT, &body, platform) {
            Err(ids) => prop_assert!(false, "the typed reader refuses it on {platform}: {ids:?}\n{body:#}"),
            Ok(Err(ids)) => prop_assert!(false, "validate() refuses it on {platform}: {ids:?}\n{body:#}"),
            Ok(Ok(back)) => prop_assert!(
                same_but_numbers_as_strings(&body, &back, None),
                "the typed request does not serialize back to the body on {platform}:\n in: {body}\nout: {back}"
            ),
        }
        prop_assert!(!request_refuses(&body, platform), "request! refuses it on {platform}:\n{body:#}");
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let seen = seen.into_inner();
    eprintln!("{} keys and values seen: {seen:?}", seen.len());
}

// ---------------------------------------------------------------------------
// Mutated bodies
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Mutation {
    /// A key removed.
    Drop,
    /// A value of another JSON type.
    Retype,
    /// A string longer, or an array longer or shorter, than a limit rule allows.
    Exceed,
    /// A key the object's type does not have.
    Unknown,
    /// An enum value or union tag replaced by another of the spec's values.
    Swap,
}

/// Every node of a body, as JSON pointers, with its key when it is an
/// object member.
fn nodes(v: &Value, at: String, key: Option<&str>, out: &mut Vec<(String, Option<String>)>) {
    out.push((at.clone(), key.map(str::to_string)));
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                nodes(x, p, Some(k), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                nodes(x, format!("{at}/{i}"), None, out);
            }
        }
        _ => {}
    }
}

/// What the mutations draw from the spec: every enum value, alias and
/// union tag; every field name; the limit rules by the key they measure.
struct Vocabulary {
    values: Vec<String>,
    fields: Vec<String>,
    /// key -> (max, bytes?) of max_len rules
    max_len: HashMap<String, Vec<(u64, bool)>>,
    /// key -> (min, max) of items rules
    items: HashMap<String, Vec<MinMax>>,
}

fn vocabulary() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(|| {
        let spec = spec();
        let mut values = BTreeSet::new();
        let mut fields = BTreeSet::new();
        for (_, def) in spec.types() {
            for (w, v) in &def.values {
                values.insert(w.get_ref().clone());
                values.extend(v.aliases.iter().cloned());
            }
            values.extend(def.variants.keys().map(|w| w.get_ref().clone()));
            fields.extend(def.fields.keys().map(|w| w.get_ref().clone()));
        }
        let mut max_len: HashMap<String, Vec<(u64, bool)>> = HashMap::new();
        let mut items: HashMap<String, Vec<MinMax>> = HashMap::new();
        for rule in spec.rules() {
            match &rule.check {
                Check::MaxLen(m) => max_len
                    .entry(m.at.path.last_key().unwrap_or_default().to_string())
                    .or_default()
                    .push((m.max, m.unit == sendapi_spec::model::Unit::Bytes)),
                Check::Items(b) => items
                    .entry(b.at.path.last_key().unwrap_or_default().to_string())
                    .or_default()
                    .push((b.min, b.max)),
                _ => {}
            }
        }
        fields.insert("qick_replies".into());
        fields.insert("zz_not_a_field".into());
        Vocabulary {
            values: values.into_iter().collect(),
            fields: fields.into_iter().collect(),
            max_len,
            items,
        }
    })
}

fn mutate(
    body: &Value,
    how: Mutation,
    at: prop::sample::Index,
    pick: prop::sample::Index,
) -> Value {
    let voc = vocabulary();
    let mut all = Vec::new();
    nodes(body, String::new(), None, &mut all);
    let mut out = body.clone();
    let choose = |c: &[(String, Option<String>)]| -> Option<(String, Option<String>)> {
        (!c.is_empty()).then(|| c[at.index(c.len())].clone())
    };
    let node =
        |out: &mut Value, p: &str| -> Value { out.pointer(p).cloned().unwrap_or(Value::Null) };
    match how {
        Mutation::Drop => {
            let members: Vec<_> = all.iter().filter(|(_, k)| k.is_some()).cloned().collect();
            if let Some((p, Some(k))) = choose(&members) {
                let parent = &p[..p.rfind('/').unwrap_or(0)];
                if let Some(Value::Object(m)) = out.pointer_mut(parent) {
                    m.remove(&k);
                }
            }
        }
        Mutation::Retype => {
            let inner: Vec<_> = all.iter().filter(|(p, _)| !p.is_empty()).cloned().collect();
            if let Some((p, _)) = choose(&inner) {
                let options: Vec<Value> = match node(&mut out, &p) {
                    Value::String(_) => vec![
                        7.into(),
                        true.into(),
                        Value::Null,
                        serde_json::json!([]),
                        serde_json::json!({}),
                    ],
                    Value::Number(_) => vec!["x".into(), "7".into(), true.into()],
                    Value::Bool(_) => vec!["x".into(), "true".into(), 1.into()],
                    Value::Object(_) => vec!["x".into(), serde_json::json!([]), 7.into()],
                    Value::Array(_) => vec![serde_json::json!({}), "x".into()],
                    Value::Null => vec!["x".into()],
                };
                if let Some(v) = out.pointer_mut(&p) {
                    *v = options[pick.index(options.len())].clone();
                }
            }
        }
        Mutation::Exceed => {
            let limited: Vec<_> = all
                .iter()
                .filter(|(p, k)| match (k, body.pointer(p)) {
                    (Some(k), Some(Value::String(_))) => voc.max_len.contains_key(k),
                    (Some(k), Some(Value::Array(a))) => !a.is_empty() && voc.items.contains_key(k),
                    _ => false,
                })
                .cloned()
                .collect();
            if let Some((p, Some(k))) = choose(&limited) {
                let v = out.pointer_mut(&p).expect("a node of the body");
                match v {
                    Value::String(s) => {
                        let rules = &voc.max_len[&k];
                        let (max, bytes) = rules[pick.index(rules.len())];
                        let n = usize::try_from(max).unwrap_or(0) + 1;
                        *s = if bytes {
                            "é".repeat(n / 2 + 1)
                        } else {
                            "é".repeat(n)
                        };
                    }
                    Value::Array(a) => {
                        let rules = &voc.items[&k];
                        let (min, max) = rules[pick.index(rules.len())];
                        let first = a[0].clone();
                        match (max, min) {
                            (Some(max), _) => {
                                a.resize(usize::try_from(max).unwrap_or(0) + 1, first);
                            }
                            (None, Some(min)) => {
                                a.truncate(usize::try_from(min).unwrap_or(1).saturating_sub(1))
                            }
                            (None, None) => {}
                        }
                    }
                    _ => {}
                }
            } else {
                return mutate(body, Mutation::Unknown, at, pick);
            }
        }
        Mutation::Unknown => {
            let objects: Vec<_> = all
                .iter()
                .filter(|(p, _)| matches!(body.pointer(p), Some(Value::Object(_))))
                .cloned()
                .collect();
            if let Some((p, _)) = choose(&objects)
                && let Some(Value::Object(m)) = out.pointer_mut(&p)
            {
                let k = voc.fields[pick.index(voc.fields.len())].clone();
                m.insert(k, Value::String("x".into()));
            }
        }
        Mutation::Swap => {
            let enums: Vec<_> = all
                .iter()
                .filter(|(p, _)| matches!(body.pointer(p), Some(Value::String(s)) if voc.values.binary_search(s).is_ok()))
                .cloned()
                .collect();
            if let Some((p, _)) = choose(&enums) {
                *out.pointer_mut(&p).expect("a node") =
                    Value::String(voc.values[pick.index(voc.values.len())].clone());
            } else {
                return mutate(body, Mutation::Retype, at, pick);
            }
        }
    }
    out
}

fn mutations() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Drop),
        Just(Mutation::Retype),
        Just(Mutation::Exceed),
        Just(Mutation::Unknown),
        Just(Mutation::Swap),
    ]
}

#[test]
fn mutated_bodies_get_one_verdict() {
    let mut runner = TestRunner::new(config(512, "mutated_bodies"));
    let refused = std::cell::Cell::new(0u32);
    let total = std::cell::Cell::new(0u32);
    let strategy = (
        bodies(),
        mutations(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
    );
    let result = runner.run(&strategy, |((platform, body), how, at, pick)| {
        let body = mutate(&body, how, at, pick);
        let engine_ids: BTreeSet<String> = engine()
            .validate(&body, platform)
            .errors()
            .map(|v| v.rule.clone())
            .collect();
        let valid = engine_ids.is_empty();
        total.set(total.get() + 1);
        refused.set(refused.get() + u32::from(!valid));
        let at = format!("{how:?} on {platform}: {body}");
        let request_ids = request_errors(&body, platform);
        // request! leaves out what only follows from an unknown key: a
        // field, group member or condition found missing in the object
        // that has it (the key was likely meant to be the missing one).
        let left_out: Vec<&String> = engine_ids.difference(&request_ids).collect();
        let follows_on = |id: &String| {
            engine_ids.contains("body.unknown_field")
                && spec().rule(id).is_some_and(|r| {
                    matches!(
                        r.kind(),
                        sendapi_spec::RuleKind::Required
                            | sendapi_spec::RuleKind::ExactlyOneOf
                            | sendapi_spec::RuleKind::AtLeastOneOf
                            | sendapi_spec::RuleKind::Requires
                    )
                })
        };
        prop_assert!(
            request_ids.is_subset(&engine_ids) && left_out.iter().all(|id| follows_on(id)),
            "request!'s errors {request_ids:?} and the engine's {engine_ids:?} disagree after {at}"
        );
        let request = request_refuses(&body, platform);
        prop_assert_eq!(request, !valid, "request! and the engine ({:?}) disagree after {}", engine_ids, at);
        match typed_verdict(SNAPSHOT, &body, platform) {
            Err(structural) => {
                prop_assert!(!valid, "the typed reader refuses {structural:?} what the engine accepts: {at}");
                prop_assert!(
                    structural.is_subset(&engine_ids),
                    "the typed reader reports {structural:?}, not among the engine's {engine_ids:?}: {at}"
                );
            }
            Ok(Err(checked)) => prop_assert_eq!(checked, engine_ids, "validate() and the engine disagree after {}", at),
            Ok(Ok(_)) => prop_assert!(valid, "the typed bindings accept what the engine refuses ({engine_ids:?}): {at}"),
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (refused, total) = (refused.get(), total.get());
    eprintln!("{refused} of {total} mutated bodies refused");
    assert!(
        refused * 4 >= total && refused < total,
        "mutations should refuse many bodies and keep some valid: {refused} of {total} refused"
    );
}

// ---------------------------------------------------------------------------
// Overlays
// ---------------------------------------------------------------------------

/// The bundled snapshot a generated delta extends (`latest` is refused there).
const BASE: &str = sendapi_spec::LATEST;

/// One change a delta makes to its base, and the change the diff must report.
#[derive(Debug, Clone)]
enum Op {
    /// A new value of an enum (a new message tag on `Tag`).
    AddValue { ty: String, wire: String },
    /// A value retired (`status = "retired"`).
    RetireValue { ty: String, wire: String },
    /// A value dropped through `[remove]`.
    RemoveValue { ty: String, wire: String },
    /// A new optional string field.
    AddField { ty: String, wire: String },
    /// A field dropped through `[remove]`.
    RemoveField { ty: String, wire: String },
    /// A variant retired.
    RetireVariant { ty: String, wire: String },
    /// A limit rule's `max` changed.
    ChangeMax { id: String, max: u64 },
    /// A rule's severity flipped.
    FlipSeverity { id: String, to: Severity },
    /// A rule dropped through `[remove]`.
    RemoveRule { id: String },
}

type Expected = (&'static str, String, sendapi_spec::ChangeKind);

impl Op {
    /// The item the op changes; two ops of one delta change different items.
    fn item(&self) -> String {
        match self {
            Op::AddValue { ty, wire }
            | Op::RetireValue { ty, wire }
            | Op::RemoveValue { ty, wire }
            | Op::AddField { ty, wire }
            | Op::RemoveField { ty, wire }
            | Op::RetireVariant { ty, wire } => format!("{ty}.{wire}"),
            Op::ChangeMax { id, .. } | Op::FlipSeverity { id, .. } | Op::RemoveRule { id } => {
                id.clone()
            }
        }
    }

    fn expected(&self, base: &Spec) -> Expected {
        use sendapi_spec::ChangeKind::{Added, Changed, Removed};
        let value_subject = |ty: &str| if ty == "Tag" { "tag" } else { "value" };
        let limit_subject = |id: &str| match base.rule(id).map(|r| r.kind()) {
            Some(
                sendapi_spec::RuleKind::MaxLen
                | sendapi_spec::RuleKind::Items
                | sendapi_spec::RuleKind::Range,
            ) => "limit",
            _ => "rule",
        };
        let item = self.item();
        match self {
            Op::AddValue { ty, .. } => (value_subject(ty), item, Added),
            Op::RetireValue { ty, .. } => (value_subject(ty), item, Changed),
            Op::RemoveValue { ty, .. } => (value_subject(ty), item, Removed),
            Op::AddField { .. } => ("field", item, Added),
            Op::RemoveField { .. } => ("field", item, Removed),
            Op::RetireVariant { .. } => ("variant", item, Changed),
            Op::ChangeMax { id, .. } | Op::FlipSeverity { id, .. } => {
                (limit_subject(id), item, Changed)
            }
            Op::RemoveRule { .. } => ("rule", item, Removed),
        }
    }
}

/// A delta over [`BASE`] making the ops' changes, as a spec writer would.
fn delta_text(base: &Spec, ops: &[Op]) -> String {
    let mut head = format!(
        "format = 1\nextends = \"{BASE}\"\n\n[snapshot]\nname = \"{}\"\ngraph_version = \"{}\"\nas_of = {}\n",
        base.name(),
        base.graph_version(),
        base.as_of()
    );
    let mut remove: [(&str, Vec<String>); 3] =
        [("values", vec![]), ("fields", vec![]), ("rules", vec![])];
    let mut body = String::new();
    let mut rules = String::new();
    for (n, op) in ops.iter().enumerate() {
        match op {
            Op::AddValue { ty, wire } => body.push_str(&format!(
                "\n[types.{ty}.values.{wire}]\nrust = \"PropAdded{n}\"\ndoc = \"A value the property test adds.\"\nsource = \"REF\"\n"
            )),
            Op::RetireValue { ty, wire } => body.push_str(&format!(
                "\n[types.{ty}.values.\"{wire}\"]\nstatus = \"retired\"\nnote = \"retired by the property test\"\n"
            )),
            Op::RetireVariant { ty, wire } => body.push_str(&format!(
                "\n[types.{ty}.variants.\"{wire}\"]\nstatus = \"retired\"\nnote = \"retired by the property test\"\n"
            )),
            Op::AddField { ty, wire } => body.push_str(&format!(
                "\n[types.{ty}.fields.{wire}]\nrust = \"{wire}\"\ntype = \"string\"\ndoc = \"A field the property test adds.\"\nsource = \"REF\"\n"
            )),
            Op::RemoveValue { ty, wire } => remove[0].1.push(format!("{ty}.{wire}")),
            Op::RemoveField { ty, wire } => remove[1].1.push(format!("{ty}.{wire}")),
            Op::RemoveRule { id } => remove[2].1.push(id.clone()),
            Op::ChangeMax { id, max } => {
                rules.push_str(&format!("\n[[rules]]\nid = \"{id}\"\nmax = {max}\n"));
            }
            Op::FlipSeverity { id, to } => {
                rules.push_str(&format!("\n[[rules]]\nid = \"{id}\"\nseverity = \"{to}\"\n"));
            }
        }
    }
    if remove.iter().any(|(_, v)| !v.is_empty()) {
        head.push_str("\n[remove]\n");
        for (list, names) in remove {
            if !names.is_empty() {
                let names: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                head.push_str(&format!("{list} = [{}]\n", names.join(", ")));
            }
        }
    }
    head + &body + &rules
}

fn resolve(base: &Spec, ops: &[Op]) -> Result<Spec, sendapi_spec::Error> {
    sendapi_spec::load_str("property-delta.toml", &delta_text(base, ops))
}

/// The diff's changes as (subject, item, kind), sorted, duplicates kept.
fn changes(base: &Spec, resolved: &Spec) -> Vec<Expected> {
    let mut v: Vec<Expected> = sendapi_spec::diff(base, resolved)
        .into_iter()
        .map(|c| (c.subject, c.item, c.kind))
        .collect();
    v.sort();
    v
}

/// Every op the base allows, from its model. Adding and changing limits are
/// always sound; a removal, a retirement or a severity flip may leave a
/// reference or a lint rule unmet, so each is kept only when a delta with
/// that op alone loads (what it diffs to is the property's to check).
fn ops_pool() -> &'static Vec<Op> {
    static POOL: OnceLock<Vec<Op>> = OnceLock::new();
    POOL.get_or_init(|| {
        let base = sendapi_spec::bundled(BASE).expect("bundled base");
        let mut sound = Vec::new();
        let mut unsure = Vec::new();
        for (ty, def) in base.types() {
            let ty = ty.to_string();
            match def.kind.get_ref() {
                TypeKind::Enum => {
                    sound.push(Op::AddValue {
                        ty: ty.clone(),
                        wire: "PROP_ADDED".into(),
                    });
                    for (w, v) in &def.values {
                        let wire = w.get_ref().clone();
                        if v.status != Status::Retired {
                            unsure.push(Op::RetireValue {
                                ty: ty.clone(),
                                wire: wire.clone(),
                            });
                        }
                        unsure.push(Op::RemoveValue {
                            ty: ty.clone(),
                            wire,
                        });
                    }
                }
                TypeKind::Object => {
                    sound.push(Op::AddField {
                        ty: ty.clone(),
                        wire: "prop_added".into(),
                    });
                    for w in def.fields.keys() {
                        unsure.push(Op::RemoveField {
                            ty: ty.clone(),
                            wire: w.get_ref().clone(),
                        });
                    }
                }
                TypeKind::Keyed => {}
                TypeKind::Tagged => {
                    for (w, v) in &def.variants {
                        if v.status != Status::Retired {
                            unsure.push(Op::RetireVariant {
                                ty: ty.clone(),
                                wire: w.get_ref().clone(),
                            });
                        }
                    }
                }
            }
        }
        for rule in base.rules() {
            let id = rule.id.clone();
            let max = match &rule.check {
                Check::MaxLen(m) => Some(m.max),
                Check::Items(b) | Check::Range(b) => b.max,
                _ => None,
            };
            if let Some(max) = max {
                sound.push(Op::ChangeMax {
                    id: id.clone(),
                    max: max + 1 + max % 7,
                });
            }
            let to = match rule.severity {
                Severity::Error => Severity::Warning,
                _ => Severity::Error,
            };
            unsure.push(Op::FlipSeverity { id: id.clone(), to });
            unsure.push(Op::RemoveRule { id });
        }
        // Trying every unsure op costs a load each; a fixed sample of each
        // kind, spread over the spec, keeps the setup short.
        let mut by_kind: HashMap<std::mem::Discriminant<Op>, Vec<Op>> = HashMap::new();
        for op in unsure {
            by_kind
                .entry(std::mem::discriminant(&op))
                .or_default()
                .push(op);
        }
        for ops in by_kind.into_values() {
            let step = ops.len().div_ceil(8);
            for op in ops.into_iter().step_by(step) {
                if resolve(base, std::slice::from_ref(&op)).is_ok() {
                    sound.push(op);
                }
            }
        }
        sound
    })
}

#[test]
fn a_resolved_delta_diffs_to_its_changes() {
    let base = sendapi_spec::bundled(BASE).expect("bundled base");
    let pool = ops_pool();
    let kinds: BTreeSet<String> = pool
        .iter()
        .map(|op| {
            format!("{op:?}")
                .split(' ')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    eprintln!("{} delta ops of kinds {kinds:?}", pool.len());
    assert!(
        kinds.len() == 9,
        "the pool of delta ops should have every kind: {kinds:?}"
    );
    let mut runner = TestRunner::new(config(64, "deltas"));
    let ops = proptest::sample::subsequence(pool.clone(), 1..=6).prop_map(|ops| {
        // One op per item: two changes of one item would merge in the diff.
        let mut seen = HashSet::new();
        ops.into_iter()
            .filter(|op| seen.insert(op.item()))
            .collect::<Vec<_>>()
    });
    let result = runner.run(&ops, |ops| {
        let text = delta_text(base, &ops);
        let resolved = resolve(base, &ops)
            .map_err(|e| TestCaseError::fail(format!("the delta does not load: {e}\n{text}")))?;
        let mut expected: Vec<Expected> = ops.iter().map(|op| op.expected(base)).collect();
        expected.sort();
        prop_assert_eq!(changes(base, &resolved), expected, "delta:\n{}", text);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
