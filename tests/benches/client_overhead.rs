//! The cost of `sendapi::Client::send` against the client a user would
//! otherwise write, on the same trivial loopback server in the same run.
//!
//! The baseline (`hand_written`) is a hand-written client: serde structs for
//! the body (token and `appsecret_proof` included, the proof computed once
//! like the client does), posted with `reqwest::Client::json`, the status
//! checked and the answer decoded into a struct. Both sides build their
//! request for each send. A third side posts ready-made bytes and reads the
//! answer's bytes: the floor of what reqwest costs, shown for scale.
//!
//! The server (axum, one worker thread) answers every POST with a fixed
//! Send API answer and does no validation, so what differs between the
//! sides is the client: `validate()`, the typed request, the token and the
//! proof, the retry and rate-class bookkeeping, and the typed answer. The
//! client's own rate limiter is off (`RateLimitMode::Off`): with it on, the
//! standard class (300 calls/s per page) would make the bench measure the
//! limit, not the code.
//!
//! After criterion, the sides run again in interleaved rounds (about 20 ms
//! of sends each) and the bench prints the median of the per-round ratios,
//! which a shared machine's noise disturbs far less than criterion's
//! sequential means.
//!
//! Run: `cargo bench -p sendapi-tests --bench client_overhead`
//! (`-- --quick` for a short run).

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use sendapi::latest as api;
use sendapi::{Client, RateLimitMode, RetryPolicy};

const TOKEN: &str = "EAAB-bench-page-token";
const SECRET: &str = "bench-app-secret";
const ANSWER: &str = r#"{"recipient_id":"6047783085279281","message_id":"m_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#;

/// What a user writes without sendapi: the body as serde structs.
mod hand_written {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize)]
    pub struct SendRequest<'a> {
        pub recipient: Recipient<'a>,
        pub messaging_type: &'a str,
        pub message: Message<'a>,
        pub access_token: &'a str,
        pub appsecret_proof: &'a str,
    }

    #[derive(Serialize)]
    pub struct Recipient<'a> {
        pub id: &'a str,
    }

    #[derive(Serialize)]
    pub struct Message<'a> {
        pub text: &'a str,
        pub quick_replies: Vec<QuickReply<'a>>,
    }

    #[derive(Serialize)]
    pub struct QuickReply<'a> {
        pub content_type: &'a str,
        pub title: &'a str,
        pub payload: &'a str,
    }

    #[derive(Deserialize)]
    pub struct SendResponse {
        #[allow(dead_code, reason = "decoded like a user would, not read")]
        pub recipient_id: String,
        pub message_id: String,
    }

    pub fn request<'a>(token: &'a str, proof: &'a str) -> SendRequest<'a> {
        SendRequest {
            recipient: Recipient {
                id: "6047783085279281",
            },
            messaging_type: "RESPONSE",
            message: Message {
                text: "Your table for two is booked for 19:30.",
                quick_replies: vec![
                    QuickReply {
                        content_type: "text",
                        title: "Change",
                        payload: "CHANGE",
                    },
                    QuickReply {
                        content_type: "text",
                        title: "Cancel",
                        payload: "CANCEL",
                    },
                ],
            },
            access_token: token,
            appsecret_proof: proof,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Sendapi,
    HandWritten,
    RawBytes,
}

fn request() -> api::Request<sendapi::Messenger, api::form::Id, api::kind::Message> {
    api::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "text": "Your table for two is booked for 19:30.",
            "quick_replies": [
                { "content_type": "text", "title": "Change", "payload": "CHANGE" },
                { "content_type": "text", "title": "Cancel", "payload": "CANCEL" },
            ],
        },
    })
}

struct Sides {
    rt: tokio::runtime::Runtime,
    client: Client,
    raw: reqwest::Client,
    url: String,
    bytes: bytes::Bytes,
    proof: String,
    request: api::Request<sendapi::Messenger, api::form::Id, api::kind::Message>,
}

impl Sides {
    fn new() -> Sides {
        let addr = common::serve(ANSWER);
        let base = format!("http://{addr}");
        let client = Client::builder()
            .base_url(&base)
            .page_id("1122334455")
            .page_token(TOKEN)
            .app_secret(SECRET)
            .retry(RetryPolicy::none())
            .rate_limit(RateLimitMode::Off)
            .build()
            .expect("client");
        let raw = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .build()
            .expect("reqwest client");
        let request = request();
        // The exact bytes the client sends: the body, the token, the proof.
        let mut body = serde_json::to_value(&request).expect("serializes");
        body["access_token"] = TOKEN.into();
        let proof = sendapi::appsecret_proof(SECRET, TOKEN);
        body["appsecret_proof"] = proof.as_str().into();
        // The hand-written body must be the same bytes, or the sides differ.
        assert_eq!(
            serde_json::to_value(hand_written::request(TOKEN, &proof)).expect("serializes"),
            body,
            "the hand-written body differs from the client's"
        );
        let bytes = serde_json::to_vec(&body).expect("serializes").into();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("client runtime");
        Sides {
            rt,
            client,
            raw,
            url: format!("{base}/{}/1122334455/messages", api::GRAPH_VERSION),
            bytes,
            proof,
            request,
        }
    }

    async fn sendapi_once(&self) {
        let sent = self.client.send(&request()).await.expect("sent");
        black_box(sent.message_id());
    }

    async fn hand_written_once(&self) {
        let answer = self
            .raw
            .post(&self.url)
            .json(&hand_written::request(TOKEN, &self.proof))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("sent");
        let sent: hand_written::SendResponse = answer.json().await.expect("answer");
        black_box(sent.message_id);
    }

    async fn raw_once(&self) {
        let answer = self
            .raw
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(self.bytes.clone())
            .send()
            .await
            .expect("sent");
        black_box(answer.bytes().await.expect("answer"));
    }

    /// µs per send over `n` sends of one side.
    fn batch(&self, side: Side, n: u32) -> f64 {
        let start = Instant::now();
        self.rt.block_on(async {
            for _ in 0..n {
                match side {
                    Side::Sendapi => self.sendapi_once().await,
                    Side::HandWritten => self.hand_written_once().await,
                    Side::RawBytes => self.raw_once().await,
                }
            }
        });
        start.elapsed().as_secs_f64() * 1e6 / f64::from(n)
    }
}

fn interleaved(sides: &Sides, rounds: usize) {
    let one = sides.batch(Side::HandWritten, 50).max(1.0);
    let n = ((20_000.0 / one) as u32).max(1);
    let order = [Side::Sendapi, Side::HandWritten, Side::RawBytes];
    let mut times: [Vec<f64>; 3] = Default::default();
    let (mut vs_hand, mut vs_raw) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let mut t = [0.0; 3];
        // Rotate the order so that no side always runs first.
        for k in 0..3 {
            let i = (round + k) % 3;
            t[i] = sides.batch(order[i], n);
        }
        for i in 0..3 {
            times[i].push(t[i]);
        }
        vs_hand.push(t[0] / t[1]);
        vs_raw.push(t[0] / t[2]);
    }
    let med: Vec<f64> = times.iter_mut().map(|v| common::quantile(v, 0.5)).collect();
    let q = |v: &mut Vec<f64>| {
        (
            common::quantile(v, 0.25),
            common::quantile(v, 0.5),
            common::quantile(v, 0.75),
        )
    };
    let (h1, hm, h3) = q(&mut vs_hand);
    let (r1, rm, r3) = q(&mut vs_raw);
    println!(
        "\none send over loopback, interleaved, {rounds} rounds of {n} sends each side (µs per send, median):\n  \
         sendapi::Client {:.1}, hand-written serde + reqwest client {:.1}, raw bytes {:.1}",
        med[0], med[1], med[2]
    );
    println!(
        "  P3 ratio client/hand-written = {hm:.3} (median of the rounds' ratios; quartiles {h1:.3}..{h3:.3}); target <= 1.05"
    );
    println!("  ratio client/raw bytes = {rm:.3} (quartiles {r1:.3}..{r3:.3}); for scale");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    let sides = Sides::new();
    // Both sides must work before anything is timed.
    for side in [Side::Sendapi, Side::HandWritten, Side::RawBytes] {
        sides.batch(side, 3);
    }
    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("send_loopback");
    group.bench_function("sendapi_client", |b| {
        b.iter(|| sides.rt.block_on(sides.sendapi_once()));
    });
    group.bench_function("hand_written_client", |b| {
        b.iter(|| sides.rt.block_on(sides.hand_written_once()));
    });
    group.bench_function("raw_bytes", |b| {
        b.iter(|| sides.rt.block_on(sides.raw_once()));
    });
    group.finish();
    // Where the client's extra time goes, without the network.
    let mut group = c.benchmark_group("client_parts");
    group.bench_function("validate", |b| {
        b.iter(|| black_box(sides.request.validate()));
    });
    group.bench_function("to_value_and_bytes", |b| {
        b.iter(|| {
            let v = serde_json::to_value(&sides.request).expect("serializes");
            black_box(serde_json::to_vec(&v).expect("serializes"))
        });
    });
    group.bench_function("decode_answer", |b| {
        b.iter(|| {
            black_box(
                serde_json::from_str::<sendapi::Sent<api::form::Id>>(ANSWER).expect("decodes"),
            )
        });
    });
    group.finish();
    c.final_summary();
    if flag("--list") || flag("--test") {
        return;
    }
    interleaved(&sides, if flag("--quick") { 20 } else { 100 });
}
