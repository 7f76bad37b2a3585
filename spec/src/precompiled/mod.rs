//! The bundled snapshots, already loaded and linted, as Rust code that
//! builds the [`Spec`] directly.
//!
//! Loading a snapshot from TOML (parse, model, lint) costs hundreds of
//! milliseconds in a user's debug build, where the macro runs unoptimized;
//! building the same values from Rust costs a few. The files beside this one
//! are generated from the TOML by `generate` and kept equal to it by the
//! tests there: regenerate them with
//! `SENDAPI_BLESS=1 cargo test -p sendapi-spec --lib precompiled`.

use std::ops::Range;

use crate::model::{Date, Map, Spanned};
use crate::rule::CheckedRegex;
use crate::spec::Spec;

#[cfg(all(test, feature = "load"))]
mod generate;
#[rustfmt::skip]
mod v26;

/// The pre-compiled form of a bundled snapshot, by canonical name; `None`
/// for a snapshot that has none (its TOML is loaded instead).
pub(crate) fn spec(canonical: &str) -> Option<Spec> {
    match canonical {
        "v26.0" => Some(v26::spec()),
        _ => None,
    }
}

/// Whether a bundled snapshot has a pre-compiled form.
pub(crate) fn has(canonical: &str) -> bool {
    canonical == "v26.0"
}

// Short helpers keep the generated files small, which is what their build
// costs.

fn s(text: &str) -> String {
    text.to_string()
}

fn sp<T>(span: Range<usize>, value: T) -> Spanned<T> {
    Spanned::new(span, value)
}

fn ss(span: Range<usize>, text: &str) -> Spanned<String> {
    Spanned::new(span, text.to_string())
}

fn d(year: u16, month: u8, day: u8) -> Date {
    Date { year, month, day }
}

fn m<K: std::hash::Hash + Eq, V>(entries: Vec<(K, V)>) -> Map<K, V> {
    entries.into_iter().collect()
}

fn re(pattern: &str) -> CheckedRegex {
    CheckedRegex::known(pattern)
}
