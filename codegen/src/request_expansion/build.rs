//! Building the typed value: from a checked [`Node`] to the tokens of the
//! snapshot's typed request, following the [`Shapes`](crate::Shapes) the
//! generator follows, so that the expansion and the generated types agree.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use sendapi_spec::Prim;
use serde_json::Value;

use super::Errors;
use super::parse::Node;
use crate::Shapes;
use crate::shapes::{Carried, FieldShape, KeyedVariant, RTy, ShapeKind, TagVariant, ValueShape};
use crate::util::{ident, variant_struct};

/// The runtime's private module, `::sendapi::__private`, by the name the
/// built block imports it as: a path of one token instead of seven, for the
/// dozens of paths a body takes (every token of the expansion is a cost of
/// the first `request!`).
fn private() -> TokenStream {
    quote!(__sendapi_private)
}

/// The bindings module ([`Bindings::module`]) by the name the built block
/// imports it as.
fn module() -> TokenStream {
    quote!(__sendapi_module)
}

/// Builds values after the shapes of one set of bindings, collecting
/// every error. The engine is not needed: a first expansion builds while
/// it is compiled.
pub(super) struct Builder<'a> {
    shapes: &'a Shapes,
    /// [`Bindings::module`].
    module_path: &'a TokenStream,
    errors: Errors,
    /// The wire path of the value being built (`recipient`, `id`), for the
    /// type errors of expressions.
    path: Vec<String>,
}

/// A struct literal to build: the Rust type it names and the wire fields
/// it takes.
struct StructLiteral<'s> {
    /// The spec type whose fields the object holds, for messages.
    owner: &'s str,
    /// The Rust path of the struct.
    path: TokenStream,
    fields: &'s [FieldShape],
    /// A key of the object that is not a field (a union's tag).
    skip: Option<&'s str>,
    /// Unknown keys are kept in `unknown_fields`.
    open: bool,
}

impl<'a> Builder<'a> {
    pub(super) fn new(shapes: &'a Shapes, module_path: &'a TokenStream) -> Builder<'a> {
        Builder {
            shapes,
            module_path,
            errors: Errors::default(),
            path: Vec::new(),
        }
    }

    /// The body built as the spec's root type, or every error met.
    /// The value is a block that first imports the bindings module and the
    /// runtime's private one under the short names [`module`] and
    /// [`private`] give.
    pub(super) fn root(mut self, body: &Node) -> Result<TokenStream, syn::Error> {
        let root = RTy::Named(self.shapes.root.clone());
        let built = self.value(body, &root);
        let (path, alias, private) = (self.module_path, module(), private());
        self.errors.into_result(quote!({
            #[allow(unused_imports)]
            use #path as #alias;
            #[allow(unused_imports)]
            use ::sendapi::__private as #private;
            #built
        }))
    }

    fn error(&mut self, span: Span, msg: impl Into<String>) -> TokenStream {
        self.errors.push(syn::Error::new(span, msg.into()));
        quote!(::sendapi::__private::unreachable!())
    }

    /// An expression converted to its field's type `ty`. The conversion
    /// goes through a trait made for this field, whose diagnostic names the
    /// field, the type it takes and how to convert to it, on the
    /// expression's tokens, instead of a bare `From` error.
    fn expr_into(&self, tokens: &TokenStream, span: Span, ty: &RTy) -> TokenStream {
        let private = private();
        let ty_tokens = self.ty_tokens(ty);
        let field = if self.path.is_empty() {
            "the body".to_string()
        } else {
            format!("`{}`", self.path.join("."))
        };
        let (what, hint) = self.expected(ty);
        let message = format!("{field} takes {what}, not `{{Self}}`");
        let label = format!("expected {what}");
        let note = hint.replace('{', "{{").replace('}', "}}");
        quote_spanned!(span=> {
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
            trait __SendapiField {
                fn __sendapi_into(self) -> #ty_tokens;
            }
            #[diagnostic::do_not_recommend]
            impl<__T: #private::Into<#ty_tokens>> __SendapiField for __T {
                fn __sendapi_into(self) -> #ty_tokens {
                    #private::Into::into(self)
                }
            }
            __SendapiField::__sendapi_into(#tokens)
        })
    }

    /// What a field of type `ty` takes, in words, and how to get there.
    fn expected(&self, ty: &RTy) -> (String, String) {
        match ty {
            RTy::Prim(Prim::String | Prim::Id | Prim::StringOrNumber) => (
                "a string (`impl Into<String>`)".to_string(),
                "the Send API takes ids and other text as JSON strings: convert a number with `.to_string()`, as in `psid.to_string()`".to_string(),
            ),
            RTy::Prim(Prim::Bool) => (
                "a `bool`".to_string(),
                "write `true` or `false`, or an expression of type `bool`".to_string(),
            ),
            RTy::Prim(Prim::Integer) => (
                "an integer (`impl Into<i64>`)".to_string(),
                "convert with `i64::from(…)`, or `i64::try_from(…)` for a `u64` or `usize`".to_string(),
            ),
            RTy::Prim(Prim::Number) => (
                "a number (`impl Into<serde_json::Number>`)".to_string(),
                "convert an integer with `serde_json::Number::from(…)`".to_string(),
            ),
            RTy::Prim(Prim::Json) => (
                "any JSON (`impl Into<serde_json::Value>`)".to_string(),
                "build it with `serde_json::json!(…)`".to_string(),
            ),
            RTy::Named(n) | RTy::Boxed(n) => (
                format!("{} `{n}`", sendapi_core::article(n)),
                format!("build it with the bindings' `{n}` type, or write it as a JSON literal in `request!`"),
            ),
            RTy::Vec(inner) => {
                let (what, _) = self.expected(inner);
                (
                    format!("a `Vec` of {what}"),
                    "write an array literal `[…]`, or pass a `Vec` of the item type".to_string(),
                )
            }
        }
    }

    fn ty_tokens(&self, ty: &RTy) -> TokenStream {
        let private = private();
        let module = &module();
        match ty {
            RTy::Prim(Prim::String | Prim::Id | Prim::StringOrNumber) => quote!(#private::String),
            RTy::Prim(Prim::Bool) => quote!(bool),
            RTy::Prim(Prim::Number) => quote!(#private::Number),
            RTy::Prim(Prim::Integer) => quote!(i64),
            RTy::Prim(Prim::Json) => quote!(#private::Value),
            RTy::Named(n) | RTy::Boxed(n) => {
                let name = ident(n);
                quote!(#module::#name)
            }
            RTy::Vec(inner) => {
                let item = self.ty_tokens(inner);
                quote!(#private::Vec<#item>)
            }
        }
    }

    fn value(&mut self, node: &Node, ty: &RTy) -> TokenStream {
        let private = private();
        if let Node::Expr { tokens, span } = node {
            return match ty {
                RTy::Boxed(_) => {
                    let inner = self.expr_into(tokens, *span, ty);
                    quote!(#private::Box::new(#inner))
                }
                _ => self.expr_into(tokens, *span, ty),
            };
        }
        match ty {
            RTy::Prim(prim) => self.prim(node, *prim),
            RTy::Vec(inner) => match node {
                Node::Array { items, .. } => {
                    let items: Vec<TokenStream> =
                        items.iter().map(|i| self.value(i, inner)).collect();
                    if items.is_empty() {
                        quote!(#private::Vec::new())
                    } else {
                        quote!(#private::Vec::from([#(#items),*]))
                    }
                }
                other => self.error(other.span(), "expected an array here"),
            },
            RTy::Boxed(n) => {
                let v = self.named(node, n);
                quote!(#private::Box::new(#v))
            }
            RTy::Named(n) => self.named(node, n),
        }
    }

    fn prim(&mut self, node: &Node, prim: Prim) -> TokenStream {
        let private = private();
        if prim == Prim::Json {
            return self.json(node);
        }
        let Node::Scalar { value, span } = node else {
            return self.error(node.span(), format!("expected {} here", prim.describe()));
        };
        match (prim, value) {
            (Prim::String | Prim::Id | Prim::StringOrNumber, Value::String(s)) => {
                quote!(#private::String::from(#s))
            }
            // Graph reads a number where an id is expected as its digits.
            (Prim::Id | Prim::StringOrNumber, Value::Number(n)) => {
                let s = n.to_string();
                quote!(#private::String::from(#s))
            }
            (Prim::Bool, Value::Bool(b)) => quote!(#b),
            (Prim::Bool, Value::String(s)) if s == "true" || s == "false" => {
                let b = s == "true";
                quote!(#b)
            }
            (Prim::Number, Value::Number(n)) => {
                if let Some(i) = n.as_i64() {
                    quote!(#private::Number::from(#i))
                } else if let Some(u) = n.as_u64() {
                    quote!(#private::Number::from(#u))
                } else {
                    let f = n.as_f64().unwrap_or(0.0);
                    quote!(#private::number_f64(#f))
                }
            }
            (Prim::Integer, Value::Number(n)) if n.as_i64().is_some() => {
                let i = n.as_i64().unwrap_or(0);
                quote!(#i)
            }
            _ => self.error(*span, format!("expected {} here", prim.describe())),
        }
    }

    fn json(&mut self, node: &Node) -> TokenStream {
        let private = private();
        match node {
            Node::Expr { tokens, span } => self.expr_into(tokens, *span, &RTy::Prim(Prim::Json)),
            Node::Scalar { value, .. } => {
                let text = value.to_string();
                quote!(#private::json_from_str(#text))
            }
            Node::Array { items, .. } => {
                let items: Vec<TokenStream> = items.iter().map(|i| self.json(i)).collect();
                quote!(#private::Value::Array(#private::Vec::from([#(#items),*])))
            }
            Node::Object { entries, .. } => {
                let inserts = entries.iter().map(|e| {
                    let k = &e.key;
                    let v = self.json(&e.value);
                    quote!(__m.insert(#private::String::from(#k), #v);)
                });
                quote!({
                    let mut __m = #private::Map::new();
                    #(#inserts)*
                    #private::Value::Object(__m)
                })
            }
        }
    }

    /// A value of the generated type `name`.
    fn named(&mut self, node: &Node, name: &str) -> TokenStream {
        let shapes = self.shapes;
        let Some(shape) = shapes.get(name) else {
            return self.error(node.span(), format!("unknown type {name}"));
        };
        match &shape.kind {
            ShapeKind::Enum(values) => self.enum_value(node, name, values),
            ShapeKind::Struct(fields) => {
                let module = &module();
                let ty = ident(name);
                self.struct_literal(
                    node,
                    &StructLiteral {
                        owner: name,
                        path: quote!(#module::#ty),
                        fields,
                        skip: None,
                        open: shape.open,
                    },
                )
            }
            ShapeKind::Keyed(variants) => self.keyed_value(node, name, variants),
            ShapeKind::Tagged {
                tag,
                content,
                variants,
            } => self.tagged_value(node, name, tag, content.as_deref(), variants),
        }
    }

    /// A value of an enum whose values carry nothing here (a carrying value
    /// is built with its sibling by [`Builder::carrier_value`]).
    fn enum_value(&mut self, node: &Node, name: &str, values: &[ValueShape]) -> TokenStream {
        let Node::Scalar {
            value: Value::String(s),
            span,
        } = node
        else {
            return self.error(
                node.span(),
                format!(
                    "expected {} {name} string here",
                    sendapi_core::article(name)
                ),
            );
        };
        let module = &module();
        let ty = ident(name);
        match values
            .iter()
            .find(|v| &v.wire == s || v.aliases.contains(s))
        {
            Some(v) => match &v.carries {
                None => {
                    let variant = ident(&v.rust);
                    quote!(#module::#ty::#variant)
                }
                Some(carried) => self.error(
                    *span,
                    format!(
                        "`{}` carries `{}`; write them side by side in the object that holds them",
                        v.wire, carried.wire
                    ),
                ),
            },
            None => self.error(*span, format!("`{s}` is not a value of {name}")),
        }
    }

    /// A keyed union: the variant of the first key present.
    fn keyed_value(&mut self, node: &Node, name: &str, variants: &[KeyedVariant]) -> TokenStream {
        let Node::Object { .. } = node else {
            return self.error(
                node.span(),
                format!(
                    "expected {} {name} object here",
                    sendapi_core::article(name)
                ),
            );
        };
        let Some(v) = variants
            .iter()
            .find(|v| v.part.is_none() && node.present(&v.key).is_some())
        else {
            return self.error(node.span(), format!("{name} needs one of its keys"));
        };
        let module = &module();
        let ty = ident(name);
        let variant = ident(&v.rust);
        let variant_ty = ident(&variant_struct(name, &v.rust));
        let inner = self.struct_literal(
            node,
            &StructLiteral {
                owner: name,
                path: quote!(#module::#variant_ty),
                fields: &v.fields,
                skip: None,
                open: false,
            },
        );
        quote!(#module::#ty::#variant(#inner))
    }

    /// A tagged union: the variant its literal tag names.
    fn tagged_value(
        &mut self,
        node: &Node,
        name: &str,
        tag: &str,
        content: Option<&str>,
        variants: &[TagVariant],
    ) -> TokenStream {
        let Node::Object { .. } = node else {
            return self.error(
                node.span(),
                format!(
                    "expected {} {name} object here",
                    sendapi_core::article(name)
                ),
            );
        };
        let wire = match node.present(tag) {
            Some(Node::Scalar {
                value: Value::String(s),
                ..
            }) => s.clone(),
            Some(other) => {
                return self.error(
                    other.span(),
                    format!("the `{tag}` of {} {name} must be a string literal in request!, which builds the variant from it; write the whole {name} as an expression instead", sendapi_core::article(name)),
                );
            }
            None => return self.error(node.span(), format!("{name} needs `{tag}`")),
        };
        let Some(v) = variants.iter().find(|v| v.wire == wire) else {
            return self.error(
                node.span(),
                format!(
                    "`{wire}` is not {} {name} `{tag}`",
                    sendapi_core::article(name)
                ),
            );
        };
        let module = module();
        let ty = ident(name);
        let variant = ident(&v.rust);
        match (&v.inner, content) {
            (None, _) => quote!(#module::#ty::#variant),
            (Some(inner), Some(content)) => match node.present(content) {
                Some(content_node) => {
                    let inner_value = self.value(content_node, &RTy::Named(inner.clone()));
                    quote!(#module::#ty::#variant(#inner_value))
                }
                None => self.error(node.span(), format!("{name} `{wire}` needs `{content}`")),
            },
            (Some(inner), None) => {
                let built = self.tagged_inline(node, inner, tag);
                quote!(#module::#ty::#variant(#built))
            }
        }
    }

    /// The body of a variant whose fields sit beside the tag.
    fn tagged_inline(&mut self, node: &Node, inner: &str, tag: &str) -> TokenStream {
        let shapes = self.shapes;
        match shapes.get(inner).map(|s| (&s.kind, s.open)) {
            Some((ShapeKind::Struct(fields), open)) => {
                let module = &module();
                let ty = ident(inner);
                self.struct_literal(
                    node,
                    &StructLiteral {
                        owner: inner,
                        path: quote!(#module::#ty),
                        fields,
                        skip: Some(tag),
                        open,
                    },
                )
            }
            Some((ShapeKind::Keyed(_), _)) => self.named(node, inner),
            _ => self.error(node.span(), format!("cannot build {inner} inline")),
        }
    }

    /// A struct literal from an object node. The owner is the spec type
    /// whose fields (including carried ones) the object may hold; keys the
    /// typed value drops (transport parameters, explicit nulls) are left out.
    fn struct_literal(&mut self, node: &Node, literal: &StructLiteral<'_>) -> TokenStream {
        let private = private();
        let owner = literal.owner;
        let Node::Object { entries, .. } = node else {
            return self.error(
                node.span(),
                format!(
                    "expected {} {owner} object here",
                    sendapi_core::article(owner)
                ),
            );
        };
        let mut inits = Vec::new();
        for f in literal.fields {
            let field = ident(&f.ident);
            let Some(value) = node.present(&f.wire) else {
                if f.required {
                    let e = self.error(node.span(), format!("{owner} needs `{}`", f.wire));
                    inits.push(quote!(#field: #e));
                } else {
                    inits.push(quote!(#field: #private::None));
                }
                continue;
            };
            self.path.push(f.wire.clone());
            let built = match self.carrier(f) {
                Some(en) => self.carrier_value(node, owner, f, value, &en),
                None => self.value(value, &f.ty),
            };
            self.path.pop();
            if f.required {
                inits.push(quote!(#field: #built));
            } else {
                inits.push(quote!(#field: #private::Some(#built)));
            }
        }
        if literal.open {
            let known: Vec<&str> = literal.fields.iter().map(|f| f.wire.as_str()).collect();
            let extras: Vec<TokenStream> = entries
                .iter()
                .filter(|e| {
                    !known.contains(&e.key.as_str()) && Some(e.key.as_str()) != literal.skip
                })
                .map(|e| {
                    let k = &e.key;
                    let v = self.json(&e.value);
                    quote!(__m.insert(#private::String::from(#k), #v);)
                })
                .collect();
            inits.push(
                quote!(unknown_fields: { let mut __m = #private::Map::new(); #(#extras)* __m }),
            );
        }
        let path = &literal.path;
        quote!(#path { #(#inits),* })
    }

    /// The enum name of a carrier field (an enum whose values carry siblings).
    fn carrier(&self, f: &FieldShape) -> Option<String> {
        let name = f.ty.named()?;
        match &self.shapes.get(name)?.kind {
            ShapeKind::Enum(values) if values.iter().any(|v| v.carries.is_some()) => {
                Some(name.to_string())
            }
            _ => None,
        }
    }

    /// The value of a carrier field `f` of `owner`, with the sibling its
    /// value carries taken from the same object `node`.
    fn carrier_value(
        &mut self,
        node: &Node,
        owner: &str,
        f: &FieldShape,
        value: &Node,
        enum_name: &str,
    ) -> TokenStream {
        let shapes = self.shapes;
        let Some(ShapeKind::Enum(values)) = shapes.get(enum_name).map(|s| &s.kind) else {
            return self.error(value.span(), "bad carrier");
        };
        let module = &module();
        let enum_ty = ident(enum_name);
        match value {
            Node::Expr { tokens, span } => {
                // The expression holds the carried value; a literal sibling
                // would say it twice.
                for v in values {
                    if let Some(c) = &v.carries
                        && let Some(e) = node.entry(&c.wire)
                    {
                        let msg = format!(
                            "`{}` is an expression of type {enum_name}, which carries `{}` itself; remove the `{}` key",
                            f.wire, c.wire, c.wire
                        );
                        self.errors.push(syn::Error::new(e.key_span, msg));
                    }
                }
                self.expr_into(tokens, *span, &RTy::Named(enum_name.to_string()))
            }
            Node::Scalar {
                value: Value::String(s),
                span,
            } => {
                let Some(v) = values
                    .iter()
                    .find(|v| &v.wire == s || v.aliases.contains(s))
                else {
                    return self.error(*span, format!("`{s}` is not a value of {enum_name}"));
                };
                let variant = ident(&v.rust);
                let Some(carried) = &v.carries else {
                    return quote!(#module::#enum_ty::#variant);
                };
                let Some(carried_node) = node.present(&carried.wire) else {
                    return self.error(
                        *span,
                        format!("`{s}` needs `{}` next to it in {owner}", carried.wire),
                    );
                };
                self.carried(carried_node, carried, &quote!(#module::#enum_ty::#variant))
            }
            other => self.error(
                other.span(),
                format!(
                    "expected {} {enum_name} string here",
                    sendapi_core::article(enum_name)
                ),
            ),
        }
    }

    /// The carrying variant at `variant` with the carried value `node`:
    /// `Variant(value)`, or `Variant { fields }` for a carried object inlined
    /// into the variant.
    fn carried(&mut self, node: &Node, carried: &Carried, variant: &TokenStream) -> TokenStream {
        let private = private();
        let Some(fields) = &carried.inline else {
            let inner = self.value(node, &carried.ty);
            return quote!(#variant(#inner));
        };
        if let Node::Expr { tokens, span } = node {
            let ty = self.ty_tokens(&carried.ty);
            let x = self.expr_into(tokens, *span, &carried.ty);
            let names: Vec<_> = fields.iter().map(|f| ident(&f.ident)).collect();
            return quote!({ let __sendapi_carried: #ty = #x; #variant { #(#names: __sendapi_carried.#names),* } });
        }
        let inits: Vec<TokenStream> = fields
            .iter()
            .map(|g| {
                let field = ident(&g.ident);
                match node.present(&g.wire) {
                    Some(field_node) => {
                        self.path.push(g.wire.clone());
                        let b = self.value(field_node, &g.ty);
                        self.path.pop();
                        if g.required {
                            quote!(#field: #b)
                        } else {
                            quote!(#field: #private::Some(#b))
                        }
                    }
                    None if g.required => {
                        let e = self.error(
                            node.span(),
                            format!("`{}` needs `{}`", carried.wire, g.wire),
                        );
                        quote!(#field: #e)
                    }
                    None => quote!(#field: #private::None),
                }
            })
            .collect();
        quote!(#variant { #(#inits),* })
    }
}
