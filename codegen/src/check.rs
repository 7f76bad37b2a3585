//! `validate()`: the rules the types cannot guarantee, compiled to Rust.
//!
//! This is the static interpreter of rule kinds: each kind has one emitter
//! here, as it has one evaluator in the engine. Paths are followed through
//! the generated types (struct fields, keyed variants, tagged variants,
//! carried fields); a path no typed value can reach yields no code. Only
//! error-severity rules are checked: `validate()` answers "would Graph
//! refuse this", and the types already rule out every structural error.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use sendapi_spec::model::{Cond, Platform, Rule, RuleKind, Severity, TypeKind, Unit};
use sendapi_spec::{Path, Prim, Seg, Spec, Target, Ty};

use crate::shapes::{FieldShape, RTy, ShapeKind, Shapes};
use crate::util::{ident, private, rule_static, variant_struct};

/// Where a path has got to.
#[derive(Clone)]
enum Pos {
    /// An expression of type `&T`.
    Val(TokenStream, RTy),
    /// The fields of a struct (a plain one, or a keyed variant's).
    Fields(TokenStream, Vec<FieldShape>, String),
    /// A tag's wire value, an expression of type `&'static str`.
    Tag(TokenStream),
    /// Something present with no value to read.
    Present,
}

struct Nav<'a> {
    shapes: &'a Shapes,
    n: usize,
}

impl Nav<'_> {
    fn fresh(&mut self, base: &str) -> proc_macro2::Ident {
        self.n += 1;
        format_ident!("__{}{}", base, self.n)
    }

    /// Emits code visiting every value `segs` reaches from `pos`, keeping
    /// `__cx`'s pointer in step, and running `body` at each.
    fn walk(
        &mut self,
        pos: Pos,
        segs: &[Seg],
        body: &mut dyn FnMut(&mut Self, &Pos) -> TokenStream,
    ) -> TokenStream {
        let p = private();
        let Some((first, rest)) = segs.split_first() else {
            return body(self, &pos);
        };
        match (first, pos) {
            (Seg::Each, Pos::Val(e, RTy::Vec(inner))) => {
                let i = self.fresh("i");
                let x = self.fresh("x");
                let inner_code = self.walk(Pos::Val(quote!(#x), (*inner).clone()), rest, body);
                if inner_code.is_empty() {
                    return TokenStream::new();
                }
                quote! {
                    for (#i, #x) in #p::Iterator::enumerate(#e.iter()) {
                        __cx.push_index(#i);
                        #inner_code
                        __cx.pop();
                    }
                }
            }
            (Seg::Key(k), Pos::Val(e, RTy::Named(n) | RTy::Boxed(n))) => {
                self.key_on_named(&e, &n, k, rest, body)
            }
            (Seg::Key(k), Pos::Fields(e, fields, owner)) => {
                self.key_on_fields(&e, &fields, &owner, k, rest, body)
            }
            _ => TokenStream::new(),
        }
    }

    fn key_on_named(
        &mut self,
        e: &TokenStream,
        name: &str,
        k: &str,
        rest: &[Seg],
        body: &mut dyn FnMut(&mut Self, &Pos) -> TokenStream,
    ) -> TokenStream {
        let p = private();
        let Some(shape) = self.shapes.get(name) else {
            return TokenStream::new();
        };
        let ty = ident(name);
        match shape.kind.clone() {
            ShapeKind::Struct(fields) => self.key_on_fields(e, &fields, name, k, rest, body),
            ShapeKind::Keyed(variants) => {
                let mut arms = Vec::new();
                for v in &variants {
                    let x = self.fresh("k");
                    let code = self.key_on_fields(&quote!(#x), &v.fields, name, k, rest, body);
                    if !code.is_empty() {
                        let vi = ident(&v.rust);
                        arms.push(quote!(#ty::#vi(#x) => { #code }));
                    }
                }
                if arms.is_empty() {
                    return TokenStream::new();
                }
                quote! {
                    #[allow(unreachable_patterns)]
                    match #e { #(#arms)* _ => {} }
                }
            }
            ShapeKind::Tagged {
                tag,
                content,
                variants,
            } => {
                if k == tag {
                    let t = self.fresh("t");
                    let code = self.walk(Pos::Tag(quote!(#t)), rest, body);
                    if code.is_empty() {
                        return code;
                    }
                    return quote! {{
                        let #t: &'static str = #e.tag();
                        __cx.push_key(#k);
                        #code
                        __cx.pop();
                    }};
                }
                let mut arms = Vec::new();
                for v in &variants {
                    let Some(inner) = &v.inner else { continue };
                    let x = self.fresh("v");
                    let code = if content.as_deref() == Some(k) {
                        let c =
                            self.walk(Pos::Val(quote!(#x), RTy::Named(inner.clone())), rest, body);
                        if c.is_empty() {
                            c
                        } else {
                            quote! { __cx.push_key(#k); #c __cx.pop(); }
                        }
                    } else if content.is_none() {
                        self.key_on_named(&quote!(#x), inner, k, rest, body)
                    } else {
                        TokenStream::new()
                    };
                    if !code.is_empty() {
                        let vi = ident(&v.rust);
                        arms.push(quote!(#ty::#vi(#x) => { #code }));
                    }
                }
                if arms.is_empty() {
                    return TokenStream::new();
                }
                let _ = p;
                quote! {
                    #[allow(unreachable_patterns)]
                    match #e { #(#arms)* _ => {} }
                }
            }
            ShapeKind::Enum(_) => TokenStream::new(),
        }
    }

    fn key_on_fields(
        &mut self,
        e: &TokenStream,
        fields: &[FieldShape],
        owner: &str,
        k: &str,
        rest: &[Seg],
        body: &mut dyn FnMut(&mut Self, &Pos) -> TokenStream,
    ) -> TokenStream {
        let p = private();
        if let Some(f) = fields.iter().find(|f| f.wire == k) {
            let fi = ident(&f.ident);
            let x = self.fresh("f");
            let code = self.walk(Pos::Val(quote!(#x), f.ty.clone()), rest, body);
            if code.is_empty() {
                return code;
            }
            return if f.required {
                quote! {{
                    let #x = &#e.#fi;
                    __cx.push_key(#k);
                    #code
                    __cx.pop();
                }}
            } else {
                quote! {
                    if let #p::Some(#x) = &#e.#fi {
                        __cx.push_key(#k);
                        #code
                        __cx.pop();
                    }
                }
            };
        }
        // A carried field lives inside its carrier's enum value.
        let Some(carrier_wire) = self
            .shapes
            .carried_by
            .get(&(owner.to_string(), k.to_string()))
            .cloned()
        else {
            return TokenStream::new();
        };
        let Some(cf) = fields.iter().find(|f| f.wire == carrier_wire) else {
            return TokenStream::new();
        };
        let Some(en) = cf.ty.named().map(str::to_string) else {
            return TokenStream::new();
        };
        let Some(eshape) = self.shapes.get(&en) else {
            return TokenStream::new();
        };
        let ShapeKind::Enum(values) = eshape.kind.clone() else {
            return TokenStream::new();
        };
        let ety = ident(&en);
        let cfi = ident(&cf.ident);
        let mut out = TokenStream::new();
        for v in values
            .iter()
            .filter(|v| v.carries.as_ref().is_some_and(|c| c.wire == k))
        {
            let c = v.carries.as_ref().expect("filtered");
            let vi = ident(&v.rust);
            let (pat, code) = match &c.inline {
                None => {
                    let x = self.fresh("c");
                    let code = self.walk(Pos::Val(quote!(#x), c.ty.clone()), rest, body);
                    (quote!(#ety::#vi(#x)), code)
                }
                Some(inline) => match rest.split_first() {
                    None => (quote!(#ety::#vi { .. }), body(self, &Pos::Present)),
                    Some((Seg::Key(sub), after)) => {
                        let Some(sf) = inline.iter().find(|f| &f.wire == sub) else {
                            continue;
                        };
                        let x = self.fresh("c");
                        let si = ident(&sf.ident);
                        let inner = self.walk(Pos::Val(quote!(#x), sf.ty.clone()), after, body);
                        if inner.is_empty() {
                            continue;
                        }
                        let inner = quote! { __cx.push_key(#sub); #inner __cx.pop(); };
                        if sf.required {
                            (quote!(#ety::#vi { #si: #x, .. }), inner)
                        } else {
                            (quote!(#ety::#vi { #si: #p::Some(#x), .. }), inner)
                        }
                    }
                    Some(_) => continue,
                },
            };
            if code.is_empty() {
                continue;
            }
            let target = if cf.required {
                quote!(&#e.#cfi)
            } else {
                quote!(#e.#cfi.as_ref())
            };
            let pat = if cf.required {
                pat
            } else {
                quote!(#p::Some(#pat))
            };
            out.extend(quote! {
                if let #pat = #target {
                    __cx.push_key(#k);
                    #code
                    __cx.pop();
                }
            });
        }
        out
    }
}

/// An expression reading a position as `&str`, when it has a string value.
fn as_str(pos: &Pos, shapes: &Shapes) -> Option<TokenStream> {
    match pos {
        Pos::Tag(t) => Some(t.clone()),
        Pos::Val(e, RTy::Prim(Prim::String | Prim::Id | Prim::StringOrNumber)) => {
            Some(quote!(#e.as_str()))
        }
        Pos::Val(e, RTy::Prim(Prim::Bool)) => Some(quote!(if *#e { "true" } else { "false" })),
        Pos::Val(e, RTy::Named(n))
            if matches!(shapes.get(n).map(|s| &s.kind), Some(ShapeKind::Enum(_))) =>
        {
            Some(quote!(#e.as_str()))
        }
        _ => None,
    }
}

/// An expression describing a position for `{found}`.
fn describe(pos: &Pos, shapes: &Shapes) -> TokenStream {
    let p = private();
    match pos {
        Pos::Val(e, RTy::Prim(Prim::Bool)) => quote!(#p::check::describe_bool(*#e)),
        Pos::Val(e, RTy::Prim(Prim::Number)) => quote!(#p::check::describe_number(#e)),
        Pos::Val(e, RTy::Prim(Prim::Integer)) => quote!(#p::check::describe_integer(*#e)),
        Pos::Val(e, RTy::Vec(_)) => quote!(#p::check::describe_array(#e.len())),
        _ => match as_str(pos, shapes) {
            Some(s) => quote!(#p::check::describe_str(#s)),
            None => quote!(#p::String::from("an object")),
        },
    }
}

fn platform_tokens(ps: &[Platform]) -> TokenStream {
    let p = private();
    let items = ps.iter().map(|x| match x {
        Platform::Messenger => quote!(#p::Platform::Messenger),
        Platform::Instagram => quote!(#p::Platform::Instagram),
    });
    quote!(&[#(#items),*])
}

fn platform_names(ps: &[Platform]) -> String {
    ps.iter()
        .map(|p| p.display_name())
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Code evaluating a condition into `flag` (bool), `at` (pointer of the
/// first value found) and, when `describe_into` is given, a description of
/// the first value.
fn cond_code(
    nav: &mut Nav<'_>,
    start: &Pos,
    c: &Cond,
    flag: &proc_macro2::Ident,
    at: &proc_macro2::Ident,
    found: Option<&proc_macro2::Ident>,
) -> TokenStream {
    let p = private();
    let Ok(path) = Path::parse(c.path.get_ref()) else {
        return quote!();
    };
    let hit = nav.fresh("hit");
    let wanted: Vec<String> = c
        .equals
        .iter()
        .chain(c.one_of.iter().flatten())
        .cloned()
        .collect();
    let shapes = nav.shapes;
    let visit = nav.walk(start.clone(), &path.segs, &mut |_, pos| {
        let record_found = match found {
            Some(fd) => {
                let d = describe(pos, shapes);
                quote!(if #fd.is_none() { #fd = #p::Some(#d); })
            }
            None => quote!(),
        };
        if c.present.is_some() {
            quote! {
                #record_found
                if !#hit { #at = #p::Some(__cx.pointer()); }
                #hit = true;
            }
        } else if let Some(m) = &c.matches {
            let pattern = m.get_ref();
            match as_str(pos, shapes) {
                Some(s) => quote! {
                    #record_found
                    static __RE: #p::check::LazyRegex = #p::check::LazyRegex::new(#pattern);
                    if __RE.is_match(#s) {
                        if !#hit { #at = #p::Some(__cx.pointer()); }
                        #hit = true;
                    }
                },
                None => record_found,
            }
        } else {
            match as_str(pos, shapes) {
                Some(s) => quote! {
                    #record_found
                    if matches!(#s, #(#wanted)|*) {
                        if !#hit { #at = #p::Some(__cx.pointer()); }
                        #hit = true;
                    }
                },
                None => record_found,
            }
        }
    });
    let value = match c.present {
        Some(false) => quote!(!#hit),
        _ => quote!(#hit),
    };
    quote! {
        let mut #hit = false;
        #visit
        let #flag = #value;
    }
}

/// Code checking one rule on `self` (a value of `on`).
fn rule_code(spec: &Spec, shapes: &Shapes, on: &str, r: &Rule) -> TokenStream {
    let p = private();
    let rs = rule_static(r.id.get_ref());
    let rule = quote!(&__rules::#rs);
    let mut nav = Nav { shapes, n: 0 };
    let start = match shapes.get(on).map(|s| &s.kind) {
        Some(ShapeKind::Struct(fields)) => {
            Pos::Fields(quote!(self), fields.clone(), on.to_string())
        }
        _ => Pos::Val(quote!(self), RTy::Named(on.to_string())),
    };
    let path = r
        .path
        .as_ref()
        .and_then(|p| Path::parse(p.get_ref()).ok())
        .unwrap_or_default();
    let code = match r.kind.get_ref() {
        RuleKind::MaxLen => {
            let max = r.max.unwrap_or(u64::MAX);
            let (len_fn, unit) = match r.unit.unwrap_or_default() {
                Unit::Chars => (quote!(#p::check::len_chars), "characters"),
                Unit::Bytes => (quote!(#p::check::len_bytes), "bytes"),
            };
            let field = path.last_key().unwrap_or("").to_string();
            nav.walk(start, &path.segs, &mut |_, pos| {
                let Some(s) = as_str(pos, shapes) else { return quote!() };
                quote! {
                    let __len = #len_fn(#s);
                    if __len > #max {
                        let __platform = __cx.platform_name();
                        __cx.report(#rule, &[("len", &__len), ("max", &#max), ("unit", &#unit), ("field", &#field), ("platform", &__platform)]);
                    }
                }
            })
        }
        RuleKind::Items => {
            let (min, max) = (r.min, r.max);
            nav.walk(start, &path.segs, &mut |_, pos| {
                let Pos::Val(e, RTy::Vec(_)) = pos else {
                    return quote!();
                };
                let lo = min.map(|m| quote!(__n < #m)).unwrap_or(quote!(false));
                let hi = max.map(|m| quote!(__n > #m)).unwrap_or(quote!(false));
                let minv = min.unwrap_or(0);
                let maxv: TokenStream = match max {
                    Some(m) => quote!(&#m),
                    None => quote!(&"any number of"),
                };
                quote! {
                    let __n = #e.len() as u64;
                    if #lo || #hi {
                        __cx.report(#rule, &[("count", &__n), ("min", &#minv), ("max", #maxv)]);
                    }
                }
            })
        }
        RuleKind::Range => {
            let (min, max) = (r.min, r.max);
            nav.walk(start, &path.segs, &mut |_, pos| {
                let x = match pos {
                    Pos::Val(e, RTy::Prim(Prim::Integer)) => quote!(*#e as f64),
                    Pos::Val(e, RTy::Prim(Prim::Number)) => quote!(#e.as_f64().unwrap_or(0.0)),
                    _ => return quote!(),
                };
                let shown = match pos {
                    Pos::Val(e, _) => quote!(#e),
                    _ => quote!(""),
                };
                let lo = min
                    .map(|m| {
                        let m = m as f64;
                        quote!(__x < #m)
                    })
                    .unwrap_or(quote!(false));
                let hi = max
                    .map(|m| {
                        let m = m as f64;
                        quote!(__x > #m)
                    })
                    .unwrap_or(quote!(false));
                let minv: TokenStream = match min {
                    Some(m) => quote!(&#m),
                    None => quote!(&"any"),
                };
                let maxv: TokenStream = match max {
                    Some(m) => quote!(&#m),
                    None => quote!(&"any"),
                };
                quote! {
                    let __x: f64 = #x;
                    if #lo || #hi {
                        __cx.report(#rule, &[("value", &#shown), ("min", #minv), ("max", #maxv)]);
                    }
                }
            })
        }
        RuleKind::UniqueTrue => {
            let visit = nav.walk(start, &path.segs, &mut |_, pos| {
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
                visit
            } else {
                quote! {
                    let mut __count: u64 = 0;
                    let mut __second = #p::None;
                    #visit
                    if let #p::Some(__at) = __second {
                        __cx.report_at(#rule, &__at, &[("count", &__count)]);
                    }
                }
            }
        }
        RuleKind::Pattern => {
            let pattern = r
                .pattern
                .as_ref()
                .map(|p| p.get_ref().clone())
                .unwrap_or_default();
            let name = r.pattern_name.clone().unwrap_or_else(|| pattern.clone());
            nav.walk(start, &path.segs, &mut |_, pos| {
                let Some(s) = as_str(pos, shapes) else {
                    return quote!();
                };
                quote! {
                    static __RE: #p::check::LazyRegex = #p::check::LazyRegex::new(#pattern);
                    let __s: &str = #s;
                    if !__RE.is_match(__s) {
                        __cx.report(#rule, &[("value", &__s), ("pattern", &#name)]);
                    }
                }
            })
        }
        RuleKind::PlatformOnly | RuleKind::RefusedSince => {
            item_rule(spec, shapes, &mut nav, start, on, r, &path)
        }
        RuleKind::ExactlyOneOf | RuleKind::AtMostOneOf | RuleKind::AtLeastOneOf => {
            let mut checks = Vec::new();
            let names: Vec<String> = r.fields.iter().map(|f| f.get_ref().clone()).collect();
            for f in &names {
                let flag = nav.fresh("p");
                let visit = nav.walk(
                    start.clone(),
                    &[Seg::Key(f.clone())],
                    &mut |_, _| quote!(#flag = true;),
                );
                checks.push((f.clone(), flag, visit));
            }
            let decls = checks
                .iter()
                .map(|(_, flag, visit)| quote! { let mut #flag = false; #visit });
            let pairs = checks.iter().map(|(f, flag, _)| quote!((#f, #flag)));
            let n = checks.len();
            let bad = match r.kind.get_ref() {
                RuleKind::ExactlyOneOf => quote!(__present.len() != 1),
                RuleKind::AtMostOneOf => quote!(__present.len() > 1),
                _ => quote!(__present.is_empty()),
            };
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
        RuleKind::Requires | RuleKind::Forbids => {
            let (Some(w), Some(t)) = (&r.when, &r.then) else {
                return quote!();
            };
            let (wf, wa) = (format_ident!("__w"), format_ident!("__wat"));
            let (tf, ta, found) = (
                format_ident!("__t"),
                format_ident!("__tat"),
                format_ident!("__found"),
            );
            let wc = cond_code(&mut nav, &start, w, &wf, &wa, None);
            let tc = cond_code(&mut nav, &start, t, &tf, &ta, Some(&found));
            let value = {
                let vs: Vec<String> = t
                    .equals
                    .iter()
                    .chain(t.one_of.iter().flatten())
                    .cloned()
                    .collect();
                if vs.is_empty() {
                    String::new()
                } else {
                    list_text(&vs, "or")
                }
            };
            let (wtext, ttext) = (w.path.get_ref().clone(), t.path.get_ref().clone());
            let report = if *r.kind.get_ref() == RuleKind::Requires {
                quote! {
                    if #wf && !#tf {
                        let __found = #found.unwrap_or_else(|| #p::String::from("nothing"));
                        let __at = #wa.unwrap_or_else(|| __cx.pointer());
                        __cx.report_at(#rule, &__at, &[("field", &#wtext), ("path", &#ttext), ("value", &#value), ("found", &__found)]);
                    }
                }
            } else {
                quote! {
                    if #wf && #tf {
                        let __found = #found.unwrap_or_else(|| #p::String::from("nothing"));
                        let __at = #ta.unwrap_or_else(|| __cx.pointer());
                        __cx.report_at(#rule, &__at, &[("field", &#ttext), ("path", &#wtext), ("value", &#value), ("found", &__found)]);
                    }
                }
            };
            quote! {
                let mut #wa: #p::Option<#p::check::Pointer> = #p::None;
                let mut #ta: #p::Option<#p::check::Pointer> = #p::None;
                let mut #found: #p::Option<#p::String> = #p::None;
                #wc
                #tc
                let _ = &#ta;
                let _ = &#wa;
                #report
            }
        }
        _ => quote!(),
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

fn list_text(items: &[String], joiner: &str) -> String {
    match items.len() {
        0 => String::new(),
        1 => format!("`{}`", items[0]),
        n => {
            let head: Vec<String> = items[..n - 1].iter().map(|s| format!("`{s}`")).collect();
            format!("{} {joiner} `{}`", head.join(", "), items[n - 1])
        }
    }
}

/// A value, its platforms, and its refusal (date, replacement).
type ItemValue = (String, Option<Vec<Platform>>, Option<(String, String)>);

/// `platform_only` and `refused_since` read the metadata of the items at
/// their path, resolved here at generation time.
fn item_rule(
    spec: &Spec,
    shapes: &Shapes,
    nav: &mut Nav<'_>,
    start: Pos,
    on: &str,
    r: &Rule,
    path: &Path,
) -> TokenStream {
    let p = private();
    let rs = rule_static(r.id.get_ref());
    let rule = quote!(&__rules::#rs);
    let Ok(targets) = spec.walk(on, path) else {
        return quote!();
    };
    let wanted = |v: &str| r.values.is_empty() || r.values.iter().any(|w| w == v);
    // value -> (platforms | (date, replacement))
    let mut field_platforms: Option<Vec<Platform>> = None;
    let mut values: Vec<ItemValue> = Vec::new();
    let as_of = spec.as_of();
    let push_enum = |name: &str, values: &mut Vec<ItemValue>| {
        if let Some(d) = spec.type_def(name)
            && *d.kind.get_ref() == TypeKind::Enum
        {
            for (k, v) in &d.values {
                // Typed values are canonical: aliases never reach validate().
                let refused = v
                    .refused_since
                    .filter(|d| *d <= as_of)
                    .map(|d| (d.to_string(), v.replacement.clone().unwrap_or_default()));
                values.push((k.get_ref().clone(), v.platforms.clone(), refused));
            }
        }
    };
    for t in &targets {
        match t {
            Target::Field { owner, field, ty } => {
                if field_platforms.is_none() && r.values.is_empty() {
                    field_platforms = spec.field(owner, field).and_then(|f| f.platforms.clone());
                }
                if let Ty::Named(n) = ty {
                    push_enum(n, &mut values);
                }
            }
            Target::Item { ty: Ty::Named(n) } => push_enum(n, &mut values),
            Target::Tag { owner } => {
                if let Some(d) = spec.type_def(owner) {
                    for (k, v) in &d.variants {
                        let refused = v
                            .refused_since
                            .filter(|d| *d <= as_of)
                            .map(|d| (d.to_string(), v.replacement.clone().unwrap_or_default()));
                        values.push((k.get_ref().clone(), v.platforms.clone(), refused));
                    }
                }
            }
            _ => {}
        }
    }
    values.retain(|(v, _, _)| wanted(v));
    let platform_rule = *r.kind.get_ref() == RuleKind::PlatformOnly;
    nav.walk(start, &path.segs, &mut |_, pos| {
        let mut out = TokenStream::new();
        if platform_rule {
            if let Some(ps) = &field_platforms {
                let pt = platform_tokens(ps);
                let names = platform_names(ps);
                let field = path.last_key().unwrap_or("").to_string();
                out.extend(quote! {
                    if !__cx.platform_in(#pt) {
                        let __platform = __cx.platform_name();
                        __cx.report(#rule, &[("field", &#field), ("value", &""), ("platform", &__platform), ("platforms", &#names)]);
                    }
                });
                return out;
            }
            let Some(s) = as_str(pos, shapes) else { return out };
            // Group values by platform set.
            let mut groups: BTreeMap<Vec<Platform>, Vec<String>> = BTreeMap::new();
            for (v, ps, _) in &values {
                if let Some(ps) = ps {
                    let mut ps = ps.clone();
                    ps.sort();
                    groups.entry(ps).or_default().push(v.clone());
                }
            }
            if groups.is_empty() {
                return out;
            }
            let field = path.last_key().unwrap_or("").to_string();
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
            out.extend(quote! {
                let __s: &str = #s;
                match __s { #(#arms)* _ => {} }
            });
        } else {
            let refused: Vec<(&String, &(String, String))> = values.iter().filter_map(|(v, _, r)| r.as_ref().map(|r| (v, r))).collect();
            if refused.is_empty() {
                return out;
            }
            let Some(s) = as_str(pos, shapes) else { return out };
            let arms = refused.iter().map(|(v, (date, repl))| {
                quote!(#v => __cx.report(#rule, &[("value", &__s), ("date", &#date), ("replacement", &#repl)]),)
            });
            out.extend(quote! {
                let __s: &str = #s;
                match __s { #(#arms)* _ => {} }
            });
        }
        let _ = &p;
        out
    })
}

/// `Validate` for every type.
pub fn validate(spec: &Spec, shapes: &Shapes) -> TokenStream {
    let p = private();
    let mut out = TokenStream::new();
    let mut rules_on: BTreeMap<String, Vec<&Rule>> = BTreeMap::new();
    for r in spec.rules() {
        if *r.severity.get_ref() != Severity::Error || shapes.structural.contains(r.id.get_ref()) {
            continue;
        }
        if let Some(on) = &r.on {
            rules_on.entry(on.get_ref().clone()).or_default().push(r);
        }
    }
    for s in &shapes.types {
        let ty = ident(&s.name);
        let rules: Vec<TokenStream> = rules_on
            .get(&s.name)
            .map(|rs| {
                rs.iter()
                    .map(|r| rule_code(spec, shapes, &s.name, r))
                    .collect()
            })
            .unwrap_or_default();
        let children = children(shapes, &s.name);
        let body = quote! { #children #(#rules)* };
        out.extend(quote! {
            impl #p::check::Validate for #ty {
                #[allow(unused_variables, clippy::match_single_binding, clippy::collapsible_if, clippy::collapsible_match)]
                fn validate_into(&self, __cx: &mut #p::check::Cx) {
                    #body
                }
            }
        });
        // Keyed variant structs validate their own children.
        if let ShapeKind::Keyed(vs) = &s.kind {
            for v in vs {
                let sty = ident(&variant_struct(shapes, &s.name, &v.rust));
                let ch = fields_children(shapes, &quote!(self), &v.fields);
                out.extend(quote! {
                    impl #p::check::Validate for #sty {
                        #[allow(unused_variables)]
                        fn validate_into(&self, __cx: &mut #p::check::Cx) {
                            #ch
                        }
                    }
                });
            }
        }
    }
    out
}

fn needs_visit(shapes: &Shapes, t: &RTy) -> bool {
    match t {
        RTy::Prim(_) => false,
        RTy::Vec(inner) => needs_visit(shapes, inner),
        RTy::Named(n) | RTy::Boxed(n) => match shapes.get(n).map(|s| &s.kind) {
            Some(ShapeKind::Enum(values)) => values.iter().any(|v| v.carries.is_some()),
            Some(_) => true,
            None => false,
        },
    }
}

fn is_carrier(shapes: &Shapes, t: &RTy) -> bool {
    matches!(t, RTy::Named(n) if matches!(shapes.get(n).map(|s| &s.kind), Some(ShapeKind::Enum(values)) if values.iter().any(|v| v.carries.is_some())))
}

fn fields_children(shapes: &Shapes, e: &TokenStream, fields: &[FieldShape]) -> TokenStream {
    let p = private();
    let visits = fields
        .iter()
        .filter(|f| needs_visit(shapes, &f.ty))
        .map(|f| {
            let i = ident(&f.ident);
            let w = &f.wire;
            // A carrier's values push their carried sibling's key themselves.
            if is_carrier(shapes, &f.ty) {
                return if f.required {
                    quote!(#p::check::Validate::validate_into(&#e.#i, __cx);)
                } else {
                    quote! {
                        if let #p::Some(__x) = &#e.#i {
                            #p::check::Validate::validate_into(__x, __cx);
                        }
                    }
                };
            }
            if f.required {
                quote! {
                    __cx.push_key(#w);
                    #p::check::Validate::validate_into(&#e.#i, __cx);
                    __cx.pop();
                }
            } else {
                quote! {
                    if let #p::Some(__x) = &#e.#i {
                        __cx.push_key(#w);
                        #p::check::Validate::validate_into(__x, __cx);
                        __cx.pop();
                    }
                }
            }
        });
    quote!(#(#visits)*)
}

/// Visits the values a type holds, so that their own rules run.
fn children(shapes: &Shapes, name: &str) -> TokenStream {
    let p = private();
    let Some(s) = shapes.get(name) else {
        return quote!();
    };
    let ty = ident(name);
    match &s.kind {
        ShapeKind::Struct(fields) => fields_children(shapes, &quote!(self), fields),
        ShapeKind::Keyed(vs) => {
            let arms = vs.iter().map(|v| {
                let vi = ident(&v.rust);
                quote!(#ty::#vi(__x) => #p::check::Validate::validate_into(__x, __cx),)
            });
            quote!(match self { #(#arms)* })
        }
        ShapeKind::Tagged {
            content, variants, ..
        } => {
            let arms = variants.iter().filter_map(|v| {
                let inner = v.inner.as_ref()?;
                shapes.get(inner)?;
                let vi = ident(&v.rust);
                Some(match content {
                    Some(c) => quote!(#ty::#vi(__x) => { __cx.push_key(#c); #p::check::Validate::validate_into(__x, __cx); __cx.pop(); }),
                    None => quote!(#ty::#vi(__x) => #p::check::Validate::validate_into(__x, __cx),),
                })
            });
            quote! {
                #[allow(unreachable_patterns)]
                match self { #(#arms)* _ => {} }
            }
        }
        ShapeKind::Enum(values) => {
            // Carried values hold other typed values (a tag, a payload).
            let arms = values.iter().filter_map(|v| {
                let c = v.carries.as_ref()?;
                let vi = ident(&v.rust);
                let w = &c.wire;
                match &c.inline {
                    None if needs_visit(shapes, &c.ty) => Some(quote!(#ty::#vi(__x) => { __cx.push_key(#w); #p::check::Validate::validate_into(__x, __cx); __cx.pop(); })),
                    _ => None,
                }
            });
            quote! {
                #[allow(unreachable_patterns)]
                match self { #(#arms)* _ => {} }
            }
        }
    }
}

/// Code setting a local `__hit` when `segs` (from `root`, bound to `this`)
/// reaches a value in `wanted` (or any value, for a presence test).
pub fn walk_strs(
    shapes: &Shapes,
    root: &str,
    segs: &[Seg],
    wanted: &[String],
    present: Option<bool>,
) -> TokenStream {
    let mut nav = Nav { shapes, n: 0 };
    let start = Pos::Val(quote!(this), RTy::Named(root.to_string()));
    nav.walk(start, segs, &mut |_, pos| {
        if present.is_some() {
            return quote!(__hit = true;);
        }
        match as_str(pos, shapes) {
            Some(s) => quote!(if matches!(#s, #(#wanted)|*) {
                __hit = true;
            }),
            None => quote!(),
        }
    })
}
