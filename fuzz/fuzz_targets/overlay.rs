//! See `sendapi_fuzz::overlay`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sendapi_fuzz::overlay(data));
