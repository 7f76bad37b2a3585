//! `sendapi send`, `sendapi emulate` and `sendapi demo` as processes
//! (DESIGN.md, "CLI"): ready line, exit codes, what reaches the server, and
//! that the token never shows.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_sendapi");
const TOKEN: &str = "EAAB-cli-test-token-7Hq2";
const SECRET: &str = "cli-test-app-secret-93xk";

/// `sendapi emulate` on a free port, stopped with SIGTERM on drop.
struct Emulate {
    child: Option<Child>,
    base: String,
}

impl Emulate {
    fn start(extra: &[&str]) -> Emulate {
        let mut child = Command::new(BIN)
            .args(["emulate", "--addr", "127.0.0.1:0", "--token", TOKEN])
            .args(["--app-secret", SECRET])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the ready line is readable");
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("expected `listening on http://ADDR`, got {line:?}"))
            .to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        assert!(!base.ends_with(":0"), "the real port is printed: {base}");
        Emulate {
            child: Some(child),
            base,
        }
    }

    /// Raw HTTP, so that the test does not depend on the client under test.
    fn get(&self, path: &str) -> Value {
        let addr = self.base.trim_start_matches("http://");
        let mut s = TcpStream::connect(addr).expect("the emulator accepts connections");
        s.set_read_timeout(Some(Duration::from_secs(10))).ok();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .expect("request written");
        let mut answer = String::new();
        s.read_to_string(&mut answer).expect("answer read");
        let body = answer
            .split_once("\r\n\r\n")
            .map(|(_, b)| b)
            .unwrap_or_default();
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {answer}"))
    }

    /// A raw JSON POST; the answer's body as JSON.
    fn post(&self, path: &str, body: &str) -> Value {
        let addr = self.base.trim_start_matches("http://");
        let mut s = TcpStream::connect(addr).expect("the emulator accepts connections");
        s.set_read_timeout(Some(Duration::from_secs(10))).ok();
        write!(
            s,
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("request written");
        let mut answer = String::new();
        s.read_to_string(&mut answer).expect("answer read");
        let body = answer
            .split_once("\r\n\r\n")
            .map(|(_, b)| b)
            .unwrap_or_default();
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {answer}"))
    }

    fn accepted(&self) -> Vec<Value> {
        match self.get("/__emulator/messages") {
            Value::Array(a) => a,
            other => panic!("expected an array, got {other}"),
        }
    }

    /// SIGTERM, then the exit status.
    fn stop(mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("running");
        terminate(&child);
        child.wait().expect("the emulator exits")
    }
}

fn terminate(child: &Child) {
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(ok, "kill -TERM works");
}

impl Drop for Emulate {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            terminate(&child);
            let _ = child.wait();
        }
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
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

/// `sendapi send` with the test credentials in the environment.
fn send(base: &str, args: &[&str], stdin: Option<&str>) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.arg("send")
        .args(["--page-id", "1122334455", "--base-url", base])
        .args(args)
        .env("SENDAPI_PAGE_TOKEN", TOKEN)
        .env("SENDAPI_APP_SECRET", SECRET)
        .env_remove("SENDAPI_BASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the binary starts");
    let mut input = child.stdin.take().expect("piped stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("stdin written");
    }
    drop(input);
    finish(child.wait_with_output().expect("the binary runs"))
}

#[test]
fn send_text_prints_the_answer_and_the_server_saw_one_request() {
    let emu = Emulate::start(&[]);
    let run = send(
        &emu.base,
        &["--to", "6047783085279281", "--text", "hi"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let answer: Value = serde_json::from_str(&run.stdout).expect("stdout is the answer JSON");
    assert_eq!(answer["recipient_id"], "6047783085279281");
    assert!(
        answer["message_id"]
            .as_str()
            .is_some_and(|m| m.starts_with("m_"))
    );
    let accepted = emu.accepted();
    assert_eq!(accepted.len(), 1, "{accepted:?}");
    let recorded = accepted[0].to_string();
    assert!(
        recorded.contains("RESPONSE") && recorded.contains("\"hi\""),
        "{recorded}"
    );
}

#[test]
fn send_body_from_stdin_with_a_tag() {
    let emu = Emulate::start(&[]);
    let body = r#"{"recipient":{"id":"7"},"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT","message":{"text":"Sam here."}}"#;
    let run = send(&emu.base, &["--body", "-"], Some(body));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = send(
        &emu.base,
        &["--to", "7", "--text", "again", "--tag", "HUMAN_AGENT"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(emu.accepted().len(), 2);
}

#[test]
fn an_invalid_body_is_refused_locally_and_nothing_is_sent() {
    let emu = Emulate::start(&[]);
    let body = r#"{"recipient":{"id":"7"},"messaging_type":"MESSAGE_TAG","tag":"ACCOUNT_UPDATE","message":{"text":"x"}}"#;
    let run = send(&emu.base, &["--body", "-"], Some(body));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("request.tag.refused_since"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("2026-04-27"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was sent"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(emu.accepted().is_empty());
    // v26.0 as of the day before the refusal passes it locally, and the
    // emulator (today's v26.0) refuses it with a Graph error.
    let run = send(
        &emu.base,
        &["--spec", "v26.0@2026-04-26", "--body", "-"],
        Some(body),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("code: 100"), "{}", run.stderr);
    assert!(run.stderr.contains("fbtrace_id: "), "{}", run.stderr);
}

#[test]
fn graph_errors_print_code_type_and_fbtrace_id() {
    let emu = Emulate::start(&[]);
    let mut cmd = Command::new(BIN);
    let out = cmd
        .args(["send", "--page-id", "1", "--base-url", &emu.base])
        .args(["--to", "7", "--text", "x"])
        .env("SENDAPI_PAGE_TOKEN", "EAAB-another-token-xyz")
        .env("SENDAPI_APP_SECRET", SECRET)
        .output()
        .expect("runs");
    let run = finish(out);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("code: 190"), "{}", run.stderr);
    assert!(
        run.stderr.contains("type: OAuthException"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("EAAB-another-token-xyz"),
        "{}",
        run.stderr
    );

    let out = Command::new(BIN)
        .args(["send", "--page-id", "1", "--base-url", &emu.base])
        .args(["--to", "7", "--text", "x"])
        .env("SENDAPI_PAGE_TOKEN", TOKEN)
        .env("SENDAPI_APP_SECRET", "a-wrong-secret")
        .output()
        .expect("runs");
    let run = finish(out);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("appsecret_proof"), "{}", run.stderr);
    assert!(
        run.stderr.contains("type: GraphMethodException"),
        "{}",
        run.stderr
    );
    // Code 100 of class never: certainly not delivered, and not worth a
    // retry (it used to read as if it might have been delivered).
    assert!(
        run.stderr
            .contains("  delivery: not delivered\n  retry: cannot help (class never)"),
        "{}",
        run.stderr
    );
    assert!(emu.accepted().is_empty());
}

#[test]
fn only_undelivered_failures_are_retried() {
    // A 500 with Graph's transient code 2: not processed, retried once.
    let emu = Emulate::start(&["--fail-5xx", "1"]);
    let run = send(&emu.base, &["--to", "7", "--text", "x"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("after 2 attempts"), "{}", run.stderr);
    assert_eq!(emu.accepted().len(), 1);
    // A dropped connection after the body left: maybe delivered, so never
    // sent again.
    let emu = Emulate::start(&["--drop", "1"]);
    let run = send(&emu.base, &["--to", "7", "--text", "x"], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("delivery: unknown"), "{}", run.stderr);
    let run = send(&emu.base, &["--to", "7", "--text", "y"], None);
    assert_eq!(run.code, 0, "the fault is used up: {}", run.stderr);
    assert_eq!(emu.accepted().len(), 1, "only the second send was accepted");
}

#[test]
fn nothing_listening_is_a_transport_error_that_sent_nothing() {
    let emu = Emulate::start(&[]);
    let base = emu.base.clone();
    assert!(emu.stop().success());
    let run = send(
        &base,
        &["--to", "7", "--text", "x", "--max-attempts", "2"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("delivery: not delivered"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("retry: can help (class retry)"),
        "{}",
        run.stderr
    );
}

#[test]
fn send_usage_errors_exit_2() {
    let emu = Emulate::start(&[]);
    // No token in the environment.
    let out = Command::new(BIN)
        .args(["send", "--page-id", "1", "--base-url", &emu.base])
        .args(["--to", "7", "--text", "x"])
        .env_remove("SENDAPI_PAGE_TOKEN")
        .output()
        .expect("runs");
    let run = finish(out);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("SENDAPI_PAGE_TOKEN"), "{}", run.stderr);
    // A body that does not parse, with its line and column.
    let run = send(&emu.base, &["--body", "-"], Some("{\n  \"recipient\": }"));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("line 2"), "{}", run.stderr);
    // An unreadable file, a missing body, both body forms at once.
    let run = send(&emu.base, &["--body", "/nonexistent/body.json"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = send(&emu.base, &[], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = send(
        &emu.base,
        &["--body", "-", "--to", "7", "--text", "x"],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(emu.accepted().is_empty());
}

#[test]
fn base_url_flag_wins_over_the_environment() {
    let emu = Emulate::start(&[]);
    let out = Command::new(BIN)
        .args(["send", "--page-id", "1", "--to", "7", "--text", "x"])
        .env("SENDAPI_PAGE_TOKEN", TOKEN)
        .env("SENDAPI_APP_SECRET", SECRET)
        .env("SENDAPI_BASE_URL", &emu.base)
        .output()
        .expect("runs");
    assert_eq!(finish(out).code, 0);
    let out = Command::new(BIN)
        .args(["send", "--page-id", "1", "--to", "7", "--text", "x"])
        .args(["--base-url", &emu.base, "--max-attempts", "1"])
        .env("SENDAPI_PAGE_TOKEN", TOKEN)
        .env("SENDAPI_APP_SECRET", SECRET)
        .env("SENDAPI_BASE_URL", "http://127.0.0.1:9")
        .output()
        .expect("runs");
    assert_eq!(finish(out).code, 0);
    assert_eq!(emu.accepted().len(), 2);
}

#[test]
fn emulate_exits_0_on_sigterm_and_2_on_usage_errors() {
    let emu = Emulate::start(&[]);
    assert_eq!(emu.stop().code(), Some(0));
    let out = Command::new(BIN)
        .args(["emulate", "--addr", "not-an-address"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(BIN)
        .args([
            "emulate",
            "--addr",
            "127.0.0.1:0",
            "--spec",
            "/nonexistent.toml",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn demo_tours_the_api_and_exits_0() {
    let out = Command::new(BIN).arg("demo").output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Part 1, the conversation: the person's webhook reaches the bot, which
    // answers; the tapped quick reply gets a booking; after a day the window
    // error, then a HUMAN_AGENT message that passes.
    let conversation = stdout.split("Part 2").next().unwrap_or_default();
    for expected in [
        "the handshake passed",
        "bot < webhook: message m_",
        "signature verified",
        "\"quick_replies\":[{\"content_type\":\"text\",\"title\":\"19:00\"",
        "taps \"19:30\" (payload BOOK_1930",
        "Booked: a table for two at 19:30",
        "Graph error 10/2018278 (OutsideWindowPolicy)",
        "\"messaging_type\":\"MESSAGE_TAG\",\"tag\":\"HUMAN_AGENT\"",
    ] {
        assert!(
            conversation.contains(expected),
            "missing {expected:?} in the conversation:\n{conversation}"
        );
    }
    assert_eq!(
        conversation.matches("< 200 OK  message_id: m_").count(),
        3,
        "two answers from the bot and the HUMAN_AGENT follow-up:\n{conversation}"
    );
    for expected in [
        "\"sender_action\":\"typing_on\"",
        "\"sender_action\":\"react\"",
        "\"tag\":\"HUMAN_AGENT\"",
        "\"quick_replies\"",
        "\"template_type\":\"button\"",
        "recipient_id: (none, as Meta answers)",
        "batch of 3",
        "item 3: message_id: m_",
        "message.text.max_len",
        "(the emulator received 0 requests for it)",
        "Graph error 100",
        "The emulator accepted 10 requests",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    assert!(stdout.matches("message_id: m_").count() >= 8, "{stdout}");
    assert!(!stdout.contains("DEMO_PAGE_TOKEN"), "{stdout}");
}

#[test]
fn a_closed_stdout_is_not_a_crash() {
    // `sendapi demo | head -1`: the reader goes away after the first line.
    let mut child = Command::new(BIN)
        .arg("demo")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the first line is readable");
    assert!(line.starts_with("sendapi demo"), "{line}");
    let out = child.wait_with_output().expect("the demo ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[test]
fn send_with_a_delta_spec_uses_the_deltas_graph_version() {
    let emu = Emulate::start(&[]);
    let dir = std::env::temp_dir().join(format!("sendapi-send-delta-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let delta = dir.join("v27.0.toml");
    std::fs::write(
        &delta,
        "format = 1\nextends = \"v26.0\"\n\n[snapshot]\nname = \"v27.0\"\ngraph_version = \"v27.0\"\nas_of = 2026-11-23\n",
    )
    .unwrap();
    let spec = delta.display().to_string();
    let run = send(
        &emu.base,
        &["--spec", &spec, "--to", "6047783085279281", "--text", "hi"],
        None,
    );
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let accepted = emu.accepted();
    assert_eq!(accepted.len(), 1);
    let path = accepted[0]["path"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", accepted[0]));
    assert_eq!(path, "/v27.0/1122334455/messages");
}

#[test]
fn send_refuses_plain_http_to_a_host_that_is_not_loopback() {
    // Nothing listens there and nothing is tried: the refusal comes first.
    let run = send(
        "http://graph.facebook.com",
        &["--to", "6047783085279281", "--text", "hi"],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("would travel in clear"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(TOKEN) && !run.stdout.contains(TOKEN));
}

/// One request a [`Hook`] received: the head (request line and headers,
/// lower-cased) and the raw body.
#[derive(Debug, Clone)]
struct Hit {
    head: String,
    body: Vec<u8>,
}

/// A webhook endpoint on a thread: answers the handshake with the
/// challenge and every POST with 200, one request per connection.
struct Hook {
    url: String,
    hits: std::sync::Arc<std::sync::Mutex<Vec<Hit>>>,
}

fn read_request(s: &mut TcpStream) -> Option<Hit> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = s.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = s.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(Hit {
        head,
        body: buf[head_end..].to_vec(),
    })
}

impl Hook {
    fn start() -> Hook {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let hits = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = std::sync::Arc::clone(&hits);
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut s) = conn else { continue };
                let Some(hit) = read_request(&mut s) else {
                    continue;
                };
                // The challenge, from `hub.challenge=...` in the request line.
                let answer = hit
                    .head
                    .split(['&', '?', ' '])
                    .find_map(|p| p.strip_prefix("hub.challenge="))
                    .unwrap_or("ok")
                    .to_string();
                seen.lock().unwrap().push(hit);
                let _ = write!(
                    s,
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                    answer.len()
                );
            }
        });
        Hook { url, hits }
    }

    /// Waits for `n` requests (a generous deadline, not a timing check).
    fn wait(&self, n: usize) -> Vec<Hit> {
        for _ in 0..1000 {
            let hits = self.hits.lock().unwrap().clone();
            if hits.len() >= n {
                return hits;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("expected {n} requests, got {:?}", self.hits.lock().unwrap());
    }
}

#[test]
fn emulate_plays_the_user_signs_webhooks_and_enforces_the_window() {
    let hook = Hook::start();
    let emu = Emulate::start(&[
        "--webhook-url",
        &hook.url,
        "--verify-token",
        "vt-123",
        "--page-id",
        "1122334455",
        "--enforce-window",
        "--echo",
        "--no-sha1",
    ]);
    // The handshake was made before the ready line.
    let handshake = hook.wait(1).remove(0);
    assert!(
        handshake.head.starts_with("get /hook?"),
        "{}",
        handshake.head
    );
    assert!(
        handshake.head.contains("hub.verify_token=vt-123"),
        "{}",
        handshake.head
    );

    // Nobody wrote yet: outside the window.
    let run = send(&emu.base, &["--to", "66", "--text", "hi"], None);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("2018278"), "{}", run.stderr);

    let wrote = emu.post("/__emulator/users/66/messages", r#"{"text":"h\u00e9"}"#);
    assert!(
        wrote["mid"].as_str().is_some_and(|m| m.starts_with("m_")),
        "{wrote}"
    );
    let run = send(&emu.base, &["--to", "66", "--text", "hi"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // The person's message, then the echo of the page's answer.
    let hits = hook.wait(3);
    let message = &hits[1];
    let raw = String::from_utf8(message.body.clone()).unwrap();
    assert!(raw.contains(r#""text":"h\u00e9""#), "{raw}");
    assert!(
        message.head.contains("x-hub-signature-256: sha256="),
        "{}",
        message.head
    );
    assert!(
        !message.head.contains("x-hub-signature:"),
        "{}",
        message.head
    );
    let echo: Value = serde_json::from_slice(&hits[2].body).unwrap();
    assert_eq!(echo["entry"][0]["messaging"][0]["message"]["is_echo"], true);
    assert_eq!(emu.get("/__emulator/stats")["refused"], 1);
}

#[test]
fn a_failed_handshake_is_printed_and_the_emulator_serves_on() {
    // Nothing listens on the discard port of loopback.
    let mut child = Command::new(BIN)
        .args(["emulate", "--addr", "127.0.0.1:0"])
        .args(["--webhook-url", "http://127.0.0.1:9/hook"])
        .args(["--verify-token", "vt-secret-77"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped stdout"))
        .read_line(&mut line)
        .expect("the ready line is readable");
    assert!(line.starts_with("listening on http://"), "{line}");
    terminate(&child);
    let out = child.wait_with_output().expect("the emulator exits");
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("webhook handshake failed"), "{stderr}");
    assert!(!stderr.contains("vt-secret-77"), "{stderr}");
}
