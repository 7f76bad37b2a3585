//! Every error-severity rule of the bundled snapshots has a compile-fail
//! case (DESIGN.md, "Tests, in layers"): a `.stderr` under `tests/ui/` that
//! shows the rule's id in brackets, `[rule.id]`, as `request!` and the derive
//! report it. A rule that no literal body can break is listed in
//! [`RUN_TIME_ONLY`] with the reason; every other rule needs its case.
//!
//! The test also refuses a `.stderr` that names a rule id no bundled
//! snapshot has (a renamed or removed rule leaves a stale case behind).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use sendapi_spec::Severity;

/// Error-severity rules that only a value known at run time can break, so
/// that no compile-fail case can show them: `(rule id, why)`.
///
/// Empty today: every error rule of v21.0 and v26.0 has a literal body that
/// breaks it (tests/ui/request/<rule id>.rs).
const RUN_TIME_ONLY: &[(&str, &str)] = &[];

/// Error-severity rule ids of every bundled snapshot, with the snapshots
/// that have each.
fn error_rules() -> BTreeMap<String, Vec<&'static str>> {
    let mut out: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    for name in sendapi_spec::BUNDLED {
        let spec = sendapi_spec::bundled(name).expect("a bundled snapshot loads");
        for rule in spec.rules() {
            if rule.severity == Severity::Error {
                out.entry(rule.id.clone()).or_default().push(name);
            }
        }
    }
    out
}

/// Every rule id of every bundled snapshot, whatever its severity.
fn all_rule_ids() -> BTreeSet<String> {
    sendapi_spec::BUNDLED
        .iter()
        .flat_map(|name| {
            sendapi_spec::bundled(name)
                .expect("a bundled snapshot loads")
                .rules()
        })
        .map(|rule| rule.id.clone())
        .collect()
}

fn stderr_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            stderr_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "stderr") {
            out.push(path);
        }
    }
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
}

/// A rule id as the spec writes them: `[a-z0-9_.]`, starting with a letter,
/// with at least one dot (so `[E0277]` and `[*]` are not ids).
fn looks_like_rule_id(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.contains('.')
        && !s.ends_with('.')
        && !s.contains("..")
        && s.chars().all(is_id_char)
}

/// The rule ids a diagnostic text names: `[rule.id]` (request! and derive
/// errors) and `rule rule.id` (the builders' `on_unimplemented` texts).
fn mentioned_ids(text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut bracketed = BTreeSet::new();
    for (i, _) in text.match_indices('[') {
        let rest = &text[i + 1..];
        if let Some(end) = rest.find(']') {
            let inner = &rest[..end];
            if looks_like_rule_id(inner) {
                bracketed.insert(inner.to_string());
            }
        }
    }
    let mut named = BTreeSet::new();
    for (i, _) in text.match_indices("rule ") {
        let rest = text[i + "rule ".len()..].trim_start_matches('`');
        let id: String = rest.chars().take_while(|&c| is_id_char(c)).collect();
        let id = id.trim_end_matches('.');
        if looks_like_rule_id(id) {
            named.insert(id.to_string());
        }
    }
    (bracketed, named)
}

#[test]
fn every_error_rule_has_a_compile_fail_case() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let mut files = Vec::new();
    stderr_files(&ui, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no .stderr files under {}", ui.display());

    let errors = error_rules();
    let known = all_rule_ids();
    let mut covered: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let short = file.strip_prefix(&ui).unwrap_or(file).display().to_string();
        let (bracketed, named) = mentioned_ids(&text);
        for id in bracketed.iter().chain(&named) {
            if !known.contains(id) {
                problems.push(format!(
                    "{short} names rule `{id}`, which no bundled snapshot has"
                ));
            }
        }
        for id in bracketed {
            covered.entry(id).or_default().push(short.clone());
        }
    }

    let run_time_only: BTreeMap<&str, &str> = RUN_TIME_ONLY.iter().copied().collect();
    assert_eq!(
        run_time_only.len(),
        RUN_TIME_ONLY.len(),
        "RUN_TIME_ONLY lists a rule twice"
    );
    for (id, why) in RUN_TIME_ONLY {
        assert!(
            !why.trim().is_empty(),
            "RUN_TIME_ONLY entry `{id}` needs its reason"
        );
        if !errors.contains_key(*id) {
            problems.push(format!(
                "RUN_TIME_ONLY lists `{id}`, which is not an error rule of a bundled snapshot"
            ));
        } else if let Some(cases) = covered.get(*id) {
            problems.push(format!(
                "RUN_TIME_ONLY lists `{id}`, yet {} shows it at compile time; remove the entry",
                cases.join(", ")
            ));
        }
    }
    for (id, snapshots) in &errors {
        if !covered.contains_key(id) && !run_time_only.contains_key(id.as_str()) {
            problems.push(format!(
                "error rule `{id}` ({}) has no compile-fail case: add tests/ui/request/{id}.rs, or list it in RUN_TIME_ONLY with the reason",
                snapshots.join(", ")
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    eprintln!(
        "{} error rules, {} with a compile-fail case, {} run-time only",
        errors.len(),
        covered.len(),
        RUN_TIME_ONLY.len()
    );
}

#[test]
fn the_id_scanner_reads_both_forms() {
    let (bracketed, named) = mentioned_ids(
        "error[E0277]: tag X is refused (rule request.tag.refused_since)\nerror: [message.text.max_len] text is long\n  images[*].url",
    );
    assert_eq!(
        bracketed.into_iter().collect::<Vec<_>>(),
        ["message.text.max_len"]
    );
    assert_eq!(
        named.into_iter().collect::<Vec<_>>(),
        ["request.tag.refused_since"]
    );
}
