//! What a shared rate budget costs per send: `Client::send` asking a
//! `RedisBudget` (a real `redis-server` on loopback, one EVALSHA per send)
//! against the same client asking the in-process `LocalBudget`, and both
//! against raw reqwest posting the same bytes, measured in the same run.
//!
//! The server is the trivial loopback one of `client_overhead`. Both
//! budgets are asked for a class with a limit no bench reaches (the
//! spec's 300 calls/s would make the bench measure the limit, not the
//! code): a wrapper hands each budget that class instead of the request's,
//! so the work per call (the window bookkeeping, or the script round
//! trip) is the real one.
//!
//! After criterion, the three sides run again in interleaved rounds and the
//! bench prints the medians of the per-round ratios.
//!
//! Run: `cargo bench -p sendapi-tests --bench budget_overhead` (`-- --quick`
//! for a short run). Needs `redis-server` (the Debian package).

mod common;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::Criterion;
use sendapi::latest as api;
use sendapi::{Client, LocalBudget, RateBudget, RateClass, RedisBudget, RetryPolicy, TakeFuture};
use sendapi_tests::redis::RedisServer;

const TOKEN: &str = "EAAB-bench-page-token";
const ANSWER: &str = r#"{"recipient_id":"6047783085279281","message_id":"m_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#;

/// A class that a bench never fills.
static UNREACHED: RateClass = RateClass {
    name: "bench",
    limit: 1_000_000_000,
    per_seconds: 1,
};

/// `B`, asked for [`UNREACHED`] whatever the request's class.
#[derive(Debug)]
struct Unpaced<B>(B);

impl<B: RateBudget> RateBudget for Unpaced<B> {
    fn take<'a>(
        &'a self,
        page: &'a str,
        _class: &'static RateClass,
        max_wait: Duration,
    ) -> TakeFuture<'a> {
        self.0.take(page, &UNREACHED, max_wait)
    }
}

fn request() -> api::Request<sendapi::Messenger, api::form::Id, api::kind::Message> {
    api::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "UPDATE",
        "message": { "text": "The spring collection is in: 20% off until Sunday." },
    })
}

#[derive(Clone, Copy, Debug)]
enum Side {
    Redis,
    Local,
    Raw,
}

struct Sides {
    rt: tokio::runtime::Runtime,
    redis: Client,
    local: Client,
    raw: reqwest::Client,
    url: String,
    bytes: bytes::Bytes,
    request: api::Request<sendapi::Messenger, api::form::Id, api::kind::Message>,
    _server: RedisServer,
}

impl Sides {
    fn new(server: RedisServer) -> Sides {
        let base = format!("http://{}", common::serve(ANSWER));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("client runtime");
        let budget = rt
            .block_on(RedisBudget::builder(server.url()).connect())
            .expect("the budget connects");
        let client = |budget: Arc<dyn RateBudget>| {
            Client::builder()
                .base_url(&base)
                .page_id("1122334455")
                .page_token(TOKEN)
                .retry(RetryPolicy::none())
                .rate_budget(budget)
                .build()
                .expect("client")
        };
        let request = request();
        let mut body = serde_json::to_value(&request).expect("serializes");
        body["access_token"] = TOKEN.into();
        Sides {
            redis: client(Arc::new(Unpaced(budget))),
            local: client(Arc::new(Unpaced(LocalBudget::new()))),
            raw: reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(10))
                .timeout(Duration::from_secs(30))
                .build()
                .expect("reqwest client"),
            url: format!("{base}/{}/1122334455/messages", api::GRAPH_VERSION),
            bytes: serde_json::to_vec(&body).expect("serializes").into(),
            request,
            rt,
            _server: server,
        }
    }

    async fn once(&self, side: Side) {
        match side {
            Side::Redis => {
                black_box(self.redis.send(&self.request).await.expect("sent"));
            }
            Side::Local => {
                black_box(self.local.send(&self.request).await.expect("sent"));
            }
            Side::Raw => {
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
        }
    }

    /// µs per send over `n` sends of one side.
    fn batch(&self, side: Side, n: u32) -> f64 {
        let start = Instant::now();
        self.rt.block_on(async {
            for _ in 0..n {
                self.once(side).await;
            }
        });
        start.elapsed().as_secs_f64() * 1e6 / f64::from(n)
    }
}

fn interleaved(sides: &Sides, rounds: usize) {
    let one = sides.batch(Side::Raw, 50).max(1.0);
    let n = ((20_000.0 / one) as u32).max(1);
    let orders = [
        [Side::Redis, Side::Local, Side::Raw],
        [Side::Raw, Side::Redis, Side::Local],
        [Side::Local, Side::Raw, Side::Redis],
    ];
    let (mut redis, mut local, mut raw) = (Vec::new(), Vec::new(), Vec::new());
    let (mut redis_local, mut local_raw) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let mut t = [0.0; 3];
        for side in orders[round % 3] {
            t[side as usize] = sides.batch(side, n);
        }
        redis.push(t[0]);
        local.push(t[1]);
        raw.push(t[2]);
        redis_local.push(t[0] / t[1]);
        local_raw.push(t[1] / t[2]);
    }
    let med = |v: &mut Vec<f64>| common::quantile(v, 0.5);
    println!(
        "\none send over loopback, interleaved, {rounds} rounds of {n} sends each side (µs per send, median):\n  \
         Client + RedisBudget {:.1}, Client + LocalBudget {:.1}, raw reqwest {:.1}",
        med(&mut redis),
        med(&mut local),
        med(&mut raw)
    );
    println!(
        "  ratio Redis/Local = {:.3} (quartiles {:.3}..{:.3}); Redis budget costs {:.1} µs per send\n  \
         ratio Local/raw = {:.3}",
        med(&mut redis_local),
        common::quantile(&mut redis_local, 0.25),
        common::quantile(&mut redis_local, 0.75),
        med(&mut redis) - med(&mut local),
        med(&mut local_raw),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    let Some(server) = RedisServer::start() else {
        return;
    };
    let sides = Sides::new(server);
    // Every side must work before anything is timed.
    for side in [Side::Redis, Side::Local, Side::Raw] {
        sides.batch(side, 3);
    }
    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("send_with_budget");
    group.bench_function("redis_budget", |b| {
        b.iter(|| sides.rt.block_on(sides.once(Side::Redis)));
    });
    group.bench_function("local_budget", |b| {
        b.iter(|| sides.rt.block_on(sides.once(Side::Local)));
    });
    group.bench_function("raw_reqwest", |b| {
        b.iter(|| sides.rt.block_on(sides.once(Side::Raw)));
    });
    group.finish();
    c.final_summary();
    if flag("--list") || flag("--test") {
        return;
    }
    interleaved(&sides, if flag("--quick") { 21 } else { 99 });
}
