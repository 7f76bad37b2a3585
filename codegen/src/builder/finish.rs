//! The builder itself: its struct of slots, the one state change every
//! transition goes through, the optional setters, `build()` and the
//! `Assemble` impl of each finished state; and the assembly of all the
//! builder's parts.

use proc_macro2::TokenStream;
use quote::quote;

use super::roles::Ctx;
use super::{Impls, kind, messaging_type, offer, recipient};
use crate::types::{arg_conv, arg_ty};
use crate::util::{doc, ident, private, rty, variant_struct};

/// The family every method usable in any state belongs to.
fn any_state() -> TokenStream {
    quote!(impl<P, F, K, M> RequestBuilder<P, F, K, M>)
}

/// The builder: struct, methods in one `impl` per state family, the
/// `Assemble` impls and the `availability` traits.
pub(super) fn builder(cx: &Ctx<'_>) -> TokenStream {
    let mut impls = Impls::default();
    let mut traits = Vec::new();
    core_methods(cx, &mut impls);
    recipient::methods(cx, &mut impls);
    kind::methods(cx, &mut impls);
    messaging_type::methods(cx, &mut impls, &mut traits);
    setters(cx, &mut impls);
    let structure = structure(cx);
    let impls = impls.into_tokens();
    let assembles = assembles(cx);
    let availability = if traits.iter().all(TokenStream::is_empty) {
        quote!()
    } else {
        quote! {
            /// Compile-time availability of messaging types and tags, per
            /// platform and snapshot date. Their diagnostics name the rule.
            pub mod availability {
                #(#traits)*
            }
        }
    };
    quote! {
        #structure
        #impls
        #assembles
        #availability
    }
}

/// The struct, with a slot per root field, and its constructor.
fn structure(cx: &Ctx<'_>) -> TokenStream {
    let p = private();
    let slots = cx.fields.iter().map(|f| {
        let i = ident(&f.ident);
        let t = rty(&f.ty);
        quote!(#i: #p::Option<#t>,)
    });
    let inits = cx.fields.iter().map(|f| {
        let i = ident(&f.ident);
        quote!(#i: #p::None,)
    });
    let example = example(cx);
    quote! {
        /// Builds a [`Request`] step by step; the missing pieces, refused
        /// tags and platform exclusions are compile errors.
        #example
        #[must_use]
        #[derive(Debug, Clone)]
        pub struct RequestBuilder<P, F, K, M> {
            #(#slots)*
            _marker: #p::PhantomData<fn() -> (P, F, K, M)>,
        }

        impl RequestBuilder<::sendapi::Messenger, form::Unset, kind::Unset, ::sendapi::builder::Unset> {
            fn __new() -> Self {
                RequestBuilder { #(#inits)* _marker: #p::PhantomData }
            }
        }
    }
}

/// The doc example: the first current recipient form, the first
/// single-string body and the first plain messaging type, as the methods
/// the other modules generate for them; nothing when one is missing.
fn example(cx: &Ctx<'_>) -> TokenStream {
    let Some(steps) = example_steps(cx) else {
        return quote!();
    };
    doc(&format!(
        "\n```text\nlet req = Request::builder(){steps}.build();\n```"
    ))
}

/// The state change, the platform choice and `build()`.
fn core_methods(cx: &Ctx<'_>, impls: &mut Impls) {
    let p = private();
    let moves = cx.fields.iter().map(|f| {
        let i = ident(&f.ident);
        quote!(#i: self.#i,)
    });
    impls.add(
        &any_state(),
        quote! {
            /// The same slots in another type state: every transition.
            fn __state<Q, G, L, N>(self) -> RequestBuilder<Q, G, L, N> {
                RequestBuilder { #(#moves)* _marker: #p::PhantomData }
            }

            /// Checks the request against Instagram's rules instead of Messenger's.
            pub fn instagram(self) -> RequestBuilder<::sendapi::Instagram, F, K, M> {
                self.__state()
            }

            /// Checks the request against platform `Q`'s rules.
            pub fn platform<Q: ::sendapi::PlatformMarker>(self) -> RequestBuilder<Q, F, K, M> {
                self.__state()
            }

            /// The finished request.
            pub fn build(self) -> Request<P, F, K>
            where
                F: form::Chosen,
                K: kind::BodyChosen,
                M: kind::MessagingTypeFor<K>,
            {
                match <M as kind::MessagingTypeFor<K>>::__assemble(self) {
                    #p::Some(body) => Request::__from_parts(body),
                    // The type states guarantee every required slot is filled.
                    #p::None => #p::unreachable!("sendapi builder state out of step; please report this bug"),
                }
            }
        },
    );
}

/// Optional setters, available once a body kind that has the field is
/// chosen (in any state when every kind has it).
fn setters(cx: &Ctx<'_>, impls: &mut Impls) {
    let p = private();
    let skip = |wire: &str| {
        cx.recipient.is_some_and(|r| r.wire == wire) || cx.carrier.is_some_and(|c| c.wire == wire)
    };
    for f in cx
        .fields
        .iter()
        .filter(|f| !f.is_key && !f.required && !skip(&f.wire))
    {
        let i = ident(&f.ident);
        let at = arg_ty(&f.ty);
        let conv = arg_conv(&f.ty, &quote!(value));
        let setter_doc = doc(&format!("Sets `{}`: {}", f.wire, f.docs.doc));
        let item = quote! {
            #setter_doc
            pub fn #i(mut self, value: #at) -> Self {
                self.#i = #p::Some(#conv);
                self
            }
        };
        let having: Vec<_> = cx
            .variants
            .iter()
            .filter(|v| v.fields.iter().any(|g| g.wire == f.wire))
            .collect();
        if having.len() == cx.variants.len() {
            impls.add(&any_state(), item);
            continue;
        }
        for v in having {
            let k = Ctx::kind(v);
            impls.add(
                &quote!(impl<P, F, M> RequestBuilder<P, F, kind::#k, M>),
                item.clone(),
            );
        }
    }
}

/// `kind::MessagingTypeFor` for every finished state (a body kind with the
/// messaging-type states it may finish in), which assembles the body; and
/// for the states only a refused call reaches (no body yet; a messaging
/// type on a body that takes none), assembling nothing, so that `build()`
/// adds no second error to the first.
fn assembles(cx: &Ctx<'_>) -> TokenStream {
    let p = private();
    let root_ty = ident(cx.root);
    let (unset, set) = (
        quote!(::sendapi::builder::Unset),
        quote!(::sendapi::builder::Set),
    );
    let nothing = |k: TokenStream, m: &TokenStream| {
        quote! {
            #[diagnostic::do_not_recommend]
            impl kind::MessagingTypeFor<#k> for #m {
                fn __assemble<P, F>(_: RequestBuilder<P, F, #k, #m>) -> #p::Option<#root_ty> {
                    #p::None
                }
            }
        }
    };
    let mut out = vec![
        nothing(quote!(kind::Unset), &unset),
        nothing(quote!(kind::Unset), &set),
    ];
    for v in cx.variants {
        let k = Ctx::kind(v);
        let sty = ident(&variant_struct(cx.root, &v.rust));
        let inits: Vec<TokenStream> = v
            .fields
            .iter()
            .map(|f| {
                let i = ident(&f.ident);
                if f.required {
                    quote!(#i: __b.#i?)
                } else {
                    quote!(#i: __b.#i)
                }
            })
            .collect();
        for m in cx.carrier_states(v) {
            out.push(quote! {
                #[diagnostic::do_not_recommend]
                impl kind::MessagingTypeFor<kind::#k> for #m {
                    fn __assemble<P, F>(__b: RequestBuilder<P, F, kind::#k, #m>) -> #p::Option<#root_ty> {
                        #p::Some(#root_ty::#k(#sty { #(#inits),* }))
                    }
                }
            });
        }
        if !cx.takes_carrier(v) {
            out.push(nothing(quote!(kind::#k), &set));
        }
    }
    quote!(#(#out)*)
}

/// The calls of the builder's doc example, as the other modules generate
/// them: the first current single-field recipient form, the first
/// single-string body shortcut, and the first messaging type that needs
/// nothing else. `None` when the spec offers none of one of them.
fn example_steps(cx: &Ctx<'_>) -> Option<String> {
    use crate::shapes::{RTy, ShapeKind};
    use sendapi_spec::Prim;
    use sendapi_spec::model::Status;
    let current = |s: Status| s == Status::Current;
    let single = |fs: &[crate::shapes::FieldShape]| {
        let mut required = fs.iter().filter(|f| f.required);
        match (required.next(), required.next()) {
            (Some(f), None) => Some(f.clone()),
            _ => None,
        }
    };
    let rname = cx.recipient?.ty.named()?;
    let ShapeKind::Keyed(forms) = &cx.shapes.get(rname)?.kind else {
        return None;
    };
    let form = forms
        .iter()
        .find(|v| current(v.docs.status) && single(&v.fields).is_some())?;
    let text = cx
        .variants
        .iter()
        .filter(|v| cx.takes_carrier(v))
        .find_map(|v| {
            let ShapeKind::Keyed(mvs) = &cx.shapes.get(Ctx::key_field(v).ty.named()?)?.kind else {
                return None;
            };
            mvs.iter().find_map(|mv| {
                let f = single(&mv.fields)?;
                (current(mv.docs.status) && f.ty == RTy::Prim(Prim::String)).then_some(f)
            })
        })?;
    let carrier = cx.carrier?;
    let ShapeKind::Enum(values) = &cx.shapes.get(carrier.ty.named()?)?.kind else {
        return None;
    };
    let mt = values.iter().find(|val| {
        current(val.docs.status)
            && val.carries.is_none()
            && offer::restriction(cx, &carrier.wire, val).is_none()
            && matches!(
                offer::offer_for(cx, &carrier.wire, &val.wire, None),
                offer::Offer::Plain
            )
    })?;
    Some(format!(
        ".to_{}(\"…\").{}(\"…\").{}()",
        crate::util::snake(&form.rust),
        text.ident,
        crate::util::snake(&mt.rust)
    ))
}
