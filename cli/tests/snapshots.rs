//! Team snapshots through the binary: `spec new`, `spec check`, `spec
//! resolve`, and a delta or `NAME@DATE` wherever a spec is taken.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_sendapi");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sendapi runs");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin piped"), stdin.as_bytes())
        .expect("stdin written");
    let out = child.wait_with_output().expect("sendapi exits");
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A scratch folder, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("sendapi-snapshots-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir is writable");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

const HUMAN_AGENT: &str = r#"{"recipient":{"id":"1"},"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT","message":{"text":"x"}}"#;
const ACCOUNT_UPDATE: &str = r#"{"recipient":{"id":"1"},"messaging_type":"MESSAGE_TAG","tag":"ACCOUNT_UPDATE","message":{"text":"x"}}"#;

const CHANGES: &str = r#"
[types.Tag.values.HUMAN_AGENT]
refused_since = 2026-11-01
replacement = "a utility message"
"#;

/// `spec new`, then the team's change appended: the delta most tests use.
fn team_delta(s: &Scratch) -> PathBuf {
    let r = run(
        &s.0,
        &[
            "spec",
            "new",
            "v27.0",
            "--from",
            "v26.0",
            "--out",
            "v27.0.toml",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = s.0.join("v27.0.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("extends = \"v26.0\""), "{text}");
    text.push_str(CHANGES);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn spec_new_writes_a_delta_that_checks_and_refuses_to_overwrite() {
    let s = Scratch::new("new");
    let r = run(
        &s.0,
        &[
            "spec",
            "new",
            "v27.0",
            "--from",
            "latest",
            "--out",
            "v27.0.toml",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(s.0.join("v27.0.toml")).unwrap();
    // `latest` is written as the snapshot it stands for.
    assert!(text.contains("extends = \"v26.0\""), "{text}");
    assert!(
        text.contains("name = \"v27.0\"\ngraph_version = \"v27.0\""),
        "{text}"
    );
    let r = run(&s.0, &["spec", "check", "v27.0.toml"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("v27.0.toml: ok (v27.0 v27.0"),
        "{}",
        r.stdout
    );
    let r = run(
        &s.0,
        &[
            "spec",
            "new",
            "v27.0",
            "--from",
            "v26.0",
            "--out",
            "v27.0.toml",
        ],
        "",
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot write v27.0.toml"), "{}", r.stderr);
    let r = run(&s.0, &["spec", "new", "v27.0", "--from", "v99.0"], "");
    assert_eq!(r.code, 2);
}

#[test]
fn spec_new_from_a_path_extends_it_relative_to_the_new_file() {
    let s = Scratch::new("new-path");
    std::fs::create_dir_all(s.0.join("specs/team")).unwrap();
    let r = run(
        &s.0,
        &[
            "spec",
            "new",
            "v27.0",
            "--from",
            "v26.0",
            "--out",
            "specs/v27.0.toml",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(
        &s.0,
        &[
            "spec",
            "new",
            "team",
            "--from",
            "specs/v27.0.toml",
            "--out",
            "specs/team/team.toml",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(s.0.join("specs/team/team.toml")).unwrap();
    assert!(text.contains("extends = \"../v27.0.toml\""), "{text}");
    let r = run(&s.0, &["spec", "check", "specs/team/team.toml"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_delta_works_in_validate_and_diff_and_its_advice_warnings_are_printed() {
    let s = Scratch::new("validate");
    team_delta(&s);
    let r = run(
        &s.0,
        &["validate", "--spec", "v27.0.toml", "-"],
        HUMAN_AGENT,
    );
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("error[request.tag.refused_since] at /tag"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("warning: v26.0.toml:") && r.stderr.contains("recommends `HUMAN_AGENT`"),
        "{}",
        r.stderr
    );
    let r = run(&s.0, &["validate", "--spec", "v26.0", "-"], HUMAN_AGENT);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = run(&s.0, &["diff", "v26.0", "v27.0.toml"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("BREAKING     changed  tag        Tag.HUMAN_AGENT: refused since 2026-11-01"),
        "{}",
        r.stdout
    );
    let r = run(&s.0, &["spec", "check", "v27.0.toml"], "");
    assert_eq!(r.code, 0);
    assert!(
        r.stderr
            .contains("the fix of rule `request.tag.platform` recommends `HUMAN_AGENT`"),
        "{}",
        r.stderr
    );
}

#[test]
fn spec_resolve_prints_a_spec_that_loads_alone() {
    let s = Scratch::new("resolve");
    team_delta(&s);
    let r = run(&s.0, &["spec", "resolve", "v27.0.toml"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("extends ="));
    std::fs::write(s.0.join("flat.toml"), &r.stdout).unwrap();
    let r = run(&s.0, &["validate", "--spec", "flat.toml", "-"], HUMAN_AGENT);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let r = run(&s.0, &["diff", "v27.0.toml", "flat.toml"], "");
    assert!(r.stdout.contains(": 0 changes"), "{}", r.stdout);
    // Lint errors: 1; unreadable: 2.
    std::fs::write(s.0.join("bad.toml"), "format = 1\nextends = \"v26.0\"\n\n[snapshot]\nname = \"x\"\ngraph_version = \"v27.0\"\nas_of = 2026-11-23\n\n[remove]\nvalues = [\"Tag.NOPE\"]\n").unwrap();
    let r = run(&s.0, &["spec", "resolve", "bad.toml"], "");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("bad.toml:10:11: [remove] `values`"),
        "{}",
        r.stderr
    );
    let r = run(&s.0, &["spec", "resolve", "missing.toml"], "");
    assert_eq!(r.code, 2);
}

#[test]
fn name_at_date_evaluates_history() {
    let s = Scratch::new("dates");
    let r = run(
        &s.0,
        &["validate", "--spec", "v26.0@2026-04-26", "-"],
        ACCOUNT_UPDATE,
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = run(
        &s.0,
        &["validate", "--spec", "v26.0@2026-04-27", "-"],
        ACCOUNT_UPDATE,
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    let r = run(&s.0, &["diff", "v26.0@2024-10-02", "v26.0"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("v26.0@2024-10-02 -> v26.0:"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("Tag.ACCOUNT_UPDATE: refused since 2026-04-27"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Message.sticker_id"), "{}", r.stdout);
    let r = run(
        &s.0,
        &["validate", "--spec", "v26.0@2031-01-01", "-"],
        ACCOUNT_UPDATE,
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("knows nothing of later dates"),
        "{}",
        r.stderr
    );
}
