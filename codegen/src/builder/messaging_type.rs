//! The messaging-type methods: a raw setter, and one method per current
//! value of the carrier enum (per carried value for a value that carries
//! one, as `MESSAGE_TAG` carries a tag). What the rules refuse becomes a
//! bound on a trait of the `availability` module whose
//! `#[diagnostic::on_unimplemented]` text is the rule's.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use sendapi_spec::model::{Platform, Status};

use super::offer::{Companion, Offer, Restriction, offer_for, restriction};
use super::roles::Ctx;
use super::{Impls, platform_marker, refusing_trait, render};
use crate::shapes::{FieldShape, ShapeKind, ValueShape};
use crate::util::{doc, ident, private, snake};
use sendapi_core::list;
use sendapi_spec::Check;

/// One messaging-type method.
struct Setter<'a> {
    /// The carrier field.
    carrier: &'a FieldShape,
    /// The value's Rust name: the method is its snake case, the traits
    /// refusing it start with it.
    rust: &'a str,
    /// The value's wire name, for rule messages.
    wire: &'a str,
    /// The carrier value it sets.
    value: TokenStream,
    /// Its doc.
    doc: String,
    /// The platforms it is limited to, and the rule limiting them.
    restriction: Option<Restriction<'a>>,
}

impl Setter<'_> {
    fn method(&self) -> String {
        snake(self.rust)
    }
}

/// Text for `#[diagnostic::on_unimplemented]`, which reads `{…}` as a
/// format parameter: literal braces doubled.
fn escape(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

/// The messaging-type methods, into `impls`; the `availability` traits
/// they are bounded by, into `traits`.
pub(super) fn methods(cx: &Ctx<'_>, impls: &mut Impls, traits: &mut Vec<TokenStream>) {
    let p = private();
    let Some(carrier) = cx.carrier else { return };
    let Some(cname) = carrier.ty.named() else {
        return;
    };
    let Some(ShapeKind::Enum(values)) = cx.shapes.get(cname).map(|s| &s.kind) else {
        return;
    };
    let ci = ident(&carrier.ident);
    let cty = ident(cname);
    let header = any_kind_header();
    impls.add(
        &header,
        quote! {
            /// Sets the messaging type from a value known at run time
            /// (checked by `validate()`).
            pub fn #ci(mut self, value: #cty) -> RequestBuilder<P, F, K, ::sendapi::builder::Set>
            where
                K: kind::TakesMessagingType,
            {
                self.#ci = #p::Some(value);
                self.__state()
            }
        },
    );
    let alternatives = super::state::messaging_type_methods(cx);
    for val in values {
        if val.docs.status == Status::Retired {
            retired(cx, val, &alternatives, impls, traits);
            continue;
        }
        if val.docs.status != Status::Current {
            continue;
        }
        let vi = ident(&val.rust);
        match &val.carries {
            None => {
                let setter = Setter {
                    carrier,
                    rust: &val.rust,
                    wire: &val.wire,
                    value: quote!(#cty::#vi),
                    doc: val.docs.doc.clone(),
                    restriction: restriction(cx, &carrier.wire, val),
                };
                let offer = offer_for(cx, &carrier.wire, &val.wire, None);
                emit(&setter, &offer, impls, traits);
            }
            Some(c) => {
                let Some(en) = c.ty.named() else { continue };
                let Some(ShapeKind::Enum(tags)) = cx.shapes.get(en).map(|s| &s.kind) else {
                    continue;
                };
                let tty = ident(en);
                for t in tags {
                    if t.docs.status == Status::Retired {
                        retired(cx, t, &alternatives, impls, traits);
                        continue;
                    }
                    let ti = ident(&t.rust);
                    let setter = Setter {
                        carrier,
                        rust: &t.rust,
                        wire: &t.wire,
                        value: quote!(#cty::#vi(#tty::#ti)),
                        doc: carried_doc(val, t),
                        restriction: restriction(cx, &c.wire, t),
                    };
                    let offer = offer_for(cx, &c.wire, &t.wire, Some(t));
                    emit(&setter, &offer, impls, traits);
                }
            }
        }
    }
}

/// A retired value or tag keeps its method, so that a user who reaches for
/// it reads why it is gone and what to use: the method is bounded by an
/// `availability` trait no platform implements, whose diagnostic is the
/// spec's `status` rule for retired items, with the value's note.
fn retired(
    cx: &Ctx<'_>,
    val: &ValueShape,
    alternatives: &[String],
    impls: &mut Impls,
    traits: &mut Vec<TokenStream>,
) {
    let method = snake(&val.rust);
    let m = ident(&method);
    let name = format_ident!("{}Retired", val.rust);
    let note = val.docs.note.clone().unwrap_or_default();
    let rule = cx
        .spec
        .rules()
        .iter()
        .find(|r| matches!(r.check, Check::Status(Status::Retired)));
    let (message, mut notes) = match rule {
        Some(r) => {
            let (m, fix) = render(
                r,
                &[
                    ("field", val.wire.clone()),
                    ("value", val.wire.clone()),
                    ("note", note.clone()),
                    ("status", "retired".to_string()),
                ],
            );
            (m, vec![fix])
        }
        None => (format!("`{}` is retired: {note}", val.wire), vec![]),
    };
    notes.push(format!(
        "sendapi has no way to send it; the current choices are {}",
        list(alternatives, "and")
    ));
    traits.push(refusing_trait(
        &name,
        quote!(),
        &message,
        &format!("`.{method}()` is retired"),
        &notes,
        quote!(),
    ));
    let method_doc = doc(&format!(
        "Retired: `{}` does not compile; its error says why and what to use.",
        val.wire
    ));
    impls.add(
        &any_kind_header(),
        quote! {
            #method_doc
            #[doc(hidden)]
            pub fn #m(self) -> RequestBuilder<P, F, K, ::sendapi::builder::Set>
            where
                P: availability::#name,
            {
                self.__state()
            }
        },
    );
}

/// The family of messaging-type methods usable with any body kind that
/// takes one.
fn any_kind_header() -> TokenStream {
    quote!(impl<P, F, K> RequestBuilder<P, F, K, ::sendapi::builder::Unset>)
}

/// The doc of a method setting a value that carries `t`.
fn carried_doc(val: &ValueShape, t: &ValueShape) -> String {
    let mut doc = format!("`{}` with tag `{}`: {}", val.wire, t.wire, t.docs.doc);
    for (k, text) in &t.policy {
        doc.push_str(&format!("\n\n{k}: {text}."));
    }
    doc
}

/// The `availability` trait a setter is bounded by, if any: named
/// `…Refused` or `…OnPlatform`, distinct so that rustc does not point at a
/// similarly named trait of another snapshot.
fn availability(setter: &Setter<'_>, offer: &Offer) -> Option<(TokenStream, TokenStream)> {
    let method = setter.method();
    match (offer, &setter.restriction) {
        (Offer::Refused { message, note }, _) => {
            let name = format_ident!("{}Refused", setter.rust);
            let label = format!("`.{method}()` is refused here");
            let trait_doc = doc(message);
            let (message, note) = (escape(message), escape(note));
            Some((
                quote!(P: availability::#name,),
                quote! {
                    #trait_doc
                    #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
                    pub trait #name {}
                },
            ))
        }
        (_, Some(r)) => {
            let name = format_ident!("{}OnPlatform", setter.rust);
            let (message, note) = platform_texts(setter, r);
            let allowed: Vec<&str> = r.platforms.iter().map(|p| p.display_name()).collect();
            let label = format!("`.{method}()` is for {} only", allowed.join(" and "));
            let trait_doc = doc(&message);
            let (message, note) = (escape(&message), escape(&note));
            let impls = r.platforms.iter().map(|pl| {
                let pm = platform_marker(*pl);
                quote!(#[diagnostic::do_not_recommend] impl #name for #pm {})
            });
            Some((
                quote!(P: availability::#name,),
                quote! {
                    #trait_doc
                    #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
                    pub trait #name {}
                    #(#impls)*
                },
            ))
        }
        _ => None,
    }
}

/// The platform rule's message and fix for a setter, naming the platform
/// the trait is not implemented for when there is only one.
fn platform_texts(setter: &Setter<'_>, r: &Restriction<'_>) -> (String, String) {
    let others: Vec<&str> = Platform::ALL
        .iter()
        .filter(|p| !r.platforms.contains(p))
        .map(|p| p.display_name())
        .collect();
    let platform = match others.as_slice() {
        [one] => (*one).to_string(),
        _ => "`{Self}`".to_string(),
    };
    let allowed: Vec<&str> = r.platforms.iter().map(|p| p.display_name()).collect();
    render(
        r.rule,
        &[
            ("field", setter.carrier.wire.clone()),
            ("value", setter.wire.to_string()),
            ("platform", platform),
            ("platforms", allowed.join(" and ")),
        ],
    )
}

/// Emits a setter's methods, and the traits bounding them into `traits`.
fn emit(setter: &Setter<'_>, offer: &Offer, impls: &mut Impls, traits: &mut Vec<TokenStream>) {
    let p = private();
    let m = ident(&setter.method());
    let ci = ident(&setter.carrier.ident);
    let value = &setter.value;
    let (bound, tr) = availability(setter, offer).unwrap_or_default();
    traits.push(tr);
    match offer {
        Offer::Plain | Offer::Refused { .. } => {
            let method_doc = doc(&setter.doc);
            impls.add(
                &any_kind_header(),
                quote! {
                    #method_doc
                    pub fn #m(mut self) -> RequestBuilder<P, F, K, ::sendapi::builder::Set>
                    where
                        K: kind::TakesMessagingType,
                        #bound
                    {
                        self.#ci = #p::Some(#value);
                        self.__state()
                    }
                },
            );
        }
        Offer::WithBody(c) => emit_with_body(setter, c, &bound, impls, traits),
    }
}

/// A setter that builds its companion body: offered before a body is
/// chosen, and refused, naming the rule, once one is.
fn emit_with_body(
    setter: &Setter<'_>,
    c: &Companion,
    bound: &TokenStream,
    impls: &mut Impls,
    traits: &mut Vec<TokenStream>,
) {
    let p = private();
    let method = setter.method();
    let m = ident(&method);
    let ci = ident(&setter.carrier.ident);
    let value = &setter.value;
    let (kind, field, arg, build) = (&c.kind, &c.field, &c.arg, &c.build);
    let (message, fix) = &c.rule;
    let refusal = format_ident!("{}NeedsItsBody", setter.rust);
    let body = c.key.replace('_', " ");
    let label = format!("`.{method}()` cannot take a {body} built elsewhere");
    let note = format!(
        "{fix}; call `.{method}(…)` before choosing a {body}, and it builds the {body} for you"
    );
    let trait_doc = doc(message);
    let (message, note) = (escape(message), escape(&note));
    traits.push(quote! {
        #trait_doc
        #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
        pub trait #refusal {}
    });
    let bare_doc = doc(&format!(
        "Refused: `{method}` needs its own body; see the other `{method}` method."
    ));
    impls.add(
        &quote!(impl<P, F> RequestBuilder<P, F, kind::#kind, ::sendapi::builder::Unset>),
        quote! {
            #bare_doc
            pub fn #m(self) -> RequestBuilder<P, F, kind::#kind, ::sendapi::builder::Set>
            where
                P: availability::#refusal,
            {
                self.__state()
            }
        },
    );
    let full_doc = doc(&format!("{}\n\n{}", setter.doc, c.arg_doc));
    impls.add(
        &quote!(impl<P, F> RequestBuilder<P, F, kind::Unset, ::sendapi::builder::Unset>),
        quote! {
            #full_doc
            pub fn #m(mut self, __arg: #arg) -> RequestBuilder<P, F, kind::#kind, ::sendapi::builder::Set>
            where
                #bound
            {
                self.#ci = #p::Some(#value);
                self.#field = #p::Some(#build);
                self.__state()
            }
        },
    );
}
