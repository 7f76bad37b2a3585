//! The plan compiler: a linted spec becomes vectors indexed by number,
//! name lookups become tables and hash maps, every rule is attached to the
//! type it is evaluated on, and every path a rule reads becomes a
//! [`Probe`] that the walk advances as it descends, so that each value is
//! visited once.

use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;

use sendapi_core::Candidates;
use sendapi_core::template::{Template, Vars};

use super::names::NameTable;
use super::{Engine, RateClassInfo, item_data};
use crate::model::{Coercion, Date, Platform, RuleKind, Severity, Status, TypeKind, Unit};
use crate::rule::{self, At, CheckedRegex, Condition, Test};
use crate::spec::{Prim, Seg, Spec, Ty};

#[derive(Debug, Clone)]
pub(super) enum TypeRef {
    Prim(Prim),
    Named(usize),
    Array(Box<TypeRef>),
}

#[derive(Debug)]
pub(super) struct FieldPlan {
    pub(super) name: String,
    pub(super) ty: TypeRef,
    pub(super) status: Status,
    pub(super) note: Option<String>,
    /// The status warning the field earns, rendered once.
    pub(super) said: Option<Box<Said>>,
    /// The field's type when a sibling enum field holds a value that carries
    /// it with its own type: (carrier field index, value, type).
    pub(super) overrides: Vec<(usize, String, TypeRef)>,
    /// The field's name as a probe key, or [`NO_KEY`].
    pub(super) key: KeyId,
    /// The field groups (`*_of` rules, by place) that name this field,
    /// counted as the walk meets it.
    pub(super) groups: Vec<usize>,
    /// The multipart part that stands for this key, which is then never a
    /// key of the JSON.
    pub(super) part: Option<String>,
}

/// Names for the messages that list or suggest them, read from the plan
/// and prepared on first use: only a body with a mistake needs them, and a
/// plan that copied every type's names up front would pay for them in each
/// `request!` compilation.
#[derive(Debug)]
pub(super) struct Names {
    source: NameSource,
    prepared: OnceLock<(Candidates, String)>,
}

/// Which names of the plan a [`Names`] lists.
#[derive(Debug, Clone, Copy)]
pub(super) enum NameSource {
    /// The JSON keys of a type: its fields, less those a multipart part
    /// stands for.
    Keys(usize),
    /// A tagged union's tags.
    Tags(usize),
    /// An enum's values.
    Values(usize),
    /// A tagged union's tag and content keys.
    TagKeys(usize),
    /// The keys of an inline variant's object: its type's fields and the
    /// union's tag.
    Inline { union: usize, variant: usize },
}

impl Names {
    pub(super) fn of(source: NameSource) -> Names {
        Names {
            source,
            prepared: OnceLock::new(),
        }
    }

    fn names<'t>(&self, types: &'t [TypePlan]) -> Vec<&'t str> {
        let fields = |ty: usize| types.get(ty).map(|t| t.fields.as_slice()).unwrap_or(&[]);
        match self.source {
            NameSource::Keys(ty) => fields(ty)
                .iter()
                .filter(|f| f.part.is_none())
                .map(|f| f.name.as_str())
                .collect(),
            NameSource::Tags(ty) => types[ty].variants.iter().map(|v| v.name.as_str()).collect(),
            NameSource::Values(ty) => types[ty].values.iter().map(|v| v.name.as_str()).collect(),
            NameSource::TagKeys(ty) => types[ty]
                .tag
                .iter()
                .chain(types[ty].content.iter())
                .map(String::as_str)
                .collect(),
            NameSource::Inline { union, variant } => {
                let t = &types[union];
                let ty = t.variants.get(variant).map_or(usize::MAX, |v| v.ty);
                let mut keys: Vec<&str> = fields(ty).iter().map(|f| f.name.as_str()).collect();
                keys.extend(t.tag.as_deref());
                keys
            }
        }
    }

    fn prepared(&self, types: &[TypePlan]) -> &(Candidates, String) {
        self.prepared.get_or_init(|| {
            let names = self.names(types);
            (Candidates::new(&names), sendapi_core::list(&names, "or"))
        })
    }

    pub(super) fn candidates(&self, types: &[TypePlan]) -> &Candidates {
        &self.prepared(types).0
    }

    /// `` `a`, `b` or `c` ``.
    pub(super) fn expected(&self, types: &[TypePlan]) -> &str {
        &self.prepared(types).1
    }
}

/// A key that some probe's path names, as a number: the walk compares
/// numbers, not strings, when it carries cursors down.
pub(super) type KeyId = u16;
/// A key no probe names.
pub(super) const NO_KEY: KeyId = KeyId::MAX;
/// `[*]`.
pub(super) const EACH: KeyId = KeyId::MAX - 1;

/// The index of a platform in per-platform tables.
pub(super) fn platform_index(p: Platform) -> usize {
    match p {
        Platform::Messenger => 0,
        Platform::Instagram => 1,
    }
}

#[derive(Debug)]
pub(super) struct VariantPlan {
    pub(super) name: String,
    pub(super) ty: usize,
    pub(super) status: Status,
    pub(super) note: Option<String>,
    pub(super) said: Option<Box<Said>>,
}

#[derive(Debug)]
pub(super) struct ValuePlan {
    pub(super) name: String,
    pub(super) status: Status,
    pub(super) note: Option<String>,
    pub(super) said: Option<Box<Said>>,
}

/// A status warning: its words depend only on the field, variant or
/// value that earns it, so they are rendered once, when a body first
/// earns it (a plan holds one per deprecated item; most bodies use none).
#[derive(Debug)]
pub(super) struct Said {
    pub(super) rule: usize,
    status: Status,
    what: String,
    note: String,
    words: OnceLock<(String, String)>,
}

impl Said {
    /// The message and the fix.
    pub(super) fn words(&self, rules: &[RulePlan]) -> &(String, String) {
        self.words.get_or_init(|| {
            let r = &rules[self.rule];
            let vars: Vars<'_> = &[
                ("field", &self.what),
                ("value", &self.what),
                ("note", &self.note),
                ("status", &self.status.as_str()),
            ];
            let path: Vars<'_> = &[("path", &r.path_text)];
            (
                r.message.render_with(vars, path),
                r.fix.render_with(vars, path),
            )
        })
    }
}

#[derive(Debug)]
pub(super) struct TypePlan {
    pub(super) name: String,
    pub(super) kind: TypeKind,
    pub(super) open: bool,
    pub(super) fields: Vec<FieldPlan>,
    pub(super) field_ix: NameTable<usize>,
    pub(super) required: Vec<usize>,
    pub(super) tag: Option<String>,
    pub(super) content: Option<String>,
    pub(super) variants: Vec<VariantPlan>,
    pub(super) variant_ix: NameTable<usize>,
    pub(super) values: Vec<ValuePlan>,
    /// Canonical values and aliases, to (value index, is alias).
    pub(super) value_ix: NameTable<(usize, bool)>,
    pub(super) rules: Vec<usize>,
    /// The field, variant and value names, prepared for "did you mean"
    /// and listed for "expected".
    pub(super) field_names: Names,
    pub(super) variant_names: Names,
    pub(super) value_names: Names,
    /// A tagged union's keys besides its variants' fields: the tag, and
    /// the content field where there is one.
    pub(super) tag_names: Names,
    /// A union without content: per variant, its fields and the tag.
    pub(super) inline_names: Vec<Names>,
    /// The probes of those rules.
    pub(super) probes: Vec<usize>,
    /// Per platform, the probes whose rules apply there, by their first
    /// key: (key, probe, slot), sorted by key.
    pub(super) starts: [Vec<Start>; 2],
    /// Per platform, where each key's starts begin in `starts`, indexed by
    /// key (one more entry than there are keys); empty without starts.
    pub(super) start_at: [Vec<u32>; 2],
    /// Per platform, the places of the rules that conclude something when
    /// the object closes even if their probes found nothing wrong: groups,
    /// implications and `unique_true`; with whether the rule is an
    /// implication that holds unless its `when` found a value.
    pub(super) closers: [Vec<(usize, bool)>; 2],
    /// The tag and content fields as probe keys.
    pub(super) tag_key: KeyId,
    pub(super) content_key: KeyId,
    /// The walk counts this type's field groups as it meets the fields
    /// (see [`count_groups`]); otherwise they are looked up at the end.
    pub(super) counts_groups: bool,
}

/// What `platform_only` and `refused_since` read about the items at a path.
#[derive(Debug)]
pub(super) struct CondPlan {
    pub(super) path: Vec<Seg>,
    pub(super) text: String,
    pub(super) test: CondTest,
    /// What `then` asks for, in a message: the values listed, or the
    /// pattern.
    pub(super) wanted: String,
}

#[derive(Debug)]
pub(super) enum CondTest {
    Present(bool),
    OneOf(Vec<String>),
    Matches(CheckedRegex),
}

/// What a rule does with the values its probes reach.
#[derive(Debug)]
pub(super) enum Eval {
    /// The global kinds: the walk reports them where they happen.
    Global,
    ExactlyOne(Group),
    AtMostOne(Group),
    AtLeastOne(Group),
    /// `requires` (`then` must hold) or `forbids` (`then` must not).
    Implication {
        requires: bool,
        when: CondPlan,
        then: CondPlan,
    },
    MaxLen(u64, Unit),
    Items(Option<u64>, Option<u64>),
    Range(Option<u64>, Option<u64>),
    /// The path is kept to find the second `true` again for a violation.
    UniqueTrue(Vec<Seg>),
    Pattern(CheckedRegex, String),
    PlatformOnly(Option<Vec<Platform>>, HashMap<String, Vec<Platform>>),
    RefusedSince(HashMap<String, (Date, String)>),
}

/// The fields of a `*_of` rule, and their list in messages.
#[derive(Debug)]
pub(super) struct Group {
    pub(super) names: Vec<String>,
    pub(super) listed: String,
}

impl Group {
    fn new(names: &[String]) -> Group {
        Group {
            names: names.to_vec(),
            listed: sendapi_core::list(names, "or"),
        }
    }
}

/// A probe that starts at an object's child.
#[derive(Debug, Clone, Copy)]
pub(super) struct Start {
    /// The child's key: the first of the path.
    pub(super) key: KeyId,
    pub(super) probe: usize,
    /// The rule's place among its type's rules.
    pub(super) pos: usize,
    /// A presence condition whose path is that one key: the start marks
    /// it found, with no cursor.
    pub(super) found: Option<Role>,
}

/// Which values of a rule a probe reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// The values a per-value rule checks (or counts).
    Value,
    /// The values of an implication's `when`.
    When,
    /// The values of an implication's `then`.
    Then,
}

/// One path of one rule, from the rule's type: the walk carries a cursor
/// along it as it descends, instead of walking the path again.
#[derive(Debug)]
pub(super) struct Probe {
    pub(super) rule: usize,
    /// The rule's place among its type's rules, which is its slot there.
    pub(super) pos: usize,
    /// The path's segments as keys ([`EACH`] for `[*]`).
    pub(super) ids: Vec<KeyId>,
    pub(super) segs: Vec<Seg>,
    pub(super) role: Role,
    /// The probe's condition asks only whether a value is there: a hit
    /// just marks it found.
    pub(super) presence: bool,
}

#[derive(Debug)]
pub(super) struct RulePlan {
    pub(super) id: String,
    pub(super) kind: RuleKind,
    pub(super) severity: Severity,
    /// Per platform, whether the rule applies there.
    pub(super) applies: [bool; 2],
    pub(super) message: Template,
    pub(super) fix: Template,
    pub(super) doc: String,
    pub(super) code: u32,
    pub(super) subcode: Option<u64>,
    pub(super) path_text: String,
    pub(super) check: Eval,
}

impl RulePlan {
    pub(super) fn applies_on(&self, platform: Platform) -> bool {
        self.applies[platform_index(platform)]
    }
}

#[derive(Debug, Default)]
pub(super) struct Globals {
    pub(super) unknown_field: Option<usize>,
    pub(super) open_field: Option<usize>,
    pub(super) type_mismatch: Option<usize>,
    pub(super) enum_value: Option<usize>,
    pub(super) required: Option<usize>,
    pub(super) coercions: Vec<(Coercion, usize)>,
    pub(super) statuses: Vec<(Status, usize)>,
}

#[derive(Debug)]
pub(super) struct RatePlan {
    pub(super) info: RateClassInfo,
    pub(super) default: bool,
    pub(super) when: Vec<CondPlan>,
}

pub(super) fn compile_ty(ty: &Ty, ix: &HashMap<String, usize>) -> TypeRef {
    match ty {
        Ty::Prim(p) => TypeRef::Prim(*p),
        Ty::Named(n) => ix
            .get(n)
            .map_or(TypeRef::Prim(Prim::Json), |i| TypeRef::Named(*i)),
        Ty::Array(t) => TypeRef::Array(Box::new(compile_ty(t, ix))),
    }
}

pub(super) fn compile_cond(spec: &Spec, on: &str, c: &Condition) -> CondPlan {
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
    let wanted = match &test {
        CondTest::OneOf(vs) => sendapi_core::list(vs, "or"),
        CondTest::Present(_) => String::new(),
        CondTest::Matches(re) => format!("a match of `{}`", re.as_str()),
    };
    CondPlan {
        path: c.path.segs.clone(),
        text: c.path.to_string(),
        test,
        wanted,
    }
}

/// Compiles a linted spec.
pub(super) fn compile(spec: &Spec) -> Engine {
    let type_ix: HashMap<String, usize> = spec
        .types()
        .enumerate()
        .map(|(i, (n, _))| (n.to_string(), i))
        .collect();
    let mut types: Vec<TypePlan> = spec
        .types()
        .enumerate()
        .map(|(ix, (name, d))| type_plan(spec, &type_ix, ix, name, d))
        .collect();
    carry_overrides(spec, &type_ix, &mut types);
    let (rules, globals, mut probes) = compile_rules(spec, &type_ix, &mut types);
    status_words(&mut types, &globals);
    for probe in &mut probes {
        probe.presence = match (&rules[probe.rule].check, probe.role) {
            (Eval::Implication { when: c, .. }, Role::When)
            | (Eval::Implication { then: c, .. }, Role::Then) => {
                matches!(c.test, CondTest::Present(_))
            }
            _ => false,
        };
    }
    let keys = intern_keys(&mut types, &mut probes);
    index_probes(&mut types, &rules, &probes, keys.len());
    count_groups(&mut types, &rules);
    inline_names(&mut types);
    Engine {
        name: spec.name().to_string(),
        as_of: spec.as_of(),
        root: type_ix.get(spec.root()).copied().unwrap_or(0),
        rates: compile_rates(spec),
        types,
        type_ix,
        rules,
        globals,
        probes,
        keys,
    }
}

/// A tagged union's variants, and the table that finds one by its tag.
fn variant_plans(
    d: &crate::model::TypeDef,
    type_ix: &HashMap<String, usize>,
) -> (Vec<VariantPlan>, NameTable<usize>) {
    let variants: Vec<VariantPlan> = d
        .variants
        .iter()
        .map(|(k, v)| VariantPlan {
            name: k.get_ref().clone(),
            ty: type_ix.get(v.ty.get_ref()).copied().unwrap_or(0),
            status: v.status,
            note: v.note.clone(),
            said: None,
        })
        .collect();
    let ix = NameTable::new(
        variants
            .iter()
            .enumerate()
            .map(|(i, v)| (v.name.clone(), i))
            .collect(),
    );
    (variants, ix)
}

/// An enum's values, and the table that finds one by its spelling or an
/// alias (`true` for an alias).
fn value_plans(d: &crate::model::TypeDef) -> (Vec<ValuePlan>, NameTable<(usize, bool)>) {
    let values: Vec<ValuePlan> = d
        .values
        .iter()
        .map(|(k, v)| ValuePlan {
            name: k.get_ref().clone(),
            status: v.status,
            note: v.note.clone(),
            said: None,
        })
        .collect();
    // Aliases first: a value's own spelling counts over another's alias.
    let mut ix = Vec::new();
    for (i, v) in d.values.values().enumerate() {
        for a in &v.aliases {
            ix.push((a.clone(), (i, true)));
        }
    }
    for (i, k) in d.values.keys().enumerate() {
        ix.push((k.get_ref().clone(), (i, false)));
    }
    (values, NameTable::new(ix))
}

/// One type's plan, before rules are attached.
fn type_plan(
    spec: &Spec,
    type_ix: &HashMap<String, usize>,
    ix: usize,
    name: &str,
    d: &crate::model::TypeDef,
) -> TypePlan {
    let fields: Vec<FieldPlan> = d
        .fields
        .iter()
        .map(|(k, f)| FieldPlan {
            name: k.get_ref().clone(),
            ty: compile_ty(&spec.field_ty(f), type_ix),
            status: f.status,
            note: f.note.clone(),
            said: None,
            overrides: Vec::new(),
            key: NO_KEY,
            groups: Vec::new(),
            part: f.part.as_ref().map(|p| p.get_ref().clone()),
        })
        .collect();
    let field_ix = NameTable::new(
        fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.clone(), i))
            .collect(),
    );
    let required = d
        .fields
        .values()
        .enumerate()
        .filter(|(_, f)| f.required)
        .map(|(i, _)| i)
        .collect();
    let (variants, variant_ix) = variant_plans(d, type_ix);
    let (values, value_ix) = value_plans(d);
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
        // A part's key is not a JSON key, so no message offers it.
        field_names: Names::of(NameSource::Keys(ix)),
        variant_names: Names::of(NameSource::Tags(ix)),
        inline_names: Vec::new(),
        tag_names: Names::of(NameSource::TagKeys(ix)),
        value_names: Names::of(NameSource::Values(ix)),
        probes: Vec::new(),
        starts: [Vec::new(), Vec::new()],
        start_at: [Vec::new(), Vec::new()],
        closers: [Vec::new(), Vec::new()],
        tag_key: NO_KEY,
        content_key: NO_KEY,
        counts_groups: false,
    }
}

/// Renders the status warning of every field, variant and value that is
/// not current.
fn status_words(types: &mut [TypePlan], globals: &Globals) {
    let said = |status: Status, note: &Option<String>, what: &str| {
        if status == Status::Current {
            return None;
        }
        let (_, ri) = *globals.statuses.iter().find(|(s, _)| *s == status)?;
        Some(Box::new(Said {
            rule: ri,
            status,
            what: what.to_string(),
            note: note.clone().unwrap_or_default(),
            words: OnceLock::new(),
        }))
    };
    for t in types.iter_mut() {
        for f in &mut t.fields {
            f.said = said(f.status, &f.note, &f.name);
        }
        for v in &mut t.variants {
            v.said = said(v.status, &v.note, &v.name);
        }
        for v in &mut t.values {
            v.said = said(v.status, &v.note, &v.name);
        }
    }
}

/// Carried fields take the type their carrier value gives them.
fn carry_overrides(spec: &Spec, type_ix: &HashMap<String, usize>, types: &mut [TypePlan]) {
    for (oi, (_, d)) in spec.types().enumerate() {
        for (ci, carrier) in d.fields.values().enumerate() {
            // Only a field of a named type carries: no lookup for a builtin
            // or an array.
            let Ty::Named(en) = spec.field_ty(carrier) else {
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
                if let Some(&fi) = types[oi].field_ix.lookup(c.field.get_ref().as_str()) {
                    let tp = compile_ty(&ty, type_ix);
                    let mut names = vec![vk.get_ref().clone()];
                    names.extend(v.aliases.iter().cloned());
                    for n in names {
                        types[oi].fields[fi].overrides.push((ci, n, tp.clone()));
                    }
                }
            }
        }
    }
}

/// Where each type's probes start, per platform and first key, and which
/// of its rules conclude at the end of an object.
fn index_probes(types: &mut [TypePlan], rules: &[RulePlan], probes: &[Probe], keys: usize) {
    for t in types.iter_mut() {
        for &pi in &t.probes {
            let probe = &probes[pi];
            let first = probe.ids.first().copied().unwrap_or(NO_KEY);
            for p in Platform::ALL {
                if rules[probe.rule].applies_on(p) {
                    t.starts[platform_index(p)].push(Start {
                        key: first,
                        probe: pi,
                        pos: probe.pos,
                        found: (probe.presence && probe.ids.len() == 1).then_some(probe.role),
                    });
                }
            }
        }
        for (starts, at) in t.starts.iter_mut().zip(&mut t.start_at) {
            starts.sort_by_key(|s| s.key);
            if !starts.is_empty() {
                // start_at[k] is the first start whose key is k or more.
                // One pass over the sorted starts, not a search per key:
                // the macro builds this plan unoptimized. The table ends
                // after the last key a probe starts with here; the walk
                // finds no start for a key past its end.
                let last = starts
                    .iter()
                    .map(|s| usize::from(s.key))
                    .filter(|&k| k < keys)
                    .max();
                let end = last.map_or(0, |last| last + 2);
                let mut first = 0;
                let mut table = Vec::with_capacity(end);
                for k in 0..end {
                    while first < starts.len() && usize::from(starts[first].key) < k {
                        first += 1;
                    }
                    table.push(u32::try_from(first).unwrap_or(u32::MAX));
                }
                *at = table;
            }
        }
        for (pos, &ri) in t.rules.iter().enumerate() {
            let concludes = matches!(
                rules[ri].check,
                Eval::ExactlyOne(_)
                    | Eval::AtMostOne(_)
                    | Eval::AtLeastOne(_)
                    | Eval::Implication { .. }
                    | Eval::UniqueTrue(_)
            );
            // `when` tests other than "absent" hold only of a value found,
            // or hidden by an expression.
            let needs_when = matches!(
                &rules[ri].check,
                Eval::Implication { when, .. }
                    if !matches!(when.test, CondTest::Present(false))
            );
            for p in Platform::ALL {
                if concludes && rules[ri].applies_on(p) {
                    t.closers[platform_index(p)].push((pos, needs_when));
                }
            }
        }
    }
}

/// The rate classes, their conditions on the request type.
fn compile_rates(spec: &Spec) -> Vec<RatePlan> {
    spec.file()
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
        .collect()
}

/// The rule plans, the global rules by role, and every probe; each rule and
/// probe is attached to its type.
fn compile_rules(
    spec: &Spec,
    type_ix: &HashMap<String, usize>,
    types: &mut [TypePlan],
) -> (Vec<RulePlan>, Globals, Vec<Probe>) {
    let mut globals = Globals::default();
    let mut rules = Vec::new();
    let mut probes = Vec::new();
    for r in spec.rules() {
        let i = rules.len();
        let ti = r.on().and_then(|on| type_ix.get(on)).copied();
        let pos = ti.map_or(0, |ti| types[ti].rules.len());
        let mut probe = |segs: &[Seg], role: Role| {
            if let Some(ti) = ti {
                types[ti].probes.push(probes.len());
            }
            probes.push(Probe {
                rule: i,
                pos,
                ids: Vec::new(),
                segs: segs.to_vec(),
                role,
                presence: false,
            });
        };
        if let Some(at) = r.check.at() {
            probe(&at.path.segs, Role::Value);
        }
        if let rule::Check::Requires(imp) | rule::Check::Forbids(imp) = &r.check {
            probe(&imp.when.path.segs, Role::When);
            probe(&imp.then.path.segs, Role::Then);
        }
        let check = eval(spec, r, i, &mut globals);
        if let Some(ti) = ti {
            types[ti].rules.push(i);
        }
        rules.push(RulePlan {
            id: r.id.clone(),
            kind: r.kind(),
            severity: r.severity,
            applies: Platform::ALL.map(|p| r.applies_on(p)),
            message: Template::new(&r.message),
            fix: Template::new(&r.fix),
            doc: spec.source_link(&r.source).to_string(),
            code: r.code,
            subcode: r.subcode,
            path_text: r.path().map(ToString::to_string).unwrap_or_default(),
            check,
        });
    }
    (rules, globals, probes)
}

/// What rule `i` does with its values; global rules are recorded by role.
fn eval(spec: &Spec, r: &rule::Rule, i: usize, globals: &mut Globals) -> Eval {
    let targets = |at: &At| spec.walk(&at.on, &at.path).unwrap_or_default();
    match &r.check {
        rule::Check::UnknownField => globals.unknown_field = Some(i),
        rule::Check::OpenField => globals.open_field = Some(i),
        rule::Check::Type => globals.type_mismatch = Some(i),
        rule::Check::EnumValue => globals.enum_value = Some(i),
        rule::Check::Required => globals.required = Some(i),
        rule::Check::Coercion(c) => globals.coercions.push((*c, i)),
        rule::Check::Status(s) => globals.statuses.push((*s, i)),
        rule::Check::ExactlyOneOf(g) => return Eval::ExactlyOne(Group::new(&g.fields)),
        rule::Check::AtMostOneOf(g) => return Eval::AtMostOne(Group::new(&g.fields)),
        rule::Check::AtLeastOneOf(g) => return Eval::AtLeastOne(Group::new(&g.fields)),
        rule::Check::Requires(imp) | rule::Check::Forbids(imp) => {
            return Eval::Implication {
                requires: matches!(r.check, rule::Check::Requires(_)),
                when: compile_cond(spec, &imp.on, &imp.when),
                then: compile_cond(spec, &imp.on, &imp.then),
            };
        }
        rule::Check::MaxLen(m) => return Eval::MaxLen(m.max, m.unit),
        rule::Check::Items(b) => return Eval::Items(b.min, b.max),
        rule::Check::Range(b) => return Eval::Range(b.min, b.max),
        rule::Check::UniqueTrue(at) => return Eval::UniqueTrue(at.path.segs.clone()),
        rule::Check::Pattern(p) => return Eval::Pattern(p.regex.clone(), p.name.clone()),
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
            return Eval::PlatformOnly(field, values);
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
            return Eval::RefusedSince(values);
        }
    }
    Eval::Global
}

/// Numbers every key that a probe's path names, and marks the fields, tags
/// and contents that carry those names.
fn intern_keys(types: &mut [TypePlan], probes: &mut [Probe]) -> HashMap<String, KeyId> {
    let mut keys: HashMap<String, KeyId> = HashMap::default();
    for probe in probes.iter_mut() {
        probe.ids = probe
            .segs
            .iter()
            .map(|seg| match seg {
                Seg::Each => EACH,
                Seg::Key(k) => {
                    // Past the numbers a key can have, a key matches nothing:
                    // only a spec with tens of thousands of path keys gets there.
                    if let Some(&id) = keys.get(k) {
                        return id;
                    }
                    let next = KeyId::try_from(keys.len())
                        .ok()
                        .filter(|n| *n < EACH)
                        .unwrap_or(NO_KEY);
                    keys.insert(k.clone(), next);
                    next
                }
            })
            .collect();
    }
    let id = |name: Option<&String>| name.and_then(|n| keys.get(n)).copied().unwrap_or(NO_KEY);
    for t in types.iter_mut() {
        for f in &mut t.fields {
            f.key = id(Some(&f.name));
        }
        t.tag_key = id(t.tag.as_ref());
        t.content_key = id(t.content.as_ref());
    }
    keys
}

/// Marks the fields that `*_of` rules name, so that the walk counts them.
/// Only objects whose every field the walk meets count: a tagged union's
/// fields sit in its variants, and an inline variant does not meet its
/// union's tag, so those look their groups up instead.
fn count_groups(types: &mut [TypePlan], rules: &[RulePlan]) {
    let mut inline_tags: HashMap<usize, Vec<String>> = HashMap::default();
    for t in types.iter() {
        if t.kind == TypeKind::Tagged && t.content.is_none() {
            for v in &t.variants {
                let tags = inline_tags.entry(v.ty).or_default();
                tags.extend(t.tag.iter().cloned());
            }
        }
    }
    'types: for (ti, t) in types.iter_mut().enumerate() {
        if !matches!(t.kind, TypeKind::Object | TypeKind::Keyed) {
            continue;
        }
        let tags = inline_tags.get(&ti);
        let mut groups = Vec::new();
        for (pos, &ri) in t.rules.iter().enumerate() {
            if let Eval::ExactlyOne(Group { names, .. })
            | Eval::AtMostOne(Group { names, .. })
            | Eval::AtLeastOne(Group { names, .. }) = &rules[ri].check
            {
                if tags.is_some_and(|tags| names.iter().any(|n| tags.contains(n))) {
                    continue 'types;
                }
                groups.push((pos, names));
            }
        }
        for (pos, names) in groups {
            for n in names {
                if let Some(&fi) = t.field_ix.lookup(n.as_str()) {
                    t.fields[fi].groups.push(pos);
                }
            }
        }
        t.counts_groups = true;
    }
}

/// The keys an inline variant's object may have: its fields and its
/// union's tag.
fn inline_names(types: &mut [TypePlan]) {
    for (union, t) in types.iter_mut().enumerate() {
        let (None, Some(_)) = (&t.content, &t.tag) else {
            continue;
        };
        t.inline_names = (0..t.variants.len())
            .map(|variant| Names::of(NameSource::Inline { union, variant }))
            .collect();
    }
}
