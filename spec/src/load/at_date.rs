//! `NAME@DATE`: a snapshot evaluated as of an earlier date.
//!
//! Items whose `since` is later than the date are absent. A `refused_since`
//! later than the date needs nothing here: every consumer enforces a
//! refusal only when its date is on or before the snapshot's `as_of`, which
//! becomes the date.

use std::collections::HashSet;

use crate::model::{Date, SpecFile};

/// Rewrites `file` as of `date`, which is on or before its `as_of`.
pub(crate) fn evaluate(file: &mut SpecFile, date: Date) {
    let later = |since: Option<Date>| since.is_some_and(|d| d > date);
    let snapshot = &mut file.snapshot;
    snapshot.as_of = date;
    let name = format!("{}@{date}", snapshot.name.get_ref());
    snapshot.name = toml::Spanned::new(snapshot.name.span(), name);

    let reachable_before = crate::lint::reachable(file);
    file.types.retain(|_, def| !later(def.since));
    // What is gone, for the rules that list it: fields by their type,
    // values by name (rules reach values through paths).
    let mut gone_fields: HashSet<(String, String)> = HashSet::new();
    let mut gone_values: HashSet<String> = HashSet::new();
    for (name, def) in &mut file.types {
        def.fields.retain(|wire, f| {
            let gone = later(f.since);
            if gone {
                gone_fields.insert((name.get_ref().clone(), wire.get_ref().clone()));
            }
            !gone
        });
        def.variants.retain(|_, v| !later(v.since));
        def.values.retain(|wire, v| {
            let gone = later(v.since);
            if gone {
                gone_values.insert(wire.get_ref().clone());
            }
            !gone
        });
    }
    // A type only a later item led to is gone with it, and so are the
    // rules on it.
    let reachable = crate::lint::reachable(file);
    file.types.retain(|name, _| {
        reachable.contains(name.get_ref()) || !reachable_before.contains(name.get_ref())
    });
    let types = &file.types;
    file.rules.retain(|r| {
        !later(r.since)
            && r.on
                .as_ref()
                .is_none_or(|on| types.contains_key(on.get_ref().as_str()))
    });
    for rule in &mut file.rules {
        let on = rule
            .on
            .as_ref()
            .map(|o| o.get_ref().clone())
            .unwrap_or_default();
        rule.fields
            .retain(|f| !gone_fields.contains(&(on.clone(), f.get_ref().clone())));
        rule.values.retain(|v| !gone_values.contains(v));
        for cond in [&mut rule.when, &mut rule.then].into_iter().flatten() {
            if let Some(one_of) = &mut cond.one_of {
                one_of.retain(|v| !gone_values.contains(v));
            }
        }
    }
    file.errors.retain(|e| !later(e.since));
    if let Some(w) = &mut file.webhooks {
        // Webhook types are decoded tolerantly, so a later type, field or
        // value simply goes; nothing refers to them by value.
        w.events.retain(|_, e| !later(e.since));
        w.types.retain(|_, def| !later(def.since));
        for def in w.types.values_mut() {
            def.fields.retain(|_, f| !later(f.since));
            def.variants.retain(|_, v| !later(v.since));
            def.values.retain(|_, v| !later(v.since));
        }
    }
}
