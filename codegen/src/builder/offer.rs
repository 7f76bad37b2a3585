//! What a messaging-type method needs, read from the rules on the root:
//! nothing, a companion body it builds itself (a `requires` rule from the
//! value into the body), or it cannot be offered (refused since a date, or
//! a companion the builder cannot build).

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use sendapi_spec::model::{Platform, RuleKind, Severity};
use sendapi_spec::{Check, Rule, Seg, Test};

use super::roles::Ctx;
use super::{render, rule_for};
use crate::shapes::{RTy, ShapeKind, Shapes, ValueShape};
use crate::types::arg_ty;
use crate::util::{ident, private, variant_struct};

/// What a builder method needs in order to set a messaging-type value.
pub(super) enum Offer {
    /// Nothing.
    Plain,
    /// A value for the body, which the method builds.
    WithBody(Companion),
    /// It cannot be offered; the rule's message and fix.
    Refused { message: String, note: String },
}

/// The body a method builds with its value.
pub(super) struct Companion {
    /// The argument's type.
    pub arg: TokenStream,
    /// The body built from `__arg`.
    pub build: TokenStream,
    /// The paragraph the method's doc gains.
    pub arg_doc: String,
    /// The body kind it chooses.
    pub kind: Ident,
    /// The root key the body goes to: its wire name and its field.
    pub key: String,
    pub field: Ident,
    /// The rule's message and fix, for the refusal of the bare method once
    /// a body is already set.
    pub rule: (String, String),
}

/// The platforms a value may be used on, with the error rule that says so.
pub(super) struct Restriction<'a> {
    pub platforms: Vec<Platform>,
    pub rule: &'a Rule,
}

/// The platform restriction of value `v` of the root field `wire`, when an
/// error-severity `platform_only` rule enforces the value's platforms.
pub(super) fn restriction<'a>(cx: &Ctx<'a>, wire: &str, v: &ValueShape) -> Option<Restriction<'a>> {
    let rule = rule_for(cx.spec, RuleKind::PlatformOnly, cx.root, wire)?;
    let platforms = v.docs.platforms.clone()?;
    (platforms.len() < Platform::ALL.len()).then_some(Restriction { platforms, rule })
}

/// What the builder may offer for `field = value` on the root.
pub(super) fn offer_for(cx: &Ctx<'_>, field: &str, value: &str, tag: Option<&ValueShape>) -> Offer {
    if let Some(t) = tag
        && let Some((date, repl)) = &t.refused
        && let Some(rule) = rule_for(cx.spec, RuleKind::RefusedSince, cx.root, field)
    {
        let (message, note) = render(
            rule,
            &[
                ("value", value.to_string()),
                ("date", date.clone()),
                ("replacement", repl.clone()),
            ],
        );
        return Offer::Refused { message, note };
    }
    // A `requires` rule from this value to something in the body.
    for r in cx.spec.rules() {
        let Check::Requires(imp) = &r.check else {
            continue;
        };
        if r.severity != Severity::Error || imp.on != cx.root {
            continue;
        }
        let (w, t) = (&imp.when, &imp.then);
        let wanted = w.test.values().iter().any(|x| x == value);
        if w.path.to_string() != field || !wanted || cx.shapes.structural.contains(&r.id) {
            continue;
        }
        let equals = match &t.test {
            Test::Equals(v) => Some(v.as_str()),
            _ => None,
        };
        let Some((kind, key, field, (arg_ty_r, build, desc))) =
            construct_along(cx, &t.path.segs, equals)
        else {
            let (message, note) = render(r, &[]);
            return Offer::Refused { message, note };
        };
        return Offer::WithBody(Companion {
            arg: arg_ty(&arg_ty_r),
            build,
            arg_doc: format!(
                "It takes the [`{desc}`] Graph requires with it (rule `{}`).",
                r.id
            ),
            kind,
            key,
            field,
            rule: render(r, &[("found", "another body".to_string())]),
        });
    }
    Offer::Plain
}

/// (argument type, expression of the value given `__arg`, description of
/// the argument).
type Built = (RTy, TokenStream, String);

/// Builds the expression constructing the body of a root key so that
/// `segs` (from the root) holds a value: either the value itself
/// (`present`) or the variant of a union whose tag `equals` a value.
/// Returns the body kind, its key's wire name and field, and what
/// [`build_value`] gives.
fn construct_along(
    cx: &Ctx<'_>,
    segs: &[Seg],
    equals: Option<&str>,
) -> Option<(Ident, String, Ident, Built)> {
    // The first segment is the root key that holds the body.
    let (Seg::Key(first), rest) = segs.split_first()? else {
        return None;
    };
    let root_variant = cx.variants.iter().find(|v| &v.key == first)?;
    let key_field = root_variant.fields.iter().find(|f| f.is_key)?;
    let inner = build_value(cx.shapes, &key_field.ty, rest, equals)?;
    Some((
        Ctx::kind(root_variant),
        root_variant.key.clone(),
        ident(&key_field.ident),
        inner,
    ))
}

/// The value of type `ty` that holds something at `segs`.
fn build_value(shapes: &Shapes, ty: &RTy, segs: &[Seg], equals: Option<&str>) -> Option<Built> {
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
) -> Option<Built> {
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
