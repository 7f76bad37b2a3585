//! One emitter per rule kind: the code `validate()` runs for a rule on a
//! value of its `on` type.

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use sendapi_spec::model::{Platform, TypeKind, Unit};
use sendapi_spec::{
    At, Bounds, Check, Condition, Date, FieldGroup, Implication, ItemSet, MaxLen, Pattern, Prim,
    Rule, Seg, Spec, Target, Test, Ty,
};

use super::{Nav, Pos, as_str, describe, platform_names, platform_tokens};
use crate::shapes::{RTy, ShapeKind, Shapes};
use crate::util::{private, rule_static};

/// Code checking one rule on `self` (a value of `on`); empty when the
/// types already guarantee it or no typed value reaches its path.
pub(super) fn rule_code(spec: &Spec, shapes: &Shapes, on: &str, r: &Rule) -> TokenStream {
    let rs = rule_static(&r.id);
    let cx = Emit {
        shapes,
        rule: quote!(&__rules::#rs),
        start: match shapes.get(on).map(|s| &s.kind) {
            Some(ShapeKind::Struct(fields)) => {
                Pos::Fields(quote!(self), fields.clone(), on.to_string())
            }
            _ => Pos::Val(quote!(self), RTy::Named(on.to_string())),
        },
    };
    let mut nav = Nav { shapes, n: 0 };
    let code = match &r.check {
        // The types and the typed reader enforce the global kinds.
        Check::UnknownField
        | Check::OpenField
        | Check::Type
        | Check::Coercion(_)
        | Check::EnumValue
        | Check::Required
        | Check::Status(_) => TokenStream::new(),
        Check::MaxLen(m) => cx.max_len(&mut nav, m),
        Check::Items(b) => cx.items(&mut nav, b),
        Check::Range(b) => cx.range(&mut nav, b),
        Check::UniqueTrue(at) => cx.unique_true(&mut nav, at),
        Check::Pattern(pat) => cx.pattern(&mut nav, pat),
        Check::PlatformOnly(set) => cx.item_set(spec, &mut nav, set, true),
        Check::RefusedSince(set) => cx.item_set(spec, &mut nav, set, false),
        Check::ExactlyOneOf(g) => cx.group(&mut nav, g, quote!(__present.len() != 1)),
        Check::AtMostOneOf(g) => cx.group(&mut nav, g, quote!(__present.len() > 1)),
        Check::AtLeastOneOf(g) => cx.group(&mut nav, g, quote!(__present.is_empty())),
        Check::Requires(imp) => cx.implication(&mut nav, imp, true),
        Check::Forbids(imp) => cx.implication(&mut nav, imp, false),
    };
    if code.is_empty() {
        return code;
    }
    let code = quote!({ #code });
    match &r.applies_to {
        Some(ps) => {
            let pt = platform_tokens(ps);
            quote!(if __cx.platform_in(#pt) #code)
        }
        None => code,
    }
}

/// What every emitter needs: the shapes, the rule's static and where its
/// paths start.
struct Emit<'a> {
    shapes: &'a Shapes,
    rule: TokenStream,
    start: Pos,
}

impl Emit<'_> {
    fn max_len(&self, nav: &mut Nav<'_>, m: &MaxLen) -> TokenStream {
        let p = private();
        let (rule, shapes, max) = (&self.rule, self.shapes, m.max);
        let (len_fn, unit) = match m.unit {
            Unit::Chars => (quote!(#p::check::len_chars), "characters"),
            Unit::Bytes => (quote!(#p::check::len_bytes), "bytes"),
        };
        let field = m.at.path.last_key().unwrap_or("").to_string();
        nav.walk(self.start.clone(), &m.at.path.segs, &mut |_, pos| {
            let Some(s) = as_str(pos, shapes) else {
                return quote!();
            };
            quote! {
                let __len = #len_fn(#s);
                if __len > #max {
                    let __platform = __cx.platform_name();
                    __cx.report(#rule, &[("len", &__len), ("max", &#max), ("unit", &#unit), ("field", &#field), ("platform", &__platform)]);
                }
            }
        })
    }

    fn items(&self, nav: &mut Nav<'_>, b: &Bounds) -> TokenStream {
        let rule = &self.rule;
        let lo = bound_test(b.min.map(|m| quote!(__n < #m)));
        let hi = bound_test(b.max.map(|m| quote!(__n > #m)));
        let minv = b.min.unwrap_or(0);
        let maxv = match b.max {
            Some(m) => quote!(&#m),
            None => quote!(&"any number of"),
        };
        nav.walk(self.start.clone(), &b.at.path.segs, &mut |_, pos| {
            let Pos::Val(e, RTy::Vec(_)) = pos else {
                return quote!();
            };
            quote! {
                let __n = #e.len() as u64;
                if #lo || #hi {
                    __cx.report(#rule, &[("count", &__n), ("min", &#minv), ("max", #maxv)]);
                }
            }
        })
    }

    fn range(&self, nav: &mut Nav<'_>, b: &Bounds) -> TokenStream {
        let rule = &self.rule;
        // Bounds are whole numbers compared as f64, as the engine does.
        let as_f64 = |m: u64| m as f64;
        let lo = bound_test(b.min.map(as_f64).map(|m| quote!(__x < #m)));
        let hi = bound_test(b.max.map(as_f64).map(|m| quote!(__x > #m)));
        let shown = |m: Option<u64>| match m {
            Some(m) => quote!(&#m),
            None => quote!(&"any"),
        };
        let (minv, maxv) = (shown(b.min), shown(b.max));
        nav.walk(self.start.clone(), &b.at.path.segs, &mut |_, pos| {
            let (x, e) = match pos {
                Pos::Val(e, RTy::Prim(Prim::Integer)) => (quote!(*#e as f64), e),
                Pos::Val(e, RTy::Prim(Prim::Number)) => (quote!(#e.as_f64().unwrap_or(0.0)), e),
                _ => return quote!(),
            };
            quote! {
                let __x: f64 = #x;
                if #lo || #hi {
                    __cx.report(#rule, &[("value", &#e), ("min", #minv), ("max", #maxv)]);
                }
            }
        })
    }

    fn unique_true(&self, nav: &mut Nav<'_>, at: &At) -> TokenStream {
        let p = private();
        let rule = &self.rule;
        let visit = nav.walk(self.start.clone(), &at.path.segs, &mut |_, pos| {
            let Pos::Val(e, RTy::Prim(Prim::Bool)) = pos else {
                return quote!();
            };
            quote! {
                if *#e {
                    __count += 1;
                    if __count == 2 { __second = #p::Some(__cx.pointer()); }
                }
            }
        });
        if visit.is_empty() {
            return visit;
        }
        quote! {
            let mut __count: u64 = 0;
            let mut __second = #p::None;
            #visit
            if let #p::Some(__at) = __second {
                __cx.report_at(#rule, &__at, &[("count", &__count)]);
            }
        }
    }

    fn pattern(&self, nav: &mut Nav<'_>, pat: &Pattern) -> TokenStream {
        let p = private();
        let (rule, shapes) = (&self.rule, self.shapes);
        let (re, name) = (pat.regex.as_str(), &pat.name);
        nav.walk(self.start.clone(), &pat.at.path.segs, &mut |_, pos| {
            let Some(s) = as_str(pos, shapes) else {
                return quote!();
            };
            quote! {
                static __RE: #p::check::LazyRegex = #p::check::LazyRegex::new(#re);
                let __s: &str = #s;
                if !__RE.is_match(__s) {
                    __cx.report(#rule, &[("value", &__s), ("pattern", &#name)]);
                }
            }
        })
    }

    fn group(&self, nav: &mut Nav<'_>, g: &FieldGroup, bad: TokenStream) -> TokenStream {
        let p = private();
        let rule = &self.rule;
        let mut checks = Vec::new();
        for f in &g.fields {
            let flag = nav.fresh("p");
            let visit = nav.walk(
                self.start.clone(),
                &[Seg::Key(f.clone())],
                &mut |_, _| quote!(#flag = true;),
            );
            checks.push((f, flag, visit));
        }
        let decls = checks
            .iter()
            .map(|(_, flag, visit)| quote! { let mut #flag = false; #visit });
        let pairs = checks.iter().map(|(f, flag, _)| quote!((#f, #flag)));
        let n = checks.len();
        let names = &g.fields;
        quote! {
            #(#decls)*
            let __all: [(&'static str, bool); #n] = [#(#pairs),*];
            let __present: #p::Vec<&'static str> = __all.iter().filter(|(_, b)| *b).map(|(k, _)| *k).collect();
            if #bad {
                let __fields = #p::check::list(&[#(#names),*], "or");
                let __shown = #p::check::list(&__present, "and");
                let __count = __present.len();
                match __present.get(1) {
                    #p::Some(__k) => __cx.report_key(#rule, __k, &[("fields", &__fields), ("present", &__shown), ("count", &__count)]),
                    #p::None => __cx.report(#rule, &[("fields", &__fields), ("present", &__shown), ("count", &__count)]),
                }
            }
        }
    }

    /// `requires` (`then` must hold) or `forbids` (`then` must not). The
    /// pointer of a violation is the `when` value for `requires` and the
    /// `then` value for `forbids`, so only that condition records one.
    fn implication(&self, nav: &mut Nav<'_>, imp: &Implication, requires: bool) -> TokenStream {
        let p = private();
        let rule = &self.rule;
        let (wf, tf, at, found) = (
            format_ident!("__w"),
            format_ident!("__t"),
            format_ident!("__at"),
            format_ident!("__found"),
        );
        let (when_at, then_at) = if requires {
            (Some(&at), None)
        } else {
            (None, Some(&at))
        };
        let wc = self.cond_code(nav, &imp.when, &wf, when_at, None);
        let tc = self.cond_code(nav, &imp.then, &tf, then_at, Some(&found));
        let value = match imp.then.test.values() {
            [] => String::new(),
            values => sendapi_core::list(values, "or"),
        };
        let (wtext, ttext) = (imp.when.path.to_string(), imp.then.path.to_string());
        let (broken, field, path) = if requires {
            (quote!(#wf && !#tf), &wtext, &ttext)
        } else {
            (quote!(#wf && #tf), &ttext, &wtext)
        };
        quote! {
            let mut #at: #p::Option<#p::check::Pointer> = #p::None;
            let mut #found: #p::Option<#p::String> = #p::None;
            #wc
            #tc
            if #broken {
                let __found = #found.unwrap_or_else(|| #p::String::from("nothing"));
                let __at = #at.unwrap_or_else(|| __cx.pointer());
                __cx.report_at(#rule, &__at, &[("field", &#field), ("path", &#path), ("value", &#value), ("found", &__found)]);
            }
        }
    }

    /// Code evaluating a condition into `flag` (bool); with `at`, also the
    /// pointer of the first value that satisfies it, and with `found`, a
    /// description of the first value found.
    fn cond_code(
        &self,
        nav: &mut Nav<'_>,
        c: &Condition,
        flag: &Ident,
        at: Option<&Ident>,
        found: Option<&Ident>,
    ) -> TokenStream {
        let p = private();
        let shapes = self.shapes;
        let hit = nav.fresh("hit");
        let record_at = match at {
            Some(at) => quote!(if !#hit { #at = #p::Some(__cx.pointer()); }),
            None => quote!(),
        };
        let visit = nav.walk(self.start.clone(), &c.path.segs, &mut |_, pos| {
            let record_found = match found {
                Some(fd) => {
                    let d = describe(pos, shapes);
                    quote!(if #fd.is_none() { #fd = #p::Some(#d); })
                }
                None => quote!(),
            };
            let matched = match &c.test {
                Test::Present(_) => {
                    return quote! {
                        #record_found
                        #record_at
                        #hit = true;
                    };
                }
                Test::Matches(re) => as_str(pos, shapes).map(|s| {
                    let re = re.as_str();
                    quote! {{
                        static __RE: #p::check::LazyRegex = #p::check::LazyRegex::new(#re);
                        __RE.is_match(#s)
                    }}
                }),
                Test::Equals(_) | Test::In(_) => as_str(pos, shapes).map(|s| {
                    let wanted = c.test.values();
                    quote!(matches!(#s, #(#wanted)|*))
                }),
            };
            match matched {
                Some(m) => quote! {
                    #record_found
                    if #m {
                        #record_at
                        #hit = true;
                    }
                },
                None => record_found,
            }
        });
        let value = match c.test {
            Test::Present(false) => quote!(!#hit),
            _ => quote!(#hit),
        };
        quote! {
            let mut #hit = false;
            #visit
            let #flag = #value;
        }
    }

    /// `platform_only` (`platform`) and `refused_since` read the metadata
    /// of the items at their path, resolved here at generation time.
    fn item_set(
        &self,
        spec: &Spec,
        nav: &mut Nav<'_>,
        set: &ItemSet,
        platform: bool,
    ) -> TokenStream {
        let Ok(targets) = spec.walk(&set.at.on, &set.at.path) else {
            return TokenStream::new();
        };
        let mut items = ItemValues::default();
        for t in &targets {
            items.collect(spec, t, set.values.is_empty());
        }
        items.values.retain(|v| set.covers(&v.value));
        let field = set.at.path.last_key().unwrap_or("").to_string();
        let (rule, shapes) = (&self.rule, self.shapes);
        nav.walk(self.start.clone(), &set.at.path.segs, &mut |_, pos| {
            if platform {
                platform_code(rule, shapes, &items, &field, pos)
            } else {
                refused_code(rule, shapes, &items, pos)
            }
        })
    }
}

/// `false` for a bound that is not there.
fn bound_test(test: Option<TokenStream>) -> TokenStream {
    test.unwrap_or(quote!(false))
}

/// A value an item rule can meet, with its platforms and its refusal.
struct ItemValue {
    value: String,
    platforms: Option<Vec<Platform>>,
    /// The refusal date and replacement, when refused by the snapshot date.
    refused: Option<(String, String)>,
}

#[derive(Default)]
struct ItemValues {
    /// The platforms of the field itself, for `platform_only` rules over a
    /// whole field.
    field_platforms: Option<Vec<Platform>>,
    values: Vec<ItemValue>,
}

impl ItemValues {
    fn collect(&mut self, spec: &Spec, target: &Target, whole_field: bool) {
        let as_of = spec.as_of();
        match target {
            Target::Field { owner, field, ty } => {
                if self.field_platforms.is_none() && whole_field {
                    self.field_platforms =
                        spec.field(owner, field).and_then(|f| f.platforms.clone());
                }
                if let Ty::Named(n) = ty {
                    self.collect_enum(spec, n);
                }
            }
            Target::Item { ty: Ty::Named(n) } => self.collect_enum(spec, n),
            Target::Tag { owner } => {
                for (k, v) in spec.type_def(owner).iter().flat_map(|d| &d.variants) {
                    self.values.push(ItemValue {
                        value: k.get_ref().clone(),
                        platforms: v.platforms.clone(),
                        refused: refusal(as_of, v.refused_since, &v.replacement),
                    });
                }
            }
            _ => {}
        }
    }

    fn collect_enum(&mut self, spec: &Spec, name: &str) {
        let Some(d) = spec.type_def(name) else { return };
        if *d.kind.get_ref() != TypeKind::Enum {
            return;
        }
        // Typed values are canonical: aliases never reach validate().
        for (k, v) in &d.values {
            self.values.push(ItemValue {
                value: k.get_ref().clone(),
                platforms: v.platforms.clone(),
                refused: refusal(spec.as_of(), v.refused_since, &v.replacement),
            });
        }
    }
}

/// The refusal date and replacement of an item refused by `as_of`.
fn refusal(
    as_of: Date,
    date: Option<Date>,
    replacement: &Option<String>,
) -> Option<(String, String)> {
    date.filter(|d| *d <= as_of)
        .map(|d| (d.to_string(), replacement.clone().unwrap_or_default()))
}

fn platform_code(
    rule: &TokenStream,
    shapes: &Shapes,
    items: &ItemValues,
    field: &str,
    pos: &Pos,
) -> TokenStream {
    if let Some(ps) = &items.field_platforms {
        let pt = platform_tokens(ps);
        let names = platform_names(ps);
        return quote! {
            if !__cx.platform_in(#pt) {
                let __platform = __cx.platform_name();
                __cx.report(#rule, &[("field", &#field), ("value", &""), ("platform", &__platform), ("platforms", &#names)]);
            }
        };
    }
    let Some(s) = as_str(pos, shapes) else {
        return TokenStream::new();
    };
    // One match arm per platform set.
    let mut groups: BTreeMap<Vec<Platform>, Vec<&str>> = BTreeMap::new();
    for v in &items.values {
        if let Some(ps) = &v.platforms {
            let mut ps = ps.clone();
            ps.sort();
            groups.entry(ps).or_default().push(&v.value);
        }
    }
    if groups.is_empty() {
        return TokenStream::new();
    }
    let arms = groups.iter().map(|(ps, vs)| {
        let pt = platform_tokens(ps);
        let names = platform_names(ps);
        quote! {
            #(#vs)|* => {
                if !__cx.platform_in(#pt) {
                    let __platform = __cx.platform_name();
                    __cx.report(#rule, &[("field", &#field), ("value", &__s), ("platform", &__platform), ("platforms", &#names)]);
                }
            }
        }
    });
    quote! {
        let __s: &str = #s;
        match __s { #(#arms)* _ => {} }
    }
}

fn refused_code(rule: &TokenStream, shapes: &Shapes, items: &ItemValues, pos: &Pos) -> TokenStream {
    let refused: Vec<(&str, &(String, String))> = items
        .values
        .iter()
        .filter_map(|v| v.refused.as_ref().map(|r| (v.value.as_str(), r)))
        .collect();
    if refused.is_empty() {
        return TokenStream::new();
    }
    let Some(s) = as_str(pos, shapes) else {
        return TokenStream::new();
    };
    let arms = refused.iter().map(|(v, (date, repl))| {
        quote!(#v => __cx.report(#rule, &[("value", &__s), ("date", &#date), ("replacement", &#repl)]),)
    });
    quote! {
        let __s: &str = #s;
        match __s { #(#arms)* _ => {} }
    }
}
