//! The two engines held equal (DESIGN.md, "Tests, in layers"): for every
//! body in the spec crate's tests and in the peer corpus, under both
//! snapshots and both platforms,
//!
//! - the dynamic engine's verdict equals the typed bindings' verdict
//!   (read with `Request::from_json`, then `validate()`), with the same error
//!   rule ids when the body reads;
//! - `request!`'s expansion function, called on the body as tokens, accepts
//!   exactly the valid bodies;
//! - a valid body read into the typed request serializes back to itself,
//!   modulo the documented coercions.
//!
//! The cases are every file found, not a hand-picked list.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{alias_table, has_compile_error, normalize, tokens, typed_verdict};
use proc_macro2::TokenStream;
use sendapi_codegen::Shapes;
use sendapi_codegen::request_expansion::{Bindings, Parsed, expand, expand_parsed};
use sendapi_spec::{Engine, Platform};
use serde_json::Value;

fn bodies() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/tests/bodies");
    for sub in ["valid", "invalid"] {
        collect(&root.join(sub), &mut out);
    }
    match sendapi_spec::shared_dir() {
        Ok(Some(dir)) => {
            let peer = dir.join("corpus/peer");
            collect(&peer, &mut out);
            collect(&peer.join("deprecated"), &mut out);
        }
        Ok(None) => {}
        Err(e) => panic!("{e}"),
    }
    out.sort();
    assert!(
        out.len() > 100,
        "expected the spec crate's bodies, found {}",
        out.len()
    );
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

struct Snapshot {
    name: &'static str,
    engine: &'static Engine,
    spec: &'static sendapi_spec::Spec,
    shapes: Shapes,
}

/// Every mutation of `v` this test tries: each key removed, each string
/// made too long, each scalar given the wrong type, an unknown key added to
/// each object.
fn mutations(v: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    fn walk(root: &Value, path: &mut Vec<String>, out: &mut Vec<Value>) {
        let node = pointer(root, path);
        match node {
            Value::Object(m) => {
                for k in m.keys() {
                    let mut dropped = root.clone();
                    if let Value::Object(mm) = pointer_mut(&mut dropped, path) {
                        mm.remove(k);
                    }
                    out.push(dropped);
                    path.push(k.clone());
                    walk(root, path, out);
                    path.pop();
                }
                let mut extra = root.clone();
                if let Value::Object(mm) = pointer_mut(&mut extra, path) {
                    mm.insert("qick_replies".into(), Value::Bool(true));
                }
                out.push(extra);
            }
            Value::Array(a) => {
                for i in 0..a.len() {
                    path.push(i.to_string());
                    walk(root, path, out);
                    path.pop();
                }
            }
            Value::String(_) => {
                let mut long = root.clone();
                *pointer_mut(&mut long, path) = Value::String("é".repeat(2100));
                out.push(long);
                let mut num = root.clone();
                *pointer_mut(&mut num, path) = Value::from(7);
                out.push(num);
            }
            Value::Bool(_) | Value::Number(_) => {
                let mut s = root.clone();
                *pointer_mut(&mut s, path) = Value::String("x".into());
                out.push(s);
            }
            Value::Null => {}
        }
    }
    walk(v, &mut Vec::new(), &mut out);
    out
}

fn pointer<'a>(v: &'a Value, path: &[String]) -> &'a Value {
    path.iter().fold(v, |v, k| match v {
        Value::Object(m) => &m[k],
        Value::Array(a) => &a[k.parse::<usize>().unwrap_or(0)],
        other => other,
    })
}

fn pointer_mut<'a>(v: &'a mut Value, path: &[String]) -> &'a mut Value {
    let mut cur = v;
    for k in path {
        cur = match cur {
            Value::Object(m) => m.get_mut(k).expect("path exists"),
            Value::Array(a) => &mut a[k.parse::<usize>().unwrap_or(0)],
            other => other,
        };
    }
    cur
}

#[test]
fn engine_typed_bindings_and_request_macro_agree() {
    let snapshots: Vec<Snapshot> = ["v21.0", "v26.0"]
        .into_iter()
        .map(|name| {
            let spec = sendapi_spec::bundled(name).expect("bundled");
            Snapshot {
                name,
                engine: sendapi_spec::bundled_engine(name).expect("bundled"),
                spec,
                shapes: Shapes::new(spec),
            }
        })
        .collect();
    let mut problems = Vec::new();
    let mut counts = [0usize; 2];
    let mut cases: Vec<(String, Value)> = Vec::new();
    for path in bodies() {
        let text = std::fs::read(&path).expect("readable body");
        let Ok(body) = serde_json::from_slice::<Value>(&text) else {
            continue;
        };
        let short = path
            .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
            .unwrap_or(&path)
            .display()
            .to_string();
        // Generated cases: mutations of the valid bodies of our own.
        if short.contains("bodies/valid/") {
            for (i, m) in mutations(&body).into_iter().enumerate() {
                cases.push((format!("{short} mutation {i}"), m));
            }
        }
        cases.push((short, body));
    }
    let (mut t_engine, mut t_typed, mut t_expand) = (
        std::time::Duration::ZERO,
        std::time::Duration::ZERO,
        std::time::Duration::ZERO,
    );
    for (short, body) in cases {
        let body = &body;
        for s in &snapshots {
            let module = match s.name {
                "v21.0" => quote::quote!(::sendapi::v21),
                _ => quote::quote!(::sendapi::v26),
            };
            let bindings = Bindings {
                spec: s.spec,
                shapes: &s.shapes,
                engine: s.engine,
                module,
            };
            let aliases = alias_table(s.spec);
            for platform in [Platform::Messenger, Platform::Instagram] {
                let t0 = std::time::Instant::now();
                let report = s.engine.validate(body, platform);
                t_engine += t0.elapsed();
                let engine_errors: BTreeSet<String> =
                    report.errors().map(|v| v.rule.clone()).collect();
                let valid = engine_errors.is_empty();
                counts[usize::from(valid)] += 1;
                let at = format!("{short} under {} on {platform}", s.name);

                // Typed bindings.
                let t0 = std::time::Instant::now();
                let typed = typed_verdict(s.name, body, platform);
                t_typed += t0.elapsed();
                match typed {
                    Err(structural) => {
                        if valid {
                            problems.push(format!("{at}: the engine accepts it, the typed reader refuses it: {structural:?}"));
                        } else if !structural.is_subset(&engine_errors) {
                            problems.push(format!("{at}: the typed reader reports {structural:?}, not among the engine's {engine_errors:?}"));
                        }
                    }
                    Ok(Err(checked)) => {
                        if checked != engine_errors {
                            problems.push(format!(
                                "{at}: validate() reports {checked:?}, the engine {engine_errors:?}"
                            ));
                        }
                    }
                    Ok(Ok(back)) => {
                        if !valid {
                            problems.push(format!("{at}: the engine refuses it ({engine_errors:?}), the typed bindings accept it"));
                        } else if normalize(&back, &aliases) != normalize(body, &aliases) {
                            problems.push(format!("{at}: round trip differs beyond the documented coercions:\n  in : {body}\n  out: {back}"));
                        }
                    }
                }

                // request!'s expansion function.
                let mut input = TokenStream::new();
                if platform == Platform::Instagram {
                    input.extend(quote::quote!(instagram,));
                }
                input.extend(tokens(body));
                let t0 = std::time::Instant::now();
                let expansion = expand(input.clone(), &bindings);
                t_expand += t0.elapsed();
                let refused = has_compile_error(&expansion);
                // The macro's own path: the body read, and built from the
                // shapes, before the engine checks it.
                let mut ahead = Parsed::new(input);
                ahead.build_ahead(bindings.shapes, &bindings.module);
                if expand_parsed(ahead, &bindings).to_string() != expansion.to_string() {
                    problems.push(format!(
                        "{at}: built ahead of its check, the body expands differently"
                    ));
                }
                if refused == valid {
                    problems.push(format!(
                        "{at}: request! {} a body the engine {}",
                        if refused { "refuses" } else { "accepts" },
                        if valid { "accepts" } else { "refuses" }
                    ));
                }
            }
        }
    }
    eprintln!("time: engine {t_engine:?}, typed {t_typed:?}, request! expansion {t_expand:?}");
    eprintln!(
        "checked {} invalid and {} valid (body, snapshot, platform) cases",
        counts[0], counts[1]
    );
    assert!(
        counts[0] > 1000 && counts[1] > 1000,
        "expected many valid and invalid cases, found {counts:?}"
    );
    assert!(
        problems.is_empty(),
        "{} disagreement(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
