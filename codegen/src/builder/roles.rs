//! The roles the parts of the root keyed union play in a send, read off the
//! shapes and the rules instead of the wire names:
//!
//! - the **recipient** is the required field of a keyed type that every
//!   body variant has;
//! - the **carrier** (the messaging type) is the root field whose enum has
//!   values carrying a sibling field;
//! - a body variant **takes** the carrier when the carrier is one of its
//!   fields (no `forbids` rule left it out, as
//!   `request.sender_action.forbids_messaging_type` does), and **needs** it
//!   when a `requires` rule says "when this key is present, the carrier is
//!   present" (`request.messaging_type.missing`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use sendapi_spec::{Check, Spec, Test};

use crate::shapes::{FieldShape, KeyedVariant, RTy, ShapeKind, Shapes};
use crate::util::ident;

/// What the builder generators share: the spec, the shapes and the roles.
pub(super) struct Ctx<'a> {
    pub spec: &'a Spec,
    pub shapes: &'a Shapes,
    /// The root type's name.
    pub root: &'a str,
    /// The root keyed union's variants: the body kinds.
    pub variants: &'a [KeyedVariant],
    /// Every root field over all variants, each once, in spec order.
    pub fields: Vec<&'a FieldShape>,
    /// The recipient field.
    pub recipient: Option<&'a FieldShape>,
    /// The messaging-type carrier field.
    pub carrier: Option<&'a FieldShape>,
}

/// Whether `t` names a keyed union.
fn is_keyed(shapes: &Shapes, t: &RTy) -> bool {
    matches!(t, RTy::Named(n) if matches!(shapes.get(n).map(|s| &s.kind), Some(ShapeKind::Keyed(_))))
}

/// Whether `t` names an enum with a value that carries a sibling field.
pub(super) fn is_carrier_ty(shapes: &Shapes, t: &RTy) -> bool {
    matches!(t, RTy::Named(n) if matches!(shapes.get(n).map(|s| &s.kind), Some(ShapeKind::Enum(vals)) if vals.iter().any(|v| v.carries.is_some())))
}

impl<'a> Ctx<'a> {
    /// The roles of `spec`'s root, when the root is a keyed union.
    pub fn new(spec: &'a Spec, shapes: &'a Shapes) -> Option<Ctx<'a>> {
        let root = shapes.root.as_str();
        let ShapeKind::Keyed(variants) = &shapes.get(root)?.kind else {
            return None;
        };
        let recipient = variants.first().and_then(|v| {
            v.fields.iter().find(|f| {
                !f.is_key
                    && f.required
                    && is_keyed(shapes, &f.ty)
                    && variants
                        .iter()
                        .all(|o| o.fields.iter().any(|g| g.wire == f.wire))
            })
        });
        let mut fields: Vec<&FieldShape> = Vec::new();
        for f in variants.iter().flat_map(|v| &v.fields) {
            if !fields.iter().any(|g| g.wire == f.wire) {
                fields.push(f);
            }
        }
        let carrier = fields
            .iter()
            .copied()
            .find(|f| is_carrier_ty(shapes, &f.ty));
        Some(Ctx {
            spec,
            shapes,
            root,
            variants,
            fields,
            recipient,
            carrier,
        })
    }

    /// The key field of a body variant.
    pub fn key_field(v: &KeyedVariant) -> &FieldShape {
        v.fields
            .iter()
            .find(|f| f.is_key)
            .expect("keyed variants have their key")
    }

    /// Whether body variant `v` may carry the messaging type.
    pub fn takes_carrier(&self, v: &KeyedVariant) -> bool {
        self.carrier
            .is_some_and(|c| v.fields.iter().any(|f| f.wire == c.wire))
    }

    /// Whether a `requires` rule (of any severity: the builder always sends
    /// the messaging type with such a body) says body variant `v` comes
    /// with the messaging type.
    pub fn needs_carrier(&self, v: &KeyedVariant) -> bool {
        let Some(c) = self.carrier else { return false };
        let present = |t: &Test| matches!(t, Test::Present(true));
        self.spec.rules().iter().any(|r| match &r.check {
            Check::Requires(imp) => {
                imp.on == self.root
                    && imp.when.path.to_string() == v.key
                    && present(&imp.when.test)
                    && imp.then.path.to_string() == c.wire
                    && present(&imp.then.test)
            }
            _ => false,
        })
    }

    /// The messaging-type states a finished body of `v` may be in.
    pub fn carrier_states(&self, v: &KeyedVariant) -> Vec<TokenStream> {
        let (unset, set) = (
            quote!(::sendapi::builder::Unset),
            quote!(::sendapi::builder::Set),
        );
        match (self.takes_carrier(v), self.needs_carrier(v)) {
            (false, _) => vec![unset],
            (true, true) => vec![set],
            (true, false) => vec![unset, set],
        }
    }

    /// The body kind marker of `v`.
    pub fn kind(v: &KeyedVariant) -> Ident {
        ident(&v.rust)
    }
}
