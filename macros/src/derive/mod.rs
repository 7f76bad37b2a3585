//! `#[derive(sendapi::Message)]`.
//!
//! The attributes describe a message send; the derive writes them down as a
//! `request!` body whose field values are expressions reading `self`, and
//! runs that body through the same check and build as `request!`. So every
//! attribute is checked against the spec's rules, each error lands on the
//! attribute or field it comes from, and all of them come out in one compile.
//!
//! Which attributes and field roles exist, and what one implies for another,
//! is read from the snapshot's spec ([`vocabulary`]).

mod attributes;
mod vocabulary;

use std::cell::RefCell;
use std::sync::Arc;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use sendapi_codegen::request_expansion::{Bindings, Entry, Node, build_body, diagnostic};
use sendapi_spec::Platform;
use serde_json::Value;
use syn::{Data, DeriveInput, Fields};

use crate::Loaded;
use attributes::{Attr, RoleField, Send, Written};
use vocabulary::Vocabulary;

/// Collects every error of one derive, so that all are reported together.
#[derive(Default)]
struct Diagnostics {
    errors: RefCell<Option<syn::Error>>,
}

impl Diagnostics {
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

/// One way the value can be: a `match` pattern and what it sends.
struct Arm {
    pattern: TokenStream,
    send: Send,
    roles: Vec<RoleField>,
    /// How the arm reads each field of the struct or variant, by index.
    fields: Vec<TokenStream>,
    /// The struct or variant name, for errors about the whole arm.
    span: Span,
}

pub fn expand(input: DeriveInput) -> Result<TokenStream, syn::Error> {
    let errors = Diagnostics::default();
    let name = &input.ident;
    let container_written = attributes::written(&errors, &input.attrs);
    let (loaded, vocabulary_source) = load(&errors, &container_written, name.span())?;
    let vocabulary = Vocabulary::of(vocabulary_source.spec())
        .map_err(|why| syn::Error::new(name.span(), why))?;
    let module_ident = format_ident!(
        "{}",
        sendapi_codegen::bundled_module(vocabulary_source.spec().name())
    );
    let module = quote!(::sendapi::#module_ident);
    let container = attributes::send_attributes(&errors, &container_written, true, &vocabulary);
    let arms = arms(&errors, &input, &container, &vocabulary);
    let (built, platform) = match &loaded {
        Some(loaded) => {
            let bindings = Bindings {
                spec: loaded.spec(),
                shapes: &loaded.shapes,
                engine: loaded.engine(),
                module: module.clone(),
            };
            check_and_build(&errors, &bindings, &vocabulary, &arms)
        }
        None => (Vec::new(), Platform::Messenger),
    };
    let implementation = Implementation {
        input: &input,
        module: &module,
        vocabulary: &vocabulary,
        platform,
    };
    Ok(match errors.take() {
        Some(e) => implementation.stub(&e),
        None => implementation.with_arms(&built),
    })
}

/// The snapshot the attributes name (`None` after an error), and the spec
/// to read the attributes by: that snapshot, else the latest.
fn load(
    errors: &Diagnostics,
    container: &[Written],
    name_span: Span,
) -> Result<(Option<Arc<Loaded>>, Arc<Loaded>), syn::Error> {
    let snapshot = attributes::snapshot(container);
    let (name, span) = snapshot
        .as_ref()
        .map_or(("latest", name_span), |a| (a.value.as_str(), a.span));
    match crate::bundled(name) {
        Ok(loaded) => Ok((Some(loaded.clone()), loaded)),
        Err(_) => {
            let mut names: Vec<String> = sendapi_spec::BUNDLED
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect();
            let last = names.pop().unwrap_or_default();
            errors.error(
                span,
                format!(
                    "unknown snapshot `{name}`; use {}, {last} or \"latest\"",
                    names.join(", ")
                ),
            );
            let latest = crate::bundled("latest").map_err(|e| syn::Error::new(span, e))?;
            Ok((None, latest))
        }
    }
}

/// The arms of the value's `match`: one for a struct, one per variant.
fn arms(
    errors: &Diagnostics,
    input: &DeriveInput,
    container: &Send,
    vocabulary: &Vocabulary<'_>,
) -> Vec<Arm> {
    let name = &input.ident;
    match &input.data {
        Data::Struct(s) => {
            let fields = s
                .fields
                .iter()
                .enumerate()
                .map(|(i, f)| match &f.ident {
                    Some(id) => quote!(self.#id),
                    None => {
                        let index = syn::Index::from(i);
                        quote!(self.#index)
                    }
                })
                .collect();
            vec![Arm {
                pattern: quote!(_),
                send: container.clone(),
                roles: attributes::field_roles(errors, &s.fields, vocabulary),
                fields,
                span: name.span(),
            }]
        }
        Data::Enum(e) => {
            if e.variants.is_empty() {
                errors.error(name.span(), "an enum without variants cannot be a message");
            }
            e.variants
                .iter()
                .map(|v| variant_arm(errors, name, v, container, vocabulary))
                .collect()
        }
        Data::Union(u) => {
            errors.error(
                u.union_token.span,
                "#[derive(Message)] takes a struct or an enum",
            );
            Vec::new()
        }
    }
}

fn variant_arm(
    errors: &Diagnostics,
    name: &syn::Ident,
    variant: &syn::Variant,
    container: &Send,
    vocabulary: &Vocabulary<'_>,
) -> Arm {
    let written = attributes::written(errors, &variant.attrs);
    let own = attributes::send_attributes(errors, &written, false, vocabulary);
    let variant_name = &variant.ident;
    let binders: Vec<syn::Ident> = (0..variant.fields.len())
        .map(|i| format_ident!("__sendapi_f{}", i))
        .collect();
    let pattern = match &variant.fields {
        Fields::Named(n) => {
            let names = n.named.iter().map(|f| f.ident.clone());
            quote!(#name::#variant_name { #(#names: #binders),* })
        }
        Fields::Unnamed(_) => quote!(#name::#variant_name(#(#binders),*)),
        Fields::Unit => quote!(#name::#variant_name),
    };
    Arm {
        pattern,
        send: container.merged(&own),
        roles: attributes::field_roles(errors, &variant.fields, vocabulary),
        fields: binders.iter().map(|b| quote!(*#b)).collect(),
        span: variant.ident.span(),
    }
}

/// Checks each arm's body with the engine and builds it: the built arms and
/// the platform they share.
fn check_and_build(
    errors: &Diagnostics,
    bindings: &Bindings<'_>,
    vocabulary: &Vocabulary<'_>,
    arms: &[Arm],
) -> (Vec<(TokenStream, TokenStream)>, Platform) {
    let mut built = Vec::new();
    let mut shared: Option<Platform> = None;
    for arm in arms {
        let platform = match &arm.send.platform {
            None => Platform::Messenger,
            Some(attr) => attr.value.parse::<Platform>().unwrap_or_else(|e| {
                errors.error(attr.span, e);
                Platform::Messenger
            }),
        };
        if shared.is_some_and(|p| p != platform) {
            errors.error(
                arm.span,
                "every variant of a message type uses the same platform; set `platform` on the type",
            );
        }
        shared = Some(platform);
        let Some(node) = body(errors, vocabulary, arm, platform) else {
            continue;
        };
        let report = bindings.engine.validate_literal(&node.to_value(), platform);
        let mut failed = false;
        for violation in report.errors() {
            failed = true;
            let e = diagnostic(&node, violation);
            errors.error(e.span(), e);
        }
        if failed {
            continue;
        }
        match build_body(&node, bindings) {
            Ok(tokens) => built.push((arm.pattern.clone(), tokens)),
            Err(e) => errors.error(e.span(), e),
        }
    }
    (built, shared.unwrap_or(Platform::Messenger))
}

fn scalar(attr: &Attr) -> Node {
    Node::Scalar {
        span: attr.span,
        value: Value::String(attr.value.clone()),
    }
}

fn entry(key: &str, key_span: Span, value: Node) -> Entry {
    Entry {
        key: key.to_string(),
        key_span,
        value,
    }
}

/// The request body an arm describes: the recipient and the role fields as
/// expressions, each attribute as a literal, and the attributes the written
/// ones imply by the spec's rules (a tag its messaging type). `None` after
/// an error about the arm as a whole.
fn body(
    errors: &Diagnostics,
    vocabulary: &Vocabulary<'_>,
    arm: &Arm,
    platform: Platform,
) -> Option<Node> {
    let send = implied(vocabulary, arm, platform);
    if let Some(missing) = vocabulary.always.iter().find(|f| send.field(f).is_none()) {
        errors.error(arm.span, needs(vocabulary, missing, platform));
        return None;
    }
    if arm.roles.is_empty() {
        let marks: Vec<String> = vocabulary
            .bodies
            .iter()
            .map(|b| format!("#[sendapi({b})]"))
            .collect();
        errors.error(
            arm.span,
            format!(
                "no field has a role: mark the one to send with {}",
                or_list(&marks)
            ),
        );
        return None;
    }
    let at = arm.span;
    let recipient = Node::Expr {
        span: at,
        tokens: quote!(recipient),
    };
    let mut entries = vec![entry(vocabulary.recipient, at, recipient)];
    for field in &vocabulary.attributes {
        if let Some(attr) = send.field(field) {
            entries.push(entry(field, attr.span, scalar(attr)));
        }
    }
    let message = arm
        .roles
        .iter()
        .map(|r| {
            let access = &arm.fields[r.field];
            let tokens = quote_spanned!(r.span=> ::core::clone::Clone::clone(&#access));
            entry(
                &r.role,
                r.span,
                Node::Expr {
                    span: r.span,
                    tokens,
                },
            )
        })
        .collect();
    entries.push(entry(
        vocabulary.message,
        at,
        Node::Object {
            span: at,
            entries: message,
        },
    ));
    Some(Node::Object { span: at, entries })
}

/// The arm's attributes with those its attributes and roles imply added,
/// each at the span of what implies it.
fn implied(vocabulary: &Vocabulary<'_>, arm: &Arm, platform: Platform) -> Send {
    let mut send = arm.send.clone();
    let present = arm
        .send
        .fields
        .iter()
        .map(|(field, attr)| (field.clone(), attr.span))
        .chain(
            arm.roles
                .iter()
                .map(|r| (vocabulary.role_path(&r.role), r.span)),
        );
    for (path, span) in present {
        for (field, value) in vocabulary.implied_by(&path, platform) {
            if send.field(field).is_none() {
                let attr = Attr {
                    value: value.to_string(),
                    span,
                };
                send.fields.push((field.to_string(), attr));
            }
        }
    }
    send
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [head @ .., last] => format!("{} or {last}", head.join(", ")),
    }
}

/// The error for an arm without `field`, which a message always sends:
/// the values to write, and the attributes that imply one.
fn needs(vocabulary: &Vocabulary<'_>, field: &str, platform: Platform) -> String {
    let values = vocabulary.suggested_values(field, false);
    let mut text = format!("a derived message needs a {}", field.replace('_', " "));
    if let Some((first, rest)) = values.split_first() {
        text.push_str(&format!(": add #[sendapi({field} = \"{first}\")]"));
        if !rest.is_empty() {
            let rest: Vec<String> = rest.iter().map(|v| format!("\"{v}\"")).collect();
            text.push_str(&format!(" (or {})", rest.join(", ")));
        }
    }
    for implier in &vocabulary.attributes {
        let implies = vocabulary
            .implied_by(implier, platform)
            .iter()
            .any(|(f, _)| *f == field);
        if let (true, Some(example)) = (implies, vocabulary.suggested_values(implier, true).first())
        {
            text.push_str(&format!(", or #[sendapi({implier} = \"{example}\")]"));
        }
    }
    text.push_str(&format!("; sendapi always sends {field} with a message"));
    text
}

/// The impl the derive emits.
struct Implementation<'a> {
    input: &'a DeriveInput,
    module: &'a TokenStream,
    vocabulary: &'a Vocabulary<'a>,
    platform: Platform,
}

impl Implementation<'_> {
    /// `impl Message for … { <items> }`, with the associated types.
    fn wrap(&self, items: TokenStream) -> TokenStream {
        let name = &self.input.ident;
        let module = self.module;
        let (impl_generics, ty_generics, where_clause) = self.input.generics.split_for_impl();
        let request = self.request_type();
        let recipient = format_ident!("{}", self.vocabulary.recipient_type);
        quote! {
            const _: () = {
                #[automatically_derived]
                impl #impl_generics ::sendapi::Message for #name #ty_generics #where_clause {
                    type Request = #request;
                    type Recipient = #module::#recipient;
                    #items
                }
            };
        }
    }

    fn request_type(&self) -> TokenStream {
        let module = self.module;
        let platform = match self.platform {
            Platform::Messenger => quote!(::sendapi::Messenger),
            Platform::Instagram => quote!(::sendapi::Instagram),
        };
        let kind = format_ident!("{}", self.vocabulary.message_variant);
        quote!(#module::Request<#platform, #module::form::Any, #module::kind::#kind>)
    }

    /// The errors and a stub impl, so that uses of the trait report nothing
    /// more.
    fn stub(&self, errors: &syn::Error) -> TokenStream {
        let errors = errors.to_compile_error();
        let items = quote! {
            fn to_request(&self, recipient: Self::Recipient) -> Self::Request {
                ::core::mem::drop(recipient);
                ::sendapi::__private::stub()
            }
        };
        let implementation = self.wrap(items);
        quote!(#errors #implementation)
    }

    fn with_arms(&self, built: &[(TokenStream, TokenStream)]) -> TokenStream {
        let request = self.request_type();
        let arms = built.iter().map(|(pat, body)| quote!(#pat => #body,));
        self.wrap(quote! {
            #[allow(unused_variables, clippy::clone_on_copy)]
            fn to_request(&self, recipient: Self::Recipient) -> Self::Request {
                let __sendapi_body = match self {
                    #(#arms)*
                };
                <#request>::__from_parts(__sendapi_body)
            }
        })
    }
}
