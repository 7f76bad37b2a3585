//! The `sendapi` binary's contract (DESIGN.md, "CLI"): arguments, exit
//! codes and output formats of `validate`, `diff` and `spec check`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_sendapi");

/// A scratch folder under the system temp dir, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "sendapi-cli-test-{}-{tag}-{n}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir is writable");
        Scratch(dir)
    }

    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("temp file is writable");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn both(&self) -> String {
        format!("stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr)
    }
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    finish(
        Command::new(BIN)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("the binary runs"),
    )
}

fn run_stdin(args: &[&str], input: &str) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(input.as_bytes())
        .expect("stdin takes the body");
    finish(child.wait_with_output().expect("the binary exits"))
}

fn spec_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("spec")
        .join("send-api")
        .join(name)
}

fn p(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

const VALID: &str = r#"{
  "recipient": {"id": "4455667788990011"},
  "messaging_type": "RESPONSE",
  "message": {"text": "Your order is ready for pickup."}
}"#;

/// Valid, with the missing-messaging_type warning (Meta's sample style).
const WARNS: &str = r#"{"recipient": {"id": "4455667788990011"}, "message": {"text": "hello"}}"#;

/// Refused since 2026-04-27 on every Graph version: an error for v21.0 and
/// v26.0, valid for v26.0 evaluated the day before.
const REFUSED_TAG: &str = r#"{
  "recipient": {"id": "4455667788990011"},
  "messaging_type": "MESSAGE_TAG",
  "tag": "POST_PURCHASE_UPDATE",
  "message": {"text": "Your parcel left the warehouse."}
}"#;

/// Messenger only: a private reply to a Page post.
const POST_ID: &str = r#"{
  "recipient": {"post_id": "1029384756_5647382910"},
  "messaging_type": "RESPONSE",
  "message": {"text": "Thanks for your post!"}
}"#;

// ---------------------------------------------------------------------------
// validate
// ---------------------------------------------------------------------------

#[test]
fn validate_valid_exits_0() {
    let s = Scratch::new("valid");
    let r = run(["validate", p(&s.file("ok.json", VALID))]);
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout.contains("valid for v26.0 on messenger"),
        "{}",
        r.both()
    );
}

#[test]
fn validate_prints_warnings_and_still_exits_0() {
    let s = Scratch::new("warn");
    let r = run(["validate", p(&s.file("warn.json", WARNS))]);
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout.contains("warning[request.messaging_type.missing]"),
        "{}",
        r.both()
    );
    assert!(r.stdout.contains("1 warning)"), "{}", r.both());
}

#[test]
fn validate_error_violation_exits_1_with_rule_message_fix_and_doc() {
    let s = Scratch::new("error");
    let r = run(["validate", p(&s.file("tag.json", REFUSED_TAG))]);
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(r.stdout.contains("INVALID"), "{}", r.both());
    assert!(
        r.stdout
            .contains("error[request.tag.refused_since] at /tag"),
        "{}",
        r.both()
    );
    assert!(r.stdout.contains("2026-04-27"), "{}", r.both());
    assert!(
        r.stdout.contains("fix: use a utility message"),
        "{}",
        r.both()
    );
    assert!(r.stdout.contains("doc: https://"), "{}", r.both());
}

#[test]
fn validate_json_that_is_not_an_object_exits_1() {
    let s = Scratch::new("notobj");
    for (i, text) in [
        "[]",
        "[{\"recipient\": {}}]",
        "\"text\"",
        "null",
        "42",
        "true",
    ]
    .iter()
    .enumerate()
    {
        let r = run(["validate", p(&s.file(&format!("{i}.json"), text))]);
        assert_eq!(r.code, 1, "{text}: {}", r.both());
        assert!(
            r.stdout.contains("error[body.type] at (body)"),
            "{text}: {}",
            r.both()
        );
    }
}

#[test]
fn validate_unparsable_json_exits_2_with_line_and_column() {
    let s = Scratch::new("unparsable");
    let text = "{\n  \"recipient\": {\"id\": \"1\"},\n  message: {}\n}\n";
    let r = run(["validate", p(&s.file("bad.json", text))]);
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(r.stderr.contains("line 3 column 3"), "{}", r.both());
    for text in ["", "   \n", "{\"recipient\": ", "{} {}", "\u{feff}{}"] {
        let r = run(["validate", p(&s.file("bad2.json", text))]);
        assert_eq!(r.code, 2, "{text:?}: {}", r.both());
        assert!(r.stderr.contains("bad2.json"), "{text:?}: {}", r.both());
    }
    // Not UTF-8 at all.
    let r = run(["validate", p(&s.file("bytes.json", [0xff, 0xfe, 0x00]))]);
    assert_eq!(r.code, 2, "{}", r.both());
}

#[test]
fn validate_unreadable_file_exits_2() {
    let s = Scratch::new("unreadable");
    let missing = s.0.join("does-not-exist.json");
    let r = run(["validate", p(&missing)]);
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(r.stderr.contains("does-not-exist.json"), "{}", r.both());
    // A folder is not a file.
    let r = run(["validate", p(&s.0)]);
    assert_eq!(r.code, 2, "{}", r.both());
}

#[test]
fn validate_nesting_too_deep_exits_2() {
    let s = Scratch::new("deep");
    // Deeper than serde_json's own limit (128).
    let very = format!(
        r#"{{"recipient":{{"id":"1"}},"messaging_type":"RESPONSE","message":{{"text":"x"}},"thread_control":{}1{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    // Within serde_json's limit but deeper than sendapi's MAX_DEPTH (64).
    let deep = very
        .replace(&"[".repeat(10_000), &"[".repeat(100))
        .replace(&"]".repeat(10_000), &"]".repeat(100));
    for (name, text) in [("very.json", very), ("deep.json", deep)] {
        let r = run(["validate", p(&s.file(name, text))]);
        assert_eq!(r.code, 2, "{name}: {}", r.both());
        assert!(
            r.stderr.contains("nesting too deep"),
            "{name}: {}",
            r.both()
        );
    }
    // Nesting at the limit is fine (a json field is not looked into).
    let fine = format!(
        r#"{{"recipient":{{"id":"1"}},"messaging_type":"RESPONSE","message":{{"text":"x"}},"thread_control":{}1{}}}"#,
        "[".repeat(60),
        "]".repeat(60)
    );
    let r = run(["validate", p(&s.file("fine.json", fine))]);
    assert_eq!(r.code, 0, "{}", r.both());
}

/// A body whose `n` quick replies each have a title over the 20 characters
/// Messenger shows (a warning per quick reply) and, past 13 of them, too
/// many quick replies (one error).
fn quick_replies_with_long_titles(n: usize) -> String {
    let reply = r#"{"content_type":"text","title":"A title far longer than twenty characters","payload":"P"}"#;
    let mut body = String::with_capacity(n * (reply.len() + 1) + 128);
    body.push_str(r#"{"recipient":{"id":"4455667788990011"},"messaging_type":"RESPONSE","message":{"text":"Pick one","quick_replies":["#);
    for i in 0..n {
        if i > 0 {
            body.push(',');
        }
        body.push_str(reply);
    }
    body.push_str("]}}");
    body
}

#[test]
fn validate_text_output_is_bounded_and_json_keeps_every_violation() {
    let s = Scratch::new("bounded");
    let file = s.file("huge.json", quick_replies_with_long_titles(200_000));

    // JSON: every violation, exit 1.
    let json = run(["validate", "--format", "json", p(&file)]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    let report: serde_json::Value =
        serde_json::from_str(json.stdout.trim()).expect("one JSON object");
    let violations = report["violations"]
        .as_array()
        .expect("violations is an array");
    let total = violations.len();
    let errors = violations
        .iter()
        .filter(|v| v["severity"] == "error")
        .count();
    assert_eq!(
        total, 200_001,
        "a warning per quick reply and the count error"
    );
    assert_eq!(errors, 1);

    // Text: the verdict counts all, 50 are shown with the error among
    // them, then how many more; the exit status is the same.
    let text = run(["validate", p(&file)]);
    assert_eq!(text.code, 1, "{}", text.stderr);
    let head = &text.stdout[..text.stdout.len().min(3000)];
    assert!(
        text.stdout.len() < 64 * 1024,
        "text output is {} bytes:\n{head}",
        text.stdout.len()
    );
    assert!(
        text.stdout.contains("INVALID") && text.stdout.contains("(1 error, 200000 warnings)"),
        "the verdict line counts every violation:\n{head}"
    );
    let listed = text
        .stdout
        .lines()
        .filter(|l| l.starts_with("  error[") || l.starts_with("  warning["))
        .count();
    assert_eq!(listed, 50, "{head}");
    assert!(
        text.stdout.contains("  error[message.quick_replies.items]"),
        "the error is shown first:\n{head}"
    );
    assert!(
        text.stdout.ends_with(
            "  … and 199951 more violations (use --format json for all, or --max-violations 0)\n"
        ),
        "the tail:\n{}",
        &text.stdout[text.stdout.len().saturating_sub(500)..]
    );
}

#[test]
fn validate_max_violations_sets_the_cap_and_0_prints_all() {
    let s = Scratch::new("max-violations");
    let file = s.file("three.json", quick_replies_with_long_titles(3));
    let shown = |r: &Run| {
        r.stdout
            .matches("warning[quick_reply.title.max_len]")
            .count()
    };
    let r = run(["validate", "--max-violations", "2", p(&file)]);
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(shown(&r), 2, "{}", r.both());
    assert!(
        r.stdout.ends_with(
            "  … and 1 more violation (use --format json for all, or --max-violations 0)\n"
        ),
        "{}",
        r.both()
    );
    let r = run(["validate", "--max-violations", "0", p(&file)]);
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(shown(&r), 3, "{}", r.both());
    assert!(!r.stdout.contains("more violation"), "{}", r.both());
    // Under the default cap nothing is left out and no count line is printed.
    let r = run(["validate", p(&file)]);
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(shown(&r), 3, "{}", r.both());
    assert!(!r.stdout.contains("more violation"), "{}", r.both());
}

#[test]
fn validate_exit_2_wins_over_1_and_1_over_0() {
    let s = Scratch::new("mixed");
    let ok = s.file("ok.json", VALID);
    let invalid = s.file("invalid.json", REFUSED_TAG);
    let broken = s.file("broken.json", "{");
    let missing = s.0.join("missing.json");
    let cases: [(&[&Path], i32); 6] = [
        (&[&ok, &invalid], 1),
        (&[&invalid, &ok], 1),
        (&[&invalid, &broken], 2),
        (&[&broken, &invalid], 2),
        (&[&ok, &missing, &invalid], 2),
        (&[&ok, &ok], 0),
    ];
    for (files, want) in cases {
        let mut args = vec!["validate"];
        args.extend(files.iter().map(|f| p(f)));
        let r = run(&args);
        assert_eq!(r.code, want, "{args:?}: {}", r.both());
    }
    // Every file is reported, even after a failure.
    let r = run(["validate", p(&broken), p(&invalid), p(&ok)]);
    assert!(r.stdout.contains("invalid.json: INVALID"), "{}", r.both());
    assert!(r.stdout.contains("ok.json: valid"), "{}", r.both());
}

#[test]
fn validate_dash_reads_stdin() {
    let r = run_stdin(&["validate", "-"], VALID);
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(r.stdout.contains("<stdin>: valid"), "{}", r.both());
    let r = run_stdin(&["validate", "-"], REFUSED_TAG);
    assert_eq!(r.code, 1, "{}", r.both());
    let r = run_stdin(&["validate", "-"], "{ nope");
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(r.stderr.contains("<stdin>"), "{}", r.both());
    let r = run_stdin(
        &["validate", "--spec", "v26.0@2026-04-26", "-"],
        REFUSED_TAG,
    );
    assert_eq!(r.code, 0, "{}", r.both());
    let r = run_stdin(&["validate", "--spec", "v21.0", "-"], REFUSED_TAG);
    assert_eq!(r.code, 1, "{}", r.both());
}

#[test]
fn validate_format_json_prints_one_object_per_file() {
    let s = Scratch::new("json");
    let files = [
        s.file("a.json", VALID),
        s.file("b.json", REFUSED_TAG),
        s.file("c.json", WARNS),
    ];
    let mut args = vec!["validate", "--format", "json"];
    args.extend(files.iter().map(|f| p(f)));
    let r = run(&args);
    assert_eq!(r.code, 1, "{}", r.both());
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), 3, "{}", r.both());
    for (line, file) in lines.iter().zip(&files) {
        assert_eq!(line["file"], p(file));
        let obj = line.as_object().expect("an object per file");
        for key in ["file", "valid", "violations"] {
            assert!(obj.contains_key(key), "{key} missing: {line}");
        }
        for v in line["violations"].as_array().expect("violations array") {
            let keys: Vec<&str> = v
                .as_object()
                .expect("violation object")
                .keys()
                .map(String::as_str)
                .collect();
            for key in ["rule", "severity", "pointer", "message", "doc"] {
                assert!(keys.contains(&key), "{key} missing: {v}");
            }
            assert!(v["rule"].is_string() && v["message"].is_string() && v["doc"].is_string());
        }
    }
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[0]["violations"], serde_json::json!([]));
    assert_eq!(lines[1]["valid"], false);
    let refused = &lines[1]["violations"][0];
    assert_eq!(refused["rule"], "request.tag.refused_since");
    assert_eq!(refused["severity"], "error");
    assert_eq!(refused["pointer"], "/tag");
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("2026-04-27"))
    );
    assert_eq!(lines[2]["valid"], true);
    assert_eq!(lines[2]["violations"][0]["severity"], "warning");
    assert_eq!(lines[2]["violations"][0]["pointer"], "/message");

    // A file that cannot be checked is still one object, and exit 2.
    let r = run([
        "validate",
        "--format",
        "json",
        p(&s.file("bad.json", "[1,")),
    ]);
    assert_eq!(r.code, 2, "{}", r.both());
    let line: serde_json::Value = serde_json::from_str(r.stdout.trim()).expect("one JSON line");
    assert_eq!(line["valid"], false);
    assert!(
        line["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("bad.json"))
    );
}

#[test]
fn validate_spec_selects_the_snapshot_by_name_or_path() {
    let s = Scratch::new("spec");
    let tag = s.file("tag.json", REFUSED_TAG);
    let v21_path = spec_file("v21.0.toml");
    let v26_path = spec_file("v26.0.toml");
    let cases = [
        ("v21.0", 1),
        ("v26.0", 1),
        ("latest", 1),
        ("v26.0@2026-04-26", 0),
        (p(&v21_path), 1),
        (p(&v26_path), 1),
    ];
    for (spec, want) in cases {
        let r = run(["validate", "--spec", spec, p(&tag)]);
        assert_eq!(r.code, want, "--spec {spec}: {}", r.both());
    }
    let r = run(["validate", "--spec", "v21.0", p(&tag)]);
    assert!(r.stdout.contains("for v21.0"), "{}", r.both());
    // An unknown name or a missing file is a usage error.
    for spec in ["v99.0", p(&s.0.join("nope.toml"))] {
        let r = run(["validate", "--spec", spec, p(&tag)]);
        assert_eq!(r.code, 2, "--spec {spec}: {}", r.both());
    }
    // So is a spec that does not load.
    let bad = s.file("bad.toml", "format = [[[");
    let r = run(["validate", "--spec", p(&bad), p(&tag)]);
    assert_eq!(r.code, 2, "{}", r.both());
}

#[test]
fn validate_platform_selects_the_platform_rules() {
    let s = Scratch::new("platform");
    let post = s.file("post.json", POST_ID);
    let r = run(["validate", p(&post)]);
    assert_eq!(r.code, 0, "{}", r.both());
    let r = run(["validate", "--platform", "messenger", p(&post)]);
    assert_eq!(r.code, 0, "{}", r.both());
    let r = run(["validate", "--platform", "instagram", p(&post)]);
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(
        r.stdout.contains("error[recipient.post_id.platform]"),
        "{}",
        r.both()
    );
    assert!(r.stdout.contains("on instagram"), "{}", r.both());
}

#[test]
fn validate_usage_errors_exit_2() {
    let s = Scratch::new("usage");
    let ok = s.file("ok.json", VALID);
    let cases: [&[&str]; 7] = [
        &["validate"],
        &["validate", "--platform", "whatsapp", p(&ok)],
        &["validate", "--format", "yaml", p(&ok)],
        &["validate", "--no-such-flag", p(&ok)],
        &["validate", "--spec"],
        &["no-such-command"],
        &[],
    ];
    for args in cases {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.both());
        assert!(
            !r.stderr.is_empty(),
            "{args:?}: usage errors explain themselves"
        );
    }
}

// ---------------------------------------------------------------------------
// diff
// ---------------------------------------------------------------------------

#[test]
fn diff_lists_changes_and_exits_0() {
    let r = run(["diff", "v26.0@2024-10-02", "v26.0"]);
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout.starts_with("v26.0@2024-10-02 -> v26.0:"),
        "{}",
        r.both()
    );
    assert!(r.stdout.contains("breaking"), "{}", r.both());
    let r = run(["diff", p(&spec_file("v21.0.toml")), "latest"]);
    assert_eq!(r.code, 0, "{}", r.both());
}

#[test]
fn diff_fail_on_breaking_exits_3() {
    let r = run(["diff", "v26.0@2024-10-02", "v26.0", "--fail-on-breaking"]);
    assert_eq!(r.code, 3, "{}", r.both());
    // No change, nothing breaking.
    let r = run(["diff", "v26.0", "latest", "--fail-on-breaking"]);
    assert_eq!(r.code, 0, "{}", r.both());
}

#[test]
fn diff_bad_spec_or_usage_exits_2() {
    let s = Scratch::new("diff");
    let bad = s.file("bad.toml", "this is = = not toml");
    let cases: [&[&str]; 5] = [
        &["diff", "v21.0", p(&bad)],
        &["diff", p(&bad), "v26.0"],
        &["diff", "v21.0", "v99.0"],
        &["diff", "v21.0"],
        &["diff", "v21.0", "v26.0", "--fail-on"],
    ];
    for args in cases {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.both());
    }
}

/// The v26.0 snapshot with HUMAN_AGENT refused from 2027-01-01, after its
/// as_of: an upcoming change and nothing else.
fn upcoming_refusal(s: &Scratch) -> PathBuf {
    let text = std::fs::read_to_string(spec_file("v26.0.toml")).expect("v26.0 is readable");
    let from = "window = \"7 days after the person's last message\"\n";
    assert_eq!(
        text.matches(from).count(),
        1,
        "the edit must be unambiguous"
    );
    let to = format!("{from}refused_since = 2027-01-01\nreplacement = \"a utility message\"\n");
    s.file("upcoming.toml", text.replace(from, &to))
}

fn json_changes(r: &Run) -> Vec<serde_json::Value> {
    match serde_json::from_str(&r.stdout) {
        Ok(serde_json::Value::Array(a)) => a,
        other => panic!("expected one JSON array, got {other:?}: {}", r.both()),
    }
}

#[test]
fn diff_format_json_prints_one_object_per_change() {
    let (old, new) = ("v26.0@2024-10-02", "v26.0");
    let text = run(["diff", old, new]);
    let r = run(["diff", old, new, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.both());
    let changes = json_changes(&r);
    // As many objects as the text has change lines (after its summary).
    assert_eq!(
        changes.len(),
        text.stdout.lines().count() - 1,
        "{}",
        r.both()
    );
    assert!(changes.len() > 3, "{}", r.both());
    for c in &changes {
        let keys: Vec<&str> = c
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["change", "class", "detail", "item", "subject"],
            "{c}"
        );
    }
    let class = |c: &serde_json::Value| c["class"].as_str().unwrap_or_default().to_string();
    let breaking: Vec<&str> = changes
        .iter()
        .filter(|c| class(c) == "breaking")
        .map(|c| c["item"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        breaking,
        [
            "Tag.ACCOUNT_UPDATE",
            "Tag.CONFIRMED_EVENT_UPDATE",
            "Tag.POST_PURCHASE_UPDATE"
        ],
        "{}",
        r.both()
    );
    assert!(
        changes
            .iter()
            .all(|c| ["breaking", "compatible"].contains(&class(c).as_str())),
        "{}",
        r.both()
    );
    let tag = changes
        .iter()
        .find(|c| c["item"] == "Tag.ACCOUNT_UPDATE")
        .expect("the refused tag is a change");
    assert_eq!(
        *tag,
        serde_json::json!({
            "class": "breaking",
            "change": "changed",
            "subject": "tag",
            "item": "Tag.ACCOUNT_UPDATE",
            "detail": "refused since 2026-04-27; use a utility message (messaging_type UTILITY with an approved template)",
        })
    );
    let r = run(["diff", old, new, "--format", "json", "--fail-on-breaking"]);
    assert_eq!(r.code, 3, "{}", r.both());
    assert_eq!(json_changes(&r), changes);
    // Backwards in time the refusals lie ahead: upcoming, and not breaking.
    let r = run(["diff", new, old, "--format", "json", "--fail-on-breaking"]);
    let back = json_changes(&r);
    let upcoming: Vec<&serde_json::Value> =
        back.iter().filter(|c| class(c) == "upcoming").collect();
    assert_eq!(upcoming.len(), 3, "{}", r.both());
    assert!(
        upcoming
            .iter()
            .all(|c| c["subject"] == "tag" && c["change"] == "changed"),
        "{}",
        r.both()
    );
    // No change: an empty array.
    let r = run(["diff", "v26.0", "latest", "--format", "json"]);
    assert_eq!((r.code, r.stdout.trim()), (0, "[]"), "{}", r.both());
}

#[test]
fn diff_reports_a_refusal_after_as_of_as_upcoming_not_breaking() {
    let s = Scratch::new("upcoming");
    let new = upcoming_refusal(&s);
    let r = run([
        "diff",
        "v26.0",
        p(&new),
        "--format",
        "json",
        "--fail-on-breaking",
    ]);
    assert_eq!(
        r.code,
        0,
        "an upcoming change is not breaking yet: {}",
        r.both()
    );
    assert_eq!(
        json_changes(&r),
        vec![serde_json::json!({
            "class": "upcoming",
            "change": "changed",
            "subject": "tag",
            "item": "Tag.HUMAN_AGENT",
            "detail": "will be refused from 2027-01-01; use a utility message",
        })]
    );
    let r = run(["diff", "v26.0", p(&new)]);
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(
        r.stdout,
        "v26.0 -> v26.0: 1 change, 0 breaking\nupcoming     changed  tag        Tag.HUMAN_AGENT: will be refused from 2027-01-01; use a utility message\n"
    );
    let r = run(["diff", "v26.0", p(&new), "--format", "yaml"]);
    assert_eq!(r.code, 2, "{}", r.both());
}

// ---------------------------------------------------------------------------
// spec check
// ---------------------------------------------------------------------------

#[test]
fn spec_check_bundled_files_exit_0() {
    for name in ["v21.0.toml", "v26.0.toml"] {
        let r = run(["spec", "check", p(&spec_file(name))]);
        assert_eq!(r.code, 0, "{name}: {}", r.both());
        assert!(r.stdout.contains("ok"), "{name}: {}", r.both());
    }
}

#[test]
fn spec_check_lint_error_exits_1() {
    let s = Scratch::new("lint");
    let text = std::fs::read_to_string(spec_file("v26.0.toml")).expect("v26.0 is readable");
    let from = "on = \"GameMetadata\"";
    assert_eq!(
        text.matches(from).count(),
        1,
        "the edit must be unambiguous"
    );
    let broken = s.file("lint.toml", text.replace(from, "on = \"GameMetadatta\""));
    let r = run(["spec", "check", p(&broken)]);
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(r.stderr.contains("GameMetadatta"), "{}", r.both());
    assert!(
        r.stderr.contains("lint.toml:"),
        "the problem has a position: {}",
        r.both()
    );
}

#[test]
fn spec_check_unparsable_or_unreadable_exits_2() {
    let s = Scratch::new("check");
    let cases = [
        s.file("syntax.toml", "format = [[["),
        s.file("shape.toml", "format = 1\n"),
        s.file("bytes.toml", [0xff, 0xfe, 0xfd]),
        s.0.join("missing.toml"),
    ];
    for path in &cases {
        let r = run(["spec", "check", p(path)]);
        assert_eq!(r.code, 2, "{}: {}", path.display(), r.both());
        assert!(!r.stderr.is_empty(), "{}", path.display());
    }
    let r = run(["spec", "check"]);
    assert_eq!(r.code, 2, "{}", r.both());
}

// ---------------------------------------------------------------------------
// help
// ---------------------------------------------------------------------------

#[test]
fn help_works_on_every_command() {
    let cases: [&[&str]; 8] = [
        &["--help"],
        &["-h"],
        &["help"],
        &["validate", "--help"],
        &["diff", "--help"],
        &["spec", "--help"],
        &["spec", "check", "--help"],
        &["help", "validate"],
    ];
    for args in cases {
        let r = run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.both());
        assert!(r.stdout.contains("Usage:"), "{args:?}: {}", r.both());
    }
    let r = run(["validate", "--help"]);
    for flag in ["--spec", "--platform", "--format"] {
        assert!(r.stdout.contains(flag), "{flag}: {}", r.both());
    }
    assert!(r.stdout.contains("2 wins over 1"), "{}", r.both());
    let r = run(["diff", "--help"]);
    assert!(r.stdout.contains("--fail-on-breaking"), "{}", r.both());
    assert!(r.stdout.contains("--format"), "{}", r.both());
    let r = run(["--version"]);
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(r.stdout.starts_with("sendapi "), "{}", r.both());
}
