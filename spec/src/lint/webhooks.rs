//! The receive side: `[webhooks]` and its types, and the window durations.
//!
//! Webhook types follow the same rules as `[types]`, in their own
//! namespace. The events are checked against them: what the classifier,
//! the generator and the emulator read (payload type, flag, `when`, dedupe
//! path) must exist with the type they expect.

use std::collections::HashMap;

use super::{Lint, is_camel, is_snake, lint_since, lint_type, named, suggest};
use crate::model::{Spanned, TypeDef, TypeKind};
use crate::spec::{Prim, Ty};
use crate::webhook::{WebhookEvent, Webhooks};

/// A window of 0 hours would close every window at once: the keys state a
/// real duration or are left out.
pub(super) fn lint_window_hours(l: &mut Lint<'_>) {
    let spec = l.spec;
    if let Some(h) = &spec.file.snapshot.window_hours
        && *h.get_ref() == 0
    {
        l.at(
            h.span(),
            "expected a window_hours of at least 1 (the standard messaging window), found 0",
        );
    }
    for (ty, def) in &spec.file.types {
        for (wire, v) in &def.values {
            if let Some(h) = &v.window_hours
                && *h.get_ref() == 0
            {
                l.at(
                    h.span(),
                    format!(
                        "value `{}.{}`: expected a window_hours of at least 1, found 0",
                        ty.get_ref(),
                        wire.get_ref()
                    ),
                );
            }
        }
    }
}

pub(super) fn lint_webhooks(l: &mut Lint<'_>) {
    let Some(w) = l.spec.webhooks() else {
        return;
    };
    l.webhook_types = true;
    l.source(&w.source);
    for (name, def) in &w.types {
        lint_type(l, name, def);
    }
    lint_envelope(l, w);
    for (name, event) in &w.events {
        lint_event(l, name, event);
    }
    lint_shared_keys(l, w);
    l.webhook_types = false;
}

/// `envelope` and `item` are object types; `messaging` and `standby` are
/// fields of the envelope's entry type holding arrays of items.
fn lint_envelope(l: &mut Lint<'_>, w: &Webhooks) {
    let envelope = object(l, &w.envelope, "envelope");
    let item = object(l, &w.item, "item");
    // A bad envelope or item is reported once, not again through its fields.
    let (Some(envelope), Some(_)) = (envelope, item) else {
        return;
    };
    let entry = envelope
        .fields
        .get("entry")
        .map(|f| Ty::parse(f.ty.get_ref()));
    let entry = match entry {
        Some(Ok(Ty::Array(t))) => named(&t).and_then(|n| l.type_def(n).map(|d| (n.to_string(), d))),
        _ => None,
    };
    let Some((entry_name, entry)) = entry else {
        l.at(
            w.envelope.span(),
            format!(
                "envelope `{}`: expected a field `entry` holding an array of an object type, found none",
                w.envelope.get_ref()
            ),
        );
        return;
    };
    let items = format!("[{}]", w.item.get_ref());
    for (key, holder) in [("messaging", &w.messaging), ("standby", &w.standby)] {
        let field = entry.fields.get(holder.get_ref().as_str());
        if field.is_none_or(|f| f.ty.get_ref().replace(' ', "") != items) {
            let names = entry.fields.keys().map(|k| k.get_ref().as_str());
            l.at(
                holder.span(),
                format!(
                    "`{key} = \"{}\"`: expected a field of `{entry_name}` of type `{items}`{}",
                    holder.get_ref(),
                    suggest(holder.get_ref(), names)
                ),
            );
        }
    }
}

/// The webhook type `spelled` names, when it is an object type; a problem
/// at `spelled` otherwise (`what` names the key).
fn object<'a>(l: &mut Lint<'a>, spelled: &Spanned<String>, what: &str) -> Option<&'a TypeDef> {
    let ty = l.ty(spelled)?;
    let def = match &ty {
        Ty::Named(n) => l.type_def(n),
        _ => None,
    };
    match def {
        Some(d) if *d.kind.get_ref() == TypeKind::Object => Some(d),
        _ => {
            l.at(
                spelled.span(),
                format!(
                    "{what}: expected an object type from [webhooks.types], found `{}`",
                    spelled.get_ref()
                ),
            );
            None
        }
    }
}

fn lint_event(l: &mut Lint<'_>, name: &Spanned<String>, e: &WebhookEvent) {
    let n = name.get_ref();
    if !is_camel(n) {
        l.at(
            name.span(),
            format!("event name `{n}`: expected an UpperCamelCase Rust variant name"),
        );
    }
    if n == "Unknown" {
        l.at(
            name.span(),
            "event name `Unknown` is taken by the variant for events the spec does not know",
        );
    }
    l.source(&e.source);
    lint_since(l, name.span(), &format!("event `{n}`"), e.since);
    if !is_snake(e.key.get_ref()) {
        l.at(
            e.key.span(),
            format!(
                "event `{n}`: expected a snake_case item key, found `{}`",
                e.key.get_ref()
            ),
        );
    }
    if let Some(platforms) = &e.platforms {
        let mut seen = Vec::new();
        for p in platforms {
            if seen.contains(p) {
                l.at(
                    name.span(),
                    format!("event `{n}`: platform `{p}` is listed twice"),
                );
            }
            seen.push(*p);
        }
        if platforms.is_empty() {
            l.at(
                name.span(),
                format!(
                    "event `{n}`: `platforms = []` names no platform; leave it out to mean all"
                ),
            );
        }
    }
    let payload = match l.ty(&e.ty) {
        Some(Ty::Named(t)) => l.type_def(&t),
        _ => None,
    };
    lint_condition(l, n, e, payload);
    lint_dedupe(l, n, e, payload);
}

/// A `flag` names a bool field of the payload; `when` a string or enum
/// field, and a value of the enum.
fn lint_condition(l: &mut Lint<'_>, n: &str, e: &WebhookEvent, payload: Option<&TypeDef>) {
    let ty = e.ty.get_ref();
    if let Some(flag) = &e.flag {
        let f = payload.and_then(|d| d.fields.get(flag.get_ref().as_str()));
        if f.is_none_or(|f| f.ty.get_ref() != "bool") {
            l.at(
                flag.span(),
                format!(
                    "event `{n}`: the flag `{}` must name a bool field of `{ty}`",
                    flag.get_ref()
                ),
            );
        }
    }
    let Some(when) = &e.when else {
        return;
    };
    let field = payload.and_then(|d| d.fields.get(when.field.get_ref().as_str()));
    let values = field.and_then(|f| l.type_def(f.ty.get_ref()).map(|d| &d.values));
    let is_string = field.is_some_and(|f| matches!(f.ty.get_ref().as_str(), "string" | "id"));
    match values {
        Some(values) if !values.is_empty() => {
            if !values.contains_key(when.equals.get_ref().as_str()) {
                let names = values.keys().map(|k| k.get_ref().as_str());
                l.at(
                    when.equals.span(),
                    format!(
                        "event `{n}`: `{}` is not a value of `{ty}.{}`{}",
                        when.equals.get_ref(),
                        when.field.get_ref(),
                        suggest(when.equals.get_ref(), names)
                    ),
                );
            }
        }
        _ if is_string => {}
        _ => l.at(
            when.field.span(),
            format!(
                "event `{n}`: `when` must name a string or enum field of `{ty}`, found `{}`",
                when.field.get_ref()
            ),
        ),
    }
}

/// `dedupe` names exactly one path, which leads through the payload's
/// object fields to a string (mid) or integer (watermark).
fn lint_dedupe(l: &mut Lint<'_>, n: &str, e: &WebhookEvent, payload: Option<&TypeDef>) {
    let Some(d) = &e.dedupe else {
        return;
    };
    let (path, wanted, ok): (_, _, fn(Prim) -> bool) = match (&d.mid, &d.watermark) {
        (Some(p), None) => (p, "a string", |p| matches!(p, Prim::String | Prim::Id)),
        (None, Some(p)) => (p, "an integer", |p| p == Prim::Integer),
        (Some(_), Some(p)) => {
            l.at(
                p.span(),
                format!("event `{n}`: `dedupe` names one key, `mid` or `watermark`, not both"),
            );
            return;
        }
        (None, None) => {
            l.at(
                e.key.span(),
                format!(
                    "event `{n}`: `dedupe` names no key; give `mid` or `watermark`, or leave it out"
                ),
            );
            return;
        }
    };
    let found = payload.map_or(Err(()), |p| walk(l, p, path.get_ref()));
    if !matches!(found, Ok(Ty::Prim(p)) if ok(p)) {
        l.at(
            path.span(),
            format!(
                "event `{n}`: dedupe path `{}` must lead to {wanted} field of `{}`",
                path.get_ref(),
                e.ty.get_ref()
            ),
        );
    }
}

/// The type at a dotted path of object fields.
fn walk(l: &Lint<'_>, from: &TypeDef, path: &str) -> Result<Ty, ()> {
    let mut def = from;
    let mut segments = path.split('.').peekable();
    while let Some(seg) = segments.next() {
        let field = def.fields.get(seg).ok_or(())?;
        let ty = Ty::parse(field.ty.get_ref()).map_err(|_| ())?;
        if segments.peek().is_none() {
            return Ok(ty);
        }
        def = match &ty {
            Ty::Named(t) => l.type_def(t).ok_or(())?,
            _ => return Err(()),
        };
    }
    Err(())
}

/// Events that share an item key (or alias) are told apart by their flag
/// or `when`: all but one of them need one.
fn lint_shared_keys(l: &mut Lint<'_>, w: &Webhooks) {
    let mut plain: HashMap<&str, &str> = HashMap::new();
    for (name, e) in &w.events {
        let keys =
            std::iter::once(e.key.get_ref().as_str()).chain(e.aliases.iter().map(String::as_str));
        for key in keys {
            if e.is_conditional() {
                continue;
            }
            if let Some(other) = plain.insert(key, name.get_ref()) {
                l.at(
                    e.key.span(),
                    format!(
                        "event `{}` has the key `{key}` like event `{other}`, and neither has a `flag` or `when`: items with that key could not be told apart",
                        name.get_ref()
                    ),
                );
            }
        }
    }
}
