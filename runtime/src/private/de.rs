//! Run-time support of the generated readers (`FromJson`): the engine's
//! structural checks, over `serde_json::Value`, reporting under the spec's
//! rule ids.

use std::fmt;

use serde_json::{Map, Number, Value};

use sendapi_core::pointer::push_key as push_segment;
use sendapi_core::{closest, list};

use crate::rule::{Invalid, Rule, Violation, violation};

pub use serde::de::{Deserialize, Deserializer};

/// The global structural rules of a snapshot.
#[derive(Debug)]
pub struct Rules {
    /// A key the type does not have.
    pub unknown_field: &'static Rule,
    /// A value of the wrong JSON type.
    pub type_mismatch: &'static Rule,
    /// A string outside an enum or a tag outside a union.
    pub enum_value: &'static Rule,
    /// A required field is missing.
    pub required: &'static Rule,
}

/// A type the generated readers build from JSON.
pub trait FromJson: Sized {
    /// Reads `v`, reporting every problem into `cx`; `None` when it had any.
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self>;
}

/// The reader's state: pointer and violations.
#[derive(Debug)]
pub struct Cx {
    rules: &'static Rules,
    ptr: Vec<String>,
    out: Vec<Violation>,
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => crate::__private::check::describe_str(s),
        Value::Array(a) => format!(
            "an array of {}",
            sendapi_core::count(a.len(), "item", "items")
        ),
        Value::Object(_) => "an object".into(),
    }
}

/// `{found}` for the value at `key`: "nothing" when absent.
pub fn describe_at(map: &Map<String, Value>, key: &str) -> String {
    match map.get(key) {
        None | Some(Value::Null) => "nothing".into(),
        Some(v) => describe(v),
    }
}

/// Whether `key` holds a non-null value.
pub fn present(map: &Map<String, Value>, key: &str) -> bool {
    map.get(key).is_some_and(|v| !v.is_null())
}

impl Cx {
    /// A reader reporting under `rules`.
    pub fn new(rules: &'static Rules) -> Cx {
        Cx {
            rules,
            ptr: Vec::new(),
            out: Vec::new(),
        }
    }

    /// The global rules.
    pub fn rules(&self) -> &'static Rules {
        self.rules
    }

    fn pointer(&self) -> String {
        let mut s = String::new();
        for k in &self.ptr {
            push_segment(&mut s, k);
        }
        s
    }

    fn report(
        &mut self,
        rule: &'static Rule,
        extra: Option<&str>,
        vars: &[(&str, &dyn fmt::Display)],
    ) {
        let mut p = self.pointer();
        if let Some(k) = extra {
            push_segment(&mut p, k);
        }
        self.out.push(violation(rule, p, vars));
    }

    /// Enters an object key.
    pub fn enter(&mut self, key: &str) {
        self.ptr.push(key.to_string());
    }

    /// Leaves the last key or item.
    pub fn leave(&mut self) {
        self.ptr.pop();
    }

    fn type_error(&mut self, v: &Value, expected: &str) {
        let found = describe(v);
        self.report(
            self.rules.type_mismatch,
            None,
            &[("expected", &expected), ("found", &found)],
        );
    }

    /// The object `v`, or a type error.
    pub fn object<'v>(&mut self, v: &'v Value, ty: &str) -> Option<&'v Map<String, Value>> {
        match v {
            Value::Object(m) => Some(m),
            other => {
                self.type_error(other, &format!("an object ({ty})"));
                None
            }
        }
    }

    /// A string.
    pub fn string(&mut self, v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            other => {
                self.type_error(other, "a string");
                None
            }
        }
    }

    /// An id: a string, or an integer Graph reads as one.
    pub fn id(&mut self, v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
            other => {
                self.type_error(other, "an id string");
                None
            }
        }
    }

    /// A string or a number, kept as text.
    pub fn string_or_number(&mut self, v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            other => {
                self.type_error(other, "a string or a number");
                None
            }
        }
    }

    /// A boolean, or `"true"`/`"false"`.
    pub fn boolean(&mut self, v: &Value) -> Option<bool> {
        match v {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            other => {
                self.type_error(other, "true or false");
                None
            }
        }
    }

    /// A number.
    pub fn number(&mut self, v: &Value) -> Option<Number> {
        match v {
            Value::Number(n) => Some(n.clone()),
            other => {
                self.type_error(other, "a number");
                None
            }
        }
    }

    /// An integer.
    pub fn integer(&mut self, v: &Value) -> Option<i64> {
        match v {
            Value::Number(n) if n.is_i64() => n.as_i64(),
            other => {
                self.type_error(other, "an integer");
                None
            }
        }
    }

    /// Any JSON value.
    pub fn json(&mut self, v: &Value) -> Option<Value> {
        Some(v.clone())
    }

    /// An array, each item read by `f`.
    pub fn array<T>(
        &mut self,
        v: &Value,
        mut f: impl FnMut(&Value, &mut Cx) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Value::Array(items) = v else {
            self.type_error(v, "an array");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            self.ptr.push(i.to_string());
            match f(item, self) {
                Some(x) => out.push(x),
                None => ok = false,
            }
            self.ptr.pop();
        }
        ok.then_some(out)
    }

    /// The string of an enum position.
    pub fn enum_str<'v>(&mut self, v: &'v Value, ty: &str) -> Option<&'v str> {
        match v {
            Value::String(s) => Some(s),
            other => {
                self.type_error(other, &format!("a string ({ty})"));
                None
            }
        }
    }

    /// The tag of a tagged union.
    pub fn tag<'v>(&mut self, map: &'v Map<String, Value>, tag: &str, ty: &str) -> Option<&'v str> {
        match map.get(tag) {
            None | Some(Value::Null) => {
                self.missing(tag, ty);
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.enter(tag);
                self.type_error(other, "a string");
                self.leave();
                None
            }
        }
    }

    /// Reports a key `ty` does not have.
    pub fn unknown(&mut self, key: &str, ty: &str, expected: &[&str]) {
        let suggestion = closest(key, expected.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        let exp = list(expected, "or");
        self.report(
            self.rules.unknown_field,
            Some(key),
            &[
                ("field", &key),
                ("type", &ty),
                ("suggestion", &suggestion),
                ("expected", &exp),
            ],
        );
    }

    /// Reports a missing required field.
    pub fn missing(&mut self, field: &str, ty: &str) {
        self.report(
            self.rules.required,
            None,
            &[("field", &field), ("type", &ty)],
        );
    }

    /// Reports an enum value or tag outside the allowed set.
    pub fn bad_value(&mut self, found: &str, ty: &str, expected: &[&str]) {
        let suggestion = closest(found, expected.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        let exp = list(expected, "or");
        self.report(
            self.rules.enum_value,
            None,
            &[
                ("found", &found),
                ("value", &found),
                ("type", &ty),
                ("expected", &exp),
                ("suggestion", &suggestion),
            ],
        );
    }

    /// Reports a structural rule of the spec (an exclusive group, a field a
    /// variant does not take, a carried field without its value).
    pub fn rule(
        &mut self,
        rule: &'static Rule,
        key: Option<&str>,
        vars: &[(&str, &dyn fmt::Display)],
    ) {
        self.report(rule, key, vars);
    }

    /// Checks that exactly one of `keys` is present; reports `rule` if not.
    pub fn exactly_one(
        &mut self,
        map: &Map<String, Value>,
        keys: &[&str],
        rule: &'static Rule,
    ) -> bool {
        let found: Vec<&str> = keys.iter().copied().filter(|k| present(map, k)).collect();
        if found.len() == 1 {
            return true;
        }
        let fields = list(keys, "or");
        let shown = list(&found, "and");
        let count = found.len();
        self.report(
            rule,
            found.get(1).copied(),
            &[("fields", &fields), ("present", &shown), ("count", &count)],
        );
        false
    }

    /// The verdict.
    pub fn finish<T>(self, value: Option<T>, snapshot: &'static str) -> Result<T, Invalid> {
        match value {
            Some(v) if self.out.is_empty() => Ok(v),
            _ => Err(Invalid {
                snapshot,
                violations: self.out,
            }),
        }
    }
}

/// Reads a typed value from JSON with the snapshot's structural rules.
pub fn decode<T: FromJson>(
    v: &Value,
    rules: &'static Rules,
    snapshot: &'static str,
) -> Result<T, Invalid> {
    let mut cx = Cx::new(rules);
    let out = T::from_json(v, &mut cx);
    cx.finish(out, snapshot)
}

/// `Deserialize` through `FromJson`.
pub fn deserialize<'de, T: FromJson, D: Deserializer<'de>>(
    d: D,
    rules: &'static Rules,
) -> Result<T, D::Error> {
    use serde::de::Error;
    let v = Value::deserialize(d)?;
    decode(&v, rules, "").map_err(|e| {
        let parts: Vec<String> = e.violations.iter().map(ToString::to_string).collect();
        D::Error::custom(parts.join("; "))
    })
}
