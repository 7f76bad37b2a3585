//! Helpers shared by the differential and the property tests: a JSON body
//! as `request!` tokens, the typed bindings' verdict, and the documented
//! coercions a round trip may apply.

// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::collections::BTreeSet;

use proc_macro2::{Delimiter, Group, Literal, Punct, Spacing, TokenStream, TokenTree};
use sendapi::PlatformMarker;
use sendapi_spec::Platform;
use serde_json::Value;

/// A JSON value as `request!` tokens (Rust escapes in strings).
pub fn tokens(v: &Value) -> TokenStream {
    let mut ts = TokenStream::new();
    match v {
        Value::Null => ts.extend([TokenTree::Ident(proc_macro2::Ident::new(
            "null",
            proc_macro2::Span::call_site(),
        ))]),
        Value::Bool(b) => ts.extend([TokenTree::Ident(proc_macro2::Ident::new(
            if *b { "true" } else { "false" },
            proc_macro2::Span::call_site(),
        ))]),
        Value::Number(n) => {
            let (neg, lit) = if let Some(i) = n.as_i64() {
                (i < 0, Literal::u64_unsuffixed(i.unsigned_abs()))
            } else if let Some(u) = n.as_u64() {
                (false, Literal::u64_unsuffixed(u))
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                (f < 0.0, Literal::f64_unsuffixed(f.abs()))
            };
            if neg {
                ts.extend([TokenTree::Punct(Punct::new('-', Spacing::Alone))]);
            }
            ts.extend([TokenTree::Literal(lit)]);
        }
        Value::String(s) => ts.extend([TokenTree::Literal(Literal::string(s))]),
        Value::Array(items) => {
            let mut inner = TokenStream::new();
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    inner.extend([TokenTree::Punct(Punct::new(',', Spacing::Alone))]);
                }
                inner.extend(tokens(item));
            }
            ts.extend([TokenTree::Group(Group::new(Delimiter::Bracket, inner))]);
        }
        Value::Object(map) => {
            let mut inner = TokenStream::new();
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    inner.extend([TokenTree::Punct(Punct::new(',', Spacing::Alone))]);
                }
                inner.extend([
                    TokenTree::Literal(Literal::string(k)),
                    TokenTree::Punct(Punct::new(':', Spacing::Alone)),
                ]);
                inner.extend(tokens(v));
            }
            ts.extend([TokenTree::Group(Group::new(Delimiter::Brace, inner))]);
        }
    }
    ts
}

/// The documented coercions, applied to a body: nulls dropped, transport
/// keys dropped, ids and payloads given as numbers written as strings,
/// `"true"`/`"false"` read as booleans, enum aliases written canonically
/// (the alias table comes from the spec). Applied to both sides, so only what
/// the coercions explain may differ.
pub fn normalize(v: &Value, aliases: &std::collections::HashMap<String, String>) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, v)| {
                    !v.is_null() && k.as_str() != "access_token" && k.as_str() != "appsecret_proof"
                })
                .map(|(k, v)| (k.clone(), normalize(v, aliases)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| normalize(x, aliases)).collect()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Value::String(n.to_string()),
        Value::String(s) if s == "true" => Value::Bool(true),
        Value::String(s) if s == "false" => Value::Bool(false),
        Value::String(s) => Value::String(aliases.get(s).cloned().unwrap_or_else(|| s.clone())),
        other => other.clone(),
    }
}

pub fn alias_table(spec: &sendapi_spec::Spec) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    for (_, def) in spec.types() {
        for (wire, v) in &def.values {
            for a in &v.aliases {
                out.insert(a.clone(), wire.get_ref().clone());
            }
        }
    }
    out
}

pub fn typed_verdict(
    snapshot: &str,
    body: &Value,
    platform: Platform,
) -> Result<Result<Value, BTreeSet<String>>, BTreeSet<String>> {
    fn run<P: PlatformMarker>(
        r: Result<Value, sendapi::Invalid>,
        validate: impl FnOnce() -> Result<(), sendapi::Invalid>,
    ) -> Result<Result<Value, BTreeSet<String>>, BTreeSet<String>> {
        let _ = std::marker::PhantomData::<P>;
        match r {
            Err(e) => Err(e.rule_ids().into_iter().map(String::from).collect()),
            Ok(v) => Ok(validate()
                .map(|()| v)
                .map_err(|e| e.rule_ids().into_iter().map(String::from).collect())),
        }
    }
    macro_rules! verdict {
        ($m:ident) => {{
            match sendapi::$m::Request::from_json(body) {
                Err(e) => Err(e.rule_ids().into_iter().map(String::from).collect()),
                Ok(req) => {
                    let back = serde_json::to_value(&req).expect("a typed request serializes");
                    let checked = match platform {
                        Platform::Messenger => req.on::<sendapi::Messenger>().validate(),
                        Platform::Instagram => req.on::<sendapi::Instagram>().validate(),
                    };
                    run::<sendapi::Messenger>(Ok(back), || checked)
                }
            }
        }};
    }
    match snapshot {
        "v21.0" => verdict!(v21),
        _ => verdict!(v26),
    }
}

pub fn has_compile_error(ts: &TokenStream) -> bool {
    ts.clone().into_iter().any(|tt| match tt {
        TokenTree::Ident(i) => i == "compile_error",
        TokenTree::Group(g) => has_compile_error(&g.stream()),
        _ => false,
    })
}
