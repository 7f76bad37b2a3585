//! Body kinds: the `kind` module's markers, one per variant of the root
//! union, and the builder methods choosing a body.

use proc_macro2::TokenStream;
use quote::quote;
use sendapi_core::list;
use sendapi_spec::model::Status;

use super::Impls;
use super::roles::Ctx;
use crate::shapes::{FieldShape, KeyedVariant, RTy, ShapeKind, ValueShape};
use crate::types::{arg_conv, arg_init, arg_ty};
use crate::util::{doc, ident, private, snake, variant_struct};

/// The response type of a body kind: the variant's declared response (a
/// sender action's), else the recipient form's (`Sent<F>`).
fn response(cx: &Ctx<'_>, v: &KeyedVariant) -> TokenStream {
    match &v.response {
        None => quote!(::sendapi::Sent<F>),
        Some(r) if cx.shapes.get(r).is_some() => {
            let r = ident(r);
            quote!(super::#r)
        }
        Some(_) => quote!(::sendapi::AnyResponse),
    }
}

/// The `kind` module.
pub(super) fn kinds(cx: &Ctx<'_>) -> TokenStream {
    let markers = cx.variants.iter().map(|v| {
        let m = Ctx::kind(v);
        let marker_doc = doc(&format!("A `{}` body.", v.key));
        let resp = response(cx, v);
        quote! {
            #marker_doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct #m;
            impl ::sendapi::builder::Kind for #m {
                type Response<F: ::sendapi::form::Form> = #resp;
            }
        }
    });
    let states = super::state::kind_traits(cx);
    quote! {
        /// Body kinds at the type level: they decide the response type.
        pub mod kind {
            /// A body chosen at run time.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct Either;
            impl ::sendapi::builder::Kind for Either {
                type Response<F: ::sendapi::form::Form> = ::sendapi::AnyResponse;
            }
            /// No body yet (builder state).
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct Unset;
            #(#markers)*
            #states
        }
    }
}

/// One method per body kind, setting its key, plus shortcuts for the key's
/// own values (`typing_on()`) or single-string variants (`text("…")`).
pub(super) fn methods(cx: &Ctx<'_>, impls: &mut Impls) {
    let p = private();
    for v in cx.variants {
        let kf = Ctx::key_field(v);
        let m = ident(&kf.ident);
        let kind = Ctx::kind(v);
        let at = arg_ty(&kf.ty);
        let conv = arg_conv(&kf.ty, &quote!(value));
        // A body kind that takes no messaging type is chosen from any
        // messaging-type state, and refused (naming the rule) from `Set`.
        let header = quote!(impl<P, F, M> RequestBuilder<P, F, kind::Unset, M>);
        let (mstate, bound) = if cx.takes_carrier(v) {
            (quote!(M), quote!())
        } else {
            (
                quote!(::sendapi::builder::Unset),
                quote!(where M: kind::NoMessagingType),
            )
        };
        let method_doc = doc(&format!("Sends `{}`.", v.key));
        impls.add(
            &header,
            quote! {
                #method_doc
                pub fn #m(mut self, value: #at) -> RequestBuilder<P, F, kind::#kind, #mstate> #bound {
                    self.#m = #p::Some(#conv);
                    self.__state()
                }
            },
        );
        let Some(key_shape) = kf.ty.named().and_then(|n| cx.shapes.get(n)) else {
            continue;
        };
        let shortcut = Shortcut {
            variant: v,
            key: kf,
            kty: &key_shape.name,
            mstate: &mstate,
            bound: &bound,
        };
        match &key_shape.kind {
            ShapeKind::Enum(values) => {
                for val in values.iter().filter(|x| x.docs.status == Status::Current) {
                    impls.add(&header, shortcut.value(val));
                }
            }
            ShapeKind::Keyed(mvs) => {
                for mv in mvs {
                    if let Some(item) = shortcut.single_string(mv) {
                        impls.add(&header, item);
                    }
                }
            }
            _ => {}
        }
    }
}

/// A shortcut method for a body kind whose key is of type `kty`.
struct Shortcut<'a> {
    variant: &'a KeyedVariant,
    key: &'a FieldShape,
    kty: &'a str,
    mstate: &'a TokenStream,
    /// The bound on the messaging-type state, if any.
    bound: &'a TokenStream,
}

impl Shortcut<'_> {
    /// `typing_on()`, `react(message_id, reaction)`: an enum value of the
    /// key, with the fields it carries as arguments.
    fn value(&self, val: &ValueShape) -> TokenStream {
        let p = private();
        let kty = ident(self.kty);
        let vi = ident(&val.rust);
        let mname = ident(&snake(&val.rust));
        let setter = ident(&self.key.ident);
        let kind = Ctx::kind(self.variant);
        let (mstate, bound) = (self.mstate, self.bound);
        let method_doc = doc(&format!(
            "Sends the `{}` {}.",
            val.wire,
            self.variant.key.replace('_', " ")
        ));
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
                            arg_init(&i, &f.ty)
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
        quote! {
            #method_doc
            pub fn #mname(self, #args) -> RequestBuilder<P, F, kind::#kind, #mstate> #bound {
                self.#setter(#value)
            }
        }
    }

    /// `text("…")`: a current variant of the key with one required string
    /// field.
    fn single_string(&self, mv: &KeyedVariant) -> Option<TokenStream> {
        let p = private();
        let required: Vec<&FieldShape> = mv.fields.iter().filter(|f| f.required).collect();
        let [only] = required.as_slice() else {
            return None;
        };
        if mv.docs.status != Status::Current
            || !matches!(only.ty, RTy::Prim(sendapi_spec::Prim::String))
        {
            return None;
        }
        let mname = ident(&only.ident);
        let kty = ident(self.kty);
        let ctor = ident(&snake(&mv.rust));
        let setter = ident(&self.key.ident);
        let kind = Ctx::kind(self.variant);
        let (mstate, bound) = (self.mstate, self.bound);
        let optional: Vec<&str> = mv
            .fields
            .iter()
            .filter(|f| !f.required)
            .map(|f| f.wire.as_str())
            .collect();
        let mut text = format!(
            "Sends a {} with `{}` only",
            self.variant.key.replace('_', " "),
            mv.key
        );
        if !optional.is_empty() {
            text.push_str(&format!(
                "; for {}, build a [`{}`] and pass it to `.{}(…)`",
                list(&optional, "or"),
                variant_struct(self.kty, &mv.rust),
                self.key.ident
            ));
        }
        text.push('.');
        let method_doc = doc(&text);
        Some(quote! {
            #method_doc
            pub fn #mname(self, value: impl #p::Into<#p::String>) -> RequestBuilder<P, F, kind::#kind, #mstate> #bound {
                self.#setter(#kty::#ctor(value))
            }
        })
    }
}
