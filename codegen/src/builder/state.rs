//! The builder's state traits, one set per snapshot: `form::Chosen` (a
//! recipient was chosen), `kind::BodyChosen` (a body was chosen),
//! `kind::MessagingTypeFor<K>` (the messaging-type slot suits body kind
//! `K`; it also assembles the body, so that `build()` has one bound per
//! mistake) and `kind::TakesMessagingType` (the body kind takes a messaging
//! type).
//!
//! Each trait's `#[diagnostic::on_unimplemented]` text is the spec rule's
//! message and fix, with the builder methods that satisfy it. The traits
//! belong to the snapshot, and their impls are `do_not_recommend`, so that a
//! compile error lists no impls, neither this snapshot's nor another's.

use proc_macro2::TokenStream;
use quote::quote;
use sendapi_core::{list, template};
use sendapi_spec::model::{RuleKind, Status};
use sendapi_spec::{Check, Rule, Test};

use super::offer::{Offer, offer_for, restriction};
use super::refusing_trait;
use super::roles::Ctx;
use crate::shapes::ShapeKind;
use crate::util::{ident, private, snake};

/// `` `.to_id(…)`, `.to_recipient(…)` or `.to(…)` ``: the methods choosing a
/// recipient.
fn recipient_methods(cx: &Ctx<'_>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(ShapeKind::Keyed(forms)) = cx
        .recipient
        .and_then(|r| r.ty.named())
        .and_then(|n| cx.shapes.get(n))
        .map(|s| &s.kind)
        && let Some(v) = forms.iter().find(|v| {
            v.docs.status == Status::Current && v.fields.iter().filter(|f| f.required).count() == 1
        })
    {
        out.push(format!(".to_{}(…)", snake(&v.rust)));
    }
    out.push(".to_recipient(…)".to_string());
    out.push(".to(…)".to_string());
    out
}

/// The methods choosing a body: per body kind, its first shortcut
/// (`.text(…)`, `.typing_on()`) and its key's method (`.message(…)`).
fn body_methods(cx: &Ctx<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for v in cx.variants {
        let kf = Ctx::key_field(v);
        let shape = kf
            .ty
            .named()
            .and_then(|n| cx.shapes.get(n))
            .map(|s| &s.kind);
        let shortcut = match shape {
            Some(ShapeKind::Enum(values)) => values
                .iter()
                .find(|x| x.docs.status == Status::Current)
                .map(|x| {
                    let args = if x.carries.is_some() { "(…)" } else { "()" };
                    format!(".{}{args}", snake(&x.rust))
                }),
            Some(ShapeKind::Keyed(mvs)) => mvs.iter().find_map(|mv| {
                let mut req = mv.fields.iter().filter(|f| f.required);
                match (req.next(), req.next()) {
                    (Some(f), None)
                        if mv.docs.status == Status::Current
                            && matches!(
                                f.ty,
                                crate::shapes::RTy::Prim(sendapi_spec::Prim::String)
                            ) =>
                    {
                        Some(format!(".{}(…)", f.ident))
                    }
                    _ => None,
                }
            }),
            _ => None,
        };
        out.extend(shortcut);
        out.push(format!(".{}(…)", kf.ident));
    }
    out
}

/// The messaging-type methods a message can always finish with: the plain
/// values and tags no rule refuses or limits to a platform, then the raw
/// setter.
pub(super) fn messaging_type_methods(cx: &Ctx<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let Some(carrier) = cx.carrier else {
        return out;
    };
    let Some(ShapeKind::Enum(values)) = carrier
        .ty
        .named()
        .and_then(|n| cx.shapes.get(n))
        .map(|s| &s.kind)
    else {
        return out;
    };
    let mut push = |rust: &str, offer: Offer| match offer {
        Offer::Plain => out.push(format!(".{}()", snake(rust))),
        Offer::WithBody(_) => out.push(format!(".{}(…)", snake(rust))),
        Offer::Refused { .. } => {}
    };
    for val in values.iter().filter(|v| v.docs.status == Status::Current) {
        match &val.carries {
            None => {
                if restriction(cx, &carrier.wire, val).is_none() {
                    push(&val.rust, offer_for(cx, &carrier.wire, &val.wire, None));
                }
            }
            Some(c) => {
                let Some(ShapeKind::Enum(tags)) =
                    c.ty.named().and_then(|n| cx.shapes.get(n)).map(|s| &s.kind)
                else {
                    continue;
                };
                for t in tags.iter().filter(|t| t.docs.status == Status::Current) {
                    if restriction(cx, &c.wire, t).is_none() {
                        push(&t.rust, offer_for(cx, &c.wire, &t.wire, Some(t)));
                    }
                }
            }
        }
    }
    out.push(format!(".{}(…)", carrier.ident));
    out
}

fn first_rule<'a>(cx: &Ctx<'a>, kind: RuleKind) -> Option<&'a Rule> {
    cx.spec
        .rules()
        .iter()
        .find(|r| r.kind() == kind && r.severity == sendapi_spec::model::Severity::Error)
}

fn rendered(rule: &Rule, vars: &[(&str, &str)]) -> (String, String) {
    let vars: Vec<(&str, &dyn std::fmt::Display)> = vars
        .iter()
        .map(|(k, v)| (*k, v as &dyn std::fmt::Display))
        .collect();
    (
        format!("[{}] {}", rule.id, template::render(&rule.message, &vars)),
        template::render(&rule.fix, &vars),
    )
}

/// `form::Chosen`, with the `required` rule's words for the recipient.
pub(super) fn chosen_trait(cx: &Ctx<'_>) -> TokenStream {
    let Some(rf) = cx.recipient else {
        return quote!();
    };
    let methods = list(&recipient_methods(cx), "or");
    let (message, notes) = match first_rule(cx, RuleKind::Required) {
        Some(r) => {
            let (m, fix) = rendered(r, &[("type", cx.root), ("field", &rf.wire)]);
            (m, vec![format!("{fix}: call {methods} before `.build()`")])
        }
        None => (
            format!("the request has no `{}`", rf.wire),
            vec![format!("call {methods} before `.build()`")],
        ),
    };
    refusing_trait(
        &ident("Chosen"),
        quote!(),
        &message,
        &format!("no `{}` yet", rf.wire),
        &notes,
        quote!(),
    )
}

/// The `exactly_one_of` rule over the body kinds' keys, if the spec has it.
fn body_rule<'a>(cx: &Ctx<'a>) -> Option<&'a Rule> {
    cx.spec.rules().iter().find(|r| match &r.check {
        Check::ExactlyOneOf(g) => {
            g.on == cx.root && cx.variants.iter().all(|v| g.fields.contains(&v.key))
        }
        _ => false,
    })
}

/// The `requires` rule saying a body kind comes with the messaging type.
fn carrier_rule<'a>(cx: &Ctx<'a>) -> Option<&'a Rule> {
    let c = cx.carrier?;
    cx.spec.rules().iter().find(|r| match &r.check {
        Check::Requires(imp) => {
            imp.on == cx.root
                && cx
                    .variants
                    .iter()
                    .any(|v| imp.when.path.to_string() == v.key)
                && matches!(imp.when.test, Test::Present(true))
                && imp.then.path.to_string() == c.wire
                && matches!(imp.then.test, Test::Present(true))
        }
        _ => false,
    })
}

/// The `forbids` rule keeping the messaging type from a body kind.
fn forbids_rule<'a>(cx: &Ctx<'a>) -> Option<&'a Rule> {
    let c = cx.carrier?;
    cx.spec.rules().iter().find(|r| match &r.check {
        Check::Forbids(imp) => {
            imp.on == cx.root
                && cx
                    .variants
                    .iter()
                    .any(|v| !cx.takes_carrier(v) && imp.when.path.to_string() == v.key)
                && imp.then.path.to_string() == c.wire
        }
        _ => false,
    })
}

/// `kind::BodyChosen`, `kind::MessagingTypeFor<K>` and
/// `kind::TakesMessagingType`, for the `kind` module.
pub(super) fn kind_traits(cx: &Ctx<'_>) -> TokenStream {
    let p = private();
    let root = ident(cx.root);
    let keys: Vec<&str> = cx.variants.iter().map(|v| v.key.as_str()).collect();
    let neither: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    let bodies = list(&body_methods(cx), "or");
    let body_message = match body_rule(cx) {
        Some(r) => format!(
            "[{}] the request has neither {}",
            r.id,
            neither.join(" nor ")
        ),
        None => format!("the request has neither {}", neither.join(" nor ")),
    };
    let body = refusing_trait(
        &ident("BodyChosen"),
        quote!(),
        &body_message,
        "nothing to send yet",
        &[format!(
            "a request sends exactly one of {}: call {bodies} before `.build()`",
            list(&keys, "or")
        )],
        quote!(),
    );
    let carrier = cx
        .carrier
        .map(|c| c.wire.as_str())
        .unwrap_or("messaging_type");
    let mt_methods = list(&messaging_type_methods(cx), "or");
    let (mt_message, mut mt_notes) = match carrier_rule(cx) {
        Some(r) => {
            let (m, fix) = rendered(r, &[("field", carrier)]);
            (m, vec![fix])
        }
        None => (format!("this body needs `{carrier}`"), vec![]),
    };
    mt_notes.push(format!(
        "sendapi always sends `{carrier}` with this body: call {mt_methods} before `.build()`"
    ));
    let assemble = quote! {
        /// The body, from the builder's slots; `None` only in a state that
        /// no code compiling reaches.
        #[doc(hidden)]
        fn __assemble<P, F>(builder: super::RequestBuilder<P, F, K, Self>) -> #p::Option<super::#root>;
    };
    let messaging = refusing_trait(
        &ident("MessagingTypeFor"),
        quote!(<K>: ::core::marker::Sized),
        &mt_message,
        &format!("no `{carrier}` yet"),
        &mt_notes,
        assemble,
    );
    let (takes_message, takes_notes) = match forbids_rule(cx) {
        Some(r) => {
            let (m, fix) = rendered(r, &[("field", carrier)]);
            (m, vec![format!("{fix}: drop this call")])
        }
        None => (format!("this body takes no `{carrier}`"), vec![]),
    };
    let takes = refusing_trait(
        &ident("TakesMessagingType"),
        quote!(),
        &takes_message,
        &format!("this sets `{carrier}`"),
        &takes_notes,
        quote!(),
    );
    let (no_message, no_notes) = match forbids_rule(cx) {
        Some(r) => {
            let (m, fix) = rendered(r, &[("field", carrier)]);
            (
                m,
                vec![format!(
                    "{fix}: drop the call that set it, or send the sender action as a separate request"
                )],
            )
        }
        None => (format!("this body takes no `{carrier}`"), vec![]),
    };
    let no_messaging = refusing_trait(
        &ident("NoMessagingType"),
        quote!(),
        &no_message,
        &format!("`{carrier}` is already set"),
        &no_notes,
        quote!(),
    );
    let chosen = cx.variants.iter().map(|v| {
        let k = Ctx::kind(v);
        quote!(#[diagnostic::do_not_recommend] impl BodyChosen for #k {})
    });
    let taking = cx.variants.iter().filter(|v| cx.takes_carrier(v)).map(|v| {
        let k = Ctx::kind(v);
        quote!(#[diagnostic::do_not_recommend] impl TakesMessagingType for #k {})
    });
    quote! {
        #body
        #(#chosen)*
        #messaging
        #takes
        #[diagnostic::do_not_recommend] impl TakesMessagingType for Unset {}
        #(#taking)*
        #no_messaging
        #[diagnostic::do_not_recommend] impl NoMessagingType for ::sendapi::builder::Unset {}
    }
}
