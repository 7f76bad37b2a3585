//! Run-time cost of `request!` against hand-written serde types, measured in
//! the same run.
//!
//! The 50 bodies are those of `bench/compile` (written by
//! `bench/compile/generate.py`): `macro50` builds each with
//! `sendapi::latest::request!`, `serde50` with hand-written
//! `#[derive(Serialize)]` types, `json50.rs` with `serde_json::json!`. The
//! sources are compiled into this bench as modules. One iteration builds
//! all 50 bodies and serializes each to a `String` (`bodies()`); the groups
//! are `request_macro`, `hand_written_serde` and `json_macro` (the two
//! baselines).
//!
//! Before measuring, the bench checks that all three produce the same 50
//! bodies (as JSON values). After criterion, it measures them again
//! interleaved (batches of about 5 ms in a rotating order, so drift on a
//! shared machine hits all alike) and prints the ratios of request_macro
//! to each baseline next to the ratio of criterion's means.
//!
//! Run: `cargo bench -p sendapi-tests --bench build_serialize`
//! (`-- --quick` for a short run).

use std::hint::black_box;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};

#[path = "../../bench/compile/json50.rs"]
mod json50;
#[path = "../../bench/compile/macro50/src/lib.rs"]
mod macro50;
#[path = "../../bench/compile/serde50/src/lib.rs"]
mod serde50;

type Bodies = fn() -> Vec<String>;

const SIDES: [(&str, Bodies); 3] = [
    ("request_macro", macro50::bodies),
    ("hand_written_serde", serde50::bodies),
    ("json_macro", json50::bodies),
];

/// Per side: total time and iterations over every criterion iteration.
static TOTALS: Mutex<[(Duration, u64); 3]> = Mutex::new([(Duration::ZERO, 0); 3]);

fn same_bodies() -> usize {
    let (m, s, j) = (macro50::bodies(), serde50::bodies(), json50::bodies());
    assert_eq!(m.len(), 50, "macro50 builds 50 bodies");
    assert_eq!(s.len(), 50, "serde50 builds 50 bodies");
    assert_eq!(j.len(), 50, "json50 builds 50 bodies");
    for (i, (a, b)) in m.iter().zip(&j).enumerate() {
        let va: serde_json::Value = serde_json::from_str(a).expect("request! output is JSON");
        let vb: serde_json::Value = serde_json::from_str(b).expect("json! output is JSON");
        assert_eq!(
            va,
            vb,
            "body {i} ({}) differs from json50's",
            macro50::NAMES[i]
        );
    }
    for (i, (a, b)) in m.iter().zip(&s).enumerate() {
        let va: serde_json::Value = serde_json::from_str(a).expect("request! output is JSON");
        let vb: serde_json::Value = serde_json::from_str(b).expect("serde output is JSON");
        assert_eq!(
            va,
            vb,
            "body {i} ({}) differs between the crates",
            macro50::NAMES[i]
        );
    }
    m.iter().zip(&s).filter(|(a, b)| a == b).count()
}

fn bench(c: &mut Criterion) {
    for (side, (name, bodies)) in SIDES.into_iter().enumerate() {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements(50));
        group.bench_function("build_serialize_50", |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(bodies());
                }
                let elapsed = start.elapsed();
                let mut totals = TOTALS.lock().unwrap_or_else(|e| e.into_inner());
                totals[side].0 += elapsed;
                totals[side].1 += iters;
                elapsed
            });
        });
        group.finish();
    }
}

/// Time per iteration of one batch, in µs.
fn batch(bodies: Bodies, iters: u64) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        black_box(bodies());
    }
    start.elapsed().as_secs_f64() * 1e6 / iters as f64
}

/// The `q` quantile (0..=1) of `v`, sorted in place.
fn quantile(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * q).round() as usize]
}

/// Interleaved batches of about 5 ms: each round times the three sides
/// back to back (rotating which goes first), so a slow spell of a shared
/// machine hits all; a ratio is the median of the per-round ratios.
fn interleaved(rounds: usize) {
    let one = batch(SIDES[1].1, 20).max(0.1);
    let iters = ((5_000.0 / one) as u64).max(1);
    let mut times: [Vec<f64>; 3] = Default::default();
    let (mut vs_serde, mut vs_json) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let mut t = [0.0; 3];
        for k in 0..3 {
            let i = (round + k) % 3;
            t[i] = batch(SIDES[i].1, iters);
        }
        for i in 0..3 {
            times[i].push(t[i]);
        }
        vs_serde.push(t[0] / t[1]);
        vs_json.push(t[0] / t[2]);
    }
    let med: Vec<f64> = times.iter_mut().map(|v| quantile(v, 0.5)).collect();
    println!(
        "  interleaved, {rounds} rounds of {iters} iterations each side (µs per 50 bodies, median): \
         request_macro {:.1}, hand_written_serde {:.1}, json_macro {:.1}",
        med[0], med[1], med[2]
    );
    for (name, ratios) in [
        ("hand_written_serde", &mut vs_serde),
        ("json_macro", &mut vs_json),
    ] {
        let (q1, m, q3) = (
            quantile(ratios, 0.25),
            quantile(ratios, 0.5),
            quantile(ratios, 0.75),
        );
        println!(
            "  P1 ratio request_macro/{name} = {m:.3} (median of the rounds' ratios; quartiles {q1:.3}..{q3:.3})"
        );
    }
}

fn summary() {
    let totals = *TOTALS.lock().unwrap_or_else(|e| e.into_inner());
    let per_iter = |(d, n): (Duration, u64)| (n > 0).then(|| d.as_secs_f64() * 1e6 / n as f64);
    if let (Some(a), Some(b), Some(c)) = (
        per_iter(totals[0]),
        per_iter(totals[1]),
        per_iter(totals[2]),
    ) {
        println!(
            "  criterion, mean over every measured iteration: request_macro {a:.1} µs, hand_written_serde {b:.1} µs, json_macro {c:.1} µs per 50 bodies; \
             ratios {:.3} and {:.3}",
            a / b,
            a / c
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    let identical = same_bodies();
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
    if flag("--list") || flag("--test") {
        return;
    }
    println!(
        "\nbuild + serialize 50 bodies, same run ({identical} of 50 bodies byte-identical between the crates):"
    );
    summary();
    interleaved(if flag("--quick") { 40 } else { 200 });
    println!("  target: ratio <= 1.05");
}
