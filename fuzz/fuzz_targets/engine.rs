//! See `sendapi_fuzz::engine`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sendapi_fuzz::engine(data));
