//! See `sendapi_fuzz::webhook_parse`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sendapi_fuzz::webhook_parse(data));
