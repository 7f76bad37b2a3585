//! Run-time support of the generated webhook types: a tolerant reader over
//! `serde_json::Value`.
//!
//! Meta adds fields, events and enum values without notice, so the reader
//! never fails on what it does not know: unknown keys are kept, unknown
//! enum values and events are kept as text or raw JSON. It coerces what Meta
//! is known to send loosely (ids as numbers, integers as numeric strings,
//! `null` for absent). What it refuses is a required field that is missing
//! or a known field whose value cannot be read, with the path to it.

use std::fmt;

use serde::de::{Deserialize, Deserializer};
use serde_json::{Map, Number, Value};

/// Why a webhook value could not be read: what went wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Path segments from the innermost outwards (`Err` values gain their
    /// outer segments while they travel up).
    rev_path: Vec<Seg>,
    message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

impl Error {
    fn new(message: String) -> Error {
        Error {
            rev_path: Vec::new(),
            message,
        }
    }

    fn at(mut self, seg: Seg) -> Error {
        self.rev_path.push(seg);
        self
    }

    /// The path of the offending value, as `entry[0].messaging[1].message`.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for seg in self.rev_path.iter().rev() {
            match seg {
                Seg::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Seg::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path();
        if path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at `{path}`: {}", self.message)
        }
    }
}

impl std::error::Error for Error {}

/// A value a webhook carries, read tolerantly.
pub trait Decode: Sized {
    /// Reads `v`, which is never `null` (a `null` is absent).
    fn decode(v: Value) -> Result<Self, Error>;
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn mismatch(expected: &str, found: &Value) -> Error {
    Error::new(format!("expected {expected}, found {}", kind_of(found)))
}

/// Text: a string, or a number as its digits (ids arrive both ways).
impl Decode for String {
    fn decode(v: Value) -> Result<Self, Error> {
        match v {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(mismatch("a string or a number", &other)),
        }
    }
}

/// An integer, or a string of one (samples quote timestamps).
impl Decode for i64 {
    fn decode(v: Value) -> Result<Self, Error> {
        let parsed = match &v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        parsed.ok_or_else(|| mismatch("an integer or a string of digits", &v))
    }
}

/// A boolean, or `"true"`/`"false"`.
impl Decode for bool {
    fn decode(v: Value) -> Result<Self, Error> {
        match &v {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if s == "true" => Ok(true),
            Value::String(s) if s == "false" => Ok(false),
            _ => Err(mismatch("true or false", &v)),
        }
    }
}

/// A number, or a string of one.
impl Decode for Number {
    fn decode(v: Value) -> Result<Self, Error> {
        match v {
            Value::Number(n) => Ok(n),
            Value::String(s) => serde_json::from_str(s.trim())
                .map_err(|_| Error::new(format!("expected a number, found the string `{s}`"))),
            other => Err(mismatch("a number", &other)),
        }
    }
}

/// Any JSON, as sent.
impl Decode for Value {
    fn decode(v: Value) -> Result<Self, Error> {
        Ok(v)
    }
}

/// An array, each item read in turn; `null` items are skipped.
impl<T: Decode> Decode for Vec<T> {
    fn decode(v: Value) -> Result<Self, Error> {
        let Value::Array(items) = v else {
            return Err(mismatch("an array", &v));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            if !item.is_null() {
                out.push(T::decode(item).map_err(|e| e.at(Seg::Index(i)))?);
            }
        }
        Ok(out)
    }
}

/// The object a struct reads its fields from.
pub fn object(v: Value, ty: &str) -> Result<Map<String, Value>, Error> {
    match v {
        Value::Object(m) => Ok(m),
        other => Err(mismatch(&format!("an object ({ty})"), &other)),
    }
}

/// Takes `key` out of `map`: `None` when absent or `null`.
fn take(map: &mut Map<String, Value>, key: &str) -> Option<Value> {
    map.remove(key).filter(|v| !v.is_null())
}

fn decode_at<T: Decode>(v: Value, key: &str) -> Result<T, Error> {
    T::decode(v).map_err(|e| e.at(Seg::Key(key.to_string())))
}

/// A required field, taken out of `map`.
pub fn required<T: Decode>(map: &mut Map<String, Value>, key: &str, ty: &str) -> Result<T, Error> {
    match take(map, key) {
        Some(v) => decode_at(v, key),
        None => Err(Error::new(format!(
            "missing required field `{key}` of {ty}"
        ))),
    }
}

/// An optional field, taken out of `map`.
pub fn optional<T: Decode>(map: &mut Map<String, Value>, key: &str) -> Result<Option<T>, Error> {
    take(map, key).map(|v| decode_at(v, key)).transpose()
}

/// An optional array, taken out of `map`: empty when absent.
pub fn list<T: Decode>(map: &mut Map<String, Value>, key: &str) -> Result<Vec<T>, Error> {
    Ok(optional(map, key)?.unwrap_or_default())
}

/// The text of an open enum's value: a string, or a number's digits.
pub fn enum_text(v: Value, ty: &str) -> Result<String, Error> {
    String::decode(v).map_err(|e| Error::new(format!("{} ({ty})", e.message)))
}

/// How the generated classifier tells one event from another, from the
/// spec's `[webhooks.events]`, in the spec's order.
#[derive(Debug)]
pub struct EventSpec {
    /// The item key and its aliases, in the order they are tried.
    pub keys: &'static [&'static str],
    /// A boolean payload field that must be `true`.
    pub flag: Option<&'static str>,
    /// A payload field and the string it must equal.
    pub when: Option<(&'static str, &'static str)>,
}

impl EventSpec {
    fn conditional(&self) -> bool {
        self.flag.is_some() || self.when.is_some()
    }

    fn holds(&self, payload: &Value) -> bool {
        let flag = self
            .flag
            .is_none_or(|f| payload.get(f) == Some(&Value::Bool(true)));
        let when = self
            .when
            .is_none_or(|(f, equals)| payload.get(f).and_then(Value::as_str) == Some(equals));
        flag && when
    }

    fn key_in<'m>(&self, item: &'m Map<String, Value>) -> Option<(&'static str, &'m Value)> {
        self.keys
            .iter()
            .find_map(|k| item.get(*k).filter(|v| !v.is_null()).map(|v| (*k, v)))
    }
}

/// Which event an item carries, as the spec's `Webhooks::classify` decides:
/// the first conditional event (a `flag` or `when`) whose key is present
/// and whose condition holds, else the first unconditional event whose key
/// is present. A key holding `null` counts as absent. Gives the event's
/// index and the key that carried it.
pub fn classify(events: &[EventSpec], item: &Map<String, Value>) -> Option<(usize, &'static str)> {
    let conditional = events.iter().enumerate().find_map(|(i, e)| {
        let (key, payload) = e.key_in(item)?;
        (e.conditional() && e.holds(payload)).then_some((i, key))
    });
    conditional.or_else(|| {
        events.iter().enumerate().find_map(|(i, e)| {
            let (key, _) = e.key_in(item)?;
            (!e.conditional()).then_some((i, key))
        })
    })
}

/// `Deserialize` through [`Decode`]: the value is read as JSON first, then
/// tolerantly; an error names the path.
pub fn deserialize<'de, T: Decode, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    use serde::de::Error as _;
    let v = Value::deserialize(d)?;
    T::decode(v).map_err(D::Error::custom)
}
