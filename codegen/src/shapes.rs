//! The Rust shape of every spec type: which types become structs, which
//! become enums, which fields go into which variant, which enum values carry
//! a sibling field. Everything the generator and `request!` emit follows
//! this one model, so the types, the expansion and the deserializer agree.

use std::collections::{BTreeMap, BTreeSet};

use sendapi_spec::model::{Severity, Status, TypeKind};
use sendapi_spec::{Check, Condition, Platform, Prim, Spec, Test, Ty};

/// A field or value type as it appears in Rust.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RTy {
    /// A builtin.
    Prim(Prim),
    /// A generated type.
    Named(String),
    /// A generated type behind a `Box` (breaks a recursive type).
    Boxed(String),
    /// A `Vec`.
    Vec(Box<RTy>),
}

impl RTy {
    fn from_ty(ty: &Ty) -> RTy {
        match ty {
            Ty::Prim(p) => RTy::Prim(*p),
            Ty::Named(n) => RTy::Named(n.clone()),
            Ty::Array(t) => RTy::Vec(Box::new(RTy::from_ty(t))),
        }
    }

    /// The named type, through `Vec` and `Box`.
    pub fn named(&self) -> Option<&str> {
        match self {
            RTy::Named(n) | RTy::Boxed(n) => Some(n),
            RTy::Vec(t) => t.named(),
            RTy::Prim(_) => None,
        }
    }
}

/// Documentation carried into rustdoc.
#[derive(Debug, Clone, Default)]
pub struct Docs {
    /// The spec's doc string.
    pub doc: String,
    /// The resolved source link.
    pub source: String,
    /// Documentation status.
    pub status: Status,
    /// Why the status is what it is.
    pub note: Option<String>,
    /// When the item arrived.
    pub since: Option<String>,
    /// Platforms the item is limited to.
    pub platforms: Option<Vec<Platform>>,
}

/// A field of a struct or of a keyed variant.
#[derive(Debug, Clone)]
pub struct FieldShape {
    /// Wire name.
    pub wire: String,
    /// Rust field name.
    pub ident: String,
    /// Rust type, without the `Option`.
    pub ty: RTy,
    /// Present in every value (no `Option`).
    pub required: bool,
    /// This field is the key that chose the keyed variant.
    pub is_key: bool,
    /// The documented default, for docs.
    pub default: Option<String>,
    /// Documentation.
    pub docs: Docs,
}

/// A variant of a keyed union.
#[derive(Debug, Clone)]
pub struct KeyedVariant {
    /// Wire name of the key.
    pub key: String,
    /// Rust variant name.
    pub rust: String,
    /// Fields: the key first, then every field allowed with this key.
    pub fields: Vec<FieldShape>,
    /// Documentation (the key field's).
    pub docs: Docs,
    /// For recipient forms: the response type a send to this form gets.
    pub response: Option<String>,
    /// The multipart part that stands for the key, which is then not a
    /// field of the variant: the form has no key in its JSON.
    pub part: Option<String>,
}

/// A variant of a tagged union.
#[derive(Debug, Clone)]
pub struct TagVariant {
    /// Tag value on the wire.
    pub wire: String,
    /// Rust variant name.
    pub rust: String,
    /// The variant's type; `None` when it has no fields (a unit variant).
    pub inner: Option<String>,
    /// The variant's type name in the spec, even when empty.
    pub spec_type: String,
    /// Documentation.
    pub docs: Docs,
    /// Refused since, when the date is on or before the snapshot's `as_of`.
    pub refused: Option<(String, String)>,
}

/// The sibling field an enum value carries.
#[derive(Debug, Clone)]
pub struct Carried {
    /// Wire name of the carried field.
    pub wire: String,
    /// Its type.
    pub ty: RTy,
    /// When the type is an object: its fields, inlined into the variant.
    pub inline: Option<Vec<FieldShape>>,
}

/// A value of an enum.
#[derive(Debug, Clone)]
pub struct ValueShape {
    /// Wire value.
    pub wire: String,
    /// Rust variant name.
    pub rust: String,
    /// Other accepted spellings.
    pub aliases: Vec<String>,
    /// The sibling field this value carries.
    pub carries: Option<Carried>,
    /// Documentation.
    pub docs: Docs,
    /// Refused since (date, replacement), when on or before `as_of`.
    pub refused: Option<(String, String)>,
    /// Tag policy lines for docs: allowed, disallowed, window, permission.
    pub policy: Vec<(String, String)>,
}

/// The kind-specific part of a shape.
#[derive(Debug, Clone)]
pub enum ShapeKind {
    /// A struct.
    Struct(Vec<FieldShape>),
    /// An enum with struct variants, chosen by a key.
    Keyed(Vec<KeyedVariant>),
    /// An enum chosen by a tag string.
    Tagged {
        /// Tag field.
        tag: String,
        /// Content field, for adjacent tagging.
        content: Option<String>,
        /// Variants.
        variants: Vec<TagVariant>,
    },
    /// A string enum.
    Enum(Vec<ValueShape>),
}

/// One generated type.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Rust type name (the spec's type name).
    pub name: String,
    /// Documentation.
    pub docs: Docs,
    /// Unknown keys are warnings (deserialization keeps going).
    pub open: bool,
    /// Kind-specific layout.
    pub kind: ShapeKind,
}

// Ordered maps and sets only: the generator iterates them, and its output
// must be the same on every run (the bundled bindings are compared byte for
// byte with a fresh generation).
/// The shapes of a whole spec.
#[derive(Debug, Clone)]
pub struct Shapes {
    /// Every type, in spec order.
    pub types: Vec<Shape>,
    index: BTreeMap<String, usize>,
    /// The root request type.
    pub root: String,
    /// Rules the types guarantee by construction; `validate()` skips them.
    pub structural: BTreeSet<String>,
    /// Rule ids of the global structural kinds.
    pub globals: Globals,
    /// Keyed type -> its exactly_one_of rule over the keys.
    pub keyed_rule: BTreeMap<String, String>,
    /// (keyed type, key) -> fields left out of that variant, with the rule.
    pub excluded: BTreeMap<(String, String), Vec<(String, String)>>,
    /// (owner type, carried field) -> (rule for "carried without its
    /// value", rule for "value without the carried field").
    pub carried_rules: BTreeMap<(String, String), (Option<String>, Option<String>)>,
    /// (owner type, carried field) -> the carrier field's wire name.
    pub carried_by: BTreeMap<(String, String), String>,
    /// Snapshot name.
    pub snapshot: String,
    /// Graph version.
    pub graph_version: String,
    /// As-of date.
    pub as_of: String,
}

/// Ids of the global rules the deserializer reports under.
#[derive(Debug, Clone, Default)]
pub struct Globals {
    /// `unknown_field`.
    pub unknown_field: String,
    /// `type`.
    pub type_mismatch: String,
    /// `enum_value`.
    pub enum_value: String,
    /// `required`.
    pub required: String,
}

fn owner_field_wire<'a>(
    def: &'a sendapi_spec::model::TypeDef,
    f: &sendapi_spec::model::Field,
) -> &'a str {
    def.fields
        .iter()
        .find(|(_, x)| std::ptr::eq(*x, f))
        .map_or("", |(w, _)| w.get_ref().as_str())
}

impl Shapes {
    /// Computes the shapes of a linted spec.
    pub fn new(spec: &Spec) -> Shapes {
        Shapes::build(spec, true)
    }

    /// The shapes without their documentation: every `docs` holds only its
    /// status, and no value has `policy` lines. That is all `request!` and
    /// the derive read (they emit no rustdoc), and it spares the macro's
    /// first call copying every doc string of the spec.
    pub fn without_docs(spec: &Spec) -> Shapes {
        Shapes::build(spec, false)
    }

    fn build(spec: &Spec, with_docs: bool) -> Shapes {
        let mut b = Build {
            spec,
            with_docs,
            structural: BTreeSet::new(),
            keyed_rule: BTreeMap::new(),
            excluded: BTreeMap::new(),
            carried_rules: BTreeMap::new(),
            carried_by: BTreeMap::new(),
            carried_in: BTreeMap::new(),
        };
        let globals = b.globals();
        b.carried();
        let types: Vec<Shape> = spec.types().map(|(name, def)| b.shape(name, def)).collect();
        let index = types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        let mut shapes = Shapes {
            types,
            index,
            root: spec.root().to_string(),
            structural: b.structural,
            globals,
            keyed_rule: b.keyed_rule,
            excluded: b.excluded,
            carried_rules: b.carried_rules,
            carried_by: b.carried_by,
            snapshot: spec.name().to_string(),
            graph_version: spec.graph_version().to_string(),
            as_of: spec.as_of().to_string(),
        };
        shapes.box_cycles();
        shapes
    }

    /// A shape by name.
    pub fn get(&self, name: &str) -> Option<&Shape> {
        self.index.get(name).map(|&i| &self.types[i])
    }

    /// Types a value of `name` holds inline (not behind a `Vec`).
    fn inline_children(s: &Shape) -> Vec<&str> {
        let mut out = Vec::new();
        fn named(f: &FieldShape) -> Option<&str> {
            match &f.ty {
                RTy::Named(n) => Some(n),
                _ => None,
            }
        }
        match &s.kind {
            ShapeKind::Struct(fs) => out.extend(fs.iter().filter_map(named)),
            ShapeKind::Keyed(vs) => out.extend(vs.iter().flat_map(|v| &v.fields).filter_map(named)),
            ShapeKind::Tagged { variants, .. } => {
                out.extend(variants.iter().filter_map(|v| v.inner.as_deref()))
            }
            ShapeKind::Enum(vals) => {
                for c in vals.iter().filter_map(|v| v.carries.as_ref()) {
                    match &c.inline {
                        Some(fs) => out.extend(fs.iter().filter_map(named)),
                        None => {
                            if let RTy::Named(n) = &c.ty {
                                out.push(n.as_str());
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// Puts a `Box` around struct fields that would make a type contain itself.
    ///
    /// Types go in spec order, and a field boxed for one type is no longer
    /// an inline path for the next. The graph is by index, with a reference
    /// per inline field: this runs on the first `request!` of a
    /// compilation, unoptimized, where a search by name per field cost more
    /// than the rest of the shapes.
    fn box_cycles(&mut self) {
        let mut children: Vec<Vec<usize>> = self
            .types
            .iter()
            .map(|t| {
                Shapes::inline_children(t)
                    .into_iter()
                    .filter_map(|n| self.index.get(n).copied())
                    .collect()
            })
            .collect();
        // The query that last saw each type: no bitmap to clear per query.
        let mut seen = vec![0u32; self.types.len()];
        let mut query = 0u32;
        let mut stack = Vec::new();
        // Whether a value of type `from` holds a `to` inline.
        let mut reaches = |children: &[Vec<usize>], from: usize, to: usize| {
            query += 1;
            stack.clear();
            stack.push(from);
            while let Some(n) = stack.pop() {
                if n == to {
                    return true;
                }
                if std::mem::replace(&mut seen[n], query) != query {
                    stack.extend_from_slice(&children[n]);
                }
            }
            false
        };
        for owner in 0..self.types.len() {
            let mut to_box = Vec::new();
            let mut check = |vi: Option<usize>, fields: &[FieldShape]| {
                for (j, f) in fields.iter().enumerate() {
                    if let RTy::Named(n) = &f.ty
                        && let Some(&target) = self.index.get(n)
                        && reaches(&children, target, owner)
                    {
                        to_box.push((vi, j, target));
                    }
                }
            };
            match &self.types[owner].kind {
                ShapeKind::Struct(fs) => check(None, fs),
                ShapeKind::Keyed(vs) => {
                    for (vi, v) in vs.iter().enumerate() {
                        check(Some(vi), &v.fields);
                    }
                }
                _ => {}
            }
            for (vi, j, target) in to_box {
                let f = match (&mut self.types[owner].kind, vi) {
                    (ShapeKind::Struct(fs), None) => &mut fs[j],
                    (ShapeKind::Keyed(vs), Some(vi)) => &mut vs[vi].fields[j],
                    _ => continue,
                };
                if let RTy::Named(n) = &f.ty {
                    f.ty = RTy::Boxed(n.clone());
                    // One inline reference fewer.
                    let edges = &mut children[owner];
                    if let Some(e) = edges.iter().position(|&c| c == target) {
                        edges.swap_remove(e);
                    }
                }
            }
        }
    }
}

/// What [`Shapes::new`] gathers while it walks the spec: the rules the
/// types guarantee by construction, and where carried fields live.
struct Build<'s> {
    spec: &'s Spec,
    /// Whether to copy documentation (see [`Shapes::without_docs`]).
    with_docs: bool,
    structural: BTreeSet<String>,
    keyed_rule: BTreeMap<String, String>,
    excluded: BTreeMap<(String, String), Vec<(String, String)>>,
    carried_rules: BTreeMap<(String, String), (Option<String>, Option<String>)>,
    carried_by: BTreeMap<(String, String), String>,
    /// Per owner type, the wire names that live inside a sibling enum value
    /// instead of their own field.
    carried_in: BTreeMap<String, BTreeSet<String>>,
}

impl Build<'_> {
    /// An item's documentation, or only its status without docs.
    fn docs(
        &self,
        doc: &str,
        source: &str,
        status: Status,
        note: &Option<String>,
        since: Option<sendapi_spec::Date>,
        platforms: &Option<Vec<Platform>>,
    ) -> Docs {
        if !self.with_docs {
            return Docs {
                status,
                ..Docs::default()
            };
        }
        Docs {
            doc: doc.to_string(),
            source: self.spec.source_link(source).to_string(),
            status,
            note: note.clone(),
            since: since.map(|d| d.to_string()),
            platforms: platforms.clone(),
        }
    }

    /// The ids of the global rules; every global rule is structural.
    fn globals(&mut self) -> Globals {
        let mut globals = Globals::default();
        for r in self.spec.rules() {
            let id = r.id.clone();
            match r.check {
                Check::UnknownField => globals.unknown_field = id.clone(),
                Check::Type => globals.type_mismatch = id.clone(),
                Check::EnumValue => globals.enum_value = id.clone(),
                Check::Required => globals.required = id.clone(),
                _ => {}
            }
            if r.kind().is_global() {
                self.structural.insert(id);
            }
        }
        globals
    }

    /// Finds every carried field (a sibling field an enum value carries)
    /// and the rules that tie it to its value.
    fn carried(&mut self) {
        let spec = self.spec;
        for (owner, def) in spec.types() {
            for f in def.fields.values() {
                let Ty::Named(e) = spec.field_ty(f) else {
                    continue;
                };
                let Some(edef) = spec.type_def(&e) else {
                    continue;
                };
                for (vw, v) in &edef.values {
                    let Some(c) = &v.carries else {
                        continue;
                    };
                    let carried = c.field.get_ref().as_str();
                    let carrier = owner_field_wire(def, f);
                    self.carried_in
                        .entry(owner.to_string())
                        .or_default()
                        .insert(carried.to_string());
                    self.carried_by.insert(
                        (owner.to_string(), carried.to_string()),
                        carrier.to_string(),
                    );
                    self.tie(owner, carried, carrier, vw.get_ref());
                }
            }
        }
    }

    /// The requires rules that tie a carried field to its value (carried
    /// field present -> carrier valued, and back) are what the enum
    /// variant guarantees.
    fn tie(&mut self, owner: &str, carried: &str, carrier: &str, value: &str) {
        let rules = self.spec.rules();
        for r in rules.iter().filter(|r| r.severity == Severity::Error) {
            let Check::Requires(imp) = &r.check else {
                continue;
            };
            if imp.on != owner {
                continue;
            }
            let (w, t) = (&imp.when, &imp.then);
            let (wp, tp) = (w.path.to_string(), t.path.to_string());
            let valued = |c: &Condition| c.test.values().contains(&value.to_string());
            let present = |c: &Condition| matches!(c.test, Test::Present(true));
            let forward = wp == carried && present(w) && tp == carrier && valued(t);
            let backward = wp == carrier && valued(w) && tp == carried && present(t);
            if forward || backward {
                self.structural.insert(r.id.clone());
                let e = self
                    .carried_rules
                    .entry((owner.to_string(), carried.to_string()))
                    .or_default();
                if forward {
                    e.0 = Some(r.id.clone());
                } else {
                    e.1 = Some(r.id.clone());
                }
            }
        }
    }

    fn field_shape(&self, wire: &str, f: &sendapi_spec::model::Field) -> FieldShape {
        FieldShape {
            wire: wire.to_string(),
            ident: f.rust.get_ref().clone(),
            ty: RTy::from_ty(&self.spec.field_ty(f)),
            required: f.required,
            is_key: f.key,
            default: f.default.as_ref().map(|d| match d {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            }),
            docs: self.docs(
                &f.doc,
                f.source.get_ref(),
                f.status,
                &f.note,
                f.since,
                &f.platforms,
            ),
        }
    }

    fn shape(&mut self, name: &str, def: &sendapi_spec::model::TypeDef) -> Shape {
        let carried = self.carried_in.get(name).cloned().unwrap_or_default();
        let kind = match *def.kind.get_ref() {
            TypeKind::Object => ShapeKind::Struct(
                def.fields
                    .iter()
                    .filter(|(w, f)| {
                        f.status != Status::Transport && !carried.contains(w.get_ref().as_str())
                    })
                    .map(|(w, f)| self.field_shape(w.get_ref(), f))
                    .collect(),
            ),
            TypeKind::Keyed => self.keyed(name, def, &carried),
            TypeKind::Tagged => self.tagged(def),
            TypeKind::Enum => ShapeKind::Enum(
                def.values
                    .iter()
                    .map(|(w, v)| self.value(w.get_ref(), v))
                    .collect(),
            ),
        };
        Shape {
            name: name.to_string(),
            docs: self.docs(
                &def.doc,
                def.source.get_ref(),
                def.status,
                &def.note,
                def.since,
                &None,
            ),
            open: def.open,
            kind,
        }
    }

    /// A keyed union: one variant per key, holding the fields allowed with
    /// that key.
    fn keyed(
        &mut self,
        name: &str,
        def: &sendapi_spec::model::TypeDef,
        carried: &BTreeSet<String>,
    ) -> ShapeKind {
        let spec = self.spec;
        let keys: Vec<&str> = def
            .fields
            .iter()
            .filter(|(_, f)| f.key)
            .map(|(w, _)| w.get_ref().as_str())
            .collect();
        // The exactly_one_of rule over the keys is the enum itself.
        for r in spec.rules() {
            if let Check::ExactlyOneOf(g) = &r.check
                && g.on == name
                && g.fields.len() == keys.len()
                && g.fields.iter().all(|f| keys.contains(&f.as_str()))
            {
                self.structural.insert(r.id.clone());
                self.keyed_rule.insert(name.to_string(), r.id.clone());
            }
        }
        let exclusions = exclusions(spec, name);
        let mut variants = Vec::new();
        for (kw, kf) in def.fields.iter().filter(|(_, f)| f.key) {
            let key = kw.get_ref().as_str();
            let mut fields = Vec::new();
            for (fw, f) in &def.fields {
                let fwire = fw.get_ref().as_str();
                if fwire == key && kf.part.is_none() {
                    fields.push(FieldShape {
                        required: true,
                        ..self.field_shape(key, kf)
                    });
                    continue;
                }
                if f.key || f.status == Status::Transport || carried.contains(fwire) {
                    continue;
                }
                if let Some(rule) = excluded(&exclusions, key, fwire, &keys) {
                    self.structural.insert(rule.clone());
                    self.excluded
                        .entry((name.to_string(), key.to_string()))
                        .or_default()
                        .push((fwire.to_string(), rule));
                    continue;
                }
                fields.push(self.field_shape(fwire, f));
            }
            variants.push(KeyedVariant {
                key: key.to_string(),
                rust: kf
                    .variant
                    .as_ref()
                    .map(|v| v.get_ref().clone())
                    .unwrap_or_default(),
                fields,
                docs: self.docs(
                    &kf.doc,
                    kf.source.get_ref(),
                    kf.status,
                    &kf.note,
                    kf.since,
                    &kf.platforms,
                ),
                response: kf.response.as_ref().map(|r| r.get_ref().clone()),
                part: kf.part.as_ref().map(|p| p.get_ref().clone()),
            });
        }
        ShapeKind::Keyed(variants)
    }

    fn tagged(&self, def: &sendapi_spec::model::TypeDef) -> ShapeKind {
        let spec = self.spec;
        let as_of = spec.as_of();
        ShapeKind::Tagged {
            tag: def
                .tag
                .as_ref()
                .map(|t| t.get_ref().clone())
                .unwrap_or_default(),
            content: def.content.as_ref().map(|c| c.get_ref().clone()),
            variants: def
                .variants
                .iter()
                .map(|(w, v)| {
                    let t = v.ty.get_ref().clone();
                    let empty = spec.type_def(&t).is_some_and(|d| {
                        *d.kind.get_ref() == TypeKind::Object && d.fields.is_empty()
                    });
                    TagVariant {
                        wire: w.get_ref().clone(),
                        rust: v.rust.get_ref().clone(),
                        inner: (!empty).then(|| t.clone()),
                        spec_type: t,
                        docs: self.docs(
                            &v.doc,
                            v.source.get_ref(),
                            v.status,
                            &v.note,
                            v.since,
                            &v.platforms,
                        ),
                        refused: v
                            .refused_since
                            .filter(|d| *d <= as_of)
                            .map(|d| (d.to_string(), v.replacement.clone().unwrap_or_default())),
                    }
                })
                .collect(),
        }
    }

    /// The sibling field an enum value carries, with its type: the value's
    /// own, else the sibling field's declared type (looked up in any owner
    /// that has it).
    fn carries(&self, c: &sendapi_spec::model::Carries) -> Carried {
        let spec = self.spec;
        let cwire = c.field.get_ref().clone();
        let ty =
            c.ty.as_ref()
                .and_then(|t| Ty::parse(t.get_ref()).ok())
                .or_else(|| {
                    spec.types()
                        .find_map(|(_, d)| d.fields.get(cwire.as_str()).map(|f| spec.field_ty(f)))
                })
                .unwrap_or(Ty::Prim(Prim::Json));
        let inline = match &ty {
            Ty::Named(n) => spec
                .type_def(n)
                .filter(|d| *d.kind.get_ref() == TypeKind::Object)
                .map(|d| {
                    d.fields
                        .iter()
                        .filter(|(_, f)| f.status != Status::Transport)
                        .map(|(fw, f)| self.field_shape(fw.get_ref(), f))
                        .collect()
                }),
            _ => None,
        };
        Carried {
            wire: cwire,
            ty: RTy::from_ty(&ty),
            inline,
        }
    }

    /// A value's tag policy lines (documentation only).
    fn policy(&self, v: &sendapi_spec::model::EnumValue) -> Vec<(String, String)> {
        let mut policy = Vec::new();
        if !self.with_docs {
            return policy;
        }
        if !v.allowed.is_empty() {
            policy.push(("Allowed".to_string(), v.allowed.join("; ")));
        }
        if !v.disallowed.is_empty() {
            policy.push(("Not allowed".to_string(), v.disallowed.join("; ")));
        }
        if let Some(w) = &v.window {
            policy.push(("Window".to_string(), w.clone()));
        }
        if let Some(p) = &v.permission {
            policy.push(("Permission".to_string(), p.clone()));
        }
        policy
    }

    fn value(&self, wire: &str, v: &sendapi_spec::model::EnumValue) -> ValueShape {
        let policy = self.policy(v);
        let as_of = self.spec.as_of();
        ValueShape {
            wire: wire.to_string(),
            rust: v.rust.get_ref().clone(),
            aliases: v.aliases.clone(),
            carries: v.carries.as_ref().map(|c| self.carries(c)),
            docs: self.docs(
                &v.doc,
                v.source.get_ref(),
                v.status,
                &v.note,
                v.since,
                &v.platforms,
            ),
            refused: v
                .refused_since
                .filter(|d| *d <= as_of)
                .map(|d| (d.to_string(), v.replacement.clone().unwrap_or_default())),
            policy,
        }
    }
}

/// The key of a path of exactly one key (`text`, not `a.b` or `a[*]`).
fn single_key(path: &sendapi_spec::Path) -> Option<&str> {
    match path.segs.as_slice() {
        [sendapi_spec::Seg::Key(key)] => Some(key),
        _ => None,
    }
}

/// An error `requires` or `forbids` rule of one type between two paths of
/// one key each: the only rules that can leave a field out of a keyed
/// variant.
struct Exclusion<'s> {
    forbids: bool,
    when: &'s str,
    when_present: bool,
    then: &'s str,
    then_present: bool,
    id: &'s str,
}

/// The [`Exclusion`]s of type `owner`, found once per keyed type instead of
/// once per field (this runs on the first `request!`, unoptimized).
fn exclusions<'s>(spec: &'s Spec, owner: &str) -> Vec<Exclusion<'s>> {
    let present = |c: &Condition| matches!(c.test, Test::Present(true));
    spec.rules()
        .iter()
        .filter(|r| r.severity == Severity::Error)
        .filter_map(|r| {
            let (Check::Requires(imp) | Check::Forbids(imp)) = &r.check else {
                return None;
            };
            if imp.on != owner {
                return None;
            }
            let (w, t) = (&imp.when, &imp.then);
            Some(Exclusion {
                forbids: matches!(r.check, Check::Forbids(_)),
                when: single_key(&w.path)?,
                when_present: present(w),
                then: single_key(&t.path)?,
                then_present: present(t),
                id: &r.id,
            })
        })
        .collect()
}

/// Whether field `field` of a keyed type is left out of the variant chosen
/// by `key`, and by which of its exclusions: `forbids` (key present, field
/// present) or `requires` (field present, another key present or valued).
fn excluded(exclusions: &[Exclusion<'_>], key: &str, field: &str, keys: &[&str]) -> Option<String> {
    exclusions.iter().find_map(|x| {
        let by = if x.forbids {
            x.when == key && x.when_present && x.then == field && x.then_present
        } else {
            x.when == field && x.when_present && x.then != key && keys.contains(&x.then)
        };
        by.then(|| x.id.to_string())
    })
}
