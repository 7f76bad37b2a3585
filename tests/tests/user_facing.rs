//! What a user reads stays inside the repository, and the repository
//! explains itself.
//!
//! - No user-facing text (README files, ARCHITECTURE.md, CHANGELOG.md,
//!   SECURITY.md, `docs/`, the spec's Markdown and TOML files, the bundled
//!   bindings, the CLI's sources with their help texts, and the rustdoc of
//!   the published crates) points at the project's internal design notes or
//!   at files beside the checkout.
//! - README links the repository's own documents, and every relative link in
//!   them leads to a file that exists.
//! - `spec/SOURCES.md` lists the error rules resting on evidence weaker than
//!   `C` with their marks, has a row for every key of `[sources]` of every
//!   bundled snapshot (and none for a key no snapshot has), and its table of
//!   what cites each key is the one computed from the bundled files;
//!   `SENDAPI_BLESS=1` rewrites that table.
//! - The header comment of each bundled spec file points at
//!   `spec/SOURCES.md`.
//! - ARCHITECTURE.md's dependency table is the members' `[dependencies]`,
//!   and the compile error it quotes is the one the UI case records.
//!
//! Tests themselves may name the shared corpus, so they are not scanned.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sendapi_spec::model::{Evidence, Status};

/// Spellings that point outside the repository or at internal notes.
const FORBIDDEN: &[&str] = &[
    "../shared",
    "shared/research",
    "/work/shared",
    "DESIGN.md",
    "DESIGN's",
];

/// The documents README must link, which must exist.
const LINKED_FROM_README: &[&str] = &[
    "ARCHITECTURE.md",
    "CHANGELOG.md",
    "SECURITY.md",
    "docs/compile-fail-tests.md",
    "docs/new-graph-version.md",
    "docs/scale-out.md",
    "spec/README.md",
    "spec/SOURCES.md",
];

/// Published crates whose rustdoc users read.
const RUSTDOC_CRATES: &[&str] = &["core", "spec", "codegen", "macros", "runtime", "emulator"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Files under `dir` (recursively) whose names satisfy `keep`, skipping
/// build output and hidden directories.
fn files(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                files(&path, keep, out);
            }
        } else if keep(&path) {
            out.push(path);
        }
    }
}

fn has_ext(ext: &'static str) -> impl Fn(&Path) -> bool {
    move |p: &Path| p.extension().is_some_and(|e| e == ext)
}

/// `(line number, line)` of every line of `text` that names a forbidden
/// spelling.
fn offending_lines(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| FORBIDDEN.iter().any(|f| line.contains(f)))
        .map(|(i, line)| (i + 1, line.trim().to_string()))
        .collect()
}

/// The rustdoc of a Rust source: its `//!` and `///` lines, except the doc
/// of an item marked `#[doc(hidden)]`, which rustdoc does not show. Other
/// lines are blanked so that line numbers stay those of the file.
fn rustdoc_of(source: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = vec![""; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        if t.starts_with("///") || t.starts_with("//!") {
            let start = i;
            while i < lines.len() && {
                let t = lines[i].trim_start();
                t.starts_with("///") || t.starts_with("//!")
            } {
                i += 1;
            }
            let hidden = lines[i..]
                .iter()
                .map(|l| l.trim_start())
                .take_while(|l| l.starts_with("#["))
                .any(|l| l.starts_with("#[doc(hidden)]"));
            if !hidden {
                out[start..i].copy_from_slice(&lines[start..i]);
            }
        } else {
            i += 1;
        }
    }
    out.join("\n")
}

/// Every user-facing text, as (path, the text a user reads).
fn user_facing() -> Vec<(PathBuf, String)> {
    let root = root();
    let mut whole = Vec::new();
    files(
        &root,
        &|p: &Path| p.file_name().is_some_and(|n| n == "README.md"),
        &mut whole,
    );
    for doc in ["ARCHITECTURE.md", "CHANGELOG.md", "SECURITY.md"] {
        let path = root.join(doc);
        assert!(path.is_file(), "{doc} is missing from the repository root");
        whole.push(path);
    }
    files(&root.join("docs"), &has_ext("md"), &mut whole);
    for entry in std::fs::read_dir(root.join("spec"))
        .expect("spec/ exists")
        .flatten()
    {
        if has_ext("md")(&entry.path()) {
            whole.push(entry.path());
        }
    }
    files(&root.join("spec/send-api"), &has_ext("toml"), &mut whole);
    files(
        &root.join("runtime/src/generated"),
        &has_ext("rs"),
        &mut whole,
    );
    files(&root.join("cli/src"), &has_ext("rs"), &mut whole);
    whole.sort();
    whole.dedup();
    let mut out: Vec<(PathBuf, String)> = whole
        .into_iter()
        .map(|p| {
            let text = read(&p);
            (p, text)
        })
        .collect();
    for krate in RUSTDOC_CRATES {
        let mut sources = Vec::new();
        files(&root.join(krate).join("src"), &has_ext("rs"), &mut sources);
        for p in sources {
            if out.iter().any(|(q, _)| *q == p) {
                continue;
            }
            let text = rustdoc_of(&read(&p));
            out.push((p, text));
        }
    }
    out
}

#[test]
fn no_user_facing_text_points_outside_the_repository() {
    let root = root();
    let texts = user_facing();
    // The scan covers what it claims to cover.
    for must in [
        "README.md",
        "ARCHITECTURE.md",
        "CHANGELOG.md",
        "SECURITY.md",
        "docs/compile-fail-tests.md",
        "docs/new-graph-version.md",
        "docs/scale-out.md",
        "spec/README.md",
        "spec/SOURCES.md",
        "spec/send-api/v26.0.toml",
        "spec/send-api/v21.0.toml",
        "runtime/src/generated/v26.rs",
        "cli/src/main.rs",
        "runtime/src/lib.rs",
        "runtime/README.md",
        "core/README.md",
        "codegen/README.md",
        "macros/README.md",
        "emulator/README.md",
        "cli/README.md",
    ] {
        assert!(
            texts.iter().any(|(p, _)| *p == root.join(must)),
            "{must} is not scanned"
        );
    }
    let mut found = String::new();
    for (path, text) in &texts {
        for (line, content) in offending_lines(text) {
            let shown = path.strip_prefix(&root).unwrap_or(path).display();
            let _ = writeln!(found, "{shown}:{line}: {content}");
        }
    }
    assert!(
        found.is_empty(),
        "user-facing text points outside the repository (users get neither the design notes nor \
         the folder beside the checkout); say it in the repository's own words:\n{found}"
    );
}

#[test]
fn the_scan_sees_what_it_must() {
    // Each forbidden spelling is caught, on its own line.
    let text = "ok\nsee ../shared/corpus\nper DESIGN.md\nfrom shared/research/x.md\nfine";
    let lines: Vec<usize> = offending_lines(text).into_iter().map(|(n, _)| n).collect();
    assert_eq!(lines, [2, 3, 4]);
    // Rustdoc keeps doc lines, drops code and comments, and skips hidden items.
    let source = "//! Crate doc, DESIGN.md.\n// DESIGN.md in a comment\nfn a() {}\n/// Hidden, DESIGN.md.\n#[doc(hidden)]\npub fn b() {}\n/// Shown, DESIGN.md.\n#[inline]\npub fn c() {}\n";
    let doc = rustdoc_of(source);
    let lines: Vec<usize> = offending_lines(&doc).into_iter().map(|(n, _)| n).collect();
    assert_eq!(lines, [1, 7]);
}

/// Relative link targets of a Markdown text: `](target)` without a scheme
/// or a leading `#`, with any `#fragment` removed.
fn relative_links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = &rest[..end];
        if !target.contains("://") && !target.starts_with('#') && !target.starts_with("mailto:") {
            let path = target.split('#').next().unwrap_or("");
            if !path.is_empty() {
                out.push(path.to_string());
            }
        }
    }
    out
}

#[test]
fn readme_links_the_documents_and_every_relative_link_resolves() {
    let root = root();
    let readme = read(&root.join("README.md"));
    let links = relative_links(&readme);
    for doc in LINKED_FROM_README {
        assert!(
            links.iter().any(|l| l == doc),
            "README.md does not link {doc}"
        );
    }
    let mut docs = vec![root.join("README.md")];
    for doc in LINKED_FROM_README {
        docs.push(root.join(doc));
    }
    let mut broken = String::new();
    for doc in &docs {
        let text = read(doc);
        let dir = doc.parent().expect("a document has a folder");
        for link in relative_links(&text) {
            if !dir.join(&link).exists() {
                let shown = doc.strip_prefix(&root).unwrap_or(doc).display();
                let _ = writeln!(broken, "{shown}: {link}");
            }
        }
    }
    assert!(
        broken.is_empty(),
        "links to files that do not exist:\n{broken}"
    );
}

#[test]
fn spec_headers_point_at_sources() {
    let root = root();
    for name in sendapi_spec::BUNDLED {
        let path = root.join("spec/send-api").join(format!("{name}.toml"));
        let text = read(&path);
        let header: String = text
            .lines()
            .take_while(|l| l.starts_with('#') || l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            header.contains("spec/SOURCES.md"),
            "the header comment of {name}.toml does not point at spec/SOURCES.md:\n{header}"
        );
    }
}

// --- spec/SOURCES.md -------------------------------------------------------

const BEGIN: &str = "<!-- sources-counts:begin -->";
const END: &str = "<!-- sources-counts:end -->";

/// The item kinds that cite a source, in table order, with their plural.
const KINDS: &[(&str, &str)] = &[
    ("snapshot header", "snapshot headers"),
    ("endpoint", "endpoints"),
    ("type", "types"),
    ("field", "fields"),
    ("variant", "variants"),
    ("value", "values"),
    ("rule", "rules"),
    ("error", "errors"),
    ("rate class", "rate classes"),
    ("webhooks table", "webhooks tables"),
    ("webhook event", "webhook events"),
    ("webhook type", "webhook types"),
    ("webhook field", "webhook fields"),
    ("webhook variant", "webhook variants"),
    ("webhook value", "webhook values"),
];

const MARKS: &[Evidence] = &[
    Evidence::Confirmed,
    Evidence::ThirdParty,
    Evidence::Unconfirmed,
];

const STATUSES: &[Status] = &[
    Status::Deprecated,
    Status::Retired,
    Status::ThirdParty,
    Status::Unconfirmed,
    Status::Transport,
];

/// What cites one source key in one snapshot.
#[derive(Default)]
struct Citations {
    by_kind: BTreeMap<usize, usize>,
    marks: BTreeMap<usize, BTreeMap<&'static str, usize>>,
    statuses: BTreeMap<&'static str, usize>,
}

impl Citations {
    fn cite(&mut self, kind: usize, evidence: Option<Evidence>, status: Option<Status>) {
        *self.by_kind.entry(kind).or_default() += 1;
        if let Some(e) = evidence {
            *self
                .marks
                .entry(kind)
                .or_default()
                .entry(e.as_str())
                .or_default() += 1;
        }
        if let Some(s) = status.filter(|s| *s != Status::Current) {
            *self.statuses.entry(s.as_str()).or_default() += 1;
        }
    }

    fn cell(&self) -> String {
        let total: usize = self.by_kind.values().sum();
        if total == 0 {
            return "—".to_string();
        }
        let parts: Vec<String> = self
            .by_kind
            .iter()
            .map(|(&k, &n)| {
                let (one, many) = KINDS[k];
                let mut part = format!("{n} {}", if n == 1 { one } else { many });
                if let Some(marks) = self.marks.get(&k) {
                    let shown: Vec<String> = MARKS
                        .iter()
                        .filter_map(|m| {
                            marks.get(m.as_str()).map(|c| format!("{c} {}", m.as_str()))
                        })
                        .collect();
                    let _ = write!(part, " ({})", shown.join(", "));
                }
                part
            })
            .collect();
        let mut cell = format!("{total}: {}", parts.join(", "));
        let statuses: Vec<String> = STATUSES
            .iter()
            .filter_map(|s| {
                self.statuses
                    .get(s.as_str())
                    .map(|n| format!("{n} {}", s.as_str()))
            })
            .collect();
        if !statuses.is_empty() {
            let _ = write!(cell, "; {}", statuses.join(", "));
        }
        cell
    }
}

/// Source keys in first-seen order, and per snapshot what cites each.
fn citations() -> (Vec<String>, Vec<BTreeMap<String, Citations>>) {
    let mut keys: Vec<String> = Vec::new();
    let mut per_snapshot = Vec::new();
    for name in sendapi_spec::BUNDLED {
        let spec = sendapi_spec::bundled(name).expect("a bundled snapshot loads");
        let file = spec.file();
        let mut map: BTreeMap<String, Citations> = BTreeMap::new();
        for key in file.sources.keys() {
            let key = key.get_ref().clone();
            if !keys.contains(&key) {
                keys.push(key.clone());
            }
            map.entry(key).or_default();
        }
        let mut cite = |source: &str, kind: usize, e: Option<Evidence>, s: Option<Status>| {
            map.entry(source.to_string()).or_default().cite(kind, e, s);
        };
        cite(file.snapshot.source.get_ref(), 0, None, None);
        for e in file.endpoints.values() {
            cite(e.source.get_ref(), 1, None, None);
        }
        for t in file.types.values() {
            cite(t.source.get_ref(), 2, None, Some(t.status));
            for f in t.fields.values() {
                cite(f.source.get_ref(), 3, None, Some(f.status));
            }
            for v in t.variants.values() {
                cite(v.source.get_ref(), 4, None, Some(v.status));
            }
            for v in t.values.values() {
                cite(v.source.get_ref(), 5, None, Some(v.status));
            }
        }
        for r in &file.rules {
            cite(r.source.get_ref(), 6, Some(r.evidence), None);
        }
        for e in &file.errors {
            cite(e.source.get_ref(), 7, Some(e.evidence), None);
        }
        for r in file.rate_classes.values() {
            cite(r.source.get_ref(), 8, Some(r.evidence), None);
        }
        if let Some(w) = &file.webhooks {
            cite(w.source.get_ref(), 9, None, None);
            for e in w.events.values() {
                cite(e.source.get_ref(), 10, None, Some(e.status));
            }
            for t in w.types.values() {
                cite(t.source.get_ref(), 11, None, Some(t.status));
                for f in t.fields.values() {
                    cite(f.source.get_ref(), 12, None, Some(f.status));
                }
                for v in t.variants.values() {
                    cite(v.source.get_ref(), 13, None, Some(v.status));
                }
                for v in t.values.values() {
                    cite(v.source.get_ref(), 14, None, Some(v.status));
                }
            }
        }
        per_snapshot.push(map);
    }
    (keys, per_snapshot)
}

fn counts_table() -> String {
    let (keys, per_snapshot) = citations();
    let mut out = String::from("| key |");
    for name in sendapi_spec::BUNDLED {
        let _ = write!(out, " {name} |");
    }
    out.push_str("\n|---|");
    for _ in sendapi_spec::BUNDLED {
        out.push_str("---|");
    }
    out.push('\n');
    for key in &keys {
        let _ = write!(out, "| `{key}` |");
        for map in &per_snapshot {
            let cell = map
                .get(key)
                .map_or_else(|| "not a key".to_string(), Citations::cell);
            let _ = write!(out, " {cell} |");
        }
        out.push('\n');
    }
    // Citations of a link or of a key some snapshot lacks.
    for (name, map) in sendapi_spec::BUNDLED.iter().zip(&per_snapshot) {
        for (source, c) in map {
            if !keys.contains(source) {
                let _ = writeln!(out, "| {source} (a link, in {name}) | {} |", c.cell());
            }
        }
    }
    out
}

#[test]
fn sources_doc_matches_the_bundled_snapshots() {
    let path = root().join("spec/SOURCES.md");
    let text = read(&path);
    let (keys, _) = citations();

    // Every key has a row in "The keys", and every row is a key.
    let section = text
        .split("\n## ")
        .find(|s| s.starts_with("The keys"))
        .expect("spec/SOURCES.md has a section \"The keys\"");
    let rows: Vec<&str> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .filter(|k| {
            k.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        })
        .collect();
    for key in &keys {
        let described = rows.iter().filter(|r| **r == key).count();
        assert!(
            described >= 1,
            "spec/SOURCES.md does not describe the source key `{key}`"
        );
    }
    for row in &rows {
        assert!(
            keys.iter().any(|k| k == row),
            "spec/SOURCES.md describes `{row}`, which no bundled snapshot has in [sources]"
        );
    }

    // The error rules on weaker evidence than `C` are the ones listed, with
    // their marks.
    let policy = text
        .split("\n## ")
        .find(|s| s.starts_with("How far"))
        .expect("spec/SOURCES.md has a section \"How far a source's word goes\"");
    let listed: BTreeMap<String, String> = policy
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| {
            let mut cells = l.split('|').map(str::trim);
            let id = cells.next()?.trim_end_matches('`');
            let mark = cells.next()?.trim_matches('`');
            id.contains('.').then(|| (id.to_string(), mark.to_string()))
        })
        .collect();
    let mut weak: BTreeMap<String, String> = BTreeMap::new();
    for name in sendapi_spec::BUNDLED {
        let spec = sendapi_spec::bundled(name).expect("a bundled snapshot loads");
        for r in spec.rules() {
            if r.severity == sendapi_spec::Severity::Error && r.evidence != Evidence::Confirmed {
                weak.insert(r.id.clone(), r.evidence.as_str().to_string());
            }
        }
    }
    assert_eq!(
        listed, weak,
        "spec/SOURCES.md's list of error rules on evidence weaker than C differs from the bundled snapshots"
    );

    // The counts are the computed ones.
    let (Some(b), Some(e)) = (text.find(BEGIN), text.find(END)) else {
        panic!("spec/SOURCES.md lacks the {BEGIN} … {END} markers");
    };
    let current = &text[b + BEGIN.len()..e];
    let expected = format!("\n{}", counts_table());
    if current == expected {
        return;
    }
    if std::env::var_os("SENDAPI_BLESS").is_some() {
        let updated = format!("{}{expected}{}", &text[..b + BEGIN.len()], &text[e..]);
        std::fs::write(&path, updated).expect("spec/SOURCES.md is writable");
        return;
    }
    panic!(
        "the table of what cites each source in spec/SOURCES.md is stale; rerun with \
         SENDAPI_BLESS=1 and review the diff. Expected:\n{expected}"
    );
}

// --- ARCHITECTURE.md ---------------------------------------------------------

/// The `sendapi*` packages a manifest's `[dependencies]` table names.
fn sendapi_dependencies(manifest: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_deps = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if in_deps && line.starts_with("sendapi") {
            let name: String = line
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out.sort();
    out
}

fn package_name(manifest: &str) -> String {
    manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("name = \""))
        .and_then(|rest| rest.split('"').next())
        .expect("a manifest names its package")
        .to_string()
}

#[test]
fn architecture_states_the_dependencies_and_the_message_of_the_code() {
    let root = root();
    let doc = read(&root.join("ARCHITECTURE.md"));

    // The dependency table, row by row: `package` | `dep`, `dep` (feature …).
    let table = doc
        .split("| package | depends on |")
        .nth(1)
        .expect("ARCHITECTURE.md has the dependency table");
    let mut stated: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in table.lines().skip(2).take_while(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let names = |cell: &str| -> Vec<String> {
            cell.split('`')
                .skip(1)
                .step_by(2)
                .filter(|n| n.starts_with("sendapi"))
                .map(str::to_string)
                .collect()
        };
        let package = cells[1]
            .split('`')
            .nth(1)
            .expect("a row names its package")
            .to_string();
        let mut deps = names(cells[2]);
        deps.sort();
        stated.insert(package, deps);
    }

    // The members' manifests.
    let workspace = read(&root.join("Cargo.toml"));
    let members = workspace
        .split("members = [")
        .nth(1)
        .and_then(|m| m.split(']').next())
        .expect("the workspace lists its members");
    let mut actual: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for member in members.split(',').map(|m| m.trim().trim_matches('"')) {
        if member.is_empty() {
            continue;
        }
        let manifest = read(&root.join(member).join("Cargo.toml"));
        actual.insert(package_name(&manifest), sendapi_dependencies(&manifest));
    }
    assert_eq!(
        stated, actual,
        "the dependency table of ARCHITECTURE.md differs from the members' [dependencies]"
    );

    // The compile error it quotes is the one the UI case records.
    let stderr = read(&root.join("tests/ui/request/message.quick_replies.items.stderr"));
    for line in stderr.lines().take(3) {
        assert!(
            doc.contains(line),
            "ARCHITECTURE.md no longer quotes the compile error of \
             tests/ui/request/message.quick_replies.items.stderr: missing {line:?}"
        );
    }
}
