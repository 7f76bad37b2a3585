//! Reading `#[derive(sendapi::Message)]`: what a derived type sends.
//!
//! The attributes describe a message send; a derived type is written down
//! as a `request!` body ([`Node`]) whose field values are expressions
//! reading `self`, so the same engine check as `request!` applies to it,
//! and each error lands on the attribute or field it comes from. This is a
//! library so that the proc-macro (which checks and builds the bodies) and
//! `sendapi migrate` (which checks them under another snapshot) read a
//! derive the same way.
//!
//! Which attributes and field roles exist, and what one implies for another,
//! is read from the snapshot's spec ([`Vocabulary`]).

mod attributes;
mod vocabulary;

use std::cell::RefCell;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use sendapi_spec::Platform;
use serde_json::Value;
use syn::{Data, DeriveInput, Fields};

use crate::request_expansion::{Entry, Node};
use attributes::{RoleField, Send};

pub use attributes::{Attr, Written, snapshot, written};
pub use vocabulary::Vocabulary;

/// Collects every error of one derive, so that all are reported together.
#[derive(Debug, Default)]
pub struct Diagnostics {
    errors: RefCell<Option<syn::Error>>,
}

impl Diagnostics {
    /// Records an error at `span`.
    pub fn error(&self, span: Span, msg: impl std::fmt::Display) {
        let e = syn::Error::new(span, msg);
        let mut slot = self.errors.borrow_mut();
        match slot.as_mut() {
            Some(all) => all.combine(e),
            None => *slot = Some(e),
        }
    }

    /// Every error recorded so far, combined, leaving none.
    pub fn take(&self) -> Option<syn::Error> {
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

/// A derived type read against one snapshot's [`Vocabulary`]: one arm for
/// a struct, one per variant of an enum.
pub struct Message<'v> {
    arms: Vec<Arm>,
    vocabulary: &'v Vocabulary<'v>,
    default_platform: Platform,
}

impl std::fmt::Debug for Message<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Message")
            .field("arms", &self.arms.len())
            .field("default_platform", &self.default_platform)
            .finish_non_exhaustive()
    }
}

/// One arm's request body, with the `match` pattern that selects it.
#[derive(Debug)]
pub struct ArmBody {
    /// The pattern (`_` for a struct, `Type::Variant { .. }` for a variant).
    pub pattern: TokenStream,
    /// The body: attributes as literals, fields as expressions.
    pub body: Node,
    /// The platform the arm sends on.
    pub platform: Platform,
}

impl<'v> Message<'v> {
    /// Reads the type: `container` is what [`written`] found on the type
    /// itself, `default_platform` the platform of arms that name none.
    /// Errors in the attributes go to `errors`.
    pub fn read(
        errors: &Diagnostics,
        input: &DeriveInput,
        container: &[Written],
        vocabulary: &'v Vocabulary<'v>,
        default_platform: Platform,
    ) -> Message<'v> {
        let container = attributes::send_attributes(errors, container, true, vocabulary);
        Message {
            arms: arms(errors, input, &container, vocabulary),
            vocabulary,
            default_platform,
        }
    }

    /// Calls `each` with every arm's body, in order, and returns the
    /// platform the arms share. An arm whose body cannot be written (no
    /// role, no messaging type) is skipped with an error; so is a platform
    /// that differs between arms. Errors found by `each` interleave with
    /// these in arm order.
    pub fn bodies(&self, errors: &Diagnostics, mut each: impl FnMut(ArmBody)) -> Platform {
        let mut shared: Option<Platform> = None;
        for arm in &self.arms {
            let platform = match &arm.send.platform {
                None => self.default_platform,
                Some(attr) => attr.value.parse::<Platform>().unwrap_or_else(|e| {
                    errors.error(attr.span, e);
                    self.default_platform
                }),
            };
            if shared.is_some_and(|p| p != platform) {
                errors.error(
                    arm.span,
                    "every variant of a message type uses the same platform; set `platform` on the type",
                );
            }
            shared = Some(platform);
            if let Some(body) = body(errors, self.vocabulary, arm, platform) {
                each(ArmBody {
                    pattern: arm.pattern.clone(),
                    body,
                    platform,
                });
            }
        }
        shared.unwrap_or(self.default_platform)
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
    let own =
        attributes::send_attributes(errors, &written(errors, &variant.attrs), false, vocabulary);
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
