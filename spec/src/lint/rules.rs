//! The rule lint *is* the conversion of each raw `[[rules]]` entry into a
//! typed [`Rule`]: an entry that does not convert is a problem at the line
//! and column of what is wrong, and everything after the lint reads the
//! typed rules only.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::{Lint, suggest, target_values};
use crate::model::{Cond, Evidence, RawRule, RuleKind, Severity, Spanned, Status, TypeKind};
use crate::rule::{
    At, Bounds, Check, CheckedRegex, Condition, FieldGroup, Implication, ItemSet, MaxLen, Pattern,
    Rule, Test,
};
use crate::spec::{Path, Prim, Target, Ty};

/// Converts every rule; the ones that do not convert are left out, with
/// their problems recorded.
pub(super) fn convert_rules(l: &mut Lint<'_>) -> Vec<Rule> {
    let spec = l.spec;
    let mut ids: HashMap<&str, Range<usize>> = HashMap::new();
    let mut out = Vec::new();
    for r in &spec.file.rules {
        let id = r.id.get_ref();
        if ids.insert(id, r.id.span()).is_some() {
            l.at(r.id.span(), format!("duplicate rule id `{id}`"));
        }
        common(l, r);
        super::lint_since(l, r.id.span(), &format!("rule `{id}`"), r.since);
        if let Some(check) = Shape::new(l, r).convert() {
            out.push(Rule {
                id: id.clone(),
                check,
                severity: *r.severity.get_ref(),
                evidence: r.evidence,
                basis: r.basis.clone(),
                applies_to: r.applies_to.clone().filter(|ps| !ps.is_empty()),
                message: r.message.clone(),
                fix: r.fix.clone(),
                source: r.source.get_ref().clone(),
                code: r.code,
                subcode: r.subcode,
                note: r.note.clone(),
                span: r.id.span(),
            });
        }
    }
    out
}

/// What every rule needs, whatever its kind.
fn common(l: &mut Lint<'_>, r: &RawRule) {
    let id = r.id.get_ref();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
    {
        l.at(
            r.id.span(),
            format!("rule id `{id}`: expected lower-case words joined by `.` or `_`"),
        );
    }
    l.source(&r.source);
    l.placeholders(r.id.span(), &format!("rule `{id}` message"), &r.message);
    l.placeholders(r.id.span(), &format!("rule `{id}` fix"), &r.fix);
    if r.message.trim().is_empty() || r.fix.trim().is_empty() {
        l.at(
            r.id.span(),
            format!("rule `{id}`: `message` and `fix` must say what is wrong and how to fix it"),
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
    if r.applies_to.as_ref().is_some_and(Vec::is_empty) {
        l.at(
            r.kind.span(),
            format!(
                "rule `{id}`: `applies_to = []` names no platform, so the rule never applies; name the platforms or leave it out"
            ),
        );
    }
}

/// One raw rule on its way to a [`Check`]. Problems about the rule as a
/// whole sit at its `kind`; problems about one value sit at that value.
///
/// A rule whose parameters are all there converts even when the lint has
/// more to say about them: the load fails on any problem anyway, and the
/// checks that count rules by kind must not repeat the problem.
struct Shape<'l, 'a> {
    l: &'l mut Lint<'a>,
    r: &'a RawRule,
    kind: RuleKind,
}

impl<'l, 'a> Shape<'l, 'a> {
    fn new(l: &'l mut Lint<'a>, r: &'a RawRule) -> Self {
        Shape {
            l,
            r,
            kind: *r.kind.get_ref(),
        }
    }

    fn id(&self) -> &'a str {
        self.r.id.get_ref()
    }

    fn at(&mut self, span: Range<usize>, message: String) {
        self.l.at(span, message);
    }

    /// A problem at the rule's kind.
    fn at_kind(&mut self, message: String) {
        self.at(self.r.kind.span(), message);
    }

    fn need<T>(&mut self, value: Option<T>, what: &str) -> Option<T> {
        if value.is_none() {
            let (id, kind) = (self.id(), self.kind);
            self.at_kind(format!(
                "rule `{id}` of kind `{kind}`: expected {what}, found none"
            ));
        }
        value
    }

    fn convert(mut self) -> Option<Check> {
        self.refuse_other_keys();
        self.check()
    }

    /// Every key the kind does not take is a problem.
    fn refuse_other_keys(&mut self) {
        use RuleKind as K;
        let (r, k) = (self.r, self.kind);
        let global = k.is_global();
        let takes_path = matches!(
            k,
            K::MaxLen
                | K::Items
                | K::Range
                | K::UniqueTrue
                | K::Pattern
                | K::PlatformOnly
                | K::RefusedSince
        );
        // (present, taken by this kind, how the problem names it)
        let keys = [
            (
                r.on.is_some(),
                !global,
                "`on` (global kinds apply to every type)",
            ),
            (r.path.is_some(), takes_path, "`path`"),
            (
                r.applies_to.is_some(),
                !global,
                "`applies_to` (global kinds apply on every platform)",
            ),
            (
                !r.fields.is_empty(),
                matches!(k, K::ExactlyOneOf | K::AtMostOneOf | K::AtLeastOneOf),
                "`fields`",
            ),
            (
                r.when.is_some() || r.then.is_some(),
                matches!(k, K::Requires | K::Forbids),
                "`when` or `then`",
            ),
            (
                r.min.is_some() || r.max.is_some(),
                matches!(k, K::MaxLen | K::Items | K::Range),
                "`min` or `max`",
            ),
            (
                r.min.is_some(),
                k != K::MaxLen,
                "`min` (a length has only a maximum)",
            ),
            (r.unit.is_some(), k == K::MaxLen, "`unit`"),
            (r.pattern.is_some(), k == K::Pattern, "`pattern`"),
            (r.pattern_name.is_some(), k == K::Pattern, "`pattern_name`"),
            (
                !r.values.is_empty(),
                matches!(k, K::PlatformOnly | K::RefusedSince),
                "`values`",
            ),
            (r.coercion.is_some(), k == K::Coercion, "`coercion`"),
            (r.status.is_some(), k == K::Status, "`status`"),
        ];
        for (present, taken, what) in keys {
            if present && !taken {
                let id = self.id();
                self.at_kind(format!("rule `{id}` of kind `{k}` does not take {what}"));
            }
        }
    }

    fn check(&mut self) -> Option<Check> {
        use RuleKind as K;
        let r = self.r;
        Some(match self.kind {
            K::UnknownField => Check::UnknownField,
            K::OpenField => Check::OpenField,
            K::Type => Check::Type,
            K::EnumValue => Check::EnumValue,
            K::Required => Check::Required,
            K::Coercion => Check::Coercion(self.need(r.coercion, "`coercion`")?),
            K::Status => {
                let status = self.need(r.status, "`status`")?;
                if status == Status::Current {
                    let id = self.id();
                    self.at_kind(format!(
                        "rule `{id}`: `status = \"current\"` would flag every item"
                    ));
                }
                Check::Status(status)
            }
            K::ExactlyOneOf => Check::ExactlyOneOf(self.group()?),
            K::AtMostOneOf => Check::AtMostOneOf(self.group()?),
            K::AtLeastOneOf => Check::AtLeastOneOf(self.group()?),
            K::Requires => Check::Requires(self.implication()?),
            K::Forbids => Check::Forbids(self.implication()?),
            K::MaxLen => {
                let max = self.need(r.max, "`max`");
                let (at, targets) = self.located()?;
                self.target_is(&targets, "`max_len` needs a path to a string", is_string);
                Check::MaxLen(MaxLen {
                    at,
                    max: max?,
                    unit: r.unit.unwrap_or_default(),
                })
            }
            K::Items => Check::Items(self.bounds("`items` needs a path to an array", |t| {
                matches!(t, Ty::Array(_))
            })?),
            K::Range => Check::Range(self.bounds("`range` needs a path to a number", |t| {
                matches!(t, Ty::Prim(Prim::Integer | Prim::Number))
            })?),
            K::UniqueTrue => {
                let (at, targets) = self.located()?;
                if !at.path.has_wildcard() {
                    let id = self.id();
                    self.at_kind(format!(
                        "rule `{id}`: `unique_true` needs a path with `[*]`"
                    ));
                }
                self.target_is(&targets, "`unique_true` needs a path to a boolean", |t| {
                    matches!(t, Ty::Prim(Prim::Bool))
                });
                Check::UniqueTrue(at)
            }
            K::Pattern => self.pattern()?,
            K::PlatformOnly => Check::PlatformOnly(self.item_set()?),
            K::RefusedSince => Check::RefusedSince(self.item_set()?),
        })
    }

    /// The rule's `on`: a known object or union.
    fn on(&mut self) -> Option<&'a str> {
        let spec = self.l.spec;
        let on = self.need(self.r.on.as_ref(), "`on` (the type it is evaluated on)")?;
        let id = self.id();
        let Some(def) = spec.type_def(on.get_ref()) else {
            let hint = suggest(on.get_ref(), spec.types().map(|(n, _)| n));
            self.at(
                on.span(),
                format!("rule `{id}`: unknown type `{}`{hint}", on.get_ref()),
            );
            return None;
        };
        if *def.kind.get_ref() == TypeKind::Enum {
            self.at(
                on.span(),
                format!(
                    "rule `{id}`: rules are evaluated on objects and unions, not on enum `{}`",
                    on.get_ref()
                ),
            );
            return None;
        }
        Some(on.get_ref())
    }

    /// The rule's `on` and `path`, and where the path leads.
    fn located(&mut self) -> Option<(At, Vec<Target>)> {
        let path = self.need(self.r.path.as_ref(), "`path`");
        let on = self.on()?;
        let path = path?;
        let id = self.id();
        let parsed =
            Path::parse(path.get_ref()).and_then(|p| self.l.spec.walk(on, &p).map(|t| (p, t)));
        match parsed {
            Ok((p, targets)) => Some((
                At {
                    on: on.to_string(),
                    path: p,
                },
                targets,
            )),
            Err(e) => {
                self.at(path.span(), format!("rule `{id}`: {e}"));
                None
            }
        }
    }

    /// A problem at the kind unless some target has a type `ok` accepts.
    fn target_is(&mut self, targets: &[Target], what: &str, ok: impl Fn(&Ty) -> bool) {
        if !targets.iter().any(|t| t.ty().is_some_and(&ok)) {
            let id = self.id();
            self.at_kind(format!("rule `{id}`: {what}"));
        }
    }

    fn group(&mut self) -> Option<FieldGroup> {
        let r = self.r;
        let on = self.on();
        if r.fields.len() < 2 {
            self.need(None::<()>, "`fields` with at least two names");
        }
        let id = self.id();
        // A name given twice is counted twice: at_most_one_of would then
        // fire on every body that has it.
        let mut named = HashSet::new();
        for f in &r.fields {
            if !named.insert(f.get_ref().as_str()) {
                self.at(
                    f.span(),
                    format!("rule `{id}`: `{}` is named twice in `fields`", f.get_ref()),
                );
            }
        }
        let on = on?;
        let def = self.l.spec.type_def(on)?;
        for f in &r.fields {
            if !def.fields.contains_key(f.get_ref().as_str()) {
                let hint = suggest(f.get_ref(), def.fields.keys().map(|k| k.get_ref().as_str()));
                self.at(
                    f.span(),
                    format!(
                        "rule `{id}`: `{}` is not a field of `{on}`{hint}",
                        f.get_ref()
                    ),
                );
            }
        }
        Some(FieldGroup {
            on: on.to_string(),
            fields: r.fields.iter().map(|f| f.get_ref().clone()).collect(),
        })
    }

    fn implication(&mut self) -> Option<Implication> {
        let r = self.r;
        let on = self.on();
        let when = self.need(r.when.as_ref(), "`when`");
        let then = self.need(r.then.as_ref(), "`then`");
        let on = on?;
        let id = self.id();
        let when = when.and_then(|c| condition(self.l, id, on, c, false));
        let then = then.and_then(|c| condition(self.l, id, on, c, false));
        match (when, then) {
            (Some(when), Some(then)) => Some(Implication {
                on: on.to_string(),
                when,
                then,
            }),
            _ => None,
        }
    }

    fn bounds(&mut self, what: &str, ty_ok: impl Fn(&Ty) -> bool) -> Option<Bounds> {
        let r = self.r;
        if r.min.is_none() && r.max.is_none() {
            self.need(None::<()>, "`min` or `max`");
        }
        if let (Some(min), Some(max)) = (r.min, r.max)
            && min > max
        {
            let id = self.id();
            self.at_kind(format!(
                "rule `{id}`: `min` {min} is above `max` {max}; nothing can satisfy it"
            ));
        }
        let (at, targets) = self.located()?;
        self.target_is(&targets, what, ty_ok);
        Some(Bounds {
            at,
            min: r.min,
            max: r.max,
        })
    }

    fn pattern(&mut self) -> Option<Check> {
        let r = self.r;
        let pattern = self.need(r.pattern.as_ref(), "`pattern`");
        let at = self.located();
        if let Some((_, targets)) = &at {
            self.target_is(targets, "`pattern` needs a path to a string", is_string);
        }
        let pattern = pattern?;
        let regex = match CheckedRegex::new(pattern.get_ref()) {
            Ok(re) => re,
            Err(e) => {
                let id = self.id();
                self.at(
                    pattern.span(),
                    format!("rule `{id}`: `pattern` is not a valid regular expression: {e}"),
                );
                return None;
            }
        };
        Some(Check::Pattern(Pattern {
            at: at?.0,
            name: r
                .pattern_name
                .clone()
                .unwrap_or_else(|| pattern.get_ref().clone()),
            regex,
        }))
    }

    /// `platform_only` and `refused_since` read their data from the items
    /// the path leads to; those items must carry it.
    fn item_set(&mut self) -> Option<ItemSet> {
        let r = self.r;
        let (at, targets) = self.located()?;
        let spec = self.l.spec;
        let id = self.id();
        let values = target_values(spec, &targets);
        for v in &r.values {
            if !values.as_ref().is_some_and(|vs| vs.contains(v)) {
                let hint = values
                    .as_ref()
                    .map(|vs| suggest(v, vs.iter().map(String::as_str)))
                    .unwrap_or_default();
                self.at(
                    r.id.span(),
                    format!("rule `{id}`: `{v}` is not a value the path can hold{hint}"),
                );
            }
        }
        let set = ItemSet {
            at,
            values: r.values.clone(),
        };
        let items = crate::engine::item_data(spec, &targets);
        let (ok, carried) = if self.kind == RuleKind::PlatformOnly {
            let values = items
                .values
                .iter()
                .any(|(v, d)| set.covers(v) && d.platforms.is_some());
            (items.field_platforms.is_some() || values, "`platforms`")
        } else {
            let values = items
                .values
                .iter()
                .any(|(v, d)| set.covers(v) && d.refused_since.is_some());
            (values, "`refused_since`")
        };
        if !ok {
            self.at(
                r.id.span(),
                format!(
                    "rule `{id}`: no field or value at `{}` carries {carried}",
                    set.at.path
                ),
            );
        }
        Some(set)
    }
}

fn is_string(t: &Ty) -> bool {
    matches!(t, Ty::Prim(Prim::String | Prim::Id | Prim::StringOrNumber))
}

/// Converts a condition of a rule (`id`) or a rate class evaluated on `on`.
pub(super) fn condition(
    l: &mut Lint<'_>,
    id: &str,
    on: &str,
    c: &Cond,
    allow_wildcard: bool,
) -> Option<Condition> {
    let spec = l.spec;
    let (path, targets) =
        match Path::parse(c.path.get_ref()).and_then(|p| spec.walk(on, &p).map(|t| (p, t))) {
            Ok(found) => found,
            Err(e) => {
                l.at(c.path.span(), format!("rule `{id}`: {e}"));
                return None;
            }
        };
    let mut ok = true;
    if path.has_wildcard() && !allow_wildcard {
        ok = false;
        l.at(
            c.path.span(),
            format!("rule `{id}`: conditions take paths without `[*]`; put the rule on the item type instead"),
        );
    }
    let test = match (&c.equals, &c.one_of, c.present, &c.matches) {
        (Some(v), None, None, None) => Test::Equals(v.clone()),
        (None, Some(vs), None, None) => Test::In(vs.clone()),
        (None, None, Some(p), None) => Test::Present(p),
        (None, None, None, Some(m)) => matches_test(l, id, c, m, &targets)?,
        _ => {
            let tests = usize::from(c.equals.is_some())
                + usize::from(c.one_of.is_some())
                + usize::from(c.present.is_some())
                + usize::from(c.matches.is_some());
            l.at(
                c.path.span(),
                format!("rule `{id}`: a condition takes exactly one of `equals`, `in`, `present` and `matches`, found {tests}"),
            );
            return None;
        }
    };
    ok &= wanted_values_exist(l, id, c, test.values(), &targets);
    ok.then_some(Condition { path, test })
}

fn matches_test(
    l: &mut Lint<'_>,
    id: &str,
    c: &Cond,
    m: &Spanned<String>,
    targets: &[Target],
) -> Option<Test> {
    if !targets.iter().any(|t| t.ty().is_some_and(is_string)) {
        l.at(
            c.path.span(),
            format!("rule `{id}`: `matches` needs a path to a string"),
        );
        return None;
    }
    match CheckedRegex::new(m.get_ref()) {
        Ok(re) => Some(Test::Matches(re)),
        Err(e) => {
            l.at(
                m.span(),
                format!("rule `{id}`: `matches` is not a valid regular expression: {e}"),
            );
            None
        }
    }
}

/// The values `equals` and `in` name must be values the path can hold.
fn wanted_values_exist(
    l: &mut Lint<'_>,
    id: &str,
    c: &Cond,
    wanted: &[String],
    targets: &[Target],
) -> bool {
    if wanted.is_empty() {
        return true;
    }
    let spec = l.spec;
    match target_values(spec, targets) {
        Some(values) => {
            let mut ok = true;
            for w in wanted {
                if !values.contains(w) {
                    ok = false;
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
            ok
        }
        None => {
            let stringish = targets.iter().any(|t| {
                t.ty()
                    .is_some_and(|t| is_string(t) || *t == Ty::Prim(Prim::Bool))
            });
            if !stringish {
                l.at(
                    c.path.span(),
                    format!(
                        "rule `{id}`: `equals` and `in` need a path to an enum, a tag or a string"
                    ),
                );
            }
            stringish
        }
    }
}
