//! `sendapi broadcast` as a process against the emulator, run in this
//! process on 127.0.0.1 (DESIGN.md, "CLI additions"): one message per
//! distinct PSID, refusals listed, the state file (rerun, torn line, header,
//! lock, unknown never resent) and a broadcast killed mid-run then rerun.

use std::collections::HashMap;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sendapi_emulator::{Emulator, EmulatorConfig, Faults, RunningEmulator};
use sendapi_tests::redis::RedisServer;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_sendapi");
const TOKEN: &str = "EAAB-broadcast-test-token-Zr41";
const SECRET: &str = "broadcast-test-app-secret-8Kd";
const PAGE: &str = "1122334455";
/// How long a test waits for something it expects before failing; a guard
/// against a hang, not a measurement.
const PATIENCE: Duration = Duration::from_secs(120);

/// The emulator on a free loopback port, served by its own runtime while
/// the test waits on processes.
struct Emu {
    running: Option<RunningEmulator>,
    runtime: tokio::runtime::Runtime,
}

impl Emu {
    fn start(config: EmulatorConfig) -> Emu {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        let config = config.token(TOKEN).app_secret(SECRET);
        let running = runtime
            .block_on(Emulator::start(
                config,
                "127.0.0.1:0".parse().expect("addr"),
            ))
            .expect("the emulator starts");
        Emu {
            running: Some(running),
            runtime,
        }
    }

    fn emulator(&self) -> &RunningEmulator {
        self.running.as_ref().expect("running")
    }

    fn base(&self) -> String {
        self.emulator().base_url()
    }

    /// How many accepted messages each PSID got.
    fn messages_per_psid(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for request in self.emulator().requests() {
            assert_eq!(request.endpoint, "messages");
            assert_eq!(request.page_id, PAGE);
            let psid = request.body["recipient"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("a recipient id in {}", request.body))
                .to_string();
            *counts.entry(psid).or_insert(0) += 1;
        }
        counts
    }
}

impl Drop for Emu {
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            let _ = self.runtime.block_on(running.shutdown());
        }
    }
}

/// A fresh directory for one test's files, removed when dropped.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "sendapi-broadcast-{}-{name}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    Scratch(dir)
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("file written");
}

fn psids(from: u64, count: u64) -> Vec<String> {
    (from..from + count).map(|n| n.to_string()).collect()
}

fn psid_file(dir: &Path, psids: &[String]) -> PathBuf {
    let path = dir.join("to.txt");
    write(&path, &(psids.join("\n") + "\n"));
    path
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The summary's first line, as numbers.
    fn counts(&self) -> (u64, u64, u64, u64, u64) {
        let line = self
            .stdout
            .lines()
            .find(|l| l.starts_with("sent "))
            .unwrap_or_else(|| panic!("no summary in {}\n{}", self.stdout, self.stderr));
        let n: Vec<u64> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().expect("a count"))
            .collect();
        assert_eq!(n.len(), 5, "{line}");
        (n[0], n[1], n[2], n[3], n[4])
    }

    /// The PSIDs listed under the heading that starts with `title`.
    fn listed(&self, title: &str) -> Vec<String> {
        let mut lines = self.stdout.lines().skip_while(|l| !l.starts_with(title));
        if lines.next().is_none() {
            return Vec::new();
        }
        lines
            .take_while(|l| l.starts_with("  "))
            .filter_map(|l| l.trim().split(':').next().map(str::to_string))
            .collect()
    }
}

fn finish(out: Output) -> Run {
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    // Whatever happened, the secrets never show.
    for secret in [TOKEN, SECRET] {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "a secret was printed:\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
    run
}

/// `sendapi broadcast` for the test page, credentials in the environment.
fn command(base: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("broadcast")
        .args(["--page-id", PAGE, "--base-url", base])
        .args(args)
        .env("SENDAPI_PAGE_TOKEN", TOKEN)
        .env("SENDAPI_APP_SECRET", SECRET)
        .env_remove("SENDAPI_BASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn broadcast(base: &str, args: &[&str]) -> Run {
    finish(command(base, args).output().expect("the binary runs"))
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// The state file's records after the header, as JSON.
fn records(state: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(state).expect("the state file");
    text.lines()
        .skip(1)
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn each_psid_gets_the_message_once() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("happy");
    let all = psids(6_047_783_085_279_200, 40);
    let to = psid_file(&dir, &all);
    let run = broadcast(
        &emu.base(),
        &["--to", arg(&to), "--text", "Doors open at 9."],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.counts(), (40, 0, 0, 0, 0));
    let got = emu.messages_per_psid();
    assert_eq!(got.len(), 40);
    assert!(all.iter().all(|p| got.get(p) == Some(&1)), "{got:?}");
    for request in emu.emulator().requests() {
        assert_eq!(request.body["messaging_type"], "UPDATE");
        assert_eq!(request.body["message"]["text"], "Doors open at 9.");
    }
}

#[test]
fn a_repeated_psid_is_sent_once_and_comments_are_skipped() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("dupes");
    let to = dir.join("to.txt");
    write(&to, "# the list\n111\n  222  \n\n111\n333\n# 444\n222\n");
    let run = broadcast(&emu.base(), &["--to", arg(&to), "--text", "hi"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.counts(), (3, 0, 0, 0, 0));
    let got = emu.messages_per_psid();
    let want: HashMap<String, usize> = [("111", 1), ("222", 1), ("333", 1)]
        .into_iter()
        .map(|(p, n)| (p.to_string(), n))
        .collect();
    assert_eq!(got, want);
    // First occurrence order.
    let order: Vec<String> = emu
        .emulator()
        .requests()
        .iter()
        .map(|r| r.body["recipient"]["id"].as_str().unwrap_or("").to_string())
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(sorted, ["111", "222", "333"]);
}

#[test]
fn a_line_that_is_not_a_psid_is_a_usage_error_and_nothing_is_sent() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("notapsid");
    let to = dir.join("to.txt");
    for bad in ["123,Alice", "12 34", "https://x/1"] {
        write(&to, &format!("111\n# ok\n{bad}\n222\n"));
        let run = broadcast(&emu.base(), &["--to", arg(&to), "--text", "hi"]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert!(
            run.stderr.contains(":3:"),
            "the line number: {}",
            run.stderr
        );
    }
    write(&to, "# nobody\n\n");
    let run = broadcast(&emu.base(), &["--to", arg(&to), "--text", "hi"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no PSID"), "{}", run.stderr);
    assert!(emu.emulator().requests().is_empty());
}

#[test]
fn usage_errors_exit_2() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("usage");
    let to = psid_file(&dir, &psids(1, 2));
    let body = dir.join("body.json");
    write(
        &body,
        r#"{"messaging_type":"UPDATE","message":{"text":"x"}}"#,
    );
    let missing = dir.join("missing.txt");
    let cases: Vec<Vec<&str>> = vec![
        vec!["--to", arg(&to)],
        vec!["--to", arg(&to), "--text", "x", "--body", arg(&body)],
        vec!["--to", arg(&missing), "--text", "x"],
        vec!["--to", arg(&to), "--body", arg(&missing)],
        vec!["--to", arg(&to), "--text", "x", "--concurrency", "0"],
        vec![
            "--to",
            arg(&to),
            "--text",
            "x",
            "--redis",
            "http://127.0.0.1:6379",
        ],
    ];
    for args in cases {
        let run = broadcast(&emu.base(), &args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
    }
    // No token, and not a dry run.
    let out = command(&emu.base(), &["--to", arg(&to), "--text", "x"])
        .env_remove("SENDAPI_PAGE_TOKEN")
        .output()
        .expect("runs");
    let run = finish(out);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("SENDAPI_PAGE_TOKEN"), "{}", run.stderr);
    assert!(emu.emulator().requests().is_empty());
}

#[test]
fn refused_psids_are_listed_not_resent_and_exit_1() {
    // Outside the messaging window Graph refuses UPDATE: only the people
    // who wrote to the page can get it.
    let emu = Emu::start(EmulatorConfig::new().enforce_window(true));
    for psid in ["501", "503"] {
        emu.emulator().person(psid).says("hello").expect("writes");
    }
    let dir = scratch("refused");
    let to = psid_file(&dir, &psids(501, 4));
    let state = dir.join("state.jsonl");
    let args = ["--to", arg(&to), "--text", "hi", "--state", arg(&state)];
    let run = broadcast(&emu.base(), &args);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.counts(), (2, 2, 0, 0, 0));
    let mut refused = run.listed("refused");
    refused.sort();
    assert_eq!(refused, ["502", "504"], "{}", run.stdout);
    assert!(
        run.stdout.contains("2018278") || run.stdout.contains("2534022"),
        "{}",
        run.stdout
    );
    let got = emu.messages_per_psid();
    assert_eq!(got.len(), 2);
    assert_eq!((got.get("501"), got.get("503")), (Some(&1), Some(&1)));
    // A rerun sends nothing: the sent are skipped, the refused stay refused.
    let run = broadcast(&emu.base(), &args);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.counts(), (0, 2, 0, 0, 2));
    assert!(run.stdout.contains("from an earlier run"), "{}", run.stdout);
    assert_eq!(emu.messages_per_psid(), got);
}

#[test]
fn a_body_the_spec_refuses_is_exit_1_and_nothing_is_sent() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("badbody");
    let to = psid_file(&dir, &psids(1, 3));
    let body = dir.join("body.json");
    write(
        &body,
        r#"{"recipient":{"id":"0"},"messaging_type":"UPDATE","message":{"text":"x"},"sender_action":"typing_on"}"#,
    );
    let run = broadcast(&emu.base(), &["--to", arg(&to), "--body", arg(&body)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("nothing was sent"), "{}", run.stderr);
    assert!(emu.emulator().requests().is_empty());
}

#[test]
fn a_body_file_gets_each_psid_as_its_recipient() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("body");
    let to = psid_file(&dir, &psids(71, 3));
    let body = dir.join("body.json");
    write(
        &body,
        r#"{"recipient":{"user_ref":"stale"},"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT","message":{"text":"Your card expires soon."}}"#,
    );
    let run = broadcast(&emu.base(), &["--to", arg(&to), "--body", arg(&body)]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let requests = emu.emulator().requests();
    assert_eq!(requests.len(), 3);
    for r in &requests {
        assert!(r.body["recipient"]["id"].is_string(), "{}", r.body);
        assert!(r.body["recipient"].get("user_ref").is_none(), "{}", r.body);
        assert_eq!(r.body["tag"], "HUMAN_AGENT");
    }
}

/// Regression: the in-process budget once granted a window's worth of
/// audio calls at once; with eight in flight, arrival jitter at the
/// window's edge drew 613 answers. Evenly spaced, none.
#[test]
fn an_audio_broadcast_on_the_local_budget_draws_no_613() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("audio");
    let to = psid_file(&dir, &psids(500, 24));
    let body = dir.join("audio.json");
    write(
        &body,
        r#"{"recipient":{"id":"0"},"messaging_type":"UPDATE","message":{"attachment":{"type":"audio","payload":{"url":"https://cdn.example.org/jingle.mp3"}}}}"#,
    );
    let run = broadcast(
        &emu.base(),
        &["--to", arg(&to), "--body", arg(&body), "--concurrency", "8"],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.counts(), (24, 0, 0, 0, 0));
    let stats = emu.emulator().stats();
    assert_eq!((stats.accepted, stats.rate_limited), (24, 0), "{stats:?}");
}

#[test]
fn dry_run_counts_and_sends_nothing() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("dry");
    let to = dir.join("to.txt");
    write(&to, "1\n2\n2\n3\n");
    let out = command(
        &emu.base(),
        &["--to", arg(&to), "--text", "hi", "--dry-run"],
    )
    .env_remove("SENDAPI_PAGE_TOKEN")
    .output()
    .expect("runs");
    let run = finish(out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("3 distinct PSIDs"), "{}", run.stdout);
    assert!(run.stdout.contains("would send 3"), "{}", run.stdout);
    // With a state file of an earlier run: what is done is counted.
    let state = dir.join("state.jsonl");
    let two = dir.join("two.txt");
    write(&two, "1\n2\n");
    let run = broadcast(
        &emu.base(),
        &["--to", arg(&two), "--text", "hi", "--state", arg(&state)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    emu.emulator().clear_requests();
    let run = broadcast(
        &emu.base(),
        &[
            "--to",
            arg(&to),
            "--text",
            "hi",
            "--state",
            arg(&state),
            "--dry-run",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("2 already sent"), "{}", run.stdout);
    assert!(run.stdout.contains("would send 1"), "{}", run.stdout);
    assert!(emu.emulator().requests().is_empty());
}

#[test]
fn a_rerun_skips_the_psids_already_sent() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("rerun");
    let state = dir.join("state.jsonl");
    let first = psid_file(&dir, &psids(9000, 5));
    let run = broadcast(
        &emu.base(),
        &["--to", arg(&first), "--text", "hi", "--state", arg(&state)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let more = dir.join("more.txt");
    write(&more, &(psids(9000, 8).join("\n") + "\n"));
    let run = broadcast(
        &emu.base(),
        &["--to", arg(&more), "--text", "hi", "--state", arg(&state)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.counts(), (3, 0, 0, 0, 5));
    let got = emu.messages_per_psid();
    assert_eq!(got.len(), 8);
    assert!(got.values().all(|n| *n == 1), "{got:?}");
    // The state file: a header, then attempted and sent for each PSID.
    let recs = records(&state);
    assert_eq!(recs.len(), 16);
    for psid in psids(9000, 8) {
        let states: Vec<&str> = recs
            .iter()
            .filter(|r| r["psid"] == psid.as_str())
            .map(|r| r["state"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(states, ["attempted", "sent"], "{psid}");
        let sent = recs
            .iter()
            .find(|r| r["psid"] == psid.as_str() && r["state"] == "sent")
            .expect("a sent record");
        assert!(
            sent["mid"].as_str().is_some_and(|m| m.starts_with("m_")),
            "{sent}"
        );
    }
}

#[test]
fn a_torn_last_line_is_dropped_with_a_warning() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("torn");
    let state = dir.join("state.jsonl");
    let to = psid_file(&dir, &psids(70, 3));
    let args = ["--to", arg(&to), "--text", "hi", "--state", arg(&state)];
    let run = broadcast(&emu.base(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A crash while writing an attempted record of a fourth PSID.
    let mut f = OpenOptions::new().append(true).open(&state).expect("opens");
    f.write_all(br#"{"psid":"73","sta"#).expect("written");
    drop(f);
    let to = psid_file(&dir, &psids(70, 4));
    let args = ["--to", arg(&to), "--text", "hi", "--state", arg(&state)];
    let run = broadcast(&emu.base(), &args);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("torn"), "{}", run.stderr);
    assert_eq!(run.counts(), (1, 0, 0, 0, 3));
    let got = emu.messages_per_psid();
    assert_eq!(got.len(), 4);
    assert!(got.values().all(|n| *n == 1), "{got:?}");
    // Every line of the file reads again.
    assert_eq!(records(&state).len(), 8);
    // A damaged line that is not the last is refused, with its number.
    let text = std::fs::read_to_string(&state).expect("reads");
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(2, "{garbage");
    write(&state, &(lines.join("\n") + "\n"));
    let run = broadcast(&emu.base(), &args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(":3:"), "{}", run.stderr);
    assert_eq!(emu.messages_per_psid(), got);
    // A file that is not a state file, one line without a newline, is not
    // taken for a torn header (and truncated).
    write(&state, "6047783085279281");
    let run = broadcast(&emu.base(), &args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not a state file"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(&state).expect("reads"),
        "6047783085279281"
    );
}

#[test]
fn a_state_file_of_another_broadcast_is_refused() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("header");
    let state = dir.join("state.jsonl");
    let to = psid_file(&dir, &psids(80, 2));
    let run = broadcast(
        &emu.base(),
        &["--to", arg(&to), "--text", "hi", "--state", arg(&state)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = broadcast(
        &emu.base(),
        &["--to", arg(&to), "--text", "bye", "--state", arg(&state)],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("another message"), "{}", run.stderr);
    let out = Command::new(BIN)
        .arg("broadcast")
        .args(["--page-id", "999", "--base-url", &emu.base()])
        .args(["--to", arg(&to), "--text", "hi", "--state", arg(&state)])
        .env("SENDAPI_PAGE_TOKEN", TOKEN)
        .output()
        .expect("runs");
    let run = finish(out);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("page"), "{}", run.stderr);
    assert_eq!(emu.emulator().requests().len(), 2);
}

#[test]
fn a_state_file_in_use_is_refused() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("lock");
    let state = dir.join("state.jsonl");
    let to = psid_file(&dir, &psids(90, 2));
    let held = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&state)
        .expect("opens");
    held.try_lock().expect("the test takes the lock");
    let run = broadcast(
        &emu.base(),
        &["--to", arg(&to), "--text", "hi", "--state", arg(&state)],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("in use by another broadcast"),
        "{}",
        run.stderr
    );
    assert!(emu.emulator().requests().is_empty());
    drop(held);
    let run = broadcast(
        &emu.base(),
        &["--to", arg(&to), "--text", "hi", "--state", arg(&state)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn an_unknown_outcome_is_never_resent() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("unknown");
    let state = dir.join("state.jsonl");
    // The header comes from a run to the first PSID.
    let to = psid_file(&dir, &psids(100, 1));
    let args = ["--to", arg(&to), "--text", "hi", "--state", arg(&state)];
    assert_eq!(broadcast(&emu.base(), &args).code, 0);
    // By hand: 101 was attempted and the run died before its answer; 102's
    // answer was unknown; 103 failed for certain.
    let mut f = OpenOptions::new().append(true).open(&state).expect("opens");
    writeln!(f, r#"{{"psid":"101","state":"attempted"}}"#).expect("written");
    writeln!(f, r#"{{"psid":"102","state":"attempted"}}"#).expect("written");
    writeln!(
        f,
        r#"{{"psid":"102","state":"unknown","error":"timed out"}}"#
    )
    .expect("written");
    writeln!(f, r#"{{"psid":"103","state":"attempted"}}"#).expect("written");
    writeln!(
        f,
        r#"{{"psid":"103","state":"failed","error":"connection refused"}}"#
    )
    .expect("written");
    drop(f);
    let to = psid_file(&dir, &psids(100, 5));
    let args = ["--to", arg(&to), "--text", "hi", "--state", arg(&state)];
    let run = broadcast(&emu.base(), &args);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.counts(), (2, 0, 0, 2, 1));
    let mut unknown =
        run.listed("unknown (the message may have reached the user: not resent; decide by hand)");
    unknown.sort();
    assert_eq!(unknown, ["101", "102"], "{}", run.stdout);
    let got = emu.messages_per_psid();
    assert_eq!(got.get("101"), None);
    assert_eq!(got.get("102"), None);
    assert_eq!((got.get("103"), got.get("104")), (Some(&1), Some(&1)));
}

#[test]
fn a_5xx_without_a_graph_error_is_unknown_and_not_resent() {
    let emu = Emu::start(EmulatorConfig::new().faults(Faults::none().fail_5xx(502, 1)));
    let dir = scratch("fault");
    let state = dir.join("state.jsonl");
    let to = psid_file(&dir, &psids(200, 4));
    let args = [
        "--to",
        arg(&to),
        "--text",
        "hi",
        "--state",
        arg(&state),
        "--concurrency",
        "1",
    ];
    let run = broadcast(&emu.base(), &args);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.counts(), (3, 0, 0, 1, 0));
    assert_eq!(run.listed("unknown"), ["200"], "{}", run.stdout);
    let run = broadcast(&emu.base(), &args);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.counts(), (0, 0, 0, 1, 3));
    let got = emu.messages_per_psid();
    assert_eq!(got.len(), 3);
    assert_eq!(got.get("200"), None);
}

/// Outcome records in the state file so far.
fn outcomes(state: &Path) -> usize {
    std::fs::read_to_string(state)
        .map(|t| {
            t.lines()
                .filter(|l| l.contains(r#""state":"sent""#))
                .count()
        })
        .unwrap_or(0)
}

fn kill(child: &mut Child) {
    child.kill().expect("SIGKILL");
    let _ = child.wait();
}

#[test]
fn a_broadcast_killed_mid_run_and_rerun_sends_each_psid_at_most_once() {
    // Paced twice: by the answers' latency with 8 in flight, and by the
    // page's 300-a-second class (less the headroom) once the first window
    // fills. When the kill comes, sends are in flight.
    let faults = Faults::none().latency(Duration::from_millis(20));
    let emu = Emu::start(EmulatorConfig::new().faults(faults));
    let dir = scratch("kill");
    let state = dir.join("state.jsonl");
    let all = psids(4_000_000_000, 400);
    let to = psid_file(&dir, &all);
    let args = [
        "--to",
        arg(&to),
        "--text",
        "Sale ends tonight.",
        "--state",
        arg(&state),
    ];
    let mut child = command(&emu.base(), &args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let start = Instant::now();
    while outcomes(&state) < 25 {
        assert!(start.elapsed() < PATIENCE, "no progress in the state file");
        if let Some(status) = child.try_wait().expect("waits") {
            panic!("the broadcast ended before it was killed: {status}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    kill(&mut child);
    let before = emu.messages_per_psid();
    assert!(before.len() < all.len(), "killed after the end");
    // The PSIDs the killed run left `attempted`: their requests may have
    // arrived. (A torn last line, which the rerun drops, is skipped here.)
    let text = std::fs::read_to_string(&state).expect("the state file");
    let mut last: HashMap<String, String> = HashMap::new();
    for line in text.lines().skip(1) {
        if let Ok(r) = serde_json::from_str::<Value>(line) {
            let psid = r["psid"].as_str().unwrap_or_default().to_string();
            last.insert(psid, r["state"].as_str().unwrap_or_default().to_string());
        }
    }
    let mut pending: Vec<String> = last
        .iter()
        .filter(|(_, s)| *s == "attempted")
        .map(|(p, _)| p.clone())
        .collect();
    pending.sort();
    eprintln!(
        "killed after {} accepted sends, {} PSIDs left attempted",
        before.len(),
        pending.len()
    );
    // Not an assertion: the emulator's 1-second window of the killed run
    // passes, so that the rerun starts with the page's whole budget.
    std::thread::sleep(Duration::from_millis(1500));
    let run = broadcast(&emu.base(), &args);
    let unknown =
        run.listed("unknown (the message may have reached the user: not resent; decide by hand)");
    let mut listed = unknown.clone();
    listed.sort();
    assert_eq!(listed, pending, "{}", run.stdout);
    assert!(
        unknown.len() <= 8,
        "at most --concurrency in flight: {}",
        run.stdout
    );
    assert_eq!(
        run.code,
        i32::from(!unknown.is_empty()),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    let (sent, refused, failed, unknown_count, skipped) = run.counts();
    assert_eq!((refused, failed), (0, 0), "{}", run.stdout);
    assert_eq!(unknown_count as usize, unknown.len());
    assert_eq!(
        sent + unknown_count + skipped,
        all.len() as u64,
        "{}",
        run.stdout
    );
    let got = emu.messages_per_psid();
    for psid in &all {
        let n = got.get(psid).copied().unwrap_or(0);
        if unknown.contains(psid) {
            assert!(n <= 1, "{psid} got {n} messages");
        } else {
            assert_eq!(n, 1, "{psid} got {n} messages");
        }
    }
    assert!(got.keys().all(|p| all.contains(p)));
}

/// Outcome records and attempted records per PSID in the state file.
fn per_psid(state: &Path) -> HashMap<String, Vec<String>> {
    let mut all: HashMap<String, Vec<String>> = HashMap::new();
    for r in records(state) {
        let psid = r["psid"].as_str().unwrap_or_default().to_string();
        let s = r["state"].as_str().unwrap_or_default().to_string();
        all.entry(psid).or_default().push(s);
    }
    all
}

#[test]
fn sigterm_stops_new_sends_and_records_those_in_flight() {
    // Each answer takes a while: when the signal comes, sends are in flight.
    let faults = Faults::none().latency(Duration::from_millis(100));
    let emu = Emu::start(EmulatorConfig::new().faults(faults));
    let dir = scratch("sigterm");
    let state = dir.join("state.jsonl");
    let all = psids(300, 200);
    let to = psid_file(&dir, &all);
    let args = ["--to", arg(&to), "--text", "hi", "--state", arg(&state)];
    let child = command(&emu.base(), &args).spawn().expect("starts");
    let start = Instant::now();
    while outcomes(&state) < 10 {
        assert!(start.elapsed() < PATIENCE, "no progress in the state file");
        std::thread::sleep(Duration::from_millis(20));
    }
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "kill -TERM works");
    let run = finish(child.wait_with_output().expect("exits"));
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("interrupted: "), "{}", run.stdout);
    let (sent, refused, failed, unknown, _) = run.counts();
    assert_eq!((refused, failed, unknown), (0, 0, 0), "{}", run.stdout);
    assert!(sent < 200, "{}", run.stdout);
    // Every send that started also ended in the file.
    for (psid, states) in per_psid(&state) {
        assert_eq!(states, ["attempted", "sent"], "{psid}");
    }
    assert_eq!(emu.messages_per_psid().len() as u64, sent);
    // The rerun sends the rest, each once.
    let run = broadcast(&emu.base(), &args);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let got = emu.messages_per_psid();
    assert!(all.iter().all(|p| got.get(p) == Some(&1)), "{got:?}");
}

#[test]
fn a_token_graph_refuses_stops_the_broadcast_and_a_rerun_sends_everything() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("token");
    let state = dir.join("state.jsonl");
    let all = psids(600, 40);
    let to = psid_file(&dir, &all);
    let args = ["--to", arg(&to), "--text", "hi", "--state", arg(&state)];
    let wrong = "EAAB-expired-token-Qx93";
    let out = command(&emu.base(), &args)
        .env("SENDAPI_PAGE_TOKEN", wrong)
        .output()
        .expect("runs");
    let run = finish(out);
    assert!(!run.stdout.contains(wrong) && !run.stderr.contains(wrong));
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("stopped: "), "{}", run.stdout);
    let (sent, refused, failed, _, _) = run.counts();
    assert_eq!((sent, refused), (0, 0), "{}", run.stdout);
    assert!((1..40).contains(&failed), "stops early: {}", run.stdout);
    assert!(emu.emulator().requests().is_empty());
    // Failed for certain: the rerun with the right token sends them too.
    let run = broadcast(&emu.base(), &args);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.counts(), (40, 0, 0, 0, 0));
    let got = emu.messages_per_psid();
    assert!(all.iter().all(|p| got.get(p) == Some(&1)), "{got:?}");
}

/// The password of the tests' Redis, which must never be printed.
const REDIS_PASSWORD: &str = "broadcast-redis-pw-4Tg";

/// A `redis-server` with [`REDIS_PASSWORD`] on a free loopback port;
/// `None` (after saying so) when it is not installed, outside CI.
fn redis() -> Option<RedisServer> {
    RedisServer::start_with_password(Some(REDIS_PASSWORD))
}

/// Starts three broadcasts of 400 distinct PSIDs each, at once.
fn three_broadcasts(emu: &Emu, dir: &Path, extra: &[&str]) -> Vec<Child> {
    (0..3u64)
        .map(|i| {
            let to = dir.join(format!("to{i}.txt"));
            write(&to, &(psids(10_000 + i * 1000, 400).join("\n") + "\n"));
            let mut args = vec!["--to", arg(&to), "--text", "We open at 9 tomorrow."];
            args.extend_from_slice(extra);
            command(&emu.base(), &args).spawn().expect("starts")
        })
        .collect()
}

#[test]
fn three_broadcasts_sharing_a_redis_budget_send_1200_without_a_613() {
    let Some(redis) = redis() else { return };
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("shared");
    let url = redis.url();
    let children = three_broadcasts(&emu, &dir, &["--redis", &url, "--redis-prefix", "shop-bot"]);
    for child in children {
        let run = finish(child.wait_with_output().expect("exits"));
        assert!(!run.stdout.contains(REDIS_PASSWORD) && !run.stderr.contains(REDIS_PASSWORD));
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
        assert_eq!(run.counts(), (400, 0, 0, 0, 0));
    }
    // Three processes, one budget: Graph's limit was never crossed.
    assert_eq!(emu.emulator().stats().rate_limited, 0);
    let got = emu.messages_per_psid();
    assert_eq!(got.len(), 1200);
    assert!(got.values().all(|n| *n == 1));
}

#[test]
fn three_broadcasts_without_a_shared_budget_cross_the_page_limit() {
    // Each process keeps its own count, so together they send three times
    // the page's rate: Graph (the emulator) answers 613. The client retries
    // those (a 613 proves nothing was delivered); no PSID gets two.
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("unshared");
    let mut children = three_broadcasts(&emu, &dir, &[]);
    let start = Instant::now();
    while emu.emulator().stats().rate_limited == 0 {
        assert!(start.elapsed() < PATIENCE, "no 613 answered");
        if children
            .iter_mut()
            .all(|c| c.try_wait().ok().flatten().is_some())
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    for child in &mut children {
        kill(child);
    }
    assert!(
        emu.emulator().stats().rate_limited > 0,
        "{:?}",
        emu.emulator().stats()
    );
    assert!(emu.messages_per_psid().values().all(|n| *n == 1));
}

#[test]
fn an_unreachable_redis_sends_nothing() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("noredis");
    let state = dir.join("state.jsonl");
    let to = psid_file(&dir, &psids(1, 3));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let url = format!("redis://:{REDIS_PASSWORD}@127.0.0.1:{port}/0");
    let args = [
        "--to",
        arg(&to),
        "--text",
        "hi",
        "--redis",
        &url,
        "--state",
        arg(&state),
    ];
    let run = broadcast(&emu.base(), &args);
    assert!(!run.stdout.contains(REDIS_PASSWORD) && !run.stderr.contains(REDIS_PASSWORD));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("nothing was sent"), "{}", run.stderr);
    assert!(emu.emulator().requests().is_empty());
    assert!(!state.exists(), "no state file is left");
}

#[test]
fn help_names_every_flag_of_the_contract() {
    let out = Command::new(BIN)
        .args(["broadcast", "--help"])
        .output()
        .expect("runs");
    let run = finish(out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for flag in [
        "--page-id",
        "--spec",
        "--base-url",
        "--to",
        "--text",
        "--body",
        "--messaging-type",
        "--tag",
        "--redis",
        "--redis-prefix",
        "--state",
        "--concurrency",
        "--dry-run",
    ] {
        assert!(run.stdout.contains(flag), "{flag}: {}", run.stdout);
    }
    assert!(run.stdout.contains("[default: UPDATE]"), "{}", run.stdout);
    assert!(run.stdout.contains("[default: 8]"), "{}", run.stdout);
    assert!(run.stdout.contains("[default: sendapi]"), "{}", run.stdout);
    let out = Command::new(BIN).arg("--help").output().expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("broadcast"));
}

#[test]
fn ten_unknown_outcomes_in_a_row_stop_the_broadcast() {
    // A server that answers 502 without Graph's error to everything looks
    // like a wrong --base-url: the run stops instead of marking every PSID
    // unknown (never to be sent again).
    let emu = Emu::start(EmulatorConfig::new().faults(Faults::none().fail_5xx(502, 10)));
    let dir = scratch("trouble");
    let state = dir.join("state.jsonl");
    let to = psid_file(&dir, &psids(1000, 40));
    let args = [
        "--to",
        arg(&to),
        "--text",
        "hi",
        "--state",
        arg(&state),
        "--concurrency",
        "1",
    ];
    let run = broadcast(&emu.base(), &args);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("stopped: 10 sends in a row"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("30 not attempted"), "{}", run.stdout);
    assert_eq!(run.counts(), (0, 0, 0, 10, 0));
    assert!(emu.emulator().requests().is_empty());
    // The rerun sends the 30 and lists the 10.
    let run = broadcast(&emu.base(), &args);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.counts(), (30, 0, 0, 10, 0));
    assert_eq!(emu.messages_per_psid().len(), 30);
}

#[test]
fn a_tag_brings_the_messaging_type_the_spec_requires() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("tag");
    let to = psid_file(&dir, &psids(31, 2));
    let run = broadcast(
        &emu.base(),
        &[
            "--to",
            arg(&to),
            "--text",
            "Sam here.",
            "--tag",
            "HUMAN_AGENT",
        ],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    for r in emu.emulator().requests() {
        assert_eq!(r.body["tag"], "HUMAN_AGENT");
        assert_eq!(r.body["messaging_type"], "MESSAGE_TAG");
    }
    // A tag the snapshot refuses: nothing is sent.
    let run = broadcast(
        &emu.base(),
        &["--to", arg(&to), "--text", "x", "--tag", "ACCOUNT_UPDATE"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(emu.emulator().requests().len(), 2);
}

#[test]
fn the_snapshot_chooses_the_graph_version() {
    let emu = Emu::start(EmulatorConfig::new());
    let dir = scratch("spec");
    let to = psid_file(&dir, &psids(41, 1));
    for (spec, version) in [("v21.0", "/v21.0/"), ("v26.0@2026-04-26", "/v26.0/")] {
        emu.emulator().clear_requests();
        let run = broadcast(
            &emu.base(),
            &["--to", arg(&to), "--text", "hi", "--spec", spec],
        );
        assert_eq!(run.code, 0, "{spec}: {}\n{}", run.stdout, run.stderr);
        let requests = emu.emulator().requests();
        assert_eq!(requests.len(), 1);
        assert!(
            requests[0].path.starts_with(version),
            "{spec}: {}",
            requests[0].path
        );
    }
}
