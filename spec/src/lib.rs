//! The Messenger Platform Send API as data.
//!
//! A spec snapshot (a TOML file, see `spec/README.md`) describes every
//! parameter, type, rule, error code and rate class of the Send API for one
//! Graph version at one date. This crate holds:
//!
//! - the typed [model] of a spec file and its [loader](load_str), whose errors
//!   give file, line and column;
//! - the lint, run on every load, which rejects unknown references,
//!   duplicate ids and malformed rules;
//! - the rule [`Engine`], which evaluates every rule of a snapshot over any
//!   JSON body for a platform and returns every violation;
//! - the [`diff()`] between two snapshots;
//! - the [bundled] snapshots `v21.0`, `v26.0` and `latest`.
//!
//! Features: `load` (default) is the TOML loader with its lint, and `diff`
//! (default) the diff. Without them only the pre-compiled bundled snapshot
//! (`v26.0`, `latest`) and the engine are built: what the `request!` macro
//! needs, at a fraction of the build. That snapshot's receive side (webhook
//! events), which [`bundled`] includes and [`bundled_send_side`] leaves out,
//! comes with `receive` (implied by `load`); the macro builds without it.
//!
//! ```
//! use sendapi_spec::{Platform, bundled_engine};
//!
//! let engine = bundled_engine("latest").unwrap();
//! let body = serde_json::json!({
//!     "recipient": {"id": "1254459154682919"},
//!     "messaging_type": "MESSAGE_TAG",
//!     "tag": "ACCOUNT_UPDATE",
//!     "message": {"text": "Your card was declined"}
//! });
//! let report = engine.validate(&body, Platform::Messenger);
//! assert!(!report.is_valid());
//! let refused = report.errors().next().unwrap();
//! assert_eq!(refused.pointer, "/tag");
//! assert!(refused.message.contains("2026-04-27"));
//! ```

#![deny(missing_docs)]

mod bundled;
#[cfg(feature = "diff")]
#[cfg_attr(docsrs, doc(cfg(feature = "diff")))]
pub mod diff;
mod engine;
mod error;
#[cfg(feature = "load")]
mod lint;
#[cfg(feature = "load")]
mod load;
pub mod model;
mod precompiled;
mod rule;
mod spec;
pub mod webhook;

pub use bundled::{
    BUNDLED, Compiled, LATEST, V21_TOML, V26_TOML, bundled, bundled_engine, bundled_send_side,
    is_bundled, resolve,
};
#[cfg(feature = "diff")]
pub use diff::{Change, ChangeKind, Class, diff};
pub use engine::{Engine, OPAQUE, RateClassInfo, Report, Violation};
pub use error::{Error, Problem};
#[cfg(feature = "load")]
pub use lint::PLACEHOLDERS;
#[cfg(feature = "load")]
#[cfg_attr(docsrs, doc(cfg(feature = "load")))]
pub use load::{load_bytes, load_path, load_path_at, load_str, resolve_path};
pub use model::{Date, Platform, RuleKind, Severity};
pub use rule::{
    At, Bounds, Check, Condition, FieldGroup, Implication, ItemSet, MaxLen, Pattern, Rule, Test,
};
pub use sendapi_core::{closest, count};
pub use spec::{EXPIRY_NOTICE_DAYS, Path, Prim, Seg, Spec, Target, Ty};
pub use webhook::{EventKind, EventWhen, WebhookEvent, Webhooks};

/// JSON nesting deeper than this is refused before validation (`sendapi
/// validate` exits 2); serde_json's own limit is 128.
pub const MAX_DEPTH: usize = 64;

/// Depth of a JSON value: 0 for a scalar, 1 for a flat object or array.
pub fn depth(v: &serde_json::Value) -> usize {
    // Iterative so that a hostile body cannot overflow the stack here.
    let mut max = 0;
    let mut stack = vec![(v, 0usize)];
    while let Some((v, d)) = stack.pop() {
        match v {
            serde_json::Value::Array(a) => {
                max = max.max(d + 1);
                stack.extend(a.iter().map(|x| (x, d + 1)));
            }
            serde_json::Value::Object(o) => {
                max = max.max(d + 1);
                stack.extend(o.values().map(|x| (x, d + 1)));
            }
            _ => {}
        }
    }
    max
}

/// Where the shared peer corpus lives, for tests across the workspace:
/// `$SENDAPI_SHARED_DIR`, else `../shared` beside the workspace root.
///
/// Returns `Ok(None)` when it is absent outside CI, so that a newcomer's
/// clone skips corpus tests with a message; returns `Err` when it is absent
/// and the `CI` variable is set, so that CI never skips them silently.
#[doc(hidden)]
pub fn shared_dir() -> Result<Option<std::path::PathBuf>, String> {
    let candidate = match std::env::var_os("SENDAPI_SHARED_DIR") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => {
            // CARGO_MANIFEST_DIR of this crate is <root>/spec.
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .unwrap_or(std::path::Path::new("."));
            root.join("..").join("shared")
        }
    };
    if candidate.join("corpus").join("peer").is_dir() {
        return Ok(Some(candidate));
    }
    let why = format!(
        "the shared corpus is not at {} (set SENDAPI_SHARED_DIR to the folder holding corpus/peer)",
        candidate.display()
    );
    if std::env::var_os("CI").is_some() {
        Err(format!(
            "{why}; CI is set, so corpus tests must not be skipped"
        ))
    } else {
        eprintln!("skipping corpus test: {why}");
        Ok(None)
    }
}
