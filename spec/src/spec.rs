//! A loaded, linted spec and the type-level views other parts need.

use std::fmt;

use crate::model::{Date, ErrorCode, Field, Platform, SpecFile, TypeDef, TypeKind};
use crate::rule::{Check, Condition, Rule, Test};

/// A builtin (leaf) type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prim {
    /// A JSON string.
    String,
    /// An id: a string; Graph also takes a number (a coercion warning).
    Id,
    /// A string or a number, both documented (quick reply payloads).
    StringOrNumber,
    /// A boolean; Graph also takes `"true"`/`"false"` (a coercion warning).
    Bool,
    /// Any JSON number.
    Number,
    /// A JSON number without a fraction.
    Integer,
    /// Any JSON value, not checked further.
    Json,
}

impl Prim {
    /// Every builtin, by spec spelling.
    pub const ALL: [(&'static str, Prim); 7] = [
        ("string", Prim::String),
        ("id", Prim::Id),
        ("string_or_number", Prim::StringOrNumber),
        ("bool", Prim::Bool),
        ("number", Prim::Number),
        ("integer", Prim::Integer),
        ("json", Prim::Json),
    ];

    /// The builtin a spec spelling names. Bytes and a `match`, not
    /// [`Prim::ALL`]: every field's type goes through it, unoptimized in
    /// the macro.
    pub fn named(s: &str) -> Option<Prim> {
        match s {
            "string" => Some(Prim::String),
            "id" => Some(Prim::Id),
            "string_or_number" => Some(Prim::StringOrNumber),
            "bool" => Some(Prim::Bool),
            "number" => Some(Prim::Number),
            "integer" => Some(Prim::Integer),
            "json" => Some(Prim::Json),
            _ => None,
        }
    }

    /// The spelling used in spec files.
    pub fn as_str(self) -> &'static str {
        Prim::ALL
            .iter()
            .find(|(_, p)| *p == self)
            .map_or("json", |(s, _)| s)
    }

    /// What a value of this type looks like, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Prim::String => "a string",
            Prim::Id => "an id string",
            Prim::StringOrNumber => "a string or a number",
            Prim::Bool => "true or false",
            Prim::Number => "a number",
            Prim::Integer => "an integer",
            Prim::Json => "any JSON value",
        }
    }
}

/// A resolved field type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    /// A builtin.
    Prim(Prim),
    /// A named type from `[types]`.
    Named(String),
    /// An array.
    Array(Box<Ty>),
}

impl Ty {
    /// Parses the spec spelling (`string`, `Button`, `[Button]`).
    pub fn parse(s: &str) -> Result<Ty, String> {
        let s = s.trim();
        if let Some(inner) = s.strip_prefix('[') {
            let inner = inner.strip_suffix(']').ok_or_else(|| {
                format!("expected `[Type]` for an array type, found `{s}` (missing `]`)")
            })?;
            return Ok(Ty::Array(Box::new(Ty::parse(inner)?)));
        }
        if s.is_empty() {
            return Err("expected a type name, found an empty string".into());
        }
        if let Some(p) = Prim::named(s) {
            return Ok(Ty::Prim(p));
        }
        let bytes = s.as_bytes();
        if !bytes[0].is_ascii_uppercase()
            || !bytes
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(format!(
                "expected a builtin ({}) or a type name in UpperCamelCase, found `{s}`",
                Prim::ALL.map(|(n, _)| n).join(", ")
            ));
        }
        Ok(Ty::Named(s.to_string()))
    }

    /// A spelling the lint has already checked, as [`Ty::parse`] reads it,
    /// without checking it again: the plan and the shapes resolve every
    /// field's type, unoptimized in the macro.
    ///
    /// Bytes and slice patterns, not `trim` and `strip_prefix`, whose
    /// generic searchers cost a call per step there.
    fn resolve(s: &str) -> Ty {
        // Trimmed only when an end is a space, a control or not ASCII.
        let s = match s.as_bytes() {
            [first, ..] if *first <= b' ' || *first >= 0x80 => s.trim(),
            [.., last] if *last <= b' ' || *last >= 0x80 => s.trim(),
            _ => s,
        };
        if let [b'[', .., b']'] = s.as_bytes() {
            return Ty::Array(Box::new(Ty::resolve(&s[1..s.len() - 1])));
        }
        match Prim::named(s) {
            Some(p) => Ty::Prim(p),
            None => Ty::Named(s.to_string()),
        }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Prim(p) => f.write_str(p.as_str()),
            Ty::Named(n) => f.write_str(n),
            Ty::Array(t) => write!(f, "[{t}]"),
        }
    }
}

/// One segment of a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    /// An object key.
    Key(String),
    /// Every item of an array (`[*]`).
    Each,
}

/// A path relative to a type: `message.quick_replies[*].title`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Path {
    /// The segments, in order.
    pub segs: Vec<Seg>,
}

impl Path {
    /// Parses a path.
    pub fn parse(s: &str) -> Result<Path, String> {
        let mut segs = Vec::new();
        if s.is_empty() {
            return Err("expected a path like `message.text`, found an empty string".into());
        }
        for part in s.split('.') {
            let (key, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if key.is_empty() && segs.is_empty() {
                return Err(format!("path `{s}` starts with an empty segment"));
            }
            if !key.is_empty() {
                if !key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                {
                    return Err(format!(
                        "path `{s}`: segment `{key}` may use letters, digits, `_` and `-` only"
                    ));
                }
                segs.push(Seg::Key(key.to_string()));
            } else if rest.is_empty() {
                return Err(format!("path `{s}` has an empty segment"));
            }
            while !rest.is_empty() {
                match rest.strip_prefix("[*]") {
                    Some(r) => {
                        segs.push(Seg::Each);
                        rest = r;
                    }
                    None => {
                        return Err(format!(
                            "path `{s}`: expected `[*]` after `{key}`, found `{rest}`"
                        ));
                    }
                }
            }
        }
        Ok(Path { segs })
    }

    /// Whether the path has a `[*]`.
    pub fn has_wildcard(&self) -> bool {
        self.segs.contains(&Seg::Each)
    }

    /// The last key of the path.
    pub fn last_key(&self) -> Option<&str> {
        self.segs.iter().rev().find_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Each => None,
        })
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for seg in &self.segs {
            match seg {
                Seg::Key(k) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Each => f.write_str("[*]")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// What a path can end at, in the type graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A field of an object or keyed union.
    Field {
        /// The type holding the field.
        owner: String,
        /// The field's wire name.
        field: String,
        /// The field's type.
        ty: Ty,
    },
    /// The tag field of a tagged union.
    Tag {
        /// The tagged union.
        owner: String,
    },
    /// The content field of an adjacently tagged union.
    Content {
        /// The tagged union.
        owner: String,
    },
    /// An array item.
    Item {
        /// The item type.
        ty: Ty,
    },
}

impl Target {
    /// The type a value at this target has, where it is a single type.
    pub fn ty(&self) -> Option<&Ty> {
        match self {
            Target::Field { ty, .. } | Target::Item { ty } => Some(ty),
            Target::Tag { .. } | Target::Content { .. } => None,
        }
    }
}

/// How many days before a Graph version's `expires` date the tools start to
/// say so.
pub const EXPIRY_NOTICE_DAYS: i64 = 90;

/// A loaded and linted spec snapshot.
#[derive(Debug, Clone)]
pub struct Spec {
    pub(crate) file: SpecFile,
    pub(crate) origin: String,
    /// The typed rules, converted by the lint.
    pub(crate) rules: Vec<Rule>,
    /// The typed `when` conditions of each rate class, in file order.
    pub(crate) rates: Vec<Vec<Condition>>,
    /// What the lint found that does not stop the spec from loading.
    pub(crate) warnings: Vec<crate::Problem>,
    /// The files the spec was read from, the extending file first.
    pub(crate) files: Vec<std::path::PathBuf>,
}

impl Spec {
    /// The raw model.
    pub fn file(&self) -> &SpecFile {
        &self.file
    }

    /// The file name or bundled name the spec came from (for messages).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// What the lint found that does not stop the spec from loading, such
    /// as a `fix` that recommends a value the snapshot refuses.
    pub fn lint_warnings(&self) -> &[crate::Problem] {
        &self.warnings
    }

    /// A warning when the snapshot's Graph version stops being served within
    /// [`EXPIRY_NOTICE_DAYS`] of `today` (or already has), for the tools
    /// that use it to print.
    pub fn expiry_notice(&self, today: Date) -> Option<String> {
        let expires = self.file.snapshot.expires?;
        let left = expires.days() - today.days();
        let graph = self.graph_version();
        if left < 0 {
            Some(format!(
                "{}: Meta stopped serving Graph {graph} on {expires}; move to a newer snapshot",
                self.name()
            ))
        } else if left <= EXPIRY_NOTICE_DAYS {
            Some(format!(
                "{}: Meta stops serving Graph {graph} on {expires}, in {}; plan the move to a newer snapshot",
                self.name(),
                sendapi_core::count(usize::try_from(left).unwrap_or(0), "day", "days")
            ))
        } else {
            None
        }
    }

    /// The files this spec was read from on disk: the file itself, then each
    /// file it extends (bundled bases are not files). A build that reads the
    /// spec rebuilds when any of them changes.
    pub fn files(&self) -> &[std::path::PathBuf] {
        &self.files
    }

    /// The snapshot name (`v26.0`).
    pub fn name(&self) -> &str {
        self.file.snapshot.name.get_ref()
    }

    /// The Graph version sent in request paths.
    pub fn graph_version(&self) -> &str {
        self.file.snapshot.graph_version.get_ref()
    }

    /// The date the snapshot's rules describe.
    pub fn as_of(&self) -> Date {
        self.file.snapshot.as_of
    }

    /// The receive side, when the snapshot describes it.
    pub fn webhooks(&self) -> Option<&crate::Webhooks> {
        self.file.webhooks.as_ref()
    }

    /// The standard messaging window in hours, when the snapshot states it.
    pub fn window_hours(&self) -> Option<u32> {
        self.file
            .snapshot
            .window_hours
            .as_ref()
            .map(|h| *h.get_ref())
    }

    /// The window of a value of an enum (a message tag) in hours, when the
    /// spec states one: how long after the person's last message a send
    /// with that value is accepted.
    pub fn value_window_hours(&self, ty: &str, value: &str) -> Option<u32> {
        let value = self.type_def(ty)?.values.get(value)?;
        value.window_hours.as_ref().map(|h| *h.get_ref())
    }

    /// A type by name.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.file.types.get(name)
    }

    /// Every type, in file order.
    pub fn types(&self) -> impl Iterator<Item = (&str, &TypeDef)> {
        self.file
            .types
            .iter()
            .map(|(k, v)| (k.get_ref().as_str(), v))
    }

    /// Every rule, typed, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// A rule by id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The values that a present `path` implies for top-level fields of
    /// `on`, read from its `requires` rules that apply on `platform`: a rule
    /// whose `when` is the presence of `path` and whose `then` is one value
    /// of a field of `on` gives that `(field, value)`. In the bundled
    /// snapshots, `tag` implies `messaging_type` `MESSAGE_TAG` and
    /// `message.template` implies `messaging_type` `UTILITY`.
    pub fn implied_by<'s>(
        &'s self,
        on: &str,
        path: &str,
        platform: Platform,
    ) -> Vec<(&'s str, &'s str)> {
        let implied = |rule: &'s Rule| -> Option<(&'s str, &'s str)> {
            let Check::Requires(implication) = &rule.check else {
                return None;
            };
            let (when, then) = (&implication.when, &implication.then);
            let applies = implication.on == on
                && rule.applies_on(platform)
                && matches!(when.test, Test::Present(true))
                && when.path.to_string() == path;
            match (then.path.segs.as_slice(), &then.test) {
                ([Seg::Key(field)], Test::Equals(value)) if applies => {
                    Some((field.as_str(), value.as_str()))
                }
                _ => None,
            }
        };
        self.rules.iter().filter_map(implied).collect()
    }

    /// The typed `when` conditions of the rate class at `index` in file
    /// order (empty for the default class).
    pub fn rate_conditions(&self, index: usize) -> &[Condition] {
        self.rates.get(index).map_or(&[], Vec::as_slice)
    }

    /// The request type of the `messages` endpoint: the root of a send body.
    pub fn root(&self) -> &str {
        self.file
            .endpoints
            .get("messages")
            .map_or("SendRequest", |e| e.request.get_ref().as_str())
    }

    /// Resolves a source key (`REF`) to its link; a link is returned as is.
    pub fn source_link<'a>(&'a self, key: &'a str) -> &'a str {
        self.file.sources.get(key).map_or(key, String::as_str)
    }

    /// A field of an object or keyed type.
    pub fn field(&self, owner: &str, field: &str) -> Option<&Field> {
        self.type_def(owner)?.fields.get(field)
    }

    /// Resolves a field type, which the lint has already checked.
    pub fn field_ty(&self, field: &Field) -> Ty {
        Ty::resolve(field.ty.get_ref())
    }

    /// The platforms a field or value is available on (all when unrestricted).
    pub fn available(platforms: &Option<Vec<Platform>>, platform: Platform) -> bool {
        platforms.as_ref().is_none_or(|ps| ps.contains(&platform))
    }

    /// Every place `path` can lead to from type `from`, following unions
    /// through all their variants. Errors name the first segment that leads
    /// nowhere.
    pub fn walk(&self, from: &str, path: &Path) -> Result<Vec<Target>, String> {
        let mut current: Vec<(Ty, Option<Target>)> = vec![(Ty::Named(from.to_string()), None)];
        for (i, seg) in path.segs.iter().enumerate() {
            let mut next = Vec::new();
            for (ty, _) in &current {
                self.step(ty, seg, &mut next);
            }
            if next.is_empty() {
                let so_far = Path {
                    segs: path.segs[..i].to_vec(),
                };
                let at = if so_far.segs.is_empty() {
                    format!("type `{from}`")
                } else {
                    format!("`{so_far}` (from `{from}`)")
                };
                return Err(match seg {
                    Seg::Key(k) => format!("`{k}` is not a field of {at}"),
                    Seg::Each => format!("`[*]` follows {at}, which is not an array"),
                });
            }
            next.dedup();
            current = next;
        }
        Ok(current.into_iter().filter_map(|(_, t)| t).collect())
    }

    fn step(&self, ty: &Ty, seg: &Seg, out: &mut Vec<(Ty, Option<Target>)>) {
        match (ty, seg) {
            (Ty::Array(item), Seg::Each) => {
                out.push((
                    (**item).clone(),
                    Some(Target::Item {
                        ty: (**item).clone(),
                    }),
                ));
            }
            (Ty::Named(name), Seg::Key(key)) => {
                let Some(def) = self.type_def(name) else {
                    return;
                };
                match *def.kind.get_ref() {
                    TypeKind::Object | TypeKind::Keyed => {
                        if let Some(f) = def.fields.get(key.as_str()) {
                            let fty = self.field_ty(f);
                            out.push((
                                fty.clone(),
                                Some(Target::Field {
                                    owner: name.clone(),
                                    field: key.clone(),
                                    ty: fty,
                                }),
                            ));
                        }
                    }
                    TypeKind::Tagged => {
                        if def.tag.as_ref().is_some_and(|t| t.get_ref() == key) {
                            out.push((
                                Ty::Prim(Prim::String),
                                Some(Target::Tag {
                                    owner: name.clone(),
                                }),
                            ));
                        } else if def.content.as_ref().is_some_and(|c| c.get_ref() == key) {
                            for v in def.variants.values() {
                                out.push((
                                    Ty::Named(v.ty.get_ref().clone()),
                                    Some(Target::Content {
                                        owner: name.clone(),
                                    }),
                                ));
                            }
                        } else if def.content.is_none() {
                            for v in def.variants.values() {
                                self.step(&Ty::Named(v.ty.get_ref().clone()), seg, out);
                            }
                        }
                    }
                    TypeKind::Enum => {}
                }
            }
            _ => {}
        }
    }

    /// An `[[errors]]` entry by name (its `rust` key). Names are unique, so
    /// this finds every entry, also those that share a code with another.
    pub fn error(&self, name: &str) -> Option<&ErrorCode> {
        self.file.errors.iter().find(|e| e.rust.get_ref() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_parses_to_itself_and_names_are_upper_camel_case() {
        for (name, p) in Prim::ALL {
            assert_eq!(Ty::parse(name), Ok(Ty::Prim(p)), "{name}");
            assert_eq!(p.as_str(), name);
        }
        let button = Ty::Named("Button".into());
        assert_eq!(Ty::parse(" [Button] "), Ok(Ty::Array(Box::new(button))));
        for bad in ["", "button", "Bütton", "Quick-Reply", "[Button", "Strings"] {
            let parsed = Ty::parse(bad);
            assert_eq!(parsed.is_err(), bad != "Strings", "{bad}: {parsed:?}");
        }
    }

    #[test]
    fn a_checked_type_resolves_as_it_parses() {
        for (name, p) in Prim::ALL {
            assert_eq!(Prim::named(name), Some(p));
        }
        assert_eq!(Prim::named("String"), None);
        for good in [
            "string",
            " id ",
            "Button",
            "[Button]",
            " [ [integer] ] ",
            "[QuickReply]",
            "\u{a0}Button\u{3000}",
            "[ Button\n]",
        ] {
            assert_eq!(Ok(Ty::resolve(good)), Ty::parse(good), "{good}");
        }
        #[cfg(feature = "load")]
        for name in crate::BUNDLED {
            let spec = crate::bundled(name).expect("bundled snapshots load");
            for (_, def) in spec.types() {
                for field in def.fields.values() {
                    let spelled = field.ty.get_ref();
                    assert_eq!(
                        Ok(spec.field_ty(field)),
                        Ty::parse(spelled),
                        "{name}: {spelled}"
                    );
                }
            }
        }
    }
}
