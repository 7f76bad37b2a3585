//! The cost of `sendapi::Client::send` against raw reqwest posting the same
//! bytes to the same trivial loopback server, measured in the same run.
//!
//! The server (axum, one worker thread) answers every POST with a fixed
//! Send API answer and does no validation, so what differs between the two
//! sides is the client: `validate()`, serializing the typed request, adding
//! the token and `appsecret_proof`, the retry and rate-class bookkeeping, and
//! decoding the typed answer. The baseline posts the exact bytes the client
//! sends (token and proof included) with a `reqwest::Client` built the same
//! way, and reads the answer's bytes. The client's own rate limiter is off
//! (`RateLimitMode::Off`): with it on, the standard class (300 calls/s per
//! page) would make the bench measure the limit, not the code.
//!
//! After criterion, both sides run again in interleaved rounds (about 20 ms
//! of sends each) and the bench prints the median of the per-round ratios,
//! which a shared machine's noise disturbs far less than criterion's two
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
        body["appsecret_proof"] = sendapi::appsecret_proof(SECRET, TOKEN).into();
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
            request,
        }
    }

    async fn sendapi_once(&self) {
        let sent = self.client.send(&self.request).await.expect("sent");
        black_box(sent.message_id());
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
    fn batch(&self, sendapi: bool, n: u32) -> f64 {
        let start = Instant::now();
        self.rt.block_on(async {
            for _ in 0..n {
                if sendapi {
                    self.sendapi_once().await;
                } else {
                    self.raw_once().await;
                }
            }
        });
        start.elapsed().as_secs_f64() * 1e6 / f64::from(n)
    }
}

fn interleaved(sides: &Sides, rounds: usize) {
    let one = sides.batch(false, 50).max(1.0);
    let n = ((20_000.0 / one) as u32).max(1);
    let (mut a, mut b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (ta, tb) = if round % 2 == 0 {
            let ta = sides.batch(true, n);
            (ta, sides.batch(false, n))
        } else {
            let tb = sides.batch(false, n);
            (sides.batch(true, n), tb)
        };
        a.push(ta);
        b.push(tb);
        ratios.push(ta / tb);
    }
    let (a_med, b_med) = (common::quantile(&mut a, 0.5), common::quantile(&mut b, 0.5));
    let (a_min, b_min) = (common::quantile(&mut a, 0.0), common::quantile(&mut b, 0.0));
    let (q1, med, q3) = (
        common::quantile(&mut ratios, 0.25),
        common::quantile(&mut ratios, 0.5),
        common::quantile(&mut ratios, 0.75),
    );
    println!(
        "\none send over loopback, interleaved, {rounds} rounds of {n} sends each side (µs per send):\n  \
         sendapi::Client median {a_med:.1} (min {a_min:.1}), raw reqwest median {b_med:.1} (min {b_min:.1})"
    );
    println!(
        "  ratio client/raw = {med:.3} (median of the rounds' ratios; quartiles {q1:.3}..{q3:.3}); \
         ratio of the minima = {:.3}\n  target: ratio <= 1.10",
        a_min / b_min
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    let sides = Sides::new();
    // Both sides must work before anything is timed.
    sides.batch(true, 3);
    sides.batch(false, 3);
    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("send_loopback");
    group.bench_function("sendapi_client", |b| {
        b.iter(|| sides.rt.block_on(sides.sendapi_once()));
    });
    group.bench_function("raw_reqwest", |b| {
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
