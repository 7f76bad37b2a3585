//! Webhook deliveries per second of the emulator, against a hand-written
//! webhook sender posting to the same loopback receiver in the same run.
//!
//! The emulator plays a user (`Person::says`) and delivers each message
//! event to the receiver: its envelope serialized in Meta's form, signed
//! with `X-Hub-Signature-256` (the SHA-1 header off), POSTed, one at a time
//! and in order, like Meta does per page. The baseline does the same work
//! by hand: a serde struct for the envelope, `sendapi::webhook::sign`, a
//! reqwest POST, one at a time. The receiver counts POSTs and answers 200.
//!
//! Rounds interleave both sides; each prints deliveries per second, and the
//! ratio is the median of the per-round ratios.
//!
//! Run: `cargo bench -p sendapi-tests --bench webhook_delivery`
//! (`-- --quick` for fewer rounds).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sendapi::AppSecret;
use sendapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde::Serialize;

const SECRET: &str = "bench-app-secret-9Qw";
const PSID: &str = "6047783085279281";

/// A receiver on loopback that counts the POSTs it answers 200.
async fn receiver() -> (String, Arc<AtomicU64>) {
    let count = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&count);
    let app = axum::Router::new().fallback(move || {
        let seen = Arc::clone(&seen);
        async move {
            seen.fetch_add(1, Ordering::SeqCst);
            "EVENT_RECEIVED"
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/webhook"), count)
}

#[derive(Serialize)]
struct Notification<'a> {
    object: &'a str,
    entry: [Entry<'a>; 1],
}

#[derive(Serialize)]
struct Entry<'a> {
    id: &'a str,
    time: u64,
    messaging: [Messaging<'a>; 1],
}

#[derive(Serialize)]
struct Messaging<'a> {
    sender: Id<'a>,
    recipient: Id<'a>,
    timestamp: u64,
    message: Message<'a>,
}

#[derive(Serialize)]
struct Id<'a> {
    id: &'a str,
}

#[derive(Serialize)]
struct Message<'a> {
    mid: String,
    text: &'a str,
}

/// Waits until `count` reaches `target` (the emulator delivers in the
/// background).
async fn until(count: &AtomicU64, target: u64) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while count.load(Ordering::SeqCst) < target {
        assert!(Instant::now() < deadline, "deliveries stalled");
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
}

async fn emulator_round(emu: &RunningEmulator, count: &AtomicU64, n: u64) -> f64 {
    let start_count = count.load(Ordering::SeqCst);
    let start = Instant::now();
    let person = emu.person(PSID);
    for i in 0..n {
        person
            .says(&format!("Table for two at 19:30? ({i})"))
            .expect("the person speaks");
    }
    until(count, start_count + n).await;
    n as f64 / start.elapsed().as_secs_f64()
}

async fn hand_written_round(client: &reqwest::Client, url: &str, count: &AtomicU64, n: u64) -> f64 {
    let secret = AppSecret::new(SECRET);
    let start_count = count.load(Ordering::SeqCst);
    let start = Instant::now();
    for i in 0..n {
        let text = format!("Table for two at 19:30? ({i})");
        let body = serde_json::to_vec(&Notification {
            object: "page",
            entry: [Entry {
                id: "1122334455",
                time: 1_767_268_800_000 + i,
                messaging: [Messaging {
                    sender: Id { id: PSID },
                    recipient: Id { id: "1122334455" },
                    timestamp: 1_767_268_800_000 + i,
                    message: Message {
                        mid: format!("m_{i:024}"),
                        text: &text,
                    },
                }],
            }],
        })
        .expect("serializes");
        let answer = client
            .post(url)
            .header("content-type", "application/json")
            .header(
                "x-hub-signature-256",
                sendapi::webhook::sign(&secret, &body),
            )
            .body(body)
            .send()
            .await
            .expect("posted");
        assert_eq!(answer.status(), 200);
    }
    until(count, start_count + n).await;
    n as f64 / start.elapsed().as_secs_f64()
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    if flag("--list") {
        return;
    }
    let (rounds, n) = if flag("--test") {
        (1, 20)
    } else if flag("--quick") {
        (4, 300)
    } else {
        (10, 1000)
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (url, count) = receiver().await;
        let config = EmulatorConfig::new()
            .app_secret(SECRET)
            .sha1_signature(false)
            .page_id("1122334455")
            .webhook_url(&url)
            .rate_limits(false);
        let emu = Emulator::start(config, "127.0.0.1:0".parse().expect("addr"))
            .await
            .expect("the emulator starts");
        let client = reqwest::Client::new();
        // Warm both paths.
        emulator_round(&emu, &count, 20).await;
        hand_written_round(&client, &url, &count, 20).await;
        let (mut ours, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..rounds {
            let (a, b) = if round % 2 == 0 {
                let a = emulator_round(&emu, &count, n).await;
                (a, hand_written_round(&client, &url, &count, n).await)
            } else {
                let b = hand_written_round(&client, &url, &count, n).await;
                (emulator_round(&emu, &count, n).await, b)
            };
            ours.push(a);
            theirs.push(b);
            ratios.push(a / b);
        }
        println!(
            "\nwebhook deliveries, {rounds} interleaved rounds of {n} events each side (per second, median):\n  \
             emulator {:.0}/s, hand-written serde + sign + reqwest sender {:.0}/s",
            median(&mut ours),
            median(&mut theirs)
        );
        println!(
            "  P5 ratio emulator deliveries/hand-written sender = {:.3} (median of the rounds' ratios; range {:.3}..{:.3})",
            median(&mut ratios),
            ratios[0],
            ratios[ratios.len() - 1]
        );
        emu.shutdown().await.expect("the emulator stops");
    });
}
