//! The `#[sendapi(…)]` attributes as written, and what they mean once the
//! snapshot's [`Vocabulary`] is known.

use proc_macro2::Span;
use sendapi_spec::closest;
use syn::{Fields, LitStr, Token};

use super::Diagnostics;
use super::vocabulary::Vocabulary;

/// The derive's own attributes, which are not request fields.
pub(super) const SNAPSHOT: &str = "snapshot";
pub(super) const PLATFORM: &str = "platform";

/// One `key` or `key = "value"` inside `#[sendapi(…)]`.
pub struct Written {
    key: String,
    key_span: Span,
    value: Option<LitStr>,
}

impl std::fmt::Debug for Written {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Written")
            .field("key", &self.key)
            .field("value", &self.value.as_ref().map(LitStr::value))
            .finish_non_exhaustive()
    }
}

/// Every `key` and `key = "value"` of the `#[sendapi(…)]` attributes.
pub fn written(errors: &Diagnostics, attrs: &[syn::Attribute]) -> Vec<Written> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("sendapi")) {
        let parsed = attr.parse_nested_meta(|meta| {
            let value = if meta.input.peek(Token![=]) {
                Some(meta.value()?.parse::<LitStr>()?)
            } else {
                None
            };
            out.push(Written {
                key: meta
                    .path
                    .get_ident()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                key_span: syn::spanned::Spanned::span(&meta.path),
                value,
            });
            Ok(())
        });
        if let Err(e) = parsed {
            errors.error(e.span(), e);
        }
    }
    out
}

/// The `snapshot` written among `attrs`, if any.
pub fn snapshot(attrs: &[Written]) -> Option<Attr> {
    attrs
        .iter()
        .filter(|w| w.key == SNAPSHOT)
        .find_map(|w| w.value.as_ref().map(Attr::from))
}

/// A string attribute with where it was written.
#[derive(Debug, Clone)]
pub struct Attr {
    /// The string.
    pub value: String,
    /// The literal's span.
    pub span: Span,
}

impl From<&LitStr> for Attr {
    fn from(lit: &LitStr) -> Attr {
        Attr {
            value: lit.value(),
            span: lit.span(),
        }
    }
}

/// Message-level attributes (on the type or on an enum variant).
#[derive(Clone, Default)]
pub(super) struct Send {
    pub platform: Option<Attr>,
    /// Root request fields, by wire name.
    pub fields: Vec<(String, Attr)>,
}

impl Send {
    /// These attributes with `over`'s (a variant's) in place of the same ones.
    pub fn merged(&self, over: &Send) -> Send {
        let mut fields = over.fields.clone();
        for (name, attr) in &self.fields {
            if over.field(name).is_none() {
                fields.push((name.clone(), attr.clone()));
            }
        }
        Send {
            platform: over.platform.clone().or_else(|| self.platform.clone()),
            fields,
        }
    }

    /// The attribute setting the request field `name`.
    pub fn field(&self, name: &str) -> Option<&Attr> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, a)| a)
    }
}

/// What the attributes on the type (`container`) or on a variant say.
pub(super) fn send_attributes(
    errors: &Diagnostics,
    attrs: &[Written],
    container: bool,
    vocabulary: &Vocabulary<'_>,
) -> Send {
    let mut out = Send::default();
    let mut platform = None;
    for w in attrs {
        let key = w.key.as_str();
        let known = key == PLATFORM || vocabulary.attributes.contains(&key);
        if key == SNAPSHOT && !container {
            errors.error(w.key_span, "`snapshot` goes on the type, not on a variant");
            continue;
        }
        if !known && key != SNAPSHOT {
            errors.error(w.key_span, unknown_attribute(key, vocabulary));
            continue;
        }
        let Some(lit) = &w.value else {
            errors.error(w.key_span, format!("expected `{key} = \"…\"`"));
            continue;
        };
        let earlier = match key {
            SNAPSHOT => continue,
            PLATFORM => platform.replace(Attr::from(lit)).is_some(),
            field => {
                let earlier = out.field(field).is_some();
                if !earlier {
                    out.fields.push((field.to_string(), Attr::from(lit)));
                }
                earlier
            }
        };
        if earlier {
            errors.error(lit.span(), format!("duplicate sendapi attribute `{key}`"));
        }
    }
    out.platform = platform;
    out
}

fn unknown_attribute(key: &str, vocabulary: &Vocabulary<'_>) -> String {
    let mut expected = vec![SNAPSHOT, PLATFORM];
    expected.extend(&vocabulary.attributes);
    let hint = if vocabulary.roles.contains(&key) {
        format!("; `{key}` is a field role: put `#[sendapi({key})]` on a field")
    } else {
        did_you_mean(key, &expected)
    };
    format!(
        "unknown sendapi attribute `{key}`; expected one of {}{hint}",
        expected.join(", ")
    )
}

fn did_you_mean(key: &str, candidates: &[&str]) -> String {
    closest(key, candidates.iter().copied())
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

/// A field with a role.
pub(super) struct RoleField {
    pub role: String,
    /// The field's index in its struct or variant.
    pub field: usize,
    pub span: Span,
}

/// The fields with a role.
pub(super) fn field_roles(
    errors: &Diagnostics,
    fields: &Fields,
    vocabulary: &Vocabulary<'_>,
) -> Vec<RoleField> {
    let mut out: Vec<RoleField> = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        for w in written(errors, &f.attrs) {
            let role = w.key.as_str();
            if !vocabulary.roles.contains(&role) {
                errors.error(
                    w.key_span,
                    format!(
                        "unknown field role `{role}`; expected one of {}{}",
                        vocabulary.roles.join(", "),
                        did_you_mean(role, &vocabulary.roles)
                    ),
                );
            } else if w.value.is_some() {
                errors.error(
                    w.key_span,
                    format!("the field role `{role}` takes no value; write `#[sendapi({role})]`"),
                );
            } else if out.iter().any(|r| r.role == role) {
                errors.error(
                    w.key_span,
                    format!("two fields have the role `{role}`; a message has one"),
                );
            } else {
                out.push(RoleField {
                    role: role.to_string(),
                    field: i,
                    span: w.key_span,
                });
            }
        }
    }
    out
}
