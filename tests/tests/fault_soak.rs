//! Fault soak: many sends through `sendapi::Client`, single and batched,
//! against the in-process emulator on 127.0.0.1 with every fault kind mixed
//! in: latency, dropped connections, 5xx with and without Graph's error, 613
//! and malformed answers, plus refusals of retry class `never` (a wrong
//! token, code 190).
//!
//! It checks that every send ends in exactly one outcome word (`delivered`,
//! `not delivered`, `unknown`), that the emulator's record never holds a
//! message twice (the default is at most once), that a `delivered` message is
//! in the record once and a `not delivered` one never, and that the client
//! retried only failures of the spec's `retry` class: per wave, the HTTP calls
//! the emulator saw equal the first calls plus one per retry-class fault that
//! did not end its send.
//!
//! The CI size is 1,000 messages:
//! `cargo test -p sendapi-tests --test fault_soak -- --nocapture`.
//! The full soak sends 10,000:
//! `SENDAPI_SOAK_SENDS=10000 cargo test -p sendapi-tests --test fault_soak -- --nocapture`.
//! At the end it prints a summary, each line starting with `soak: `, for a
//! benchmark script to quote (see bench/README.md). Elapsed time is printed,
//! never asserted.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use sendapi::latest as api;
use sendapi::{Client, Delivery, Error, RateLimitMode, RetryPolicy};
use sendapi_emulator::{Emulator, EmulatorConfig, Faults, RunningEmulator, Stats, Status5xx};
use tokio::task::JoinSet;

const TOKEN: &str = "soak-page-token";
const PAGE: &str = "4400110099";
const MAX_ATTEMPTS: u32 = 3;
/// Messages per wave: `SINGLES` single sends and batches of `BATCH`.
const WAVE: usize = 50;
const SINGLES: usize = 30;
const BATCH: usize = 10;
/// Every `REFUSED_EVERY`th single send goes out with a wrong token: Graph's
/// code 190, class `never`: not delivered, and never retried.
const REFUSED_EVERY: usize = 7;
/// The latency of the waves that have it, far below the client's timeout:
/// a slow answer must not change an outcome.
const LATENCY: Duration = Duration::from_millis(15);
/// The 613s of every tenth wave: more than its calls, so that some sends
/// use up their attempts and end `not delivered`, retryable.
const STORM: u32 = 80;
/// A guard against a hang, not a measurement.
const PATIENCE: Duration = Duration::from_secs(20);

type Text = api::Request<sendapi::Messenger, api::form::Id, api::kind::Message>;

/// The outcome words, in the order the summary prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Word {
    Delivered,
    NotDelivered,
    Unknown,
}

impl Word {
    fn of(result: &Result<u32, Error>) -> Word {
        match result {
            Ok(_) => Word::Delivered,
            Err(e) => match e.delivery() {
                Delivery::NotDelivered => Word::NotDelivered,
                Delivery::Unknown => Word::Unknown,
            },
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Word::Delivered => "delivered",
            Word::NotDelivered => Delivery::NotDelivered.as_str(),
            Word::Unknown => Delivery::Unknown.as_str(),
        }
    }
}

/// One HTTP exchange of the client (a single send, or one batch call) and
/// how it ended: the attempts on success, else the error.
struct Unit {
    /// The messages it carried.
    ids: Vec<usize>,
    /// `Ok(attempts)` or the error; a batch's per-item results are folded
    /// in `items`.
    result: Result<u32, Error>,
    /// Per message: its own result.
    items: Vec<Result<u32, Error>>,
}

impl Unit {
    /// Whether the final call was processed by the emulator (a success, or a
    /// success answer cut short): then a batch's operations each counted.
    fn processed(&self) -> bool {
        matches!(&self.result, Ok(_) | Err(Error::Decode { .. }))
    }
}

fn text(id: usize) -> String {
    format!("soak-{id:06}")
}

fn message(id: usize) -> Text {
    api::Request::builder()
        .to_id(format!("{}", 7_000_000_000_000_000u64 + id as u64))
        .text(text(id))
        .update()
        .build()
}

fn client(emu: &RunningEmulator, token: &str) -> Client {
    Client::builder()
        .base_url(emu.base_url())
        .page_id(PAGE)
        .page_token(token)
        // Short delays: the soak is about which failures are retried, not
        // about how long the backoff waits.
        .retry(RetryPolicy {
            max_attempts: MAX_ATTEMPTS,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(4),
            jitter: true,
        })
        // 613s come from the injected fault alone, so they can be counted.
        .rate_limit(RateLimitMode::Off)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client")
}

/// The faults of wave `w`: a fixed mix, with a 613 storm now and then so
/// that some sends use up their attempts.
fn faults(w: usize) -> Faults {
    let status = if w.is_multiple_of(2) {
        // Graph's transient code 2: class `retry`.
        Status5xx::new(500, 2)
    } else {
        // A proxy's page without a Graph error: may have been processed.
        Status5xx::new(502, 1)
    };
    let f = Faults::none()
        .drop_connections(1)
        .status_5xx(status)
        .rate_limited(if w % 10 == 9 { STORM } else { 2 })
        .malformed_bodies(1);
    if w % 4 == 3 { f.latency(LATENCY) } else { f }
}

/// What the faults of a wave were used for.
#[derive(Debug, Default, Clone, Copy)]
struct Injected {
    latency: u64,
    drop: u64,
    status_500: u64,
    status_502: u64,
    rate_limited: u64,
    malformed: u64,
}

impl Injected {
    fn used(set: &Faults, left: &Faults) -> Injected {
        let status = |f: &Faults| f.status_5xx.map_or(0, |s| u64::from(s.count));
        let (mut s500, mut s502) = (0, 0);
        let used_5xx = status(set) - status(left);
        match set.status_5xx.map(|s| s.status) {
            Some(500) => s500 = used_5xx,
            Some(_) => s502 = used_5xx,
            None => {}
        }
        Injected {
            latency: 0,
            drop: u64::from(set.drop_connections - left.drop_connections),
            status_500: s500,
            status_502: s502,
            rate_limited: u64::from(set.rate_limited - left.rate_limited),
            malformed: u64::from(set.malformed_bodies - left.malformed_bodies),
        }
    }

    /// Faults of class `retry`: the client must retry these.
    fn retry_class(&self) -> u64 {
        self.status_500 + self.rate_limited
    }

    fn add(&mut self, o: &Injected) {
        self.latency += o.latency;
        self.drop += o.drop;
        self.status_500 += o.status_500;
        self.status_502 += o.status_502;
        self.rate_limited += o.rate_limited;
        self.malformed += o.malformed;
    }
}

/// Runs one wave of messages `first..first + n` and waits for all of it.
async fn wave(good: &Client, refused: &Client, first: usize, n: usize) -> Vec<Unit> {
    let mut tasks = JoinSet::new();
    let singles = n.min(SINGLES);
    for id in first..first + singles {
        let c = if id.is_multiple_of(REFUSED_EVERY) {
            refused.clone()
        } else {
            good.clone()
        };
        tasks.spawn(async move {
            let r = c.send(&message(id)).await.map(|s| s.attempts);
            let item = match &r {
                Ok(a) => Ok(*a),
                Err(e) => Err(copy(e)),
            };
            Unit {
                ids: vec![id],
                result: r,
                items: vec![item],
            }
        });
    }
    let mut start = first + singles;
    while start < first + n {
        let end = (start + BATCH).min(first + n);
        let c = good.clone();
        tasks.spawn(async move {
            let requests: Vec<Text> = (start..end).map(message).collect();
            let ids: Vec<usize> = (start..end).collect();
            match c.send_batch(&requests).await {
                Ok(results) => {
                    assert_eq!(results.len(), requests.len(), "one result per item");
                    let items: Vec<Result<u32, Error>> =
                        results.into_iter().map(|r| r.map(|s| s.attempts)).collect();
                    // The batch call succeeded; every item has the call's
                    // attempts, or an item error of its own.
                    let attempts = items.iter().find_map(|r| r.as_ref().ok().copied());
                    let result = match attempts {
                        Some(a) => Ok(a),
                        None => Err(copy(items[0].as_ref().expect_err("no item succeeded"))),
                    };
                    Unit { ids, result, items }
                }
                Err(e) => Unit {
                    items: ids.iter().map(|_| Err(copy(&e))).collect(),
                    ids,
                    result: Err(e),
                },
            }
        });
        start = end;
    }
    let mut units = Vec::new();
    while let Some(u) = tasks.join_next().await {
        units.push(u.expect("a send task panicked"));
    }
    units
}

/// The same error again (`Error` is not `Clone`): enough of it for the
/// outcome word and the retry class.
fn copy(e: &Error) -> Error {
    match e {
        Error::Graph(g) => Error::Graph(g.clone()),
        Error::Transport { message, delivery } => Error::Transport {
            message: message.clone(),
            delivery: *delivery,
        },
        Error::Http { status, snippet } => Error::Http {
            status: *status,
            snippet: snippet.clone(),
        },
        Error::Decode {
            status,
            path,
            message,
        } => Error::Decode {
            status: *status,
            path: path.clone(),
            message: message.clone(),
        },
        other => panic!("the soak does not expect {other:?}"),
    }
}

async fn settle(emu: &RunningEmulator) {
    let deadline = Instant::now() + PATIENCE;
    while emu.in_flight() > 0 {
        assert!(Instant::now() < deadline, "requests still in flight");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

fn sends() -> usize {
    match std::env::var("SENDAPI_SOAK_SENDS") {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("SENDAPI_SOAK_SENDS={v:?} is not a count of sends")),
        Err(_) => 1_000,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_send_ends_once_and_only_retry_classes_are_retried() {
    let total = sends();
    let emu = Emulator::start(
        EmulatorConfig::new()
            .token(TOKEN)
            // 613s come from the injected fault alone, so they can be counted.
            .rate_limits(false)
            // The record must hold every accepted message of the soak.
            .record_limit(total * 2 + WAVE),
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    )
    .await
    .expect("the emulator starts");
    let good = client(&emu, TOKEN);
    let refused = client(&emu, "soak-wrong-token");

    let started = Instant::now();
    let mut outcome: Vec<Option<Word>> = vec![None; total];
    let mut injected = Injected::default();
    let (mut batches, mut retries, mut exhausted) = (0u64, 0u64, 0u64);
    let mut retried_ok = 0u64;
    let mut retryable_items = 0usize;
    let mut w = 0;
    let mut first = 0;
    while first < total {
        let n = WAVE.min(total - first);
        let set = faults(w);
        emu.set_faults(set.clone()).expect("faults");
        let before: Stats = emu.stats();
        let units = wave(&good, &refused, first, n).await;
        settle(&emu).await;
        let after = emu.stats();
        let mut used = Injected::used(&set, &emu.faults());
        emu.set_faults(Faults::none()).expect("faults cleared");

        // The HTTP calls the client made: each attempt is one request at the
        // emulator, except that a batch call it processed counts one request
        // per operation.
        let requests = after.requests - before.requests;
        let extra_ops: u64 = units
            .iter()
            .filter(|u| u.ids.len() > 1 && u.processed())
            .map(|u| u.ids.len() as u64 - 1)
            .sum();
        let calls = requests - extra_ops;
        // A unit whose last attempt got a retry-class fault used up its
        // attempts; every other retry-class fault must have been retried,
        // and nothing else.
        let spent = units
            .iter()
            .filter(|u| u.result.as_ref().is_err_and(Error::retryable))
            .count() as u64;
        let first_calls = units.len() as u64;
        assert_eq!(
            calls,
            first_calls + used.retry_class() - spent,
            "wave {w}: calls against first calls {first_calls} + retry-class faults {} - units that used up their attempts {spent}",
            used.retry_class()
        );
        assert_eq!(
            after.rate_limited - before.rate_limited,
            used.rate_limited,
            "wave {w}: only injected 613s"
        );
        // Retries a success took were each caused by a retry-class fault;
        // a unit that used up its attempts took MAX_ATTEMPTS of them.
        let ok_retries: u64 = units
            .iter()
            .filter_map(|u| u.result.as_ref().ok())
            .map(|a| u64::from(a - 1))
            .sum();
        assert!(
            ok_retries + spent * u64::from(MAX_ATTEMPTS) <= used.retry_class(),
            "wave {w}: {ok_retries} retries of successes and {spent} units out of attempts, from {} retry-class faults",
            used.retry_class()
        );
        for u in &units {
            if let Ok(a) = u.result {
                assert!((1..=MAX_ATTEMPTS).contains(&a), "{a} attempts");
                retried_ok += u64::from(a > 1);
            }
            for (id, item) in u.ids.iter().zip(&u.items) {
                retryable_items += usize::from(item.as_ref().is_err_and(Error::retryable));
                assert!(
                    outcome[*id].replace(Word::of(item)).is_none(),
                    "message {id} has two outcomes"
                );
            }
        }
        if set.latency_ms > 0 {
            used.latency = calls;
        }
        injected.add(&used);
        retries += calls - first_calls;
        exhausted += spent;
        batches += units.iter().filter(|u| u.ids.len() > 1).count() as u64;
        first += n;
        w += 1;
    }
    let elapsed = started.elapsed();

    // Exactly one outcome per send.
    let words: Vec<Word> = outcome
        .iter()
        .enumerate()
        .map(|(id, o)| o.unwrap_or_else(|| panic!("message {id} has no outcome")))
        .collect();

    // At most once: every message at most once in the record; a delivered
    // one exactly once, a not-delivered one never.
    let record = emu.requests();
    let stats = emu.stats();
    assert_eq!(
        record.len() as u64,
        stats.accepted,
        "the record kept every accepted message"
    );
    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in &record {
        let t = r.body["message"]["text"]
            .as_str()
            .expect("a recorded text message")
            .to_string();
        *seen.entry(t).or_default() += 1;
    }
    let duplicates = seen.values().filter(|&&n| n > 1).count();
    let mut unknown_recorded = 0;
    for (id, word) in words.iter().enumerate() {
        let n = seen.get(&text(id)).copied().unwrap_or(0);
        match word {
            Word::Delivered => assert_eq!(n, 1, "delivered message {id}"),
            Word::NotDelivered => assert_eq!(n, 0, "message {id} was reported not delivered"),
            Word::Unknown => {
                assert!(n <= 1, "message {id}");
                unknown_recorded += n;
            }
        }
    }
    assert_eq!(duplicates, 0, "duplicate deliveries");
    assert_eq!(seen.values().sum::<usize>(), record.len());

    let count = |w: Word| words.iter().filter(|&&x| x == w).count();
    let retryable = retryable_items;
    let (delivered, not_delivered, unknown) = (
        count(Word::Delivered),
        count(Word::NotDelivered),
        count(Word::Unknown),
    );
    // The soak must have exercised every path, or it proves nothing.
    for (what, n) in [
        ("latency", injected.latency),
        ("dropped connections", injected.drop),
        ("5xx with Graph's error", injected.status_500),
        ("5xx without", injected.status_502),
        ("613", injected.rate_limited),
        ("malformed answers", injected.malformed),
        ("retries", retries),
    ] {
        assert!(n > 0, "no {what} in the soak");
    }
    assert!(delivered > 0 && not_delivered > 0 && unknown > 0);
    // Both kinds of `not delivered`: retryable (attempts used up) and not
    // (code 190).
    assert!(
        retryable > 0 && retryable < not_delivered,
        "{retryable} of {not_delivered}"
    );
    assert!(exhausted > 0, "no send used up its attempts");

    let secs = elapsed.as_secs_f64();
    println!("soak: sends {total} ({batches} batches of up to {BATCH})");
    println!(
        "soak: outcomes {} {delivered}, {} {not_delivered} ({retryable} of them retryable), {} {unknown} ({unknown_recorded} of them in the record)",
        Word::Delivered.as_str(),
        Word::NotDelivered.as_str(),
        Word::Unknown.as_str(),
    );
    println!(
        "soak: retries {retries} (only of retry-class faults); {exhausted} calls used up their {MAX_ATTEMPTS} attempts; {retried_ok} calls delivered after a retry"
    );
    println!(
        "soak: faults injected: latency {} calls ({} ms), dropped connections {}, 5xx {} ({} with Graph's code 2, {} without), 613 {}, malformed answers {}; sends with a wrong token (code 190) {}",
        injected.latency,
        LATENCY.as_millis(),
        injected.drop,
        injected.status_500 + injected.status_502,
        injected.status_500,
        injected.status_502,
        injected.rate_limited,
        injected.malformed,
        (0..total)
            .filter(|id| id % WAVE < SINGLES && id.is_multiple_of(REFUSED_EVERY))
            .count(),
    );
    println!("soak: duplicates {duplicates}");
    println!(
        "soak: elapsed {secs:.2} s, {:.0} sends/s",
        total as f64 / secs.max(f64::EPSILON)
    );
}
