//! See `sendapi_fuzz::request_macro`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sendapi_fuzz::request_macro(data));
