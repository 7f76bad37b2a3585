//! The typed request: `Request<P, F, K>`, recipient forms, body kinds, the
//! typestate builder and its compile-time refusals, all derived from the
//! root type's shape and the rules around it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use sendapi_core::template;
use sendapi_spec::model::{Platform, RuleKind, Severity};
use sendapi_spec::{Check, Path, Rule, Seg, Spec, Test};

use crate::shapes::{FieldShape, KeyedVariant, RTy, ShapeKind, Shapes, ValueShape};
use crate::types::{arg_conv, arg_ty};
use crate::util::{ident, private, snake, variant_struct};

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

/// Renders a rule's message and fix with a few known values, for a
/// compile-time diagnostic.
fn render(rule: &Rule, vars: &[(&str, String)]) -> (String, String) {
    let vars: Vec<(&str, &dyn std::fmt::Display)> = vars
        .iter()
        .map(|(k, v)| (*k, v as &dyn std::fmt::Display))
        .collect();
    (
        template::render(&rule.message, &vars),
        template::render(&rule.fix, &vars),
    )
}

/// Everything about the typed request.
pub fn request(spec: &Spec, shapes: &Shapes) -> TokenStream {
    let p = private();
    let root = &shapes.root;
    let Some(root_shape) = shapes.get(root) else {
        return quote!();
    };
    let ShapeKind::Keyed(root_variants) = root_shape.kind.clone() else {
        // Builders and forms are derived for keyed roots (message or
        // sender action); other roots still get types and validate().
        return quote!();
    };
    let root_ty = ident(root);

    // The shared required keyed field: the recipient.
    let recipient = root_variants.first().and_then(|v| {
        v.fields.iter().find(|f| {
            !f.is_key
                && f.required
                && matches!(&f.ty, RTy::Named(n) if matches!(shapes.get(n).map(|s| &s.kind), Some(ShapeKind::Keyed(_))))
                && root_variants.iter().all(|o| o.fields.iter().any(|g| g.wire == f.wire))
        })
    });
    let forms = forms(spec, shapes, recipient);
    let kinds = kinds(shapes, &root_variants, root);
    let builder = builder(spec, shapes, &root_variants, root, recipient);
    let rate = rate_class(spec, shapes);
    let snapshot = &shapes.snapshot;
    let graph = &shapes.graph_version;
    quote! {
        #forms
        #kinds

        /// A typed Send API request of this snapshot.
        ///
        /// `P` is the platform (`Messenger` or `Instagram`), whose rules
        /// `validate()` applies; `F` the recipient form, which decides whether
        /// the response carries `recipient_id`; `K` the body kind (a message
        /// or a sender action), which decides the response type.
        /// Build one with [`request!`](crate::request), [`Request::builder`],
        /// or from a body with [`Request::from_body`].
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

        impl<P: ::sendapi::PlatformMarker, F, K> Request<P, F, K> {
            /// Checks every error-severity rule the types do not guarantee
            /// (lengths, counts, patterns, platform and date rules).
            pub fn validate(&self) -> #p::Result<(), ::sendapi::Invalid> {
                let mut __cx = #p::check::Cx::new(P::PLATFORM, #snapshot);
                #p::check::Validate::validate_into(&self.body, &mut __cx);
                __cx.finish()
            }

            /// The rate class this request counts against.
            pub fn rate_class(&self) -> &'static ::sendapi::RateClass {
                rate_class(&self.body)
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

            fn platform(&self) -> ::sendapi::Platform {
                P::PLATFORM
            }

            fn validate(&self) -> #p::Result<(), ::sendapi::Invalid> {
                Request::validate(self)
            }

            fn rate_class(&self) -> &'static ::sendapi::RateClass {
                Request::rate_class(self)
            }
        }

        impl #p::de::FromJson for Request {
            fn from_json(__v: &#p::Value, __cx: &mut #p::de::Cx) -> #p::Option<Self> {
                <#root_ty as #p::de::FromJson>::from_json(__v, __cx).map(Request::from_body)
            }
        }

        impl Request {
            /// Reads a body, with the same structural checks as `sendapi
            /// validate` (unknown keys, types, enum values, required fields,
            /// exclusive groups), under this snapshot's rule ids.
            pub fn from_json(value: &#p::Value) -> #p::Result<Self, ::sendapi::Invalid> {
                #p::de::decode(value, &__rules::STRUCTURE, #snapshot)
            }
        }

        #rate
        #builder
    }
}

fn forms(spec: &Spec, shapes: &Shapes, recipient: Option<&FieldShape>) -> TokenStream {
    let p = private();
    let Some(rf) = recipient else { return quote!() };
    let Some(rname) = rf.ty.named() else {
        return quote!();
    };
    let Some(ShapeKind::Keyed(variants)) = shapes.get(rname).map(|s| s.kind.clone()) else {
        return quote!();
    };
    let rty = ident(rname);
    let mut markers = Vec::new();
    for v in &variants {
        let m = ident(&v.rust);
        let key = &v.key;
        let has_id = v
            .response
            .as_ref()
            .and_then(|r| spec.type_def(r))
            .and_then(|d| d.fields.get("recipient_id"))
            .is_some_and(|f| f.required);
        let doc = format!(
            "Recipient form `{key}`: a send to `recipient.{key}`. Its response {}.",
            if has_id {
                "carries `recipient_id`"
            } else {
                "may not carry `recipient_id`"
            }
        );
        let has = if has_id {
            quote!(#[diagnostic::do_not_recommend] impl ::sendapi::form::HasRecipientId for #m {})
        } else {
            quote!()
        };
        // Platforms where this form may be used: those of the key field,
        // when an error-severity platform rule enforces them.
        let enforced = rule_for(spec, RuleKind::PlatformOnly, rname, key).is_some();
        let platforms: Vec<Platform> = match (&v.docs.platforms, enforced) {
            (Some(ps), true) => ps.clone(),
            _ => Platform::ALL.to_vec(),
        };
        let avail = platforms.iter().map(|pl| {
            let pm = platform_marker(*pl);
            quote!(#[diagnostic::do_not_recommend] impl ::sendapi::form::AvailableOn<#pm> for #m {})
        });
        let sty = ident(&variant_struct(rname, &v.rust));
        markers.push(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct #m;
            impl ::sendapi::form::Form for #m {
                const KEY: &'static str = #key;
                const HAS_RECIPIENT_ID: bool = #has_id;
            }
            #has
            #(#avail)*
            impl ::sendapi::form::Chosen for #m {}
            impl IntoRecipient for super::#sty {
                type Form = #m;
            }
        });
    }
    quote! {
        /// Recipient forms at the type level: the response to a send by
        /// `user_ref` or `phone_number` has no `recipient_id`, and reading it
        /// does not compile.
        pub mod form {
            #![allow(clippy::module_name_repetitions)]
            /// A recipient chosen at run time: its response's `recipient_id` is optional.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct Any;
            impl ::sendapi::form::Form for Any {
                const KEY: &'static str = "";
                const HAS_RECIPIENT_ID: bool = false;
            }
            impl ::sendapi::form::Chosen for Any {}
            impl<P> ::sendapi::form::AvailableOn<P> for Any {}

            /// No recipient yet (builder state).
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct Unset;

            /// A recipient variant struct, with the form it is.
            pub trait IntoRecipient: #p::Into<super::#rty> {
                /// The form marker.
                type Form: ::sendapi::form::Form;
            }

            #(#markers)*
        }
    }
}

fn kinds(shapes: &Shapes, variants: &[KeyedVariant], root: &str) -> TokenStream {
    let p = private();
    let mut out = Vec::new();
    for v in variants {
        let m = ident(&v.rust);
        let doc = format!("A `{}` body.", v.key);
        // A sender action answers with the sender-action response; a
        // message with `Sent<F>`.
        let is_message = v.key == "message";
        let resp = if is_message {
            quote!(::sendapi::Sent<F>)
        } else if shapes.get("SenderActionResponse").is_some() {
            quote!(super::SenderActionResponse)
        } else {
            quote!(::sendapi::AnyResponse)
        };
        out.push(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct #m;
            impl ::sendapi::builder::Kind for #m {
                type Response<F: ::sendapi::form::Form> = #resp;
            }
            impl ::sendapi::builder::BodyChosen for #m {}
        });
    }
    let _ = (p, root);
    let message = variants
        .iter()
        .find(|v| v.key == "message")
        .map(|v| ident(&v.rust));
    let others: Vec<_> = variants
        .iter()
        .filter(|v| v.key != "message")
        .map(|v| ident(&v.rust))
        .collect();
    let mt = match &message {
        Some(m) => quote! {
            impl ::sendapi::builder::AllowsMessagingType for #m {}
            impl ::sendapi::builder::MessagingTypeFor<#m> for ::sendapi::builder::Set {}
        },
        None => quote!(),
    };
    quote! {
        /// Body kinds at the type level: they decide the response type.
        pub mod kind {
            impl ::sendapi::builder::AllowsMessagingType for Unset {}
            impl ::sendapi::builder::MessagingTypeFor<Unset> for ::sendapi::builder::Unset {}
            impl ::sendapi::builder::MessagingTypeFor<Unset> for ::sendapi::builder::Set {}
            #(impl ::sendapi::builder::MessagingTypeFor<#others> for ::sendapi::builder::Unset {})*
            #mt
            /// A body chosen at run time.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct Either;
            impl ::sendapi::builder::Kind for Either {
                type Response<F: ::sendapi::form::Form> = ::sendapi::AnyResponse;
            }
            impl ::sendapi::builder::BodyChosen for Either {}
            /// No body yet (builder state).
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct Unset;
            #(#out)*
        }
    }
}

/// `rate_class()`: the spec's classes, tested in order.
fn rate_class(spec: &Spec, shapes: &Shapes) -> TokenStream {
    let p = private();
    let root = ident(&shapes.root);
    let classes = &spec.file().rate_classes;
    let statics = classes.iter().map(|(name, c)| {
        let s = format_ident!("__RATE_{}", name.get_ref().to_ascii_uppercase());
        let n = name.get_ref();
        let (limit, per) = (c.limit, c.per_seconds);
        quote!(static #s: ::sendapi::RateClass = ::sendapi::RateClass { name: #n, limit: #limit, per_seconds: #per };)
    });
    let mut tests = Vec::new();
    let mut default = None;
    for (name, c) in classes {
        let s = format_ident!("__RATE_{}", name.get_ref().to_ascii_uppercase());
        if c.default {
            default = Some(s.clone());
            continue;
        }
        for w in &c.when {
            let Ok(path) = Path::parse(w.path.get_ref()) else {
                continue;
            };
            let wanted: Vec<String> = w
                .equals
                .iter()
                .chain(w.one_of.iter().flatten())
                .cloned()
                .collect();
            let code =
                crate::check::walk_strs(shapes, &shapes.root, &path.segs, &wanted, w.present);
            if !code.is_empty() {
                tests.push(quote! {
                    {
                        let mut __hit = false;
                        #code
                        if __hit { return &#s; }
                    }
                });
            }
        }
    }
    let default = default
        .map(|d| quote!(&#d))
        .unwrap_or_else(|| quote!(&::sendapi::RateClass::UNLIMITED));
    quote! {
        /// The rate class of a raw JSON body (for `sendapi::Unchecked`): the
        /// class of the typed body when it reads, the default class otherwise.
        pub fn rate_class_of_value(body: &#p::Value) -> &'static ::sendapi::RateClass {
            let mut __cx = #p::de::Cx::new(&__rules::STRUCTURE);
            match <#root as #p::de::FromJson>::from_json(body, &mut __cx) {
                #p::Some(b) => rate_class(&b),
                #p::None => #default,
            }
        }

        #(#statics)*
        #[allow(unused_mut, clippy::needless_return)]
        fn rate_class(body: &#root) -> &'static ::sendapi::RateClass {
            let mut __cx = #p::check::Cx::new(::sendapi::Platform::Messenger, "");
            let __cx = &mut __cx;
            let this = body;
            let _ = &this;
            #(#tests)*
            #default
        }
    }
}

/// What a builder method needs in order to set a messaging-type value:
/// nothing, a value for the body (a dedicated constructor), or it cannot be
/// offered (refused, or needs a companion the builder cannot give).
enum Offer {
    Plain,
    WithBody {
        arg: TokenStream,
        build: TokenStream,
        arg_doc: String,
        /// The rule's message and fix, for the refusal of the bare method
        /// once a message is already set.
        rule: (String, String),
    },
    Refused {
        message: String,
        note: String,
    },
}

/// Builds the expression constructing the body of `root`'s message key so
/// that `path` (from the root) holds a value: either the value itself
/// (`present`) or the variant of a union whose tag `equals` a value.
/// Returns the argument type and the construction, or `None`.
fn construct_along(
    shapes: &Shapes,
    root: &str,
    segs: &[Seg],
    equals: Option<&str>,
) -> Option<(RTy, TokenStream, String)> {
    // The first segment is the root key that holds the message.
    let (Seg::Key(first), rest) = segs.split_first()? else {
        return None;
    };
    let ShapeKind::Keyed(vs) = &shapes.get(root)?.kind else {
        return None;
    };
    let root_variant = vs.iter().find(|v| &v.key == first)?;
    let key_field = root_variant.fields.iter().find(|f| f.is_key)?;
    let inner = build_value(shapes, &key_field.ty, rest, equals)?;
    Some(inner)
}

/// Returns (argument type, expression of the value at this level given
/// `__arg`, description of the argument).
fn build_value(
    shapes: &Shapes,
    ty: &RTy,
    segs: &[Seg],
    equals: Option<&str>,
) -> Option<(RTy, TokenStream, String)> {
    let p = private();
    let name = ty.named()?;
    let shape = shapes.get(name)?;
    let tyi = ident(name);
    match (segs.split_first(), &shape.kind) {
        (None, _) => Some((ty.clone(), quote!(#p::Into::into(__arg)), name.to_string())),
        (Some((Seg::Key(k), rest)), ShapeKind::Keyed(vs)) => {
            // Choose the variant whose key is `k`; its other required
            // fields would need arguments, so only single-field keys work.
            let v = vs.iter().find(|v| &v.key == k)?;
            if v.fields.iter().filter(|f| f.required).count() != 1 {
                return None;
            }
            let kf = v.fields.iter().find(|f| f.is_key)?;
            let (arg, inner, desc) = build_value_field(shapes, &kf.ty, rest, equals)?;
            let sty = ident(&variant_struct(name, &v.rust));
            Some((arg, quote!(#tyi::from(#sty::new(#inner))), desc))
        }
        (
            Some((Seg::Key(k), rest)),
            ShapeKind::Tagged {
                tag,
                content,
                variants,
            },
        ) => {
            if k == tag {
                let v = variants.iter().find(|v| Some(v.wire.as_str()) == equals)?;
                let vi = ident(&v.rust);
                return v.inner.as_ref().map(|inner| {
                    (
                        RTy::Named(inner.clone()),
                        quote!(#tyi::#vi(#p::Into::into(__arg))),
                        inner.clone(),
                    )
                });
            }
            if content.as_deref() == Some(k.as_str()) {
                // The next segment is inside the content: find the variant
                // whose inner type can hold the rest.
                for v in variants {
                    let Some(inner) = &v.inner else { continue };
                    if let Some((arg, e, d)) =
                        build_value(shapes, &RTy::Named(inner.clone()), rest, equals)
                    {
                        let vi = ident(&v.rust);
                        return Some((arg, quote!(#tyi::#vi(#e)), d));
                    }
                }
            }
            None
        }
        _ => None,
    }
}

fn build_value_field(
    shapes: &Shapes,
    ty: &RTy,
    segs: &[Seg],
    equals: Option<&str>,
) -> Option<(RTy, TokenStream, String)> {
    if segs.is_empty() {
        let p = private();
        let conv = match ty {
            RTy::Boxed(_) => quote!(#p::Box::new(#p::Into::into(__arg))),
            _ => quote!(#p::Into::into(__arg)),
        };
        return Some((ty.clone(), conv, ty.named().unwrap_or("value").to_string()));
    }
    build_value(shapes, ty, segs, equals)
}

#[allow(clippy::too_many_lines)]
fn builder(
    spec: &Spec,
    shapes: &Shapes,
    variants: &[KeyedVariant],
    root: &str,
    recipient: Option<&FieldShape>,
) -> TokenStream {
    let p = private();
    let root_ty = ident(root);
    let unset = quote!(::sendapi::builder::Unset);
    let set = quote!(::sendapi::builder::Set);

    // Every root field, over all variants.
    let mut all: Vec<FieldShape> = Vec::new();
    for v in variants {
        for f in &v.fields {
            if !all.iter().any(|g| g.wire == f.wire) {
                all.push(f.clone());
            }
        }
    }
    let slots = all.iter().map(|f| {
        let i = ident(&f.ident);
        let t = crate::util::rty(&f.ty);
        quote!(#i: #p::Option<#t>,)
    });
    let slot_inits = all.iter().map(|f| {
        let i = ident(&f.ident);
        quote!(#i: #p::None,)
    });
    let moves = all.iter().map(|f| {
        let i = ident(&f.ident);
        quote!(#i: self.#i,)
    });
    let retype = quote! {
        RequestBuilder { #(#moves)* _marker: #p::PhantomData }
    };

    let mut methods = Vec::new();

    // Recipient.
    if let Some(rf) = recipient {
        let ri = ident(&rf.ident);
        let rname = rf.ty.named().unwrap_or_default();
        let rty_i = ident(rname);
        methods.push(quote! {
            impl<P, K, M> RequestBuilder<P, form::Unset, K, M> {
                /// Sends to a recipient chosen at run time.
                pub fn to(mut self, recipient: impl #p::Into<#rty_i>) -> RequestBuilder<P, form::Any, K, M> {
                    self.#ri = #p::Some(#p::Into::into(recipient));
                    #retype
                }

                /// Sends to a recipient form known at compile time, such as
                /// `PhoneNumberRecipient::new("+1…").name(…)`.
                pub fn to_recipient<R: form::IntoRecipient>(mut self, recipient: R) -> RequestBuilder<P, R::Form, K, M>
                where
                    R::Form: ::sendapi::form::AvailableOn<P>,
                {
                    self.#ri = #p::Some(#p::Into::into(recipient));
                    #retype
                }
            }
        });
        if let Some(ShapeKind::Keyed(rvs)) = shapes.get(rname).map(|s| &s.kind) {
            for v in rvs {
                let required: Vec<&FieldShape> = v.fields.iter().filter(|f| f.required).collect();
                if required.len() != 1 || v.docs.status != sendapi_spec::model::Status::Current {
                    continue;
                }
                let kf = required[0];
                let m = format_ident!("to_{}", snake(&v.rust));
                let marker = ident(&v.rust);
                let at = arg_ty(&kf.ty);
                let sty = ident(&variant_struct(rname, &v.rust));
                let doc = format!("Sends to `recipient.{}`.", v.key);
                methods.push(quote! {
                    impl<P, K, M> RequestBuilder<P, form::Unset, K, M> {
                        #[doc = #doc]
                        pub fn #m(self, value: #at) -> RequestBuilder<P, form::#marker, K, M>
                        where
                            form::#marker: ::sendapi::form::AvailableOn<P>,
                        {
                            self.to_recipient(#sty::new(value))
                        }
                    }
                });
            }
        }
    }

    // Body: one method per root key, plus shortcuts.
    for v in variants {
        let kf = v
            .fields
            .iter()
            .find(|f| f.is_key)
            .expect("keyed variants have their key");
        let ki = ident(&kf.ident);
        let m = ident(&kf.ident);
        let kind = ident(&v.rust);
        let at = arg_ty(&kf.ty);
        let conv = arg_conv(&kf.ty, &quote!(value));
        let doc = format!("Sends `{}`.", v.key);
        let mbound = if v.key == "message" {
            quote!(M)
        } else {
            unset.clone()
        };
        let mparam = if v.key == "message" {
            quote!(M)
        } else {
            quote!()
        };
        methods.push(quote! {
            impl<P, F, #mparam> RequestBuilder<P, F, kind::Unset, #mbound> {
                #[doc = #doc]
                pub fn #m(mut self, value: #at) -> RequestBuilder<P, F, kind::#kind, #mbound> {
                    self.#ki = #p::Some(#conv);
                    #retype
                }
            }
        });
        // Shortcuts for the key's own variants or values.
        match kf
            .ty
            .named()
            .and_then(|n| shapes.get(n))
            .map(|s| (s.name.clone(), s.kind.clone()))
        {
            Some((kname, ShapeKind::Enum(values))) => {
                let kty = ident(&kname);
                for val in &values {
                    if val.docs.status != sendapi_spec::model::Status::Current {
                        continue;
                    }
                    let vi = ident(&val.rust);
                    let mname = ident(&snake(&val.rust));
                    let doc = format!("Sends the `{}` {}.", val.wire, v.key.replace('_', " "));
                    let (args, value) = match &val.carries {
                        None => (quote!(), quote!(#kty::#vi)),
                        Some(c) => match &c.inline {
                            Some(fields) => {
                                let args = fields.iter().filter(|f| f.required).map(|f| {
                                    let i = ident(&f.ident);
                                    let t = arg_ty(&f.ty);
                                    quote!(#i: #t,)
                                });
                                let inits = fields.iter().map(|f| {
                                    let i = ident(&f.ident);
                                    if f.required {
                                        let c = arg_conv(&f.ty, &quote!(#i));
                                        quote!(#i: #c)
                                    } else {
                                        quote!(#i: #p::None)
                                    }
                                });
                                (quote!(#(#args)*), quote!(#kty::#vi { #(#inits),* }))
                            }
                            None => {
                                let t = arg_ty(&c.ty);
                                let conv = arg_conv(&c.ty, &quote!(value));
                                (quote!(value: #t), quote!(#kty::#vi(#conv)))
                            }
                        },
                    };
                    methods.push(quote! {
                        impl<P, F> RequestBuilder<P, F, kind::Unset, #unset> {
                            #[doc = #doc]
                            pub fn #mname(self, #args) -> RequestBuilder<P, F, kind::#kind, #unset> {
                                self.#m(#value)
                            }
                        }
                    });
                }
            }
            Some((kname, ShapeKind::Keyed(mvs))) => {
                // `text("…")`: a variant with one required string field.
                for mv in &mvs {
                    let required: Vec<&FieldShape> =
                        mv.fields.iter().filter(|f| f.required).collect();
                    if required.len() != 1 || mv.docs.status != sendapi_spec::model::Status::Current
                    {
                        continue;
                    }
                    if !matches!(required[0].ty, RTy::Prim(sendapi_spec::Prim::String)) {
                        continue;
                    }
                    let mname = ident(&required[0].ident);
                    let kty = ident(&kname);
                    let ctor = ident(&snake(&mv.rust));
                    let doc = format!(
                        "Sends a message with `{}` only; for quick replies or metadata, build a [`{}`] and pass it to `.{}(…)`.",
                        mv.key,
                        variant_struct(&kname, &mv.rust),
                        v.key
                    );
                    methods.push(quote! {
                        impl<P, F, M> RequestBuilder<P, F, kind::Unset, M> {
                            #[doc = #doc]
                            pub fn #mname(self, value: impl #p::Into<#p::String>) -> RequestBuilder<P, F, kind::#kind, M> {
                                self.#m(#kty::#ctor(value))
                            }
                        }
                    });
                }
            }
            _ => {}
        }
    }

    // Messaging type: the carrier field of the message variant.
    let message_variant = variants.iter().find(|v| v.key == "message");
    let mut tag_traits = Vec::new();
    if let Some(mv) = message_variant
        && let Some(cf) = mv.fields.iter().find(|f| {
            matches!(&f.ty, RTy::Named(n) if matches!(shapes.get(n).map(|s| &s.kind), Some(ShapeKind::Enum(vals)) if vals.iter().any(|v| v.carries.is_some())))
        })
    {
        let ci = ident(&cf.ident);
        let cname = cf.ty.named().unwrap_or_default().to_string();
        let cty = ident(&cname);
        let ShapeKind::Enum(values) = shapes.get(&cname).map(|s| s.kind.clone()).unwrap_or(ShapeKind::Enum(Vec::new())) else { unreachable!() };
        let msg_kind = ident(&mv.rust);
        let msg_field = ident(&mv.fields.iter().find(|f| f.is_key).map(|f| f.ident.clone()).unwrap_or_default());
        // Raw setter.
        methods.push(quote! {
            impl<P, F, K: ::sendapi::builder::AllowsMessagingType> RequestBuilder<P, F, K, #unset> {
                /// Sets the messaging type from a value known at run time
                /// (checked by `validate()`).
                pub fn messaging_type(mut self, value: #cty) -> RequestBuilder<P, F, K, #set> {
                    self.#ci = #p::Some(value);
                    #retype
                }
            }
        });
        for val in &values {
            if val.docs.status != sendapi_spec::model::Status::Current {
                continue;
            }
            let vi = ident(&val.rust);
            match &val.carries {
                None => {
                    let offer = offer_for(spec, shapes, root, &cf.wire, &val.wire, None);
                    let platforms = platforms_for(spec, root, &cf.wire, val);
                    methods.extend(emit_offer(&offer, &snake(&val.rust), &quote!(#cty::#vi), &ci, &msg_field, &msg_kind, &retype, &val.docs.doc, &mut tag_traits, &val.rust, &platforms));
                }
                Some(c) => {
                    // A value that carries an enum (MESSAGE_TAG carries tag):
                    // one method per carried value.
                    let Some(en) = c.ty.named() else { continue };
                    let Some(ShapeKind::Enum(tags)) = shapes.get(en).map(|s| s.kind.clone()) else { continue };
                    let tty = ident(en);
                    for t in &tags {
                        if t.docs.status == sendapi_spec::model::Status::Retired {
                            continue;
                        }
                        let ti = ident(&t.rust);
                        let offer = offer_for(spec, shapes, root, &c.wire, &t.wire, Some(t));
                        let platforms = platforms_for(spec, root, &c.wire, t);
                        let mut doc = format!("`{}` with tag `{}`: {}", val.wire, t.wire, t.docs.doc);
                        for (k, text) in &t.policy {
                            doc.push_str(&format!("\n\n{k}: {text}."));
                        }
                        methods.extend(emit_offer(&offer, &snake(&t.rust), &quote!(#cty::#vi(#tty::#ti)), &ci, &msg_field, &msg_kind, &retype, &doc, &mut tag_traits, &t.rust, &platforms));
                    }
                }
            }
        }
    }

    // Optional setters, available once the body kind that has the field is chosen.
    for f in &all {
        if f.is_key || f.required || recipient.is_some_and(|r| r.wire == f.wire) {
            continue;
        }
        if message_variant.is_some_and(|mv| {
            mv.fields
                .iter()
                .any(|g| g.wire == f.wire && is_carrier_ty(shapes, &g.ty))
        }) {
            continue;
        }
        let in_all = variants
            .iter()
            .all(|v| v.fields.iter().any(|g| g.wire == f.wire));
        let i = ident(&f.ident);
        let at = arg_ty(&f.ty);
        let conv = arg_conv(&f.ty, &quote!(value));
        let doc = format!("Sets `{}`: {}", f.wire, f.docs.doc);
        if in_all {
            methods.push(quote! {
                impl<P, F, K, M> RequestBuilder<P, F, K, M> {
                    #[doc = #doc]
                    pub fn #i(mut self, value: #at) -> Self {
                        self.#i = #p::Some(#conv);
                        self
                    }
                }
            });
        } else {
            for v in variants
                .iter()
                .filter(|v| v.fields.iter().any(|g| g.wire == f.wire))
            {
                let k = ident(&v.rust);
                methods.push(quote! {
                    impl<P, F, M> RequestBuilder<P, F, kind::#k, M> {
                        #[doc = #doc]
                        pub fn #i(mut self, value: #at) -> Self {
                            self.#i = #p::Some(#conv);
                            self
                        }
                    }
                });
            }
        }
    }

    // build(): assemble the chosen variant.
    let mut builds = Vec::new();
    for v in variants {
        let k = ident(&v.rust);
        let vi = ident(&v.rust);
        let sty = ident(&variant_struct(root, &v.rust));
        let inits = v.fields.iter().map(|f| {
            let i = ident(&f.ident);
            if f.required {
                quote!(#i: self.#i?)
            } else {
                quote!(#i: self.#i)
            }
        });
        let m = if v.key == "message" {
            quote!(#set)
        } else {
            unset.clone()
        };
        builds.push(quote! {
            impl<P, F> ::sendapi::builder::Assemble<#root_ty> for RequestBuilder<P, F, kind::#k, #m> {
                fn assemble(self) -> #p::Option<#root_ty> {
                    #p::Some(#root_ty::#vi(#sty { #(#inits),* }))
                }
            }
        });
    }

    let tag_mod = if tag_traits.is_empty() {
        quote!()
    } else {
        quote! {
            /// Compile-time availability of messaging types and tags, per
            /// platform and snapshot date. Their diagnostics name the rule.
            pub mod availability {
                #(#tag_traits)*
            }
        }
    };

    quote! {
        /// Builds a [`Request`] step by step; the missing pieces, refused
        /// tags and platform exclusions are compile errors.
        ///
        /// ```text
        /// let req = Request::builder().to_id("6047783085279281").text("hi").response().build();
        /// ```
        #[must_use]
        #[derive(Debug, Clone)]
        pub struct RequestBuilder<P, F, K, M> {
            #(#slots)*
            _marker: #p::PhantomData<fn() -> (P, F, K, M)>,
        }

        impl RequestBuilder<::sendapi::Messenger, form::Unset, kind::Unset, ::sendapi::builder::Unset> {
            fn __new() -> Self {
                RequestBuilder { #(#slot_inits)* _marker: #p::PhantomData }
            }
        }

        impl<P, F, K, M> RequestBuilder<P, F, K, M> {
            /// Checks the request against Instagram's rules instead of Messenger's.
            pub fn instagram(self) -> RequestBuilder<::sendapi::Instagram, F, K, M> {
                #retype
            }

            /// Checks the request against platform `Q`'s rules.
            pub fn platform<Q: ::sendapi::PlatformMarker>(self) -> RequestBuilder<Q, F, K, M> {
                #retype
            }

            /// The finished request.
            pub fn build(self) -> Request<P, F, K>
            where
                F: ::sendapi::form::Chosen,
                K: ::sendapi::builder::BodyChosen,
                M: ::sendapi::builder::MessagingTypeFor<K>,
                Self: ::sendapi::builder::Assemble<#root_ty>,
            {
                match ::sendapi::builder::Assemble::assemble(self) {
                    #p::Some(body) => Request::__from_parts(body),
                    // The type states guarantee every required slot is filled.
                    #p::None => #p::unreachable!("sendapi builder state out of step; please report this bug"),
                }
            }
        }

        #(#methods)*
        #(#builds)*
        #tag_mod
    }
}

fn is_carrier_ty(shapes: &Shapes, t: &RTy) -> bool {
    matches!(t, RTy::Named(n) if matches!(shapes.get(n).map(|s| &s.kind), Some(ShapeKind::Enum(vals)) if vals.iter().any(|v| v.carries.is_some())))
}

/// Platforms a carried enum value may be used on, when an error rule says so.
fn platforms_for(spec: &Spec, root: &str, wire: &str, v: &ValueShape) -> Vec<Platform> {
    match (
        &v.docs.platforms,
        rule_for(spec, RuleKind::PlatformOnly, root, wire),
    ) {
        (Some(ps), Some(_)) => ps.clone(),
        _ => Platform::ALL.to_vec(),
    }
}

/// What the builder may offer for `field = value` on the root.
fn offer_for(
    spec: &Spec,
    shapes: &Shapes,
    root: &str,
    field: &str,
    value: &str,
    tag: Option<&ValueShape>,
) -> Offer {
    if let Some(t) = tag
        && let Some((date, repl)) = &t.refused
        && let Some(rule) = rule_for(spec, RuleKind::RefusedSince, root, field)
    {
        {
            let (m, f) = render(
                rule,
                &[
                    ("value", value.to_string()),
                    ("date", date.clone()),
                    ("replacement", repl.clone()),
                ],
            );
            return Offer::Refused {
                message: format!("{m} (rule {})", rule.id),
                note: f,
            };
        }
    }
    // A `requires` rule from this value to something in the body.
    for r in spec.rules() {
        let Check::Requires(imp) = &r.check else {
            continue;
        };
        if r.severity != Severity::Error || imp.on != root {
            continue;
        }
        let (w, t) = (&imp.when, &imp.then);
        let wanted = w.test.values().iter().any(|x| x == value);
        if w.path.to_string() != field || !wanted || shapes.structural.contains(&r.id) {
            continue;
        }
        let equals = match &t.test {
            Test::Equals(v) => Some(v.as_str()),
            _ => None,
        };
        match construct_along(shapes, root, &t.path.segs, equals) {
            Some((arg_ty_r, build, desc)) => {
                let arg = arg_ty(&arg_ty_r);
                let (m, f) = render(r, &[("found", "another body".to_string())]);
                return Offer::WithBody {
                    rule: (format!("{m} (rule {})", r.id), f),
                    arg,
                    build,
                    arg_doc: format!(
                        "It takes the [`{desc}`] Graph requires with it (rule `{}`).",
                        r.id
                    ),
                };
            }
            None => {
                let (m, f) = render(r, &[]);
                return Offer::Refused {
                    message: format!("{m} (rule {})", r.id),
                    note: f,
                };
            }
        }
    }
    Offer::Plain
}

#[allow(clippy::too_many_arguments)]
fn emit_offer(
    offer: &Offer,
    method: &str,
    value: &TokenStream,
    carrier: &proc_macro2::Ident,
    msg_field: &proc_macro2::Ident,
    msg_kind: &proc_macro2::Ident,
    retype: &TokenStream,
    doc: &str,
    traits: &mut Vec<TokenStream>,
    rust: &str,
    platforms: &[Platform],
) -> Vec<TokenStream> {
    let p = private();
    let unset = quote!(::sendapi::builder::Unset);
    let set = quote!(::sendapi::builder::Set);
    let m = ident(method);
    // Distinct names for "never" and "on some platforms", so that rustc does
    // not point at a similarly named trait of another snapshot.
    let trait_name = match offer {
        Offer::Refused { .. } => format_ident!("{}Refused", rust),
        _ => format_ident!("{}OnPlatform", rust),
    };
    let mut out = Vec::new();
    // Platform availability, as a bound every platform marker but the
    // allowed ones fails.
    let (bound, tr) = match offer {
        Offer::Refused { message, note } => {
            let label = format!("`.{method}()` is refused here");
            (
                quote!(P: availability::#trait_name),
                quote! {
                    #[doc = #message]
                    #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
                    pub trait #trait_name {}
                },
            )
        }
        _ if platforms.len() < Platform::ALL.len() => {
            let names: Vec<&str> = platforms.iter().map(|p| p.display_name()).collect();
            let message = format!(
                "`.{method}()` is available on {} only, not on `{{Self}}`",
                names.join(" and ")
            );
            let note =
                "Instagram accepts the HUMAN_AGENT tag only; check the platform you build for"
                    .to_string();
            let impls = platforms.iter().map(|pl| {
                let pm = platform_marker(*pl);
                quote!(#[diagnostic::do_not_recommend] impl #trait_name for #pm {})
            });
            (
                quote!(P: availability::#trait_name),
                quote! {
                    #[doc = #message]
                    #[diagnostic::on_unimplemented(message = #message, note = #note)]
                    pub trait #trait_name {}
                    #(#impls)*
                },
            )
        }
        _ => (quote!(), quote!()),
    };
    traits.push(tr);
    let where_clause = if bound.is_empty() {
        quote!()
    } else {
        quote!(where #bound)
    };
    match offer {
        Offer::Plain | Offer::Refused { .. } => {
            out.push(quote! {
                impl<P, F, K: ::sendapi::builder::AllowsMessagingType> RequestBuilder<P, F, K, #unset> {
                    #[doc = #doc]
                    pub fn #m(mut self) -> RequestBuilder<P, F, K, #set> #where_clause {
                        self.#carrier = #p::Some(#value);
                        #retype
                    }
                }
            });
        }
        Offer::WithBody {
            arg,
            build,
            arg_doc,
            rule: (message, fix),
        } => {
            let full = format!("{doc}\n\n{arg_doc}");
            // Once a message is set, the same method without its companion
            // is refused at compile time, naming the rule.
            let refusal = format_ident!("{}NeedsItsBody", rust);
            let label = format!("`.{method}()` cannot take a message built elsewhere");
            let note = format!(
                "{fix}; call `.{method}(…)` before choosing a message, and it builds the message for you"
            );
            traits.push(quote! {
                #[doc = #message]
                #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
                pub trait #refusal {}
            });
            let bare_doc =
                format!("Refused: `{method}` needs its own body; see the other `{method}` method.");
            out.push(quote! {
                impl<P, F> RequestBuilder<P, F, kind::#msg_kind, #unset> {
                    #[doc = #bare_doc]
                    pub fn #m(self) -> RequestBuilder<P, F, kind::#msg_kind, #set>
                    where
                        P: availability::#refusal,
                    {
                        #retype
                    }
                }
            });
            out.push(quote! {
                impl<P, F> RequestBuilder<P, F, kind::Unset, #unset> {
                    #[doc = #full]
                    pub fn #m(mut self, __arg: #arg) -> RequestBuilder<P, F, kind::#msg_kind, #set> #where_clause {
                        self.#carrier = #p::Some(#value);
                        self.#msg_field = #p::Some(#build);
                        #retype
                    }
                }
            });
        }
    }
    out
}
