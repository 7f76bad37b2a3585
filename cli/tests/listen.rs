//! `sendapi listen` as a process: the handshake, signature refusals that
//! print nothing, one JSON line per verified event, bodies over 1 MiB,
//! `--forward-to`, and the emulator delivering to it end to end.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use sendapi::AppSecret;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_sendapi");
const SECRET: &str = "listen-test-app-secret-5Jw1";
const VERIFY: &str = "listen-verify-token-Qp8";
/// How long a test waits for a line it expects before failing; a guard
/// against a hang, not a measurement.
const PATIENCE: Duration = Duration::from_secs(20);

/// A running process whose stdout lines arrive on a channel; SIGTERM on drop.
struct Process {
    child: Option<Child>,
    lines: Receiver<String>,
    addr: String,
}

impl Process {
    fn start(command: &mut Command) -> Process {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (send, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let ready = lines.recv_timeout(PATIENCE).expect("a ready line");
        let addr = ready
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("expected `listening on http://ADDR`, got {ready:?}"))
            .to_string();
        Process {
            child: Some(child),
            lines,
            addr,
        }
    }

    fn listen(extra: &[&str]) -> Process {
        Process::start(
            Command::new(BIN)
                .args(["listen", "--addr", "127.0.0.1:0", "--verify-token", VERIFY])
                .args(extra)
                .env("SENDAPI_APP_SECRET", SECRET),
        )
    }

    fn next_line(&self) -> Value {
        let line = self.lines.recv_timeout(PATIENCE).expect("an event line");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
    }

    /// Nothing more is printed: after a request known to print lines has
    /// printed them, no line is waiting.
    fn assert_silent(&self) {
        match self.lines.recv_timeout(Duration::from_millis(200)) {
            Err(RecvTimeoutError::Timeout) => {}
            other => panic!("expected no output, got {other:?}"),
        }
    }

    fn stop(mut self) -> i32 {
        let mut child = self.child.take().expect("running");
        terminate(&child);
        child.wait().expect("exits").code().unwrap_or(-1)
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            terminate(&child);
            let _ = child.wait();
        }
    }
}

fn terminate(child: &Child) {
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "kill -TERM works");
}

/// One HTTP/1.1 exchange over a raw socket: (status, body).
fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connects");
    s.set_read_timeout(Some(PATIENCE)).ok();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).expect("head written");
    s.write_all(body).expect("body written");
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).expect("answer read");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status in {answer:?}"));
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

fn signed_post(addr: &str, body: &[u8]) -> u16 {
    let signature = sendapi::webhook::sign(&AppSecret::new(SECRET), body);
    let headers = [
        ("Content-Type", "application/json"),
        ("X-Hub-Signature-256", signature.as_str()),
    ];
    http(addr, "POST", "/webhook", &headers, body).0
}

/// A notification as Meta sends it: non-ASCII and `/` escaped.
const TWO_ENTRIES: &str = r#"{"object":"page","entry":[{"id":"111","time":1767000000000,"messaging":[{"sender":{"id":"6047783085279281"},"recipient":{"id":"111"},"timestamp":1767000000001,"message":{"mid":"m_1","text":"caf\u00e9 https:\/\/example.com"}},{"sender":{"id":"6047783085279281"},"recipient":{"id":"111"},"timestamp":1767000000002,"read":{"watermark":1767000000000}}]},{"id":"222","time":1767000000003,"standby":[{"sender":{"id":222},"recipient":{"id":"6047783085279281"},"timestamp":"1767000000004","message":{"mid":"m_2","is_echo":true,"app_id":42,"text":"hi"}}],"messaging":[{"recipient":{"id":"222"},"timestamp":1767000000005,"policy-enforcement":{"action":"block","reason":"spam"}},{"sender":{"id":"9"},"recipient":{"id":"222"},"timestamp":1767000000006,"brand_new_event":{"x":1}}]}]}"#;

#[test]
fn handshake_echoes_the_challenge_byte_for_byte_and_refuses_a_wrong_token() {
    let listen = Process::listen(&[]);
    let ok = format!(
        "/webhook?hub.mode=subscribe&hub.verify_token={VERIFY}&hub.challenge=CHALLENGE_ACCEPTED%2B0012"
    );
    assert_eq!(
        http(&listen.addr, "GET", &ok, &[], b""),
        (200, "CHALLENGE_ACCEPTED+0012".into())
    );
    let wrong = "/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444";
    assert_eq!(http(&listen.addr, "GET", wrong, &[], b"").0, 403);
    let mode = format!("/webhook?hub.mode=unsubscribe&hub.verify_token={VERIFY}&hub.challenge=1");
    assert_eq!(http(&listen.addr, "GET", &mode, &[], b"").0, 403);
    listen.assert_silent();
    assert_eq!(listen.stop(), 0);
}

#[test]
fn every_item_of_every_entry_is_one_line_with_its_kind() {
    let listen = Process::listen(&[]);
    assert_eq!(signed_post(&listen.addr, TWO_ENTRIES.as_bytes()), 200);
    let lines: Vec<Value> = (0..5).map(|_| listen.next_line()).collect();
    listen.assert_silent();
    let summary: Vec<(&str, &str, bool, &Value, &Value)> = lines
        .iter()
        .map(|l| {
            (
                l["page_id"].as_str().unwrap_or("?"),
                l["kind"].as_str().unwrap_or("?"),
                l["standby"].as_bool().unwrap_or(false),
                &l["sender"],
                &l["recipient"],
            )
        })
        .collect();
    let psid = json!("6047783085279281");
    assert_eq!(
        summary,
        [
            ("111", "message", false, &psid, &json!("111")),
            ("111", "read", false, &psid, &json!("111")),
            // An entry's messaging items come before its standby items.
            (
                "222",
                "policy_enforcement",
                false,
                &Value::Null,
                &json!("222")
            ),
            ("222", "other", false, &json!("9"), &json!("222")),
            ("222", "echo", true, &json!("222"), &psid),
        ]
    );
    // The event is the item as received, decoded: the escapes are gone.
    assert_eq!(
        lines[0]["event"]["message"]["text"],
        "café https://example.com"
    );
    assert_eq!(lines[0]["object"], "page");
    assert_eq!(lines[0]["timestamp"], 1_767_000_000_001_i64);
    assert_eq!(lines[3]["event"]["brand_new_event"], json!({"x": 1}));
    // Ids sent as numbers are printed as strings; times as received.
    assert_eq!(lines[4]["timestamp"], "1767000000004");
    assert_eq!(listen.stop(), 0);
}

/// What is wrong, the headers sent, and the body sent.
type Refusal<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a [u8]);

#[test]
fn bad_signatures_are_refused_and_print_nothing() {
    let listen = Process::listen(&[]);
    let body = TWO_ENTRIES.as_bytes();
    let good = sendapi::webhook::sign(&AppSecret::new(SECRET), body);
    let wrong = sendapi::webhook::sign(&AppSecret::new("another secret"), body);
    let sha1_only = [(
        "X-Hub-Signature",
        "sha1=0123456789abcdef0123456789abcdef01234567",
    )];
    let cases: [Refusal<'_>; 5] = [
        (
            "wrong secret",
            vec![("X-Hub-Signature-256", wrong.as_str())],
            body,
        ),
        ("missing", vec![], body),
        (
            "malformed",
            vec![("X-Hub-Signature-256", "sha256=xyz")],
            body,
        ),
        ("SHA-1 only", sha1_only.to_vec(), body),
        (
            "tampered body",
            vec![("X-Hub-Signature-256", good.as_str())],
            b"{\"object\":\"page\",\"entry\":[]} ",
        ),
    ];
    for (what, headers, body) in cases {
        let (status, _) = http(&listen.addr, "POST", "/webhook", &headers, body);
        assert_eq!(status, 403, "{what}");
    }
    listen.assert_silent();
    // The same listener still prints verified events.
    assert_eq!(signed_post(&listen.addr, TWO_ENTRIES.as_bytes()), 200);
    assert_eq!(listen.next_line()["kind"], "message");
}

#[test]
fn a_body_over_one_mebibyte_is_verified_and_printed() {
    let listen = Process::listen(&[]);
    // 200,000 escaped hair spaces: 1.2 MB on the wire, as Meta escapes them.
    let text = "\\u200a".repeat(200_000);
    let body = format!(
        r#"{{"object":"page","entry":[{{"id":"1","time":1,"messaging":[{{"sender":{{"id":"2"}},"recipient":{{"id":"1"}},"timestamp":3,"message":{{"mid":"m_big","text":"{text}"}}}}]}}]}}"#
    );
    assert!(body.len() > 1024 * 1024);
    assert_eq!(signed_post(&listen.addr, body.as_bytes()), 200);
    let line = listen.next_line();
    assert_eq!(line["event"]["message"]["mid"], "m_big");
    assert_eq!(
        line["event"]["message"]["text"]
            .as_str()
            .map(|t| t.chars().count()),
        Some(200_000)
    );
}

/// A bot on a loopback port that records the first request it gets.
fn one_shot_bot() -> (String, std::thread::JoinHandle<(String, Vec<u8>)>) {
    let socket = TcpListener::bind("127.0.0.1:0").expect("binds");
    let addr = socket.local_addr().expect("addr").to_string();
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = socket.accept().expect("a forwarded request");
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("a header line");
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().expect("a length");
            }
            if line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("the body");
        stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .expect("answered");
        (head, body)
    });
    (addr, handle)
}

#[test]
fn forward_to_passes_the_bytes_and_the_signature_unchanged() {
    let (bot, received) = one_shot_bot();
    let listen = Process::listen(&["--forward-to", &format!("http://{bot}/hook")]);
    assert_eq!(signed_post(&listen.addr, TWO_ENTRIES.as_bytes()), 200);
    let (head, body) = received.join().expect("the bot got the POST");
    assert_eq!(body, TWO_ENTRIES.as_bytes(), "the bytes, escapes included");
    let signature = sendapi::webhook::sign(&AppSecret::new(SECRET), TWO_ENTRIES.as_bytes());
    assert!(head.starts_with("POST /hook "), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains(&format!("x-hub-signature-256: {signature}")),
        "{head}"
    );
}

#[test]
fn without_the_app_secret_listen_exits_2() {
    let out = Command::new(BIN)
        .args(["listen", "--addr", "127.0.0.1:0"])
        .env_remove("SENDAPI_APP_SECRET")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SENDAPI_APP_SECRET"));
}

#[test]
fn the_emulator_plays_the_user_and_listen_prints_what_it_delivers() {
    let listen = Process::listen(&[]);
    let webhook = format!("http://{}/webhook", listen.addr);
    let emulator = Process::start(Command::new(BIN).args([
        "emulate",
        "--addr",
        "127.0.0.1:0",
        "--app-secret",
        SECRET,
        "--verify-token",
        VERIFY,
        "--page-id",
        "1122334455",
        "--webhook-url",
        &webhook,
    ]));
    let psid = "6047783085279281";
    let user = |what: &str, body: Value| {
        let path = format!("/__emulator/users/{psid}/{what}");
        let (status, answer) = http(
            &emulator.addr,
            "POST",
            &path,
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        );
        assert_eq!(status, 200, "{what}: {answer}");
        serde_json::from_str::<Value>(&answer).unwrap_or(Value::Null)
    };
    let sent = user(
        "messages",
        json!({"text": "Crème brûlée? 🍮 https://example.com/menu"}),
    );
    let line = listen.next_line();
    assert_eq!(
        (line["kind"].as_str(), line["sender"].as_str()),
        (Some("message"), Some(psid))
    );
    assert_eq!(line["page_id"], "1122334455");
    assert_eq!(
        line["event"]["message"]["text"],
        "Crème brûlée? 🍮 https://example.com/menu"
    );
    assert_eq!(line["event"]["message"]["mid"], sent["mid"]);
    user("postbacks", json!({"title": "Book", "payload": "BOOK"}));
    assert_eq!(listen.next_line()["kind"], "postback");
    user(
        "reactions",
        json!({"mid": sent["mid"], "reaction": "love", "action": "react"}),
    );
    assert_eq!(listen.next_line()["kind"], "reaction");
    user("reads", json!({}));
    assert_eq!(listen.next_line()["kind"], "read");
    listen.assert_silent();
}
