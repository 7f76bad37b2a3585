//! See `sendapi_fuzz::spec_loader`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sendapi_fuzz::spec_loader(data));
