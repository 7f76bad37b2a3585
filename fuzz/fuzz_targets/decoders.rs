//! See `sendapi_fuzz::decoders`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sendapi_fuzz::decoders(data));
