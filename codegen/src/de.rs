//! Typed deserialization: `FromJson` for every type.
//!
//! It mirrors the engine's structural walk (unknown keys, types with the
//! documented coercions, enum values, required fields, the one key of a
//! keyed union, fields a variant does not take, carried fields), reporting
//! under the same rule ids, so that "deserializes, then `validate()` passes"
//! means what `sendapi validate` means by valid.

use proc_macro2::TokenStream;
use quote::quote;
use sendapi_spec::Prim;
use sendapi_spec::Spec;
use sendapi_spec::model::Status;

use crate::shapes::{FieldShape, RTy, Shape, ShapeKind, Shapes, TagVariant};
use crate::util::{ident, private, rule_static, variant_struct};

/// An expression parsing `v` (a `&Value`) as type `t`, giving `Option<T>`.
pub fn parse_expr(t: &RTy, v: &TokenStream) -> TokenStream {
    let p = private();
    match t {
        RTy::Prim(Prim::String) => quote!(__cx.string(#v)),
        RTy::Prim(Prim::Id) => quote!(__cx.id(#v)),
        RTy::Prim(Prim::StringOrNumber) => quote!(__cx.string_or_number(#v)),
        RTy::Prim(Prim::Bool) => quote!(__cx.boolean(#v)),
        RTy::Prim(Prim::Number) => quote!(__cx.number(#v)),
        RTy::Prim(Prim::Integer) => quote!(__cx.integer(#v)),
        RTy::Prim(Prim::Json) => quote!(__cx.json(#v)),
        RTy::Named(n) => {
            let i = ident(n);
            quote!(<#i as #p::de::FromJson>::from_json(#v, __cx))
        }
        RTy::Boxed(n) => {
            let i = ident(n);
            quote!(#p::Option::map(<#i as #p::de::FromJson>::from_json(#v, __cx), #p::Box::new))
        }
        RTy::Vec(inner) => {
            let item = parse_expr(inner, &quote!(__item));
            quote!(__cx.array(#v, |__item, __cx| #item))
        }
    }
}

fn is_carrier(shapes: &Shapes, t: &RTy) -> bool {
    match t {
        RTy::Named(n) => shapes.get(n).is_some_and(|s| match &s.kind {
            ShapeKind::Enum(vals) => vals.iter().any(|v| v.carries.is_some()),
            _ => false,
        }),
        _ => false,
    }
}

fn rule_ref(id: &str) -> TokenStream {
    let r = rule_static(id);
    quote!(&__rules::#r)
}

/// `__from_map` for a struct (a plain object or a keyed variant).
/// `owner` is the spec type (for carried fields and messages), `name` the
/// Rust struct, `excluded` the owner's fields this struct does not take.
// Long because most of it is one `quote!` template of generated code, kept
// whole so that the generated function reads top to bottom here too.
fn struct_from_map(
    spec: &Spec,
    shapes: &Shapes,
    owner: &str,
    name: &str,
    fields: &[FieldShape],
    excluded: &[(String, String)],
    open: bool,
) -> TokenStream {
    let p = private();
    let ty = ident(name);
    let owner_shown = owner;
    let def = spec.type_def(owner);
    let transport: Vec<String> = def
        .map(|d| {
            d.fields
                .iter()
                .filter(|(_, f)| f.status == Status::Transport)
                .map(|(k, _)| k.get_ref().clone())
                .collect()
        })
        .unwrap_or_default();
    let carried: Vec<(String, String)> = shapes
        .carried_by
        .iter()
        .filter(|((o, _), _)| o == owner)
        .map(|((_, c), carrier)| (c.clone(), carrier.clone()))
        .collect();
    let expected: Vec<&str> = def
        .map(|d| d.fields.keys().map(|k| k.get_ref().as_str()).collect())
        .unwrap_or_default();
    let locals = fields.iter().map(|f| {
        let l = ident(&format!("__f_{}", f.ident));
        let t = crate::util::rty(&f.ty);
        quote!(let mut #l: #p::Option<#t> = #p::None;)
    });
    let arms = fields.iter().map(|f| {
        let l = ident(&format!("__f_{}", f.ident));
        let w = &f.wire;
        let parse = if is_carrier(shapes, &f.ty) {
            let n = ident(f.ty.named().unwrap_or_default());
            quote!(#n::__from_carrier(#w, __v, __map, __cx))
        } else {
            let pe = parse_expr(&f.ty, &quote!(__v));
            quote!({ __cx.enter(#w); let __r = #pe; __cx.leave(); __r })
        };
        quote! {
            #w => {
                if !__v.is_null() {
                    #l = #parse;
                    __ok &= #l.is_some();
                }
            }
        }
    });
    let carried_arms = carried.iter().map(|(c, _)| quote!(#c => {}));
    let transport_arms = transport.iter().map(|t| quote!(#t => {}));
    let excluded_arms = excluded.iter().map(|(f, rule)| {
        let r = rule_ref(rule);
        quote! {
            #f => {
                if !__v.is_null() {
                    __cx.rule(#r, #p::Some(#f), &[("field", &#f)]);
                    __ok = false;
                }
            }
        }
    });
    let unknown = if open {
        quote!(__other => {
            if __skip != #p::Some(__other) {
                __unknown_fields.insert(__other.to_string(), __v.clone());
            }
        })
    } else {
        quote! {
            __other => {
                if __skip != #p::Some(__other) {
                    __cx.unknown(__other, #owner_shown, &[#(#expected),*]);
                    __ok = false;
                }
            }
        }
    };
    // A carried field present although its carrier does not hold the value
    // that carries it.
    let carried_checks = carried.iter().map(|(c, carrier)| {
        let rules = shapes.carried_rules.get(&(owner.to_string(), c.clone()));
        let Some(forward) = rules.and_then(|r| r.0.clone()) else {
            return quote!();
        };
        let r = rule_ref(&forward);
        let carrier_field = fields.iter().find(|f| &f.wire == carrier);
        let consumed = match carrier_field {
            Some(cf) => {
                let l = ident(&format!("__f_{}", cf.ident));
                let n = ident(cf.ty.named().unwrap_or_default());
                quote!(#l.as_ref().is_some_and(|__c| #n::__carries(__c, #c)))
            }
            None => quote!(false),
        };
        let failed = match carrier_field {
            Some(cf) => {
                let l = ident(&format!("__f_{}", cf.ident));
                quote!((#l.is_none() && #p::de::present(__map, #carrier)))
            }
            None => quote!(false),
        };
        quote! {
            if #p::de::present(__map, #c) && !#consumed && !#failed {
                let __found = #p::de::describe_at(__map, #carrier);
                __cx.rule(#r, #p::Some(#c), &[("field", &#c), ("found", &__found)]);
                __ok = false;
            }
        }
    });
    let required = fields.iter().filter(|f| f.required).map(|f| {
        let l = ident(&format!("__f_{}", f.ident));
        let w = &f.wire;
        quote! {
            if #l.is_none() && !#p::de::present(__map, #w) {
                __cx.missing(#w, #owner_shown);
                __ok = false;
            }
        }
    });
    let (extra_local, extra_init) = if open {
        (
            quote!(let mut __unknown_fields: #p::Map<#p::String, #p::Value> = #p::Map::new();),
            quote!(unknown_fields: __unknown_fields,),
        )
    } else {
        (quote!(), quote!())
    };
    let builds = fields.iter().filter(|f| f.required).map(|f| {
        let l = ident(&format!("__f_{}", f.ident));
        quote!(let #p::Some(#l) = #l else { return #p::None };)
    });
    let inits = fields.iter().map(|f| {
        let i = ident(&f.ident);
        let l = ident(&format!("__f_{}", f.ident));
        quote!(#i: #l)
    });
    quote! {
        impl #ty {
            #[doc(hidden)]
            #[allow(unused_mut, clippy::match_single_binding)]
            #[inline]
            pub fn __from_map(
                __map: &#p::Map<#p::String, #p::Value>,
                __skip: #p::Option<&str>,
                __cx: &mut #p::de::Cx,
            ) -> #p::Option<Self> {
                let mut __ok = true;
                #(#locals)*
                #extra_local
                for (__k, __v) in __map {
                    match __k.as_str() {
                        #(#arms)*
                        #(#carried_arms)*
                        #(#transport_arms)*
                        #(#excluded_arms)*
                        #unknown
                    }
                }
                #(#carried_checks)*
                #(#required)*
                if !__ok {
                    return #p::None;
                }
                #(#builds)*
                #p::Some(#ty { #(#inits,)* #extra_init })
            }
        }

        impl #p::de::FromJson for #ty {
            #[inline]
            fn from_json(__v: &#p::Value, __cx: &mut #p::de::Cx) -> #p::Option<Self> {
                let __map = __cx.object(__v, #owner_shown)?;
                Self::__from_map(__map, #p::None, __cx)
            }
        }
    }
}

fn keyed_from_map(
    spec: &Spec,
    shapes: &Shapes,
    shape: &Shape,
    variants: &[crate::shapes::KeyedVariant],
) -> TokenStream {
    let p = private();
    let name = &shape.name;
    let ty = ident(name);
    let mut out = TokenStream::new();
    for v in variants {
        let sname = variant_struct(name, &v.rust);
        let excluded = shapes
            .excluded
            .get(&(name.clone(), v.key.clone()))
            .cloned()
            .unwrap_or_default();
        // The other keys are reported by the union's exactly-one check, not here.
        let mut excluded = excluded;
        // A part's key is not a JSON key: in the body it is unknown.
        for o in variants
            .iter()
            .filter(|o| o.key != v.key && o.part.is_none())
        {
            excluded.push((
                o.key.clone(),
                shapes.keyed_rule.get(name).cloned().unwrap_or_default(),
            ));
        }
        out.extend(struct_from_map(
            spec, shapes, name, &sname, &v.fields, &excluded, shape.open,
        ));
    }
    // A form whose key is a multipart part never comes from JSON.
    let json_forms: Vec<&crate::shapes::KeyedVariant> =
        variants.iter().filter(|v| v.part.is_none()).collect();
    let keys: Vec<&str> = json_forms.iter().map(|v| v.key.as_str()).collect();
    let rule = shapes
        .keyed_rule
        .get(name)
        .map(|r| rule_ref(r))
        .unwrap_or_else(|| quote!(__cx.rules().required));
    let branches = json_forms.iter().map(|v| {
        let k = &v.key;
        let vi = ident(&v.rust);
        let sty = ident(&variant_struct(name, &v.rust));
        quote! {
            if #p::de::present(__map, #k) {
                return #p::Option::map(#sty::__from_map(__map, __skip, __cx), #ty::#vi);
            }
        }
    });
    out.extend(quote! {
        impl #ty {
            #[doc(hidden)]
            #[inline]
            pub fn __from_map(
                __map: &#p::Map<#p::String, #p::Value>,
                __skip: #p::Option<&str>,
                __cx: &mut #p::de::Cx,
            ) -> #p::Option<Self> {
                const __KEYS: &[&str] = &[#(#keys),*];
                if !__cx.exactly_one(__map, __KEYS, #rule) {
                    return #p::None;
                }
                #(#branches)*
                #p::None
            }
        }

        impl #p::de::FromJson for #ty {
            #[inline]
            fn from_json(__v: &#p::Value, __cx: &mut #p::de::Cx) -> #p::Option<Self> {
                let __map = __cx.object(__v, #name)?;
                Self::__from_map(__map, #p::None, __cx)
            }
        }
    });
    out
}

/// `from_json` for a tagged union (inline or adjacent content).
// Long because most of it is one `quote!` template of generated code, kept
// whole so that the generated function reads top to bottom here too.
fn tagged_from_json(
    shape: &Shape,
    tag: &str,
    content: &Option<String>,
    variants: &[TagVariant],
) -> TokenStream {
    let p = private();
    let name = &shape.name;
    let ty = ident(name);
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let what = format!("{name} `{tag}`");
    let arms = variants.iter().map(|v| {
        let w = &v.wire;
        let vi = ident(&v.rust);
        match (&v.inner, content) {
            (Some(inner), None) => {
                let it = ident(inner);
                quote!(#w => #p::Option::map(#it::__from_map(__map, #p::Some(#tag), __cx), #ty::#vi),)
            }
            (None, None) => quote! {
                #w => {
                    for __k in __map.keys() {
                        if __k != #tag {
                            __cx.unknown(__k, #name, &[#tag]);
                            __ok = false;
                        }
                    }
                    if __ok { #p::Some(#ty::#vi) } else { #p::None }
                }
            },
            (Some(inner), Some(c)) => {
                let it = ident(inner);
                quote! {
                    #w => match __map.get(#c).filter(|__c| !__c.is_null()) {
                        #p::None => {
                            __cx.missing(#c, #name);
                            #p::None
                        }
                        #p::Some(__c) => {
                            __cx.enter(#c);
                            let __r = <#it as #p::de::FromJson>::from_json(__c, __cx);
                            __cx.leave();
                            if __ok { #p::Option::map(__r, #ty::#vi) } else { #p::None }
                        }
                    },
                }
            }
            (None, Some(c)) => {
                let spec_type = &v.spec_type;
                quote! {
                    #w => {
                        if let #p::Some(__c) = __map.get(#c).filter(|__c| !__c.is_null()) {
                            __cx.enter(#c);
                            if let #p::Some(__inner) = __cx.object(__c, #spec_type) {
                                for __k in __inner.keys() {
                                    __cx.unknown(__k, #spec_type, &[]);
                                    __ok = false;
                                }
                            } else {
                                __ok = false;
                            }
                            __cx.leave();
                        }
                        if __ok { #p::Some(#ty::#vi) } else { #p::None }
                    }
                }
            }
        }
    });
    let outer_keys = match content {
        Some(c) => quote! {
            for __k in __map.keys() {
                if __k != #tag && __k != #c {
                    __cx.unknown(__k, #name, &[#tag, #c]);
                    __ok = false;
                }
            }
        },
        None => quote!(),
    };
    quote! {
        impl #p::de::FromJson for #ty {
            #[allow(unused_mut)]
            #[inline]
            fn from_json(__v: &#p::Value, __cx: &mut #p::de::Cx) -> #p::Option<Self> {
                let __map = __cx.object(__v, #name)?;
                let mut __ok = true;
                #outer_keys
                let __tag = __cx.tag(__map, #tag, #name)?;
                match __tag {
                    #(#arms)*
                    __other => {
                        __cx.enter(#tag);
                        __cx.bad_value(__other, #what, &[#(#wires),*]);
                        __cx.leave();
                        #p::None
                    }
                }
            }
        }
    }
}

/// `from_json` for a string enum (with aliases and carried fields).
// Long because most of it is one `quote!` template of generated code, kept
// whole so that the generated function reads top to bottom here too.
fn enum_from_json(
    shapes: &Shapes,
    shape: &Shape,
    values: &[crate::shapes::ValueShape],
) -> TokenStream {
    let p = private();
    let name = &shape.name;
    let ty = ident(name);
    let wires: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
    let pat = |v: &crate::shapes::ValueShape| {
        let mut all = vec![v.wire.clone()];
        all.extend(v.aliases.iter().cloned());
        quote!(#(#all)|*)
    };
    let plain_arms = values.iter().filter(|v| v.carries.is_none()).map(|v| {
        let vi = ident(&v.rust);
        let pt = pat(v);
        quote!(#pt => #p::Some(#ty::#vi),)
    });
    let carrying: Vec<&crate::shapes::ValueShape> =
        values.iter().filter(|v| v.carries.is_some()).collect();
    if carrying.is_empty() {
        return quote! {
            impl #p::de::FromJson for #ty {
                #[inline]
                fn from_json(__v: &#p::Value, __cx: &mut #p::de::Cx) -> #p::Option<Self> {
                    let __s = __cx.enum_str(__v, #name)?;
                    match __s {
                        #(#plain_arms)*
                        __other => {
                            __cx.bad_value(__other, #name, &[#(#wires),*]);
                            #p::None
                        }
                    }
                }
            }
        };
    }
    // Carrier enums read their carried sibling from the owner's map.
    let carry_arms = carrying.iter().map(|v| {
        let vi = ident(&v.rust);
        let pt = pat(v);
        let c = v.carries.as_ref().expect("carrying");
        let cw = &c.wire;
        // The rule reporting "value without its carried field": the owner's
        // backward rule; any owner of this carrier shares the same id.
        let backward = shapes
            .carried_rules
            .iter()
            .find(|((_, cf), _)| cf == cw)
            .and_then(|(_, (_, b))| b.clone());
        let missing = match backward {
            Some(b) => {
                let r = rule_ref(&b);
                quote!(__cx.rule(#r, #p::None, &[("field", &#cw)]);)
            }
            None => quote!(__cx.missing(#cw, #name);),
        };
        let build = match &c.inline {
            Some(fields) => {
                let n = ident(c.ty.named().unwrap_or_default());
                let names: Vec<_> = fields.iter().map(|f| ident(&f.ident)).collect();
                quote!(#p::Option::map(<#n as #p::de::FromJson>::from_json(__c, __cx), |__x| #ty::#vi { #(#names: __x.#names),* }))
            }
            None => {
                let pe = parse_expr(&c.ty, &quote!(__c));
                quote!(#p::Option::map(#pe, #ty::#vi))
            }
        };
        quote! {
            #pt => match __map.get(#cw).filter(|__c| !__c.is_null()) {
                #p::None => {
                    __cx.enter(__key);
                    #missing
                    __cx.leave();
                    #p::None
                }
                #p::Some(__c) => {
                    __cx.enter(#cw);
                    let __r = #build;
                    __cx.leave();
                    __r
                }
            },
        }
    });
    let carries_arms = carrying.iter().map(|v| {
        let c = v.carries.as_ref().expect("carrying");
        let cw = &c.wire;
        let vi = ident(&v.rust);
        let pat = match &c.inline {
            Some(_) => quote!(#ty::#vi { .. }),
            None => quote!(#ty::#vi(_)),
        };
        quote!((#pat, #cw) => true,)
    });
    let plain_arms2 = values.iter().filter(|v| v.carries.is_none()).map(|v| {
        let vi = ident(&v.rust);
        let pt = pat(v);
        quote!(#pt => #p::Some(#ty::#vi),)
    });
    quote! {
        impl #ty {
            #[doc(hidden)]
            pub fn __from_carrier(
                __key: &str,
                __v: &#p::Value,
                __map: &#p::Map<#p::String, #p::Value>,
                __cx: &mut #p::de::Cx,
            ) -> #p::Option<Self> {
                __cx.enter(__key);
                let __s = __cx.enum_str(__v, #name);
                __cx.leave();
                let __s = __s?;
                match __s {
                    #(#carry_arms)*
                    #(#plain_arms)*
                    __other => {
                        __cx.enter(__key);
                        __cx.bad_value(__other, #name, &[#(#wires),*]);
                        __cx.leave();
                        #p::None
                    }
                }
            }

            #[doc(hidden)]
            pub fn __carries(&self, __field: &str) -> bool {
                #[allow(unreachable_patterns)]
                match (self, __field) {
                    #(#carries_arms)*
                    _ => false,
                }
            }
        }

        impl #p::de::FromJson for #ty {
            /// Reads a value that carries no sibling; a carrying value needs
            /// the owning object and is read through it.
            #[inline]
            fn from_json(__v: &#p::Value, __cx: &mut #p::de::Cx) -> #p::Option<Self> {
                let __s = __cx.enum_str(__v, #name)?;
                match __s {
                    #(#plain_arms2)*
                    __other => {
                        __cx.bad_value(__other, #name, &[#(#wires),*]);
                        #p::None
                    }
                }
            }
        }
    }
}

/// `FromJson` and `Deserialize` for every type.
pub fn from_json(spec: &Spec, shapes: &Shapes) -> TokenStream {
    let p = private();
    let mut out = TokenStream::new();
    for s in &shapes.types {
        out.extend(match &s.kind {
            ShapeKind::Struct(fields) => {
                struct_from_map(spec, shapes, &s.name, &s.name, fields, &[], s.open)
            }
            ShapeKind::Keyed(vs) => keyed_from_map(spec, shapes, s, vs),
            ShapeKind::Tagged {
                tag,
                content,
                variants,
            } => tagged_from_json(s, tag, content, variants),
            ShapeKind::Enum(values) => enum_from_json(shapes, s, values),
        });
        let ty = ident(&s.name);
        out.extend(quote! {
            impl<'de> #p::de::Deserialize<'de> for #ty {
                fn deserialize<__D: #p::de::Deserializer<'de>>(__d: __D) -> #p::Result<Self, __D::Error> {
                    #p::de::deserialize(__d, &__rules::STRUCTURE)
                }
            }
        });
    }
    out
}
