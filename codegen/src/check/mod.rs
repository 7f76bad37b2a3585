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
use sendapi_spec::model::{Platform, Severity};
use sendapi_spec::{Prim, Rule, Seg, Spec};

use crate::shapes::{FieldShape, KeyedVariant, RTy, ShapeKind, Shapes};
use crate::util::{ident, private, rule_static, variant_struct};

mod rules;

use rules::rule_code;

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
        self.carried_key(e, fields, owner, k, rest, body)
    }

    /// A key that is a carried field: it lives inside its carrier's enum
    /// value, so the check matches each value that carries it.
    fn carried_key(
        &mut self,
        e: &TokenStream,
        fields: &[FieldShape],
        owner: &str,
        k: &str,
        rest: &[Seg],
        body: &mut dyn FnMut(&mut Self, &Pos) -> TokenStream,
    ) -> TokenStream {
        let p = private();
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

/// `Validate` for every type.
pub fn validate(spec: &Spec, shapes: &Shapes) -> TokenStream {
    let p = private();
    let mut out = TokenStream::new();
    let mut rules_on: BTreeMap<String, Vec<&Rule>> = BTreeMap::new();
    for r in spec.rules() {
        if r.severity != Severity::Error || shapes.structural.contains(&r.id) {
            continue;
        }
        if let Some(on) = r.on() {
            rules_on.entry(on.to_string()).or_default().push(r);
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
                #[inline]
                fn validate_into(&self, __cx: &mut #p::check::Cx) {
                    #body
                }
            }
        });
        // Keyed variant structs validate their own children.
        if let ShapeKind::Keyed(vs) = &s.kind {
            for v in vs {
                let sty = ident(&variant_struct(&s.name, &v.rust));
                let ch = fields_children(shapes, &quote!(self), &v.fields);
                out.extend(quote! {
                    impl #p::check::Validate for #sty {
                        #[allow(unused_variables)]
                        #[inline]
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

/// A form whose key is a multipart part has no key in its JSON: unless the
/// request carries that part, it breaks the union's exactly-one rule as the
/// engine sees it (no key present).
fn part_check(shapes: &Shapes, name: &str, vs: &[KeyedVariant], v: &KeyedVariant) -> TokenStream {
    let p = private();
    let (Some(part), Some(rule)) = (&v.part, shapes.keyed_rule.get(name)) else {
        return quote!();
    };
    let rs = rule_static(rule);
    let keys: Vec<&str> = vs.iter().map(|o| o.key.as_str()).collect();
    quote! {
        if !__cx.has_part(#part) {
            let __fields = #p::check::list(&[#(#keys),*], "or");
            __cx.report(&__rules::#rs, &[("fields", &__fields), ("present", &"none"), ("count", &0usize)]);
        }
    }
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
                let part = part_check(shapes, name, vs, v);
                if part.is_empty() {
                    quote!(#ty::#vi(__x) => #p::check::Validate::validate_into(__x, __cx),)
                } else {
                    quote!(#ty::#vi(__x) => { #part #p::check::Validate::validate_into(__x, __cx); })
                }
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
