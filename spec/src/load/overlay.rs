//! Snapshot overlays: a spec file that `extends` another holds only what
//! differs, and is merged onto its base before the lint sees it.
//!
//! The merge works on the parsed TOML with its positions, so every item of
//! the merged spec still points at the file and line it was written in.
//! Tables merge by key (types by name, fields, variants and values by wire
//! key; the keys a delta gives replace the base's, the others are kept),
//! rules by `id`, errors by their name (`rust`); `[remove]` drops items by
//! dotted name before the delta's own items are merged.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeArray, DeString, DeTable, DeValue};

use super::sources::SourceMap;
use crate::bundled;
use crate::error::{Error, Problem};

/// One file of a chain, padded so that its positions start at its offset
/// in the shared position space.
struct Link {
    padded: String,
}

/// Where a file came from, to refuse cycles and to find relative bases.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Identity {
    Bundled(&'static str),
    File(PathBuf),
    Text(String),
}

#[derive(Deserialize)]
struct Head {
    extends: Option<Spanned<String>>,
}

/// Reads `text` and every file it extends, in that order (the delta first,
/// the root last), adding each to `map`.
fn chain(
    map: &mut SourceMap,
    origin: &str,
    text: &str,
    path: Option<&Path>,
) -> Result<Vec<Link>, Error> {
    let mut links = Vec::new();
    let mut seen: Vec<(Identity, String)> = Vec::new();
    let dir = path.and_then(Path::parent).map(Path::to_path_buf);
    let mut current: Base = (
        origin.to_string(),
        text.to_string(),
        dir,
        path.map(Path::to_path_buf),
    );
    let mut identity = match path {
        Some(p) => Identity::File(std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())),
        None => Identity::Text(origin.to_string()),
    };
    loop {
        let (name, text, dir, file) = current;
        let start = map.add(&name, &text, file.as_deref());
        let padded = format!("{}{text}", " ".repeat(start));
        let head: Head = toml::from_str(&padded).map_err(|e| super::parse_error(map, &e))?;
        seen.push((identity, name.clone()));
        links.push(Link { padded });
        let Some(extends) = head.extends else {
            return Ok(links);
        };
        let (next, next_identity) = base_of(map, &extends, dir.as_deref())?;
        if let Some(at) = seen.iter().position(|(id, _)| *id == next_identity) {
            let names: Vec<&str> = seen[at..].iter().map(|(_, n)| n.as_str()).collect();
            let problem = map.problem(
                extends.span(),
                format!(
                    "`extends` makes a cycle: {} -> {}; a chain of deltas must end at a full snapshot",
                    names.join(" -> "),
                    seen[at].1
                ),
            );
            return Err(lint_error(origin, problem));
        }
        current = next;
        identity = next_identity;
    }
}

fn lint_error(origin: &str, problem: Problem) -> Error {
    Error::Lint {
        file: origin.to_string(),
        problems: vec![problem],
    }
}

/// A file to read: its name in messages, its text, its folder and its path.
type Base = (String, String, Option<PathBuf>, Option<PathBuf>);

/// The file `extends` names: a bundled snapshot, or a path relative to the
/// extending file's folder.
fn base_of(
    map: &SourceMap,
    extends: &Spanned<String>,
    dir: Option<&Path>,
) -> Result<(Base, Identity), Error> {
    let name = extends.get_ref().as_str();
    let at = |message: String| {
        let (file, ..) = map.locate(extends.span().start);
        lint_error(file, map.problem(extends.span(), message))
    };
    if name == "latest" {
        return Err(at(format!(
            "`extends = \"latest\"` is refused: `latest` moves with sendapi releases, so the delta's meaning would too; name the snapshot, e.g. `extends = \"{}\"`",
            bundled::LATEST
        )));
    }
    if let Some((canonical, text)) = bundled::text_of(name) {
        let base = (format!("{canonical}.toml"), text.to_string(), None, None);
        return Ok((base, Identity::Bundled(canonical)));
    }
    let path = match dir {
        Some(dir) => dir.join(name),
        None => PathBuf::from(name),
    };
    let looks_like_name =
        name.starts_with('v') && !name.contains(['/', '\\']) && !name.ends_with(".toml");
    let bytes = std::fs::read(&path).map_err(|e| {
        let hint = if looks_like_name {
            format!("; bundled snapshots are {}", bundled::BUNDLED.join(", "))
        } else {
            String::new()
        };
        at(format!(
            "`extends = \"{name}\"`: cannot read {} ({e}){hint}",
            path.display()
        ))
    })?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Utf8 {
        file: path.display().to_string(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    let identity = Identity::File(std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone()));
    let next_dir = path.parent().map(Path::to_path_buf);
    Ok((
        (path.display().to_string(), text, next_dir, Some(path)),
        identity,
    ))
}

/// Reads a spec and every file it extends, merges them, and hands the
/// merged table to `then` with the map of where each position came from.
pub(crate) fn with_merged<R>(
    origin: &str,
    text: &str,
    path: Option<&Path>,
    then: impl FnOnce(Spanned<DeTable<'_>>, &SourceMap) -> Result<R, Error>,
) -> Result<R, Error> {
    let mut map = SourceMap::default();
    let links = chain(&mut map, origin, text, path)?;
    let mut tables = Vec::with_capacity(links.len());
    for link in &links {
        tables.push(DeTable::parse(&link.padded).map_err(|e| super::parse_error(&map, &e))?);
    }
    let mut merged = tables.pop().expect("a chain holds at least its own file");
    let mut merge = Merge {
        map: &map,
        problems: Vec::new(),
    };
    while let Some(delta) = tables.pop() {
        merge.apply(merged.get_mut(), delta);
    }
    if !merge.problems.is_empty() {
        let problems = merge.problems;
        return Err(Error::Lint {
            file: origin.to_string(),
            problems,
        });
    }
    then(merged, &map)
}

struct Merge<'m> {
    map: &'m SourceMap,
    problems: Vec<Problem>,
}

type Value<'i> = Spanned<DeValue<'i>>;
type Key<'i> = Spanned<DeString<'i>>;

/// Keys a delta's `[snapshot]` must give: they are what makes it a new
/// snapshot, so they are never inherited.
const SNAPSHOT_OWN: [&str; 3] = ["name", "graph_version", "as_of"];

impl Merge<'_> {
    fn at(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.problems.push(self.map.problem(span, message));
    }

    fn apply<'i>(&mut self, base: &mut DeTable<'i>, delta: Spanned<DeTable<'i>>) {
        let whole = delta.span();
        let mut delta = delta.into_inner();
        let extends_span = delta
            .remove("extends")
            .map_or(whole.start..whole.start, |v| v.span());
        self.snapshot_given(&delta, extends_span);
        if let Some(remove) = delta.remove("remove") {
            self.remove(base, remove);
        }
        for (key, value) in delta {
            match key.get_ref().as_ref() {
                "snapshot" | "sources" => merge_at(base, key, value, merge_keys),
                "endpoints" | "rate_classes" => merge_at(base, key, value, merge_items),
                "types" => merge_at(base, key, value, merge_types),
                "webhooks" => merge_at(base, key, value, merge_webhooks),
                "rules" => self.merge_by(base, key, value, "id"),
                "errors" => self.merge_by(base, key, value, "rust"),
                // `format` and any key the format does not know replace the
                // base's; the model's reader refuses unknown keys there.
                _ => {
                    base.insert(key, value);
                }
            }
        }
    }

    fn snapshot_given(&mut self, delta: &DeTable<'_>, extends: Range<usize>) {
        let Some(snapshot) = delta.get("snapshot") else {
            self.at(
                extends,
                "a delta needs its own [snapshot] with name, graph_version and as_of: it is a new snapshot, not the base again",
            );
            return;
        };
        let Some(table) = snapshot.get_ref().as_table() else {
            return;
        };
        let missing: Vec<&str> = SNAPSHOT_OWN
            .into_iter()
            .filter(|k| !table.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            self.at(
                snapshot.span(),
                format!(
                    "[snapshot] of a delta must give {}: name, graph_version and as_of are never inherited from the base",
                    sendapi_core::list(&missing, "and")
                ),
            );
        }
    }

    /// Merges an array of tables by a key that names each entry.
    fn merge_by<'i>(&mut self, base: &mut DeTable<'i>, key: Key<'i>, value: Value<'i>, by: &str) {
        let span = value.span();
        let DeValue::Array(delta) = value.into_inner() else {
            self.at(
                span,
                format!("expected an array of tables (`[[{}]]`)", key.get_ref()),
            );
            return;
        };
        let base_items = match base.get_mut(key.get_ref().as_ref()).map(Spanned::get_mut) {
            Some(DeValue::Array(items)) => items,
            _ => {
                base.insert(key, Spanned::new(span, DeValue::Array(delta)));
                return;
            }
        };
        for item in delta {
            let item_span = item.span();
            let Some(name) = item
                .get_ref()
                .as_table()
                .and_then(|t| t.get(by))
                .and_then(|v| v.get_ref().as_str().map(str::to_string))
            else {
                self.at(
                    item_span,
                    format!("each `[[{}]]` entry of a delta needs `{by}`: entries merge with the base's by it", key.get_ref()),
                );
                continue;
            };
            match position(base_items, by, &name) {
                Some(i) => {
                    if let (DeValue::Table(into), DeValue::Table(from)) =
                        (base_items.as_mut()[i].get_mut(), item.into_inner())
                    {
                        merge_keys(into, from);
                    }
                }
                None => base_items.push(item),
            }
        }
    }

    fn remove<'i>(&mut self, base: &mut DeTable<'i>, remove: Value<'i>) {
        let span = remove.span();
        let DeValue::Table(lists) = remove.into_inner() else {
            self.at(span, "expected a [remove] table of lists of names");
            return;
        };
        for (what, names) in lists {
            let kind = what.get_ref().as_ref();
            let Some(removal) = Removal::of(kind) else {
                self.at(
                    what.span(),
                    format!(
                        "unknown [remove] list `{kind}`: expected one of {}",
                        sendapi_core::list(&Removal::NAMES, "or")
                    ),
                );
                continue;
            };
            let names_span = names.span();
            let DeValue::Array(names) = names.into_inner() else {
                self.at(
                    names_span,
                    format!("[remove] `{kind}`: expected an array of names"),
                );
                continue;
            };
            for name in names.iter() {
                match name.get_ref().as_str() {
                    Some(n) => {
                        if let Err(why) = removal.apply(base, n) {
                            self.at(name.span(), format!("[remove] `{kind}`: {why}"));
                        }
                    }
                    None => self.at(name.span(), format!("[remove] `{kind}`: expected a string")),
                }
            }
        }
    }
}

fn position(items: &DeArray<'_>, by: &str, name: &str) -> Option<usize> {
    items.iter().position(|it| {
        it.get_ref()
            .as_table()
            .and_then(|t| t.get(by))
            .and_then(|v| v.get_ref().as_str())
            == Some(name)
    })
}

/// Keys given replace the base's; keys not given are kept.
fn merge_keys<'i>(into: &mut DeTable<'i>, from: DeTable<'i>) {
    for (k, v) in from {
        into.insert(k, v);
    }
}

/// Entries (types, endpoints, fields, …) merge by name with `inner`; a new
/// name is added as written.
fn merge_entries<'i>(
    into: &mut DeTable<'i>,
    from: DeTable<'i>,
    inner: fn(&mut DeTable<'i>, DeTable<'i>),
) {
    for (k, v) in from {
        merge_at(into, k, v, inner);
    }
}

/// Merges `value` into the table `base` holds at `key` with `inner`; a
/// value that is not a table on both sides replaces the base's.
fn merge_at<'i>(
    base: &mut DeTable<'i>,
    key: Key<'i>,
    value: Value<'i>,
    inner: fn(&mut DeTable<'i>, DeTable<'i>),
) {
    let span = value.span();
    match (
        base.get_mut(key.get_ref().as_ref()).map(Spanned::get_mut),
        value.into_inner(),
    ) {
        (Some(DeValue::Table(into)), DeValue::Table(from)) => inner(into, from),
        (_, v) => {
            base.insert(key, Spanned::new(span, v));
        }
    }
}

fn merge_items<'i>(into: &mut DeTable<'i>, from: DeTable<'i>) {
    merge_entries(into, from, merge_keys);
}

fn merge_types<'i>(into: &mut DeTable<'i>, from: DeTable<'i>) {
    merge_entries(into, from, merge_type);
}

/// `[webhooks]` merges key by key; its events merge by name and its types
/// as `[types]` do.
fn merge_webhooks<'i>(into: &mut DeTable<'i>, from: DeTable<'i>) {
    for (k, v) in from {
        match k.get_ref().as_ref() {
            "events" => merge_at(into, k, v, merge_items),
            "types" => merge_at(into, k, v, merge_types),
            _ => {
                into.insert(k, v);
            }
        }
    }
}

/// A type merges key by key, except its fields, variants and values,
/// which merge by wire key.
fn merge_type<'i>(into: &mut DeTable<'i>, from: DeTable<'i>) {
    for (k, v) in from {
        if matches!(k.get_ref().as_ref(), "fields" | "variants" | "values") {
            merge_at(into, k, v, merge_items);
        } else {
            into.insert(k, v);
        }
    }
}

/// What a `[remove]` list drops.
#[derive(Debug, Clone, Copy)]
enum Removal {
    Types,
    Fields,
    Variants,
    Values,
    Rules,
    Errors,
    RateClasses,
    Sources,
    Endpoints,
    Keys,
    WebhookEvents,
    WebhookTypes,
}

impl Removal {
    const NAMES: [&'static str; 12] = [
        "types",
        "fields",
        "variants",
        "values",
        "rules",
        "errors",
        "rate_classes",
        "sources",
        "endpoints",
        "keys",
        "webhook_events",
        "webhook_types",
    ];

    fn of(name: &str) -> Option<Removal> {
        Some(match name {
            "types" => Removal::Types,
            "fields" => Removal::Fields,
            "variants" => Removal::Variants,
            "values" => Removal::Values,
            "rules" => Removal::Rules,
            "errors" => Removal::Errors,
            "rate_classes" => Removal::RateClasses,
            "sources" => Removal::Sources,
            "endpoints" => Removal::Endpoints,
            "keys" => Removal::Keys,
            "webhook_events" => Removal::WebhookEvents,
            "webhook_types" => Removal::WebhookTypes,
            _ => return None,
        })
    }

    fn apply(self, base: &mut DeTable<'_>, name: &str) -> Result<(), String> {
        match self {
            Removal::Types => drop_key(base, &["types"], name, "type"),
            Removal::RateClasses => drop_key(base, &["rate_classes"], name, "rate class"),
            Removal::Sources => drop_key(base, &["sources"], name, "source"),
            Removal::Endpoints => drop_key(base, &["endpoints"], name, "endpoint"),
            Removal::Fields => drop_member(base, "fields", name, "field"),
            Removal::Variants => drop_member(base, "variants", name, "variant"),
            Removal::Values => drop_member(base, "values", name, "value"),
            Removal::Rules => drop_entry(base, "rules", "id", name, "rule"),
            Removal::Errors => drop_entry(base, "errors", "rust", name, "error"),
            Removal::Keys => drop_path(base, name),
            Removal::WebhookEvents => {
                drop_key(base, &["webhooks", "events"], name, "webhook event")
            }
            Removal::WebhookTypes => drop_key(base, &["webhooks", "types"], name, "webhook type"),
        }
    }
}

fn table_at<'t, 'i>(mut table: &'t mut DeTable<'i>, path: &[&str]) -> Option<&'t mut DeTable<'i>> {
    for seg in path {
        match table.get_mut(*seg).map(Spanned::get_mut) {
            Some(DeValue::Table(t)) => table = t,
            _ => return None,
        }
    }
    Some(table)
}

fn drop_key(base: &mut DeTable<'_>, path: &[&str], name: &str, what: &str) -> Result<(), String> {
    let removed = table_at(base, path).and_then(|t| t.remove(name));
    match removed {
        Some(_) => Ok(()),
        None => Err(format!("the base has no {what} `{name}` to remove")),
    }
}

/// `Type.wire`: a field, variant or value of a type.
fn drop_member(base: &mut DeTable<'_>, list: &str, name: &str, what: &str) -> Result<(), String> {
    let Some((ty, wire)) = name.split_once('.') else {
        return Err(format!("expected `Type.wire_key`, found `{name}`"));
    };
    if table_at(base, &["types", ty]).is_none() {
        return Err(format!("the base has no type `{ty}`"));
    }
    drop_key(base, &["types", ty, list], wire, &format!("{what} in {ty}"))
        .map_err(|_| format!("the base's type `{ty}` has no {what} `{wire}` to remove"))
}

fn drop_entry(
    base: &mut DeTable<'_>,
    list: &str,
    by: &str,
    name: &str,
    what: &str,
) -> Result<(), String> {
    let Some(DeValue::Array(items)) = base.get_mut(list).map(Spanned::get_mut) else {
        return Err(format!("the base has no {what} `{name}` to remove"));
    };
    let Some(i) = position(items, by, name) else {
        return Err(format!("the base has no {what} `{name}` to remove"));
    };
    let all = std::mem::replace(items, DeArray::new());
    *items = all
        .into_iter()
        .enumerate()
        .filter_map(|(j, item)| (j != i).then_some(item))
        .collect();
    Ok(())
}

/// `keys`: the full TOML path of one key to unset, e.g.
/// `types.Tag.values.ACCOUNT_UPDATE.refused_since`; rules and errors are
/// named by id and name: `rules.<id>.<key>`, `errors.<name>.<key>`.
fn drop_path(base: &mut DeTable<'_>, path: &str) -> Result<(), String> {
    let Some((parent, key)) = path.rsplit_once('.') else {
        return Err(format!(
            "expected the dotted path of a key inside an item, found `{path}`"
        ));
    };
    let missing = || format!("the base has no key `{path}` to unset");
    for (list, by) in [("rules", "id"), ("errors", "rust")] {
        if let Some(name) = parent.strip_prefix(list).and_then(|p| p.strip_prefix('.')) {
            let Some(DeValue::Array(items)) = base.get_mut(list).map(Spanned::get_mut) else {
                return Err(missing());
            };
            let i = position(items, by, name).ok_or_else(missing)?;
            let DeValue::Table(item) = items.as_mut()[i].get_mut() else {
                return Err(missing());
            };
            if key == by {
                return Err(format!(
                    "`{path}` names the entry itself; list it under [remove] `{list}` instead"
                ));
            }
            return item.remove(key).map(|_| ()).ok_or_else(missing);
        }
    }
    let segments: Vec<&str> = parent.split('.').collect();
    table_at(base, &segments)
        .and_then(|t| t.remove(key))
        .map(|_| ())
        .ok_or_else(missing)
}
