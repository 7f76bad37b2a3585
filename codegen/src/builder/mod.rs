//! The typed request: `Request<P, F, K>`, recipient forms, body kinds, the
//! typestate builder and its compile-time refusals, all derived from the
//! root type's shape and the rules around it.
//!
//! Laid out like bon's `builder_gen`, one module per part of the builder:
//!
//! - [`roles`]: which part of the root keyed union plays which role (the
//!   recipient, the messaging-type carrier, the body kinds that take it),
//!   found from the shapes and the rules, never by wire name;
//! - [`recipient`]: recipient forms (`form::*`) and the `to_*` methods;
//! - [`kind`]: body kinds (`kind::*`) and the methods choosing a body;
//! - [`offer`]: what a messaging-type method needs, from the rules;
//! - [`messaging_type`]: the messaging-type and tag methods, and the
//!   traits whose diagnostics refuse them at compile time;
//! - [`finish`]: the builder struct, its state change, the setters and
//!   `build()`;
//! - [`rate`]: the rate class of a body, `rate_class()`.

mod finish;
mod kind;
mod messaging_type;
mod offer;
mod rate;
mod recipient;
mod roles;
mod state;

use proc_macro2::TokenStream;
use quote::quote;
use sendapi_core::{list, template};
use sendapi_spec::model::{Platform, RuleKind, Severity};
use sendapi_spec::{Rule, Spec};

use crate::shapes::Shapes;
use crate::util::{doc, ident, private};

use roles::Ctx;

fn platform_marker(p: Platform) -> TokenStream {
    match p {
        Platform::Messenger => quote!(::sendapi::Messenger),
        Platform::Instagram => quote!(::sendapi::Instagram),
    }
}

/// The error-severity rule of `kind` on `on` whose path is `path`.
fn rule_for<'a>(spec: &'a Spec, kind: RuleKind, on: &str, path: &str) -> Option<&'a Rule> {
    spec.rules().iter().find(|r| {
        r.kind() == kind
            && r.severity == Severity::Error
            && r.on() == Some(on)
            && r.path().is_some_and(|p| p.to_string() == path)
    })
}

/// A rule's message (with its id) and fix, rendered with a few known
/// values, for a compile-time diagnostic.
fn render(rule: &Rule, vars: &[(&str, String)]) -> (String, String) {
    let vars: Vec<(&str, &dyn std::fmt::Display)> = vars
        .iter()
        .map(|(k, v)| (*k, v as &dyn std::fmt::Display))
        .collect();
    (
        format!("[{}] {}", rule.id, template::render(&rule.message, &vars)),
        template::render(&rule.fix, &vars),
    )
}

/// Text for `#[diagnostic::on_unimplemented]`, which reads `{…}` as a
/// format parameter: literal braces doubled.
fn escape(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

/// A trait whose `#[diagnostic::on_unimplemented]` says `message`, with
/// `label` under the offending call and one note per entry of `notes`.
fn refusing_trait(
    name: &proc_macro2::Ident,
    generics: TokenStream,
    message: &str,
    label: &str,
    notes: &[String],
    body: TokenStream,
) -> TokenStream {
    // `[id] text` would read as an intra-doc link in the trait's doc.
    let trait_doc = match message.strip_prefix('[').and_then(|m| m.split_once("] ")) {
        Some((id, text)) => doc(&format!("Rule `{id}`: {text}")),
        None => doc(message),
    };
    let message = escape(message);
    let label = escape(label);
    let notes = notes.iter().map(|n| {
        let n = escape(n);
        quote!(, note = #n)
    });
    quote! {
        #trait_doc
        #[diagnostic::on_unimplemented(message = #message, label = #label #(#notes)*)]
        pub trait #name #generics { #body }
    }
}

/// Builder methods, one `impl` block per builder-state family (the same
/// generics and `Self` type), in the order the families first appear.
#[derive(Default)]
struct Impls(Vec<(String, TokenStream, Vec<TokenStream>)>);

impl Impls {
    /// Adds `item` to the block headed `header`
    /// (`impl<…> RequestBuilder<…>`).
    fn add(&mut self, header: &TokenStream, item: TokenStream) {
        let key = header.to_string();
        match self.0.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, items)) => items.push(item),
            None => self.0.push((key, header.clone(), vec![item])),
        }
    }

    fn into_tokens(self) -> TokenStream {
        let blocks = self.0.into_iter().map(|(_, header, items)| {
            quote! {
                #header {
                    #(#items)*
                }
            }
        });
        quote!(#(#blocks)*)
    }
}

/// Everything about the typed request.
pub fn request(spec: &Spec, shapes: &Shapes) -> TokenStream {
    // Builders and forms are derived for keyed roots (a union of bodies);
    // other roots still get types and validate().
    let Some(cx) = Ctx::new(spec, shapes) else {
        return quote!();
    };
    let forms = recipient::forms(&cx);
    let kinds = kind::kinds(&cx);
    let rate = rate::Rate::new(spec, shapes);
    let ty = request_type(&cx);
    let traits = request_traits(&cx, &rate);
    let rate_items = &rate.items;
    let builder = finish::builder(&cx);
    quote! {
        #forms
        #kinds
        #ty
        #traits
        #rate_items
        #builder
    }
}

/// The `Request` struct and its inherent methods.
fn request_type(cx: &Ctx<'_>) -> TokenStream {
    let p = private();
    let root_ty = ident(cx.root);
    let snapshot = &cx.shapes.snapshot;
    let kinds: Vec<&str> = cx.variants.iter().map(|v| v.key.as_str()).collect();
    let struct_doc = doc(&format!(
        "A typed Send API request of this snapshot.

`P` is the platform (`Messenger` or `Instagram`), whose rules
`validate()` applies; `F` the recipient form, which decides whether
the response carries `{}`; `K` the body kind
({}), which decides the response type.
Build one with this module's `request!` where it has one, [`Request::builder`],
or from a body with [`Request::from_body`].",
        recipient::SENT_RECIPIENT_ID,
        list(&kinds, "or"),
    ));
    quote! {
        #struct_doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct Request<P = ::sendapi::Messenger, F = form::Any, K = kind::Either> {
            body: #root_ty,
            _marker: #p::PhantomData<fn() -> (P, F, K)>,
        }

        impl Request {
            /// A request from a body whose recipient form and kind are known
            /// only at run time. `validate()` (which `Client::send` runs)
            /// checks it.
            pub fn from_body(body: #root_ty) -> Request<::sendapi::Messenger, form::Any, kind::Either> {
                Request { body, _marker: #p::PhantomData }
            }

            /// A builder for a Messenger request; see [`RequestBuilder`].
            pub fn builder() -> RequestBuilder<::sendapi::Messenger, form::Unset, kind::Unset, ::sendapi::builder::Unset> {
                RequestBuilder::__new()
            }

            /// Reads a body, with the same structural checks as `sendapi
            /// validate` (unknown keys, types, enum values, required fields,
            /// exclusive groups), under this snapshot's rule ids.
            #[inline]
            pub fn from_json(value: &#p::Value) -> #p::Result<Self, ::sendapi::Invalid> {
                #p::de::decode(value, &__rules::STRUCTURE, #snapshot)
            }
        }

        impl<P, F, K> Request<P, F, K> {
            /// The body.
            pub fn body(&self) -> &#root_ty {
                &self.body
            }

            /// The body, consumed.
            pub fn into_body(self) -> #root_ty {
                self.body
            }

            /// The same body checked against another platform's rules.
            pub fn on<Q: ::sendapi::PlatformMarker>(self) -> Request<Q, F, K> {
                Request { body: self.body, _marker: #p::PhantomData }
            }

            #[doc(hidden)]
            pub fn __from_parts(body: #root_ty) -> Self {
                Request { body, _marker: #p::PhantomData }
            }
        }
    }
}

/// `validate()`, `rate_class()` and the trait impls of `Request`.
fn request_traits(cx: &Ctx<'_>, rate: &rate::Rate) -> TokenStream {
    let p = private();
    let root_ty = ident(cx.root);
    let rate_of_body = rate.of(&quote!(&self.body));
    let (snapshot, graph) = (&cx.shapes.snapshot, &cx.shapes.graph_version);
    quote! {
        impl<P: ::sendapi::PlatformMarker, F, K> Request<P, F, K> {
            /// Checks every error-severity rule the types do not guarantee
            /// (lengths, counts, patterns, platform and date rules).
            pub fn validate(&self) -> #p::Result<(), ::sendapi::Invalid> {
                self.validate_with_parts(&[])
            }

            /// [`Request::validate`] for a request sent as multipart with
            /// `parts` beside its JSON fields (upload-and-send's `filedata`).
            pub fn validate_with_parts(&self, parts: &'static [&'static str]) -> #p::Result<(), ::sendapi::Invalid> {
                let mut __cx = #p::check::Cx::new(P::PLATFORM, #snapshot).with_parts(parts);
                #p::check::Validate::validate_into(&self.body, &mut __cx);
                __cx.finish()
            }

            /// The rate class this request counts against.
            #[inline]
            pub fn rate_class(&self) -> &'static ::sendapi::RateClass {
                #rate_of_body
            }
        }

        impl<P, F, K> #p::ser::Serialize for Request<P, F, K> {
            fn serialize<__S: #p::ser::Serializer>(&self, __s: __S) -> #p::Result<__S::Ok, __S::Error> {
                #p::ser::Serialize::serialize(&self.body, __s)
            }
        }

        impl<P: ::sendapi::PlatformMarker, F: ::sendapi::form::Form, K: ::sendapi::builder::Kind> ::sendapi::Request for Request<P, F, K> {
            type Response = <K as ::sendapi::builder::Kind>::Response<F>;
            const SNAPSHOT: &'static str = #snapshot;
            const GRAPH_VERSION: &'static str = #graph;
            const ERRORS: &'static [::sendapi::ErrorCode] = ERRORS;
            const BATCH_LIMIT: #p::Option<usize> = BATCH_LIMIT;

            fn platform(&self) -> ::sendapi::Platform {
                P::PLATFORM
            }

            fn validate(&self) -> #p::Result<(), ::sendapi::Invalid> {
                Request::validate(self)
            }

            #[inline]
            fn rate_class(&self) -> &'static ::sendapi::RateClass {
                Request::rate_class(self)
            }
        }

        impl #p::de::FromJson for Request {
            #[inline]
            fn from_json(__v: &#p::Value, __cx: &mut #p::de::Cx) -> #p::Option<Self> {
                <#root_ty as #p::de::FromJson>::from_json(__v, __cx).map(Request::from_body)
            }
        }
    }
}
