//! What generated code reaches through `::sendapi::__private`. Not public API:
//! it changes without notice.

pub mod check;
pub mod de;
pub mod webhook;

pub use core::convert::{From, Into};
pub use core::iter::{IntoIterator, Iterator};
pub use core::marker::PhantomData;
pub use core::option::Option::{self, None, Some};
pub use core::result::Result::{self, Err, Ok};
pub use core::unreachable;
pub use std::boxed::Box;
pub use std::string::String;
pub use std::vec::Vec;

pub use serde_json::{Map, Number, Value};

pub use crate::Platform;
pub use crate::webhook::DedupeKey;
pub use sendapi_macros::request_impl;

/// The value standing in for a `request!` that did not compile, so that the
/// code around it type-checks without follow-on errors. Never runs: the
/// crate does not compile.
pub fn stub<T>() -> T {
    panic!("a sendapi::request! with compile errors was executed")
}

/// A JSON scalar from a `request!` literal's text.
pub fn json_from_str(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// Serialization traits for generated impls.
pub mod ser {
    pub use serde::ser::{Serialize, SerializeMap, Serializer};
}

/// `impl Into<T>` for a leaf of `request!`, so that a type error points at
/// the user's expression.
pub fn into<T>(value: impl Into<T>) -> T {
    value.into()
}

/// A JSON number from a `request!` literal (never NaN or infinite there).
pub fn number_f64(value: f64) -> Number {
    Number::from_f64(value).unwrap_or_else(|| Number::from(0))
}
