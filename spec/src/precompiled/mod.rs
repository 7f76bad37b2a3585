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
/// for a snapshot that has none (its TOML is loaded instead), and for every
/// snapshot in a build without `receive`, which leaves the receive side out.
pub(crate) fn spec(canonical: &str) -> Option<Spec> {
    match canonical {
        #[cfg(feature = "receive")]
        "v26.0" => Some(v26::spec()),
        _ => None,
    }
}

/// The same without its receive side (`webhooks` is `None`): about a
/// quarter less to build, for callers that only check and build requests.
pub(crate) fn send_side(canonical: &str) -> Option<Spec> {
    match canonical {
        "v26.0" => Some(v26::send_side()),
        _ => None,
    }
}

/// Whether a bundled snapshot has a pre-compiled form.
pub(crate) fn has(canonical: &str) -> bool {
    canonical == "v26.0"
}

/// Runs `a` on a second thread while `b` runs on this one, or both here
/// when no thread can be had (a target without threads, a process at its
/// limit). A first `request!` in a build waits for the snapshot, and the
/// crate it expands in is usually the only one still compiling, so a second
/// core is free; a panic in `a` resurfaces here.
fn both<A: Send, B>(a: fn() -> A, b: fn() -> B) -> (A, B) {
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("sendapi-spec".into())
            .spawn_scoped(scope, a)
        {
            Ok(handle) => {
                let b = b();
                let a = handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (a, b)
            }
            Err(_) => (a(), b()),
        }
    })
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

#[cfg(test)]
mod tests {
    use super::both;

    #[test]
    fn both_returns_each_half_in_its_place() {
        assert_eq!(both(|| "types", || 7), ("types", 7));
    }

    #[test]
    fn a_panic_on_the_second_thread_resurfaces_on_the_first() {
        let caught = std::panic::catch_unwind(|| both(|| -> u8 { panic!("half a failed") }, || 1));
        let panic = caught.expect_err("the panic is not swallowed");
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"half a failed"));
    }
}
