//! Type definitions, `Serialize`, constructors and setters.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use sendapi_spec::Prim;

use crate::shapes::{
    Carried, FieldShape, KeyedVariant, RTy, Shape, ShapeKind, Shapes, TagVariant, ValueShape,
};
use crate::util::{doc, doc_attrs, ident, private, rty, snake, variant_struct};

fn field_ty(f: &FieldShape) -> TokenStream {
    let p = private();
    let t = rty(&f.ty);
    if f.required {
        t
    } else {
        quote!(#p::Option<#t>)
    }
}

fn field_docs(f: &FieldShape) -> TokenStream {
    let mut extra = Vec::new();
    if f.wire != f.ident {
        extra.push(format!("Wire name: `{}`.", f.wire));
    }
    if let Some(d) = &f.default {
        extra.push(format!("Meta's default: `{d}`."));
    }
    doc_attrs(&f.docs, &extra)
}

/// The argument type a constructor or setter takes for a field type.
pub fn arg_ty(t: &RTy) -> TokenStream {
    let p = private();
    match t {
        RTy::Prim(Prim::String | Prim::Id | Prim::StringOrNumber) => {
            quote!(impl #p::Into<#p::String>)
        }
        RTy::Prim(Prim::Number) => quote!(impl #p::Into<#p::Number>),
        RTy::Prim(Prim::Bool) => quote!(bool),
        RTy::Prim(Prim::Integer) => quote!(i64),
        RTy::Prim(Prim::Json) => quote!(impl #p::Into<#p::Value>),
        RTy::Named(n) => {
            let i = ident(n);
            quote!(impl #p::Into<#i>)
        }
        RTy::Boxed(n) => {
            let i = ident(n);
            quote!(impl #p::Into<#i>)
        }
        RTy::Vec(inner) => {
            let it = rty(inner);
            quote!(impl #p::IntoIterator<Item = impl #p::Into<#it>>)
        }
    }
}

/// Converts an argument of [`arg_ty`] to the field type.
pub fn arg_conv(t: &RTy, v: &TokenStream) -> TokenStream {
    let p = private();
    match t {
        RTy::Prim(Prim::Bool | Prim::Integer) => quote!(#v),
        RTy::Boxed(_) => quote!(#p::Box::new(#p::Into::into(#v))),
        RTy::Vec(_) => {
            quote!(#p::Iterator::collect(#p::Iterator::map(#p::IntoIterator::into_iter(#v), #p::Into::into)))
        }
        _ => quote!(#p::Into::into(#v)),
    }
}

/// A struct field initialized from the argument of the same name: the
/// shorthand `name` when the argument is the field's type already.
pub fn arg_init(i: &proc_macro2::Ident, t: &RTy) -> TokenStream {
    match t {
        RTy::Prim(Prim::Bool | Prim::Integer) => quote!(#i),
        _ => {
            let c = arg_conv(t, &quote!(#i));
            quote!(#i: #c)
        }
    }
}

/// Emits `m.serialize_entry(..)` for a field bound to `v` (a reference to the
/// field value, `Option` unwrapped), including carried siblings.
fn ser_field(shapes: &Shapes, f: &FieldShape, v: &TokenStream) -> TokenStream {
    let p = private();
    let wire = &f.wire;
    let carrier = match &f.ty {
        RTy::Named(n) => shapes.get(n).and_then(|s| match &s.kind {
            ShapeKind::Enum(vals) if vals.iter().any(|v| v.carries.is_some()) => Some(()),
            _ => None,
        }),
        _ => None,
    };
    match carrier {
        Some(()) => quote! {
            #p::ser::SerializeMap::serialize_entry(__m, #wire, #v)?;
            #v.__ser_carried(__m)?;
        },
        None => quote! { #p::ser::SerializeMap::serialize_entry(__m, #wire, #v)?; },
    }
}

fn ser_fields_body(
    shapes: &Shapes,
    fields: &[FieldShape],
    access: impl Fn(&FieldShape) -> TokenStream,
) -> TokenStream {
    let p = private();
    let entries = fields.iter().map(|f| {
        let a = access(f);
        let v = quote!(__v);
        let ser = ser_field(shapes, f, &v);
        if f.required {
            quote! { { let __v = #a; #ser } }
        } else {
            quote! { if let #p::Some(__v) = #a { #ser } }
        }
    });
    quote!(#(#entries)*)
}

/// The definition of a struct with its constructor and setters.
// Long because most of it is one `quote!` template of generated code, kept
// whole so that the generated function reads top to bottom here too.
fn struct_def(
    shapes: &Shapes,
    name: &str,
    docs: TokenStream,
    fields: &[FieldShape],
    open_note: bool,
) -> TokenStream {
    let p = private();
    let ty = ident(name);
    let defs = fields.iter().map(|f| {
        let fd = field_docs(f);
        let i = ident(&f.ident);
        let t = field_ty(f);
        quote!(#fd pub #i: #t,)
    });
    let ser = ser_fields_body(shapes, fields, |f| {
        let i = ident(&f.ident);
        quote!(&self.#i)
    });
    let required: Vec<&FieldShape> = fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let i = ident(&f.ident);
        let t = arg_ty(&f.ty);
        quote!(#i: #t)
    });
    let inits = fields.iter().map(|f| {
        let i = ident(&f.ident);
        if f.required {
            arg_init(&i, &f.ty)
        } else {
            quote!(#i: #p::None)
        }
    });
    let new_doc = if required.is_empty() {
        format!("An empty `{name}`; set fields with the setters.")
    } else {
        let names: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire)).collect();
        format!("A `{name}` with its required fields {}.", names.join(", "))
    };
    let new_doc = doc(&new_doc);
    let setters = fields.iter().filter(|f| !f.required).map(|f| {
        let i = ident(&f.ident);
        let t = arg_ty(&f.ty);
        let c = arg_conv(&f.ty, &quote!(value));
        let doc = doc(&format!("Sets `{}`.", f.wire));
        quote! {
            #doc
            #[must_use]
            pub fn #i(mut self, value: #t) -> Self {
                self.#i = #p::Some(#c);
                self
            }
        }
    });
    let (extra_def, extra_init, extra_ser) = if open_note {
        (
            quote! {
                /// Keys this type's unconfirmed schema does not list, kept as sent.
                pub unknown_fields: #p::Map<#p::String, #p::Value>,
            },
            quote!(unknown_fields: #p::Map::new(),),
            quote! {
                for (__k, __v) in &self.unknown_fields {
                    #p::ser::SerializeMap::serialize_entry(__m, __k, __v)?;
                }
            },
        )
    } else {
        (quote!(), quote!(), quote!())
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub struct #ty {
            #(#defs)*
            #extra_def
        }

        impl #ty {
            #new_doc
            #[allow(clippy::new_without_default, clippy::too_many_arguments)]
            pub fn new(#(#args),*) -> Self {
                #ty { #(#inits,)* #extra_init }
            }
            #(#setters)*

            #[doc(hidden)]
            pub fn __ser_fields<__M: #p::ser::SerializeMap>(&self, __m: &mut __M) -> #p::Result<(), __M::Error> {
                #ser
                #extra_ser
                #p::Ok(())
            }
        }

        impl #p::ser::Serialize for #ty {
            fn serialize<__S: #p::ser::Serializer>(&self, __s: __S) -> #p::Result<__S::Ok, __S::Error> {
                let mut __m = #p::ser::Serializer::serialize_map(__s, #p::None)?;
                self.__ser_fields(&mut __m)?;
                #p::ser::SerializeMap::end(__m)
            }
        }
    }
}

/// The definition of a keyed union with its impls.
// Long because most of it is one `quote!` template of generated code, kept
// whole so that the generated function reads top to bottom here too.
fn keyed_def(shapes: &Shapes, shape: &Shape, variants: &[KeyedVariant]) -> TokenStream {
    let p = private();
    let name = &shape.name;
    let ty = ident(name);
    let docs = doc_attrs(
        &shape.docs,
        &[format!(
            "Exactly one of {} is present; each is a variant.",
            variants
                .iter()
                .map(|v| format!("`{}`", v.key))
                .collect::<Vec<_>>()
                .join(", ")
        )],
    );
    let mut out = TokenStream::new();
    let mut arms = Vec::new();
    let mut ser_arms = Vec::new();
    let mut ctors = Vec::new();
    let mut froms = Vec::new();
    for v in variants {
        let sname = variant_struct(name, &v.rust);
        let sty = ident(&sname);
        let vi = ident(&v.rust);
        let sdocs = doc_attrs(&v.docs, &[format!("The `{}` form of [`{name}`].", v.key)]);
        out.extend(struct_def(shapes, &sname, sdocs.clone(), &v.fields, false));
        if let Some(part) = &v.part {
            let doc = doc(&format!(
                "The multipart part that carries this form's `{}`, sent beside the JSON fields.",
                v.key
            ));
            out.extend(quote! {
                impl #sty {
                    #doc
                    pub const PART: &'static str = #part;
                }
            });
        }
        arms.push(quote!(#sdocs #vi(#sty),));
        ser_arms.push(quote!(#ty::#vi(__x) => __x.__ser_fields(__m),));
        let required: Vec<&FieldShape> = v.fields.iter().filter(|f| f.required).collect();
        let args: Vec<TokenStream> = required
            .iter()
            .map(|f| {
                let i = ident(&f.ident);
                let t = arg_ty(&f.ty);
                quote!(#i: #t)
            })
            .collect();
        let names: Vec<TokenStream> = required
            .iter()
            .map(|f| {
                let i = ident(&f.ident);
                quote!(#i)
            })
            .collect();
        let ctor = ident(&snake(&v.rust));
        let doc = doc(&format!("The `{}` form, with its required fields.", v.key));
        ctors.push(quote! {
            #doc
            pub fn #ctor(#(#args),*) -> Self {
                #ty::#vi(#sty::new(#(#names),*))
            }
        });
        froms.push(quote! {
            impl #p::From<#sty> for #ty {
                fn from(v: #sty) -> Self { #ty::#vi(v) }
            }
        });
    }
    let key_arms = variants.iter().map(|v| {
        let vi = ident(&v.rust);
        let k = &v.key;
        quote!(#ty::#vi(_) => #k,)
    });
    out.extend(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #ty {
            #(#arms)*
        }

        impl #ty {
            #(#ctors)*

            /// The wire name of the key that chose this variant.
            pub fn key(&self) -> &'static str {
                match self { #(#key_arms)* }
            }

            #[doc(hidden)]
            pub fn __ser_fields<__M: #p::ser::SerializeMap>(&self, __m: &mut __M) -> #p::Result<(), __M::Error> {
                match self { #(#ser_arms)* }
            }
        }

        impl #p::ser::Serialize for #ty {
            fn serialize<__S: #p::ser::Serializer>(&self, __s: __S) -> #p::Result<__S::Ok, __S::Error> {
                let mut __m = #p::ser::Serializer::serialize_map(__s, #p::None)?;
                self.__ser_fields(&mut __m)?;
                #p::ser::SerializeMap::end(__m)
            }
        }
        #(#froms)*
    });
    out
}

/// The definition of a tagged union with its impls.
// Long because most of it is one `quote!` template of generated code, kept
// whole so that the generated function reads top to bottom here too.
fn tagged_def(
    shape: &Shape,
    tag: &str,
    content: &Option<String>,
    variants: &[TagVariant],
) -> TokenStream {
    let p = private();
    let ty = ident(&shape.name);
    let docs = doc_attrs(
        &shape.docs,
        &[format!("The variant is chosen by the `{tag}` field.")],
    );
    let arms = variants.iter().map(|v| {
        let vi = ident(&v.rust);
        let mut extra = vec![format!("`\"{tag}\": \"{}\"`.", v.wire)];
        if let Some((d, r)) = &v.refused {
            extra.push(format!("**Refused by Graph since {d}**; use {r} instead."));
        }
        let vd = doc_attrs(&v.docs, &extra);
        match &v.inner {
            Some(i) => {
                let it = ident(i);
                quote!(#vd #vi(#it),)
            }
            None => quote!(#vd #vi,),
        }
    });
    let tag_arms = variants.iter().map(|v| {
        let vi = ident(&v.rust);
        let w = &v.wire;
        match &v.inner {
            Some(_) => quote!(#ty::#vi(_) => #w,),
            None => quote!(#ty::#vi => #w,),
        }
    });
    let ser_arms = variants.iter().map(|v| {
        let vi = ident(&v.rust);
        let w = &v.wire;
        let tag_entry = quote!(#p::ser::SerializeMap::serialize_entry(__m, #tag, #w)?;);
        match (&v.inner, content) {
            (Some(_), Some(c)) => quote!(#ty::#vi(__x) => { #tag_entry #p::ser::SerializeMap::serialize_entry(__m, #c, __x)?; }),
            (Some(_), None) => quote!(#ty::#vi(__x) => { #tag_entry __x.__ser_fields(__m)?; }),
            (None, _) => quote!(#ty::#vi => { #tag_entry }),
        }
    });
    let ctors = variants.iter().map(|v| {
        let vi = ident(&v.rust);
        let f = ident(&snake(&v.rust));
        let doc = doc(&format!("The `{}` variant.", v.wire));
        match &v.inner {
            Some(i) => {
                let it = ident(i);
                quote! {
                    #doc
                    pub fn #f(value: impl #p::Into<#it>) -> Self { #ty::#vi(#p::Into::into(value)) }
                }
            }
            None => quote! {
                #doc
                pub fn #f() -> Self { #ty::#vi }
            },
        }
    });
    // `From` only where the inner type belongs to one variant, so that the
    // conversion is unambiguous.
    let froms = variants.iter().filter_map(|v| {
        let inner = v.inner.as_ref()?;
        let unique = variants
            .iter()
            .filter(|o| o.inner.as_ref() == Some(inner))
            .count()
            == 1;
        unique.then(|| {
            let vi = ident(&v.rust);
            let it = ident(inner);
            quote! {
                impl #p::From<#it> for #ty {
                    fn from(v: #it) -> Self { #ty::#vi(v) }
                }
            }
        })
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #ty {
            #(#arms)*
        }

        impl #ty {
            #(#ctors)*

            /// The wire value of the tag.
            pub fn tag(&self) -> &'static str {
                match self { #(#tag_arms)* }
            }

            #[doc(hidden)]
            pub fn __ser_fields<__M: #p::ser::SerializeMap>(&self, __m: &mut __M) -> #p::Result<(), __M::Error> {
                match self { #(#ser_arms)* }
                #p::Ok(())
            }
        }

        impl #p::ser::Serialize for #ty {
            fn serialize<__S: #p::ser::Serializer>(&self, __s: __S) -> #p::Result<__S::Ok, __S::Error> {
                let mut __m = #p::ser::Serializer::serialize_map(__s, #p::None)?;
                self.__ser_fields(&mut __m)?;
                #p::ser::SerializeMap::end(__m)
            }
        }
        #(#froms)*
    }
}

/// The pattern binding a carrying variant's payload.
pub fn carried_pattern(ty: &proc_macro2::Ident, v: &ValueShape, c: &Carried) -> TokenStream {
    let vi = ident(&v.rust);
    match &c.inline {
        Some(fields) => {
            let names = fields.iter().map(|f| ident(&f.ident));
            quote!(#ty::#vi { #(#names),* })
        }
        None => quote!(#ty::#vi(__c)),
    }
}

/// The definition of a string enum with its impls.
// Long because most of it is one `quote!` template of generated code, kept
// whole so that the generated function reads top to bottom here too.
fn enum_def(shapes: &Shapes, shape: &Shape, values: &[ValueShape]) -> TokenStream {
    let p = private();
    let name = &shape.name;
    let ty = ident(name);
    let docs = doc_attrs(&shape.docs, &[]);
    let mut helpers = TokenStream::new();
    let arms = values.iter().map(|v| {
        let vi = ident(&v.rust);
        let mut extra = vec![format!("Wire value: `{}`.", v.wire)];
        if !v.aliases.is_empty() {
            extra.push(format!(
                "Graph also accepts {}.",
                v.aliases
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        for (k, text) in &v.policy {
            extra.push(format!("{k}: {text}."));
        }
        if let Some((d, r)) = &v.refused {
            extra.push(format!(
                "**Refused by Graph since {d}** (error 100); use {r} instead."
            ));
        }
        let vd = doc_attrs(&v.docs, &extra);
        match &v.carries {
            None => quote!(#vd #vi,),
            Some(c) => match &c.inline {
                Some(fields) => {
                    let fs = fields.iter().map(|f| {
                        let fd = field_docs(f);
                        let i = ident(&f.ident);
                        let t = field_ty(f);
                        quote!(#fd #i: #t,)
                    });
                    quote!(#vd #vi { #(#fs)* },)
                }
                None => {
                    let t = rty(&c.ty);
                    quote!(#vd #vi(#t),)
                }
            },
        }
    });
    let str_arms = values.iter().map(|v| {
        let vi = ident(&v.rust);
        let w = &v.wire;
        match &v.carries {
            None => quote!(#ty::#vi => #w,),
            Some(c) if c.inline.is_some() => quote!(#ty::#vi { .. } => #w,),
            Some(_) => quote!(#ty::#vi(_) => #w,),
        }
    });
    let carrying = values.iter().any(|v| v.carries.is_some());
    let carried_impl = if carrying {
        let arms = values.iter().filter_map(|v| {
            let c = v.carries.as_ref()?;
            let pat = carried_pattern(&ty, v, c);
            let wire = &c.wire;
            Some(match &c.inline {
                Some(fields) => {
                    let helper = format_ident!("__{}{}Ref", name, v.rust);
                    let lifetimes = fields.iter().map(|f| {
                        let i = ident(&f.ident);
                        let t = field_ty(f);
                        quote!(#i: &'a #t,)
                    });
                    let ser = ser_fields_body(shapes, fields, |f| {
                        let i = ident(&f.ident);
                        quote!(self.#i)
                    });
                    let names = fields.iter().map(|f| ident(&f.ident));
                    helpers.extend(quote! {
                        #[doc(hidden)]
                        #[allow(non_camel_case_types)]
                        struct #helper<'a> { #(#lifetimes)* }
                        impl #p::ser::Serialize for #helper<'_> {
                            fn serialize<__S: #p::ser::Serializer>(&self, __s: __S) -> #p::Result<__S::Ok, __S::Error> {
                                let mut __map = #p::ser::Serializer::serialize_map(__s, #p::None)?;
                                let __m = &mut __map;
                                #ser
                                #p::ser::SerializeMap::end(__map)
                            }
                        }
                    });
                    quote!(#pat => #p::ser::SerializeMap::serialize_entry(__m, #wire, &#helper { #(#names),* }),)
                }
                None => quote!(#pat => #p::ser::SerializeMap::serialize_entry(__m, #wire, __c),),
            })
        });
        quote! {
            #[doc(hidden)]
            pub fn __ser_carried<__M: #p::ser::SerializeMap>(&self, __m: &mut __M) -> #p::Result<(), __M::Error> {
                #[allow(unreachable_patterns)]
                match self {
                    #(#arms)*
                    _ => #p::Ok(()),
                }
            }
        }
    } else {
        quote!()
    };
    let carried_note = if carrying {
        "\n\nValues that carry a sibling field (such as a tag or a reaction payload) hold it; the struct that owns this value writes that sibling next to it."
    } else {
        ""
    };
    let ser_doc = doc(&format!("Serializes as the wire string.{carried_note}"));
    let copy = if carrying {
        quote!()
    } else {
        quote!(Copy, Eq, Hash,)
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #copy)]
        #[non_exhaustive]
        pub enum #ty {
            #(#arms)*
        }

        impl #ty {
            /// The wire value.
            pub fn as_str(&self) -> &'static str {
                match self { #(#str_arms)* }
            }
            #carried_impl
        }

        #ser_doc
        impl #p::ser::Serialize for #ty {
            fn serialize<__S: #p::ser::Serializer>(&self, __s: __S) -> #p::Result<__S::Ok, __S::Error> {
                #p::ser::Serializer::serialize_str(__s, self.as_str())
            }
        }

        impl ::core::fmt::Display for #ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        #helpers
    }
}

/// Definitions, serializers and builders of every type.
pub fn types(shapes: &Shapes) -> TokenStream {
    let mut out = TokenStream::new();
    for s in &shapes.types {
        out.extend(match &s.kind {
            ShapeKind::Struct(fields) => {
                let docs = doc_attrs(&s.docs, &[]);
                struct_def(shapes, &s.name, docs, fields, s.open)
            }
            ShapeKind::Keyed(vs) => keyed_def(shapes, s, vs),
            ShapeKind::Tagged {
                tag,
                content,
                variants,
            } => tagged_def(s, tag, content, variants),
            ShapeKind::Enum(values) => enum_def(shapes, s, values),
        });
    }
    out
}
