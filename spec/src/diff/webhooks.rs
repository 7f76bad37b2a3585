//! The receive side of the diff, judged from a bot's side: a bot decodes
//! events with code generated from a snapshot, so what it reads going away
//! or changing shape is breaking (an event, a type, a field, a value, a key
//! or an alias), and what appears is compatible (unknown events, fields and
//! values decode tolerantly), or upcoming while its `since` is ahead.

use super::{ChangeKind, Out, platform_change, status_change};
use crate::model::{Field, Map, Spanned, TypeDef};
use crate::spec::Spec;
use crate::webhook::{WebhookEvent, Webhooks};

pub(super) fn diff_webhooks(out: &mut Out, old: &Spec, new: &Spec) {
    // A snapshot without [webhooks] does not describe the receive side; it
    // does not say there is none, so there is nothing to compare.
    let (Some(o), Some(n)) = (old.webhooks(), new.webhooks()) else {
        return;
    };
    for (name, oe) in o.events() {
        match n.events.get(name) {
            None => out.push(
                "webhook_event",
                name,
                ChangeKind::Removed,
                true,
                format!("event `{name}` (key `{}`) is gone", oe.key.get_ref()),
            ),
            Some(ne) => diff_event(out, name, oe, ne),
        }
    }
    for (name, ne) in n.events() {
        if !o.events.contains_key(name) {
            out.push_dated(
                "webhook_event",
                name,
                ChangeKind::Added,
                false,
                ne.since,
                format!(
                    "new {} event `{name}` (key `{}`)",
                    ne.kind.get_ref(),
                    ne.key.get_ref()
                ),
            );
        }
    }
    diff_types(out, o, n);
}

fn diff_event(out: &mut Out, name: &str, o: &WebhookEvent, n: &WebhookEvent) {
    let s = "webhook_event";
    let mut changed = |breaking: bool, what: &str, old: String, new: String| {
        if old != new {
            out.push(
                s,
                name,
                ChangeKind::Changed,
                breaking,
                format!("{what} {old} -> {new}"),
            );
        }
    };
    changed(
        true,
        "key",
        o.key.get_ref().clone(),
        n.key.get_ref().clone(),
    );
    changed(
        true,
        "kind",
        o.kind.get_ref().to_string(),
        n.kind.get_ref().to_string(),
    );
    changed(true, "type", o.ty.get_ref().clone(), n.ty.get_ref().clone());
    let flag = |e: &WebhookEvent| {
        e.flag
            .as_ref()
            .map_or("none".into(), |f| f.get_ref().clone())
    };
    changed(true, "flag", flag(o), flag(n));
    let when = |e: &WebhookEvent| {
        e.when.as_ref().map_or("none".into(), |w| {
            format!("{} = {}", w.field.get_ref(), w.equals.get_ref())
        })
    };
    changed(true, "when", when(o), when(n));
    let lost: Vec<&String> = o
        .aliases
        .iter()
        .filter(|a| !n.aliases.contains(a))
        .collect();
    let gained: Vec<&String> = n
        .aliases
        .iter()
        .filter(|a| !o.aliases.contains(a))
        .collect();
    if !lost.is_empty() || !gained.is_empty() {
        out.push(
            s,
            name,
            ChangeKind::Changed,
            !lost.is_empty(),
            format!("aliases {:?} -> {:?}", o.aliases, n.aliases),
        );
    }
    // A window that stops opening closes earlier: sends it allowed fail.
    if o.opens_window != n.opens_window {
        let detail = if n.opens_window {
            "now opens the messaging window"
        } else {
            "no longer opens the messaging window"
        };
        out.push(s, name, ChangeKind::Changed, o.opens_window, detail);
    }
    if o.standby != n.standby {
        let detail = if n.standby {
            "now also arrives under standby"
        } else {
            "no longer arrives under standby"
        };
        out.push(s, name, ChangeKind::Changed, false, detail);
    }
    let dedupe = |e: &WebhookEvent| match &e.dedupe {
        Some(d) => match (&d.mid, &d.watermark) {
            (Some(m), _) => format!("mid {}", m.get_ref()),
            (_, Some(w)) => format!("watermark {}", w.get_ref()),
            _ => "none".into(),
        },
        None => "none".into(),
    };
    let (od, nd) = (dedupe(o), dedupe(n));
    if od != nd {
        out.push(
            s,
            name,
            ChangeKind::Changed,
            false,
            format!("dedupe {od} -> {nd}"),
        );
    }
    status_change(out, s, name, o.status, n.status);
    platform_change(out, s, name, &o.platforms, &n.platforms);
}

fn diff_types(out: &mut Out, o: &Webhooks, n: &Webhooks) {
    for (name, od) in &o.types {
        let name = name.get_ref();
        match n.type_def(name) {
            None => out.push(
                "webhook_type",
                name,
                ChangeKind::Removed,
                true,
                format!("{} `{name}` is gone", od.kind.get_ref().as_str()),
            ),
            Some(nd) => diff_type(out, name, od, nd),
        }
    }
    for (name, nd) in &n.types {
        let name = name.get_ref();
        if o.type_def(name).is_none() {
            out.push_dated(
                "webhook_type",
                name,
                ChangeKind::Added,
                false,
                nd.since,
                format!("new {} `{name}`", nd.kind.get_ref().as_str()),
            );
        }
    }
}

fn diff_type(out: &mut Out, name: &str, od: &TypeDef, nd: &TypeDef) {
    if od.kind.get_ref() != nd.kind.get_ref() {
        let (ok, nk) = (od.kind.get_ref().as_str(), nd.kind.get_ref().as_str());
        out.push(
            "webhook_type",
            name,
            ChangeKind::Changed,
            true,
            format!("kind {ok} -> {nk}"),
        );
    }
    status_change(out, "webhook_type", name, od.status, nd.status);
    members(out, "webhook_field", name, &od.fields, &nd.fields, |f| {
        f.since
    });
    members(
        out,
        "webhook_variant",
        name,
        &od.variants,
        &nd.variants,
        |v| v.since,
    );
    members(out, "webhook_value", name, &od.values, &nd.values, |v| {
        v.since
    });
    for (wire, of) in &od.fields {
        if let Some(nf) = nd.fields.get(wire.get_ref().as_str()) {
            diff_field(out, &format!("{name}.{}", wire.get_ref()), of, nf);
        }
    }
    for (wire, ov) in &od.values {
        if let Some(nv) = nd.values.get(wire.get_ref().as_str()) {
            let item = format!("{name}.{}", wire.get_ref());
            status_change(out, "webhook_value", &item, ov.status, nv.status);
            platform_change(out, "webhook_value", &item, &ov.platforms, &nv.platforms);
        }
    }
}

/// Fields, variants or values added (compatible, or upcoming) and removed
/// (breaking).
fn members<T>(
    out: &mut Out,
    subject: &'static str,
    owner: &str,
    old: &Map<Spanned<String>, T>,
    new: &Map<Spanned<String>, T>,
    since: impl Fn(&T) -> Option<crate::model::Date>,
) {
    for wire in old.keys() {
        if !new.contains_key(wire.get_ref().as_str()) {
            let item = format!("{owner}.{}", wire.get_ref());
            out.push(subject, item, ChangeKind::Removed, true, "gone");
        }
    }
    for (wire, v) in new {
        if !old.contains_key(wire.get_ref().as_str()) {
            let item = format!("{owner}.{}", wire.get_ref());
            out.push_dated(subject, item, ChangeKind::Added, false, since(v), "new");
        }
    }
}

/// A field a bot reads changing type, Rust name or presence breaks the code
/// generated for it; a field becoming optional breaks code that read it
/// as always there, and one becoming required breaks code that handled
/// its absence.
fn diff_field(out: &mut Out, item: &str, of: &Field, nf: &Field) {
    let s = "webhook_field";
    if of.ty.get_ref() != nf.ty.get_ref() {
        let detail = format!("type {} -> {}", of.ty.get_ref(), nf.ty.get_ref());
        out.push(s, item, ChangeKind::Changed, true, detail);
    }
    if of.required != nf.required {
        let detail = if nf.required {
            "now required"
        } else {
            "now optional"
        };
        out.push(s, item, ChangeKind::Changed, true, detail);
    }
    if of.rust.get_ref() != nf.rust.get_ref() {
        let detail = format!("Rust name {} -> {}", of.rust.get_ref(), nf.rust.get_ref());
        out.push(s, item, ChangeKind::Changed, true, detail);
    }
    status_change(out, s, item, of.status, nf.status);
    platform_change(out, s, item, &of.platforms, &nf.platforms);
}
