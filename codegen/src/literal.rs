//! `request!`: JSON written as Rust tokens, checked by the rule engine at
//! expansion, built into the snapshot's typed request.
//!
//! Grammar: `[messenger | instagram ,] { … }`. `{` and `[` open a JSON object
//! and array; keys are string literals; `true`, `false`, `null`, number and
//! string literals are JSON values; trailing commas are accepted; duplicate
//! keys are an error. Any other token sequence in a value position is a Rust
//! expression (parenthesize one that has a top-level comma). The body is
//! checked with every literal known and each expression standing for an
//! unknown value of its position's type; `validate()` checks the rest at run
//! time.

use std::collections::HashMap;

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};
use sendapi_spec::model::Status;
use sendapi_spec::{Engine, OPAQUE, Platform, Prim, RuleKind, Spec, Violation};
use serde_json::Value;

use crate::shapes::{FieldShape, RTy, ShapeKind, Shapes};
use crate::util::{ident, variant_struct};

/// A parsed value of a `request!` body.
#[derive(Debug, Clone)]
pub enum Node {
    /// `{ "key": value, … }`.
    Object {
        /// The braces.
        span: Span,
        /// Entries in order.
        entries: Vec<Entry>,
    },
    /// `[ value, … ]`.
    Array {
        /// The brackets.
        span: Span,
        /// Items.
        items: Vec<Node>,
    },
    /// A JSON scalar literal.
    Scalar {
        /// The literal.
        span: Span,
        /// Its value.
        value: Value,
    },
    /// A Rust expression.
    Expr {
        /// Its first token.
        span: Span,
        /// The tokens.
        tokens: TokenStream,
    },
}

/// An object entry.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// The key's span.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Node {
    /// The span of the whole value.
    pub fn span(&self) -> Span {
        match self {
            Node::Object { span, .. }
            | Node::Array { span, .. }
            | Node::Scalar { span, .. }
            | Node::Expr { span, .. } => *span,
        }
    }

    /// The JSON the engine checks, with [`OPAQUE`] for expressions.
    pub fn to_value(&self) -> Value {
        match self {
            Node::Object { entries, .. } => Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_value()))
                    .collect(),
            ),
            Node::Array { items, .. } => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Scalar { value, .. } => value.clone(),
            Node::Expr { .. } => Value::String(OPAQUE.to_string()),
        }
    }

    fn entry(&self, key: &str) -> Option<&Entry> {
        match self {
            Node::Object { entries, .. } => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    fn present(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value).filter(|v| {
            !matches!(
                v,
                Node::Scalar {
                    value: Value::Null,
                    ..
                }
            )
        })
    }
}

/// The invocation: an optional platform and the body.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// The platform written before the body, if any.
    pub platform: Platform,
    /// The body.
    pub body: Node,
}

fn split_commas(stream: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut parts = vec![Vec::new()];
    for tt in stream {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => parts.push(Vec::new()),
            _ => parts.last_mut().expect("never empty").push(tt),
        }
    }
    parts
}

struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, e: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }
}

fn parse_value(tokens: &[TokenTree], at: Span, errs: &mut Errors) -> Option<Node> {
    match tokens {
        [] => {
            errs.push(syn::Error::new(
                at,
                "expected a value: a JSON literal, `{…}`, `[…]` or a Rust expression",
            ));
            None
        }
        [TokenTree::Group(g)] if g.delimiter() == Delimiter::Brace => {
            Some(parse_object(g.stream(), g.span(), errs))
        }
        [TokenTree::Group(g)] if g.delimiter() == Delimiter::Bracket => {
            let mut items = Vec::new();
            let parts = split_commas(g.stream());
            let n = parts.len();
            for (i, part) in parts.into_iter().enumerate() {
                if part.is_empty() && i == n - 1 {
                    continue;
                }
                if let Some(v) = parse_value(&part, g.span(), errs) {
                    items.push(v);
                }
            }
            Some(Node::Array {
                span: g.span(),
                items,
            })
        }
        [TokenTree::Ident(i)] if i == "true" || i == "false" || i == "null" => Some(Node::Scalar {
            span: i.span(),
            value: match i.to_string().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::Null,
            },
        }),
        [TokenTree::Literal(l)] => match literal(&l.to_string(), false) {
            Some(Ok(value)) => Some(Node::Scalar {
                span: l.span(),
                value,
            }),
            Some(Err(e)) => {
                errs.push(syn::Error::new(l.span(), e));
                None
            }
            None => Some(Node::Expr {
                span: l.span(),
                tokens: tokens.iter().cloned().collect(),
            }),
        },
        [TokenTree::Punct(m), TokenTree::Literal(l)] if m.as_char() == '-' => {
            match literal(&l.to_string(), true) {
                Some(Ok(value)) => Some(Node::Scalar {
                    span: l.span(),
                    value,
                }),
                Some(Err(e)) => {
                    errs.push(syn::Error::new(l.span(), e));
                    None
                }
                None => Some(Node::Expr {
                    span: m.span(),
                    tokens: tokens.iter().cloned().collect(),
                }),
            }
        }
        _ => Some(Node::Expr {
            span: tokens[0].span(),
            tokens: tokens.iter().cloned().collect(),
        }),
    }
}

/// A JSON scalar from a Rust literal: `None` when the literal is not one
/// (a char, a byte string: an expression then).
fn literal(text: &str, negative: bool) -> Option<Result<Value, String>> {
    if text.starts_with('"') || text.starts_with("r\"") || text.starts_with("r#") {
        if negative {
            return Some(Err("a string cannot be negated".into()));
        }
        return Some(match syn::parse_str::<syn::LitStr>(text) {
            Ok(s) if s.suffix().is_empty() => Ok(Value::String(s.value())),
            Ok(_) => Err("a JSON string takes no suffix".into()),
            Err(e) => Err(format!("not a string literal: {e}")),
        });
    }
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        let lit = syn::parse_str::<syn::Lit>(text).ok()?;
        let sign = if negative { "-" } else { "" };
        return Some(match lit {
            syn::Lit::Int(i) if i.suffix().is_empty() => {
                let digits = format!("{sign}{}", i.base10_digits());
                match digits.parse::<i64>() {
                    Ok(n) => Ok(Value::from(n)),
                    Err(_) => match digits.parse::<u64>() {
                        Ok(n) => Ok(Value::from(n)),
                        Err(_) => Err(format!(
                            "the number {digits} does not fit in 64 bits; write it as a string if it is an id"
                        )),
                    },
                }
            }
            syn::Lit::Float(f) if f.suffix().is_empty() => {
                let text = format!("{sign}{}", f.base10_digits());
                match text.parse::<f64>() {
                    Ok(x) if x.is_finite() => serde_json::Number::from_f64(x)
                        .map(Value::Number)
                        .ok_or_else(|| format!("the number {text} is not a JSON number")),
                    _ => Err(format!("the number {text} is out of range")),
                }
            }
            syn::Lit::Int(_) | syn::Lit::Float(_) => {
                Err("a JSON number takes no type suffix (write `1`, not `1u8`)".into())
            }
            _ => return None,
        });
    }
    None
}

fn parse_object(stream: TokenStream, span: Span, errs: &mut Errors) -> Node {
    let mut entries: Vec<Entry> = Vec::new();
    let mut seen: HashMap<String, Span> = HashMap::new();
    let parts = split_commas(stream);
    let n = parts.len();
    for (i, part) in parts.into_iter().enumerate() {
        if part.is_empty() {
            if i != n - 1 {
                errs.push(syn::Error::new(
                    span,
                    "expected `\"key\": value` between these commas",
                ));
            }
            continue;
        }
        let (key, key_span) = match &part[0] {
            TokenTree::Literal(l) => match syn::parse_str::<syn::LitStr>(&l.to_string()) {
                Ok(s) => (s.value(), l.span()),
                Err(_) => {
                    errs.push(syn::Error::new(
                        l.span(),
                        "keys are string literals: write `\"key\": value`",
                    ));
                    continue;
                }
            },
            other => {
                let hint = match other {
                    TokenTree::Ident(i) => format!("; write `\"{i}\"`"),
                    _ => String::new(),
                };
                errs.push(syn::Error::new(
                    other.span(),
                    format!("keys are string literals{hint}"),
                ));
                continue;
            }
        };
        match part.get(1) {
            Some(TokenTree::Punct(p)) if p.as_char() == ':' => {}
            other => {
                errs.push(syn::Error::new(
                    other.map_or(key_span, TokenTree::span),
                    format!("expected `:` after the key \"{key}\""),
                ));
                continue;
            }
        }
        if seen.contains_key(&key) {
            errs.push(syn::Error::new(
                key_span,
                format!("duplicate key \"{key}\": JSON bodies take each key once; remove one"),
            ));
            continue;
        }
        seen.insert(key.clone(), key_span);
        if let Some(value) = parse_value(&part[2..], key_span, errs) {
            entries.push(Entry {
                key,
                key_span,
                value,
            });
        }
    }
    Node::Object { span, entries }
}

/// Parses `[platform ,] { … }`.
pub fn parse(input: TokenStream) -> Result<Invocation, syn::Error> {
    let tokens: Vec<TokenTree> = input.into_iter().collect();
    let mut errs = Errors(None);
    let (platform, rest) = match tokens.as_slice() {
        [TokenTree::Ident(i), TokenTree::Punct(c), rest @ ..] if c.as_char() == ',' => {
            let p = match i.to_string().as_str() {
                "messenger" => Platform::Messenger,
                "instagram" => Platform::Instagram,
                other => {
                    return Err(syn::Error::new(
                        i.span(),
                        format!(
                            "unknown platform `{other}`: write `messenger` or `instagram` before the body"
                        ),
                    ));
                }
            };
            (p, rest)
        }
        rest => (Platform::Messenger, rest),
    };
    let body = match rest {
        [TokenTree::Group(g)] if g.delimiter() == Delimiter::Brace => {
            parse_object(g.stream(), g.span(), &mut errs)
        }
        [] => {
            return Err(syn::Error::new(
                Span::call_site(),
                "expected a request body: `request!({ \"recipient\": { \"id\": \"…\" }, \"messaging_type\": \"RESPONSE\", \"message\": { \"text\": \"…\" } })`",
            ));
        }
        other => {
            return Err(syn::Error::new(
                other[0].span(),
                "expected `{` opening the request body (optionally after `messenger,` or `instagram,`)",
            ));
        }
    };
    match errs.0 {
        Some(e) => Err(e),
        None => Ok(Invocation { platform, body }),
    }
}

/// The span a violation at `pointer` belongs on: the key for unknown keys,
/// the value otherwise; the deepest node the pointer reaches.
fn locate(body: &Node, pointer: &str, on_key: bool) -> Span {
    let mut node = body;
    let mut key_span = None;
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        match node {
            Node::Object { entries, .. } => match entries.iter().find(|e| e.key == seg) {
                Some(e) => {
                    key_span = Some(e.key_span);
                    node = &e.value;
                }
                None => return node.span(),
            },
            Node::Array { items, .. } => match seg.parse::<usize>().ok().and_then(|i| items.get(i))
            {
                Some(item) => {
                    key_span = None;
                    node = item;
                }
                None => return node.span(),
            },
            _ => return node.span(),
        }
    }
    match (on_key, key_span) {
        (true, Some(k)) => k,
        _ => node.span(),
    }
}

/// The compile error for one violation.
pub fn diagnostic(body: &Node, v: &Violation) -> syn::Error {
    let on_key = matches!(v.kind, RuleKind::UnknownField | RuleKind::OpenField);
    let span = locate(body, &v.pointer, on_key);
    syn::Error::new(
        span,
        format!(
            "[{}] {}\n help: {}\n doc: {}",
            v.rule, v.message, v.fix, v.doc
        ),
    )
}

/// What the expansion needs besides the body.
#[derive(Debug)]
pub struct Target<'a> {
    /// The spec.
    pub spec: &'a Spec,
    /// Its shapes.
    pub shapes: &'a Shapes,
    /// Its compiled engine.
    pub engine: &'a Engine,
    /// Absolute path to the bindings module (`::sendapi::v26`).
    pub module: TokenStream,
}

struct Build<'a> {
    t: &'a Target<'a>,
    errs: Errors,
}

fn private() -> TokenStream {
    quote!(::sendapi::__private)
}

impl Build<'_> {
    fn error(&mut self, span: Span, msg: impl Into<String>) -> TokenStream {
        self.errs.push(syn::Error::new(span, msg.into()));
        quote!(::sendapi::__private::unreachable!())
    }

    fn expr_into(&self, tokens: &TokenStream, span: Span, ty: &TokenStream) -> TokenStream {
        let p = private();
        quote_spanned!(span=> #p::into::<#ty>(#tokens))
    }

    fn ty_tokens(&self, t: &RTy) -> TokenStream {
        let p = private();
        let m = &self.t.module;
        match t {
            RTy::Prim(Prim::String | Prim::Id | Prim::StringOrNumber) => quote!(#p::String),
            RTy::Prim(Prim::Bool) => quote!(bool),
            RTy::Prim(Prim::Number) => quote!(#p::Number),
            RTy::Prim(Prim::Integer) => quote!(i64),
            RTy::Prim(Prim::Json) => quote!(#p::Value),
            RTy::Named(n) | RTy::Boxed(n) => {
                let i = ident(n);
                quote!(#m::#i)
            }
            RTy::Vec(inner) => {
                let it = self.ty_tokens(inner);
                quote!(#p::Vec<#it>)
            }
        }
    }

    fn value(&mut self, node: &Node, t: &RTy) -> TokenStream {
        let p = private();
        if let Node::Expr { tokens, span } = node {
            let ty = self.ty_tokens(t);
            return match t {
                RTy::Boxed(_) => {
                    let inner = self.expr_into(tokens, *span, &ty);
                    quote!(#p::Box::new(#inner))
                }
                _ => self.expr_into(tokens, *span, &ty),
            };
        }
        match t {
            RTy::Prim(prim) => self.prim(node, *prim),
            RTy::Vec(inner) => match node {
                Node::Array { items, .. } => {
                    let items: Vec<TokenStream> =
                        items.iter().map(|i| self.value(i, inner)).collect();
                    if items.is_empty() {
                        quote!(#p::Vec::new())
                    } else {
                        quote!(#p::Vec::from([#(#items),*]))
                    }
                }
                other => self.error(other.span(), "expected an array here"),
            },
            RTy::Boxed(n) => {
                let v = self.named(node, n);
                quote!(#p::Box::new(#v))
            }
            RTy::Named(n) => self.named(node, n),
        }
    }

    fn prim(&mut self, node: &Node, prim: Prim) -> TokenStream {
        let p = private();
        match (prim, node) {
            (
                Prim::String | Prim::Id | Prim::StringOrNumber,
                Node::Scalar {
                    value: Value::String(s),
                    ..
                },
            ) => quote!(#p::String::from(#s)),
            // Graph reads a number where an id is expected as its digits.
            (
                Prim::Id | Prim::StringOrNumber,
                Node::Scalar {
                    value: Value::Number(n),
                    ..
                },
            ) => {
                let s = n.to_string();
                quote!(#p::String::from(#s))
            }
            (
                Prim::Bool,
                Node::Scalar {
                    value: Value::Bool(b),
                    ..
                },
            ) => quote!(#b),
            (
                Prim::Bool,
                Node::Scalar {
                    value: Value::String(s),
                    ..
                },
            ) if s == "true" || s == "false" => {
                let b = s == "true";
                quote!(#b)
            }
            (
                Prim::Number,
                Node::Scalar {
                    value: Value::Number(n),
                    ..
                },
            ) => {
                if let Some(i) = n.as_i64() {
                    quote!(#p::Number::from(#i))
                } else if let Some(u) = n.as_u64() {
                    quote!(#p::Number::from(#u))
                } else {
                    let f = n.as_f64().unwrap_or(0.0);
                    quote!(#p::number_f64(#f))
                }
            }
            (
                Prim::Integer,
                Node::Scalar {
                    value: Value::Number(n),
                    ..
                },
            ) if n.as_i64().is_some() => {
                let i = n.as_i64().unwrap_or(0);
                quote!(#i)
            }
            (Prim::Json, n) => self.json(n),
            (_, other) => self.error(other.span(), format!("expected {} here", prim.describe())),
        }
    }

    fn json(&mut self, node: &Node) -> TokenStream {
        let p = private();
        match node {
            Node::Expr { tokens, span } => self.expr_into(tokens, *span, &quote!(#p::Value)),
            Node::Scalar { value, .. } => {
                let text = value.to_string();
                quote!(#p::json_from_str(#text))
            }
            Node::Array { items, .. } => {
                let items: Vec<TokenStream> = items.iter().map(|i| self.json(i)).collect();
                quote!(#p::Value::Array(#p::Vec::from([#(#items),*])))
            }
            Node::Object { entries, .. } => {
                let inserts = entries.iter().map(|e| {
                    let k = &e.key;
                    let v = self.json(&e.value);
                    quote!(__m.insert(#p::String::from(#k), #v);)
                });
                quote!({
                    let mut __m = #p::Map::new();
                    #(#inserts)*
                    #p::Value::Object(__m)
                })
            }
        }
    }

    fn named(&mut self, node: &Node, name: &str) -> TokenStream {
        let t: &Target<'_> = self.t;
        let m = t.module.clone();
        let Some(shape) = t.shapes.get(name) else {
            return self.error(node.span(), format!("unknown type {name}"));
        };
        let ty = ident(name);
        match &shape.kind {
            ShapeKind::Enum(values) => {
                let Node::Scalar {
                    value: Value::String(s),
                    span,
                } = node
                else {
                    return self.error(node.span(), format!("expected a {name} string here"));
                };
                match values.iter().find(|v| &v.wire == s || v.aliases.contains(s)) {
                    Some(v) if v.carries.is_none() => {
                        let vi = ident(&v.rust);
                        quote!(#m::#ty::#vi)
                    }
                    Some(v) => self.error(*span, format!("`{}` carries `{}`; write them side by side in the object that holds them", v.wire, v.carries.as_ref().map_or("", |c| c.wire.as_str()))),
                    None => self.error(*span, format!("`{s}` is not a value of {name}")),
                }
            }
            ShapeKind::Struct(fields) => {
                let open = shape.open;
                self.struct_lit(node, name, &quote!(#m::#ty), fields, None, open)
            }
            ShapeKind::Keyed(variants) => {
                let Node::Object { .. } = node else {
                    return self.error(node.span(), format!("expected a {name} object here"));
                };
                let Some(v) = variants.iter().find(|v| node.present(&v.key).is_some()) else {
                    return self.error(node.span(), format!("{name} needs one of its keys"));
                };
                let vi = ident(&v.rust);
                let sty = ident(&variant_struct(name, &v.rust));
                let inner = self.struct_lit(node, name, &quote!(#m::#sty), &v.fields, None, false);
                quote!(#m::#ty::#vi(#inner))
            }
            ShapeKind::Tagged {
                tag,
                content,
                variants,
            } => {
                let Node::Object { .. } = node else {
                    return self.error(node.span(), format!("expected a {name} object here"));
                };
                let tag_node = node.present(tag);
                let wire = match tag_node {
                    Some(Node::Scalar {
                        value: Value::String(s),
                        ..
                    }) => s.clone(),
                    Some(other) => {
                        return self.error(
                            other.span(),
                            format!("the `{tag}` of a {name} must be a string literal in request!, which builds the variant from it; write the whole {name} as an expression instead"),
                        );
                    }
                    None => return self.error(node.span(), format!("{name} needs `{tag}`")),
                };
                let Some(v) = variants.iter().find(|v| v.wire == wire) else {
                    return self.error(node.span(), format!("`{wire}` is not a {name} `{tag}`"));
                };
                let vi = ident(&v.rust);
                match (&v.inner, &content) {
                    (None, _) => quote!(#m::#ty::#vi),
                    (Some(inner), Some(c)) => match node.present(c) {
                        Some(cn) => {
                            let inner_v = self.value(cn, &RTy::Named(inner.clone()));
                            quote!(#m::#ty::#vi(#inner_v))
                        }
                        None => self.error(node.span(), format!("{name} `{wire}` needs `{c}`")),
                    },
                    (Some(inner), None) => {
                        let built = match t.shapes.get(inner).map(|s| (&s.kind, s.open)) {
                            Some((ShapeKind::Struct(fields), open)) => {
                                let it = ident(inner);
                                self.struct_lit(
                                    node,
                                    inner,
                                    &quote!(#m::#it),
                                    fields,
                                    Some(tag),
                                    open,
                                )
                            }
                            Some((ShapeKind::Keyed(_), _)) => self.named(node, inner),
                            _ => self.error(node.span(), format!("cannot build {inner} inline")),
                        };
                        quote!(#m::#ty::#vi(#built))
                    }
                }
            }
        }
    }

    /// A struct literal from an object node. `owner` is the spec type whose
    /// fields (including carried and transport ones) the object may hold.
    fn struct_lit(
        &mut self,
        node: &Node,
        owner: &str,
        path: &TokenStream,
        fields: &[FieldShape],
        skip: Option<&str>,
        open: bool,
    ) -> TokenStream {
        let p = private();
        let Node::Object { entries, .. } = node else {
            return self.error(node.span(), format!("expected a {owner} object here"));
        };
        let def = self.t.spec.type_def(owner);
        let mut inits = Vec::new();
        for f in fields {
            let fi = ident(&f.ident);
            let value = match node.present(&f.wire) {
                None => {
                    if f.required {
                        let msg = format!("{owner} needs `{}`", f.wire);
                        let e = self.error(node.span(), msg);
                        inits.push(quote!(#fi: #e));
                        continue;
                    }
                    inits.push(quote!(#fi: #p::None));
                    continue;
                }
                Some(v) => v,
            };
            let built = if let Some(c) = self.carrier(f) {
                self.carrier_value(node, owner, f, value, &c)
            } else {
                self.value(value, &f.ty)
            };
            if f.required {
                inits.push(quote!(#fi: #built));
            } else {
                inits.push(quote!(#fi: #p::Some(#built)));
            }
        }
        if open {
            let known: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
            let extras: Vec<TokenStream> = entries
                .iter()
                .filter(|e| !known.contains(&e.key.as_str()) && Some(e.key.as_str()) != skip)
                .map(|e| {
                    let k = &e.key;
                    let v = self.json(&e.value);
                    quote!(__m.insert(#p::String::from(#k), #v);)
                })
                .collect();
            inits.push(quote!(unknown_fields: { let mut __m = #p::Map::new(); #(#extras)* __m }));
        }
        // Keys the typed value drops: transport parameters (the client
        // sends them) and explicit nulls.
        let _ = def.map(|d| {
            d.fields
                .values()
                .filter(|f| f.status == Status::Transport)
                .count()
        });
        quote!(#path { #(#inits),* })
    }

    /// The enum name of a carrier field (an enum whose values carry siblings).
    fn carrier(&self, f: &FieldShape) -> Option<String> {
        let n = f.ty.named()?;
        match &self.t.shapes.get(n)?.kind {
            ShapeKind::Enum(vals) if vals.iter().any(|v| v.carries.is_some()) => {
                Some(n.to_string())
            }
            _ => None,
        }
    }

    fn carrier_value(
        &mut self,
        node: &Node,
        owner: &str,
        f: &FieldShape,
        value: &Node,
        en: &str,
    ) -> TokenStream {
        let p = private();
        let m = self.t.module.clone();
        let ety = ident(en);
        let t: &Target<'_> = self.t;
        let Some(ShapeKind::Enum(values)) = t.shapes.get(en).map(|s| &s.kind) else {
            return self.error(value.span(), "bad carrier");
        };
        match value {
            Node::Expr { tokens, span } => {
                // The expression holds the carried value; a literal sibling
                // would say it twice.
                for v in values {
                    if let Some(c) = &v.carries
                        && let Some(e) = node.entry(&c.wire)
                    {
                        let msg = format!(
                            "`{}` is an expression of type {en}, which carries `{}` itself; remove the `{}` key",
                            f.wire, c.wire, c.wire
                        );
                        self.errs.push(syn::Error::new(e.key_span, msg));
                    }
                }
                self.expr_into(tokens, *span, &quote!(#m::#ety))
            }
            Node::Scalar {
                value: Value::String(s),
                span,
            } => {
                let Some(v) = values
                    .iter()
                    .find(|v| &v.wire == s || v.aliases.contains(s))
                else {
                    return self.error(*span, format!("`{s}` is not a value of {en}"));
                };
                let vi = ident(&v.rust);
                let Some(c) = &v.carries else {
                    return quote!(#m::#ety::#vi);
                };
                let Some(cn) = node.present(&c.wire) else {
                    return self.error(
                        *span,
                        format!("`{s}` needs `{}` next to it in {owner}", c.wire),
                    );
                };
                match &c.inline {
                    None => {
                        let inner = self.value(cn, &c.ty);
                        quote!(#m::#ety::#vi(#inner))
                    }
                    Some(fields) => match cn {
                        Node::Expr { tokens, span } => {
                            let pty = self.ty_tokens(&c.ty);
                            let x = self.expr_into(tokens, *span, &pty);
                            let names: Vec<_> = fields.iter().map(|f| ident(&f.ident)).collect();
                            quote!({ let __sendapi_carried: #pty = #x; #m::#ety::#vi { #(#names: __sendapi_carried.#names),* } })
                        }
                        _ => {
                            let inits: Vec<TokenStream> = fields
                                .iter()
                                .map(|g| {
                                    let gi = ident(&g.ident);
                                    match cn.present(&g.wire) {
                                        Some(gv) => {
                                            let b = self.value(gv, &g.ty);
                                            if g.required {
                                                quote!(#gi: #b)
                                            } else {
                                                quote!(#gi: #p::Some(#b))
                                            }
                                        }
                                        None if g.required => {
                                            let e = self.error(
                                                cn.span(),
                                                format!("`{}` needs `{}`", c.wire, g.wire),
                                            );
                                            quote!(#gi: #e)
                                        }
                                        None => quote!(#gi: #p::None),
                                    }
                                })
                                .collect();
                            quote!(#m::#ety::#vi { #(#inits),* })
                        }
                    },
                }
            }
            other => self.error(other.span(), format!("expected a {en} string here")),
        }
    }
}

/// Checks and builds a `request!` body: the typed request, or every compile
/// error at once followed by a stub of the same type, so that code using the
/// result reports no follow-on errors.
pub fn expand(input: TokenStream, target: &Target<'_>) -> TokenStream {
    let m = &target.module;
    let stub = |form: TokenStream, kind: TokenStream, platform: TokenStream, errors: syn::Error| {
        let errors = errors.to_compile_error();
        quote!({
            #errors
            #m::Request::<#platform, #form, #kind>::__from_parts(::sendapi::__private::stub())
        })
    };
    let platform_tokens = |p: Platform| match p {
        Platform::Messenger => quote!(::sendapi::Messenger),
        Platform::Instagram => quote!(::sendapi::Instagram),
    };
    let inv = match parse(input) {
        Ok(inv) => inv,
        Err(e) => {
            return stub(
                quote!(#m::form::Any),
                quote!(#m::kind::Either),
                quote!(::sendapi::Messenger),
                e,
            );
        }
    };
    let root = target.shapes.root.clone();
    let (form, kind) = type_state(target, &inv.body, &root);
    let platform = platform_tokens(inv.platform);
    let value = inv.body.to_value();
    let report = target.engine.validate_literal(&value, inv.platform);
    let mut errs = Errors(None);
    for v in report.errors() {
        errs.push(diagnostic(&inv.body, v));
    }
    if let Some(e) = errs.0 {
        return stub(form, kind, platform, e);
    }
    let mut b = Build {
        t: target,
        errs: Errors(None),
    };
    let body = b.value(&inv.body, &RTy::Named(root.clone()));
    if let Some(e) = b.errs.0 {
        return stub(form, kind, platform, e);
    }
    quote! {
        #m::Request::<#platform, #form, #kind>::__from_parts(#body)
    }
}

/// Builds the root body of a checked node (for `#[derive(Message)]`).
pub fn build_body(node: &Node, target: &Target<'_>) -> Result<TokenStream, syn::Error> {
    let mut b = Build {
        t: target,
        errs: Errors(None),
    };
    let body = b.value(node, &RTy::Named(target.shapes.root.clone()));
    match b.errs.0 {
        Some(e) => Err(e),
        None => Ok(body),
    }
}

fn type_state(target: &Target<'_>, body: &Node, root: &str) -> (TokenStream, TokenStream) {
    let m = &target.module;
    let Some(ShapeKind::Keyed(variants)) = target.shapes.get(root).map(|s| &s.kind) else {
        return (quote!(#m::form::Any), quote!(#m::kind::Either));
    };
    let kind = variants
        .iter()
        .find(|v| body.present(&v.key).is_some())
        .map(|v| {
            let k = ident(&v.rust);
            quote!(#m::kind::#k)
        })
        .unwrap_or_else(|| quote!(#m::kind::Either));
    // The shared required keyed field is the recipient.
    let form = variants
        .first()
        .and_then(|v| {
            v.fields.iter().find(|f| {
                !f.is_key && f.required && matches!(&f.ty, RTy::Named(n) if matches!(target.shapes.get(n).map(|s| &s.kind), Some(ShapeKind::Keyed(_))))
            })
        })
        .and_then(|rf| {
            let rn = rf.ty.named()?;
            let Some(ShapeKind::Keyed(rvs)) = target.shapes.get(rn).map(|s| &s.kind) else { return None };
            let rnode = body.present(&rf.wire)?;
            if matches!(rnode, Node::Expr { .. }) {
                return None;
            }
            let v = rvs.iter().find(|v| rnode.present(&v.key).is_some())?;
            let f = ident(&v.rust);
            Some(quote!(#m::form::#f))
        })
        .unwrap_or_else(|| quote!(#m::form::Any));
    (form, kind)
}
