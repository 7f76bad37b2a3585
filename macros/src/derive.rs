//! `#[derive(sendapi::Message)]`.
//!
//! The attributes describe a message send; the derive writes them down as a
//! `request!` body whose field values are expressions reading `self`, and
//! runs that body through the same check and build as `request!`. So every
//! attribute is checked against the spec's rules, each error lands on the
//! attribute or field it comes from, and all of them come out in one compile.

use std::cell::RefCell;

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use sendapi_codegen::request_expansion::{Bindings, Entry, Node};
use sendapi_spec::Platform;
use serde_json::Value;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

// Attribute keywords, in one place (serde's symbol.rs habit).
const SNAPSHOT: &str = "snapshot";
const PLATFORM: &str = "platform";
const MESSAGING_TYPE: &str = "messaging_type";
const TAG: &str = "tag";
const NOTIFICATION_TYPE: &str = "notification_type";
const ROLES: [&str; 4] = ["text", "attachment", "quick_replies", "metadata"];

/// Collects every error of one derive, so that all are reported together
/// (serde's `Ctxt`).
#[derive(Default)]
struct Ctxt {
    errors: RefCell<Option<syn::Error>>,
}

impl Ctxt {
    fn error(&self, span: Span, msg: impl std::fmt::Display) {
        let e = syn::Error::new(span, msg);
        let mut slot = self.errors.borrow_mut();
        match slot.as_mut() {
            Some(all) => all.combine(e),
            None => *slot = Some(e),
        }
    }

    fn take(&self) -> Option<syn::Error> {
        self.errors.borrow_mut().take()
    }
}

/// A string attribute with where it was written.
#[derive(Clone)]
struct Attr {
    value: String,
    span: Span,
}

/// Message-level attributes (on the type or on an enum variant).
#[derive(Clone, Default)]
struct Send {
    snapshot: Option<Attr>,
    platform: Option<Attr>,
    messaging_type: Option<Attr>,
    tag: Option<Attr>,
    notification_type: Option<Attr>,
}

impl Send {
    fn merged(&self, over: &Send) -> Send {
        Send {
            snapshot: over.snapshot.clone().or_else(|| self.snapshot.clone()),
            platform: over.platform.clone().or_else(|| self.platform.clone()),
            messaging_type: over
                .messaging_type
                .clone()
                .or_else(|| self.messaging_type.clone()),
            tag: over.tag.clone().or_else(|| self.tag.clone()),
            notification_type: over
                .notification_type
                .clone()
                .or_else(|| self.notification_type.clone()),
        }
    }
}

fn set(cx: &Ctxt, slot: &mut Option<Attr>, key: &str, lit: &LitStr) {
    if slot.is_some() {
        cx.error(lit.span(), format!("duplicate sendapi attribute `{key}`"));
    } else {
        *slot = Some(Attr {
            value: lit.value(),
            span: lit.span(),
        });
    }
}

fn send_attrs(cx: &Ctxt, attrs: &[syn::Attribute], container: bool) -> Send {
    let mut out = Send::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("sendapi")) {
        let res = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            let slot = match key.as_str() {
                SNAPSHOT if container => &mut out.snapshot,
                SNAPSHOT => return Err(meta.error("`snapshot` goes on the type, not on a variant")),
                PLATFORM => &mut out.platform,
                MESSAGING_TYPE => &mut out.messaging_type,
                TAG => &mut out.tag,
                NOTIFICATION_TYPE => &mut out.notification_type,
                other => {
                    let hint = if ROLES.contains(&other) {
                        format!("; `{other}` is a field role: put `#[sendapi({other})]` on a field")
                    } else {
                        String::new()
                    };
                    return Err(meta.error(format!(
                        "unknown sendapi attribute `{other}`; expected one of snapshot, platform, messaging_type, tag, notification_type{hint}"
                    )));
                }
            };
            let lit: LitStr = meta.value()?.parse()?;
            set(cx, slot, &key, &lit);
            Ok(())
        });
        if let Err(e) = res {
            cx.error(e.span(), e);
        }
    }
    out
}

/// A field with a role.
struct RoleField {
    role: &'static str,
    access: TokenStream,
    span: Span,
}

fn field_roles(
    cx: &Ctxt,
    fields: &Fields,
    access: impl Fn(usize, &syn::Field) -> TokenStream,
) -> Vec<RoleField> {
    let mut out: Vec<RoleField> = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        for attr in f.attrs.iter().filter(|a| a.path().is_ident("sendapi")) {
            let res = attr.parse_nested_meta(|meta| {
                let key = meta
                    .path
                    .get_ident()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                let Some(role) = ROLES.iter().find(|r| **r == key) else {
                    return Err(meta.error(format!(
                        "unknown field role `{key}`; expected one of {}",
                        ROLES.join(", ")
                    )));
                };
                if out.iter().any(|r| r.role == *role) {
                    return Err(meta.error(format!(
                        "two fields have the role `{role}`; a message has one"
                    )));
                }
                out.push(RoleField {
                    role,
                    access: access(i, f),
                    span: meta.path.span(),
                });
                Ok(())
            });
            if let Err(e) = res {
                cx.error(e.span(), e);
            }
        }
    }
    out
}

fn scalar(a: &Attr) -> Node {
    Node::Scalar {
        span: a.span,
        value: Value::String(a.value.clone()),
    }
}

fn entry(key: &str, key_span: Span, value: Node) -> Entry {
    Entry {
        key: key.to_string(),
        key_span,
        value,
    }
}

/// The request body the attributes describe, with `recipient` and the
/// role fields as expressions.
fn body(send: &Send, roles: &[RoleField], at: Span) -> Node {
    let mut entries = vec![entry(
        "recipient",
        at,
        Node::Expr {
            span: at,
            tokens: quote!(recipient),
        },
    )];
    match (&send.messaging_type, &send.tag) {
        (Some(m), _) => entries.push(entry(MESSAGING_TYPE, m.span, scalar(m))),
        // A tag implies MESSAGE_TAG: what the derive emits always carries
        // messaging_type.
        (None, Some(t)) => entries.push(entry(
            MESSAGING_TYPE,
            t.span,
            Node::Scalar {
                span: t.span,
                value: Value::String("MESSAGE_TAG".into()),
            },
        )),
        (None, None) => {}
    }
    if let Some(t) = &send.tag {
        entries.push(entry(TAG, t.span, scalar(t)));
    }
    if let Some(n) = &send.notification_type {
        entries.push(entry(NOTIFICATION_TYPE, n.span, scalar(n)));
    }
    let message: Vec<Entry> = roles
        .iter()
        .map(|r| {
            let access = &r.access;
            entry(
                r.role,
                r.span,
                Node::Expr {
                    span: r.span,
                    tokens: quote_spanned!(r.span=> ::core::clone::Clone::clone(&#access)),
                },
            )
        })
        .collect();
    entries.push(entry(
        "message",
        at,
        Node::Object {
            span: at,
            entries: message,
        },
    ));
    Node::Object { span: at, entries }
}

pub fn expand(input: DeriveInput) -> Result<TokenStream, syn::Error> {
    let cx = Ctxt::default();
    let name = &input.ident;
    let container = send_attrs(&cx, &input.attrs, true);
    let snapshot = container
        .snapshot
        .clone()
        .map_or_else(|| "latest".to_string(), |a| a.value);
    let snapshot_span = container.snapshot.as_ref().map_or(name.span(), |a| a.span);
    let loaded = match crate::bundled(&snapshot) {
        Ok(l) => Some(l),
        Err(_) => {
            cx.error(
                snapshot_span,
                format!("unknown snapshot `{snapshot}`; use \"v21.0\", \"v26.0\" or \"latest\""),
            );
            None
        }
    };
    let module_name = sendapi_codegen::bundled_module(if snapshot == "latest" {
        sendapi_spec::LATEST
    } else {
        &snapshot
    });
    let module_ident = syn::Ident::new(&module_name, Span::call_site());
    let module = quote!(::sendapi::#module_ident);

    // One (pattern, body, send attributes) per way the value can be.
    let mut arms: Vec<(TokenStream, Send, Vec<RoleField>, Span)> = Vec::new();
    match &input.data {
        Data::Struct(s) => {
            let roles = field_roles(&cx, &s.fields, |i, f| match &f.ident {
                Some(id) => quote!(self.#id),
                None => {
                    let idx = syn::Index::from(i);
                    quote!(self.#idx)
                }
            });
            arms.push((quote!(_), container.clone(), roles, name.span()));
        }
        Data::Enum(e) => {
            for v in &e.variants {
                let vattrs = send_attrs(&cx, &v.attrs, false);
                let vname = &v.ident;
                let binders: Vec<syn::Ident> = (0..v.fields.len())
                    .map(|i| quote::format_ident!("__sendapi_f{}", i))
                    .collect();
                let pattern = match &v.fields {
                    Fields::Named(n) => {
                        let names = n.named.iter().map(|f| f.ident.clone());
                        quote!(#name::#vname { #(#names: #binders),* })
                    }
                    Fields::Unnamed(_) => quote!(#name::#vname(#(#binders),*)),
                    Fields::Unit => quote!(#name::#vname),
                };
                let roles = field_roles(&cx, &v.fields, |i, _| {
                    let b = &binders[i];
                    quote!(*#b)
                });
                arms.push((pattern, container.merged(&vattrs), roles, v.ident.span()));
            }
            if e.variants.is_empty() {
                cx.error(name.span(), "an enum without variants cannot be a message");
            }
        }
        Data::Union(u) => cx.error(
            u.union_token.span,
            "#[derive(Message)] takes a struct or an enum",
        ),
    }

    // Check and build each arm through the request! pipeline.
    let mut built = Vec::new();
    let mut platform = None;
    if let Some(loaded) = &loaded {
        let bindings = Bindings {
            spec: loaded.spec(),
            shapes: &loaded.shapes,
            engine: loaded.engine(),
            module: module.clone(),
        };
        for (pattern, send, roles, at) in &arms {
            let p = match &send.platform {
                None => Platform::Messenger,
                Some(a) => match a.value.parse::<Platform>() {
                    Ok(p) => p,
                    Err(e) => {
                        cx.error(a.span, e);
                        Platform::Messenger
                    }
                },
            };
            if platform.is_some_and(|q| q != p) {
                cx.error(*at, "every variant of a message type uses the same platform; set `platform` on the type");
            }
            platform = Some(p);
            if send.messaging_type.is_none() && send.tag.is_none() {
                cx.error(
                    *at,
                    "a derived message needs a messaging type: add #[sendapi(messaging_type = \"RESPONSE\")] (or \"UPDATE\", \"UTILITY\"), or #[sendapi(tag = \"HUMAN_AGENT\")]; sendapi always sends messaging_type with a message",
                );
                continue;
            }
            if roles.is_empty() {
                cx.error(
                    *at,
                    "no field has a role: mark one with #[sendapi(text)] or #[sendapi(attachment)]",
                );
                continue;
            }
            let node = body(send, roles, *at);
            let value = node.to_value();
            let report = loaded.engine().validate_literal(&value, p);
            let mut failed = false;
            for v in report.errors() {
                failed = true;
                let e = sendapi_codegen::request_expansion::diagnostic(&node, v);
                cx.error(e.span(), e);
            }
            if failed {
                continue;
            }
            match sendapi_codegen::request_expansion::build_body(&node, &bindings) {
                Ok(tokens) => built.push((pattern.clone(), tokens)),
                Err(e) => cx.error(e.span(), e),
            }
        }
    }
    let platform_tokens = match platform.unwrap_or(Platform::Messenger) {
        Platform::Messenger => quote!(::sendapi::Messenger),
        Platform::Instagram => quote!(::sendapi::Instagram),
    };
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let request_ty =
        quote!(#module::Request<#platform_tokens, #module::form::Any, #module::kind::Message>);
    let header = quote! {
        type Request = #request_ty;
        type Recipient = #module::Recipient;
    };
    if let Some(errors) = cx.take() {
        // A stub impl, so that uses of the trait report nothing more.
        let errors = errors.to_compile_error();
        return Ok(quote! {
            #errors
            const _: () = {
                #[automatically_derived]
                impl #impl_generics ::sendapi::Message for #name #ty_generics #where_clause {
                    #header
                    fn to_request(&self, _recipient: Self::Recipient) -> Self::Request {
                        ::sendapi::__private::stub()
                    }
                }
            };
        });
    }
    let arms = built.iter().map(|(pat, body)| quote!(#pat => #body,));
    Ok(quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics ::sendapi::Message for #name #ty_generics #where_clause {
                #header
                #[allow(unused_variables, clippy::clone_on_copy)]
                fn to_request(&self, recipient: Self::Recipient) -> Self::Request {
                    let __sendapi_body = match self {
                        #(#arms)*
                    };
                    #module::Request::<#platform_tokens, #module::form::Any, #module::kind::Message>::__from_parts(__sendapi_body)
                }
            }
        };
    })
}
