//! See `sendapi_fuzz::webhook_signature`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sendapi_fuzz::webhook_signature(data));
