//! Receiving one webhook POST: verifying `X-Hub-Signature-256` over the raw
//! bytes and decoding the typed notification (`sendapi::webhook::parse` into
//! `sendapi::latest::webhook::Notification`), against the least a receiver
//! must spend without sendapi, `serde_json::from_slice::<Value>` of the same
//! bytes (which checks nothing), measured in the same run.
//!
//! The bodies are typical one-event POSTs as Meta sends them (non-ASCII and
//! `/` escaped): a text message with a quick-reply tap, a postback, a read
//! receipt. Criterion measures each side per body set; afterwards the bench
//! times both sides again interleaved (alternating batches of about 5 ms, so
//! drift on a shared machine hits both) and prints the ratio.
//!
//! Run: `cargo bench -p sendapi-tests --bench webhook_receive`
//! (`-- --quick` for a short run).

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput};
use sendapi::AppSecret;
use sendapi::latest::webhook::Notification;
use serde_json::Value;

const BODIES: [&str; 3] = [
    r#"{"object":"page","entry":[{"id":"106385825442533","time":1767268800123,"messaging":[{"sender":{"id":"6047783085279281"},"recipient":{"id":"106385825442533"},"timestamp":1767268800001,"message":{"mid":"m_Q1w2E3r4T5y6U7i8O9p0AsDfGhJkLzXcVbNm-1qAz2WsX3eDc4RfV5tGb6YhN7uJm8","text":"Une table pour deux \u00e0 19h30 ? https:\/\/example.com\/menu \ud83c\udf7d","quick_reply":{"payload":"BOOK_1930"}}}]}]}"#,
    r#"{"object":"page","entry":[{"id":"106385825442533","time":1767268800456,"messaging":[{"sender":{"id":"6047783085279281"},"recipient":{"id":"106385825442533"},"timestamp":1767268800400,"postback":{"mid":"m_postback_8Hq2nX","title":"Get Started","payload":"GET_STARTED","referral":{"ref":"spring-menu","source":"SHORTLINK","type":"OPEN_THREAD"}}}]}]}"#,
    r#"{"object":"page","entry":[{"id":"106385825442533","time":1767268800789,"messaging":[{"sender":{"id":"6047783085279281"},"recipient":{"id":"106385825442533"},"timestamp":1767268800700,"read":{"watermark":1767268800650}}]}]}"#,
];

const SECRET: &str = "bench-app-secret-7Yq";

struct Signed {
    body: Vec<u8>,
    headers: Vec<(&'static str, String)>,
}

fn signed() -> Vec<Signed> {
    let secret = AppSecret::new(SECRET);
    BODIES
        .iter()
        .map(|b| Signed {
            body: b.as_bytes().to_vec(),
            headers: vec![
                ("content-type", "application/json".into()),
                (
                    "x-hub-signature-256",
                    sendapi::webhook::sign(&secret, b.as_bytes()),
                ),
            ],
        })
        .collect()
}

fn receive(secret: &AppSecret, posts: &[Signed]) {
    for post in posts {
        let n: Notification = sendapi::webhook::parse(secret, post.headers.as_slice(), &post.body)
            .expect("a signed body verifies and decodes");
        black_box(n);
    }
}

fn baseline(posts: &[Signed]) {
    for post in posts {
        black_box(serde_json::from_slice::<Value>(&post.body).expect("JSON"));
    }
}

fn bench(c: &mut Criterion, posts: &[Signed]) {
    let secret = AppSecret::new(SECRET);
    let mut group = c.benchmark_group("webhook_receive");
    group.throughput(Throughput::Elements(posts.len() as u64));
    group.bench_function("verify_and_decode_typed", |b| {
        b.iter(|| receive(&secret, posts))
    });
    group.bench_function("from_slice_value", |b| b.iter(|| baseline(posts)));
    group.finish();
}

/// µs per iteration of a batch of `iters` iterations.
fn batch(f: &dyn Fn(), iters: u64) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed().as_secs_f64() * 1e6 / iters as f64
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn interleaved(posts: &[Signed], rounds: usize) {
    let secret = AppSecret::new(SECRET);
    let ours = || receive(&secret, posts);
    let theirs = || baseline(posts);
    let one = batch(&theirs, 200).max(0.01);
    let iters = ((5_000.0 / one) as u64).max(1);
    let (mut a, mut b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (ta, tb) = if round % 2 == 0 {
            let ta = batch(&ours, iters);
            (ta, batch(&theirs, iters))
        } else {
            let tb = batch(&theirs, iters);
            (batch(&ours, iters), tb)
        };
        a.push(ta);
        b.push(tb);
        ratios.push(ta / tb);
    }
    let n = posts.len() as f64;
    println!(
        "  interleaved, {rounds} rounds: verify+decode typed {:.2} µs, from_slice::<Value> {:.2} µs per POST (medians)",
        median(&mut a) / n,
        median(&mut b) / n
    );
    println!(
        "  ratio verify+decode typed / from_slice::<Value> = {:.2} (median of the rounds' ratios)",
        median(&mut ratios)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    let posts = signed();
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c, &posts);
    c.final_summary();
    if flag("--list") || flag("--test") {
        return;
    }
    println!(
        "\nreceiving one webhook POST ({} bodies), same run:",
        posts.len()
    );
    interleaved(&posts, if flag("--quick") { 40 } else { 200 });
}
