//! Rule engine cost against a baseline from the same run.
//!
//! The baseline is `serde_json::from_slice::<Value>` of the same bytes, the
//! least any validator must spend. Five body sets, each measured three ways
//! per iteration over the whole set: `parse` (the baseline), `validate` (a
//! pre-parsed `Value`, latest snapshot, Messenger) and `parse+validate`:
//!
//! - `peer`: the peer corpus, read in place from the shared folder (skipped
//!   when absent), bodies other projects send;
//! - `peer-mutated`: every peer body with mechanical edits at each of its
//!   objects (an unknown key, a misspelled key, a number for a string, a
//!   2,100-character string, a dropped key): bodies nobody tuned on, most
//!   of them invalid;
//! - `own-valid` and `own-invalid`: this crate's test bodies;
//! - `own-mutated`: the same edits applied to every `own-valid` body, a
//!   second set nobody tuned on that needs no shared folder.
//!
//! Criterion reports the time per set and the throughput in bodies per
//! second; at the end the bench prints the mean per body of every measured
//! iteration and the ratio validate/parse.
//!
//! Quick run: `cargo bench -p sendapi-spec --bench engine -- --quick`.

use std::hint::black_box;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use sendapi_spec::{Engine, Platform, bundled_engine};
use serde_json::Value;

/// (set, mode) -> (total time, iterations, bodies per iteration)
type Totals = Vec<((String, &'static str), Duration, u64, usize)>;

static TOTALS: Mutex<Totals> = Mutex::new(Vec::new());

fn record(set: &str, mode: &'static str, elapsed: Duration, iters: u64, bodies: usize) {
    let mut totals = TOTALS.lock().unwrap_or_else(|e| e.into_inner());
    match totals.iter_mut().find(|(k, ..)| k.0 == set && k.1 == mode) {
        Some((_, d, n, _)) => {
            *d += elapsed;
            *n += iters;
        }
        None => totals.push(((set.to_string(), mode), elapsed, iters, bodies)),
    }
}

fn json_files(dir: &Path) -> Vec<Vec<u8>> {
    let mut paths: Vec<_> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(e) => panic!("cannot list {}: {e}", dir.display()),
    };
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect()
}

/// Request bodies of the peer corpus (current and deprecated), read in place.
fn peer_bodies() -> Option<Vec<Vec<u8>>> {
    let dir = match sendapi_spec::shared_dir() {
        Ok(Some(dir)) => dir.join("corpus").join("peer"),
        Ok(None) => return None,
        Err(why) => {
            eprintln!("skipping the peer group: {why}");
            return None;
        }
    };
    let mut bodies = json_files(&dir);
    bodies.extend(json_files(&dir.join("deprecated")));
    Some(bodies)
}

fn own_bodies(kind: &str) -> Vec<Vec<u8>> {
    json_files(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .join("bodies")
            .join(kind),
    )
}

/// Bodies nobody tuned on: every given body with each of a few mechanical
/// edits (an unknown key, a misspelled key, a number for a string, a long
/// string, a dropped key), applied at every object of the body. Most break
/// a rule, some several.
fn mutated(raw: &[Vec<u8>]) -> Vec<Vec<u8>> {
    fn objects(v: &Value) -> usize {
        match v {
            Value::Object(m) => 1 + m.values().map(objects).sum::<usize>(),
            Value::Array(a) => a.iter().map(objects).sum(),
            _ => 0,
        }
    }
    let mut bodies = Vec::new();
    for bytes in raw {
        let original = parse(bytes);
        let count = objects(&original);
        for at in 0..count {
            for edit in 0..5 {
                let mut v = original.clone();
                edit_object(&mut v, at, edit);
                bodies.push(serde_json::to_vec(&v).expect("a Value serializes"));
            }
        }
    }
    bodies
}

/// Applies edit number `edit` to the `at`-th object of `v` in walk order.
fn edit_object(v: &mut Value, at: usize, edit: usize) {
    fn nth<'a>(v: &'a mut Value, at: &mut usize) -> Option<&'a mut serde_json::Map<String, Value>> {
        match v {
            Value::Object(m) => {
                if *at == 0 {
                    return Some(m);
                }
                *at -= 1;
                m.values_mut().find_map(|x| nth(x, at))
            }
            Value::Array(a) => a.iter_mut().find_map(|x| nth(x, at)),
            _ => None,
        }
    }
    let mut at = at;
    let Some(m) = nth(v, &mut at) else { return };
    let first = m.keys().next().cloned();
    match (edit, first) {
        (0, _) => {
            m.insert("unexpected_key".into(), Value::from("x"));
        }
        (1, Some(k)) => {
            let x = m.remove(&k).unwrap_or(Value::Null);
            m.insert(format!("{k}s"), x);
        }
        (2, Some(k)) => {
            m.insert(k, Value::from(42));
        }
        (3, Some(k)) => {
            if m.get(&k).is_some_and(Value::is_string) {
                m.insert(k, Value::from("x".repeat(2100)));
            } else {
                m.remove(&k);
            }
        }
        (_, Some(k)) => {
            m.remove(&k);
        }
        _ => {}
    }
}

fn parse(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("bench bodies are JSON")
}

fn bench_set(c: &mut Criterion, engine: &Engine, set: &str, raw: &[Vec<u8>]) {
    let parsed: Vec<Value> = raw.iter().map(|b| parse(b)).collect();
    let n = raw.len();
    let mut group = c.benchmark_group(format!("engine/{set}"));
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("parse", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                for bytes in raw {
                    black_box(parse(black_box(bytes)));
                }
            }
            let elapsed = start.elapsed();
            record(set, "parse", elapsed, iters, n);
            elapsed
        });
    });
    group.bench_function("validate", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                for value in &parsed {
                    black_box(engine.validate(black_box(value), Platform::Messenger));
                }
            }
            let elapsed = start.elapsed();
            record(set, "validate", elapsed, iters, n);
            elapsed
        });
    });
    group.bench_function("parse+validate", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                for bytes in raw {
                    let value = parse(black_box(bytes));
                    black_box(engine.validate(&value, Platform::Messenger));
                }
            }
            let elapsed = start.elapsed();
            record(set, "parse+validate", elapsed, iters, n);
            elapsed
        });
    });
    group.finish();
}

fn summary() {
    let totals = TOTALS.lock().unwrap_or_else(|e| e.into_inner());
    let per_body = |set: &str, mode: &str| -> Option<(f64, usize)> {
        totals
            .iter()
            .find(|(k, ..)| k.0 == set && k.1 == mode)
            .filter(|(_, _, iters, n)| *iters > 0 && *n > 0)
            .map(|(_, d, iters, n)| (d.as_secs_f64() * 1e6 / (*iters as f64 * *n as f64), *n))
    };
    let mut sets: Vec<&str> = totals.iter().map(|(k, ..)| k.0.as_str()).collect();
    sets.dedup();
    println!("\nper-body means over every measured iteration (same run):");
    for set in sets {
        let (Some((p, n)), Some((v, _)), Some((pv, _))) = (
            per_body(set, "parse"),
            per_body(set, "validate"),
            per_body(set, "parse+validate"),
        ) else {
            continue;
        };
        println!(
            "  {set:>12} ({n} bodies): parse {p:.2} µs/body (baseline), validate {v:.2} µs/body, parse+validate {pv:.2} µs/body; validate/parse = {:.2}, (parse+validate)/parse = {:.2}",
            v / p,
            pv / p
        );
    }
}

fn main() {
    let engine = bundled_engine("latest").expect("the bundled snapshot loads");
    let mut c = Criterion::default().configure_from_args();
    match peer_bodies() {
        Some(raw) if !raw.is_empty() => {
            bench_set(&mut c, engine, "peer", &raw);
            bench_set(&mut c, engine, "peer-mutated", &mutated(&raw));
        }
        _ => eprintln!("skipping the peer groups: no corpus"),
    }
    let own_valid = own_bodies("valid");
    bench_set(&mut c, engine, "own-valid", &own_valid);
    bench_set(&mut c, engine, "own-invalid", &own_bodies("invalid"));
    bench_set(&mut c, engine, "own-mutated", &mutated(&own_valid));
    c.final_summary();
    summary();
}
