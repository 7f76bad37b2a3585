//! `sendapi migrate` through the binary: what in a crate's sources breaks
//! when it moves to another snapshot (DESIGN.md, "CLI additions").
//!
//! The fixture crate `fixtures/migrate/` is read, never compiled; the
//! target snapshot is the delta `fixtures/migrate/v27.0.toml` (HUMAN_AGENT
//! refused, at most two quick replies).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_sendapi");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .arg("migrate")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("sendapi runs");
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrate")
}

/// A scratch folder, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("sendapi-migrate-{}-{tag}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir is writable");
        Scratch(dir)
    }

    fn file(&self, name: &str, text: &str) {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("dir is writable");
        std::fs::write(path, text).expect("file is writable");
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// The `file:line:col: [rule]` of each reported break, in order.
fn places(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| l.contains(": ["))
        .map(|l| l[..=l.find(']').expect("a rule id")].to_string())
        .collect()
}

#[test]
fn text_names_each_break_at_its_key_or_value_with_the_fix_and_exits_1() {
    let r = run(&fixture(), &["--to", "v27.0.toml", "."]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(
        places(&r.stdout),
        [
            // The derive's tag attribute (its messaging type is implied).
            "src/derived.rs:6:37: [request.tag.refused_since]",
            // `request!(instagram, …)`: the tag value.
            "src/instagram.rs:10:16: [request.tag.refused_since]",
            // The quick_replies array, on a v26 path and on a v21 path
            // inside `vec![…]`.
            "src/lib.rs:14:30: [message.quick_replies.items]",
            "src/lib.rs:59:30: [message.quick_replies.items]",
        ],
        "{}",
        r.stdout
    );
    // Not reported: the text (fine everywhere), the run-time quick
    // replies, ACCOUNT_UPDATE (already refused in v26.0) and the plain
    // derive.
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[4..6],
        [
            "src/lib.rs:14:30: [message.quick_replies.items] 3 quick replies; at most 2 are allowed",
            "    fix: keep the 2 most useful quick replies",
        ]
    );
    for i in (0..lines.len()).filter(|&i| lines[i].contains(": [")) {
        assert!(lines[i + 1].starts_with("    fix: "), "{}", r.stdout);
    }
    assert_eq!(
        lines.last(),
        Some(&"4 errors under v27.0 that the code did not have before")
    );
    // The file that is not Rust is named with the place, and skipped.
    assert!(
        r.stderr.contains(
            "src/broken.rs:3:18: error: cannot parse this Rust file, so it is not checked"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn json_is_one_array_of_breaks_with_both_snapshots() {
    let r = run(
        &fixture(),
        &["--to", "v27.0.toml", "--format", "json", "src"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let rows: Value = serde_json::from_str(&r.stdout).expect("stdout is JSON");
    let rows = rows.as_array().expect("an array");
    assert_eq!(rows.len(), 4, "{}", r.stdout);
    let keys = [
        "column", "file", "fix", "from", "line", "message", "rule", "severity", "to",
    ];
    for row in rows {
        let mut found: Vec<&str> = row
            .as_object()
            .expect("objects")
            .keys()
            .map(String::as_str)
            .collect();
        found.sort_unstable();
        assert_eq!(found, keys);
        assert_eq!(row["severity"], "error");
        assert_eq!(row["to"], "v27.0");
    }
    assert_eq!(
        rows[1],
        serde_json::json!({
            "file": "src/instagram.rs",
            "line": 10,
            "column": 16,
            "rule": "request.tag.refused_since",
            "severity": "error",
            "message": "tag HUMAN_AGENT is refused by Graph since 2026-12-01 (error 100)",
            "fix": "use a utility message instead",
            "to": "v27.0",
            // `request!` on no snapshot's path: latest.
            "from": "v26.0",
        })
    );
    // The snapshot each call names is the default source.
    let from: Vec<(&Value, &Value)> = rows.iter().map(|r| (&r["line"], &r["from"])).collect();
    assert_eq!(
        from,
        [
            (&Value::from(6), &Value::from("v26.0")),
            (&Value::from(10), &Value::from("v26.0")),
            (&Value::from(14), &Value::from("v26.0")),
            (&Value::from(59), &Value::from("v21.0")),
        ]
    );
}

#[test]
fn nothing_breaking_exits_0() {
    let files = ["src/lib.rs", "src/derived.rs", "src/instagram.rs"];
    let r = run(&fixture(), &[&["--to", "v26.0"][..], &files].concat());
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "nothing breaks under v26.0\n");
    let r = run(
        &fixture(),
        &[
            &[
                "--to",
                "v27.0.toml",
                "--from",
                "v27.0.toml",
                "--format",
                "json",
            ][..],
            &files,
        ]
        .concat(),
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "[]\n");
}

#[test]
fn from_replaces_the_named_snapshot_and_takes_a_date() {
    // ACCOUNT_UPDATE was not refused yet on 2024-10-02.
    let r = run(
        &fixture(),
        &["--from", "v26.0@2024-10-02", "--to", "v26.0", "src/lib.rs"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        places(&r.stdout),
        ["src/lib.rs:47:16: [request.tag.refused_since]"]
    );
}

#[test]
fn usage_errors_and_specs_that_do_not_load_exit_2() {
    let dir = fixture();
    for args in [
        &["--to", "v99.0", "."][..],
        &["--to", "missing.toml", "."],
        &["--to", "v26.0", "--from", "v99.0", "."],
        &["--to", "v26.0", "--format", "xml", "."],
        &["--to", "v26.0", "--platform", "whatsapp", "."],
        &["--to", "v26.0"],
        &["."],
        &["--to", "v26.0", "--bogus", "."],
    ] {
        let r = run(&dir, args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
    let s = Scratch::new("bad-spec");
    s.file("bad.toml", "format = 1\n[snapshot\n");
    let r = run(&s.0, &["--to", "bad.toml", "."]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("bad.toml"), "{}", r.stderr);
}

/// A call that breaks under the fixture's v27.0.
const BREAKING: &str = r#"fn f() {
    sendapi::latest::request!({
        "recipient": { "id": "1" },
        "messaging_type": "MESSAGE_TAG",
        "tag": "HUMAN_AGENT",
        "message": { "text": "hi" },
    });
}
"#;

#[test]
fn target_and_hidden_directories_are_skipped_and_unreadable_paths_reported() {
    let s = Scratch::new("walk");
    s.file("target/debug/build.rs", BREAKING);
    s.file(".cargo/registry.rs", BREAKING);
    s.file("src/a.rs", BREAKING);
    s.file("src/notes.txt", BREAKING);
    let spec = fixture().join("v27.0.toml");
    let spec = spec.to_str().expect("UTF-8 path");
    let r = run(&s.0, &["--to", spec, "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        places(&r.stdout),
        ["src/a.rs:5:16: [request.tag.refused_since]"]
    );
    let r = run(&s.0, &["--to", spec, "src/missing.rs", "src/notes.txt"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("src/missing.rs: cannot read"),
        "{}",
        r.stderr
    );
    // A file named on the command line is read whatever its name.
    assert_eq!(
        places(&r.stdout),
        ["src/notes.txt:5:16: [request.tag.refused_since]"]
    );
}

#[test]
fn platform_applies_to_calls_that_name_none() {
    let s = Scratch::new("platform");
    s.file(
        "short.toml",
        "format = 1\nextends = \"v26.0\"\n\n[snapshot]\nname = \"short\"\ngraph_version = \"v26.0\"\nas_of = 2026-12-05\n\n[[rules]]\nid = \"message.text.max_len_instagram\"\nmax = 3\n",
    );
    s.file(
        "src/lib.rs",
        r#"fn f() {
    sendapi::latest::request!({
        "recipient": { "id": "1" },
        "messaging_type": "RESPONSE",
        "message": { "text": "Hello" },
    });
    sendapi::latest::request!(messenger, {
        "recipient": { "id": "1" },
        "messaging_type": "RESPONSE",
        "message": { "text": "Hello" },
    });
}
"#,
    );
    let r = run(&s.0, &["--to", "short.toml", "src"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let r = run(
        &s.0,
        &["--to", "short.toml", "--platform", "instagram", "src"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    // The call that names messenger keeps it.
    assert_eq!(
        places(&r.stdout),
        ["src/lib.rs:5:30: [message.text.max_len_instagram]"]
    );
}

#[test]
fn a_derive_attribute_the_target_does_not_have_breaks() {
    let s = Scratch::new("derive");
    s.file(
        "quiet.toml",
        "format = 1\nextends = \"v26.0\"\n\n[snapshot]\nname = \"quiet\"\ngraph_version = \"v26.0\"\nas_of = 2026-12-05\n\n[remove]\ntypes = [\"NotificationType\"]\nfields = [\"SendRequest.notification_type\"]\nrules = [\"request.sender_action.forbids_notification_type\"]\n",
    );
    s.file(
        "src/lib.rs",
        r#"#[derive(sendapi::Message)]
#[sendapi(messaging_type = "RESPONSE", notification_type = "SILENT_PUSH")]
enum Note {
    Plain(#[sendapi(text)] String),
}
"#,
    );
    let r = run(&s.0, &["--to", "quiet.toml", "--format", "json", "src"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let rows: Value = serde_json::from_str(&r.stdout).expect("stdout is JSON");
    assert_eq!(rows.as_array().map(Vec::len), Some(1), "{}", r.stdout);
    let row = &rows[0];
    assert_eq!(
        (&row["line"], &row["column"], &row["rule"]),
        (
            &Value::from(2),
            &Value::from(40),
            &Value::from("derive.attributes")
        )
    );
    let message = row["message"].as_str().expect("a string");
    assert!(
        message.starts_with("unknown sendapi attribute `notification_type`"),
        "{message}"
    );
}

#[test]
fn help_states_the_flags_and_the_exit_codes() {
    let r = run(&fixture(), &["--help"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for text in [
        "--to <NAME|PATH>",
        "--from <NAME|PATH>",
        "--platform",
        "--format",
        "Exit status: 0 when nothing breaks; 1 when something breaks, or a file cannot be read or parsed",
        "2 for usage errors and a spec that does not load",
    ] {
        assert!(
            r.stdout
                .replace('\n', " ")
                .replace("  ", " ")
                .contains(text),
            "{text}: {}",
            r.stdout
        );
    }
}

#[test]
fn a_site_that_compiles_under_no_snapshot_is_noted_and_does_not_fail() {
    let s = Scratch::new("never");
    s.file(
        "src/lib.rs",
        r#"fn f() {
    sendapi::latest::request!(whatsapp, { "recipient": { "id": "1" } });
}

#[derive(sendapi::Message)]
#[sendapi(snapshot = "v99.0", messaging_type = "RESPONSE")]
struct Reply(#[sendapi(text)] String);
"#,
    );
    let r = run(&s.0, &["--to", "v21.0", "src"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("src/lib.rs:2:31: note: this request! body does not parse"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("src/lib.rs:6:22: note: this derive names no bundled snapshot"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "nothing breaks under v21.0\n");
}
