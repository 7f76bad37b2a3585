//! What a derived message is made of, read from the snapshot's spec: the
//! attributes a type takes are fields of the root request, the field roles
//! are fields of the message, and what one attribute implies for another
//! comes from the spec's `requires` rules. No field or value of the Send API
//! is named here.

use sendapi_spec::model::{Field, Status, TypeKind};
use sendapi_spec::{Check, Platform, Prim, Spec, Test, Ty};

/// The facts of one snapshot the derive works with.
#[derive(Debug)]
pub struct Vocabulary<'s> {
    spec: &'s Spec,
    /// The root request type (`SendRequest`).
    pub root: &'s str,
    /// The required root field `to_request`'s argument fills (`recipient`).
    pub recipient: &'s str,
    /// Its type, the trait's `Recipient` (`Recipient`).
    pub recipient_type: &'s str,
    /// The root key a message is sent under (`message`): the first key
    /// field whose type has fields of its own.
    pub message: &'s str,
    /// The root variant that key chooses, the request's body kind (`Message`).
    pub message_variant: &'s str,
    /// Root fields an attribute on the type sets, in spec order: the
    /// optional ones written as one string (`messaging_type`, `tag`, …).
    pub attributes: Vec<&'s str>,
    /// Fields of the message a field role fills, in spec order (`text`,
    /// `attachment`, `quick_replies`, …).
    pub roles: Vec<&'s str>,
    /// The roles that are the message's keys: what it sends (`text`, …).
    pub bodies: Vec<&'s str>,
    /// Root fields sendapi always sends with a message: those the spec
    /// requires whenever the message key is present (`messaging_type`).
    pub always: Vec<&'s str>,
}

/// Whether an item is one to offer: documented, and not a transport
/// parameter, a retired item or one of unconfirmed meaning.
fn offered(status: Status) -> bool {
    matches!(
        status,
        Status::Current | Status::Deprecated | Status::ThirdParty
    )
}

fn fields<'s>(spec: &'s Spec, type_name: &str) -> Vec<(&'s str, &'s Field)> {
    spec.type_def(type_name).map_or_else(Vec::new, |def| {
        def.fields
            .iter()
            .map(|(name, f)| (name.get_ref().as_str(), f))
            .collect()
    })
}

impl<'s> Vocabulary<'s> {
    /// The vocabulary of `spec`, or why its root request has none.
    pub fn of(spec: &'s Spec) -> Result<Vocabulary<'s>, String> {
        let root = spec.root();
        let root_fields = fields(spec, root);
        let kind_of = |f: &Field| match spec.field_ty(f) {
            Ty::Named(n) => spec.type_def(&n).map(|d| *d.kind.get_ref()),
            _ => None,
        };
        let (recipient, recipient_field) = root_fields
            .iter()
            .find(|(_, f)| f.required && !f.key)
            .copied()
            .ok_or_else(|| format!("{root} has no required field to send to"))?;
        let (message, message_field) = root_fields
            .iter()
            .find(|(_, f)| f.key && matches!(kind_of(f), Some(TypeKind::Object | TypeKind::Keyed)))
            .copied()
            .ok_or_else(|| format!("{root} has no key field holding a message"))?;
        let message_variant = message_field
            .variant
            .as_ref()
            .map_or(message, |v| v.get_ref().as_str());
        let written_as_string = |f: &Field| match spec.field_ty(f) {
            Ty::Prim(p) => matches!(p, Prim::String | Prim::Id | Prim::StringOrNumber),
            Ty::Named(_) => kind_of(f) == Some(TypeKind::Enum),
            Ty::Array(_) => false,
        };
        let attributes = root_fields
            .iter()
            .filter(|(_, f)| !f.key && !f.required && offered(f.status) && written_as_string(f))
            .map(|(name, _)| *name)
            .collect();
        let message_fields: Vec<(&str, &Field)> = fields(spec, message_field.ty.get_ref())
            .into_iter()
            .filter(|(_, f)| offered(f.status))
            .collect();
        Ok(Vocabulary {
            spec,
            root,
            recipient,
            recipient_type: recipient_field.ty.get_ref(),
            message,
            message_variant,
            attributes,
            roles: message_fields.iter().map(|(name, _)| *name).collect(),
            bodies: message_fields
                .iter()
                .filter(|(_, f)| f.key)
                .map(|(name, _)| *name)
                .collect(),
            always: always_with(spec, root, message),
        })
    }

    /// The values the presence of `path` implies for attributes, by the
    /// spec's `requires` rules on the root (`tag` implies `messaging_type`
    /// `MESSAGE_TAG`).
    pub fn implied_by(&self, path: &str, platform: Platform) -> Vec<(&'s str, &'s str)> {
        self.spec
            .implied_by(self.root, path, platform)
            .into_iter()
            .filter(|(field, _)| self.attributes.contains(field))
            .collect()
    }

    /// The path of the message field `role` from the root (`message.text`).
    pub fn role_path(&self, role: &str) -> String {
        format!("{}.{role}", self.message)
    }

    /// Values of the enum attribute `field` to suggest: offered, not refused
    /// at the snapshot's date, carrying no sibling; only those available on
    /// every platform when `everywhere`.
    pub fn suggested_values(&self, field: &str, everywhere: bool) -> Vec<&'s str> {
        let spec = self.spec;
        let Some(Ty::Named(enum_name)) = spec.field(self.root, field).map(|f| spec.field_ty(f))
        else {
            return Vec::new();
        };
        let Some(def) = spec.type_def(&enum_name) else {
            return Vec::new();
        };
        def.values
            .iter()
            .filter(|(_, v)| {
                offered(v.status)
                    && v.carries.is_none()
                    && v.refused_since.is_none_or(|d| d > spec.as_of())
                    && (!everywhere || v.platforms.is_none())
            })
            .map(|(name, _)| name.get_ref().as_str())
            .collect()
    }
}

/// The root fields the spec requires whenever `key` is present.
fn always_with<'s>(spec: &'s Spec, root: &str, key: &str) -> Vec<&'s str> {
    spec.rules()
        .iter()
        .filter_map(|rule| match &rule.check {
            Check::Requires(i)
                if i.on == root
                    && matches!(i.when.test, Test::Present(true))
                    && i.when.path.to_string() == key
                    && matches!(i.then.test, Test::Present(true))
                    && i.then.path.segs.len() == 1 =>
            {
                i.then.path.last_key()
            }
            _ => None,
        })
        .collect()
}
