//! `sendapi::Client` against the project's own emulator over real HTTP on
//! 127.0.0.1 (and, where the bytes on the wire matter, against a capturing
//! socket that records the raw request): sending, the wire format, local
//! and remote refusals, batches, uploads, usage headers, delivery semantics
//! under injected faults, rate classes, `appsecret_proof` and secrets.
//!
//! One test binary, so that the HTTP stack is linked once.

mod common;

mod batch;
mod faults;
#[cfg(feature = "upload")]
mod files;
mod proof;
mod rate;
mod refuse;
mod secrets;
mod send;
mod upload;
mod usage;
mod wire;

/// An older snapshot, as a team would pin it: a delta spec through
/// `bindings!`.
pub mod older {
    sendapi::bindings!(
        spec = "tests/fixtures/before-page-restriction.toml",
        module = crate::older
    );
}
