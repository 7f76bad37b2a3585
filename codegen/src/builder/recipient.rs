//! Recipient forms: the `form` module's markers, one per variant of the
//! recipient union, and the builder methods choosing a recipient.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use sendapi_core::list;
use sendapi_spec::model::{Platform, RuleKind, Status};

use super::roles::Ctx;
use super::{Impls, platform_marker, rule_for};
use crate::shapes::{FieldShape, KeyedVariant, ShapeKind};
use crate::types::arg_ty;
use crate::util::{doc, ident, private, snake, variant_struct};

/// The response field `::sendapi::Sent::recipient_id()` reads. It is the
/// runtime's name (its `Sent` type is written against it), not a spec
/// fact: a form implements `HasRecipientId` when the spec's response type
/// for it requires this field.
pub(super) const SENT_RECIPIENT_ID: &str = "recipient_id";

/// The recipient union: its type name and its variants (the forms).
fn union<'a>(cx: &Ctx<'a>) -> Option<(&'a FieldShape, &'a str, &'a [KeyedVariant])> {
    let rf = cx.recipient?;
    let name = rf.ty.named()?;
    match &cx.shapes.get(name)?.kind {
        ShapeKind::Keyed(vs) => Some((rf, name, vs)),
        _ => None,
    }
}

/// Whether the response to a send to form `v` has the recipient id field:
/// `Some(required)`, or `None` when its response type lacks it.
fn recipient_id_in_response(cx: &Ctx<'_>, v: &KeyedVariant) -> Option<bool> {
    let response = cx.spec.type_def(v.response.as_ref()?)?;
    response.fields.get(SENT_RECIPIENT_ID).map(|f| f.required)
}

/// The `form` module.
pub(super) fn forms(cx: &Ctx<'_>) -> TokenStream {
    let p = private();
    let Some((rf, rname, variants)) = union(cx) else {
        return quote!();
    };
    let rty = ident(rname);
    let markers = variants.iter().map(|v| form_marker(cx, rf, rname, v));
    let chosen = super::state::chosen_trait(cx);
    let on_platform = variants.iter().filter_map(|v| platform_trait(cx, rname, v));
    let without: Vec<&str> = variants
        .iter()
        .filter(|v| v.response.is_some() && recipient_id_in_response(cx, v).is_none())
        .map(|v| v.key.as_str())
        .collect();
    let mut module_doc = "Recipient forms at the type level".to_string();
    if !without.is_empty() {
        module_doc.push_str(&format!(
            ": the response to a send by\n{} has no `{SENT_RECIPIENT_ID}`, and reading it\ndoes not compile",
            list(&without, "or")
        ));
    }
    module_doc.push('.');
    let module_doc = doc(&module_doc);
    let any_doc = doc(&format!(
        "A recipient chosen at run time: its response's `{SENT_RECIPIENT_ID}` is optional."
    ));
    quote! {
        #module_doc
        pub mod form {
            #![allow(clippy::module_name_repetitions)]
            #any_doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct Any;
            impl ::sendapi::form::Form for Any {
                const KEY: &'static str = "";
                const HAS_RECIPIENT_ID: bool = false;
            }
            #[diagnostic::do_not_recommend]
            impl Chosen for Any {}
            impl<P> ::sendapi::form::AvailableOn<P> for Any {}

            /// No recipient yet (builder state).
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct Unset;

            #chosen
            #(#on_platform)*

            /// A recipient variant struct, with the form it is.
            pub trait IntoRecipient: #p::Into<super::#rty> {
                /// The form marker.
                type Form: ::sendapi::form::Form;
            }

            #(#markers)*
        }
    }
}

/// One form marker with its traits.
fn form_marker(cx: &Ctx<'_>, rf: &FieldShape, rname: &str, v: &KeyedVariant) -> TokenStream {
    let m = ident(&v.rust);
    let key = &v.key;
    let has_id = recipient_id_in_response(cx, v) == Some(true);
    let marker_doc = doc(&format!(
        "Recipient form `{key}`: a send to `{}.{key}`. Its response {} `{SENT_RECIPIENT_ID}`.",
        rf.wire,
        if has_id { "carries" } else { "may not carry" }
    ));
    let has = if has_id {
        quote!(#[diagnostic::do_not_recommend] impl ::sendapi::form::HasRecipientId for #m {})
    } else {
        quote!()
    };
    // Platforms where this form may be used: those of the key field, when
    // an error-severity platform rule enforces them.
    let enforced = rule_for(cx.spec, RuleKind::PlatformOnly, rname, key).is_some();
    let platforms: Vec<Platform> = match (&v.docs.platforms, enforced) {
        (Some(ps), true) => ps.clone(),
        _ => Platform::ALL.to_vec(),
    };
    let avail = platforms.iter().map(|pl| {
        let pm = platform_marker(*pl);
        quote!(#[diagnostic::do_not_recommend] impl ::sendapi::form::AvailableOn<#pm> for #m {})
    });
    let sty = ident(&variant_struct(rname, &v.rust));
    quote! {
        #marker_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct #m;
        impl ::sendapi::form::Form for #m {
            const KEY: &'static str = #key;
            const HAS_RECIPIENT_ID: bool = #has_id;
        }
        #has
        #(#avail)*
        #[diagnostic::do_not_recommend]
        impl Chosen for #m {}
        impl IntoRecipient for super::#sty {
            type Form = #m;
        }
    }
}

/// `to`, `to_recipient` and one `to_<form>` per current single-field form.
pub(super) fn methods(cx: &Ctx<'_>, impls: &mut Impls) {
    let p = private();
    let Some(rf) = cx.recipient else { return };
    let ri = ident(&rf.ident);
    let rname = rf.ty.named().unwrap_or_default();
    let rty = ident(rname);
    let header = quote!(impl<P, K, M> RequestBuilder<P, form::Unset, K, M>);
    let forms = union(cx).map(|(_, _, vs)| vs).unwrap_or_default();
    let example = example_form(rname, forms);
    let to_recipient_doc = doc(&format!(
        "Sends to a recipient form known at compile time, such as\n{example}."
    ));
    impls.add(
        &header,
        quote! {
            /// Sends to a recipient chosen at run time.
            pub fn to(mut self, recipient: impl #p::Into<#rty>) -> RequestBuilder<P, form::Any, K, M> {
                self.#ri = #p::Some(#p::Into::into(recipient));
                self.__state()
            }

            #to_recipient_doc
            pub fn to_recipient<R: form::IntoRecipient>(mut self, recipient: R) -> RequestBuilder<P, R::Form, K, M>
            where
                R::Form: ::sendapi::form::AvailableOn<P>,
            {
                self.#ri = #p::Some(#p::Into::into(recipient));
                self.__state()
            }
        },
    );
    for v in forms {
        let required: Vec<&FieldShape> = v.fields.iter().filter(|f| f.required).collect();
        let [kf] = required.as_slice() else { continue };
        if v.docs.status != Status::Current {
            continue;
        }
        let m = format_ident!("to_{}", snake(&v.rust));
        let marker = ident(&v.rust);
        let at = arg_ty(&kf.ty);
        let sty = ident(&variant_struct(rname, &v.rust));
        let method_doc = doc(&format!("Sends to `{}.{}`.", rf.wire, v.key));
        let item = match limited_platforms(cx, rname, v) {
            Some(_) => {
                let tr = format_ident!("{}OnPlatform", v.rust);
                quote! {
                    #method_doc
                    pub fn #m(mut self, value: #at) -> RequestBuilder<P, form::#marker, K, M>
                    where
                        P: form::#tr,
                    {
                        self.#ri = #p::Some(#p::Into::into(#sty::new(value)));
                        self.__state()
                    }
                }
            }
            None => quote! {
                #method_doc
                pub fn #m(self, value: #at) -> RequestBuilder<P, form::#marker, K, M>
                where
                    form::#marker: ::sendapi::form::AvailableOn<P>,
                {
                    self.to_recipient(#sty::new(value))
                }
            },
        };
        impls.add(&header, item);
    }
}

/// The platforms form `v` is limited to, with the error-severity
/// `platform_only` rule enforcing them, when they are not all platforms.
fn limited_platforms<'a>(
    cx: &Ctx<'a>,
    rname: &str,
    v: &KeyedVariant,
) -> Option<(Vec<Platform>, &'a sendapi_spec::Rule)> {
    let rule = rule_for(cx.spec, RuleKind::PlatformOnly, rname, &v.key)?;
    let ps = v.docs.platforms.clone()?;
    (ps.len() < Platform::ALL.len()).then_some((ps, rule))
}

/// `form::PostIdOnPlatform`: the platforms whose `to_post_id(…)` compiles,
/// with the platform rule's words for the others.
fn platform_trait(cx: &Ctx<'_>, rname: &str, v: &KeyedVariant) -> Option<TokenStream> {
    let (platforms, rule) = limited_platforms(cx, rname, v)?;
    let name = format_ident!("{}OnPlatform", v.rust);
    let allowed: Vec<&str> = platforms.iter().map(|p| p.display_name()).collect();
    let others: Vec<&str> = Platform::ALL
        .iter()
        .filter(|p| !platforms.contains(p))
        .map(|p| p.display_name())
        .collect();
    let (message, fix) = super::render(
        rule,
        &[
            ("field", v.key.clone()),
            ("value", v.key.clone()),
            ("platform", others.join(" and ")),
            ("platforms", allowed.join(" and ")),
        ],
    );
    let label = format!(
        "`.to_{}(…)` is for {} only",
        snake(&v.rust),
        allowed.join(" and ")
    );
    let impls = platforms.iter().map(|pl| {
        let pm = platform_marker(*pl);
        quote!(#[diagnostic::do_not_recommend] impl #name for #pm {})
    });
    let tr = super::refusing_trait(&name, quote!(), &message, &label, &[fix], quote!());
    Some(quote! {
        #tr
        #(#impls)*
    })
}

/// A form built by hand, for docs: the first current form with an optional
/// field, as `` `PhoneNumberRecipient::new("…").name(…)` ``.
fn example_form(rname: &str, forms: &[KeyedVariant]) -> String {
    let current = || forms.iter().filter(|v| v.docs.status == Status::Current);
    let with_optional = current().find_map(|v| {
        v.fields
            .iter()
            .find(|f| !f.required && !f.is_key)
            .map(|f| (v, Some(f)))
    });
    match with_optional.or_else(|| current().next().map(|v| (v, None))) {
        Some((v, Some(f))) => format!(
            "`{}::new(…).{}(…)`",
            variant_struct(rname, &v.rust),
            f.ident
        ),
        Some((v, None)) => format!("`{}::new(…)`", variant_struct(rname, &v.rust)),
        None => "a variant struct of the recipient".to_string(),
    }
}
